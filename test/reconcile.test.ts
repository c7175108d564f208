import { describe, expect, it } from 'vitest';
import type { Settlement, TenderRecord, TenderState } from '@/shared/db';
import type { ExceptionRecord } from '@/shared/log-records';
import {
  addDays,
  dayOfTime,
  dayStartMs,
  daysBetween,
  reconcile,
  summarizeDifferences,
  type ReconcileInput,
  type VendorRowEntry,
  type YingkeEntry,
} from '@/shared/reconcile';
import { yingkeOf } from './yingke-fixture';

const DAY = '2025-03-28';
/** the day after next, noon: the pool window (1 day) of DAY has closed */
const LATER = Date.parse('2025-03-30T12:00:00+08:00');

let n = 0;
function sale(over: Partial<Settlement> = {}): Settlement {
  n += 1;
  const id = over.id ?? `settlement-${String(n).padStart(4, '0')}`;
  return {
    id,
    kind: 'sale',
    status: 'success',
    portal: 'ruyitong',
    orderNo: `XS${n}`,
    vendorOrderNo: `RYT${n}`,
    amountFen: 10_000,
    cashFen: 0,
    settledAt: `${DAY}T10:15:00+08:00`,
    day: DAY,
    capturedAt: `${DAY}T10:15:02+08:00`,
    ...over,
  };
}

function refundOf(s: Settlement, over: Partial<Settlement> = {}): Settlement {
  return sale({ kind: 'refund', orderNo: s.orderNo, refundOf: s.id, vendorOrderNo: `R-${s.vendorOrderNo}`, amountFen: s.amountFen, ...over });
}

function tender(s: Settlement, state: TenderState = 'posted', voucherNo = `V-${s.id}`): TenderRecord {
  return { tenderId: s.id, settlementId: s.id, state, body: '', attempts: 1, nextAttemptAt: 0, createdAt: s.capturedAt, updatedAt: s.capturedAt, ...(state === 'posted' ? { voucherNo } : {}) };
}


/** Yingke's lists of DAY and the next day, fetched after both ended */
const FETCHED = new Map([
  [DAY, LATER],
  [addDays(DAY, 1), LATER],
]);

function input(parts: Partial<ReconcileInput> & { pairs?: Array<[Settlement, TenderRecord?]> }): ReconcileInput {
  const pairs = parts.pairs ?? [];
  const settlements = parts.settlements ?? pairs.map(([s]) => s);
  const tenders = new Map<string, TenderRecord>();
  for (const [, t] of pairs) if (t) tenders.set(t.settlementId, t);
  return {
    from: parts.from ?? DAY,
    to: parts.to ?? DAY,
    settlements,
    tenders: parts.tenders ?? tenders,
    yingke: parts.yingke ?? [],
    yingkeFetchedAt: parts.yingkeFetchedAt ?? FETCHED,
    now: parts.now ?? LATER,
    poolDays: parts.poolDays ?? 1,
    ...(parts.vendorRows ? { vendorRows: parts.vendorRows } : {}),
    ...(parts.vendorFiles ? { vendorFiles: parts.vendorFiles } : {}),
    ...(parts.handled ? { handled: parts.handled } : {}),
    ...(parts.paymentMethodIds ? { paymentMethodIds: parts.paymentMethodIds } : {}),
    ...(parts.deviceId ? { deviceId: parts.deviceId } : {}),
  };
}

describe('days', () => {
  it('adds days across months and years, and knows the +08:00 day start', () => {
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
    expect(daysBetween('2025-03-30', '2025-04-02')).toEqual(['2025-03-30', '2025-03-31', '2025-04-01', '2025-04-02']);
    expect(new Date(dayStartMs('2025-03-28')).toISOString()).toBe('2025-03-27T16:00:00.000Z');
    expect(dayOfTime('2025-03-27T23:30:00Z')).toBe('2025-03-28');
    expect(dayOfTime('2025-03-28 23:59:59')).toBe('2025-03-28');
  });
});

