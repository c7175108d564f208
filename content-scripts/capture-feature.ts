import { sendToBackground, type Capture } from '@/shared/messages';
import { formatYuan } from '@/shared/money';
import { t } from '@/shared/i18n';
import { readCaptures, rowKeyForClick, type CaptureRule } from '@/shared/engine/capture';
import type { Overlay } from './overlay';

/**
 * Watches the portal for its result (success, failure, refund) and hands each one to the
 * background, which stores it durably before this page tells the cashier anything. The same
 * result shown again (a re-render, a reload, the back button) is recognised in the database by
 * the vendor's transaction number; here each result element is read once.
 */
const RECHECK_MS = 120;
const PENDING_RECHECK_MS = 250;

export function startCaptureFeature(options: { signal: AbortSignal; overlay: Overlay; rules: CaptureRule[]; doc?: Document }): void {
  const { signal, overlay, rules } = options;
  const doc = options.doc ?? document;
  if (!rules.length) return;
  /** result elements reported in this page: one read again, or a part of one, is not new */
  const shownBlocks = new Set<Element>();
  const alreadyShown = (block: Element): boolean => [...shownBlocks].some((b) => b.contains(block) || block.contains(b));
  /** per rule: the sale's number of the row whose refund button was pressed */
  const startedFrom = new Map<string, string>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const check = (): void => {
    timer = undefined;
    for (const block of shownBlocks) if (!block.isConnected) shownBlocks.delete(block);
    const text = doc.body?.textContent ?? '';
    let pending = false;
    for (const rule of rules) {
      if (!text.includes(rule.marker)) continue;
      if (rule.startedFrom && !startedFrom.has(rule.id)) continue;
      const matches = readCaptures(doc, rule, startedFrom.get(rule.id));
      // The marker is in the page but not readable yet (a dialog still fading in moves no DOM
      // node, so no mutation would tell us): look again shortly, for as long as it is there.
      pending ||= matches.length === 0;
      for (const match of matches) {
        if (alreadyShown(match.block)) continue;
        shownBlocks.add(match.block);
        // The same result in a new element (re-render, reload) is told again: the background
        // answers "duplicate" from its unique index. Only re-reads of one element are skipped.
        if (rule.startedFrom) startedFrom.delete(rule.id);
        void report(match.capture);
      }
    }
    if (pending) timer ??= setTimeout(check, PENDING_RECHECK_MS);
  };

  const report = async (capture: Capture): Promise<void> => {
    try {
      const answer = await sendToBackground({ type: 'settlement.capture', capture });
      if (answer.stored === 'failed-attempt') {
        overlay.show({ kind: 'warning', code: 'PAYMENT_FAILED', title: t('ov_capture_failed_attempt') });
        return;
      }
      if (answer.stored === 'unknown-sale') {
        overlay.show({ kind: 'error', code: 'REFUND_UNKNOWN_SALE', title: t('ov_refund_unknown') });
        return;
      }
      const lines: Array<readonly [string, string]> = [
        [t('ov_order_no'), answer.orderNo ?? ''],
        [t('ov_vendor_no'), capture.vendorOrderNo ?? ''],
        [t('ov_amount'), formatYuan(answer.amountFen ?? 0)],
      ];
      if (capture.cashFen) lines.push([t('ov_cash'), formatYuan(capture.cashFen)]);
      overlay.show({
        kind: answer.stored === 'new' ? 'success' : 'info',
        code: answer.stored === 'new' ? (capture.kind === 'refund' ? 'REFUND_CAPTURED' : 'CAPTURED') : 'CAPTURED_AGAIN',
        title: answer.stored === 'new' ? t(capture.kind === 'refund' ? 'ov_refund_captured' : 'ov_captured') : t('ov_captured_again'),
        lines,
        message: answer.stored === 'new' ? t('ov_captured_hint') : undefined,
      });
    } catch {
      overlay.show({ kind: 'error', code: 'CAPTURE_ERROR', title: t('ov_capture_error') });
    }
  };

  const schedule = (): void => {
    timer ??= setTimeout(check, RECHECK_MS);
  };
  const observer = new MutationObserver(schedule);
  const observe = (): void => observer.observe(doc.documentElement, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['style', 'class', 'hidden'] });
  observe();
  doc.addEventListener(
    'click',
    (event) => {
      if (!event.isTrusted || !(event.target instanceof Element)) return;
      for (const rule of rules) {
        const key = rowKeyForClick(event.target, rule);
        if (key) startedFrom.set(rule.id, key);
      }
    },
    { capture: true, signal },
  );
  signal.addEventListener('abort', () => {
    shownBlocks.clear();
    observer.disconnect();
    clearTimeout(timer);
  }, { once: true });
  schedule();
}
