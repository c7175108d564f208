import { beforeEach, describe, expect, it, vi } from 'vitest';
import { TenderBridgeDb, type Settlement } from '@/shared/db';
import { AuditLog, verifyAuditChain } from '@/shared/audit';
import { defaultSettings, type Settings } from '@/shared/settings';
import { Outbox, retryDelayMs, TenderRefusedError } from '@/shared/background/outbox';
import { captureSettlement } from '@/shared/background/settlements';
import type { OutboxFlag } from '@/shared/background/outbox';
import type { BridgeTender, PostOutcome, TenderBody, TenderLookup } from '@/shared/bridge';

let db: TenderBridgeDb;
let audit: AuditLog;
let clock: number;
let settings: Settings;
let posted: TenderBody[];
let sentTexts: string[];
let script: PostOutcome[];
let lookups: TenderLookup[];
let scheduled: Array<number | null>;
let flags: OutboxFlag[];

const recorded = (voucherNo = 'YKV1'): PostOutcome => ({ kind: 'recorded', status: 201, voucherNo, recordedAt: '2025-03-28T10:20:00+08:00', durationMs: 5 });
const retry500: PostOutcome = { kind: 'retry', reason: 'status', status: 500, message: 'boom', durationMs: 5 };

function outbox(): Outbox {
  return new Outbox({
    db,
    audit,
    settings: async () => settings,
    now: () => clock,
    schedule: (at) => scheduled.push(at),
    onFlag: (flag) => flags.push(flag),
    bridge: () => ({
      postTenderText: async (text) => {
        sentTexts.push(text);
        posted.push(JSON.parse(text) as TenderBody);
        return script.shift() ?? recorded();
      },
      getTender: async () => lookups.shift() ?? { kind: 'unknown', reason: 'network', message: 'no lookup scripted' },
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
  settings.bridge = { baseUrl: 'http://localhost:9', secret: 'secret', unreachableMinutes: 10 };
  settings.portals.ruyitong.paymentMethodId = 27;
  posted = [];
  sentTexts = [];
  script = [];
  lookups = [];
  scheduled = [];
  flags = [];
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

  it('sends the stored text byte for byte on every retry, with the deviceId, and honours Retry-After', async () => {
    const id = await captureSale();
    script = [{ kind: 'retry', reason: 'status', status: 429, message: 'slow', durationMs: 1, retryAfterMs: 120_000 }];
    const box = outbox();
    await box.post(id);
    const row = await db.tenders.get(id);
    expect(row?.state).toBe('queued');
    expect(row?.nextAttemptAt).toBe(clock + 120_000); // not the 5 s backoff
    clock += 60_000;
    await box.drain();
    expect(sentTexts).toHaveLength(1);
    // a stored body written with another key order is still sent exactly as stored
    const odd = `{"deviceId":${JSON.stringify(posted[0]?.deviceId)},${(row?.body ?? '').slice(1).replace(/,"deviceId":"[^"]+"/, '')}`;
    await db.tenders.update(id, { body: odd });
    clock += 60_000;
    await box.drain();
    expect(sentTexts).toEqual([row?.body, odd]);
    expect(posted[0]?.deviceId).toMatch(/^till-/);
  });

  it('flags a stored body that no longer parses for a supervisor instead of throwing', async () => {
    const id = await captureSale();
    script = [retry500];
    const box = outbox();
    await box.post(id);
    await db.tenders.update(id, { body: '{"tenderId":"x"}' });
    clock += 60_000;
    await box.drain();
    expect(await db.tenders.get(id)).toMatchObject({ state: 'rejected', flagReason: expect.stringMatching(/^STORED_BODY_INVALID/) });
    expect(sentTexts).toHaveLength(1);
  });

  it('without a bridge schedules nothing and sends nothing', async () => {
    const id = await captureSale();
    script = [retry500];
    const box = outbox();
    await box.post(id);
    settings.bridge.baseUrl = '';
    scheduled = [];
    clock += 3_600_000;
    await box.drain();
    await box.drain();
    expect(scheduled).toEqual([null, null]);
    expect(sentTexts).toHaveLength(1);
    // and a sent tender cannot be made up by hand without asking a bridge
    await expect(box.confirmManual(id)).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN_NO_BRIDGE' });
  });

  it('a row left in sending by a dead worker is "outcome unknown": a new worker retries it, hand make-up asks first', async () => {
    const id = await captureSale();
    const box = outbox();
    await box.post(id);
    // simulate the kill: the row as a dead worker leaves it
    await db.tenders.update(id, { state: 'sending', sendingSince: clock, voucherNo: undefined });
    const next = outbox();
    lookups = [{ kind: 'found', tender: { ...(posted[0] as TenderBody), voucherNo: 'YKV7', recordedAt: '2025-03-28T10:20:00+08:00' } as BridgeTender }];
    expect(await next.confirmManual(id)).toMatchObject({ state: 'posted', voucherNo: 'YKV7' });
    const types = (await db.audit.toArray()).map((e) => e.type);
    expect(types).toContain('tender.unknown');
    expect(types).toContain('tender.lookup');
    expect(types).not.toContain('tender.manual');
  });

  it('the hand make-up rule: never sent at once; sent only after a 404; unreachable too long → to verify, then a double is flagged', async () => {
    const never = await captureSale('RYT020');
    const box = outbox();
    expect(await box.confirmManual(never)).toMatchObject({ state: 'manual' });

    const sent = await captureSale('RYT021');
    script = [{ kind: 'retry', reason: 'network', message: 'lost', durationMs: 1 }];
    await box.post(sent);
    lookups = [{ kind: 'unknown', reason: 'network', message: 'down' }];
    await expect(box.confirmManual(sent)).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    lookups = [{ kind: 'absent' }];
    expect(await box.confirmManual(sent)).toMatchObject({ state: 'manual' });

    const third = await captureSale('RYT022');
    script = [{ kind: 'retry', reason: 'timeout', message: 'slow', durationMs: 1 }];
    await box.post(third);
    clock += 11 * 60_000; // longer than bridge.unreachableMinutes (10)
    lookups = [{ kind: 'unknown', reason: 'network', message: 'down' }];
    expect(await box.confirmManual(third)).toMatchObject({ state: 'manual-to-verify' });
    // the bridge answers again and holds it too: flagged, never silently kept as two
    lookups = [{ kind: 'found', tender: { ...(posted[1] as TenderBody), voucherNo: 'YKV9', recordedAt: '2025-03-28T10:20:00+08:00' } as BridgeTender }];
    clock += 60_000;
    await box.drain();
    expect(await db.tenders.get(third)).toMatchObject({ state: 'double', flagReason: expect.stringContaining('YKV9') });
    expect(flags).toContainEqual({ kind: 'double', tenderId: third, voucherNo: 'YKV9' });
  });

  it('a refused tender (409) is the supervisor\'s: the cashier cannot make it up by hand', async () => {
    const id = await captureSale();
    script = [{ kind: 'conflict', status: 409, code: 'ORDER_ALREADY_TENDERED', message: 'dup', durationMs: 1 }];
    const box = outbox();
    await box.post(id);
    await expect(box.confirmManual(id)).rejects.toMatchObject({ code: 'SUPERVISOR_ONLY' });
    settings.bridge.baseUrl = '';
    await expect(box.confirmManual(id)).rejects.toMatchObject({ code: 'SUPERVISOR_ONLY' });
    expect(await db.tenders.get(id)).toMatchObject({ state: 'conflict', flagReason: expect.stringContaining('ORDER_ALREADY_TENDERED') });
  });

  it('three unverifiable answers in a row tell the supervisor once; a verified answer resets the count', async () => {
    const id = await captureSale();
    const unverified: PostOutcome = { kind: 'retry', reason: 'unverified', status: 201, message: 'unsigned', durationMs: 1 };
    script = [unverified, unverified, unverified, unverified];
    const box = outbox();
    await box.post(id);
    for (let i = 0; i < 3; i++) {
      clock += 10 * 60_000;
      await box.drain();
    }
    expect(await db.tenders.get(id)).toMatchObject({ state: 'queued' });
    expect(flags).toEqual([{ kind: 'unverified-answers', count: 3 }]);
    expect(await box.unverifiedInRow()).toBe(4);
    expect((await db.audit.toArray()).filter((e) => e.type === 'bridge.unverified')).toHaveLength(1);
    clock += 10 * 60_000;
    await box.drain();
    expect(await db.tenders.get(id)).toMatchObject({ state: 'posted' });
    expect(await box.unverifiedInRow()).toBe(0);
  });

  it('a transition re-reads the row: a late answer never overwrites a hand make-up', async () => {
    const id = await captureSale();
    let release: (outcome: PostOutcome) => void = () => undefined;
    const box = new Outbox({
      db,
      audit,
      settings: async () => settings,
      now: () => clock,
      bridge: () => ({
        postTenderText: () => new Promise<PostOutcome>((resolve) => (release = resolve)),
        getTender: async () => ({ kind: 'absent' }),
      }),
    });
    const posting = box.post(id);
    await vi.waitFor(async () => expect((await db.tenders.get(id))?.state).toBe('sending'));
    // someone writes the row meanwhile (as a stale snapshot would): the answer must not overwrite it
    await db.tenders.update(id, { state: 'manual', manualBy: 'C02' });
    release(recorded('YKV5'));
    await posting;
    expect(await db.tenders.get(id)).toMatchObject({ state: 'manual', manualBy: 'C02' });
    expect((await db.audit.toArray()).find((e) => e.type === 'tender.attempt')?.detail.applied).toBe(false);
  });

  it('refuses to post or make up a held settlement', async () => {
    const id = await captureSale();
    await db.settlements.update(id, { hold: 'confirm', holdReasons: ['AMOUNT_DIFFERS'] });
    const box = outbox();
    await expect(box.post(id)).rejects.toMatchObject({ code: 'HELD' });
    await expect(box.confirmManual(id)).rejects.toMatchObject({ code: 'HELD' });
    expect(sentTexts).toHaveLength(0);
  });
});
