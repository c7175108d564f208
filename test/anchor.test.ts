import { beforeEach, describe, expect, it } from 'vitest';
import { TenderBridgeDb, type AuditEntry } from '@/shared/db';
import { AuditLog, auditEntryHash } from '@/shared/audit';
import { defaultSettings, type Settings } from '@/shared/settings';
import { BridgeError, type AuditHead, type AuditHeadPost } from '@/shared/bridge';
import { Anchoring, type AnchorBridge } from '@/shared/background/anchor';
import { readAnchorState } from '@/shared/anchor';
import { purgeRetention, recordExport, type SupervisorContext } from '@/shared/background/supervisor';
import { verifyWholeChain } from '@/shared/audit-chain';
import { getDeviceId } from '@/shared/device';

/**
 * Audit heads (bridge spec revision 2): when they are sent, and what comparing the local chain
 * with them finds — the newest entries deleted, an entry rewritten and the rest re-hashed (which
 * the local chain check alone cannot see), a retention purge told apart.
 */

let db: TenderBridgeDb;
let audit: AuditLog;
let clock: number;
let settings: Settings;
let bridge: FakeBridge;
let conflicts: number[];
let anchoring: Anchoring;

/** The bridge simulator's audit-head rules, in memory; `fail` makes the next calls throw. */
class FakeBridge implements AnchorBridge {
  heads = new Map<number, AuditHead>();
  posts: AuditHead[] = [];
  fail: BridgeError | null = null;
  /** how many heads a GET lists, newest first (the spec and the simulator: 100) */
  keep = Number.POSITIVE_INFINITY;
  async postAuditHead(head: AuditHead): Promise<AuditHeadPost> {
    if (this.fail) throw this.fail;
    this.posts.push(head);
    const held = this.heads.get(head.seq);
    if (held) return held.hash === head.hash ? { kind: 'same' } : { kind: 'conflict', message: `HEAD_CONFLICT: seq ${head.seq}` };
    this.heads.set(head.seq, head);
    return { kind: 'created' };
  }
  async listAuditHeads(deviceId: string) {
    if (this.fail) throw this.fail;
    return [...this.heads.values()]
      .filter((h) => h.deviceId === deviceId)
      .sort((a, b) => b.seq - a.seq)
      .slice(0, this.keep)
      .map((h) => ({ ...h, receivedAt: h.at }));
  }
}

const withBridge = (base: Settings = defaultSettings()): Settings => ({ ...base, storeCode: 'S0012', bridge: { ...base.bridge, baseUrl: 'http://bridge.test', secret: 'store-secret' } });

beforeEach(() => {
  db = new TenderBridgeDb(`anchor-test-${crypto.randomUUID()}`);
  clock = Date.parse('2025-03-28T10:00:00+08:00');
  audit = new AuditLog(db, () => clock);
  settings = withBridge();
  bridge = new FakeBridge();
  conflicts = [];
  anchoring = new Anchoring({ db, audit, settings: async () => settings, now: () => clock, bridge: () => bridge, onConflict: (seq) => conflicts.push(seq) });
});

async function append(n: number): Promise<void> {
  for (let i = 0; i < n; i += 1) await audit.append({ type: 'scan.accepted', orderNo: `XS${i}`, detail: { i } });
}

/** Straight at IndexedDB, below Dexie's append-only hooks: what someone with the PC's files can do. */
function raw(work: (store: IDBObjectStore) => void): Promise<void> {
  const tx = db.backendDB().transaction('audit', 'readwrite');
  work(tx.objectStore('audit'));
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('tx failed'));
  });
}

/** Rewrites entry `seq` and re-hashes every later one so the local chain checks out again. */
async function rewriteAndRehash(seq: number, change: (e: AuditEntry) => AuditEntry): Promise<void> {
  const entries = await db.audit.where('seq').aboveOrEqual(seq).toArray();
  const before = await db.audit.where('seq').below(seq).last();
  let prevHash = before?.hash ?? '0'.repeat(64);
  const rewritten: AuditEntry[] = [];
  for (const [i, entry] of entries.entries()) {
    const { hash: _old, ...rest } = i === 0 ? change(entry) : entry;
    const unsigned = { ...rest, prevHash };
    const hash = await auditEntryHash(unsigned);
    rewritten.push({ ...unsigned, hash });
    prevHash = hash;
  }
  await raw((store) => rewritten.forEach((e) => store.put(e)));
}

