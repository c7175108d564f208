import { CaptureFieldNames, type CaptureFieldName } from './capture-field-names';
import type { CaptureRule } from './capture-rule-schema';
import { isVisible, normalizeText, ownText, visibleText } from './dom';
import { findTable } from './table';
import { inResultContext } from './result-context';
import { parseYuanToFen } from '../core/money';
import { cardNumberIn, maskCard } from '../core/mask';
import type { Capture } from './capture-schema';

/**
 * Reading a portal's result the way a cashier does: a marker text (交易成功, 交易失败, 退货成功)
 * appears; the numbers are read next to their labels in the block around it (the dialog, the
 * receipt, the toast). Card and ID numbers are masked here, before anything leaves the page.
 */
export { CaptureFieldNames, type CaptureFieldName, type CaptureRule };

const MONEY_FIELDS = new Set<CaptureFieldName>(['totalFen', 'cardFen', 'cashFen']);

/**
 * What a sale's result page calls each field, beyond the provider's own words: the labels common
 * web-POS result dialogs print. Tried after the provider's spellings, in this order (the first
 * label found wins). Kept apart from the lexicon's groups on purpose: these are read-only labels
 * next to values, and no word here is contained in another field's word at its start (a bare
 * 「订单号」 would be read out of 「门店订单号：…」, so it is not here). Refund rules keep their own
 * words only (a refund dialog also shows the sale's 交易金额).
 */
export const SALE_RESULT_LABELS: Readonly<Partial<Record<CaptureFieldName, readonly string[]>>> = {
  vendorOrderNo: ['交易流水号', '支付流水号', '平台流水号', '交易单号', '支付单号', '交易号', '订单编号'],
  storeOrderNo: ['门店订单号', '门店单号', '小票号', '商户订单号', '外部单号', 'POS单号'],
  totalFen: ['交易金额', '订单金额', '支付金额', '应付金额', '消费金额', '订单总额', '合计金额', '实收金额', '收款金额'],
  cardFen: ['卡支付', '商保支付', '卡支付金额', '卡付金额', '账户支付', '商保金额'],
  cashFen: ['现金支付', '现金金额', '付现金额'],
  cardNumber: ['身份证号', '卡号', '会员卡号', '付款码'],
  settledAt: ['交易时间', '支付时间', '收款时间', '付款时间', '结算时间'],
};

/** A sale rule's field spellings with the common result labels added after the provider's own. */
export function withResultLabels(rule: CaptureRule): CaptureRule['fields'] {
  if (rule.kind !== 'sale' || rule.outcome !== 'success') return rule.fields;
  const fields: CaptureRule['fields'] = { ...rule.fields };
  for (const [name, labels] of Object.entries(SALE_RESULT_LABELS) as Array<[CaptureFieldName, readonly string[]]>) {
    const own = fields[name] ?? [];
    fields[name] = [...new Set([...own, ...labels])];
  }
  return fields;
}

/**
 * What a sale's result says, beyond the provider's own marker: the words common web-POS result
 * dialogs and pages use (a 「收银成功」 dialog, a 慧医卡-style 「消费小票」 page, seed 000/001).
 */
const SALE_MARKERS: Readonly<Record<CaptureRule['outcome'], readonly string[]>> = {
  success: ['交易成功', '支付成功', '收款成功', '收银成功', '消费小票'],
  failed: ['交易失败', '支付失败', '收款失败', '收银失败'],
};

/** The rule's own marker first, then (sale rules) the common ones. */
export function markersOf(rule: CaptureRule): string[] {
  return rule.kind === 'sale' ? [...new Set([rule.marker, ...SALE_MARKERS[rule.outcome]])] : [rule.marker];
}

/** Elements showing `text` (innermost), visible. */
function markerElements(doc: Document, text: string): Element[] {
  const wanted = normalizeText(text);
  const found: Element[] = [];
  // this document only: each frame's content script watches its own
  const walker = doc.createTreeWalker(doc.body ?? doc.documentElement, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (parent && normalizeText(node.textContent).includes(wanted) && isVisible(parent)) found.push(parent);
  }
  return found;
}

/**
 * The smallest block around the marker that holds the labelled values: walk up until the
 * required labels are inside (a dialog, a receipt panel, a toast).
 */
function resultBlock(marker: Element, labels: string[]): Element {
  let block: Element = marker;
  for (let node: Element | null = marker; node; node = node.parentElement) {
    block = node;
    const text = visibleText(node);
    if (labels.every((label) => text.includes(label))) return node;
    if (node.matches('[role=dialog], .el-dialog, .el-message-box, .el-message, dialog, body')) return node;
  }
  return block;
}

