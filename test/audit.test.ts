import { beforeEach, describe, expect, it } from 'vitest';
import { AuditLog, GENESIS_HASH, stableStringify, verifyAuditChain } from '@/shared/audit';
import { TenderBridgeDb } from '@/shared/db';

let db: TenderBridgeDb;
let log: AuditLog;

beforeEach(async () => {
  db = new TenderBridgeDb(`audit-test-${crypto.randomUUID()}`);
  log = new AuditLog(db, () => Date.parse('2025-03-28T02:15:00Z'));
});

async function appendMany(n: number) {
  await Promise.all(Array.from({ length: n }, (_, i) => log.append({ type: 'scan.accepted', orderNo: `XS${i}`, detail: { i } })));
  return db.audit.orderBy('seq').toArray();
}

describe('audit trail', () => {
  it('chains entries in order, even when appended concurrently', async () => {
    const entries = await appendMany(20);
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(entries[0]?.prevHash).toBe(GENESIS_HASH);
    expect(entries[0]?.day).toBe('2025-03-28');
    expect(entries[0]?.at).toBe('2025-03-28T10:15:00+08:00');
    const check = await verifyAuditChain(entries);
    expect(check).toEqual({ ok: true, count: 20, headHash: entries[19]?.hash });
  });

  it('continues the chain after a restart (new AuditLog on the same database)', async () => {
    await appendMany(3);
    const restarted = new AuditLog(db);
    await restarted.append({ type: 'after.restart' });
    expect((await verifyAuditChain(await db.audit.orderBy('seq').toArray())).ok).toBe(true);
  });

  it('refuses updates and deletes through Dexie', async () => {
    await appendMany(2);
    await expect(db.audit.update(1, { type: 'forged' })).rejects.toThrow();
    await expect(db.audit.delete(1)).rejects.toThrow();
  });

  it('reports a changed, a removed and a reordered entry', async () => {
    const entries = await appendMany(5);
    const changed = entries.map((e) => (e.seq === 3 ? { ...e, detail: { i: 99 } } : e));
    expect(await verifyAuditChain(changed)).toEqual({ ok: false, seq: 3, problem: 'changed' });
    const removed = entries.filter((e) => e.seq !== 3);
    expect(await verifyAuditChain(removed)).toEqual({ ok: false, seq: 4, problem: 'removed' });
    const reordered = [entries[0], entries[2], entries[1], entries[3], entries[4]].filter((e) => e !== undefined);
    expect((await verifyAuditChain(reordered)).ok).toBe(false);
  });

  it('serialises objects stably', () => {
    expect(stableStringify({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe('{"a":{"d":[1,{"x":1,"y":2}]},"b":1}');
  });
});
