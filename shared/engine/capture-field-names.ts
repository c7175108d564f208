/** The values a capture rule may read (shared/engine/capture.ts); no zod here, the content script imports it. */
export const CaptureFieldNames = ['vendorOrderNo', 'storeOrderNo', 'totalFen', 'cardFen', 'cashFen', 'cardNumber', 'settledAt', 'originalVendorOrderNo'] as const;
export type CaptureFieldName = (typeof CaptureFieldNames)[number];
