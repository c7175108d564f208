import { z } from 'zod';
import { browser } from 'wxt/browser';
import { FullTicketSchema, TicketErrorCodeSchema, TicketSchema } from './ticket';
import { LocatorSchema } from './settings';
import { supervisorRequestSchemas } from './db-supervisor';
import { isMasked } from './mask';
import { PORTAL_IDS } from '@/providers/origins';

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

const PortalIdSchema = z.enum(PORTAL_IDS);
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
    .refine((v) => isMasked(v), 'card numbers must be masked')
    .optional(),
  settledAt: z.string().max(40).optional(),
  /** for a refund: the sale's vendor number */
  originalVendorOrderNo: z.string().max(64).optional(),
  /** the rule that matched, for the audit */
  rule: z.string().max(64),
});
export type Capture = z.infer<typeof CaptureSchema>;

export const FlowReportStepSchema = z.object({
  kind: z.enum(['step', 'fallback', 'mark']),
  path: z.string().max(40),
  step: z.string().max(20),
  target: z.string().max(64).optional(),
  label: z.string().max(120).optional(),
  via: z.object({ by: z.string(), value: z.string().max(200) }).optional(),
});

export const TenderViewSchema = z.object({
  settlementId: z.string(),
  kind: z.enum(['sale', 'refund']),
  portal: PortalIdSchema,
  paymentMethodName: z.string(),
  paymentMethodId: z.number().int(),
  orderNo: z.string(),
  vendorOrderNo: z.string(),
  amountFen: z.number().int(),
  cashFen: z.number().int(),
  settledAt: z.string(),
  refundOf: z.string().optional(),
  state: z.enum(['new', 'queued', 'sending', 'posted', 'rejected', 'conflict', 'unauthorized', 'manual', 'manual-to-verify', 'double']),
  attempts: z.number().int(),
  lastError: z.string().optional(),
  voucherNo: z.string().optional(),
  manualBy: z.string().optional(),
  manualAt: z.string().optional(),
  /** a request for it left the extension: the bridge may hold it */
  sent: z.boolean().default(false),
  /** the hand make-up rule now: 'now', 'after-lookup' (the bridge is asked first), or why not */
  manual: z.enum(['now', 'after-lookup', 'DONE', 'SUPERVISOR_ONLY', 'OUTCOME_UNKNOWN_NO_BRIDGE', 'HELD', 'IN_FLIGHT']),
  hold: z.enum(['unmatched', 'confirm']).optional(),
  holdReasons: z.array(z.string()).optional(),
  /** why a supervisor must look */
  flagReason: z.string().optional(),
  /** minutes since capture */
  ageMinutes: z.number().int().min(0),
});
export type TenderView = z.infer<typeof TenderViewSchema>;

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
  /** this portal's settings for the content script: locator overrides (never secrets) */
  'portal.config': {
    request: z.object({ type: z.literal('portal.config') }),
    response: z.object({ enabled: z.boolean(), goodsName: z.string(), overrides: z.record(z.string(), z.array(LocatorSchema)) }),
  },
  /** a bare order number's goods and total, from the Yingke bridge */
  'ticket.lookup': {
    request: z.object({ type: z.literal('ticket.lookup'), orderNo: z.string().max(64) }),
    response: z.object({ ticket: FullTicketSchema.nullable(), reason: z.enum(['found', 'not-found', 'no-bridge', 'unreachable']) }),
  },
  /** the fill is about to start for this ticket (ties a later settlement to the Yingke order) */
  'fill.started': {
    request: z.object({ type: z.literal('fill.started'), scanId: z.string().max(64), ticket: TicketSchema }),
    response: z.object({ ok: z.boolean() }),
  },
  /** before a step that loads a new page: where to go on from there */
  'fill.checkpoint': {
    request: z.object({
      type: z.literal('fill.checkpoint'),
      scanId: z.string().max(64),
      orderNo: z.string().max(64),
      resumeAt: z.number().int().min(0).max(1000),
      /** the steps done on this page, audited now: the page is about to go */
      steps: z.array(FlowReportStepSchema).max(1000),
    }),
    response: z.object({ ok: z.boolean() }),
  },
  /** a page just loaded: is a fill of this tab waiting to go on here? */
  'fill.resume': {
    request: z.object({ type: z.literal('fill.resume') }),
    response: z.object({ resume: z.object({ scanId: z.string(), ticket: TicketSchema, resumeAt: z.number().int() }).nullable() }),
  },
  /** what the fill did, step by step, and how it ended */
  'fill.report': {
    request: z.object({
      type: z.literal('fill.report'),
      scanId: z.string().max(64),
      orderNo: z.string().max(64),
      outcome: z.enum(['ready', 'stopped']),
      overrides: z.array(z.string().max(64)).max(100).default([]),
      code: z.string().max(40).optional(),
      subject: z.string().max(120).optional(),
      steps: z.array(FlowReportStepSchema).max(1000),
    }),
    response: z.object({ ok: z.boolean() }),
  },
  /** a settlement seen on the portal: stored durably before the answer comes back */
  'settlement.capture': {
    request: z.object({ type: z.literal('settlement.capture'), capture: CaptureSchema }),
    response: z.object({
      stored: z.enum(['new', 'duplicate', 'failed-attempt', 'unknown-sale']),
      settlementId: z.string().optional(),
      orderNo: z.string().optional(),
      amountFen: z.number().int().optional(),
    }),
  },
  /** the popup's list */
  'tenders.list': {
    request: z.object({ type: z.literal('tenders.list') }),
    response: z.object({
      bridgeConfigured: z.boolean(),
      cashierId: z.string(),
      items: z.array(TenderViewSchema),
      /** answers in a row that were not signed by the bridge (≥ 3: the popup warns) */
      unverifiedAnswers: z.number().int().min(0).default(0),
    }),
  },
  /** 「下账」: queue the tender and try it now */
  'tender.post': {
    request: z.object({ type: z.literal('tender.post'), settlementId: z.string().max(64) }),
    response: TenderViewSchema,
  },
  /** 「已在英克下账」: the cashier recorded it in Yingke by hand */
  'tender.manual': {
    request: z.object({ type: z.literal('tender.manual'), settlementId: z.string().max(64) }),
    response: TenderViewSchema,
  },
  ...supervisorRequestSchemas,
  // --- outbox helper (bridge revision 2) ---
  /** 「确认无误」: the cashier confirms a settlement held for 'confirm' (order or amount differs); audited */
  'settlement.confirm': {
    request: z.object({ type: z.literal('settlement.confirm'), settlementId: z.string().max(64) }),
    response: TenderViewSchema,
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

/**
 * Popup → the portal tab's top frame (browser.tabs.sendMessage, frameId 0), not a request to the
 * background: a ticket read with the camera or from a picture. The content script accepts it only
 * from the extension's own pages (content-scripts/remote-scan.ts) and hands it to the very path a
 * gun scan takes, so the background still parses, checks and audits it.
 */
export const RemoteScanSchema = z.object({ type: z.literal('scan.remote'), text: z.string().min(1).max(2000) });
export type RemoteScan = z.infer<typeof RemoteScanSchema>;
/** The content script's answer: taken (the page shows the outcome), or not a ticket at all. */
export const RemoteScanAnswerSchema = z.object({ accepted: z.boolean(), reason: z.enum(['NOT_A_TICKET']).optional() });
export type RemoteScanAnswer = z.infer<typeof RemoteScanAnswerSchema>;

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