describe('sending heads', () => {
  it('sends the newest head when there are new entries, once, and again after new ones', async () => {
    expect(await anchoring.tick()).toBe('no-entries');
    await append(3);
    expect(await anchoring.tick()).toBe('created');
    expect(bridge.posts).toHaveLength(1);
    const newest = await db.audit.orderBy('seq').last();
    expect(bridge.posts[0]).toEqual({ deviceId: await getDeviceId(db), seq: 3, hash: newest?.hash, at: newest?.at });
    // nothing new: nothing sent
    expect(await anchoring.tick()).toBe('up-to-date');
    expect(bridge.posts).toHaveLength(1);
    await append(2);
    expect(await anchoring.tick()).toBe('created');
    expect(bridge.posts.map((p) => p.seq)).toEqual([3, 5]);
    const state = await readAnchorState(db);
    expect(state.records.map((r) => [r.where, r.seq])).toEqual([
      ['bridge', 3],
      ['bridge', 5],
    ]);
  });

  it('keeps trying after an unreachable or unsigned bridge, never throwing at the caller', async () => {
    await append(2);
    bridge.fail = new BridgeError('network', 'connection refused');
    expect(await anchoring.tick()).toBe('retry');
    bridge.fail = new BridgeError('unverified', 'answer 201 is not signed by the bridge', 201);
    expect(await anchoring.tick()).toBe('retry');
    let state = await readAnchorState(db);
    expect(state.records).toEqual([]);
    expect(state.lastAttempt).toMatchObject({ seq: 2, outcome: 'retry', message: 'answer 201 is not signed by the bridge' });
    bridge.fail = null;
    expect(await anchoring.tick()).toBe('created');
    state = await readAnchorState(db);
    expect(state.records.map((r) => r.seq)).toEqual([2]);
  });

  it('sends nothing when no bridge is configured', async () => {
    settings = { ...settings, bridge: { ...settings.bridge, baseUrl: '', secret: '' } };
    await append(2);
    expect(await anchoring.tick()).toBe('no-bridge');
    expect(bridge.posts).toEqual([]);
  });

  it('flags a HEAD_CONFLICT once: an audit entry and the supervisor alert', async () => {
    await append(2);
    const newest = await db.audit.orderBy('seq').last();
    bridge.heads.set(2, { deviceId: await getDeviceId(db), seq: 2, hash: 'f'.repeat(64), at: newest?.at ?? '' });
    expect(await anchoring.tick()).toBe('conflict');
    expect(conflicts).toEqual([2]);
    const flagged = await db.audit.where('type').equals('audit.headConflict').toArray();
    expect(flagged).toHaveLength(1);
    expect(flagged[0]).toMatchObject({ code: 'HEAD_CONFLICT', detail: { seq: 2 } });
    // the conflict entry is new: the next head (seq 3) goes out normally; seq 2 is not flagged again
    expect(await anchoring.tick()).toBe('created');
    expect(conflicts).toEqual([2]);
  });

  it('records the head of each export and sends it to the bridge too', async () => {
    await append(4);
    expect(await anchoring.exported()).toBe('created');
    const state = await readAnchorState(db);
    expect(state.records.map((r) => [r.where, r.seq])).toEqual([
      ['export', 4],
      ['bridge', 4],
    ]);
  });

  it('keeps export heads when many bridge heads come after them', async () => {
    await append(1);
    await anchoring.exported();
    for (let i = 0; i < 520; i += 1) {
      await append(1);
      await anchoring.tick();
    }
    const state = await readAnchorState(db);
    expect(state.records.filter((r) => r.where === 'export').map((r) => r.seq)).toEqual([1]);
    expect(state.records.filter((r) => r.where === 'bridge')).toHaveLength(500);
    expect(state.records.filter((r) => r.where === 'bridge').at(-1)?.seq).toBe(521);
    // 520 sends, each a state read and write: seconds on a busy 2-core machine, and a time-out here
    // would leave its loop appending into the next test's database
  }, 60_000);
});

