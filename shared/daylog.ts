import { readDeviceId } from './device';
import { PORTAL_IDS, type PortalId } from '@/providers/registry';
import type { AuditEntry, Settlement, TenderBridgeDb, TenderRecord } from './db';
import { GENESIS_HASH, stableStringify, type ChainProblem } from './audit';
import { type ExceptionRecord, type VendorImport, type YingkeFetch } from './log-records';
import {
  addDays,
  DEFAULT_POOL_DAYS,
  reconcile,
  type ReconcileResult,
  type SettlementRow,
  type VendorRowEntry,
  type YingkeEntry,
} from './reconcile';

/**
 * Reads for the supervisors' daily log, shaped for the scale targets (a busy store: ~300
 * settlements and ~3,000 audit entries a day, a year kept): every query is an index range —
 * settlements / Yingke tenders / vendor rows / exceptions by `day`, tenders by primary key
 * (bulkGet of the settlement ids), audit entries by `day` or by `[type+day]` — inside one
 * read-only transaction, so a day or a month is read as one consistent snapshot. Nothing here
 * scans a whole table, except the explicit whole-chain check, which streams in batches.
 */

export interface LoadOptions {
  now: number;
  poolDays?: number;
  paymentMethodIds?: Partial<Record<PortalId, number>>;
  /** this till; default: the one stored in this profile (shared/device.ts), if any */
  deviceId?: string;
}

export interface WindowData {
  settlements: Settlement[];
  tenders: Map<string, TenderRecord>;
  yingke: YingkeEntry[];
  fetches: YingkeFetch[];
  handled: Map<string, ExceptionRecord>;
  vendorRows: VendorRowEntry[];
  vendorImports: VendorImport[];
  /** ms: the index ranges (settlements, tenders by createdAt, Yingke, …), then the tenders looked up by key */
  timings: { rangesMs: number; tendersMs: number; lookedUp: number };
}

/** Everything reconciliation of [from, to] needs, with the pool window around it. */
export async function loadWindow(db: TenderBridgeDb, from: string, to: string, poolDays = DEFAULT_POOL_DAYS): Promise<WindowData> {
  const t = db;
  const lo = addDays(from, -poolDays);
  const hi = addDays(to, poolDays);
  const started = performance.now();
  // Tenders are queued when the settlement is captured (minutes later at most, usually): read the
  // window's by createdAt, and look up by key only the few settlements that range did not cover.
  const tenderFrom = `${lo}T00:00:00`;
  const tenderTo = `${addDays(hi, 1)}T23:59:59\uffff`;
  return db.transaction('r', [db.settlements, db.tenders, t.yingkeTenders, t.yingkeFetches, t.exceptions, t.vendorRows, t.vendorImports], async () => {
    const [settlements, yingke, fetches, exceptions, vendorRows, vendorImports, ranged] = await Promise.all([
      // settlements after the range cannot explain its Yingke tenders (recorded after capture)
      db.settlements.where('day').between(lo, to, true, true).toArray(),
      t.yingkeTenders.where('day').between(lo, hi, true, true).toArray(),
      t.yingkeFetches.where('day').between(lo, hi, true, true).toArray(),
      t.exceptions.where('day').between(from, to, true, true).toArray(),
      t.vendorRows.where('day').between(lo, hi, true, true).toArray(),
      t.vendorImports.where('day').between(lo, hi, true, true).toArray(),
      db.tenders.where('createdAt').between(tenderFrom, tenderTo, true, true).toArray(),
    ]);
    const rangesDone = performance.now();
    const wanted = new Set(settlements.filter((s) => s.status === 'success').map((s) => s.id));
    const tenders = new Map<string, TenderRecord>();
    for (const tender of ranged) if (wanted.has(tender.settlementId)) tenders.set(tender.settlementId, tender);
    const missing = [...wanted].filter((id) => !tenders.has(id));
    if (missing.length) for (const tender of await db.tenders.bulkGet(missing)) if (tender) tenders.set(tender.settlementId, tender);
    const timings = { rangesMs: Math.round(rangesDone - started), tendersMs: Math.round(performance.now() - rangesDone), lookedUp: missing.length };
    const handled = new Map<string, ExceptionRecord>();
    for (const e of exceptions) handled.set(e.id, e);
    return { settlements, tenders, yingke, fetches, handled, vendorRows, vendorImports, timings };
  });
}