/** The value printed next to a label: "交易流水号：RYT001", <dt>label</dt><dd>value</dd>, label | value cells. */
export function valueNextTo(block: Element, label: string): string | null {
  const wanted = normalizeText(label);
  const elements = [block, ...Array.from(block.querySelectorAll('*'))].filter((el) => isVisible(el));
  for (const el of elements) {
    const text = visibleText(el);
    if (!text.startsWith(wanted)) {
      // a sentence that carries it: "退货成功，退货流水号：RYTTH001"
      const at = el.childElementCount === 0 ? text.indexOf(`${wanted}`) : -1;
      const inline = at >= 0 ? /^[:：]\s*(\S+)/.exec(text.slice(at + wanted.length)) : null;
      if (inline?.[1]) return inline[1].replace(/[，。,;；]+$/, '');
      continue;
    }
    // "label：value" inside one element with no element children carrying the value
    const rest = text.slice(wanted.length).replace(/^\s*[:：]?\s*/, '');
    if (rest && el.childElementCount === 0) return rest;
    // "label：<span>value</span>": the element's own text is the label, its children the value
    if (rest && ownText(el) === wanted) return rest;
    if (text === wanted || normalizeText(el.textContent) === wanted) {
      const next = el.nextElementSibling;
      if (next && visibleText(next)) return visibleText(next);
      const parentRest = el.parentElement ? visibleText(el.parentElement).slice(visibleText(el.parentElement).indexOf(wanted) + wanted.length) : '';
      const value = parentRest.replace(/^\s*[:：]?\s*/, '').split(/\s{2,}|\n/)[0];
      if (value) return value;
    }
  }
  return null;
}

function moneyFen(text: string): number | null {
  const match = /-?[¥￥]?\s*(\d+(?:\.\d{1,2})?)/.exec(text.replace(/,/g, ''));
  return match?.[1] ? parseYuanToFen(match[1]) : null;
}

export interface MatchedCapture {
  /** the element the marker sits in: the same result shown again is the same element */
  block: Element;
  capture: Capture;
  /** fields read with text after them that was left out (e.g. 'FIELD_CUT:cardMasked') */
  flags: string[];
}

/** Reads one rule off the page: every result on screen that is complete (none yet: []). */
export function readCaptures(doc: Document, rule: CaptureRule, startedFromKey?: string): MatchedCapture[] {
  const found: MatchedCapture[] = [];
  const fields = withResultLabels(rule);
  const labels = Object.values(rule.fields).flatMap((spellings) => spellings?.slice(0, 1) ?? []);
  for (const marker of markersOf(rule).flatMap((text) => markerElements(doc, text))) {
    // a marker in a list or table (an order history) is not a result: result-context.ts
    if (!inResultContext(marker)) continue;
    const block = resultBlock(marker, labels);
    const values: Partial<Record<CaptureFieldName, string>> = {};
    for (const [name, spellings] of Object.entries(fields) as Array<[CaptureFieldName, string[]]>) {
      for (const spelling of spellings) {
        const value = valueNextTo(block, spelling);
        if (value) {
          values[name] = value;
          break;
        }
      }
    }
    if (!rule.required.every((name) => values[name])) continue;
    const capture: Capture = { kind: rule.kind, outcome: rule.outcome, rule: rule.id };
    const flags: string[] = [];
    for (const [name, value] of Object.entries(values) as Array<[CaptureFieldName, string]>) {
      if (MONEY_FIELDS.has(name)) {
        const fen = moneyFen(value);
        if (fen === null) continue;
        capture[name as 'totalFen' | 'cardFen' | 'cashFen'] = fen;
      } else if (name === 'cardNumber') {
        capture.cardMasked = maskShown(value);
        if (cardNumberIn(value).sentenceAfter) flags.push('FIELD_CUT:cardMasked');
      } else if (name === 'settledAt') {
        capture.settledAt = value;
      } else {
        // numbers are one word; anything after a space is the next label's text
        capture[name as 'vendorOrderNo' | 'storeOrderNo' | 'originalVendorOrderNo'] = value.split(/\s/)[0] ?? value;
      }
    }
    if (startedFromKey && !capture.originalVendorOrderNo) capture.originalVendorOrderNo = startedFromKey;
    // The same result can carry its marker twice (a dialog title and a result heading): one
    // block holding another is one result.
    const overlapping = found.findIndex((f) => f.block.contains(block) || block.contains(f.block));
    if (overlapping < 0) found.push({ block, capture, flags });
    else if (block.contains(found[overlapping]!.block)) found[overlapping] = { block, capture, flags };
  }
  return found;
}

/** The page may show a number partly masked already: mask whatever it shows, never unmask. */
function maskShown(shown: string): string {
  return maskCard(shown);
}

/** For list-started refunds: the key of the row whose button the cashier pressed. */
export function rowKeyForClick(target: Element, rule: CaptureRule): string | null {
  const from = rule.startedFrom;
  if (!from) return null;
  const button = target.closest('button, a, [role=button], .el-button');
  if (!button || visibleText(button) !== normalizeText(from.button)) return null;
  const doc = button.ownerDocument;
  const table = findTable(doc, from.table);
  if (!table) return null;
  const row = table.rows().find((r) => r.row.contains(button));
  const key = row?.cell(from.keyColumn);
  return key ? visibleText(key) : null;
}

