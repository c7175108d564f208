import { DIALOG_SELECTOR, isVisible, normalizeText, visibleText } from './dom';
import { matchHeader, type LexiconAdditions } from './lexicon';

/**
 * Tables found the way a cashier reads them: by their column headers, matched through the
 * lexicon (「药品条码」 is a 条码 column, 「零售价（元）」 a 单价 column). Works for a plain
 * <table>, ARIA grids and virtual lists (role=row / columnheader / gridcell), and component
 * tables that split header and body into separate <table>s (Element's el-table, ant-table with a
 * fixed header): the container is the closest element holding both. Element's and Ant's fixed
 * columns repeat the rows in an overlay table; those copies are merged into the main row, so a
 * row is found once and its action button is the one the cashier can click.
 */
export interface TableSpec {
  columns: string[];
}

export interface TableRow {
  row: Element;
  /** the row and its fixed-column copies (where a row's buttons may actually be) */
  parts: Element[];
  cell(column: string): Element | null;
}

export interface FoundTable {
  container: Element;
  headers: string[];
  /** `mayHold`: a cheap test on a row's parts, applied before anything that needs the page's layout */
  rows(mayHold?: (parts: Element[]) => boolean): TableRow[];
}

const HEADER_CELL = 'th, [role=columnheader]';
// :scope, or 'tbody tr' would match a header row whose page layout table has a tbody around it
const BODY_ROW = ':scope tbody tr, :scope [role=row]';
const FIXED_PART = '.el-table__fixed, .el-table__fixed-right, .el-table__fixed-left, .ant-table-fixed-left, .ant-table-fixed-right';
const CELL = ':scope > td, :scope > th, :scope > [role=cell], :scope > [role=gridcell]';

/**
 * The column headers: the cells of the first row holding a header cell. (Not "every th outside a
 * tbody": older pages nest their tables inside layout tables, whose tbody holds everything.)
 */
function headerTexts(container: Element, known?: Map<Element, string[]>): string[] {
  const first = Array.from(container.querySelectorAll(HEADER_CELL)).find((cell) => !cell.closest(FIXED_PART) || container.matches(FIXED_PART));
  const row = first?.closest('tr, [role=row]');
  if (!row) return [];
  // one reading of a header row per look (the same row heads each level climbed in findTables)
  const read = known?.get(row);
  if (read) return read;
  const texts = Array.from(row.querySelectorAll(':scope > th, :scope > td, :scope > [role=columnheader]')).map((cell) => visibleText(cell) || normalizeText(cell.textContent));
  known?.set(row, texts);
  return texts;
}

/** Each wanted column's index among the headers, or null when one is missing or ambiguous. */
function columnIndexes(headers: string[], columns: readonly string[], lexicon: LexiconAdditions): Map<string, number> | null {
  const indexes = new Map<string, number>();
  for (const column of columns) {
    const found = matchHeader(headers, column, lexicon);
    if (!found.ok) return null;
    indexes.set(column, found.item);
  }
  return indexes;
}

function isBodyRow(row: Element): boolean {
  return row.querySelector('td, [role=cell], [role=gridcell]') !== null && row.getAttribute('aria-hidden') !== 'true' && !row.classList.contains('ant-table-measure-row');
}

export function findTable(root: Element | Document, spec: TableSpec, lexicon: LexiconAdditions = {}): FoundTable | null {
  const found = findTables(root, spec, lexicon);
  // two tables with these columns (a hit list and the cart): not this function's guess
  return found.length === 1 ? (found[0] ?? null) : null;
}

/** Every table under `root` that has all of `spec`'s columns, in page order. */
export function findTables(root: Element | Document, spec: TableSpec, lexicon: LexiconAdditions = {}): FoundTable[] {
  const first = spec.columns[0];
  if (!first) return [];
  const candidates = new Set<Element>();
  const headerRows = new Map<Element, string[]>();
  for (const headerCell of Array.from(root.querySelectorAll(HEADER_CELL))) {
    if (headerCell.closest(FIXED_PART) || !isVisible(headerCell)) continue;
    if (!matchHeader([visibleText(headerCell)], first, lexicon).ok) continue;
    // a table lives in one layer: a dialog's header never pairs with the page's rows, nor a page
    // header (an empty cart's) with the rows of a pick dialog appended to <body>
    const layer = headerCell.closest(DIALOG_SELECTOR);
    for (let node = headerCell.parentElement; node; node = node.parentElement) {
      if (layer ? !layer.contains(node) : node.querySelector(DIALOG_SELECTOR) !== null) break;
      const headers = headerTexts(node, headerRows);
      if (columnIndexes(headers, spec.columns, lexicon) && node.querySelector(BODY_ROW)) {
        candidates.add(node);
        break;
      }
      if (node === root) break;
    }
  }
  return [...candidates].map((container) => tableAt(container, lexicon, headerRows));
}