export type RangeResult = ReconcileResult & { window: WindowData; poolDays: number; reconcileMs: number };

/** Reconciliation of the days [from, to] (a day, or a month). */
export async function reconcileRange(db: TenderBridgeDb, from: string, to: string, options: LoadOptions): Promise<RangeResult> {
  const poolDays = options.poolDays ?? DEFAULT_POOL_DAYS;
  const deviceId = options.deviceId ?? (await readDeviceId(db));
  const window = await loadWindow(db, from, to, poolDays);
  const yingkeFetchedAt = new Map<string, number>();
  for (const f of window.fetches) if (f.okAtMs !== undefined) yingkeFetchedAt.set(f.day, f.okAtMs);
  const started = performance.now();
  const result = reconcile({
    from,
    to,
    settlements: window.settlements,
    tenders: window.tenders,
    yingke: window.yingke,
    yingkeFetchedAt,
    vendorRows: window.vendorRows,
    vendorFiles: new Set(window.vendorImports.map((i) => `${i.day}|${i.portal}`)),
    handled: window.handled,
    ...(options.paymentMethodIds ? { paymentMethodIds: options.paymentMethodIds } : {}),
    now: options.now,
    poolDays,
    ...(deviceId !== undefined ? { deviceId } : {}),
  });
  return { ...result, window, poolDays, reconcileMs: Math.round(performance.now() - started) };
}

// ---------------------------------------------------------------------------------------------
// Totals and series (pure)

export interface TotalRow {
  portal: PortalId;
  /** Yingke payment method (下账方式) */
  method: string;
  /** successful sales */
  sales: number;
  /** charged to the card / insurance by those sales, fen */
  cardFen: number;
  /** the cash part of those sales, fen */
  cashFen: number;
  refunds: number;
  /** card amount refunded, fen */
  refundFen: number;
  /** cardFen − refundFen */
  netFen: number;
  /** attempts the vendor refused (no money moved) */
  failed: number;
}

/** Totals per portal and payment method, in PORTAL_IDS order; portals with nothing are left out. */
export function totalsOf(rows: readonly SettlementRow[], methodOf: (row: SettlementRow) => string): TotalRow[] {
  const byKey = new Map<string, TotalRow>();
  for (const row of rows) {
    const s = row.settlement;
    const method = methodOf(row);
    const key = `${s.portal}|${method}`;
    let total = byKey.get(key);
    if (!total) {
      total = { portal: s.portal, method, sales: 0, cardFen: 0, cashFen: 0, refunds: 0, refundFen: 0, netFen: 0, failed: 0 };
      byKey.set(key, total);
    }
    if (s.status === 'failed') total.failed += 1;
    else if (s.kind === 'sale') {
      total.sales += 1;
      total.cardFen += s.amountFen;
      total.cashFen += s.cashFen;
    } else {
      total.refunds += 1;
      total.refundFen += s.amountFen;
    }
    total.netFen = total.cardFen - total.refundFen;
  }
  const order = (p: PortalId): number => PORTAL_IDS.indexOf(p);
  return [...byKey.values()].sort((a, b) => order(a.portal) - order(b.portal) || (a.method < b.method ? -1 : 1));
}

export function grandTotal(totals: readonly TotalRow[]): Omit<TotalRow, 'portal' | 'method'> {
  const sum = { sales: 0, cardFen: 0, cashFen: 0, refunds: 0, refundFen: 0, netFen: 0, failed: 0 };
  for (const t of totals) {
    sum.sales += t.sales;
    sum.cardFen += t.cardFen;
    sum.cashFen += t.cashFen;
    sum.refunds += t.refunds;
    sum.refundFen += t.refundFen;
    sum.netFen += t.netFen;
    sum.failed += t.failed;
  }
  return sum;
}

