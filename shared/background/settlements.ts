import type { Capture } from '@/shared/engine/capture-schema';
import type { Ticket } from '@/shared/ticket';
import type { PortalId } from '@/providers/registry';
import type { Settlement, TenderBridgeDb } from '@/shared/db';
import type { AuditLog } from '@/shared/audit';
import { storeDay, storeIso } from '@/shared/time';

/**
 * Settlements captured on the portals. A settlement is written before the page is told (and
 * audited right after), and the unique index [portal+vendorOrderNo+kind] makes a success shown
 * twice (re-render, reload, back button, a capture sent again) land on the settlement already
 * stored.
 */
export type CaptureAnswer =
  | { stored: 'new' | 'duplicate'; settlementId: string; orderNo: string; amountFen: number; hold?: SettlementHold; holdReasons?: string[]; reviewFlags?: string[] }
  | { stored: 'failed-attempt'; settlementId: string; orderNo: string }
  | { stored: 'unknown-sale' };

type SettlementHold = NonNullable<Settlement['hold']>;

export interface CaptureContext {
  db: TenderBridgeDb;
  audit: AuditLog;
  portal: PortalId;
  /**
   * The ticket of the fill in progress on this tab (within its time window), if any. A sale
   * is attributed to a Yingke order only through it: no fill → an 'unmatched' settlement.
   */
  sessionTicket?: Ticket;
  /**
   * An order known to be this sale's with nothing to compare (callers that attribute the sale
   * themselves, e.g. unit tests of the outbox): no hold. The background passes `sessionTicket`.
   */
  sessionOrderNo?: string;
  /** made once per result seen by the content script: a capture sent again is stored once */
  captureId?: string;
  /** fields cut or dropped on the way (shared/capture-fields.ts) */
  reviewFlags?: string[];
  /**
   * The page sent this very capture before and it was still journaled as unconfirmed: an earlier
   * worker may have committed it and died before its audit entry (see the duplicate path).
   */
  resent?: boolean;
  now: number;
}

/**
 * The answer is what the cashier is told; `after` is what follows the durable write (the audit
 * entry): it runs after the answer, so a failing extra never turns "stored" into an error for
 * a settlement that is stored (and would then be recorded by hand a second time).
 */
export interface CaptureOutcome {
  answer: CaptureAnswer;
  after: () => Promise<void>;
  /** a sale of the fill in progress was stored: that fill is used up */
  usedSession: boolean;
}

const nothingAfter = async (): Promise<void> => undefined;

