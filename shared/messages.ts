import { z } from 'zod';
import { browser } from 'wxt/browser';
import { FullTicketSchema, TicketErrorCodeSchema, TicketSchema } from './ticket-schema';
import { LocatorSchema } from './engine/locator';
import { supervisorRequestSchemas } from './supervisor-messages';
import { anchorRequestSchemas } from './anchor';
import { LooseCaptureSchema } from './engine/capture-schema';
import { settingsRequestSchemas } from './settings-change';
import { PORTAL_IDS } from '@/providers/registry';
import { PortalDefinitionSchema } from '@/providers/definition-schema';
import { MessageRefusedError } from './message-refusal';

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
    /** this tab holds a settlement captured with no fill in progress: this scan attaches it */
    attachTo: z.object({ settlementId: z.string(), amountFen: z.number().int(), cashFen: z.number().int(), vendorOrderNo: z.string() }).optional(),
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


/** Why a stored settlement cannot become a tender yet (see Settlement.hold in shared/db.ts). */
export const SettlementHoldSchema = z.enum(['unmatched', 'confirm']);

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

export const PinSchema = z.string().regex(/^\d{4,12}$/);
export const SupervisorNameSchema = z.string().trim().min(1).max(32).regex(/^[^\u0000-\u001f\u007f]*$/);
export const SupervisorPinSchema = z.object({ name: SupervisorNameSchema, pin: PinSchema });
export const SupervisorStatusSchema = z.object({
  supervisors: z.array(z.string()),
  byPolicy: z.boolean(),
  /** epoch ms until which no PIN is taken (too many wrong ones) */
  lockedUntil: z.number().int().nullable(),
  /** the supervisor this page is signed in as, if any */
  current: z.string().nullable(),
});
export type SupervisorStatus = z.infer<typeof SupervisorStatusSchema>;

// ---------------------------------------------------------------------------------------------
// Portal packs, dry runs and teach mode (shared/packs.ts, docs/packs.md)

export const PackProblemSchema = z.object({
  code: z.string().max(40),
  where: z.string().max(200),
  subject: z.string().max(200),
  detail: z.string().max(500),
});

const PackSourceSchema = z.enum(['policy', 'settings']);

/** One thing a dry run looked for on the portal page, and what it found. */
export const DryRunItemSchema = z.object({
  kind: z.enum(['target', 'table', 'column']),
  name: z.string().max(200),
  describe: z.string().max(200).optional(),
  status: z.enum(['found', 'missing', 'ambiguous']),
  /** the locator that found it, or the table it belongs to */
  via: z.string().max(300).optional(),
  count: z.number().int().optional(),
});
export type DryRunItem = z.infer<typeof DryRunItemSchema>;

export const DryRunResultSchema = z.object({
  /** the page's path and title (no query: it may carry a session) */
  page: z.object({ path: z.string().max(300), title: z.string().max(200) }),
  items: z.array(DryRunItemSchema).max(500),
});
export type DryRunResult = z.infer<typeof DryRunResultSchema>;

/** Background → the portal tab's top frame (browser.tabs.sendMessage): resolve, never act. */
export const PackDryRunCommandSchema = z.object({ type: z.literal('pack.dryRun.run'), definition: PortalDefinitionSchema });
/** Background → the portal tab's top frame: open the teach panel for this definition. */
export const TeachBeginCommandSchema = z.object({ type: z.literal('teach.begin'), definition: PortalDefinitionSchema });
export const TeachBeginAnswerSchema = z.object({ started: z.boolean() });

const PortalTabSchema = z.object({ portal: PortalIdSchema, title: z.string().max(200) }).nullable();

