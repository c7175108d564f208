import { diffStatus, type ReconcileResult, type YingkeEntry } from './reconcile';

/**
 * Yingke's tenders of the day grouped by the till that posted them (bridge spec revision 2,
 * `deviceId`): this till's are reconciled here, another till's are that till's log's business
 * (shown, counted, never a difference), and those without a deviceId (typed by hand in Yingke,
 * or posted before revision 2) are reconciled here one by one. The store line adds them all up.
 */
export type TillKind = 'mine' | 'other' | 'unmarked';

export interface TillLine {
  kind: TillKind;
  /** the till's deviceId ('' for unmarked) */
  deviceId: string;
  /** cashier ids seen on its tenders, sorted */
  cashierIds: string[];
  tenders: number;
  /** sales − refunds, fen */
  netFen: number;
  /** tenders matched to a settlement of this till */
  matched: number;
}

export interface TillsSummary {
  lines: TillLine[];
  store: { tenders: number; netFen: number };
  /** differences of this till's reconciliation not marked handled (open, or waiting in the pool) */
  unresolvedDifferences: number;
}

const signed = (y: YingkeEntry): number => (y.kind === 'refund' ? -y.amountFen : y.amountFen);

/** `result` was reconciled for this till (its deviceId): its `otherTills` say which tenders are another till's. */
export function tillsOf(result: Pick<ReconcileResult, 'yingke' | 'rows' | 'differences' | 'otherTills'>): TillsSummary {
  const claimed = new Set<string>();
  for (const row of result.rows) if (row.yingke) claimed.add(row.yingke.tenderId);
  const others = new Set(result.otherTills.map((y) => y.tenderId));
  const byKey = new Map<string, TillLine>();
  const store = { tenders: 0, netFen: 0 };
  for (const y of result.yingke) {
    // the reconciliation's own verdict says "other" (unmatched here, another deviceId); a tender
    // matched to a settlement of this till is this till's whatever it carries
    const kind: TillKind = others.has(y.tenderId) ? 'other' : y.deviceId === undefined && !claimed.has(y.tenderId) ? 'unmarked' : 'mine';
    const key = kind === 'other' ? `other|${y.deviceId ?? ''}` : kind;
    let line = byKey.get(key);
    if (!line) {
      line = { kind, deviceId: kind === 'unmarked' ? '' : (y.deviceId ?? ''), cashierIds: [], tenders: 0, netFen: 0, matched: 0 };
      byKey.set(key, line);
    }
    // this till's id: from its own tenders (a hand-typed one matched here carries none)
    if (kind === 'mine' && !line.deviceId && y.deviceId) line.deviceId = y.deviceId;
    line.tenders += 1;
    line.netFen += signed(y);
    if (claimed.has(y.tenderId)) line.matched += 1;
    if (!line.cashierIds.includes(y.cashierId)) line.cashierIds.push(y.cashierId);
    store.tenders += 1;
    store.netFen += signed(y);
  }
  // this till first (always shown, even with nothing in Yingke yet), then the others, then unmarked
  if (!byKey.has('mine')) byKey.set('mine', { kind: 'mine', deviceId: '', cashierIds: [], tenders: 0, netFen: 0, matched: 0 });
  const order: Record<TillKind, number> = { mine: 0, other: 1, unmarked: 2 };
  const lines = [...byKey.values()].sort((a, b) => order[a.kind] - order[b.kind] || (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0));
  for (const line of lines) line.cashierIds.sort();
  const unresolvedDifferences = result.differences.filter((d) => diffStatus(d) !== 'handled').length;
  return { lines, store, unresolvedDifferences };
}

/** A till's id as a person can read it aloud: its last 6 characters. */
export function shortTill(deviceId: string): string {
  return deviceId.length > 6 ? deviceId.slice(-6) : deviceId;
}
