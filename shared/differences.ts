/** What a reconciliation difference can be (shared/reconcile.ts finds them, the log stores and shows them). */
export const DIFF_KINDS = ['vendor-only', 'yingke-only', 'amount', 'status', 'refund'] as const;
export type DiffKind = (typeof DIFF_KINDS)[number];

export const DIFF_REASONS = [
  // vendor-only: the customer was charged, Yingke has no tender
  'not-posted', // the extension has not got it into Yingke (pending / refused)
  'posted-missing', // the extension recorded it as posted / entered by hand, Yingke has none
  'file-only', // the vendor's file lists a charge the extension never captured, Yingke has none
  // yingke-only: Yingke has a tender no settlement explains
  'no-settlement',
  'failed-attempt', // …and the only settlement of that order failed at the vendor
  // amount: both sides have it, amounts differ
  'over', // Yingke (or the vendor file) has more than the captured settlement
  'short',
  'cash', // the cash part differs
  // status: both sides have it, the states disagree
  'local-not-posted', // Yingke has it, the extension still shows it pending or refused
  'voucher-differs',
  'method-differs', // posted under another portal / payment method (never cash: seed 003)
  'file-failed', // the vendor file says failed / cancelled, the extension captured a success
  'not-in-file', // captured, but the vendor's file for that day and portal does not list it
  // refund
  'refund-not-in-yingke',
  'refund-only-in-yingke',
  'refund-amount',
  'refund-exceeds-sale',
  'file-refund-missing', // the vendor file shows a refund neither captured nor in Yingke
] as const;
export type DiffReason = (typeof DIFF_REASONS)[number];
