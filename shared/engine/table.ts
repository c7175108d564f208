import { isVisible, normalizeText, visibleText } from './dom';

/**
 * Tables found the way a cashier reads them: by their column headers. Works for a plain
 * <table>, ARIA grids, and component tables that split header and body into separate <table>s
 * (Element's el-table): the container is the closest element holding both.
 */
export interface TableSpec {
  columns: string[];
}

export interface TableRow {
  row: Element;
  cell(column: string): Element | null;
}

export interface FoundTable {
  container: Element;
  headers: string[];
  rows(): TableRow[];
}

const HEADER_CELL = 'th, [role=columnheader]';
const BODY_ROW = 'tbody tr, [role=row]';

function headerTexts(container: Element): string[] {
  return Array.from(container.querySelectorAll(HEADER_CELL))
    .filter((cell) => !cell.closest('tbody'))
    .map((cell) => visibleText(cell));
}

export function findTable(root: Element | Document, spec: TableSpec): FoundTable | null {
  const first = spec.columns[0];
  if (!first) return null;
  const candidates = new Set<Element>();
  for (const headerCell of Array.from(root.querySelectorAll(HEADER_CELL))) {
    if (visibleText(headerCell) !== normalizeText(first) || !isVisible(headerCell)) continue;
    for (let node = headerCell.parentElement; node; node = node.parentElement) {
      const headers = headerTexts(node);
      if (spec.columns.every((c) => headers.includes(normalizeText(c))) && node.querySelector(BODY_ROW)) {
        candidates.add(node);
        break;
      }
      if (node === root) break;
    }
  }
  const container = [...candidates][0];
  if (!container || candidates.size > 1) return null;
  const headers = headerTexts(container);
  return {
    container,
    headers,
    rows: () =>
      Array.from(container.querySelectorAll(BODY_ROW))
        .filter((row) => row.querySelector('td, [role=cell], [role=gridcell]') && isVisible(row))
        .map((row) => {
          const cells = Array.from(row.querySelectorAll(':scope > td, :scope > [role=cell], :scope > [role=gridcell]'));
          return { row, cell: (column: string) => cells[headers.indexOf(normalizeText(column))] ?? null };
        }),
  };
}

/** Rows whose cell in `column` reads exactly `equals` (input cells read by their value). */
export function findRow(table: FoundTable, column: string, equals: string): TableRow[] {
  const wanted = normalizeText(equals);
  return table.rows().filter((row) => {
    const cell = row.cell(column);
    if (!cell) return false;
    const input = cell.querySelector('input');
    return visibleText(cell) === wanted || (input !== null && normalizeText(input.value) === wanted);
  });
}