/** The payment method a settlement went (or goes) to Yingke under. */
export function methodName(row: SettlementRow, configured: (portal: PortalId) => string): string {
  if (row.yingke) return row.yingke.paymentMethodName;
  if (row.tender?.body) {
    const match = /"paymentMethodName":"((?:[^"\\]|\\.)*)"/.exec(row.tender.body);
    if (match?.[1]) return match[1];
  }
  return configured(row.settlement.portal);
}

export type PortalSeries = Record<PortalId, number[]>;

function emptySeries(length: number): PortalSeries {
  return Object.fromEntries(PORTAL_IDS.map((p) => [p, new Array<number>(length).fill(0)])) as PortalSeries;
}

/** Net card amount (sales − refunds) per portal for each hour 0–23 of the day, fen. */
export function hourlySeries(rows: readonly SettlementRow[]): PortalSeries {
  const series = emptySeries(24);
  for (const { settlement: s } of rows) {
    if (s.status !== 'success') continue;
    const hour = Number(s.settledAt.slice(11, 13));
    const list = series[s.portal];
    if (Number.isInteger(hour) && hour >= 0 && hour < 24) list[hour] = (list[hour] ?? 0) + (s.kind === 'refund' ? -s.amountFen : s.amountFen);
  }
  return series;
}

export interface DailySeries {
  days: string[];
  byPortal: PortalSeries;
  counts: number[];
}

/** Net card amount per portal per day for the `count` days ending on `endDay`, fen. */
export async function dailySeries(db: TenderBridgeDb, endDay: string, count = 30): Promise<DailySeries> {
  const start = addDays(endDay, -(count - 1));
  const days = Array.from({ length: count }, (_, i) => addDays(start, i));
  const index = new Map(days.map((d, i) => [d, i]));
  const byPortal = emptySeries(count);
  const counts = new Array<number>(count).fill(0);
  await db.settlements.where('day').between(start, endDay, true, true).each((s) => {
    const i = index.get(s.day);
    if (i === undefined || s.status !== 'success') return;
    const list = byPortal[s.portal];
    list[i] = (list[i] ?? 0) + (s.kind === 'refund' ? -s.amountFen : s.amountFen);
    if (s.kind === 'sale') counts[i] = (counts[i] ?? 0) + 1;
  });
  return { days, byPortal, counts };
}

/** Settlements per day in [from, to] (index keys only, no records read). */
export async function settlementCounts(db: TenderBridgeDb, from: string, to: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const keys = await db.settlements.where('day').between(from, to, true, true).keys();
  for (const key of keys) if (typeof key === 'string') counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Search

/** Settlements of any day whose Yingke order number or vendor number is exactly `query`. */
export async function searchSettlements(db: TenderBridgeDb, query: string, limit = 50): Promise<Settlement[]> {
  const q = query.trim();
  if (!q) return [];
  const lookups: Promise<Settlement[]>[] = [db.settlements.where('orderNo').equals(q).limit(limit).toArray()];
  for (const portal of PORTAL_IDS) {
    for (const kind of ['sale', 'refund'] as const) lookups.push(db.settlements.where('[portal+vendorOrderNo+kind]').equals([portal, q, kind]).toArray());
  }
  const seen = new Map<string, Settlement>();
  for (const list of await Promise.all(lookups)) for (const s of list) seen.set(s.id, s);
  return [...seen.values()].sort((a, b) => (a.settledAt < b.settledAt ? 1 : -1)).slice(0, limit);
}

/** Case-insensitive substring match over the numbers a supervisor would type. */
export function matchesQuery(query: string, ...fields: (string | undefined | null)[]): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return fields.some((f) => typeof f === 'string' && f.toLowerCase().includes(q));
}

// ---------------------------------------------------------------------------------------------
// Audit chain

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

// SHA-256 (FIPS 180-4), synchronous. The audit trail is written with crypto.subtle (audit.ts);
// checking a million entries with one promise and thread hop per digest takes ~50 s in Chrome,
// in plain JS ~5× less. Tested against crypto.subtle.
const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const W = new Uint32Array(64);
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const utf8 = new TextEncoder();
let block = new Uint8Array(1024);

