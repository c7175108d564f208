import { beforeEach, describe, expect, it } from 'vitest';
import { TenderBridgeDb, type Settlement } from '@/shared/db';
import { AuditLog, verifyAuditChain } from '@/shared/audit';
import { defaultSettings, type Settings } from '@/shared/settings';
import { Outbox, retryDelayMs, TenderRefusedError } from '@/shared/background/outbox';
import { captureSettlement } from '@/shared/background/settlements';
import type { PostOutcome, TenderBody } from '@/shared/bridge';

let db: TenderBridgeDb;
let audit: AuditLog;
let clock: number;
let settings: Settings;
let posted: TenderBody[];
let script: PostOutcome[];

const recorded = (voucherNo = 'YKV1'): PostOutcome => ({ kind: 'recorded', status: 201, voucherNo, recordedAt: '2025-03-28T10:20:00+08:00', durationMs: 5 });
const retry500: PostOutcome = { kind: 'retry', reason: 'status', status: 500, message: 'boom', durationMs: 5 };

function outbox(): Outbox {
  return new Outbox({
    db,
    audit,
    settings: async () => settings,
    now: () => clock,
    bridge: () => ({
      postTender: async (body) => {
        posted.push(body);
        return script.shift() ?? recorded();
      },
    }),
  });
}

async function captureSale(vendorOrderNo = 'RYT001', cashFen = 0): Promise<string> {
  const answer = await captureSettlement(
    { kind: 'sale', outcome: 'success', rule: 'test', vendorOrderNo, totalFen: 12345, cashFen, cardMasked: '510104********1234', settledAt: '2025-03-28 10:15:00' },
    { db, audit, portal: 'ruyitong', sessionOrderNo: 'XS250328000123', now: clock },
  );
  if (answer.stored !== 'new') throw new Error(answer.stored);
  return answer.settlementId;
}

beforeEach(() => {
  db = new TenderBridgeDb(`outbox-${crypto.randomUUID()}`);
  audit = new AuditLog(db, () => clock);
  clock = Date.parse('2025-03-28T02:16:00Z');
  settings = defaultSettings();
  settings.storeCode = 'S0012';
  settings.cashierId = 'C01';
  settings.bridge = { baseUrl: 'http://localhost:9', secret: 'secret' };
  settings.portals.ruyitong.paymentMethodId = 27;
  posted = [];
  script = [];
});

describe('settlement capture', () => {
  it('stores a sale once, however often the success is shown', async () => {
    const id = await captureSale();
    const again = await captureSettlement(
      { kind: 'sale', outcome: 'success', rule: 'test', vendorOrderNo: 'RYT001', totalFen: 12345 },
      { db, audit, portal: 'ruyitong', sessionOrderNo: 'XS250328000123', now: clock },
    );
    expect(again).toMatchObject({ stored: 'duplicate', settlementId: id });
    expect(await db.settlements.count()).toBe(1);
    const sale = await db.settlements.get(id);
    expect(sale).toMatchObject({ orderNo: 'XS250328000123', amountFen: 12345, cashFen: 0, settledAt: '2025-03-28T10:15:00+08:00' });
  });

  it('splits the card part from the cash part', async () => {
    const id = await captureSale('RYT002', 2345);
    expect(await db.settlements.get(id)).toMatchObject({ amountFen: 10000, cashFen: 2345 });
  });

  it('ties a refund to its sale and refuses one whose sale is unknown', async () => {
    const saleId = await captureSale();
    const refund = await captureSettlement(
      { kind: 'refund', outcome: 'success', rule: 'test', vendorOrderNo: 'RTH001', originalVendorOrderNo: 'RYT001' },
      { db, audit, portal: 'ruyitong', sessionOrderNo: undefined, now: clock },
    );
    expect(refund.stored).toBe('new');
    if (refund.stored !== 'new') return;
    expect(await db.settlements.get(refund.settlementId)).toMatchObject({ kind: 'refund', refundOf: saleId, amountFen: 12345, orderNo: 'XS250328000123' });
    const orphan = await captureSettlement(
      { kind: 'refund', outcome: 'success', rule: 'test', vendorOrderNo: 'RTH002', originalVendorOrderNo: 'NOPE' },
      { db, audit, portal: 'ruyitong', sessionOrderNo: undefined, now: clock },
    );
    expect(orphan.stored).toBe('unknown-sale');
  });
});

