/**
 * Where a result marker (交易成功, 支付失败…) counts: only where a portal reports the outcome of
 * the payment just made — a dialog, an alert, a toast / message box, or a result page or region
 * of its own. Never in a list or a table: an order history showing 支付失败 (or 成功) rows is
 * history, not a result, and must neither create settlements nor tell the cashier to hand cash
 * back. Decided from the structure around the marker, the same way for every portal.
 */

/** Containers portals (and the UI kits they use) show a payment's outcome in. */
const RESULT_CONTAINERS = [
  'dialog',
  '[role=dialog]',
  '[role=alertdialog]',
  '[role=alert]',
  '[role=status]',
  '[aria-modal=true]',
  // Element Plus / Element UI, Ant Design, layui, Vant, iView, generic names
  '.el-dialog',
  '.el-message-box',
  '.el-message',
  '.el-notification',
  '.el-result',
  '.ant-modal',
  '.ant-message',
  '.ant-notification',
  '.ant-result',
  '.layui-layer',
  '.van-dialog',
  '.van-toast',
  '.ivu-modal',
  '.ivu-message',
  // (no case-insensitive [attr i] flag: not every DOM the engine runs on parses it)
  '[class*=toast]',
  '[class*=Toast]',
  '[class*=modal]',
  '[class*=Modal]',
].join(', ');

/** Where a marker names one record among others. */
const LIST_ITEMS = 'li, [role=listitem], option, [role=option], select, [role=listbox]';
const TABLE_ROWS = 'tr, [role=row]';
/** Tables of records by their UI kit: their body rows are records even when the header sits in another table. */
const DATA_TABLES = '.el-table, .ant-table, .layui-table, .vxe-table, [role=grid], [role=treegrid]';

/**
 * True when a marker at `element` reports a payment's outcome: inside a dialog, toast, alert
 * or message box (even laid out as a table, like a receipt's description grid), or plain page
 * text that is not one record of a list or table (a result page: 支付成功 as its heading —
 * a one-row layout table around a whole page is no list).
 */
export function inResultContext(element: Element): boolean {
  if (resultRegion(element)) return true;
  return !inRecordList(element);
}

function inRecordList(element: Element): boolean {
  if (element.closest(LIST_ITEMS)) return true;
  const row = element.closest(TABLE_ROWS);
  if (!row) return false;
  if (row.closest(DATA_TABLES)) return true;
  const table = row.closest('table, [role=table]');
  // a table with column headers is a table of records; so is one with several rows
  if (table && ownHeaders(table)) return true;
  const rows = row.parentElement ? Array.from(row.parentElement.children).filter((c) => c.matches(TABLE_ROWS)) : [];
  return rows.length > 1;
}

/** Column headers of this very table (not of a table nested in one of its cells). */
function ownHeaders(table: Element): boolean {
  return Array.from(table.querySelectorAll('th, thead, [role=columnheader]')).some((header) => header.parentElement?.closest('table, [role=table]') === table);
}

/** The nearest result container; the page itself never is one (a class on <body> saying a popup is open). */
function resultRegion(element: Element): Element | null {
  const doc = element.ownerDocument;
  for (let node = element.closest(RESULT_CONTAINERS); node; node = node.parentElement?.closest(RESULT_CONTAINERS) ?? null) {
    if (node !== doc.body && node !== doc.documentElement && !node.matches(`${LIST_ITEMS}, ${TABLE_ROWS}, table, td, th`)) return node;
  }
  return null;
}

/** Whether `text` shows anywhere it would count as a result (to know a result is still coming). */
export function markerInResultContext(doc: Document, text: string): boolean {
  const walker = doc.createTreeWalker(doc.body ?? doc.documentElement, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement && node.textContent?.includes(text) && inResultContext(node.parentElement)) return true;
  }
  return false;
}