export function sha256HexSync(text: string): string {
  // UTF-8 takes at most 3 bytes per UTF-16 unit; + padding
  const need = ((text.length * 3 + 9 + 63) >> 6) << 6;
  if (block.length < need) block = new Uint8Array(need * 2);
  const len = utf8.encodeInto(text, block).written;
  const total = ((len + 9 + 63) >> 6) << 6;
  block.fill(0, len, total);
  block[len] = 0x80;
  const view = new DataView(block.buffer, 0, total);
  view.setUint32(total - 8, Math.floor(len / 0x20000000), false);
  view.setUint32(total - 4, (len * 8) >>> 0, false);
  let h0 = 0x6a09e667, h1 = 0xbb67ae85, h2 = 0x3c6ef372, h3 = 0xa54ff53a, h4 = 0x510e527f, h5 = 0x9b05688c, h6 = 0x1f83d9ab, h7 = 0x5be0cd19;
  for (let off = 0; off < total; off += 64) {
    for (let i = 0; i < 16; i += 1) W[i] = view.getUint32(off + i * 4, false);
    for (let i = 16; i < 64; i += 1) {
      const x = W[i - 15] ?? 0;
      const y = W[i - 2] ?? 0;
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      W[i] = ((W[i - 16] ?? 0) + s0 + (W[i - 7] ?? 0) + s1) | 0;
    }
    let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
    for (let i = 0; i < 64; i += 1) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (h + S1 + ch + (K[i] ?? 0) + (W[i] ?? 0)) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
    h5 = (h5 + f) | 0;
    h6 = (h6 + g) | 0;
    h7 = (h7 + h) | 0;
  }
  let out = '';
  for (const word of [h0, h1, h2, h3, h4, h5, h6, h7]) {
    out += (HEX[(word >>> 24) & 255] ?? '') + (HEX[(word >>> 16) & 255] ?? '') + (HEX[(word >>> 8) & 255] ?? '') + (HEX[word & 255] ?? '');
  }
  return out;
}

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

// ---------------------------------------------------------------------------------------------
// Monitoring: the bridge call log

export interface BridgeCall {
  seq: number;
  at: string;
  day: string;
  /** post: POST /api/v1/tenders (the outbox); list: GET /api/v1/tenders?date= (reconciliation) */
  what: 'post' | 'list';
  /** recorded, retry:network, rejected, conflict, unauthorized, ok, …  */
  outcome: string;
  status: number | null;
  durationMs: number | null;
  portal?: PortalId;
  orderNo?: string;
  tenderId?: string;
  attempt?: number;
  /** for a list call: the day asked for, and how many tenders came back */
  listedDay?: string;
  count?: number;
}

export const BRIDGE_CALL_TYPES = ['tender.attempt', 'bridge.listTenders'] as const;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function bridgeCallOf(entry: AuditEntry): BridgeCall {
  const d = entry.detail;
  const list = entry.type === 'bridge.listTenders';
  const tenderId = str(d.tenderId);
  const listedDay = str(d.day);
  const count = num(d.count);
  const attempt = num(d.attempt);
  return {
    seq: entry.seq,
    at: entry.at,
    day: entry.day,
    what: list ? 'list' : 'post',
    outcome: entry.code ?? '',
    status: num(d.status),
    durationMs: num(d.durationMs),
    ...(entry.portal ? { portal: entry.portal } : {}),
    ...(entry.orderNo ? { orderNo: entry.orderNo } : {}),
    ...(tenderId ? { tenderId } : {}),
    ...(attempt !== null ? { attempt } : {}),
    ...(listedDay ? { listedDay } : {}),
    ...(count !== null ? { count } : {}),
  };
}

/** Bridge calls recorded on the days [from, to], newest first. */
export async function bridgeCallLog(db: TenderBridgeDb, from: string, to: string): Promise<BridgeCall[]> {
  const lists = await Promise.all(
    BRIDGE_CALL_TYPES.map((type) => db.audit.where('[type+day]').between([type, from], [type, to], true, true).toArray()),
  );
  return lists.flat().sort((a, b) => b.seq - a.seq).map(bridgeCallOf);
}

/** Audit entries of one type on the days [from, to] (the [type+day] index). */
export async function auditOfType(db: TenderBridgeDb, type: string, from: string, to: string): Promise<AuditEntry[]> {
  return db.audit.where('[type+day]').between([type, from], [type, to], true, true).toArray();
}