describe('outbox', () => {
  it('posts a tender with the settlement id as tenderId and the configured payment method', async () => {
    const id = await captureSale();
    const tender = await outbox().post(id);
    expect(tender).toMatchObject({ state: 'posted', voucherNo: 'YKV1', attempts: 1 });
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ tenderId: id, kind: 'sale', orderNo: 'XS250328000123', provider: 'ruyitong', paymentMethodId: 27, paymentMethodName: '如医通', amountFen: 12345, cashFen: 0, vendorOrderNo: 'RYT001', cardMasked: '510104********1234' });
  });

  it('retries a 500 with backoff, with the very same body, and stops once recorded', async () => {
    const id = await captureSale();
    script = [retry500, retry500];
    const box = outbox();
    expect(await box.post(id)).toMatchObject({ state: 'queued', attempts: 1 });
    await box.drain();
    expect(posted).toHaveLength(1); // not due yet
    clock += retryDelayMs(1);
    await box.drain();
    clock += retryDelayMs(2);
    await box.drain();
    await box.drain();
    expect(posted).toHaveLength(3);
    expect(new Set(posted.map((b) => JSON.stringify(b))).size).toBe(1);
    expect(await db.tenders.get(id)).toMatchObject({ state: 'posted', attempts: 3 });
  });

  it('survives a restart: a new outbox on the same database picks the queued tender up', async () => {
    const id = await captureSale();
    script = [retry500];
    await outbox().post(id);
    clock += retryDelayMs(1);
    await outbox().drain();
    expect(await db.tenders.get(id)).toMatchObject({ state: 'posted' });
    expect(posted.map((b) => b.tenderId)).toEqual([id, id]);
  });

  it('does not retry 4xx or 409, and flags them', async () => {
    const a = await captureSale('RYT010');
    const b = await captureSale('RYT011');
    script = [
      { kind: 'rejected', status: 422, code: 'BAD_FIELD', message: 'bad', durationMs: 1 },
      { kind: 'conflict', status: 409, code: 'ORDER_ALREADY_TENDERED', message: 'dup', durationMs: 1 },
    ];
    const box = outbox();
    expect(await box.post(a)).toMatchObject({ state: 'rejected' });
    expect(await box.post(b)).toMatchObject({ state: 'conflict' });
    clock += 3_600_000;
    await box.drain();
    expect(posted).toHaveLength(2);
  });

  it('holds a 401 until the settings change', async () => {
    const id = await captureSale();
    script = [{ kind: 'unauthorized', status: 401, code: 'BAD_SIGNATURE', message: 'no', durationMs: 1 }];
    const box = outbox();
    expect(await box.post(id)).toMatchObject({ state: 'unauthorized' });
    clock += 3_600_000;
    await box.drain();
    expect(posted).toHaveLength(1);
    await box.settingsChanged();
    expect(await db.tenders.get(id)).toMatchObject({ state: 'posted' });
  });

  it('posts a refund with refundOf, after its sale', async () => {
    const saleId = await captureSale();
    const refund = await captureSettlement(
      { kind: 'refund', outcome: 'success', rule: 'test', vendorOrderNo: 'RTH001', originalVendorOrderNo: 'RYT001' },
      { db, audit, portal: 'ruyitong', sessionOrderNo: undefined, now: clock },
    );
    if (refund.stored !== 'new') throw new Error('no refund');
    await outbox().post(refund.settlementId);
    expect(posted[0]).toMatchObject({ kind: 'refund', refundOf: saleId, tenderId: refund.settlementId });
  });

  it('refuses to post without a payment-method id, and concurrent clicks post once', async () => {
    const id = await captureSale();
    settings.portals.ruyitong.paymentMethodId = 0;
    await expect(outbox().post(id)).rejects.toBeInstanceOf(TenderRefusedError);
    settings.portals.ruyitong.paymentMethodId = 27;
    const box = outbox();
    await Promise.all([box.post(id), box.post(id), box.post(id)]);
    expect(posted).toHaveLength(1);
  });

  it('records a manual post-back with who and when, and the audit chain holds', async () => {
    const id = await captureSale();
    settings.bridge.baseUrl = '';
    const tender = await outbox().confirmManual(id);
    expect(tender).toMatchObject({ state: 'manual', manualBy: 'C01', manualAt: '2025-03-28T10:16:00+08:00' });
    const entries = await db.audit.orderBy('seq').toArray();
    expect(entries.map((e) => e.type)).toContain('tender.manual');
    expect((await verifyAuditChain(entries)).ok).toBe(true);
  });
});