describe('reconcile', () => {
  it('finds nothing when every settlement is posted and Yingke holds it', () => {
    const a = sale();
    const b = sale({ cashFen: 500, amountFen: 2_000 });
    const r = reconcile(input({ pairs: [[a, tender(a)], [b, tender(b)]], yingke: [yingkeOf(a), yingkeOf(b)] }));
    expect(r.differences).toEqual([]);
    expect(r.matched).toBe(2);
    expect(r.rows.map((row) => [row.displayState, row.matchedBy])).toEqual([
      ['posted', 'tenderId'],
      ['posted', 'tenderId'],
    ]);
  });

  it('vendor charged, Yingke has nothing: one-sided (单边账), by the local state', () => {
    const pending = sale();
    const refused = sale();
    const posted = sale();
    const r = reconcile(input({ pairs: [[pending], [refused, tender(refused, 'conflict')], [posted, tender(posted)]] }));
    const byId = new Map(r.differences.map((d) => [d.settlementId, d]));
    expect(byId.get(pending.id)).toMatchObject({ kind: 'vendor-only', reason: 'not-posted', localState: 'pending', pending: null, capturedFen: 10_000, yingkeFen: null });
    expect(byId.get(refused.id)).toMatchObject({ kind: 'vendor-only', reason: 'not-posted', localState: 'failed' });
    expect(byId.get(posted.id)).toMatchObject({ kind: 'vendor-only', reason: 'posted-missing', localState: 'posted' });
    expect(r.rows.find((row) => row.settlement.id === refused.id)?.diffKinds).toEqual(['vendor-only']);
  });

  it('keeps one-sided candidates in the pending pool until the window closed and Yingke was fetched', () => {
    const s = sale();
    const today = reconcile(input({ pairs: [[s]], now: Date.parse(`${DAY}T18:00:00+08:00`) }));
    expect(today.differences[0]?.pending).toBe('window-open');
    const nextDay = reconcile(input({ pairs: [[s]], now: Date.parse('2025-03-29T18:00:00+08:00') }));
    expect(nextDay.differences[0]?.pending).toBe('window-open');
    // window closed, but the next day's list was fetched before that day ended
    const partial = reconcile(input({ pairs: [[s]], yingkeFetchedAt: new Map([[DAY, LATER], ['2025-03-29', Date.parse('2025-03-29T20:00:00+08:00')]]) }));
    expect(partial.differences[0]?.pending).toBe('yingke-not-fetched');
    const never = reconcile(input({ pairs: [[s]], yingkeFetchedAt: new Map() }));
    expect(never.differences[0]?.pending).toBe('yingke-not-fetched');
    const declared = reconcile(input({ pairs: [[s]] }));
    expect(declared.differences[0]?.pending).toBeNull();
    expect(summarizeDifferences(today.differences)).toMatchObject({ total: 1, pending: 1, open: 0 });
    expect(summarizeDifferences(declared.differences)).toMatchObject({ total: 1, pending: 0, open: 1 });
  });

  it('matches a sale Yingke recorded after midnight, under the next day', () => {
    const s = sale({ settledAt: `${DAY}T23:59:50+08:00` });
    const y = yingkeOf(s, { day: '2025-03-29', recordedAt: '2025-03-29T00:00:05+08:00' });
    const r = reconcile(input({ pairs: [[s, tender(s)]], yingke: [y] }));
    expect(r.differences).toEqual([]);
    expect(r.rows[0]?.yingke?.day).toBe('2025-03-29');
    // and the next day's review does not call that tender Yingke-only
    const next = reconcile(input({ from: '2025-03-29', to: '2025-03-29', pairs: [[s, tender(s)]], yingke: [y], now: Date.parse('2025-03-31T12:00:00+08:00') }));
    expect(next.differences).toEqual([]);
    expect(next.matched).toBe(1);
  });

  it('Yingke has a tender no settlement explains', () => {
    const ghost = sale();
    const failed = sale({ status: 'failed', vendorOrderNo: 'failed:x' });
    const made = yingkeOf(sale({ orderNo: failed.orderNo, id: 'yingke-only-0001' }));
    const r = reconcile(input({ settlements: [failed], yingke: [yingkeOf(ghost), made] }));
    expect(r.differences.map((d) => [d.kind, d.reason, d.tenderId, d.yingkeFen, d.capturedFen])).toEqual([
      ['yingke-only', 'no-settlement', ghost.id, 10_000, null],
      ['yingke-only', 'failed-attempt', 'yingke-only-0001', 10_000, null],
    ]);
    expect(r.rows[0]?.displayState).toBe('vendor-failed');
  });

  it('two tills in one store: the other till\'s tenders (by deviceId) are shown as such, not as differences', () => {
    const mine = sale();
    const theirs = sale({ id: 'other-till-sale-0001', orderNo: 'XS2503289999', vendorOrderNo: 'RYT-OTHER-1' });
    const theirRefund = sale({ id: 'other-till-refund-01', kind: 'refund', refundOf: theirs.id, orderNo: theirs.orderNo, vendorOrderNo: 'RTH-OTHER-1', amountFen: 500 });
    const byHand = sale({ id: 'hand-no-device-0001', orderNo: 'XS2503288888', vendorOrderNo: 'RYT-HAND-1' });
    const yingke = [
      yingkeOf(mine, { deviceId: 'till-a' }),
      yingkeOf(theirs, { deviceId: 'till-b' }),
      yingkeOf(theirRefund, { deviceId: 'till-b' }),
      yingkeOf(byHand),
    ];
    const r = reconcile(input({ pairs: [[mine, tender(mine)]], yingke, deviceId: 'till-a' }));
    expect(r.otherTills.map((y) => y.tenderId)).toEqual([theirs.id, theirRefund.id]);
    // only the tender with no till (made by hand) remains a difference
    expect(r.differences.map((d) => [d.kind, d.reason, d.tenderId])).toEqual([['yingke-only', 'no-settlement', byHand.id]]);
    // without knowing this till, every unexplained tender is a difference, as before
    expect(reconcile(input({ pairs: [[mine, tender(mine)]], yingke })).differences).toHaveLength(3);
  });

  it('amount over, short, and a different cash part', () => {
    const over = sale();
    const short = sale();
    const cash = sale({ cashFen: 300 });
    const r = reconcile(input({
      pairs: [[over, tender(over)], [short, tender(short)], [cash, tender(cash)]],
      yingke: [yingkeOf(over, { amountFen: 10_050 }), yingkeOf(short, { amountFen: 9_000 }), yingkeOf(cash, { cashFen: 0 })],
    }));
    expect(r.differences.map((d) => [d.settlementId, d.kind, d.reason, d.deltaFen])).toEqual([
      [over.id, 'amount', 'over', 50],
      [short.id, 'amount', 'short', -1_000],
      [cash.id, 'amount', 'cash', -300],
    ]);
  });

  it('status mismatch: Yingke has it while the extension still shows it pending or refused', () => {
    const lostAnswer = sale();
    const conflict = sale();
    const r = reconcile(input({
      pairs: [[lostAnswer, tender(lostAnswer, 'queued')], [conflict, tender(conflict, 'conflict')]],
      // Yingke holds the conflicting order under its own id and vendor number (409 ORDER_ALREADY_TENDERED)
      yingke: [yingkeOf(lostAnswer), yingkeOf(conflict, { tenderId: 'entered-by-hand-01', vendorOrderNo: 'OTHER-1' })],
    }));
    expect(r.differences.map((d) => [d.settlementId, d.kind, d.reason, d.localState, d.note])).toEqual([
      [lostAnswer.id, 'status', 'local-not-posted', 'pending', undefined],
      [conflict.id, 'status', 'local-not-posted', 'failed', 'OTHER-1'],
    ]);
    expect(r.rows.find((row) => row.settlement.id === conflict.id)?.matchedBy).toBe('orderNo');
  });

  it('status mismatch: another voucher, another payment method or portal', () => {
    const voucher = sale();
    const method = sale();
    const r = reconcile(input({
      pairs: [[voucher, tender(voucher, 'posted', 'YKV-1')], [method, tender(method)]],
      yingke: [yingkeOf(voucher, { voucherNo: 'YKV-2' }), yingkeOf(method, { paymentMethodId: 1, paymentMethodName: '现金' })],
      paymentMethodIds: { ruyitong: 27 },
    }));
    expect(r.differences.map((d) => [d.settlementId, d.reason, d.note])).toEqual([
      [voucher.id, 'voucher-differs', 'YKV-1'],
      [method.id, 'method-differs', '现金 (1)'],
    ]);
  });

  it('matches a Yingke make-up entered by hand by the vendor number', () => {
    const s = sale();
    const r = reconcile(input({ pairs: [[s, tender(s, 'manual')]], yingke: [yingkeOf(s, { tenderId: 'yingke-made-001' })] }));
    expect(r.differences).toEqual([]);
    expect(r.rows[0]).toMatchObject({ displayState: 'manual', matchedBy: 'vendorNo' });
  });

  it('does not pair a posted settlement by order number: its own tender is missing', () => {
    const s = sale();
    const r = reconcile(input({ pairs: [[s, tender(s)]], yingke: [yingkeOf(s, { tenderId: 'someone-else-01', vendorOrderNo: 'X9' })] }));
    expect(r.differences.map((d) => [d.kind, d.reason])).toEqual([
      ['vendor-only', 'posted-missing'],
      ['yingke-only', 'no-settlement'],
    ]);
  });

  it('refunds: missing in Yingke, only in Yingke, amounts, beyond the sale', () => {
    const a = sale();
    const aRefund = refundOf(a);
    const b = sale();
    const bRefund = refundOf(b, { amountFen: 4_000 });
    const c = sale({ amountFen: 5_000 });
    const c1 = refundOf(c, { amountFen: 3_000, vendorOrderNo: 'C-R1' });
    const c2 = refundOf(c, { amountFen: 3_000, vendorOrderNo: 'C-R2' });
    const yingkeRefundOnly = yingkeOf(refundOf(sale(), { id: 'yingke-refund-01' }));
    const r = reconcile(input({
      pairs: [[a, tender(a)], [aRefund, tender(aRefund, 'rejected')], [b, tender(b)], [bRefund, tender(bRefund)], [c, tender(c)], [c1, tender(c1)], [c2, tender(c2)]],
      yingke: [yingkeOf(a), yingkeOf(b), yingkeOf(bRefund, { amountFen: 5_000 }), yingkeOf(c), yingkeOf(c1), yingkeOf(c2), yingkeRefundOnly],
    }));
    const got = r.differences.map((d) => [d.kind, d.reason, d.settlementId ?? d.tenderId, d.deltaFen]);
    expect(got).toContainEqual(['refund', 'refund-not-in-yingke', aRefund.id, 0]);
    expect(got).toContainEqual(['refund', 'refund-amount', bRefund.id, 1_000]);
    expect(got).toContainEqual(['refund', 'refund-exceeds-sale', c.id, 1_000]);
    expect(got).toContainEqual(['refund', 'refund-exceeds-sale', c.id, 1_000]);
    expect(got).toContainEqual(['refund', 'refund-only-in-yingke', 'yingke-refund-01', 0]);
    expect(r.differences.every((d) => d.kind === 'refund')).toBe(true);
    expect(r.rows.find((row) => row.settlement.id === a.id)).toMatchObject({ displayState: 'refunded', refundedFen: 10_000 });
  });

  it('overlays handled marks by the stable difference id; a reopened mark does not count', () => {
    const s = sale();
    const first = reconcile(input({ pairs: [[s]] }));
    const id = first.differences[0]?.id ?? '';
    expect(id).toBe(`vendor-only:not-posted:${s.id}`);
    const mark: ExceptionRecord = { id, day: DAY, kind: 'vendor-only', reason: 'not-posted', state: 'handled', capturedFen: 10_000, yingkeFen: null, fileFen: null, basis: 'vendor', remark: '已在英克补单', by: '张店长', at: '2025-03-30T09:00:00+08:00', auditSeq: 7 };
    const again = reconcile(input({ pairs: [[s]], handled: new Map([[id, mark]]) }));
    expect(again.differences[0]?.handled?.by).toBe('张店长');
    expect(summarizeDifferences(again.differences)).toMatchObject({ handled: 1, open: 0 });
    const reopened = reconcile(input({ pairs: [[s]], handled: new Map([[id, { ...mark, state: 'reopened' as const }]]) }));
    expect(reopened.differences[0]?.handled).toBeUndefined();
  });

  it('reconciles a vendor file the same way', () => {
    const ok = sale();
    const notInFile = sale();
    const amount = sale();
    const failedInFile = sale();
    const refunded = sale();
    const rows: VendorRowEntry[] = [
      { line: 2, day: DAY, portal: 'ruyitong', vendorOrderNo: ok.vendorOrderNo, kind: 'sale', status: 'success', amountFen: 10_000 },
      { line: 3, day: DAY, portal: 'ruyitong', vendorOrderNo: amount.vendorOrderNo, kind: 'sale', status: 'success', amountFen: 12_000 },
      { line: 4, day: DAY, portal: 'ruyitong', vendorOrderNo: failedInFile.vendorOrderNo, kind: 'sale', status: 'failed', amountFen: 10_000 },
      { line: 5, day: DAY, portal: 'ruyitong', vendorOrderNo: refunded.vendorOrderNo, kind: 'sale', status: 'refunded', amountFen: 10_000 },
      // charged on the vendor, never captured, not in Yingke: seed 003's case
      { line: 6, day: DAY, portal: 'ruyitong', vendorOrderNo: 'RYT-UNSEEN', kind: 'sale', status: 'success', amountFen: 6_600, time: `${DAY} 09:00:26` },
      // never captured, but Yingke has it (a make-up): no difference
      { line: 7, day: DAY, portal: 'ruyitong', vendorOrderNo: 'RYT-MADEUP', kind: 'sale', status: 'success', amountFen: 500 },
    ];
    const madeUp = yingkeOf(sale({ id: 'made-up-in-yingke', vendorOrderNo: 'RYT-MADEUP', amountFen: 500 }));
    const all = [ok, notInFile, amount, failedInFile, refunded];
    const r = reconcile(input({
      pairs: all.map((s) => [s, tender(s)] as [Settlement, TenderRecord]),
      yingke: [...all.map((s) => yingkeOf(s)), madeUp],
      vendorRows: rows,
      vendorFiles: new Set([`${DAY}|ruyitong`]),
    }));
    const got = r.differences.map((d) => [d.source, d.kind, d.reason, d.vendorOrderNo, d.fileFen, d.deltaFen]);
    expect(got).toEqual(expect.arrayContaining([
      ['file', 'status', 'not-in-file', notInFile.vendorOrderNo, null, 0],
      ['file', 'amount', 'over', amount.vendorOrderNo, 12_000, 2_000],
      ['file', 'status', 'file-failed', failedInFile.vendorOrderNo, 10_000, 0],
      ['file', 'refund', 'file-refund-missing', refunded.vendorOrderNo, 10_000, 0],
      ['file', 'vendor-only', 'file-only', 'RYT-UNSEEN', 6_600, 0],
    ]));
    expect(got).toHaveLength(5);
    // a file for another portal says nothing about this one
    const otherPortal = reconcile(input({ pairs: [[notInFile, tender(notInFile)]], yingke: [yingkeOf(notInFile)], vendorFiles: new Set([`${DAY}|boming`]) }));
    expect(otherPortal.differences).toEqual([]);
  });

  it('gives every difference a distinct id and keeps to the days under review', () => {
    const before = sale({ day: '2025-03-27', settledAt: '2025-03-27T12:00:00+08:00' });
    const s = sale();
    const r = reconcile(input({ pairs: [[before], [s]], yingke: [yingkeOf(sale({ day: '2025-03-27' }))] }));
    expect(r.differences.map((d) => d.day)).toEqual([DAY]);
    expect(r.rows.map((row) => row.settlement.id)).toEqual([s.id]);
    const ids = r.differences.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