describe('comparing the chain with the heads', () => {
  it('matches an untouched chain', async () => {
    await append(5);
    await anchoring.tick();
    await append(1);
    const answer = await anchoring.check();
    expect(answer).toMatchObject({ bridge: 'checked', bridgeHeads: 1, compared: 1, matched: 1, findings: [] });
  });

  it('reports the newest entries deleted, which the local chain check cannot see', async () => {
    await append(10);
    await anchoring.tick();
    await raw((store) => store.delete(IDBKeyRange.bound(8, 10)));
    // what is left is a perfect chain of 7
    expect(await verifyWholeChain(db)).toMatchObject({ ok: true, count: 7 });
    const answer = await anchoring.check();
    expect(answer.findings).toEqual([{ kind: 'deleted', fromSeq: 8, toSeq: 10, newest: true, headSeq: 10, source: 'bridge' }]);
    // the finding itself is on the trail
    expect((await db.audit.where('type').equals('audit.anchorCheck').toArray())[0]).toMatchObject({ code: 'TAMPERED', detail: { findings: 'deleted:8-10' } });
  });

  it('reports a range deleted in the middle', async () => {
    await append(3);
    await anchoring.tick();
    await append(3);
    await anchoring.tick();
    await raw((store) => store.delete(IDBKeyRange.bound(2, 3)));
    const answer = await anchoring.check();
    expect(answer.findings).toEqual([{ kind: 'deleted', fromSeq: 2, toSeq: 3, newest: false, headSeq: 3, source: 'bridge' }]);
  });

  it('reports an entry rewritten and the rest re-hashed, between the last matching head and the first differing one', async () => {
    await append(5);
    await anchoring.tick();
    await append(5);
    await anchoring.tick();
    await rewriteAndRehash(7, (e) => ({ ...e, detail: { ...e.detail, amountFen: 1 } }));
    expect(await verifyWholeChain(db)).toMatchObject({ ok: true, count: 10 });
    const answer = await anchoring.check();
    expect(answer).toMatchObject({ compared: 2, matched: 1 });
    expect(answer.findings).toEqual([{ kind: 'rewritten', fromSeq: 6, headSeq: 10, source: 'bridge' }]);
  });

  it('with no bridge, compares with the heads recorded at exports', async () => {
    settings = { ...settings, bridge: { ...settings.bridge, baseUrl: '', secret: '' } };
    await append(6);
    expect(await anchoring.exported()).toBe('no-bridge');
    await append(2);
    expect((await anchoring.check()).findings).toEqual([]);
    await raw((store) => store.delete(IDBKeyRange.lowerBound(5)));
    const answer = await anchoring.check();
    expect(answer).toMatchObject({ bridge: 'none', exportHeads: 1 });
    expect(answer.findings).toEqual([{ kind: 'deleted', fromSeq: 5, toSeq: 6, newest: true, headSeq: 6, source: 'export' }]);
  });

  it('checks the day heads recorded in the exports table (a hash, no seq)', async () => {
    settings = { ...settings, bridge: { ...settings.bridge, baseUrl: '', secret: '' } };
    await append(4);
    const dayHead = await db.audit.orderBy('seq').last();
    const ctx = (): SupervisorContext => ({ db, audit, settings, now: clock });
    await recordExport(ctx(), { format: 'csv', fileName: 'day.csv', rowCount: 0, days: [{ day: '2025-03-28', settlementCount: 0, withAudit: true, auditHeadHash: dayHead?.hash ?? null }] });
    expect((await anchoring.check()).findings).toEqual([]);
    await rewriteAndRehash(2, (e) => ({ ...e, orderNo: 'XS-forged' }));
    const answer = await anchoring.check();
    // recordExport alone (no anchoring.exported()): only the exports table's day head is there to see it
    expect(answer.findings).toEqual([{ kind: 'exportDay', day: '2025-03-28', hash: dayHead?.hash, entriesLeft: 5 }]);
  });

  it('tells a retention purge apart from a deletion', async () => {
    settings = { ...settings, retentionDays: 400 };
    const oldDay = '2024-01-10';
    clock = Date.parse(`${oldDay}T10:00:00+08:00`);
    await append(3);
    await anchoring.tick();
    const head = await db.audit.orderBy('seq').last();
    clock = Date.parse('2025-03-28T12:00:00+08:00');
    const ctx = (): SupervisorContext => ({ db, audit, settings, now: clock });
    await recordExport(ctx(), { format: 'xlsx', fileName: 'old.xlsx', rowCount: 0, days: [{ day: oldDay, settlementCount: 0, withAudit: true, auditHeadHash: head?.hash ?? null }] });
    await anchoring.tick();
    const report = await purgeRetention(ctx(), { dryRun: false, by: '王主管' });
    expect(report.auditThroughSeq).toBe(3);
    expect(await db.audit.get(3)).toBeUndefined();
    const answer = await anchoring.check();
    expect(answer.findings).toHaveLength(1);
    expect(answer.findings[0]).toMatchObject({ kind: 'purged', throughSeq: 3, by: '王主管', heads: 1 });
    expect(answer.matched).toBe(1);
  });
});

