import { isVisible, normalizeText, searchableDocuments, topDialog, visibleText } from './dom';
import { matchHeader, normalizeWord, SCORE, scoreText, wanted, wordsOf, type LexiconAdditions } from './lexicon';
import { asTextControl } from './act';
import { rowActionButton } from './structure';
import { findRow, findTables, type FoundTable, type TableRow, type TableSpec } from './table';

/**
 * After a goods search, what the page offers, read the way a cashier reads it: the goods is
 * already in the order (the search added the exact match), a drop-down shows it, a hit list
 * (a table, often in a dialog) has a row for it with the row's own 「添加」/「选择」 button or a
 * goods-name link, or the page says nothing was found. Two equally good hits = ambiguous: the
 * engine stops rather than guess. Pure reading; flow.ts acts on the answer.
 */
export interface HitSpec {
  /** the barcode the ticket line carries */
  code?: string;
  /** the goods name, matched exactly (normalised) where no code column exists */
  name?: string;
  /** the order's lines (cart) and the column that holds `code` (or `name`) */
  cart: TableSpec;
  cartColumn: string;
  /** the provider's own "nothing found" words, besides the lexicon's */
  notFound?: readonly string[];
  lexicon?: LexiconAdditions;
}

export type HitOutcome =
  | { kind: 'inCart' }
  | { kind: 'option'; element: Element }
  | { kind: 'hit'; element: Element; via: 'button' | 'link' }
  | { kind: 'notFound' }
  | { kind: 'ambiguous'; count: number };

/** The word a row's own action button means (its synonyms come from the lexicon's `add` group). */
const ADD_WORD = '添加';
const CODE_COLUMN = '条码';
const NAME_COLUMN = '商品名称';
const OPTION_SELECTOR = '[role=option], .el-autocomplete-suggestion li, .el-select-dropdown__item, .ant-select-item-option, .layui-anim dd';
/** An empty hit list says so in its only row (not the cart's: that one is excluded). */
const EMPTY_LIST = ['暂无数据', '无数据', '没有数据', '无匹配数据', '查询结果为空'];

/**
 * What the page offers now for this goods line, or null while nothing has settled yet.
 * `stale`: "nothing found" texts already on the page before this search (an earlier search's).
 */
export function hitOutcome(doc: Document, spec: HitSpec, stale: ReadonlySet<Element> = new Set()): HitOutcome | null {
  const documents = searchableDocuments(doc);
  const carts = documents.flatMap((d) => findTables(d, spec.cart, spec.lexicon));
  if (carts.some((cart) => rowsFor(cart, spec.cartColumn, spec).length > 0)) return { kind: 'inCart' };

  // a pick dialog on top is where the hits are; else anywhere on the page (and its frames)
  const dialog = topDialog(doc);
  const lists = hitLists(dialog ? [dialog] : documents, carts, spec);
  const rows = unique(lists.flatMap((list) => hitRows(list, spec).map((row) => ({ list, row }))));
  if (rows.length > 1) return { kind: 'ambiguous', count: rows.length };
  const only = rows[0];
  if (only) {
    const action = rowAction(only.list, only.row, spec);
    if (action) return { kind: 'hit', ...action };
  }

  if (spec.code) {
    const options = visibleOptions(documents, spec.code);
    if (options.length > 1) return { kind: 'ambiguous', count: options.length };
    if (options[0]) return { kind: 'option', element: options[0] };
  }

  if (!only && notFoundIn(documents, lists, spec).some((el) => !stale.has(el))) return { kind: 'notFound' };
  return null;
}

/** The "nothing found" texts on the page now (taken before a search: they are an earlier search's). */
export function notFoundShown(doc: Document, spec: HitSpec): Element[] {
  const documents = searchableDocuments(doc);
  const carts = documents.flatMap((d) => findTables(d, spec.cart, spec.lexicon));
  return notFoundIn(documents, hitLists(documents, carts, spec), spec);
}

function notFoundIn(documents: Document[], lists: FoundTable[], spec: HitSpec): Element[] {
  const empty = lists.map(emptyRow).filter((row): row is Element => row !== null);
  return [...saysNotFound(documents, [...wordsOf('notFound', spec.lexicon), ...(spec.notFound ?? [])]), ...empty];
}

/** Tables that can list this goods (a code or a goods-name column) and are not the cart. */
function hitLists(roots: Array<Element | Document>, carts: FoundTable[], spec: HitSpec): FoundTable[] {
  const found: FoundTable[] = [];
  for (const root of roots) {
    const byCode = spec.code ? findTables(root, { columns: [CODE_COLUMN] }, spec.lexicon) : [];
    const byName = spec.name ? findTables(root, { columns: [NAME_COLUMN] }, spec.lexicon) : [];
    for (const table of [...byCode, ...byName]) {
      const isCart = carts.some((cart) => cart.container === table.container || cart.container.contains(table.container) || table.container.contains(cart.container));
      if (!isCart && !found.some((f) => f.container === table.container)) found.push(table);
    }
  }
  return found;
}

function hasColumn(table: FoundTable, column: string, lexicon?: LexiconAdditions): boolean {
  return matchHeader(table.headers, column, lexicon).ok;
}