function packRequestSchemas() {
  return {
    /** options page: which pack is in force per portal, and every pack seen (valid or refused) */
    'packs.status': {
      request: z.object({ type: z.literal('packs.status') }),
      response: z.object({
        builtInVersion: z.string(),
        active: z.array(z.object({ portal: PortalIdSchema, source: PackSourceSchema, version: z.string(), mode: z.enum(['patch', 'replace']) })),
        loaded: z.array(
          z.object({
            source: PackSourceSchema,
            index: z.number().int(),
            ok: z.boolean(),
            portal: PortalIdSchema.optional(),
            version: z.string().optional(),
            problems: z.array(PackProblemSchema),
          }),
        ),
      }),
    },
    /** options page: is this pasted text a pack the extension would take? */
    'packs.check': {
      request: z.object({ type: z.literal('packs.check'), text: z.string().max(200_000) }),
      response: z.object({
        ok: z.boolean(),
        portal: PortalIdSchema.optional(),
        version: z.string().optional(),
        mode: z.enum(['patch', 'replace']).optional(),
        problems: z.array(PackProblemSchema),
      }),
    },
    /** options page: resolve a pack's targets (or the one in force) on the open portal tab, touching nothing */
    'packs.dryRun': {
      request: z.object({ type: z.literal('packs.dryRun'), text: z.string().max(200_000).optional() }),
      response: z.object({
        tab: PortalTabSchema,
        /** why there is no result: no portal tab open, the pack is refused, the page did not answer */
        reason: z.enum(['NO_PORTAL_TAB', 'PACK_REFUSED', 'NO_ANSWER']).optional(),
        result: DryRunResultSchema.optional(),
      }),
    },
    /** options page: start teach mode (教一教) on the open portal tab */
    'teach.start': {
      request: z.object({ type: z.literal('teach.start') }),
      response: z.object({ tab: PortalTabSchema, started: z.boolean() }),
    },
    /** portal page: the pack teach mode produced (structure and labels only, never values) */
    'teach.finished': {
      request: z.object({ type: z.literal('teach.finished'), packText: z.string().max(200_000) }),
      /** packOk: the taught pack passes checkPack over the definition in force (the background checks it: no zod in the content script) */
      response: z.object({ ok: z.boolean(), packOk: z.boolean() }),
    },
  } as const;
}

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
    response: z.object({
      enabled: z.boolean(),
      goodsName: z.string(),
      overrides: z.record(z.string(), z.array(LocatorSchema)),
      /** the portal's definition when a pack is in force (shared/packs.ts); absent = the built-in */
      definition: PortalDefinitionSchema.optional(),
      pack: z.object({ source: z.enum(['policy', 'settings']), version: z.string() }).optional(),
    }),
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
  /** a reloaded portal page: the captures this tab sent that are not stored yet (the background's journal) */
  'capture.unconfirmed': {
    request: z.object({ type: z.literal('capture.unconfirmed') }),
    response: z.object({
      captures: z.array(z.object({ captureId: z.string().min(8).max(64), capture: LooseCaptureSchema, reviewFlags: z.array(z.string().max(80)).max(20) })).max(50),
    }),
  },
  /** a settlement seen on the portal: stored durably before the answer comes back */
  'settlement.capture': {
    request: z.object({
      type: z.literal('settlement.capture'),
      /** made once per result seen, so a capture sent again (no answer, page reload) is stored once */
      captureId: z.string().min(8).max(64),
      capture: LooseCaptureSchema,
      /** fields the content script already had to cut or drop */
      reviewFlags: z.array(z.string().max(80)).max(20).default([]),
    }),
    response: z.object({
      stored: z.enum(['new', 'duplicate', 'failed-attempt', 'unknown-sale']),
      settlementId: z.string().optional(),
      orderNo: z.string().optional(),
      amountFen: z.number().int().optional(),
      hold: SettlementHoldSchema.optional(),
      holdReasons: z.array(z.string()).optional(),
      reviewFlags: z.array(z.string()).optional(),
    }),
  },
  /** an 'unmatched' settlement tied to the ticket the cashier scanned after it (audited) */
  'settlement.attach': {
    request: z.object({ type: z.literal('settlement.attach'), scanId: z.string().max(64), settlementId: z.string().max(64), ticket: TicketSchema }),
    response: z.object({
      attached: z.boolean(),
      /** why not: AMOUNT_DIFFERS, WRONG_STORE, ALREADY_SETTLED, NOT_UNMATCHED */
      code: z.string().max(40).optional(),
      orderNo: z.string().optional(),
      amountFen: z.number().int().optional(),
      hold: SettlementHoldSchema.optional(),
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
  /** our content script saw a page script try something on the extension's own UI (audited, rate-limited) */
  'security.report': {
    request: z.object({ type: z.literal('security.report'), what: z.enum(['overlay.click']), label: z.string().max(40) }),
    response: z.object({ recorded: z.boolean() }),
  },
  /** the options page: is a bridge secret set, and by whom (never the secret itself) */
  'secret.status': {
    request: z.object({ type: z.literal('secret.status') }),
    response: z.object({ set: z.boolean(), lockedByPolicy: z.boolean() }),
  },
  /** the options page: replace (or clear, with '') the bridge secret; write-only; a signed-in supervisor's */
  'secret.set': {
    request: z.object({ type: z.literal('secret.set'), secret: z.string().max(256) }),
    response: z.object({ set: z.boolean() }),
  },
  /** who the supervisors are (names only) and whether PIN entry is locked out just now */
  'supervisor.status': {
    request: z.object({ type: z.literal('supervisor.status') }),
    response: SupervisorStatusSchema,
  },
  /** first use: IT sets the first supervisor (only while none is set, locally or by policy) */
  'supervisor.enroll': {
    request: z.object({ type: z.literal('supervisor.enroll'), name: SupervisorNameSchema, pin: PinSchema }),
    response: SupervisorStatusSchema,
  },
  /** a supervisor's PIN for this page: the page's later supervisor actions are done as them */
  'supervisor.verify': {
    request: z.object({ type: z.literal('supervisor.verify'), ...SupervisorPinSchema.shape }),
    response: z.object({ ok: z.boolean(), name: z.string().optional(), lockedUntil: z.number().int().optional(), attemptsLeft: z.number().int().optional() }),
  },
  ...supervisorRequestSchemas,
  ...packRequestSchemas(),
  // --- outbox helper (bridge revision 2) ---
  /** 「确认无误」: the cashier confirms a settlement held for 'confirm' (order or amount differs); audited */
  'settlement.confirm': {
    request: z.object({ type: z.literal('settlement.confirm'), settlementId: z.string().max(64) }),
    response: TenderViewSchema,
  },
  // --- anchoring helper (audit heads, bridge revision 2) ---
  ...anchorRequestSchemas,
  // --- settings changes are a supervisor's (issue 12) ---
  ...settingsRequestSchemas,
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

export { MessageRefusedError };

export async function sendToBackground<T extends RequestType>(request: RequestOf<T> & { type: T }): Promise<ResponseOf<T>> {
  const type: T = request.type;
  const answer: unknown = await browser.runtime.sendMessage(request);
  const refusal = RefusalSchema.safeParse(answer);
  if (refusal.success) throw new MessageRefusedError(refusal.data.reason);
  return requestSchemas[type].response.parse(answer) as ResponseOf<T>;
}
