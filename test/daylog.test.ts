import { beforeEach, describe, expect, it } from 'vitest';
import { TenderBridgeDb, type AuditEntry, type Settlement, type TenderRecord } from '@/shared/db';
import { AuditLog, sha256Hex, verifyAuditChain } from '@/shared/audit';
import { defaultSettings, type Settings } from '@/shared/settings';
import { BridgeError, type BridgeTender } from '@/shared/bridge';
import { supervisorRequestSchemas, type AlertCheck } from '@/shared/supervisor-messages';
import { bridgeCallLog, dailySeries, reconcileRange, searchSettlements, settlementCounts } from '@/shared/daylog';
import { grandTotal, hourlySeries, methodName, totalsOf } from '@/shared/log-totals';
import { auditEntryHashSync, auditHead, verifyDayChain, verifyWholeChain } from '@/shared/audit-chain';
import { sha256HexSync } from '@/shared/core/sha256';
import {
  checkPendingAlerts,
  fetchYingkeDay,
  handleException,
  importVendorRows,
  purgeRetention,
  recordExport,
  reopenException,
  SupervisorError,
  supervisorHandlers,
  type SupervisorContext,
} from '@/shared/background/supervisor';
import type { SenderInfo } from '@/shared/background/sender';
import { storeDay } from '@/shared/time';
import { yingkeOf as yingkeEntryOf } from './yingke-fixture';

const DAY = '2025-03-28';
let db: TenderBridgeDb;
let audit: AuditLog;
let clock: number;
let settings: Settings;

function ctx(): SupervisorContext {
  return { db, audit, settings, now: clock };
}

let n = 0;
async function addSettlement(over: Partial<Settlement> = {}, tenderState?: TenderRecord['state']): Promise<Settlement> {
  n += 1;
  const s: Settlement = {
    id: `settlement-${String(n).padStart(5, '0')}`,
    kind: 'sale',
    status: 'success',
    portal: 'ruyitong',
    orderNo: `XS${n}`,
    vendorOrderNo: `RYT${n}`,
    amountFen: 10_000,
    cashFen: 0,
    settledAt: `${DAY}T10:15:00+08:00`,
    day: DAY,
    capturedAt: `${DAY}T10:15:02+08:00`,
    ...over,
  };
  await db.settlements.add(s);
  await audit.append({ type: 'settlement.captured', portal: s.portal, orderNo: s.orderNo, detail: { settlementId: s.id } });
  if (tenderState) {
    await db.tenders.add({ tenderId: s.id, settlementId: s.id, state: tenderState, body: '{"paymentMethodName":"如医通"}', attempts: 1, nextAttemptAt: 0, createdAt: s.capturedAt, updatedAt: s.capturedAt, ...(tenderState === 'posted' ? { voucherNo: `V-${s.id}` } : {}) });
  }
  return s;
}

/** The bridge's listing of a settlement: the shared fixture without the day the log adds. */
function yingkeOf(s: Settlement, over: Partial<BridgeTender> = {}): BridgeTender {
  const { day: _day, ...tender } = yingkeEntryOf(s, over);
  return tender;
}

/** Writes below Dexie, as someone editing IndexedDB by hand would. */
function rawAudit(action: (store: IDBObjectStore) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const tx = db.backendDB().transaction('audit', 'readwrite');
    action(tx.objectStore('audit'));
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}

beforeEach(async () => {
  db = new TenderBridgeDb(`daylog-${crypto.randomUUID()}`);
  clock = Date.parse(`${DAY}T12:00:00+08:00`);
  audit = new AuditLog(db, () => clock);
  settings = defaultSettings();
  settings.storeCode = 'S0012';
  settings.cashierId = 'C01';
  settings.bridge = { baseUrl: 'http://localhost:9', secret: 'secret', unreachableMinutes: 10 };
  settings.portals.ruyitong.paymentMethodId = 27;
  await db.open();
});

