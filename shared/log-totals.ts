import { PORTAL_IDS, type PortalId } from '@/providers/registry';
import type { SettlementRow } from './reconcile';

/** The daily log's totals and chart series: pure functions of reconciled settlement rows. */

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

export function emptySeries(length: number): PortalSeries {
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

