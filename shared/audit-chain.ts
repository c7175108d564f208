import type { AuditEntry, TenderBridgeDb } from './db';
import { GENESIS_HASH, type ChainProblem } from './audit';
import { sha256HexSync } from './core/sha256';
import { storeIso } from './time';

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
  return auditOfDays(db, day, day);
}

/**
 * The audit entries of the days [from, to], in the `day` index's order (day, then seq). The days
 * are almost always one run of seq (the store's clock moves forward): then they are read as
 * ranges of the primary key, without the index's lookup per record (a month is ~90,000 entries).
 */
export async function auditOfDays(db: TenderBridgeDb, from: string, to: string): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  await streamAuditOfDays(db, from, to, {
    chunk: (part) => {
      for (const e of part) entries.push(e);
    },
    reset: () => {
      entries.length = 0;
    },
  });
  return entries;
}

/** Where streamAuditOfDays hands the entries: `reset` means forget what came so far, all of it comes again. */
export interface AuditSink {
  chunk(entries: AuditEntry[]): void;
  reset(): void;
}

/**
 * The same entries as auditOfDays, handed over `chunkSize` at a time as they are read, so the
 * caller works on one part (an export writes its rows) while the database reads the next. All
 * parts are asked for at once in one read-only transaction; `sink.chunk` must not wait on anything.
 * The fast path needs the days to be one run of seq in day order: the first and last entry in the
 * index's order and the count tell whether the run can be it, and every entry read is checked
 * (its day in range and never before the previous one's) — if one is not, the sink is reset and
 * the entries come once more, read through the index.
 */
export async function streamAuditOfDays(db: TenderBridgeDb, from: string, to: string, sink: AuditSink, chunkSize = 10_000): Promise<void> {
  await db.transaction('r', db.audit, async () => {
    // a collection each: first() and last() set the collection's limit
    const inDays = () => db.audit.where('day').between(from, to, true, true);
    const [first, last, count] = await Promise.all([inDays().first(), inDays().last(), inDays().count()]);
    if (!first || !last || count === 0) return;
    const lo = first.seq;
    const hi = last.seq;
    if (hi - lo + 1 === count) {
      const reads: Promise<AuditEntry[]>[] = [];
      for (let a = lo; a <= hi; a += chunkSize) reads.push(db.audit.where(':id').between(a, Math.min(hi, a + chunkSize - 1), true, true).toArray());
      let seen = 0;
      let previousDay = from;
      let inOrder = true;
      for (const read of reads) {
        const part = await read;
        for (const e of part) {
          if (e.day < previousDay || e.day > to) inOrder = false;
          previousDay = e.day;
        }
        seen += part.length;
        if (!inOrder) break;
        sink.chunk(part);
      }
      if (inOrder && seen === count) return;
      // the rest of the reads finish with the transaction; their entries are not used
      for (const read of reads) read.catch(() => undefined);
      sink.reset();
    }
    sink.chunk(await inDays().toArray());
  });
}

export type ChainScope = 'day' | 'all';
export type ChainReport =
  | {
      ok: true;
      scope: ChainScope;
      count: number;
      head: AuditHead | null;
      purgedThroughSeq: number | null;
      /** a whole-chain check that re-hashed only what came after this verified checkpoint */
      since?: ChainCheckpoint;
      /** entries re-hashed by this check (count minus those before the checkpoint) */
      rehashed?: number;
    }
  | { ok: false; scope: ChainScope; count: number; seq: number; problem: ChainProblem; at: string | null; type: string | null };

type Finding = { seq: number; problem: ChainProblem; entry?: AuditEntry } | null;

/** auditEntryHash (audit.ts), synchronously. */
export function auditEntryHashSync(entry: Omit<AuditEntry, 'hash'>): string {
  return sha256HexSync(stableJson(entry));
}

/** An entry's hash recomputed from the entry as stored (its own `hash` member left out). */
export function storedEntryHash(entry: AuditEntry): string {
  return sha256HexSync(stableJson(entry, 'hash'));
}

/**
 * The same text as stableStringify (audit.ts), built without the intermediate arrays of entries
 * and pairs: the whole-chain check serialises a million entries, the export ~90,000 details.
 * `skipKey` is left out at the top level (an entry's own hash, without copying the entry).
 */