describe('schema', () => {
  it('has the supervisor tables and the indexes the log reads by (version 2, kept by version 3)', () => {
    expect(db.verno).toBe(3);
    expect(db.audit.schema.idxByName['[type+day]']).toBeDefined();
    expect(db.tenders.schema.idxByName.createdAt).toBeDefined();
    expect(db.tables.map((table) => table.name).sort()).toEqual(
      ['alerts', 'audit', 'exceptions', 'exports', 'kv', 'settlements', 'tenders', 'vendorImports', 'vendorRows', 'yingkeFetches', 'yingkeTenders'],
    );
  });
});

describe('day view reads', () => {
  it('reconciles a day from the database, with totals and series', async () => {
    const posted = await addSettlement({ cashFen: 300 }, 'posted');
    const pending = await addSettlement({ settledAt: `${DAY}T14:05:00+08:00` });
    await addSettlement({ status: 'failed', vendorOrderNo: 'failed:x', amountFen: 0 });
    const refund = await addSettlement({ kind: 'refund', refundOf: posted.id, orderNo: posted.orderNo, vendorOrderNo: 'R1', amountFen: 4_000, settledAt: `${DAY}T15:00:00+08:00` }, 'posted');
    await addSettlement({ portal: 'boming', amountFen: 2_000, settledAt: `${DAY}T09:00:00+08:00` }, 'manual');
    const other = await addSettlement({ day: '2025-03-20', settledAt: '2025-03-20T10:00:00+08:00' }, 'posted');
    await fetchYingkeDay({ ...ctx(), bridge: () => ({ listTenders: async () => [yingkeOf(posted), yingkeOf(refund)] }) }, DAY);

    // posted a week later by hand: outside the createdAt range, found by key
    const late = await addSettlement({ settledAt: `${DAY}T20:00:00+08:00` });
    await db.tenders.add({ tenderId: late.id, settlementId: late.id, state: 'manual', body: '', attempts: 0, nextAttemptAt: 0, manualBy: 'C01', manualAt: '2025-04-04T09:00:00+08:00', createdAt: '2025-04-04T09:00:00+08:00', updatedAt: '2025-04-04T09:00:00+08:00' });

    const result = await reconcileRange(db, DAY, DAY, { now: clock });
    expect(result.window.timings.lookedUp).toBe(2); // the pending one (no tender) and the late one
    expect(result.rows.find((r) => r.settlement.id === late.id)?.localState).toBe('manual');
    result.rows = result.rows.filter((r) => r.settlement.id !== late.id);
    result.differences = result.differences.filter((d) => d.settlementId !== late.id);
    expect(result.rows).toHaveLength(5);
    const kinds = result.differences.map((d) => [d.kind, d.reason, d.settlementId, d.pending]);
    expect(kinds).toContainEqual(['vendor-only', 'not-posted', pending.id, 'window-open']);
    expect(kinds).toContainEqual(['vendor-only', 'posted-missing', expect.any(String), 'window-open']);
    expect(result.rows.find((r) => r.settlement.id === posted.id)?.displayState).toBe('refunded');

    // posted ones go by the name frozen in the tender, the others by the settings
    const configured = (portal: string): string => (portal === 'boming' ? '博明卡' : '如医通');
    const totals = totalsOf(result.rows, (row) => methodName(row, configured));
    expect(totals).toEqual([
      { portal: 'boming', method: '如医通', sales: 1, cardFen: 2_000, cashFen: 0, refunds: 0, refundFen: 0, netFen: 2_000, failed: 0 },
      { portal: 'ruyitong', method: '如医通', sales: 2, cardFen: 20_000, cashFen: 300, refunds: 1, refundFen: 4_000, netFen: 16_000, failed: 1 },
    ]);
    expect(grandTotal(totals)).toMatchObject({ sales: 3, netFen: 18_000, failed: 1 });
    const hourly = hourlySeries(result.rows);
    expect(hourly.ruyitong[10]).toBe(10_000);
    expect(hourly.ruyitong[15]).toBe(-4_000);
    expect(hourly.boming[9]).toBe(2_000);

    const series = await dailySeries(db, DAY, 30);
    expect(series.days).toHaveLength(30);
    expect(series.days[29]).toBe(DAY);
    expect(series.byPortal.ruyitong[29]).toBe(26_000); // with the late one
    expect(series.byPortal.ruyitong[21]).toBe(10_000);
    expect(series.counts[29]).toBe(4);

    expect(await settlementCounts(db, '2025-03-01', DAY)).toEqual(new Map([['2025-03-20', 1], [DAY, 6]]));
    expect((await searchSettlements(db, other.vendorOrderNo)).map((s) => s.id)).toEqual([other.id]);
    expect((await searchSettlements(db, posted.orderNo)).map((s) => s.id).sort()).toEqual([posted.id, refund.id].sort());
    expect(await searchSettlements(db, '  ')).toEqual([]);
  });
});

