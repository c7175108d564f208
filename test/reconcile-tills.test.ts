import { describe, expect, it } from 'vitest';
import type { Settlement, TenderRecord } from '@/shared/db';
import { reconcile, type YingkeEntry } from '@/shared/reconcile';
import { shortTill, tillsOf } from '@/shared/reconcile-tills';
import { yingkeOf } from './yingke-fixture';

const DAY = '2025-03-28';
const LATER = Date.parse('2025-03-30T12:00:00+08:00');

let n = 0;
function sale(over: Partial<Settlement> = {}): Settlement {
  n += 1;
  return {
    id: `settlement-${n}`,
    kind: 'sale',
    status: 'success',
    portal: 'ruyitong',
    orderNo: `XS${n}`,
    vendorOrderNo: `RYT${n}`,
    amountFen: 2_600,
    cashFen: 0,
    settledAt: `${DAY}T10:15:00+08:00`,
    day: DAY,
    capturedAt: `${DAY}T10:15:02+08:00`,
    ...over,
  };
}

const posted = (s: Settlement): TenderRecord => ({ tenderId: s.id, settlementId: s.id, state: 'posted', body: '', attempts: 1, nextAttemptAt: 0, createdAt: s.capturedAt, updatedAt: s.capturedAt, voucherNo: `V-${s.id}` });


function dayOf(mine: Settlement[], yingke: YingkeEntry[], deviceId: string | undefined) {
  return reconcile({
    from: DAY,
    to: DAY,
    settlements: mine,
    tenders: new Map(mine.map((s) => [s.id, posted(s)])),
    yingke,
    yingkeFetchedAt: new Map([[DAY, LATER], ['2025-03-29', LATER]]),
    now: LATER,
    poolDays: 1,
    ...(deviceId ? { deviceId } : {}),
  });
}

describe('reconciliation per till and for the store', () => {
  const a1 = sale();
  const a2 = sale();
  const b1 = sale({ amountFen: 9_400 });
  const b1Refund = sale({ kind: 'refund', refundOf: b1.id, orderNo: b1.orderNo, vendorOrderNo: 'R-B1', amountFen: 400 });
  const yingke = [
    yingkeOf(a1, { deviceId: 'till-aaaa-111111' }),
    yingkeOf(b1, { deviceId: 'till-bbbb-222222', cashierId: 'C02' }),
    yingkeOf(a2, { deviceId: 'till-aaaa-111111' }),
    yingkeOf(b1Refund, { deviceId: 'till-bbbb-222222', cashierId: 'C02' }),
  ];

  it('till A: its own matched with no difference, B’s counted for the store and not a difference', () => {
    const summary = tillsOf(dayOf([a1, a2], yingke, 'till-aaaa-111111'));
    expect(summary.lines).toEqual([
      { kind: 'mine', deviceId: 'till-aaaa-111111', cashierIds: ['C01'], tenders: 2, netFen: 5_200, matched: 2 },
      { kind: 'other', deviceId: 'till-bbbb-222222', cashierIds: ['C02'], tenders: 2, netFen: 9_000, matched: 0 },
    ]);
    expect(summary.store).toEqual({ tenders: 4, netFen: 14_200 });
    expect(summary.unresolvedDifferences).toBe(0);
  });

  it('till B sees the mirror image; a tender typed by hand (no deviceId) is its own line and a difference', () => {
    const byHand = sale({ id: 'hand-1', amountFen: 1_000 });
    const summary = tillsOf(dayOf([b1, b1Refund], [...yingke, yingkeOf(byHand, { cashierId: 'C09' })], 'till-bbbb-222222'));
    expect(summary.lines.map((l) => [l.kind, l.deviceId, l.tenders, l.netFen, l.matched])).toEqual([
      ['mine', 'till-bbbb-222222', 2, 9_000, 2],
      ['other', 'till-aaaa-111111', 2, 5_200, 0],
      ['unmarked', '', 1, 1_000, 0],
    ]);
    expect(summary.store).toEqual({ tenders: 5, netFen: 15_200 });
    expect(summary.unresolvedDifferences).toBe(1);
  });

  it('a till that does not know its own id yet counts every tender as its own (and as differences)', () => {
    const summary = tillsOf(dayOf([a1, a2], yingke, undefined));
    expect(summary.lines.map((l) => l.kind)).toEqual(['mine']);
    expect(summary.lines[0]?.tenders).toBe(4);
    expect(summary.unresolvedDifferences).toBe(2);
  });

  it('shows a till by the last 6 characters of its id', () => {
    expect(shortTill('till-3f2a9c1e-aaaa-bbbb-cccc-0123456789ab')).toBe('6789ab');
    expect(shortTill('till')).toBe('till');
  });
});
