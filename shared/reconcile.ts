import type { Settlement, TenderRecord } from './db';
import type { BridgeTender } from './bridge';
import type { PortalId } from '@/providers/registry';
import type { ExceptionRecord, VendorRow } from './log-records';
import { storeDay } from './time';
import { DIFF_KINDS, type DiffKind, type DiffReason } from './differences';

/**
 * Reconciliation, pure: what the vendor web-POS charged (the settlements the extension captured,
 * and optionally a vendor's exported order list), what the extension posted (its tender records),
 * and what Yingke holds (GET /api/v1/tenders?date=) → classified differences.
 *
 * Matching, per kind (sale/refund), a Yingke tender is claimed by at most one settlement:
 *  1. tenderId = settlement id (what the outbox posts);
 *  2. portal + vendor transaction number (a make-up typed into Yingke by hand scans that number);
 *  3. portal + Yingke order number, only when exactly one candidate is left on each side
 *     (e.g. Yingke answered 409 ORDER_ALREADY_TENDERED: it holds the order under another id).
 *
 * Pending pool: a one-sided candidate (one side has it, the other not) of day D is not declared
 * 单边账 until its window has closed — today is after D + poolDays — and Yingke's lists of D …
 * D + poolDays were fetched after those days ended. Until then it stays in the pool with the
 * reason (window still open / Yingke list not fetched completely). Yingke files a tender under the
 * day it recorded it, so a sale settled at 23:59:50 may be Yingke's next day: matching looks at
 * the whole window, not only at day D.
 */


/** One-sided reasons: these wait in the pending pool before they are declared. */
const ONE_SIDED: ReadonlySet<DiffReason> = new Set([
  'not-posted',
  'posted-missing',
  'file-only',
  'no-settlement',
  'failed-attempt',
  'refund-not-in-yingke',
  'refund-only-in-yingke',
  'file-refund-missing',
]);

export type LocalState = 'posted' | 'manual' | 'pending' | 'failed' | 'vendor-failed';
export type DisplayState = LocalState | 'refunded';
export type PendingReason = 'window-open' | 'yingke-not-fetched';
/** bridge: settlement vs Yingke; file: the vendor's exported list vs the others */
export type DiffSource = 'bridge' | 'file';

export type YingkeEntry = BridgeTender & { day: string };
export type VendorRowEntry = VendorRow & { day: string; portal: PortalId };

export interface Difference {
  /** stable across recomputations, so a handled mark sticks: `${kind}:${reason}:${ref}` */
  id: string;
  kind: DiffKind;
  reason: DiffReason;
  source: DiffSource;
  /** the day it belongs to (settlement day, Yingke day or vendor-file day) */
  day: string;
  portal?: PortalId;
  orderNo?: string;
  vendorOrderNo?: string;
  settlementId?: string;
  tenderId?: string;
  voucherNo?: string;
  /** card amounts, fen: the settlement captured, Yingke's tender, the vendor file's line */
  capturedFen: number | null;
  yingkeFen: number | null;
  fileFen: number | null;
  /** amount kinds: the other side minus the reference (Yingke − captured; file − captured/Yingke) */
  deltaFen: number;
  localState?: LocalState;
  /** when it happened on the side that has it (ISO or 'YYYY-MM-DD HH:MM:SS') */
  at?: string;
  /** in the pending pool (not declared yet), and why */
  pending: PendingReason | null;
  /** the handled mark, when one is in force */
  handled?: ExceptionRecord;
  /** small extra fact for the message (e.g. the other vendor number) */
  note?: string;
}

export type MatchedBy = 'tenderId' | 'vendorNo' | 'orderNo';

export interface SettlementRow {
  settlement: Settlement;
  tender?: TenderRecord;
  localState: LocalState;
  displayState: DisplayState;
  yingke?: YingkeEntry;
  matchedBy?: MatchedBy;
  /** successful refunds of this sale, fen */
  refundedFen: number;
  /** ids of the differences about this settlement */
  diffIds: string[];
  diffKinds: DiffKind[];
}