describe('Yingke fetch and the bridge call log', () => {
  it('stores the day, replaces it on refetch, keeps the last good fetch on failure, and logs each call', async () => {
    const s = await addSettlement({}, 'posted');
    let t = 0;
    const timed = { clock: () => (t += 40) };
    const first = await fetchYingkeDay({ ...ctx(), ...timed, bridge: () => ({ listTenders: async () => [yingkeOf(s), yingkeOf(s, { tenderId: 'other-tender-1' })] }) }, DAY);
    expect(first).toEqual({ day: DAY, ok: true, count: 2, durationMs: 40, status: 200 });
    expect(supervisorRequestSchemas['reconcile.fetchYingke'].response.parse(first)).toEqual(first);
    clock += 60_000;
    await fetchYingkeDay({ ...ctx(), bridge: () => ({ listTenders: async () => [yingkeOf(s)] }) }, DAY);
    const t2 = db;
    expect(await t2.yingkeTenders.where('day').equals(DAY).count()).toBe(1);
    clock += 60_000;
    const failed = await fetchYingkeDay({ ...ctx(), bridge: () => ({ listTenders: async () => { throw new BridgeError('unauthorized', 'bad signature', 401, 'BAD_SIGNATURE'); } }) }, DAY);
    expect(failed).toMatchObject({ ok: false, status: 401, code: 'BAD_SIGNATURE' });
    const fetch = await t2.yingkeFetches.get(DAY);
    expect(fetch).toMatchObject({ lastOk: false, count: 1, okAtMs: clock - 60_000 });
    await expect(fetchYingkeDay(ctx(), '2025-03-29')).rejects.toThrow(SupervisorError);
    settings.bridge.baseUrl = '';
    expect(await fetchYingkeDay(ctx(), DAY)).toMatchObject({ ok: false, code: 'NO_BRIDGE' });

    await audit.append({ type: 'tender.attempt', portal: 'ruyitong', orderNo: s.orderNo, code: 'recorded', detail: { tenderId: s.id, attempt: 1, status: 201, durationMs: 12, voucherNo: 'V' } });
    const calls = await bridgeCallLog(db, DAY, DAY);
    expect(calls.map((c) => [c.what, c.outcome, c.status, c.durationMs])).toEqual([
      ['post', 'recorded', 201, 12],
      ['list', 'NO_BRIDGE', null, 0],
      ['list', 'BAD_SIGNATURE', 401, expect.any(Number)],
      ['list', 'ok', 200, expect.any(Number)],
      ['list', 'ok', 200, 40],
    ]);
    expect(calls[4]).toMatchObject({ listedDay: DAY, count: 2 });
  });
});

