import { readDeviceId } from './device';
import { PORTAL_IDS, type PortalId } from '@/providers/registry';
import type { AuditEntry, Settlement, TenderBridgeDb, TenderRecord } from './db';
import { emptySeries, type PortalSeries } from './log-totals';
import { type ExceptionRecord, type VendorImport, type YingkeFetch, type YingkeTenderRecord } from './log-records';
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
  /** the window already read (loadWindow of the same days and poolDays), e.g. started while the page loaded */
  window?: Promise<WindowData>;
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
  // (tenders of the window's settlements, [lo, to]: queued that day or, near midnight, the next)
  const tenderFrom = `${lo}T00:00:00`;
  const tenderTo = `${addDays(to, 1)}T23:59:59\uffff`;
  return db.transaction('r', [db.settlements, db.tenders, t.yingkeTenders, t.yingkeFetches, t.exceptions, t.vendorRows, t.vendorImports], async () => {
    const [settlements, yingke, fetches, exceptions, vendorRows, vendorImports, ranged] = await Promise.all([
      // settlements after the range cannot explain its Yingke tenders (recorded after capture)
      db.settlements.where('day').between(lo, to, true, true).toArray(),
      yingkeOfDays(db, lo, hi),
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

/**
 * Yingke's tenders of the days [from, to]. Their key is `${day}:${tenderId}`, so the days are one
 * range of the primary key: read in key order without the index's lookup per record (a month's
 * window is ~10,000 records), in the same order as the `day` index gives them.
 */
export async function yingkeOfDays(db: TenderBridgeDb, from: string, to: string): Promise<YingkeTenderRecord[]> {
  const rows = await db.yingkeTenders.where(':id').between(`${from}:`, `${to}:\uffff`, true, true).toArray();
  return rows.every((y) => y.day >= from && y.day <= to) ? rows : rows.filter((y) => y.day >= from && y.day <= to);
}

export type RangeResult = ReconcileResult & { window: WindowData; poolDays: number; reconcileMs: number };

/** Reconciliation of the days [from, to] (a day, or a month). */
export async function reconcileRange(db: TenderBridgeDb, from: string, to: string, options: LoadOptions): Promise<RangeResult> {
  const poolDays = options.poolDays ?? DEFAULT_POOL_DAYS;
  const [deviceId, window] = await Promise.all([options.deviceId ?? readDeviceId(db), options.window ?? loadWindow(db, from, to, poolDays)]);
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
// Day and month series (queries)

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