export interface ReconcileInput {
  /** the days under review, inclusive */
  from: string;
  to: string;
  /** settlements of [from − poolDays, to + poolDays] (matching looks at the whole window) */
  settlements: readonly Settlement[];
  tenders: ReadonlyMap<string, TenderRecord>;
  /** Yingke's tenders of the same window, with the day each was listed under */
  yingke: readonly YingkeEntry[];
  /** day → epoch ms of the last successful fetch of that day's Yingke list */
  yingkeFetchedAt: ReadonlyMap<string, number>;
  vendorRows?: readonly VendorRowEntry[];
  /** `${day}|${portal}` of the vendor files imported */
  vendorFiles?: ReadonlySet<string>;
  handled?: ReadonlyMap<string, ExceptionRecord>;
  /** the Yingke payment-method id each portal must be posted under (settings) */
  paymentMethodIds?: Partial<Record<PortalId, number>>;
  now: number;
  poolDays: number;
  /** this till (shared/device.ts): Yingke tenders another till of the store posted are not differences */
  deviceId?: string;
}

export interface ReconcileResult {
  from: string;
  to: string;
  /** every settlement of [from, to] (failed attempts too), oldest first */
  rows: SettlementRow[];
  /** Yingke tenders of [from, to] */
  yingke: YingkeEntry[];
  differences: Difference[];
  /** Yingke tenders of [from, to] matched to a settlement */
  matched: number;
  /** Yingke tenders of [from, to] another till of this store posted (by deviceId): shown as such, not as differences */
  otherTills: YingkeEntry[];
}

export const DEFAULT_POOL_DAYS = 1;

// ---------------------------------------------------------------------------------------------
// Days

const DAY_MS = 86_400_000;

/** 'YYYY-MM-DD' + n calendar days. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const date = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) + n * DAY_MS);
  return date.toISOString().slice(0, 10);
}

/** Epoch ms of the store day's first millisecond (+08:00). */
export function dayStartMs(day: string): number {
  return Date.parse(`${day}T00:00:00+08:00`);
}