describe('exceptions', () => {
  it('marks a difference handled, audited, and overlays it; reopens it', async () => {
    const s = await addSettlement();
    const [diff] = (await reconcileRange(db, DAY, DAY, { now: clock })).differences;
    if (!diff) throw new Error('expected a difference');
    clock += 3_600_000;
    const record = await handleException(ctx(), { day: DAY, diffId: diff.id, basis: 'vendor', remark: '顾客已付款，英克补单（聚合支付补单）', by: '王店长' });
    expect(record).toMatchObject({ id: diff.id, state: 'handled', basis: 'vendor', by: '王店长', settlementId: s.id, capturedFen: 10_000, yingkeFen: null });
    expect(supervisorRequestSchemas['exception.handle'].response.parse(record)).toEqual(record);
    const entry = await db.audit.get(record.auditSeq);
    expect(entry).toMatchObject({ type: 'exception.handled', orderNo: s.orderNo, code: 'vendor-only:not-posted' });
    expect(entry?.detail).toMatchObject({ diffId: diff.id, basis: 'vendor', by: '王店长', remark: '顾客已付款，英克补单（聚合支付补单）' });
    const again = await reconcileRange(db, DAY, DAY, { now: clock });
    expect(again.differences[0]?.handled?.auditSeq).toBe(record.auditSeq);

    await expect(handleException(ctx(), { day: DAY, diffId: 'amount:over:nothing', basis: 'yingke', remark: 'x', by: 'y' })).rejects.toThrow(/DIFF_NOT_FOUND/);
    const reopened = await reopenException(ctx(), { day: DAY, diffId: diff.id, remark: '补单有误', by: '李片长' });
    expect(reopened.state).toBe('reopened');
    expect((await reconcileRange(db, DAY, DAY, { now: clock })).differences[0]?.handled).toBeUndefined();
    await expect(reopenException(ctx(), { day: DAY, diffId: diff.id, remark: 'x', by: 'y' })).rejects.toThrow(/NOT_HANDLED/);
    expect((await verifyWholeChain(db)).ok).toBe(true);
  });

  it('imports a vendor list and reconciles it', async () => {
    const s = await addSettlement({}, 'posted');
    await fetchYingkeDay({ ...ctx(), bridge: () => ({ listTenders: async () => [yingkeOf(s)] }) }, DAY);
    const rows = [
      { line: 2, vendorOrderNo: s.vendorOrderNo, kind: 'sale' as const, status: 'success' as const, amountFen: 10_000 },
      { line: 3, vendorOrderNo: 'RYT-UNSEEN', kind: 'sale' as const, status: 'success' as const, amountFen: 6_600 },
    ];
    const answer = await importVendorRows(ctx(), { day: DAY, portal: 'ruyitong', fileName: '如医通.csv', sha256: 'a'.repeat(64), by: '王店长', rows });
    expect(answer.stored).toBe(2);
    await importVendorRows(ctx(), { day: DAY, portal: 'ruyitong', fileName: '如医通2.csv', sha256: 'b'.repeat(64), by: '王店长', rows });
    expect(await db.vendorRows.count()).toBe(2);
    const result = await reconcileRange(db, DAY, DAY, { now: clock });
    expect(result.differences.map((d) => [d.source, d.kind, d.reason, d.vendorOrderNo])).toEqual([['file', 'vendor-only', 'file-only', 'RYT-UNSEEN']]);
    await expect(importVendorRows(ctx(), { day: DAY, portal: 'ruyitong', fileName: 'x', sha256: 'c'.repeat(64), by: 'y', rows: [] })).rejects.toThrow(/EMPTY_IMPORT/);
  });
});