/** The rows that are this goods: by its code column, else its exact name, else a cell holding the code. */
function hitRows(table: FoundTable, spec: HitSpec): TableRow[] {
  if (spec.code && hasColumn(table, CODE_COLUMN, spec.lexicon)) return findRow(table, CODE_COLUMN, spec.code);
  if (spec.name && hasColumn(table, NAME_COLUMN, spec.lexicon)) return byName(table, NAME_COLUMN, spec.name);
  if (spec.code) {
    const code = spec.code;
    return table.rows().filter((row) => row.parts.some((part) => Array.from(part.children).some((cell) => visibleText(cell) === code)));
  }
  return [];
}

/** Cart rows for the line: the cart's key column reads the code (or the exact name). */
function rowsFor(table: FoundTable, column: string, spec: HitSpec): TableRow[] {
  if (spec.code) return findRow(table, column, spec.code);
  if (spec.name) return byName(table, column, spec.name);
  return [];
}

/** Exact name only: 「感冒颗粒」 is not 「小儿感冒颗粒」. */
function byName(table: FoundTable, column: string, name: string): TableRow[] {
  const wanted = normalizeWord(name);
  return table.rows().filter((row) => {
    const cell = row.cell(column);
    return cell !== null && normalizeWord(visibleText(cell)) === wanted;
  });
}

/** The row's own 「添加」/「选择」…, else the single link in its goods-name cell (「点击药品名称」). */
function rowAction(table: FoundTable, row: TableRow, spec: HitSpec): { element: Element; via: 'button' | 'link' } | null {
  const buttons = row.parts.map((part) => rowActionButton(part, ADD_WORD, spec.lexicon)).filter((b): b is Element => b !== null);
  if (buttons.length === 1 && buttons[0]) return { element: buttons[0], via: 'button' };
  if (buttons.length > 1) return null;
  if (!hasColumn(table, NAME_COLUMN, spec.lexicon)) return null;
  const cell = row.cell(NAME_COLUMN);
  const links = cell ? Array.from(cell.querySelectorAll('a, button, [role=button], [role=link]')).filter(isVisible) : [];
  return links.length === 1 && links[0] ? { element: links[0], via: 'link' } : null;
}

function unique<T extends { row: TableRow }>(items: T[]): T[] {
  return items.filter((item, index) => items.findIndex((other) => other.row.row === item.row.row) === index);
}

function visibleOptions(documents: Document[], code: string): Element[] {
  return documents
    .flatMap((d) => Array.from(d.querySelectorAll(OPTION_SELECTOR)))
    .filter((el, _, all) => !all.some((other) => other !== el && el.contains(other)))
    .filter((el) => visibleText(el).includes(code) && isVisible(el));
}

/** The only row of a hit list when it is an empty-state text (「暂无数据」). */
function emptyRow(table: FoundTable): Element | null {
  const rows = table.rows();
  return rows.length === 1 && rows[0] !== undefined && EMPTY_LIST.includes(normalizeText(visibleText(rows[0].row))) ? rows[0].row : null;
}

function saysNotFound(documents: Document[], words: readonly string[]): Element[] {
  const wanted = words.map((w) => normalizeWord(w)).filter(Boolean);
  const found: Element[] = [];
  if (!wanted.length) return found;
  for (const d of documents) {
    const walker = d.createTreeWalker(d.body ?? d.documentElement, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = normalizeWord(node.textContent);
      if (!text || text.length > 40 || !wanted.some((w) => text.includes(w))) continue;
      if (node.parentElement && isVisible(node.parentElement)) found.push(node.parentElement);
    }
  }
  return found;
}

const TEXT_INPUT = 'input:not([type]), input[type=text], input[type=search], textarea';
const BUTTON = 'button, [role=button], input[type=button], input[type=submit], a, .el-button, .ant-btn, .layui-btn';

/**
 * What sends this search box's search, as a cashier sees it: its form's submit button, else a
 * 查询/搜索 button beside it (in the small block that holds this box alone). None: the box
 * searches as you type.
 */
export function searchSubmitter(box: Element, lexicon: LexiconAdditions = {}): Element | null {
  const control = asTextControl(box) ?? box;
  const form = (control as HTMLInputElement).form ?? null;
  if (form) {
    const submit = Array.from(form.elements).find(
      (el) => (el.tagName === 'BUTTON' && ((el as HTMLButtonElement).type || 'submit') === 'submit') || (el.tagName === 'INPUT' && (el as HTMLInputElement).type === 'submit'),
    );
    if (submit && isVisible(submit)) return submit;
  }
  const searchWords = wordsOf('search', lexicon).map((w) => wanted(w, lexicon));
  let block: Element | null = control.parentElement;
  for (let depth = 0; block && depth < 4; depth += 1, block = block.parentElement) {
    if (Array.from(block.querySelectorAll(TEXT_INPUT)).filter(isVisible).length > 1) break;
    const buttons = Array.from(block.querySelectorAll(BUTTON))
      .filter((el, _, all) => !all.some((other) => other !== el && el.contains(other)))
      .filter((el) => {
        const text = visibleText(el);
        return text.length <= 6 && searchWords.some((w) => scoreText(text, w, { loose: false }) >= SCORE.normalized) && isVisible(el);
      });
    if (buttons.length === 1 && buttons[0]) return buttons[0];
    if (buttons.length > 1) return null;
  }
  return null;
}
