import type { AuditEntry, TenderBridgeDb } from './db';
import { GENESIS_HASH, stableStringify, type ChainProblem } from './audit';
import { sha256HexSync } from './core/sha256';

/**
 * Checking the audit trail as the supervisor's page does: one day with its links to the entries
 * around it, or the whole trail streamed in batches. The same rules as verifyAuditChain
 * (audit.ts), hashed synchronously (core/sha256.ts) because a million awaited digests are slow.
 */

export interface AuditHead {
  seq: number;
  hash: string;
  at: string;
}

/** The day's last audit entry: its hash is the chain's head at the end of that day. */
export async function auditHead(db: TenderBridgeDb, day: string): Promise<AuditHead | null> {
  const last = await db.audit.where('day').equals(day).last();
  return last ? { seq: last.seq, hash: last.hash, at: last.at } : null;
}

export async function dayAuditEntries(db: TenderBridgeDb, day: string): Promise<AuditEntry[]> {
  return db.audit.where('day').equals(day).toArray();
}

export type ChainScope = 'day' | 'all';
export type ChainReport =
  | { ok: true; scope: ChainScope; count: number; head: AuditHead | null; purgedThroughSeq: number | null }
  | { ok: false; scope: ChainScope; count: number; seq: number; problem: ChainProblem; at: string | null; type: string | null };

type Finding = { seq: number; problem: ChainProblem; entry?: AuditEntry } | null;

/** auditEntryHash (audit.ts), synchronously. */
export function auditEntryHashSync(entry: Omit<AuditEntry, 'hash'>): string {
  return sha256HexSync(stableStringify(entry));
}

/** The same rules as verifyAuditChain (audit.ts); each entry's hash depends only on its content. */
async function checkBatch(entries: readonly AuditEntry[], previous: AuditEntry | undefined): Promise<Finding> {
  const hashes = entries.map(({ hash: _hash, ...unsigned }) => auditEntryHashSync(unsigned));
  let prev = previous;
  for (let i = 0; i < entries.length; i += 1) {
    const entry = entries[i];
    if (!entry) continue;
    if (hashes[i] !== entry.hash) return { seq: entry.seq, problem: 'changed', entry };
    if (prev) {
      if (entry.seq <= prev.seq || entry.prevHash === prev.prevHash) return { seq: entry.seq, problem: 'reordered', entry };
      if (entry.prevHash !== prev.hash) return { seq: entry.seq, problem: entry.seq === prev.seq + 1 ? 'reordered' : 'removed', entry };
    }
    prev = entry;
  }
  return null;
}

/**
 * The first entry follows the genesis hash, or a recorded retention purge: the purge writes an
 * audit entry `retention.purged` with the last removed seq and its hash before removing anything.
 */
async function startIsAnchored(db: TenderBridgeDb, first: AuditEntry): Promise<{ ok: boolean; purgedThroughSeq: number | null }> {
  if (first.prevHash === GENESIS_HASH && first.seq === 1) return { ok: true, purgedThroughSeq: null };
  const purges = await db.audit.where('type').equals('retention.purged').toArray();
  const anchor = purges.find((p) => p.detail.throughSeq === first.seq - 1 && p.detail.anchorHash === first.prevHash);
  return anchor ? { ok: true, purgedThroughSeq: first.seq - 1 } : { ok: false, purgedThroughSeq: null };
}

function failure(scope: ChainScope, count: number, finding: NonNullable<Finding>): ChainReport {
  return { ok: false, scope, count, seq: finding.seq, problem: finding.problem, at: finding.entry?.at ?? null, type: finding.entry?.type ?? null };
}

/** Checks the day's entries, and their links to the entries just before and after the day. */
export async function verifyDayChain(db: TenderBridgeDb, day: string): Promise<ChainReport> {
  const entries = await dayAuditEntries(db, day);
  const first = entries[0];
  const last = entries[entries.length - 1];
  if (!first || !last) return { ok: true, scope: 'day', count: 0, head: null, purgedThroughSeq: null };
  const [before, after] = await Promise.all([db.audit.where('seq').below(first.seq).last(), db.audit.where('seq').above(last.seq).first()]);
  let purgedThroughSeq: number | null = null;
  if (!before) {
    const anchored = await startIsAnchored(db, first);
    if (!anchored.ok) return failure('day', 0, { seq: first.seq, problem: 'removed', entry: first });
    purgedThroughSeq = anchored.purgedThroughSeq;
  }
  const sequence = [...(before ? [before] : []), ...entries, ...(after ? [after] : [])];
  const finding = await checkBatch(sequence, undefined);
  if (finding) return failure('day', entries.length, finding);
  return { ok: true, scope: 'day', count: entries.length, head: { seq: last.seq, hash: last.hash, at: last.at }, purgedThroughSeq };
}

export interface ChainProgress {
  checked: number;
  total: number;
}

/** Checks the whole trail in seq order, `batchSize` entries at a time. */
export async function verifyWholeChain(
  db: TenderBridgeDb,
  options: { batchSize?: number; onProgress?: (p: ChainProgress) => void; signal?: AbortSignal } = {},
): Promise<ChainReport> {
  const batchSize = options.batchSize ?? 5000;
  const total = await db.audit.count();
  let checked = 0;
  let previous: AuditEntry | undefined;
  let purgedThroughSeq: number | null = null;
  const read = (after: number | undefined): Promise<AuditEntry[]> =>
    after === undefined ? db.audit.orderBy('seq').limit(batchSize).toArray() : db.audit.where('seq').above(after).limit(batchSize).toArray();
  // the next batch is read (in the browser's database thread) while this one is hashed
  let next = read(undefined);
  for (;;) {
    if (options.signal?.aborted) throw new Error('aborted');
    const batch = await next;
    const first = batch[0];
    if (!first) break;
    const last = batch[batch.length - 1];
    next = read(last?.seq ?? first.seq);
    next.catch(() => undefined);
    if (!previous) {
      const anchored = await startIsAnchored(db, first);
      if (!anchored.ok) return failure('all', 0, { seq: first.seq, problem: 'removed', entry: first });
      purgedThroughSeq = anchored.purgedThroughSeq;
    }
    const finding = await checkBatch(batch, previous);
    if (finding) return failure('all', checked + batch.findIndex((e) => e.seq === finding.seq), finding);
    checked += batch.length;
    previous = batch[batch.length - 1];
    options.onProgress?.({ checked, total });
  }
  return {
    ok: true,
    scope: 'all',
    count: checked,
    head: previous ? { seq: previous.seq, hash: previous.hash, at: previous.at } : null,
    purgedThroughSeq,
  };
}

