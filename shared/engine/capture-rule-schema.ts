import { z } from 'zod';
import { CaptureFieldNames } from './capture-field-names';

/**
 * The zod schema of a portal's capture rules (shared/engine/capture.ts reads the page by them).
 * Apart from capture.ts so the content script, which only imports these types, carries no zod
 * (issue 13); the background and the unit tests validate every definition with it.
 */

export const CaptureRuleSchema = z.object({
  /** names the rule in the audit */
  id: z.string().min(1),
  kind: z.enum(['sale', 'refund']),
  outcome: z.enum(['success', 'failed']),
  /** visible text that says the result is on screen */
  marker: z.string().min(1),
  /** labels (several spellings allowed) of the values to read, in the block around the marker */
  fields: z.partialRecord(z.enum(CaptureFieldNames), z.array(z.string().min(1)).min(1)).default({}),
  /** fields that must be found for the capture to count (else it waits for more of the page) */
  required: z.array(z.enum(CaptureFieldNames)).default([]),
  /**
   * For refunds started from a list: the button the cashier presses in a row, the table and the
   * column holding the sale's vendor number. The row clicked tells which sale is refunded.
   */
  startedFrom: z
    .object({ button: z.string(), table: z.object({ columns: z.array(z.string()).min(1) }), keyColumn: z.string() })
    .optional(),
});
export type CaptureRule = z.infer<typeof CaptureRuleSchema>;
