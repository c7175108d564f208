import { parseTicket, type Ticket } from '@/shared/ticket';
import { sendToBackground } from '@/shared/message-send';
import type { ScanVerdict } from '@/shared/messages';
import { formatYuan } from '@/shared/core/money';
import { isCardShapedOrderNo } from '@/shared/core/mask';
import { t, type MessageKey } from '@/shared/i18n';
import { listenForScans } from './keyboard-wedge';
import type { Overlay } from './overlay';

/**
 * Ticket scanning on a portal page: the gun's scan is taken by the keyboard wedge, checked by
 * the background (parse, store, age, limits, already-settled; audited there), and shown in the
 * overlay. `onTicketReady` is where filling starts, once every check has passed or the cashier
 * has explicitly said to go on.
 */
export interface ScanFeatureOptions {
  signal: AbortSignal;
  overlay: Overlay;
  onTicketReady?: (ticket: Ticket, scanId: string) => void;
}

/**
 * Ours: a ticket, well formed or not. Anything else belongs to the page — a card or ID number
 * (digits only, never a ticket), and a card number behind a letter prefix that happens to fit the
 * bare-order syntax (isCardShapedOrderNo): none of them leaves this content script.
 */
export function isTicketCandidate(text: string): boolean {
  const result = parseTicket(text);
  if (result.ok) return !(result.ticket.kind === 'order' && isCardShapedOrderNo(result.ticket.orderNo));
  return result.error !== 'NOT_A_TICKET';
}

/** `handleScan` is what a gun scan reaches; scans read elsewhere (the popup's camera) reuse it. */
export function startScanFeature({ signal, overlay, onTicketReady }: ScanFeatureOptions): { handleScan: (text: string) => void } {
  const handleScan = async (text: string): Promise<void> => {
    overlay.show({ kind: 'busy', title: t('ov_busy') });
    let verdict: ScanVerdict;
    try {
      verdict = await sendToBackground({ type: 'scan.submit', text });
    } catch {
      overlay.show({ kind: 'error', code: 'NO_BACKGROUND', title: t('ov_err_NO_BACKGROUND') });
      return;
    }
    if (signal.aborted) return;
    if (!verdict.ok) {
      const detail = Object.values(verdict.detail)[0] ?? '';
      overlay.show({
        kind: 'error',
        code: verdict.code,
        title: t(`ov_err_${verdict.code}` as MessageKey, detail),
        message: t('ov_nothing_filled'),
      });
      return;
    }
    if (verdict.attachTo) {
      await attach(verdict, verdict.attachTo, overlay);
      return;
    }
    await confirmThenProceed(verdict, overlay, (ticket) => onTicketReady?.(ticket, verdict.scanId));
  };

  listenForScans({ signal, isTicketCandidate, onScan: (text) => void handleScan(text) });
  return { handleScan: (text) => void handleScan(text) };
}

function ticketLines(ticket: Ticket): Array<readonly [string, string]> {
  const lines: Array<readonly [string, string]> = [[t('ov_order_no'), ticket.orderNo]];
  if (ticket.kind === 'full') {
    lines.push([t('ov_line_count'), String(ticket.items.length)], [t('ov_total'), formatYuan(ticket.totalFen)]);
  }
  return lines;
}

