import { z } from 'zod';
import { isCardMasked } from '../core/mask';

const MoneySchema = z.number().int().min(0).max(99_999_999_99);

/** What a content script read off a portal's result page (already masked). */
export const CaptureSchema = z.object({
  kind: z.enum(['sale', 'refund']),
  outcome: z.enum(['success', 'failed']),
  vendorOrderNo: z.string().max(64).optional(),
  storeOrderNo: z.string().max(64).optional(),
  totalFen: MoneySchema.optional(),
  cardFen: MoneySchema.optional(),
  cashFen: MoneySchema.optional(),
  cardMasked: z
    .string()
    .max(40)
    .refine((v) => isCardMasked(v), 'card numbers must be masked')
    .optional(),
  settledAt: z.string().max(40).optional(),
  /** for a refund: the sale's vendor number */
  originalVendorOrderNo: z.string().max(64).optional(),
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
