import type { Settlement } from '@/shared/db';
import type { YingkeEntry } from '@/shared/reconcile';

/** Yingke's record of a settlement, as the bridge lists it (如医通, method 27, till C01 unless overridden). */
export function yingkeOf(s: Settlement, over: Partial<YingkeEntry> = {}): YingkeEntry {
  return {
    tenderId: s.id,
    kind: s.kind,
    storeCode: 'S0012',
    cashierId: 'C01',
    orderNo: s.orderNo,
    provider: s.portal,
    paymentMethodId: 27,
    paymentMethodName: '如医通',
    amountFen: s.amountFen,
    cashFen: s.cashFen,
    vendorOrderNo: s.vendorOrderNo,
    settledAt: s.settledAt,
    voucherNo: `V-${s.id}`,
    recordedAt: s.settledAt,
    day: s.day,
    ...(s.refundOf ? { refundOf: s.refundOf } : {}),
    ...over,
  } as YingkeEntry;
}
