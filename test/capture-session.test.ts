import { beforeEach, describe, expect, it } from 'vitest';
import { TenderBridgeDb } from '@/shared/db';
import { AuditLog } from '@/shared/audit';
import { attachSettlement, matchTicket, storeCapture } from '@/shared/background/settlements';
import { CAPTURE_WINDOW_MS, FillSessions, type SessionArea } from '@/shared/background/fill-session';
import { checkScan } from '@/shared/background/scan-checks';
import { defaultSettings, type Settings } from '@/shared/settings';
import { encodeTicket, type FullTicket } from '@/shared/ticket';
import { storeIso } from '@/shared/time';
import type { Capture } from '@/shared/engine/capture-schema';

/**
 * Issue 10: a settlement goes to a Yingke order only through the fill of its tab (one capture
 * per fill, within a window); what differs from the ticket is held for the cashier; a sale with
 * no fill is 'unmatched' until a scan attaches it; the answer comes before the extras.
 */
let db: TenderBridgeDb;
let audit: AuditLog;
let area: SessionArea;
let sessions: FillSessions;
const now = Date.parse('2025-03-28T02:16:00Z');

function memoryArea(): SessionArea {
  const map = new Map<string, unknown>();
  return {
    get: async (key) => (map.has(key) ? { [key]: map.get(key) } : {}),
    set: async (items) => void Object.entries(items).forEach(([k, v]) => map.set(k, v)),
    remove: async (key) => void map.delete(key),
  };
}

const ticket: FullTicket = {
  kind: 'full',
  store: 'S0012',
  orderNo: 'XS250328000123',
  issuedAt: '2025-03-28T10:10:00+08:00',
  totalFen: 2600,
  items: [{ code: '6923456789012', qty: 1, unitFen: 2600 }],
};
const sale = (over: Partial<Capture> = {}): Capture => ({ kind: 'sale', outcome: 'success', rule: 'ruyitong.sale', vendorOrderNo: 'RYT001', storeOrderNo: ticket.orderNo, totalFen: 2600, ...over });
const sender = { tabId: 7, portal: 'ruyitong' as const };

beforeEach(() => {
  db = new TenderBridgeDb(`capture-${crypto.randomUUID()}`);
  audit = new AuditLog(db, () => now);
  area = memoryArea();
  sessions = new FillSessions(area);
});

describe('matching a capture to its fill', () => {
  it('stores a matching sale on the ticket with no hold', async () => {
    const { answer } = await storeCapture(sale(), { db, audit, portal: 'ruyitong', sessionTicket: ticket, now });
    expect(answer).toMatchObject({ stored: 'new', orderNo: ticket.orderNo, amountFen: 2600 });
    expect(answer).not.toHaveProperty('hold');
  });

  it('holds for confirmation when the order number or the amount differs', async () => {
    expect(matchTicket(sale({ storeOrderNo: 'XS250328000999' }), ticket)).toEqual(['ORDER_DIFFERS']);
    expect(matchTicket(sale({ totalFen: 2500 }), ticket)).toEqual(['AMOUNT_DIFFERS']);
    expect(matchTicket(sale({ totalFen: undefined, cardFen: 2000, cashFen: 600 }), ticket)).toEqual([]);
    const { answer } = await storeCapture(sale({ totalFen: 2500 }), { db, audit, portal: 'ruyitong', sessionTicket: ticket, now });
    expect(answer).toMatchObject({ stored: 'new', hold: 'confirm', holdReasons: ['AMOUNT_DIFFERS'] });
    const stored = await db.settlements.toArray();
    expect(stored[0]).toMatchObject({ orderNo: ticket.orderNo, hold: 'confirm', holdReasons: ['AMOUNT_DIFFERS'] });
  });

  it('holds a bare-order fill (nothing to compare the amount with) for confirmation', async () => {
    const { answer } = await storeCapture(sale(), { db, audit, portal: 'ruyitong', sessionTicket: { kind: 'order', orderNo: ticket.orderNo }, now });
    expect(answer).toMatchObject({ hold: 'confirm', holdReasons: ['AMOUNT_NOT_CHECKED'] });
  });

  it('stores a sale with no fill in progress as unmatched, on no order', async () => {
    const { answer } = await storeCapture(sale(), { db, audit, portal: 'ruyitong', now });
    expect(answer).toMatchObject({ stored: 'new', hold: 'unmatched', orderNo: '' });
  });

  it('answers before the audit entry, so a failing extra cannot undo "stored"', async () => {
    const outcome = await storeCapture(sale(), { db, audit, portal: 'ruyitong', sessionTicket: ticket, now });
    expect(await db.settlements.count()).toBe(1);
    expect(await db.audit.where('type').equals('settlement.captured').count()).toBe(0);
    await outcome.after();
    expect(await db.audit.where('type').equals('settlement.captured').count()).toBe(1);
  });

  it('stores a capture sent again (same captureId, no answer the first time) once', async () => {
    const failed: Capture = { kind: 'sale', outcome: 'failed', rule: 'ruyitong.sale-failed' };
    const first = await storeCapture(failed, { db, audit, portal: 'ruyitong', captureId: 'cap-12345678', now });
    const again = await storeCapture(failed, { db, audit, portal: 'ruyitong', captureId: 'cap-12345678', now });
    expect(again.answer).toEqual(first.answer);
    const sold = await storeCapture(sale(), { db, audit, portal: 'ruyitong', sessionTicket: ticket, captureId: 'cap-abcdefgh', now });
    const soldAgain = await storeCapture(sale(), { db, audit, portal: 'ruyitong', captureId: 'cap-abcdefgh', now });
    expect(soldAgain.answer).toMatchObject({ stored: 'duplicate', settlementId: (sold.answer as { settlementId: string }).settlementId, orderNo: ticket.orderNo });
    expect(await db.settlements.count()).toBe(2);
  });

  it('stores a success with an unreadable vendor number, held, under the capture key', async () => {
    const { answer } = await storeCapture(sale({ vendorOrderNo: undefined }), { db, audit, portal: 'ruyitong', sessionTicket: ticket, captureId: 'cap-unread01', reviewFlags: ['FIELD_DROPPED:vendorOrderNo'], now });
    expect(answer).toMatchObject({ stored: 'new', hold: 'confirm', holdReasons: ['VENDOR_NO_UNREADABLE'], reviewFlags: ['FIELD_DROPPED:vendorOrderNo'] });
    expect((await db.settlements.toArray())[0]?.vendorOrderNo).toBe('unread:cap-unread01');
  });
});