/** Days from `from` to `to` inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to && days.length < 4000; day = addDays(day, 1)) days.push(day);
  return days;
}

/** The store day of an ISO time with offset, or of 'YYYY-MM-DD HH:MM:SS' store time. */
export function dayOfTime(text: string): string {
  if (/[zZ]|[+-]\d\d:\d\d$/.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return storeDay(ms);
  }
  return text.slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// States

export function localStateOf(settlement: Settlement, tender: TenderRecord | undefined): LocalState {
  if (settlement.status === 'failed') return 'vendor-failed';
  switch (tender?.state) {
    case undefined:
    case 'queued':
    case 'sending':
      return 'pending';
    case 'posted':
      return 'posted';
    case 'manual':
    case 'manual-to-verify':
      return 'manual';
    case 'rejected':
    case 'conflict':
    case 'unauthorized':
    case 'double':
      return 'failed';
  }
}

const isDone = (state: LocalState): boolean => state === 'posted' || state === 'manual';

// ---------------------------------------------------------------------------------------------
// Reconciliation

const vendorKey = (portal: string, vendorOrderNo: string, kind: string): string => `${portal}|${vendorOrderNo}|${kind}`;
const orderKey = (portal: string, orderNo: string, kind: string): string => `${portal}|${orderNo}|${kind}`;

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function reconcile(input: ReconcileInput): ReconcileResult {
  const { from, to, tenders, now, poolDays } = input;
  const today = storeDay(now);
  const inRange = (day: string): boolean => day >= from && day <= to;
  const differences: Difference[] = [];
  const byId = new Map<string, Difference>();
  const diffsBySettlement = new Map<string, Difference[]>();

  function pendingOf(day: string, needsYingke: boolean): PendingReason | null {
    const windowEnd = addDays(day, poolDays);
    if (today <= windowEnd) return 'window-open';
    if (needsYingke) {
      for (let d = day; d <= windowEnd; d = addDays(d, 1)) {
        const okAt = input.yingkeFetchedAt.get(d);
        if (okAt === undefined || okAt < dayStartMs(addDays(d, 1))) return 'yingke-not-fetched';
      }
    }
    return null;
  }

  function add(diff: Omit<Difference, 'id' | 'pending' | 'handled' | 'deltaFen'> & { ref: string; deltaFen?: number }): void {
    const { ref, ...rest } = diff;
    const id = `${diff.kind}:${diff.reason}:${ref}`;
    if (byId.has(id)) return;
    const pending = ONE_SIDED.has(diff.reason) ? pendingOf(diff.day, diff.reason !== 'no-settlement' && diff.reason !== 'failed-attempt' && diff.reason !== 'refund-only-in-yingke') : null;
    const mark = input.handled?.get(id);
    const full: Difference = { ...rest, deltaFen: diff.deltaFen ?? 0, id, pending, ...(mark && mark.state === 'handled' ? { handled: mark } : {}) };
    differences.push(full);
    byId.set(id, full);
    if (full.settlementId) push(diffsBySettlement, full.settlementId, full);
  }

  // --- index Yingke
  const yingkeById = new Map<string, YingkeEntry>();
  const yingkeByVendor = new Map<string, YingkeEntry[]>();
  const yingkeByOrder = new Map<string, YingkeEntry[]>();
  for (const y of input.yingke) {
    if (!yingkeById.has(y.tenderId)) yingkeById.set(y.tenderId, y);
    push(yingkeByVendor, vendorKey(y.provider, y.vendorOrderNo, y.kind), y);
    push(yingkeByOrder, orderKey(y.provider, y.orderNo, y.kind), y);
  }
  const claimed = new Set<YingkeEntry>();
  const matchOf = new Map<string, { y: YingkeEntry; by: MatchedBy }>();

  const successes = input.settlements.filter((s) => s.status === 'success');
  // 1. tenderId
  for (const s of successes) {
    const y = yingkeById.get(s.id);
    if (y && !claimed.has(y) && y.kind === s.kind) {
      claimed.add(y);
      matchOf.set(s.id, { y, by: 'tenderId' });
    }
  }
  // 2. vendor number
  for (const s of successes) {
    if (matchOf.has(s.id)) continue;
    const y = yingkeByVendor.get(vendorKey(s.portal, s.vendorOrderNo, s.kind))?.find((c) => !claimed.has(c));
    if (y) {
      claimed.add(y);
      matchOf.set(s.id, { y, by: 'vendorNo' });
    }
  }
  // 3. order number, only when unambiguous on both sides
  const unmatchedByOrder = new Map<string, Settlement[]>();
  // (never for one the extension posted: Yingke must then hold its tenderId, or it is missing)
  for (const s of successes) {
    if (!matchOf.has(s.id) && s.orderNo && !isDone(localStateOf(s, tenders.get(s.id)))) push(unmatchedByOrder, orderKey(s.portal, s.orderNo, s.kind), s);
  }
  for (const [key, list] of unmatchedByOrder) {
    const candidates = (yingkeByOrder.get(key) ?? []).filter((c) => !claimed.has(c));
    const only = list[0];
    const y = candidates[0];
    if (list.length === 1 && candidates.length === 1 && only && y) {
      claimed.add(y);
      matchOf.set(only.id, { y, by: 'orderNo' });
    }
  }

  // --- vendor file rows
  const fileRows = input.vendorRows ?? [];
  const fileByKey = new Map<string, VendorRowEntry>();
  for (const v of fileRows) fileByKey.set(vendorKey(v.portal, v.vendorOrderNo, v.kind), v);
  const fileUsed = new Set<VendorRowEntry>();

  // --- refunds per sale
  const refundsOf = new Map<string, Settlement[]>();
  for (const s of successes) if (s.kind === 'refund' && s.refundOf) push(refundsOf, s.refundOf, s);
  const yingkeRefundsOf = new Map<string, YingkeEntry[]>();
  for (const y of input.yingke) if (y.kind === 'refund' && y.refundOf) push(yingkeRefundsOf, y.refundOf, y);

  const failedByOrder = new Set<string>();
  for (const s of input.settlements) if (s.status === 'failed' && s.orderNo) failedByOrder.add(orderKey(s.portal, s.orderNo, s.kind));

  // --- per settlement
  for (const s of successes) {
    if (!inRange(s.day)) continue;
    const tender = tenders.get(s.id);
    const state = localStateOf(s, tender);
    const match = matchOf.get(s.id);
    const base = {
      day: s.day,
      portal: s.portal,
      orderNo: s.orderNo,
      vendorOrderNo: s.vendorOrderNo,
      settlementId: s.id,
      tenderId: s.id,
      capturedFen: s.amountFen,
      localState: state,
      at: s.settledAt,
    };
    const refund = s.kind === 'refund';
    if (!match) {
      add({
        ...base,
        ref: s.id,
        kind: refund ? 'refund' : 'vendor-only',
        reason: refund ? 'refund-not-in-yingke' : isDone(state) ? 'posted-missing' : 'not-posted',
        source: 'bridge',
        yingkeFen: null,
        fileFen: null,
        ...(tender?.voucherNo ? { voucherNo: tender.voucherNo } : {}),
      });
    } else {
      const { y } = match;
      const otherVendorNo = match.by === 'orderNo' && y.vendorOrderNo !== s.vendorOrderNo ? { note: y.vendorOrderNo } : {};
      const withY = { ...base, yingkeFen: y.amountFen, fileFen: null, voucherNo: y.voucherNo, source: 'bridge' as const, ...otherVendorNo };
      if (y.amountFen !== s.amountFen) {
        add({
          ...withY,
          ref: s.id,
          kind: refund ? 'refund' : 'amount',
          reason: refund ? 'refund-amount' : y.amountFen > s.amountFen ? 'over' : 'short',
          deltaFen: y.amountFen - s.amountFen,
        });
      }
      if (y.cashFen !== s.cashFen) {
        add({ ...withY, ref: s.id, kind: 'amount', reason: 'cash', deltaFen: y.cashFen - s.cashFen, note: `${s.cashFen}→${y.cashFen}` });
      }
      if (!isDone(state)) add({ ...withY, ref: s.id, kind: 'status', reason: 'local-not-posted' });
      else if (tender?.voucherNo && tender.voucherNo !== y.voucherNo) {
        add({ ...withY, ref: s.id, kind: 'status', reason: 'voucher-differs', note: tender.voucherNo });
      }
      const expectedMethod = input.paymentMethodIds?.[s.portal];
      if (y.provider !== s.portal || (expectedMethod !== undefined && expectedMethod > 0 && y.paymentMethodId !== expectedMethod)) {
        add({ ...withY, ref: s.id, kind: 'status', reason: 'method-differs', note: `${y.paymentMethodName} (${y.paymentMethodId})` });
      }
    }

    // vendor file (for the day the vendor settled it, or the capture day)
    const files = input.vendorFiles;
    // (no file imported in the window, the usual case: no day to work out per settlement)
    const fileImported = files !== undefined && files.size > 0 && [dayOfTime(s.settledAt), s.day].some((d) => files.has(`${d}|${s.portal}`));
    const v = fileByKey.get(vendorKey(s.portal, s.vendorOrderNo, s.kind));
    if (v) {
      fileUsed.add(v);
      const withFile = { ...base, yingkeFen: match?.y.amountFen ?? null, fileFen: v.amountFen, source: 'file' as const, at: v.time ?? s.settledAt };
      if (v.status === 'failed' || v.status === 'cancelled') add({ ...withFile, ref: `file:${s.id}`, kind: 'status', reason: 'file-failed', note: v.status });
      if (v.amountFen !== s.amountFen) {
        add({
          ...withFile,
          ref: `file:${s.id}`,
          kind: refund ? 'refund' : 'amount',
          reason: refund ? 'refund-amount' : v.amountFen > s.amountFen ? 'over' : 'short',
          deltaFen: v.amountFen - s.amountFen,
        });
      }
      if (v.cashFen !== undefined && v.cashFen !== s.cashFen) {
        add({ ...withFile, ref: `file:${s.id}`, kind: 'amount', reason: 'cash', deltaFen: v.cashFen - s.cashFen, note: `${s.cashFen}→${v.cashFen}` });
      }
      if (!refund && v.status === 'refunded') {
        const hasRefund = (refundsOf.get(s.id)?.length ?? 0) > 0 || (yingkeRefundsOf.get(s.id)?.length ?? 0) > 0 || (match && (yingkeRefundsOf.get(match.y.tenderId)?.length ?? 0) > 0);
        if (!hasRefund) add({ ...withFile, ref: `file:${s.id}`, kind: 'refund', reason: 'file-refund-missing', day: v.day });
      }
    } else if (fileImported) {
      add({ ...base, ref: `file:${s.id}`, kind: 'status', reason: 'not-in-file', source: 'file', yingkeFen: match?.y.amountFen ?? null, fileFen: null });
    }

    // refunds beyond the sale
    if (!refund) {
      const refunds = refundsOf.get(s.id) ?? [];
      const refundedFen = refunds.reduce((sum, r) => sum + r.amountFen, 0);
      if (refundedFen > s.amountFen) {
        add({ ...base, ref: s.id, kind: 'refund', reason: 'refund-exceeds-sale', source: 'bridge', yingkeFen: match?.y.amountFen ?? null, fileFen: null, deltaFen: refundedFen - s.amountFen });
      }
    }
  }

  // --- Yingke tenders nobody claimed
  let matched = 0;
  const yingkeInRange: YingkeEntry[] = [];
  const otherTills: YingkeEntry[] = [];
  for (const y of input.yingke) {
    if (!inRange(y.day)) continue;
    yingkeInRange.push(y);
    if (claimed.has(y)) {
      matched += 1;
      continue;
    }
    // posted by another till of this store: its own log reconciles it (a tender without a
    // deviceId — by hand, or before revision 2 — stays a difference)
    const otherTill = input.deviceId !== undefined && y.deviceId !== undefined && y.deviceId !== input.deviceId;
    if (otherTill) otherTills.push(y);
    const base = {
      day: y.day,
      portal: y.provider,
      orderNo: y.orderNo,
      vendorOrderNo: y.vendorOrderNo,
      tenderId: y.tenderId,
      voucherNo: y.voucherNo,
      capturedFen: null,
      yingkeFen: y.amountFen,
      at: y.recordedAt,
    };
    const v = fileByKey.get(vendorKey(y.provider, y.vendorOrderNo, y.kind));
    if (v) {
      // the vendor file has it: the extension missed the capture, the money is on both sides
      fileUsed.add(v);
      if (v.amountFen !== y.amountFen) {
        add({ ...base, ref: `y:${y.tenderId}`, kind: y.kind === 'refund' ? 'refund' : 'amount', reason: y.kind === 'refund' ? 'refund-amount' : y.amountFen > v.amountFen ? 'over' : 'short', source: 'file', fileFen: v.amountFen, deltaFen: y.amountFen - v.amountFen });
      }
      if (v.status === 'failed' || v.status === 'cancelled') add({ ...base, ref: `y:${y.tenderId}`, kind: 'status', reason: 'file-failed', source: 'file', fileFen: v.amountFen, note: v.status });
      continue;
    }
    if (otherTill) continue;
    if (y.kind === 'refund') {
      add({ ...base, ref: `y:${y.tenderId}`, kind: 'refund', reason: 'refund-only-in-yingke', source: 'bridge', fileFen: null });
    } else {
      const failed = failedByOrder.has(orderKey(y.provider, y.orderNo, y.kind));
      add({ ...base, ref: `y:${y.tenderId}`, kind: 'yingke-only', reason: failed ? 'failed-attempt' : 'no-settlement', source: 'bridge', fileFen: null });
    }
  }

  // Yingke refunds beyond their sale (Yingke's own books)
  for (const y of yingkeInRange) {
    if (y.kind !== 'sale') continue;
    const refunded = (yingkeRefundsOf.get(y.tenderId) ?? []).reduce((sum, r) => sum + r.amountFen, 0);
    if (refunded > y.amountFen) {
      add({ day: y.day, portal: y.provider, orderNo: y.orderNo, vendorOrderNo: y.vendorOrderNo, tenderId: y.tenderId, voucherNo: y.voucherNo, capturedFen: null, yingkeFen: y.amountFen, fileFen: null, ref: `y:${y.tenderId}`, kind: 'refund', reason: 'refund-exceeds-sale', source: 'bridge', deltaFen: refunded - y.amountFen, at: y.recordedAt });
    }
  }

  // --- vendor file lines nobody explains
  for (const v of fileRows) {
    if (fileUsed.has(v) || !inRange(v.day)) continue;
    const base = { day: v.day, portal: v.portal, vendorOrderNo: v.vendorOrderNo, capturedFen: null, yingkeFen: null, fileFen: v.amountFen, source: 'file' as const, at: v.time, ...(v.orderNo ? { orderNo: v.orderNo } : {}) };
    const ref = `v:${v.portal}:${v.vendorOrderNo}:${v.kind}`;
    if (v.kind === 'refund') {
      // a refund line: is there a refund of that sale anywhere?
      const sale = v.originalVendorOrderNo ? successes.find((s) => s.kind === 'sale' && s.portal === v.portal && s.vendorOrderNo === v.originalVendorOrderNo) : undefined;
      const known = sale && ((refundsOf.get(sale.id)?.length ?? 0) > 0 || (yingkeRefundsOf.get(sale.id)?.length ?? 0) > 0);
      if (!known) add({ ...base, ref, kind: 'refund', reason: 'file-refund-missing' });
    } else if (v.status === 'success' || v.status === 'refunded') {
      add({ ...base, ref, kind: 'vendor-only', reason: 'file-only', note: v.status });
    }
  }

  // --- rows
  const rows: SettlementRow[] = [];
  for (const s of input.settlements) {
    if (!inRange(s.day)) continue;
    const tender = tenders.get(s.id);
    const localState = localStateOf(s, tender);
    const refunds = s.kind === 'sale' ? (refundsOf.get(s.id) ?? []) : [];
    const refundedFen = refunds.reduce((sum, r) => sum + r.amountFen, 0);
    const diffs = diffsBySettlement.get(s.id) ?? [];
    const match = matchOf.get(s.id);
    rows.push({
      settlement: s,
      ...(tender ? { tender } : {}),
      localState,
      displayState: refundedFen > 0 && localState !== 'vendor-failed' ? 'refunded' : localState,
      ...(match ? { yingke: match.y, matchedBy: match.by } : {}),
      refundedFen,
      diffIds: diffs.map((d) => d.id),
      diffKinds: [...new Set(diffs.map((d) => d.kind))],
    });
  }
  rows.sort((a, b) => (a.settlement.settledAt < b.settlement.settledAt ? -1 : a.settlement.settledAt > b.settlement.settledAt ? 1 : 0));
  yingkeInRange.sort((a, b) => (a.recordedAt < b.recordedAt ? -1 : a.recordedAt > b.recordedAt ? 1 : 0));
  differences.sort((a, b) => (a.day !== b.day ? (a.day < b.day ? -1 : 1) : (a.at ?? '') < (b.at ?? '') ? -1 : (a.at ?? '') > (b.at ?? '') ? 1 : 0));
  return { from, to, rows, yingke: yingkeInRange, differences, matched, otherTills };
}

// ---------------------------------------------------------------------------------------------
// Summaries

export interface DiffSummary {
  total: number;
  /** declared and not handled */
  open: number;
  handled: number;
  /** in the pending pool */
  pending: number;
  byKind: Record<DiffKind, number>;
}

export function summarizeDifferences(differences: readonly Difference[]): DiffSummary {
  const byKind = Object.fromEntries(DIFF_KINDS.map((k) => [k, 0])) as Record<DiffKind, number>;
  let open = 0;
  let handled = 0;
  let pending = 0;
  for (const d of differences) {
    byKind[d.kind] += 1;
    if (d.handled) handled += 1;
    else if (d.pending) pending += 1;
    else open += 1;
  }
  return { total: differences.length, open, handled, pending, byKind };
}

export type DiffStatus = 'open' | 'pending' | 'handled';
export function diffStatus(d: Difference): DiffStatus {
  return d.handled ? 'handled' : d.pending ? 'pending' : 'open';
}
