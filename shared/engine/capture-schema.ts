import { z } from 'zod';
import { isCardMasked } from '../core/mask';
import { CAPTURE_LIMITS } from './capture-field-checks';

const MoneySchema = z.number().int().min(0).max(CAPTURE_LIMITS.maxFen);

/** What a content script read off a portal's result page (already masked). */
export const CaptureSchema = z.object({
  kind: z.enum(['sale', 'refund']),
  outcome: z.enum(['success', 'failed']),
  vendorOrderNo: z.string().max(CAPTURE_LIMITS.orderNoChars).optional(),
  storeOrderNo: z.string().max(CAPTURE_LIMITS.orderNoChars).optional(),
  totalFen: MoneySchema.optional(),
  cardFen: MoneySchema.optional(),
  cashFen: MoneySchema.optional(),
  cardMasked: z
    .string()
    .max(CAPTURE_LIMITS.cardChars)
    .refine((v) => isCardMasked(v), 'card numbers must be masked')
    .optional(),
  settledAt: z.string().max(CAPTURE_LIMITS.settledAtChars).optional(),
  /** for a refund: the sale's vendor number */
  originalVendorOrderNo: z.string().max(CAPTURE_LIMITS.orderNoChars).optional(),
  /** the rule that matched, for the audit */
  rule: z.string().max(64),
});
export type Capture = z.infer<typeof CaptureSchema>;

/**
 * The capture as sent: loose on purpose. Each field is checked on its own afterwards
 * (shared/capture-fields.ts), so one odd optional field is cut or dropped and flagged for review
 * instead of making the whole message invalid while the customer has already paid.
 */
export const LooseCaptureSchema = z.object({
  kind: z.enum(['sale', 'refund']),
  outcome: z.enum(['success', 'failed']),
  vendorOrderNo: z.string().max(4000).optional().catch(undefined),
  storeOrderNo: z.string().max(4000).optional().catch(undefined),
  totalFen: z.number().optional().catch(undefined),
  cardFen: z.number().optional().catch(undefined),
  cashFen: z.number().optional().catch(undefined),
  cardMasked: z.string().max(4000).optional().catch(undefined),
  settledAt: z.string().max(4000).optional().catch(undefined),
  originalVendorOrderNo: z.string().max(4000).optional().catch(undefined),
  rule: z.string().max(4000),
});
export type LooseCapture = z.infer<typeof LooseCaptureSchema>;
