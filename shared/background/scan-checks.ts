import { issuedAtMs, parseTicket, type FullTicket } from '@/shared/ticket';
import type { ScanVerdict } from '@/shared/messages';
import type { Settings } from '@/shared/settings';
import type { PortalId } from '@/providers/origins';
import type { TenderBridgeDb } from '@/shared/db';
import type { AuditInput } from '@/shared/audit';
import { maskScanText } from '@/shared/mask';
import { formatYuan } from '@/shared/money';
import { storeDay } from '@/shared/time';

/**
 * Everything the background decides about a scan: the format (ticket spec), then the business
 * checks after parsing — another store's ticket, the per-portal limits, a stale ticket (warn),
 * an order that already has a settlement (ask). Returns the verdict and the audit entry for it.
 */
export async function checkScan(args: {
  text: string;
  portal: PortalId;
  settings: Settings;
  db: TenderBridgeDb;
  now: number;
  scanId: string;
}): Promise<{ verdict: ScanVerdict; audit: AuditInput }> {
  const { text, portal, settings, db, now, scanId } = args;
  const parsed = parseTicket(text);
  const refuse = (code: Extract<ScanVerdict, { ok: false }>['code'], detail: Record<string, string> = {}, orderNo?: string) => ({
    verdict: { ok: false as const, scanId, code, detail },
    audit: {
      type: 'scan.refused',
      portal,
      code,
      orderNo,
      // A refused scan may be anything (a customer's pay code scanned by mistake): keep it masked.
      detail: { scanId, length: text.length, excerpt: maskScanText(text), ...detail },
    },
  });

  if (!parsed.ok) return refuse(parsed.error);
  const ticket = parsed.ticket;
  const portalSettings = settings.portals[portal];
  if (!portalSettings.enabled) return refuse('PORTAL_DISABLED', {}, ticket.orderNo);
  if (!settings.storeCode) return refuse('STORE_NOT_CONFIGURED', {}, ticket.orderNo);
  if (ticket.kind === 'full' && ticket.store !== settings.storeCode) {
    return refuse('WRONG_STORE', { store: ticket.store }, ticket.orderNo);
  }
  if (ticket.kind === 'full') {
    const broken = await brokenLimit(ticket, portal, portalSettings.limits, db, now);
    if (broken) return refuse('LIMIT_EXCEEDED', { limit: broken }, ticket.orderNo);
  }

  const stale = ticket.kind === 'full' && now - issuedAtMs(ticket) > settings.maxTicketAgeHours * 3_600_000;
  const previous = await unrefundedSale(db, ticket.orderNo);
  const alreadySettled = previous
    ? { vendorOrderNo: previous.vendorOrderNo, amountFen: previous.amountFen, settledAt: previous.settledAt }
    : null;
  return {
    verdict: { ok: true, scanId, ticket, stale, alreadySettled },
    audit: {
      type: 'scan.accepted',
      portal,
      orderNo: ticket.orderNo,
      detail: {
        scanId,
        form: ticket.kind,
        lines: ticket.kind === 'full' ? ticket.items.length : null,
        totalFen: ticket.kind === 'full' ? ticket.totalFen : null,
        stale,
        alreadySettled: previous?.id ?? null,
      },
    },
  };
}

/** The sale for this order that has not been refunded, if any. */
async function unrefundedSale(db: TenderBridgeDb, orderNo: string) {
  const settlements = await db.settlements.where('orderNo').equals(orderNo).toArray();
  const refunded = new Set(settlements.filter((s) => s.kind === 'refund' && s.status === 'success').map((s) => s.refundOf));
  return settlements.find((s) => s.kind === 'sale' && s.status === 'success' && !refunded.has(s.id));
}

async function brokenLimit(
  ticket: FullTicket,
  portal: PortalId,
  limits: Settings['portals'][PortalId]['limits'],
  db: TenderBridgeDb,
  now: number,
): Promise<string | null> {
  if (limits.maxOrderFen !== undefined && ticket.totalFen > limits.maxOrderFen) {
    return `≤ ${formatYuan(limits.maxOrderFen)}`;
  }
  if (limits.maxItemQty !== undefined && ticket.items.some((item) => item.qty > limits.maxItemQty!)) {
    return `qty ≤ ${limits.maxItemQty}`;
  }
  if (limits.maxUnitFen !== undefined && ticket.items.some((item) => item.unitFen > limits.maxUnitFen!)) {
    return `≤ ${formatYuan(limits.maxUnitFen)}`;
  }
  if (limits.maxOrdersPerDay !== undefined) {
    const today = storeDay(now);
    const count = await db.settlements
      .where('day')
      .equals(today)
      .filter((s) => s.portal === portal && s.kind === 'sale' && s.status === 'success')
      .count();
    if (count >= limits.maxOrdersPerDay) return `${limits.maxOrdersPerDay}/day`;
  }
  return null;
}
