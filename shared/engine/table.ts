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
// :scope, or 'tbody tr' would match a header row whose page layout table has a tbody around it
const BODY_ROW = ':scope tbody tr, :scope [role=row]';

/**
 * The column headers: the cells of the first row holding a header cell. (Not "every th outside a
 * tbody": older pages nest their tables inside layout tables, whose tbody holds everything.)
 */
function headerTexts(container: Element): string[] {
  const row = container.querySelector(HEADER_CELL)?.closest('tr, [role=row]');
  if (!row) return [];
  return Array.from(row.querySelectorAll(':scope > th, :scope > td, :scope > [role=columnheader]')).map((cell) => visibleText(cell));
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
          const cells = Array.from(row.querySelectorAll(':scope > td, :scope > th, :scope > [role=cell], :scope > [role=gridcell]'));
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