describe('audit chain', () => {
  it('hashes like crypto.subtle (sync SHA-256 for the whole-chain check)', async () => {
    const samples = ['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), 'x'.repeat(1000), '下账助手 如医通 ¥12.30 😀', JSON.stringify({ detail: { remark: '顾客已付款' } })];
    for (const text of samples) expect(sha256HexSync(text)).toBe(await sha256Hex(text));
    expect(sha256HexSync('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const entry = await audit.append({ type: 'scan.accepted', orderNo: 'XS1', detail: { remark: '顾客', n: 1, ok: true, none: null } });
    const { hash, ...unsigned } = entry;
    expect(auditEntryHashSync(unsigned)).toBe(hash);
  });

  async function fill(days: string[], perDay: number): Promise<void> {
    for (const day of days) {
      clock = Date.parse(`${day}T09:00:00+08:00`);
      for (let i = 0; i < perDay; i += 1) await audit.append({ type: 'scan.accepted', orderNo: `XS${i}`, detail: { i } });
    }
  }

  it('verifies a day (and its links) and the whole chain, in agreement with verifyAuditChain', async () => {
    await fill(['2025-03-27', DAY, '2025-03-29'], 30);
    const day = await verifyDayChain(db, DAY);
    expect(day).toMatchObject({ ok: true, scope: 'day', count: 30, head: { seq: 60 } });
    expect((await auditHead(db, DAY))?.seq).toBe(60);
    const progress: number[] = [];
    const all = await verifyWholeChain(db, { batchSize: 7, onProgress: (p) => progress.push(p.checked) });
    expect(all).toMatchObject({ ok: true, count: 90, head: { seq: 90 } });
    expect(progress.at(-1)).toBe(90);
    const reference = await verifyAuditChain(await db.audit.orderBy('seq').toArray());
    expect(reference.ok && all.ok && reference.headHash === all.head?.hash).toBe(true);
  });

  it('reports an entry edited in IndexedDB, one removed, and one rewritten with a fresh hash', async () => {
    await fill(['2025-03-27', DAY], 20);
    const target = (await db.audit.get(25)) as AuditEntry;
    await rawAudit((store) => store.put({ ...target, detail: { i: 999 } }));
    expect(await verifyDayChain(db, DAY)).toMatchObject({ ok: false, seq: 25, problem: 'changed', type: 'scan.accepted' });
    expect(await verifyWholeChain(db, { batchSize: 10 })).toMatchObject({ ok: false, seq: 25, problem: 'changed', count: 24 });
    const reference = await verifyAuditChain(await db.audit.orderBy('seq').toArray());
    expect(reference).toEqual({ ok: false, seq: 25, problem: 'changed' });

    await rawAudit((store) => store.put(target));
    await rawAudit((store) => store.delete(30));
    expect(await verifyWholeChain(db)).toMatchObject({ ok: false, seq: 31, problem: 'removed' });
    expect(await verifyDayChain(db, DAY)).toMatchObject({ ok: false, seq: 31, problem: 'removed' });
    // the day before is fine on its own, but its link to this day is checked too
    expect(await verifyDayChain(db, '2025-03-27')).toMatchObject({ ok: true });

    // removing the very first entries is seen at the start
    await rawAudit((store) => store.delete(1));
    expect(await verifyWholeChain(db)).toMatchObject({ ok: false, seq: 2, problem: 'removed' });
    expect(await verifyDayChain(db, '2025-03-27')).toMatchObject({ ok: false, seq: 2, problem: 'removed' });
  });
});

describe('retention', () => {
  it('purges only exported old days, audit entries as a prefix the chain check accepts', async () => {
    settings.retentionDays = 400;
    const old1 = '2024-01-10';
    const old2 = '2024-01-11';
    const old3 = '2024-01-12';
    for (const day of [old1, old2, old3, DAY]) {
      clock = Date.parse(`${day}T10:00:00+08:00`);
      const s = await addSettlement({ day, settledAt: `${day}T10:00:00+08:00`, capturedAt: `${day}T10:00:01+08:00` }, 'posted');
      await audit.append({ type: 'tender.attempt', portal: 'ruyitong', orderNo: s.orderNo, code: 'recorded', detail: { tenderId: s.id, attempt: 1, status: 201, durationMs: 9 } });
    }
    clock = Date.parse(`${DAY}T12:00:00+08:00`);
    // old1 exported with its audit; old2 exported without; old3 never
    const head1 = await auditHead(db, old1);
    await recordExport(ctx(), { format: 'xlsx', fileName: 'a.xlsx', rowCount: 3, days: [{ day: old1, settlementCount: 1, withAudit: true, auditHeadHash: head1?.hash ?? null }, { day: old2, settlementCount: 1, withAudit: false, auditHeadHash: null }] });

    const dry = await purgeRetention(ctx(), { dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, cutoffDay: '2024-02-22', purgedDays: [old1], blockedDays: [old2, old3], settlements: 1, tenders: 1, auditEntries: 2, auditThroughSeq: 2 });
    expect(await db.settlements.count()).toBe(4);

    const done = await purgeRetention(ctx(), { dryRun: false });
    expect(done).toMatchObject({ dryRun: false, purgedDays: [old1], auditEntries: 2 });
    expect(await db.settlements.where('day').equals(old1).count()).toBe(0);
    expect(await db.tenders.count()).toBe(3);
    expect((await db.audit.orderBy('seq').first())?.seq).toBe(3);
    // the purge anchored the new start: the chain still verifies, from seq 3
    expect(await verifyWholeChain(db)).toMatchObject({ ok: true, purgedThroughSeq: 2 });
    expect(await verifyDayChain(db, old2)).toMatchObject({ ok: true, purgedThroughSeq: 2 });
    const purgeEntry = (await db.audit.where('type').equals('retention.purged').toArray())[0];
    expect(purgeEntry?.detail).toMatchObject({ throughSeq: 2, days: 1, from: old1 });
    // deleting beyond the purge is still caught
    await rawAudit((store) => store.delete(3));
    expect(await verifyWholeChain(db)).toMatchObject({ ok: false, seq: 4, problem: 'removed' });
    await rawAudit((store) => store.delete(IDBKeyRange.upperBound(3)));
  });

  it('a day that changed since its export is exported again first', async () => {
    settings.retentionDays = 400;
    const old = '2024-01-10';
    clock = Date.parse(`${old}T10:00:00+08:00`);
    await addSettlement({ day: old }, 'posted');
    clock = Date.parse(`${DAY}T12:00:00+08:00`);
    await recordExport(ctx(), { format: 'csv', fileName: 'a.csv', rowCount: 1, days: [{ day: old, settlementCount: 0, withAudit: true, auditHeadHash: null }] });
    expect(await purgeRetention(ctx(), { dryRun: false })).toMatchObject({ purgedDays: [], blockedDays: [old] });
    expect(await db.settlements.count()).toBe(1);
  });
});

describe('message handlers', () => {
  const page: SenderInfo = { kind: 'extension', url: 'chrome-extension://id/log.html' };
  const portal: SenderInfo = { kind: 'portal', portal: 'ruyitong', tabId: 1, frameId: 0, url: 'https://saas.ringnex.com/' };

  it('answer the log page only, with answers their response schemas accept', async () => {
    const alerts: AlertCheck[] = [];
    const handlers = supervisorHandlers({ db, audit, settings: async () => settings, now: () => clock, onAlert: (check) => void alerts.push(check) });
    await expect(handlers['retention.purge']({ type: 'retention.purge', dryRun: true }, portal)).rejects.toThrow(/extension/);
    const report = await handlers['retention.purge']({ type: 'retention.purge', dryRun: true }, page);
    expect(supervisorRequestSchemas['retention.purge'].response.parse(report)).toEqual(report);
    const check = await handlers['alerts.check']({ type: 'alerts.check' }, page);
    expect(supervisorRequestSchemas['alerts.check'].response.parse(check)).toEqual(check);
    expect(alerts).toEqual([check]);
    const recorded = await handlers['export.record']({ type: 'export.record', format: 'xlsx', fileName: 'a.xlsx', rowCount: 0, days: [{ day: DAY, settlementCount: 0, withAudit: true, auditHeadHash: null }] }, page);
    expect(recorded).toEqual({ recorded: 1 });
  });
});

describe('pending alert', () => {
  it('alerts each overdue settlement once, audited', async () => {
    settings.pendingAlertMinutes = 30;
    const now = Date.parse(`${DAY}T12:00:00+08:00`);
    clock = now;
    const late = await addSettlement({ capturedAt: `${DAY}T11:00:00+08:00` });
    await addSettlement({ capturedAt: `${DAY}T11:50:00+08:00` });
    await addSettlement({ capturedAt: `${DAY}T10:00:00+08:00` }, 'posted');
    const refused = await addSettlement({ capturedAt: `${DAY}T09:00:00+08:00` }, 'conflict');
    const first = await checkPendingAlerts(ctx());
    expect(first).toMatchObject({ thresholdMinutes: 30, overdue: 2, oldestMinutes: 180 });
    expect(first.newly.map((a) => a.settlementId).sort()).toEqual([late.id, refused.id].sort());
    expect(await db.audit.where('type').equals('alert.pending').count()).toBe(2);
    const second = await checkPendingAlerts(ctx());
    expect(second).toMatchObject({ overdue: 2, newly: [] });
    expect(storeDay(now)).toBe(DAY);
  });
});