describe('fill sessions', () => {
  it('expire after the capture window and are found for the opener tab of a receipt window', async () => {
    await sessions.start(7, { scanId: 's1', ticket, portal: 'ruyitong' }, now);
    expect((await sessions.forCapture(sender, now + 1000))?.session.ticket.orderNo).toBe(ticket.orderNo);
    expect((await sessions.forCapture({ tabId: 9, openerTabId: 7, portal: 'ruyitong' }, now + 1000))?.tabId).toBe(7);
    expect(await sessions.forCapture({ tabId: 7, portal: 'boming' }, now + 1000)).toBeUndefined();
    expect(await sessions.forCapture(sender, now + CAPTURE_WINDOW_MS + 1)).toBeUndefined();
    // and an expired one is gone for good
    expect(await sessions.get(7)).toBeUndefined();
  });

  it('a checkpoint (page load mid-fill) does not extend the capture window', async () => {
    await sessions.start(7, { scanId: 's1', ticket, portal: 'ruyitong' }, now);
    await sessions.update(7, { at: now + CAPTURE_WINDOW_MS - 10, resumeAt: 3 });
    expect(await sessions.forCapture(sender, now + CAPTURE_WINDOW_MS + 1)).toBeUndefined();
  });

  it('a new fill drops the unmatched settlement waiting for a scan', async () => {
    await sessions.setPendingAttach(7, { settlementId: 'x', portal: 'ruyitong', at: now });
    expect(await sessions.pendingAttach(7, 'ruyitong', now)).toBeDefined();
    await sessions.start(7, { scanId: 's1', ticket, portal: 'ruyitong' }, now);
    expect(await sessions.pendingAttach(7, 'ruyitong', now)).toBeUndefined();
  });
});

