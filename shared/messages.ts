import { z } from 'zod';
import { browser } from 'wxt/browser';
import { TicketErrorCodeSchema, TicketSchema } from './ticket';

/**
 * Typed, zod-validated messages between the content scripts / extension pages and the background.
 * Both ends validate: the background never trusts a request's shape, the sender never trusts an
 * answer's. The portal a request comes from is never part of the request: the background derives
 * it from the sender's origin.
 */

export const BusinessRefusalSchema = z.enum([
  'STORE_NOT_CONFIGURED',
  'WRONG_STORE',
  'PORTAL_DISABLED',
  'LIMIT_EXCEEDED',
]);
export type BusinessRefusal = z.infer<typeof BusinessRefusalSchema>;

export const ScanVerdictSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    scanId: z.string(),
    ticket: TicketSchema,
    /** the ticket is older than the configured age: the cashier may go on */
    stale: z.boolean(),
    /** this order already has a settlement: filling again needs the cashier's explicit yes */
    alreadySettled: z
      .object({ vendorOrderNo: z.string(), amountFen: z.number().int(), settledAt: z.string() })
      .nullable(),
  }),
  z.object({
    ok: z.literal(false),
    scanId: z.string(),
    code: z.union([TicketErrorCodeSchema, BusinessRefusalSchema]),
    /** extra facts for the message, e.g. the other store's code or the limit broken */
    detail: z.record(z.string(), z.string()).default({}),
  }),
]);
export type ScanVerdict = z.infer<typeof ScanVerdictSchema>;

export const requestSchemas = {
  /** a scan taken by the keyboard wedge; the background parses, checks and audits it */
  'scan.submit': {
    request: z.object({ type: z.literal('scan.submit'), text: z.string().max(2000) }),
    response: ScanVerdictSchema,
  },
  /** the cashier's answer to a stale-ticket warning or an already-settled order */
  'scan.decide': {
    request: z.object({
      type: z.literal('scan.decide'),
      scanId: z.string().max(64),
      decision: z.enum(['proceed', 'cancel']),
      reason: z.enum(['stale', 'already-settled']),
    }),
    response: z.object({ recorded: z.boolean() }),
  },
} as const;

export type RequestType = keyof typeof requestSchemas;
export type RequestOf<T extends RequestType> = z.infer<(typeof requestSchemas)[T]['request']>;
export type ResponseOf<T extends RequestType> = z.infer<(typeof requestSchemas)[T]['response']>;

export const AnyRequestSchema = z.discriminatedUnion(
  'type',
  Object.values(requestSchemas).map((s) => s.request) as unknown as [
    (typeof requestSchemas)[RequestType]['request'],
    ...(typeof requestSchemas)[RequestType]['request'][],
  ],
);

/** What the background answers when it refuses a message outright. */
export const RefusalSchema = z.object({ refused: z.literal(true), reason: z.string() });

export class MessageRefusedError extends Error {}

export async function sendToBackground<T extends RequestType>(request: RequestOf<T> & { type: T }): Promise<ResponseOf<T>> {
  const type: T = request.type;
  const answer: unknown = await browser.runtime.sendMessage(request);
  const refusal = RefusalSchema.safeParse(answer);
  if (refusal.success) throw new MessageRefusedError(refusal.data.reason);
  return requestSchemas[type].response.parse(answer) as ResponseOf<T>;
}