function parseSettledAt(text: string | undefined, now: number): string {
  // Portals print local time ("2025-03-28 10:15:00"); store it with the +08:00 offset.
  const match = text && /^(\d{4})[-/.](\d{2})[-/.](\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?/.exec(text.trim());
  if (match) return `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6] ?? '00'}+08:00`;
  return storeIso(now);
}

/** What the page shows as the store order number counts only if it looks like a Yingke one ("—" does not). */
function yingkeOrderNo(shown: string | undefined): string | undefined {
  return shown && /^[A-Z0-9]{4,32}$/.test(shown) ? shown : undefined;
}

/** Compares the captured sale with the ticket of its fill: what differs needs the cashier's yes. */
export function matchTicket(capture: Capture, ticket: Ticket): string[] {
  const reasons: string[] = [];
  if (capture.storeOrderNo && capture.storeOrderNo !== ticket.orderNo) reasons.push('ORDER_DIFFERS');
  if (ticket.kind === 'full') {
    const paid = capture.totalFen ?? (capture.cardFen !== undefined ? capture.cardFen + (capture.cashFen ?? 0) : undefined);
    if (paid === undefined) reasons.push('AMOUNT_UNREADABLE');
    else if (paid !== ticket.totalFen) reasons.push('AMOUNT_DIFFERS');
  } else {
    // a bare order number the bridge could not look up: there is no total to compare with
    reasons.push('AMOUNT_NOT_CHECKED');
  }
  return reasons;
}

/** Stores the capture and runs its extras before answering (for callers with no page waiting). */
export async function captureSettlement(capture: Capture, ctx: CaptureContext): Promise<CaptureAnswer> {
  const outcome = await storeCapture(capture, ctx);
  await outcome.after();
  return outcome.answer;
}

/** Stores the capture; the caller answers the page, then runs `after`. */
export async function storeCapture(capture: Capture, ctx: CaptureContext): Promise<CaptureOutcome> {
  const { db, audit, portal, now } = ctx;
  const captureId = ctx.captureId ?? crypto.randomUUID();
  const shownOrderNo = yingkeOrderNo(capture.storeOrderNo);
  capture = { ...capture, storeOrderNo: shownOrderNo };
  const capturedAt = storeIso(now);
  const settledAt = parseSettledAt(capture.settledAt, now);
  const reviewFlags = ctx.reviewFlags?.length ? [...ctx.reviewFlags] : undefined;

  if (capture.outcome === 'failed') {
    // keyed by the capture, so the same failure sent again (no answer came back) is one row
    const vendorOrderNo = capture.vendorOrderNo ?? `failed:${captureId}`;
    const existing = await db.settlements.where('[portal+vendorOrderNo+kind]').equals([portal, vendorOrderNo, capture.kind]).first();
    if (existing) return { answer: { stored: 'failed-attempt', settlementId: existing.id, orderNo: existing.orderNo }, after: nothingAfter, usedSession: false };
    const id = crypto.randomUUID();
    const orderNo = ctx.sessionTicket?.orderNo ?? ctx.sessionOrderNo ?? shownOrderNo ?? '';
    const failed: Settlement = {
      id,
      kind: capture.kind,
      status: 'failed',
      portal,
      orderNo,
      vendorOrderNo,
      amountFen: capture.cardFen ?? capture.totalFen ?? 0,
      cashFen: capture.cashFen ?? 0,
      cardMasked: capture.cardMasked,
      settledAt,
      day: storeDay(now),
      capturedAt,
      ...(reviewFlags ? { reviewFlags } : {}),
    };
    try {
      await db.settlements.add(failed);
    } catch (error) {
      const winner = await db.settlements.where('[portal+vendorOrderNo+kind]').equals([portal, vendorOrderNo, capture.kind]).first();
      if (!winner) throw error;
      return { answer: { stored: 'failed-attempt', settlementId: winner.id, orderNo: winner.orderNo }, after: nothingAfter, usedSession: false };
    }
    return {
      answer: { stored: 'failed-attempt', settlementId: id, orderNo },
      after: async () => void (await audit.append({ type: 'settlement.failed', portal, orderNo, code: capture.rule, detail: { settlementId: id } })),
      usedSession: false,
    };
  }

  // A success whose vendor number could not be read is still a payment: store it under the
  // capture's own key and hold it for the cashier to confirm.
  const unreadableVendorNo = !capture.vendorOrderNo;
  const vendorOrderNo = capture.vendorOrderNo ?? `unread:${captureId}`;
  const existing = await db.settlements.where('[portal+vendorOrderNo+kind]').equals([portal, vendorOrderNo, capture.kind]).first();
  if (existing) {
    return {
      answer: duplicateAnswer(existing),
      after: async () => {
        // the worker that stored it died before writing its entry: the trail gets it now, once
        if (ctx.resent && !(await hasCapturedEntry(db, existing))) {
          await appendCaptured(audit, existing, capture, captureId, true);
          return;
        }
        await audit.append({ type: 'settlement.seen-again', portal, orderNo: existing.orderNo, detail: { settlementId: existing.id, vendorOrderNo } });
      },
      usedSession: false,
    };
  }

  let settlement: Settlement;
  if (capture.kind === 'refund') {
    const sale = capture.originalVendorOrderNo
      ? await db.settlements.where('[portal+vendorOrderNo+kind]').equals([portal, capture.originalVendorOrderNo, 'sale']).first()
      : undefined;
    if (!sale) {
      await audit.append({ type: 'refund.unknown-sale', portal, code: capture.rule, detail: { vendorOrderNo, originalVendorOrderNo: capture.originalVendorOrderNo ?? null } });
      return { answer: { stored: 'unknown-sale' }, after: nothingAfter, usedSession: false };
    }
    settlement = {
      id: crypto.randomUUID(),
      kind: 'refund',
      status: 'success',
      portal,
      orderNo: sale.orderNo,
      vendorOrderNo,
      amountFen: capture.cardFen ?? (capture.totalFen !== undefined ? capture.totalFen - (capture.cashFen ?? sale.cashFen) : sale.amountFen),
      cashFen: capture.cashFen ?? sale.cashFen,
      cardMasked: sale.cardMasked,
      settledAt,
      day: storeDay(now),
      refundOf: sale.id,
      capturedAt,
      ...(reviewFlags ? { reviewFlags } : {}),
    };
    if (unreadableVendorNo) Object.assign(settlement, { hold: 'confirm', holdReasons: ['VENDOR_NO_UNREADABLE'] });
  } else {
    const cashFen = capture.cashFen ?? 0;
    const amountFen = capture.cardFen ?? Math.max(0, (capture.totalFen ?? 0) - cashFen);
    const ticket = ctx.sessionTicket;
    let hold: SettlementHold | undefined;
    const holdReasons: string[] = [];
    if (!ticket && ctx.sessionOrderNo) {
      // attributed by the caller
    } else if (!ticket) {
      // no fill in progress in this tab: whose sale this is, only the cashier's scan can say
      hold = 'unmatched';
      holdReasons.push('NO_FILL_IN_PROGRESS');
    } else {
      holdReasons.push(...matchTicket(capture, ticket));
      if (holdReasons.length) hold = 'confirm';
    }
    if (unreadableVendorNo) {
      holdReasons.push('VENDOR_NO_UNREADABLE');
      hold ??= 'confirm';
    }
    if (capture.cardFen === undefined && capture.totalFen === undefined && !holdReasons.includes('AMOUNT_UNREADABLE')) {
      holdReasons.push('AMOUNT_UNREADABLE');
      hold ??= 'confirm';
    }
    settlement = {
      id: crypto.randomUUID(),
      kind: 'sale',
      status: 'success',
      portal,
      orderNo: ticket?.orderNo ?? ctx.sessionOrderNo ?? '',
      vendorOrderNo,
      amountFen,
      cashFen,
      cardMasked: capture.cardMasked,
      settledAt,
      day: storeDay(now),
      capturedAt,
      ...(hold ? { hold, holdReasons } : {}),
      ...(reviewFlags ? { reviewFlags } : {}),
    };
  }
  try {
    await db.settlements.add(settlement);
  } catch (error) {
    // Two frames (or two tabs) reported the same success at once: the index kept one.
    const winner = await db.settlements.where('[portal+vendorOrderNo+kind]').equals([portal, vendorOrderNo, capture.kind]).first();
    if (!winner) throw error;
    return { answer: duplicateAnswer(winner), after: nothingAfter, usedSession: false };
  }
  const stored = settlement;
  return {
    answer: {
      stored: 'new',
      settlementId: stored.id,
      orderNo: stored.orderNo,
      amountFen: stored.amountFen,
      ...(stored.hold ? { hold: stored.hold, holdReasons: stored.holdReasons } : {}),
      ...(stored.reviewFlags ? { reviewFlags: stored.reviewFlags } : {}),
    },
    after: async () => void (await appendCaptured(audit, stored, capture, captureId, false)),
    usedSession: capture.kind === 'sale' && ctx.sessionTicket !== undefined,
  };
}

const capturedType = (kind: Settlement['kind']): 'refund.captured' | 'settlement.captured' => (kind === 'refund' ? 'refund.captured' : 'settlement.captured');

async function appendCaptured(audit: AuditLog, stored: Settlement, capture: Capture, captureId: string, recovered: boolean): Promise<void> {
  await audit.append({
    type: capturedType(stored.kind),
    portal: stored.portal,
    orderNo: stored.orderNo,
    code: capture.rule,
    detail: {
      settlementId: stored.id,
      vendorOrderNo: stored.vendorOrderNo,
      amountFen: stored.amountFen,
      cashFen: stored.cashFen,
      cardMasked: stored.cardMasked ?? null,
      refundOf: stored.refundOf ?? null,
      hold: stored.hold ?? null,
      holdReasons: stored.holdReasons?.join(',') ?? null,
      reviewFlags: stored.reviewFlags?.join(',') ?? null,
      captureId,
      // written when the same capture came again, after the worker that stored it died
      ...(recovered ? { recovered: true } : {}),
    },
  });
}

/** Whether the trail holds the captured entry of this settlement (read by its day: only on a re-send). */
async function hasCapturedEntry(db: TenderBridgeDb, stored: Settlement): Promise<boolean> {
  const type = capturedType(stored.kind);
  const found = await db.audit
    .where('day')
    .aboveOrEqual(stored.day)
    .filter((e) => e.type === type && e.detail.settlementId === stored.id)
    .first();
  return found !== undefined;
}

function duplicateAnswer(existing: Settlement): CaptureAnswer {
  return {
    stored: 'duplicate',
    settlementId: existing.id,
    orderNo: existing.orderNo,
    amountFen: existing.amountFen,
    ...(existing.hold ? { hold: existing.hold, holdReasons: existing.holdReasons } : {}),
  };
}

export type AttachAnswer = { attached: true; orderNo: string; amountFen: number; hold?: SettlementHold } | { attached: false; code: string };

/**
 * Ties an 'unmatched' settlement to the ticket the cashier scanned for it. The scan itself has
 * passed the same checks as a scan before a fill (scan-checks.ts); here: the same portal, the
 * ticket's total against what was paid, and no other sale for that order already.
 */
export async function attachSettlement(args: {
  db: TenderBridgeDb;
  audit: AuditLog;
  portal: PortalId;
  storeCode: string;
  settlementId: string;
  ticket: Ticket;
  scanId: string;
}): Promise<AttachAnswer> {
  const { db, audit, portal, ticket } = args;
  const refuse = async (code: string): Promise<AttachAnswer> => {
    await audit.append({ type: 'settlement.attach-refused', portal, orderNo: ticket.orderNo, code, detail: { settlementId: args.settlementId, scanId: args.scanId } });
    return { attached: false, code };
  };
  const settlement = await db.settlements.get(args.settlementId);
  if (!settlement || settlement.hold !== 'unmatched' || settlement.portal !== portal || settlement.kind !== 'sale' || settlement.status !== 'success') {
    return refuse('NOT_UNMATCHED');
  }
  if (ticket.kind === 'full' && ticket.store !== args.storeCode) return refuse('WRONG_STORE');
  if (ticket.kind === 'full' && ticket.totalFen !== settlement.amountFen + settlement.cashFen) return refuse('AMOUNT_DIFFERS');
  const others = await db.settlements.where('orderNo').equals(ticket.orderNo).toArray();
  const refunded = new Set(others.filter((s) => s.kind === 'refund' && s.status === 'success').map((s) => s.refundOf));
  if (others.some((s) => s.id !== settlement.id && s.kind === 'sale' && s.status === 'success' && !refunded.has(s.id))) return refuse('ALREADY_SETTLED');
  // a bare order number the bridge could not look up leaves the amount unchecked: the cashier confirms it
  const hold: SettlementHold | undefined = ticket.kind === 'full' ? undefined : 'confirm';
  const changed = await db.transaction('rw', db.settlements, async () => {
    const current = await db.settlements.get(settlement.id);
    if (current?.hold !== 'unmatched') return false;
    await db.settlements
      .where('id')
      .equals(settlement.id)
      .modify((row) => {
        row.orderNo = ticket.orderNo;
        if (hold) {
          row.hold = hold;
          row.holdReasons = ['AMOUNT_NOT_CHECKED'];
        } else {
          delete row.hold;
          delete row.holdReasons;
        }
      });
    return true;
  });
  if (!changed) return refuse('NOT_UNMATCHED');
  await audit.append({
    type: 'settlement.attached',
    portal,
    orderNo: ticket.orderNo,
    detail: { settlementId: settlement.id, scanId: args.scanId, vendorOrderNo: settlement.vendorOrderNo, form: ticket.kind, hold: hold ?? null },
  });
  return { attached: true, orderNo: ticket.orderNo, amountFen: settlement.amountFen, ...(hold ? { hold } : {}) };
}