describe('attaching an unmatched settlement by a scan', () => {
  async function unmatched(over: Partial<Capture> = {}): Promise<string> {
    const { answer } = await storeCapture(sale(over), { db, audit, portal: 'ruyitong', now });
    if (answer.stored !== 'new') throw new Error(answer.stored);
    return answer.settlementId;
  }
  const attach = (settlementId: string, t: FullTicket | { kind: 'order'; orderNo: string }) =>
    attachSettlement({ db, audit, portal: 'ruyitong', storeCode: 'S0012', settlementId, ticket: t, scanId: 'scan-1' });

  it('attaches on a matching ticket, clears the hold and audits it', async () => {
    const id = await unmatched();
    expect(await attach(id, ticket)).toEqual({ attached: true, orderNo: ticket.orderNo, amountFen: 2600 });
    const row = await db.settlements.get(id);
    expect(row).toMatchObject({ orderNo: ticket.orderNo });
    expect(row?.hold).toBeUndefined();
    expect(await db.audit.where('type').equals('settlement.attached').count()).toBe(1);
    // attached once: a second scan does not move it
    expect(await attach(id, { ...ticket, orderNo: 'XS250328000777' })).toEqual({ attached: false, code: 'NOT_UNMATCHED' });
  });

  it('refuses another total, another store, and an order that already has a sale', async () => {
    const id = await unmatched();
    expect(await attach(id, { ...ticket, totalFen: 9900 })).toEqual({ attached: false, code: 'AMOUNT_DIFFERS' });
    expect(await attach(id, { ...ticket, store: 'S0099' })).toEqual({ attached: false, code: 'WRONG_STORE' });
    await storeCapture(sale({ vendorOrderNo: 'RYT777' }), { db, audit, portal: 'ruyitong', sessionTicket: ticket, now }).then((o) => o.after());
    expect(await attach(id, ticket)).toEqual({ attached: false, code: 'ALREADY_SETTLED' });
    expect(await db.audit.where('type').equals('settlement.attach-refused').count()).toBe(3);
    expect((await db.settlements.get(id))?.hold).toBe('unmatched');
  });

  it('a bare order number attaches but leaves the amount for the cashier to confirm', async () => {
    const id = await unmatched();
    expect(await attach(id, { kind: 'order', orderNo: ticket.orderNo })).toEqual({ attached: true, orderNo: ticket.orderNo, amountFen: 2600, hold: 'confirm' });
    expect(await db.settlements.get(id)).toMatchObject({ hold: 'confirm', holdReasons: ['AMOUNT_NOT_CHECKED'] });
  });
});

describe('bare order numbers get the checks of a full ticket', () => {
  let settings: Settings;
  beforeEach(() => {
    settings = defaultSettings();
    settings.storeCode = 'S0012';
  });
  const scan = (text: string, lookUp?: Parameters<typeof checkScan>[0]['lookUp']) =>
    checkScan({ text, portal: 'ruyitong', settings, db, now: Date.now(), scanId: 'scan-1', lookUp });
  const fresh: FullTicket = { ...ticket, issuedAt: storeIso(Date.now() - 30_000), totalFen: 10200, items: [{ code: '6934567890122', qty: 3, unitFen: 3400 }] };

  it('refuses a bare number over the limit exactly as its full ticket', async () => {
    settings.portals.ruyitong.limits = { maxOrderFen: 5000 };
    const full = await scan(encodeTicket(fresh));
    const bare = await scan(fresh.orderNo, async () => ({ ticket: fresh, reason: 'found' }));
    expect(full.verdict).toMatchObject({ ok: false, code: 'LIMIT_EXCEEDED' });
    expect(bare.verdict).toEqual(full.verdict);
  });

  it('refuses a bare number whose ticket is another store\'s, and warns on a stale one', async () => {
    expect((await scan(fresh.orderNo, async () => ({ ticket: { ...fresh, store: 'S0099' }, reason: 'found' }))).verdict).toMatchObject({ ok: false, code: 'WRONG_STORE' });
    const old = { ...fresh, issuedAt: storeIso(Date.now() - 100 * 3_600_000) };
    expect((await scan(fresh.orderNo, async () => ({ ticket: old, reason: 'found' }))).verdict).toMatchObject({ ok: true, stale: true, ticket: { kind: 'full' } });
  });

  it('keeps a bare number as it is when the bridge has no ticket for it (and says so in the audit)', async () => {
    const { verdict, audit: entry } = await scan(fresh.orderNo, async () => ({ ticket: null, reason: 'unreachable' }));
    expect(verdict).toMatchObject({ ok: true, ticket: { kind: 'order', orderNo: fresh.orderNo } });
    expect(entry.detail).toMatchObject({ form: 'order', lookup: 'unreachable' });
  });

  it('never takes a looked-up ticket for another order number', async () => {
    const { verdict } = await scan(fresh.orderNo, async () => ({ ticket: { ...fresh, orderNo: 'XS250328000999' }, reason: 'found' }));
    expect(verdict).toMatchObject({ ok: true, ticket: { kind: 'order' } });
  });
});