export function stableJson(value: unknown, skipKey?: string): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) {
      if (i > 0) out += ',';
      // a hole stays empty, as Array.prototype.map and join leave it
      if (i in value) out += stableJson(value[i]);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  // default sort: UTF-16 code unit order, the same as the `<` comparison stableStringify uses
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    if (key === skipKey) continue;
    const member = record[key];
    if (member === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${stableJson(member)}`;
    first = false;
  }
  return `${out}}`;
}

/** The same rules as verifyAuditChain (audit.ts); each entry's hash depends only on its content. */
async function checkBatch(entries: readonly AuditEntry[], previous: AuditEntry | undefined): Promise<Finding> {
  const hashes = entries.map(storedEntryHash);
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

/**
 * The last whole-chain check that passed: the entry it ended on. The next whole-chain check starts
 * there instead of at the first entry (a busy year is a million entries: ~30 s to re-hash), after
 * checking that everything before it is still there and still ends in the same hash:
 * - the checkpoint entry still has the hash it had, and its content still hashes to it: a rewrite
 *   of any earlier entry that re-hashed the rest to stay consistent changed this hash;
 * - the entries up to it are contiguous from the first one (seq has no holes) and the first one
 *   follows the genesis hash or a recorded retention purge: nothing before it was deleted.
 * What only a full check finds: an earlier entry edited without re-hashing the entries after it.
 * The page offers that check too ({ full: true }); it also holds the chain to the checkpoint, so a
 * consistent rewrite (every later hash redone) is found by both, like the heads held by the bridge
 * and the exports (anchor.ts), which the page compares after either.
 */
export interface ChainCheckpoint {
  seq: number;
  hash: string;
  /** when that check passed, ISO +08:00 */
  at: string;
}
const CHECKPOINT_KEY = 'auditChainVerified';

export async function readChainCheckpoint(db: TenderBridgeDb): Promise<ChainCheckpoint | null> {
  const stored = await db.kv.get(CHECKPOINT_KEY);
  if (typeof stored?.value !== 'string') return null;
  const [seq, hash, at] = stored.value.split('|');
  return seq && hash && at && /^\d+$/.test(seq) && /^[0-9a-f]{64}$/.test(hash) ? { seq: Number(seq), hash, at } : null;
}

async function saveChainCheckpoint(db: TenderBridgeDb, checkpoint: ChainCheckpoint): Promise<void> {
  await db.kv.put({ key: CHECKPOINT_KEY, value: `${checkpoint.seq}|${checkpoint.hash}|${checkpoint.at}` });
}

export interface WholeChainOptions {
  batchSize?: number;
  onProgress?: (p: ChainProgress) => void;
  signal?: AbortSignal;
  /** re-hash every entry, ignoring the checkpoint */
  full?: boolean;
  /** when it passed (for the checkpoint it leaves); default now */
  nowIso?: () => string;
}

/**
 * Checks the whole trail in seq order, `batchSize` entries at a time: from the last verified
 * checkpoint when there is one (see ChainCheckpoint), or every entry with { full: true }.
 * A check that passes leaves its head as the next checkpoint.
 */
export async function verifyWholeChain(db: TenderBridgeDb, options: WholeChainOptions = {}): Promise<ChainReport> {
  const batchSize = options.batchSize ?? 5000;
  // the number of entries (for the progress shown); counted once, with the checkpoint's check below
  let total: number | undefined;
  const firstEntry = await db.audit.orderBy('seq').first();
  if (!firstEntry) return { ok: true, scope: 'all', count: 0, head: null, purgedThroughSeq: null };
  const anchored = await startIsAnchored(db, firstEntry);
  if (!anchored.ok) return failure('all', 0, { seq: firstEntry.seq, problem: 'removed', entry: firstEntry });

  let previous: AuditEntry | undefined;
  let checked = 0;
  let since: ChainCheckpoint | undefined;
  // a full check re-hashes everything but still holds the chain to the checkpoint (below): a
  // consistent rewrite passes the hashes and links, never the head it had when last verified
  const checkpoint = await readChainCheckpoint(db);
  if (checkpoint && !options.full && checkpoint.seq >= firstEntry.seq) {
    const entry = await db.audit.get(checkpoint.seq);
    if (!entry) return failure('all', 0, { seq: checkpoint.seq, problem: 'removed' });
    if (entry.hash !== checkpoint.hash || storedEntryHash(entry) !== entry.hash) return failure('all', 0, { seq: entry.seq, problem: 'changed', entry });
    // entries up to the checkpoint = all − those after it, both counted in one snapshot: counting
    // the million before it is a second walk over the whole store, those after it are a day's
    const upTo = await db.transaction('r', db.audit, async () => {
      const [all, after] = await Promise.all([db.audit.count(), db.audit.where('seq').above(checkpoint.seq).count()]);
      total = all;
      return all - after;
    });
    if (upTo !== checkpoint.seq - firstEntry.seq + 1) return failure('all', 0, { seq: checkpoint.seq, problem: 'removed', entry });
    previous = entry;
    checked = upTo;
    since = checkpoint;
  }

  const read = (after: number | undefined): Promise<AuditEntry[]> =>
    after === undefined ? db.audit.orderBy('seq').limit(batchSize).toArray() : db.audit.where('seq').above(after).limit(batchSize).toArray();
  // the next batch is read (in the browser's database thread) while this one is hashed
  let next = read(previous?.seq);
  const startedAt = checked;
  total ??= await db.audit.count();
  options.onProgress?.({ checked, total });
  for (;;) {
    if (options.signal?.aborted) throw new Error('aborted');
    const batch = await next;
    const first = batch[0];
    if (!first) break;
    const last = batch[batch.length - 1];
    next = read(last?.seq ?? first.seq);
    next.catch(() => undefined);
    const finding = await checkBatch(batch, previous);
    if (finding) return failure('all', checked + batch.findIndex((e) => e.seq === finding.seq), finding);
    checked += batch.length;
    previous = batch[batch.length - 1];
    options.onProgress?.({ checked, total });
  }
  if (checkpoint && options.full && checkpoint.seq >= firstEntry.seq) {
    const entry = await db.audit.get(checkpoint.seq);
    if (!entry) return failure('all', checked, { seq: checkpoint.seq, problem: 'removed' });
    if (entry.hash !== checkpoint.hash) return failure('all', checked, { seq: entry.seq, problem: 'changed', entry });
  }
  const head = previous ? { seq: previous.seq, hash: previous.hash, at: previous.at } : null;
  if (head) await saveChainCheckpoint(db, { seq: head.seq, hash: head.hash, at: options.nowIso?.() ?? storeIso(Date.now()) });
  return {
    ok: true,
    scope: 'all',
    count: checked,
    head,
    purgedThroughSeq: anchored.purgedThroughSeq,
    ...(since ? { since, rehashed: checked - startedAt } : {}),
  };
}