describe('a bridge that lists only its newest 100 heads (spec revision 2)', { timeout: 60_000 }, () => {
  /** 130 entries, a head sent after each: the bridge lists #31–#130; #1–#30 are no longer listed */
  async function anchoredChain(exportAt?: number): Promise<void> {
    bridge.keep = 100;
    for (let seq = 1; seq <= 130; seq += 1) {
      await append(1);
      if (seq === exportAt) await anchoring.exported();
      else await anchoring.tick();
    }
    expect(bridge.heads.size).toBe(130);
  }

  it('matches an untouched chain against the heads it still lists', async () => {
    await anchoredChain();
    const answer = await anchoring.check();
    expect(answer).toMatchObject({ bridge: 'checked', bridgeHeads: 100, compared: 100, matched: 100, findings: [] });
  });

  it('still sees an entry rewritten before its oldest listed head: every later head commits to it', async () => {
    await anchoredChain();
    await rewriteAndRehash(10, (e) => ({ ...e, orderNo: 'XS-forged' }));
    expect(await verifyWholeChain(db)).toMatchObject({ ok: true, count: 130 });
    const answer = await anchoring.check();
    // where exactly cannot be told without an older head: somewhere up to the oldest listed one
    expect(answer.findings).toEqual([{ kind: 'rewritten', fromSeq: 1, headSeq: 31, source: 'bridge' }]);
  });

  it('an older export head narrows where the rewrite is', async () => {
    await anchoredChain(5);
    await rewriteAndRehash(10, (e) => ({ ...e, orderNo: 'XS-forged' }));
    const answer = await anchoring.check();
    expect(answer.findings).toEqual([{ kind: 'rewritten', fromSeq: 6, headSeq: 31, source: 'bridge' }]);
  });

  it('reports the newest entries deleted', async () => {
    await anchoredChain();
    await raw((store) => store.delete(IDBKeyRange.bound(128, 130)));
    expect((await anchoring.check()).findings).toEqual([{ kind: 'deleted', fromSeq: 128, toSeq: 130, newest: true, headSeq: 130, source: 'bridge' }]);
  });

  it('old entries deleted without re-hashing: the listed heads still match, the chain check itself breaks', async () => {
    await anchoredChain();
    await raw((store) => store.delete(IDBKeyRange.bound(20, 25)));
    expect((await anchoring.check()).findings).toEqual([]);
    expect(await verifyWholeChain(db)).toMatchObject({ ok: false });
  });
});
