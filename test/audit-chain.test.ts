import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { TenderBridgeDb, type AuditEntry } from '@/shared/db';
import { AuditLog } from '@/shared/audit';
import { auditEntryHashSync, readChainCheckpoint, verifyWholeChain } from '@/shared/audit-chain';

let db: TenderBridgeDb;
let audit: AuditLog;
let clock = Date.parse('2025-03-28T09:00:00+08:00');

/** Writes below Dexie, as someone editing IndexedDB by hand would. */
function raw(action: (store: IDBObjectStore) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const tx = db.backendDB().transaction('audit', 'readwrite');
    action(tx.objectStore('audit'));
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}

async function append(count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    clock += 1000;
    await audit.append({ type: 'scan.accepted', orderNo: `XS${i}`, detail: { i } });
  }
}

/** Rewrites entry `seq` and re-hashes every entry after it, so the chain is consistent again. */
async function rewriteAndRehash(seq: number): Promise<void> {
  const entries = await db.audit.where('seq').aboveOrEqual(seq).toArray();
  let previousHash: string | undefined;
  const rewritten: AuditEntry[] = [];
  for (const entry of entries) {
    const content = entry.seq === seq ? { ...entry, detail: { i: 999 } } : entry;
    const { hash: _old, ...unsigned } = { ...content, prevHash: previousHash ?? content.prevHash };
    const hash = auditEntryHashSync(unsigned);
    rewritten.push({ ...unsigned, hash });
    previousHash = hash;
  }
  await raw((store) => rewritten.forEach((entry) => store.put(entry)));
}

beforeEach(async () => {
  db = new TenderBridgeDb(`chain-${crypto.randomUUID()}`);
  audit = new AuditLog(db, () => clock);
  await db.open();
});

describe('whole-chain check from a verified checkpoint', () => {
  it('a passing check leaves its head as the checkpoint; the next one re-hashes only what came after', async () => {
    await append(40);
    const first = await verifyWholeChain(db, { batchSize: 7 });
    expect(first).toMatchObject({ ok: true, count: 40, head: { seq: 40 } });
    expect(first.ok && first.since).toBeUndefined();
    expect(await readChainCheckpoint(db)).toMatchObject({ seq: 40, hash: first.ok ? first.head?.hash : '' });

    await append(5);
    const second = await verifyWholeChain(db, { batchSize: 7 });
    expect(second).toMatchObject({ ok: true, count: 45, rehashed: 5, since: { seq: 40 }, head: { seq: 45 } });
    expect(await readChainCheckpoint(db)).toMatchObject({ seq: 45 });
  });

  it('finds what came after the checkpoint as a full check would', async () => {
    await append(20);
    await verifyWholeChain(db);
    await append(10);
    const target = (await db.audit.get(25)) as AuditEntry;
    await raw((store) => store.put({ ...target, detail: { i: 999 } }));
    expect(await verifyWholeChain(db)).toMatchObject({ ok: false, seq: 25, problem: 'changed' });
  });

  it('an earlier entry rewritten and the rest re-hashed changes the checkpoint’s hash: found', async () => {
    await append(30);
    await verifyWholeChain(db);
    await rewriteAndRehash(12);
    expect(await verifyWholeChain(db)).toMatchObject({ ok: false, seq: 30, problem: 'changed' });
    // hashes and links are consistent again: the full check finds it only by the checkpoint too
    expect(await verifyWholeChain(db, { full: true })).toMatchObject({ ok: false, seq: 30, problem: 'changed' });
    expect(await readChainCheckpoint(db)).toMatchObject({ seq: 30 });
  });

  it('an earlier entry deleted leaves a hole before the checkpoint: found; so is the checkpoint entry deleted', async () => {
    await append(30);
    await verifyWholeChain(db);
    await raw((store) => store.delete(10));
    expect(await verifyWholeChain(db)).toMatchObject({ ok: false, seq: 30, problem: 'removed' });
    expect(await verifyWholeChain(db, { full: true })).toMatchObject({ ok: false, seq: 11, problem: 'removed' });

    await append(1);
    await raw((store) => store.delete(30));
    expect(await verifyWholeChain(db)).toMatchObject({ ok: false, seq: 30, problem: 'removed' });
  });

  it('an earlier entry edited without re-hashing the rest: only the full check sees it (why the page offers both)', async () => {
    await append(30);
    await verifyWholeChain(db);
    const target = (await db.audit.get(7)) as AuditEntry;
    await raw((store) => store.put({ ...target, detail: { i: 999 } }));
    expect(await verifyWholeChain(db)).toMatchObject({ ok: true, since: { seq: 30 }, rehashed: 0 });
    expect(await verifyWholeChain(db, { full: true })).toMatchObject({ ok: false, seq: 7, problem: 'changed' });
  });
});
