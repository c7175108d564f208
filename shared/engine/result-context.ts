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
  '[aria-live=assertive]',
  '[aria-live=polite]',
  '[aria-modal=true]',
  // Element Plus / Element UI, Ant Design, layui, Vant, iView, Bootstrap, generic names
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
  '.modal',
  // (no case-insensitive [attr i] flag: not every DOM the engine runs on parses it)
  '[class*=toast]',
  '[class*=Toast]',
  '[class*=modal]',
  '[class*=Modal]',
  '[class*=result]',
  '[class*=Result]',
].join(', ');

/** Containers that hold many records: a marker inside one describes a record, not a result. */
const RECORD_CONTAINERS = [
  'table',
  'tr',
  'thead',
  'tbody',
  'ul',
  'ol',
  'li',
  'dl',
  'select',
  'option',
  '[role=table]',
  '[role=grid]',
  '[role=treegrid]',
  '[role=row]',
  '[role=cell]',
  '[role=gridcell]',
  '[role=list]',
  '[role=listitem]',
  '[role=listbox]',
  '[role=option]',
  '.el-table',
  '.ant-table',
  '.ant-list',
  '.layui-table',
].join(', ');

/**
 * True when a marker at `element` reports a payment's outcome. The nearest container decides:
 * a dialog/toast/result region (even one laid out as a table, like a receipt's description
 * grid) counts; a list or table outside any such region does not; plain page text (a result
 * page: 支付成功 as its heading) counts.
 */
export function inResultContext(element: Element): boolean {
  const record = element.closest(RECORD_CONTAINERS);
  if (!record) return true;
  const result = resultRegion(element);
  // the record container sits inside the result region (a receipt's table inside a dialog)
  return result !== null && result !== record && result.contains(record);
}

/** The nearest result container; the page itself never is one (a class on <body> saying a popup is open). */
function resultRegion(element: Element): Element | null {
  const doc = element.ownerDocument;
  for (let node = element.closest(RESULT_CONTAINERS); node; node = node.parentElement?.closest(RESULT_CONTAINERS) ?? null) {
    if (node !== doc.body && node !== doc.documentElement && !node.matches(RECORD_CONTAINERS)) return node;
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
