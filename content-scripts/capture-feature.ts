import { MessageRefusedError, sendToBackground } from '@/shared/message-send';
import type { ResponseOf } from '@/shared/messages';
import type { LooseCapture } from '@/shared/engine/capture-schema';
import { checkCaptureFields } from '@/shared/capture-fields';
import { formatYuan } from '@/shared/core/money';
import { t } from '@/shared/i18n';
import { markersOf, readCaptures, rowKeyForClick, type CaptureRule } from '@/shared/engine/capture';
import { markerInResultContext } from '@/shared/engine/result-context';
import { isVisible } from '@/shared/engine/dom';
import type { Overlay } from './overlay';

/**
 * Watches the portal for its result (success, failure, refund) and hands each one to the
 * background, which stores it durably before this page tells the cashier anything. The same
 * result shown again (a re-render, a reload, the back button) is recognised in the database by
 * the vendor's transaction number; here each result element is read once.
 */
const RECHECK_MS = 120;
const PENDING_RECHECK_MS = 250;
/** no answer within this: the outcome is unknown, and the capture is sent again */
const ANSWER_TIMEOUT_MS = 10_000;
const RESEND_FIRST_MS = 1_000;
const RESEND_MAX_MS = 15_000;
/**
 * A capture the background has not acknowledged yet. This script keeps it only in memory: the
 * background journals every capture it receives in its own storage.session before writing it
 * (shared/background/capture-journal.ts), and a reloaded page asks for what is still open there.
 * Nothing is written into the vendor's origin, and storage.local is closed to content scripts.
 */