/** Shows the ticket; asks the cashier first when it is stale or the order was already paid. */
async function confirmThenProceed(
  verdict: Extract<ScanVerdict, { ok: true }>,
  overlay: Overlay,
  proceed: (ticket: Ticket) => void,
): Promise<void> {
  const { ticket } = verdict;
  const lines = ticketLines(ticket);
  const orderOnly = ticket.kind === 'order' ? t('ov_order_only') : undefined;

  const questions: Array<{ reason: 'stale' | 'already-settled'; code: string; message: string; proceedLabel: string }> = [];
  if (verdict.alreadySettled) {
    const { vendorOrderNo, amountFen } = verdict.alreadySettled;
    questions.push({
      reason: 'already-settled',
      code: 'ALREADY_SETTLED',
      message: t('ov_already_settled', [vendorOrderNo, formatYuan(amountFen)]),
      proceedLabel: t('ov_proceed_again'),
    });
  }
  if (verdict.stale && ticket.kind === 'full') {
    const hours = String(Math.floor((Date.now() - Date.parse(ticket.issuedAt)) / 3_600_000));
    questions.push({ reason: 'stale', code: 'STALE_TICKET', message: t('ov_stale', hours), proceedLabel: t('ov_proceed') });
  }

  for (const question of questions) {
    const goOn = await new Promise<boolean>((resolve) => {
      overlay.show({
        kind: 'warning',
        code: question.code,
        title: t('ov_ticket_read'),
        lines,
        message: question.message,
        actions: [
          { label: question.proceedLabel, primary: question.reason === 'stale', onClick: () => resolve(true) },
          { label: t('ov_cancel'), primary: question.reason !== 'stale', onClick: () => resolve(false) },
        ],
      });
    });
    await sendToBackground({
      type: 'scan.decide',
      scanId: verdict.scanId,
      reason: question.reason,
      decision: goOn ? 'proceed' : 'cancel',
    }).catch(() => undefined);
    if (!goOn) {
      overlay.show({ kind: 'info', code: 'CANCELLED', title: t('ov_cancelled'), lines });
      return;
    }
  }

  overlay.show({ kind: 'success', code: 'TICKET_READ', title: t('ov_ticket_read'), lines, message: orderOnly });
  proceed(ticket);
}

/**
 * A settlement was captured in this tab with no fill in progress: the ticket scanned now is
 * the one it belongs to (the background checked the scan as it checks any scan; the attach
 * checks the total, the store and that the order has no other sale). Nothing is filled.
 */
async function attach(
  verdict: Extract<ScanVerdict, { ok: true }>,
  waiting: NonNullable<Extract<ScanVerdict, { ok: true }>['attachTo']>,
  overlay: Overlay,
): Promise<void> {
  const lines: Array<readonly [string, string]> = [
    [t('ov_order_no'), verdict.ticket.orderNo],
    [t('ov_vendor_no'), waiting.vendorOrderNo],
    [t('ov_amount'), formatYuan(waiting.amountFen)],
  ];
  if (waiting.cashFen) lines.push([t('ov_cash'), formatYuan(waiting.cashFen)]);
  let answer;
  try {
    answer = await sendToBackground({ type: 'settlement.attach', scanId: verdict.scanId, settlementId: waiting.settlementId, ticket: verdict.ticket });
  } catch {
    overlay.show({ kind: 'error', code: 'ATTACH_ERROR', title: t('ov_attach_refused'), lines, message: t('ov_attach_OTHER') });
    return;
  }
  if (!answer.attached) {
    const why: Record<string, MessageKey> = {
      AMOUNT_DIFFERS: 'ov_attach_AMOUNT_DIFFERS',
      WRONG_STORE: 'ov_attach_WRONG_STORE',
      ALREADY_SETTLED: 'ov_attach_ALREADY_SETTLED',
      NOT_UNMATCHED: 'ov_attach_NOT_UNMATCHED',
    };
    const code = answer.code && why[answer.code] ? answer.code : 'OTHER';
    overlay.show({ kind: 'error', code: `ATTACH_${code}`, title: t('ov_attach_refused'), lines, message: t(why[code] ?? 'ov_attach_OTHER') });
    return;
  }
  if (answer.hold === 'confirm') {
    overlay.show({ kind: 'warning', code: 'ATTACHED_CONFIRM', title: t('ov_attached'), lines, message: `${t('ov_hold_AMOUNT_NOT_CHECKED')} ${t('ov_captured_confirm_hint')}` });
    return;
  }
  overlay.show({ kind: 'success', code: 'ATTACHED', title: t('ov_attached'), lines, message: t('ov_attached_hint') });
}
