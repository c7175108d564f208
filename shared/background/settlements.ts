import type { Capture } from '@/shared/messages';
import type { PortalId } from '@/providers/origins';
import type { Settlement, TenderBridgeDb } from '@/shared/db';
import type { AuditLog } from '@/shared/audit';
import { storeDay, storeIso } from '@/shared/time';

/**
 * Settlements captured on the portals. A settlement is written (and audited) before the page is
 * told, and the unique index [portal+vendorOrderNo+kind] makes a success shown twice (re-render,
 * reload, back button) land on the settlement already stored.
 */
export type CaptureAnswer =
  | { stored: 'new' | 'duplicate'; settlementId: string; orderNo: string; amountFen: number }
  | { stored: 'failed-attempt'; settlementId: string; orderNo: string }
  | { stored: 'unknown-sale' };

export interface CaptureContext {
  db: TenderBridgeDb;
  audit: AuditLog;
  portal: PortalId;
  /** the Yingke order the cashier scanned on this tab, when the page does not show it */
  sessionOrderNo: string | undefined;
  now: number;
}

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

export async function captureSettlement(capture: Capture, ctx: CaptureContext): Promise<CaptureAnswer> {
  const { db, audit, portal, now } = ctx;
  capture = { ...capture, storeOrderNo: yingkeOrderNo(capture.storeOrderNo) };
  const capturedAt = storeIso(now);
  const settledAt = parseSettledAt(capture.settledAt, now);

  if (capture.outcome === 'failed') {
    const id = crypto.randomUUID();
    const orderNo = capture.storeOrderNo ?? ctx.sessionOrderNo ?? '';
    const failed: Settlement = {
      id,
      kind: capture.kind,
      status: 'failed',
      portal,
      orderNo,
      // failed attempts carry no vendor number; keep the unique index unique
      vendorOrderNo: capture.vendorOrderNo ?? `failed:${id}`,
      amountFen: capture.cardFen ?? capture.totalFen ?? 0,
      cashFen: capture.cashFen ?? 0,
      cardMasked: capture.cardMasked,
      settledAt,
      day: storeDay(now),
      capturedAt,
    };
    await db.settlements.add(failed);
    await audit.append({ type: 'settlement.failed', portal, orderNo, code: capture.rule, detail: { settlementId: id } });
    return { stored: 'failed-attempt', settlementId: id, orderNo };
  }

  const vendorOrderNo = capture.vendorOrderNo;
  if (!vendorOrderNo) throw new Error('a successful settlement needs the vendor transaction number');
  const existing = await db.settlements.where('[portal+vendorOrderNo+kind]').equals([portal, vendorOrderNo, capture.kind]).first();
  if (existing) {
    await audit.append({ type: 'settlement.seen-again', portal, orderNo: existing.orderNo, detail: { settlementId: existing.id, vendorOrderNo } });
    return { stored: 'duplicate', settlementId: existing.id, orderNo: existing.orderNo, amountFen: existing.amountFen };
  }

  let settlement: Settlement;
  if (capture.kind === 'refund') {
    const sale = capture.originalVendorOrderNo
      ? await db.settlements.where('[portal+vendorOrderNo+kind]').equals([portal, capture.originalVendorOrderNo, 'sale']).first()
      : undefined;
    if (!sale) {
      await audit.append({ type: 'refund.unknown-sale', portal, code: capture.rule, detail: { vendorOrderNo, originalVendorOrderNo: capture.originalVendorOrderNo ?? null } });
      return { stored: 'unknown-sale' };
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
    };
  } else {
    const cashFen = capture.cashFen ?? 0;
    const amountFen = capture.cardFen ?? (capture.totalFen ?? 0) - cashFen;
    settlement = {
      id: crypto.randomUUID(),
      kind: 'sale',
      status: 'success',
      portal,
      orderNo: capture.storeOrderNo ?? ctx.sessionOrderNo ?? '',
      vendorOrderNo,
      amountFen,
      cashFen,
      cardMasked: capture.cardMasked,
      settledAt,
      day: storeDay(now),
      capturedAt,
    };
  }
  try {
    await db.settlements.add(settlement);
  } catch (error) {
    // Two frames (or two tabs) reported the same success at once: the index kept one.
    const winner = await db.settlements.where('[portal+vendorOrderNo+kind]').equals([portal, vendorOrderNo, capture.kind]).first();
    if (!winner) throw error;
    return { stored: 'duplicate', settlementId: winner.id, orderNo: winner.orderNo, amountFen: winner.amountFen };
  }
  await audit.append({
    type: capture.kind === 'refund' ? 'refund.captured' : 'settlement.captured',
    portal,
    orderNo: settlement.orderNo,
    code: capture.rule,
    detail: {
      settlementId: settlement.id,
      vendorOrderNo,
      amountFen: settlement.amountFen,
      cashFen: settlement.cashFen,
      cardMasked: settlement.cardMasked ?? null,
      refundOf: settlement.refundOf ?? null,
    },
  });
  return { stored: 'new', settlementId: settlement.id, orderNo: settlement.orderNo, amountFen: settlement.amountFen };
}
