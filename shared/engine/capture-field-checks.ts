import { isCardMasked } from '../core/mask';

/**
 * The limits of a capture's optional fields, and plain checks of them: shared by CaptureSchema
 * (capture-schema.ts, the background's zod check) and checkCaptureFields (shared/capture-fields.ts,
 * which also runs in the content script, where zod is kept out for size: issue 13).
 * test/capture-field-checks.test.ts holds these checks equal to the schema's, field by field.
 */
export const CAPTURE_LIMITS = { maxFen: 99_999_999_99, orderNoChars: 64, cardChars: 40, settledAtChars: 40 } as const;

export type CaptureOptionalField = 'vendorOrderNo' | 'storeOrderNo' | 'originalVendorOrderNo' | 'totalFen' | 'cardFen' | 'cashFen' | 'cardMasked' | 'settledAt';

const isFen = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= CAPTURE_LIMITS.maxFen;
const isStringUpTo = (value: unknown, max: number): value is string => typeof value === 'string' && value.length <= max;

/** Whether `value` is a valid value of the capture field `name` (what CaptureSchema.shape[name] accepts, undefined aside). */
export function captureFieldOk(name: CaptureOptionalField, value: unknown): boolean {
  switch (name) {
    case 'vendorOrderNo':
    case 'storeOrderNo':
    case 'originalVendorOrderNo':
      return isStringUpTo(value, CAPTURE_LIMITS.orderNoChars);
    case 'totalFen':
    case 'cardFen':
    case 'cashFen':
      return isFen(value);
    case 'cardMasked':
      return isStringUpTo(value, CAPTURE_LIMITS.cardChars) && isCardMasked(value);
    case 'settledAt':
      return isStringUpTo(value, CAPTURE_LIMITS.settledAtChars);
  }
}

export const CAPTURE_OPTIONAL_FIELDS: readonly CaptureOptionalField[] = ['vendorOrderNo', 'storeOrderNo', 'totalFen', 'cardFen', 'cashFen', 'cardMasked', 'settledAt', 'originalVendorOrderNo'];
