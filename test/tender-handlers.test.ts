import { beforeEach, describe, expect, it } from 'vitest';
import { TenderBridgeDb, type Settlement } from '@/shared/db';
import { AuditLog } from '@/shared/audit';
import { defaultSettings, type Settings } from '@/shared/settings';
import { Outbox } from '@/shared/background/outbox';
import { tenderHandlers } from '@/shared/background/tender-handlers';
import { unpostedSettlements } from '@/shared/background/unposted';
import { checkPendingAlerts } from '@/shared/background/supervisor';
import { getDeviceId } from '@/shared/device';
import { storeIso } from '@/shared/time';

let db: TenderBridgeDb;
let audit: AuditLog;
let settings: Settings;
let clock: number;
let handlers: ReturnType<typeof tenderHandlers>;

function settlement(id: string, ageMs: number, extra: Partial<Settlement> = {}): Settlement {
  const at = storeIso(clock - ageMs);
  return { id, kind: 'sale', status: 'success', portal: 'ruyitong', orderNo: `XS${id}`, vendorOrderNo: `V${id}`, amountFen: 100, cashFen: 0, settledAt: at, day: at.slice(0, 10), capturedAt: at, ...extra };
}

beforeEach(() => {
  db = new TenderBridgeDb(`handlers-${crypto.randomUUID()}`);
  clock = Date.parse('2026-12-07T06:00:00Z');
  audit = new AuditLog(db, () => clock);
  settings = defaultSettings();
  settings.storeCode = 'S0012';
  settings.cashierId = 'C01';
  settings.portals.ruyitong.paymentMethodId = 27;
  const outbox = new Outbox({ db, audit, settings: async () => settings, now: () => clock });
  handlers = tenderHandlers({ db, audit, settings: async () => settings, outbox, now: () => clock });
});

describe('the popup list', () => {
  it('shows every unposted settlement whatever its age, oldest first with its age; finished ones only from today', async () => {
    await db.settlements.bulkAdd([
      settlement('old-000000001', 8 * 86_400_000),
      settlement('new-000000002', 60_000),
      settlement('done-yesterday', 86_400_000 + 3_600_000),
      settlement('done-today-001', 30 * 60_000),
      settlement('failed-000001', 60_000, { status: 'failed' }),
    ]);
    const stamp = storeIso(clock);
    for (const id of ['done-yesterday', 'done-today-001']) {
      await db.tenders.add({ tenderId: id, settlementId: id, state: 'posted', body: '{}', attempts: 1, nextAttemptAt: 0, createdAt: stamp, updatedAt: stamp, voucherNo: 'YKV1' });
    }
    const list = await handlers['tenders.list']({ type: 'tenders.list' });
    expect(list.items.map((i) => i.settlementId)).toEqual(['old-000000001', 'new-000000002', 'done-today-001']);
    expect(list.items[0]).toMatchObject({ ageMinutes: 8 * 24 * 60, state: 'new', manual: 'now' });
    expect((await unpostedSettlements(db)).map((u) => u.settlement.id)).toEqual(['old-000000001', 'new-000000002']);
    // the pending alert counts the 8-day-old one too
    const check = await checkPendingAlerts({ db, audit, settings, now: clock } as Parameters<typeof checkPendingAlerts>[0]);
    expect(check.overdue).toBe(1);
    expect(check.newly.map((n) => n.settlementId)).toEqual(['old-000000001']);
  });
});

describe('settlement.confirm', () => {
  it('clears a "confirm" hold once, audited; an "unmatched" hold is not the popup\'s to clear', async () => {
    await db.settlements.bulkAdd([
      settlement('held-confirm1', 60_000, { hold: 'confirm', holdReasons: ['AMOUNT_DIFFERS'] }),
      settlement('held-unmatch1', 60_000, { hold: 'unmatched' }),
    ]);
    await expect(handlers['tender.manual']({ type: 'tender.manual', settlementId: 'held-confirm1' })).rejects.toThrow(/HELD/);
    const view = await handlers['settlement.confirm']({ type: 'settlement.confirm', settlementId: 'held-confirm1' });
    expect(view.hold).toBeUndefined();
    expect(view.manual).toBe('now');
    await handlers['settlement.confirm']({ type: 'settlement.confirm', settlementId: 'held-confirm1' });
    const confirmed = (await db.audit.toArray()).filter((e) => e.type === 'settlement.confirmed');
    expect(confirmed).toHaveLength(1);
    expect(confirmed[0]).toMatchObject({ code: 'AMOUNT_DIFFERS', detail: { settlementId: 'held-confirm1', by: 'C01' } });
    expect((await handlers['settlement.confirm']({ type: 'settlement.confirm', settlementId: 'held-unmatch1' })).hold).toBe('unmatched');
    // the cashier may now record the confirmed one by hand (no bridge configured)
    expect(await handlers['tender.manual']({ type: 'tender.manual', settlementId: 'held-confirm1' })).toMatchObject({ state: 'manual' });
  });
});

describe('deviceId', () => {
  it('is made once per profile, even when asked twice at once', async () => {
    const [a, b] = await Promise.all([getDeviceId(db), getDeviceId(db)]);
    expect(a).toBe(b);
    expect(a).toMatch(/^till-[0-9a-f-]{36}$/);
    expect(await getDeviceId(db)).toBe(a);
  });
});