function tableAt(container: Element, lexicon: LexiconAdditions, headerRows: Map<Element, string[]>): FoundTable {
  const headers = headerTexts(container, headerRows);
  return {
    container,
    headers,
    rows: (mayHold) => {
      const all = Array.from(container.querySelectorAll(BODY_ROW)).filter(isBodyRow);
      const main = all.filter((row) => !row.closest(FIXED_PART));
      const fixed = all.filter((row) => row.closest(FIXED_PART));
      // fixed copies, by their position in their own body
      const copies = new Map<number, Element[]>();
      for (const part of new Set(fixed.map((row) => row.closest(FIXED_PART)))) {
        if (!part) continue;
        fixed.filter((row) => row.closest(FIXED_PART) === part).forEach((row, index) => copies.set(index, [...(copies.get(index) ?? []), row]));
      }
      return main
        .map((row, index) => ({ row, parts: [row, ...(copies.get(index) ?? [])] }))
        .filter(({ row, parts }) => (!mayHold || mayHold(parts)) && isVisible(row))
        .map(({ row, parts }) => {
          return {
            row,
            parts,
            cell: (column: string) => {
              const at = headerIndex(headers, column, lexicon);
              if (at === null) return null;
              const cells = parts.map((part) => Array.from(part.querySelectorAll(CELL))[at]).filter((c): c is Element => Boolean(c));
              return cells.find((c) => !c.classList.contains('is-hidden') && isVisible(c) && visibleText(c) !== '') ?? cells.find((c) => !c.classList.contains('is-hidden')) ?? cells[0] ?? null;
            },
          };
        });
    },
  };
}

function headerIndex(headers: string[], column: string, lexicon: LexiconAdditions): number | null {
  const exact = headers.indexOf(normalizeText(column));
  if (exact >= 0) return exact;
  const found = matchHeader(headers, column, lexicon);
  return found.ok ? found.item : null;
}

/** What a cell reads: its text, or the value of the input it holds. */
function cellReads(cell: Element, wanted: string): boolean {
  const input = cell.querySelector('input');
  const text = visibleText(cell);
  if (text === wanted || (input !== null && normalizeText(input.value) === wanted)) return true;
  // a cell that shows more than the key ("条码：6901234567892", a name and the code on two
  // lines) holds it as one whole token, never as part of a longer number
  return wanted.length >= 4 && text.split(/[\s:：,，;；/|()（）[\]]+/).includes(wanted);
}

/** White space does not count when looking for a key in text (innerText and textContent space blocks differently). */
function compact(text: string | null | undefined): string {
  return (text ?? '').replace(/[\s\u00a0\u3000]+/g, '');
}

/**
 * Can any of these elements show `key` at all? Read from textContent and input values, which need
 * no layout, so a wait can skip the layout-bound reading (visibility, innerText) while the key is
 * nowhere yet, as it is on most DOM changes while a search runs. Only a "no" is final: a text
 * cannot show what its textContent lacks. (The one miss, a key split by a hidden element inside
 * it, ends in "not found" — never in a wrong row.)
 */
export function mayShow(elements: Iterable<Element>, key: string): boolean {
  const wanted = compact(key);
  if (!wanted) return true;
  for (const element of elements) {
    if (compact(element.textContent).includes(wanted)) return true;
    for (const input of Array.from(element.querySelectorAll('input'))) if (compact(input.value).includes(wanted)) return true;
  }
  return false;
}

/** Could a table row under `root` read `equals` (see mayShow)? Cheap: no layout. */
export function someRowMayShow(root: Element | Document, equals: string): boolean {
  return mayShow(root.querySelectorAll('tbody tr, [role=row]'), normalizeText(equals));
}

/** Rows whose cell in `column` reads exactly `equals` (input cells read by their value). */
export function findRow(table: FoundTable, column: string, equals: string): TableRow[] {
  const wanted = normalizeText(equals);
  return table.rows((parts) => mayShow(parts, wanted)).filter((row) => {
    const cell = row.cell(column);
    return cell !== null && cellReads(cell, wanted);
  });
}