interface PendingCapture {
  captureId: string;
  capture: LooseCapture;
  reviewFlags: string[];
}
type CaptureResponse = ResponseOf<'settlement.capture'>;

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
    // A result element the portal hid is done with: portals reuse one dialog for every sale,
    // and the next sale's result shown in it is a new result, not a re-read of the last one.
    for (const block of shownBlocks) if (!block.isConnected || !isVisible(block)) shownBlocks.delete(block);
    const text = doc.body?.textContent ?? '';
    let pending = false;
    for (const rule of rules) {
      const markers = markersOf(rule);
      if (!markers.some((marker) => text.includes(marker))) continue;
      if (rule.startedFrom && !startedFrom.has(rule.id)) continue;
      const matches = readCaptures(doc, rule, startedFrom.get(rule.id));
      // The marker is in the page but not readable yet (a dialog still fading in moves no DOM
      // node, so no mutation would tell us): look again shortly, for as long as it is there.
      // (only where it would count: a marker in a list or table is no result to wait for)
      if (matches.length === 0 && markers.some((marker) => markerInResultContext(doc, marker))) pending = true;
      for (const match of matches) {
        if (alreadyShown(match.block)) continue;
        shownBlocks.add(match.block);
        // The same result in a new element (re-render, reload) is told again: the background
        // answers "duplicate" from its unique index. Only re-reads of one element are skipped.
        if (rule.startedFrom) startedFrom.delete(rule.id);
        void report(match.capture, match.flags);
      }
    }
    if (pending) timer ??= setTimeout(check, PENDING_RECHECK_MS);
  };

  /** A result just read: checked field by field, kept until stored, then sent. */
  const report = async (raw: LooseCapture, readFlags: string[]): Promise<void> => {
    const { capture, flags } = checkCaptureFields(raw, readFlags);
    await deliver({ captureId: crypto.randomUUID(), capture, reviewFlags: flags }, false);
  };

  /** Sends until the background answers; "no answer" is said as such and retried, never guessed. */
  const deliver = async (pending: PendingCapture, sentBefore: boolean): Promise<void> => {
    let wait = RESEND_FIRST_MS;
    for (let attempt = 0; !signal.aborted; attempt += 1) {
      let answer: CaptureResponse;
      try {
        answer = await withTimeout(
          sendToBackground({ type: 'settlement.capture', captureId: pending.captureId, capture: pending.capture, reviewFlags: pending.reviewFlags }),
          ANSWER_TIMEOUT_MS,
        );
      } catch (error) {
        if (error instanceof MessageRefusedError) {
          // The background answered and did not store it: the cashier must record it by hand.
          overlay.show({ kind: 'error', code: 'CAPTURE_ERROR', title: t('ov_capture_error') });
          return;
        }
        overlay.show({ kind: 'warning', code: 'CAPTURE_UNKNOWN', title: t('ov_capture_unknown'), message: t('ov_capture_unknown_hint') });
        await delay(wait, signal);
        wait = Math.min(wait * 2, RESEND_MAX_MS);
        continue;
      }
      tell(pending.capture, answer, sentBefore || attempt > 0);
      return;
    }
  };

  const tell = (capture: LooseCapture, answer: CaptureResponse, sentBefore: boolean): void => {
    if (answer.stored === 'failed-attempt') {
      overlay.show({ kind: 'warning', code: 'PAYMENT_FAILED', title: t('ov_capture_failed_attempt') });
      return;
    }
    if (answer.stored === 'unknown-sale') {
      overlay.show({ kind: 'error', code: 'REFUND_UNKNOWN_SALE', title: t('ov_refund_unknown') });
      return;
    }
    // sent before with no answer: "already stored" is this very capture arriving, not a re-read
    const fresh = answer.stored === 'new' || sentBefore;
    const lines: Array<readonly [string, string]> = [
      [t('ov_order_no'), answer.orderNo || t('ov_order_none')],
      [t('ov_vendor_no'), capture.vendorOrderNo ?? ''],
      [t('ov_amount'), formatYuan(answer.amountFen ?? 0)],
    ];
    if (capture.cashFen) lines.push([t('ov_cash'), formatYuan(capture.cashFen)]);
    const review = answer.reviewFlags?.length ? t('ov_capture_review') : undefined;
    if (answer.hold === 'unmatched') {
      overlay.show({ kind: 'warning', code: 'CAPTURED_UNMATCHED', title: t('ov_captured_unmatched'), lines, message: [t('ov_captured_unmatched_hint'), review].filter(Boolean).join(' ') });
      return;
    }
    if (answer.hold === 'confirm') {
      const why = (answer.holdReasons ?? []).map((code) => holdReasonText(code)).join(' ');
      overlay.show({ kind: 'warning', code: 'CAPTURED_CONFIRM', title: t('ov_captured_confirm'), lines, message: [why, t('ov_captured_confirm_hint'), review].filter(Boolean).join(' ') });
      return;
    }
    overlay.show({
      kind: fresh ? 'success' : 'info',
      code: fresh ? (capture.kind === 'refund' ? 'REFUND_CAPTURED' : 'CAPTURED') : 'CAPTURED_AGAIN',
      title: fresh ? t(capture.kind === 'refund' ? 'ov_refund_captured' : 'ov_captured') : t('ov_captured_again'),
      lines,
      message: fresh ? [t('ov_captured_hint'), review].filter(Boolean).join(' ') : undefined,
    });
  };

  /** After a reload (or in a new page of this portal): what this tab sent and the background has not stored yet. */
  const resendPending = async (): Promise<void> => {
    const open = await sendToBackground({ type: 'capture.unconfirmed' }).catch(() => null);
    for (const pending of open?.captures ?? []) {
      overlay.show({ kind: 'warning', code: 'CAPTURE_UNKNOWN', title: t('ov_capture_unknown'), message: t('ov_capture_unknown_hint') });
      void deliver(pending, true);
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
  // each frame of the portal would find them: the top frame alone sends them again
  if (doc.defaultView === doc.defaultView?.top) void resendPending();
}

function holdReasonText(code: string): string {
  switch (code) {
    case 'ORDER_DIFFERS':
      return t('ov_hold_ORDER_DIFFERS');
    case 'AMOUNT_DIFFERS':
      return t('ov_hold_AMOUNT_DIFFERS');
    case 'AMOUNT_NOT_CHECKED':
      return t('ov_hold_AMOUNT_NOT_CHECKED');
    default:
      return t('ov_hold_OTHER');
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
