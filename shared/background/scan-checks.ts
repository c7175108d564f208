import { issuedAtMs, parseTicket, type FullTicket, type Ticket } from '@/shared/ticket';
import { FullTicketSchema } from '@/shared/ticket-schema';
import { createBridgeClient } from '@/shared/bridge';
import type { ScanVerdict } from '@/shared/messages';
import type { Settings } from '@/shared/settings';
import type { PortalId } from '@/providers/registry';
import type { TenderBridgeDb } from '@/shared/db';
import type { AuditInput } from '@/shared/audit';
import { isCardShapedOrderNo, maskScanText } from '@/shared/core/mask';
import { formatYuan } from '@/shared/core/money';
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
  /**
   * The goods and total of a bare order number (the Yingke bridge). A bare number found there
   * becomes the full ticket and goes through every check a scanned full ticket goes through.
   */
  lookUp?: (orderNo: string) => Promise<TicketLookup>;
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
  // our content script never sends these (scan-feature's isTicketCandidate); anything else that
  // does gets the card refused and kept masked — never an order number on the trail in clear
  if (parsed.ticket.kind === 'order' && isCardShapedOrderNo(parsed.ticket.orderNo)) return refuse('NOT_A_TICKET');
  let ticket: Ticket = parsed.ticket;
  let lookup: TicketLookup['reason'] | null = null;
  if (ticket.kind === 'order' && args.lookUp && settings.portals[portal].enabled && settings.storeCode) {
    const found = await args.lookUp(ticket.orderNo);
    lookup = found.reason;
    if (found.ticket && found.ticket.orderNo === ticket.orderNo) ticket = found.ticket;
  }
  const portalSettings = settings.portals[portal];
  // From here on a full ticket and a bare number looked up are one case: the same checks.
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
        form: parsed.ticket.kind === ticket.kind ? ticket.kind : `${parsed.ticket.kind}>${ticket.kind}`,
        lookup,
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

export type TicketLookup = { ticket: FullTicket | null; reason: 'found' | 'not-found' | 'no-bridge' | 'unreachable' };

/** A bare order number's ticket from the Yingke bridge (GET /api/v1/tickets/{orderNo}). */
export async function lookUpTicket(settings: Settings, orderNo: string): Promise<TicketLookup> {
  if (!settings.bridge.baseUrl) return { ticket: null, reason: 'no-bridge' };
  try {
    const client = createBridgeClient({ baseUrl: settings.bridge.baseUrl, storeCode: settings.storeCode, secret: settings.bridge.secret });
    const found = await client.getTicket(orderNo);
    if (!found) return { ticket: null, reason: 'not-found' };
    const ticket = FullTicketSchema.safeParse({ kind: 'full', store: found.store, orderNo: found.orderNo, issuedAt: found.issuedAt, totalFen: found.totalFen, items: found.items.map(({ code, qty, unitFen }) => ({ code, qty, unitFen })) });
    return ticket.success ? { ticket: ticket.data, reason: 'found' } : { ticket: null, reason: 'not-found' };
  } catch {
    return { ticket: null, reason: 'unreachable' };
  }
}
