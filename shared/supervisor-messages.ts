import { z } from 'zod';
import { DaySchema, ExceptionBasisSchema, ExceptionRecordSchema, IdText, PortalIdSchema, VendorRowSchema } from './log-records';

/**
 * The supervisors' messages (extension pages → background): messages.ts spreads these into
 * requestSchemas; the handlers are in background/supervisor.ts.
 */

export const PurgeReportSchema = z.object({
  dryRun: z.boolean(),
  /** days before this one are older than the retention period */
  cutoffDay: DaySchema,
  retentionDays: z.int(),
  purgedDays: z.array(DaySchema),
  /** old days kept because they were never exported (or changed since) */
  blockedDays: z.array(DaySchema),
  settlements: z.int(),
  tenders: z.int(),
  auditEntries: z.int(),
  /** the audit entries removed are seq ≤ this (a prefix: the chain stays checkable) */
  auditThroughSeq: z.int().nullable(),
});
export type PurgeReport = z.infer<typeof PurgeReportSchema>;

export const PendingAlertSchema = z.object({
  settlementId: z.string(),
  portal: PortalIdSchema,
  orderNo: z.string(),
  amountFen: z.int(),
  minutes: z.int(),
});

export const AlertCheckSchema = z.object({
  thresholdMinutes: z.int(),
  overdue: z.int(),
  oldestMinutes: z.int().nullable(),
  /** overdue settlements not alerted before: one notification for these */
  newly: z.array(PendingAlertSchema),
});
export type AlertCheck = z.infer<typeof AlertCheckSchema>;

export const YingkeFetchAnswerSchema = z.object({
  day: DaySchema,
  ok: z.boolean(),
  count: z.int(),
  durationMs: z.int(),
  status: z.int().nullable(),
  /** a BridgeError reason/code when not ok: NO_BRIDGE, unauthorized, timeout, network, … */
  code: z.string().optional(),
  message: z.string().optional(),
});
export type YingkeFetchAnswer = z.infer<typeof YingkeFetchAnswerSchema>;

export const ExportedDaySchema = z.object({
  day: DaySchema,
  settlementCount: z.int().min(0),
  withAudit: z.boolean(),
  auditHeadHash: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
});

export const supervisorRequestSchemas = {
  /** mark one difference handled (basis, remark, who): stored and audited */
  'exception.handle': {
    request: z.object({
      type: z.literal('exception.handle'),
      day: DaySchema,
      diffId: z.string().min(1).max(200),
      basis: ExceptionBasisSchema,
      remark: z.string().trim().min(1).max(500),
      by: IdText(32),
    }),
    response: ExceptionRecordSchema,
  },
  /** undo a handled mark (the mark stays on the audit trail) */
  'exception.reopen': {
    request: z.object({
      type: z.literal('exception.reopen'),
      day: DaySchema,
      diffId: z.string().min(1).max(200),
      remark: z.string().trim().min(1).max(500),
      by: IdText(32),
    }),
    response: ExceptionRecordSchema,
  },
  /** GET /api/v1/tenders?date= through the bridge; stored for the page, the call audited */
  'reconcile.fetchYingke': {
    request: z.object({ type: z.literal('reconcile.fetchYingke'), day: DaySchema }),
    response: YingkeFetchAnswerSchema,
  },
  /** a vendor's order list for one day and portal (parsed and validated on the page) */
  'vendor.import': {
    request: z.object({
      type: z.literal('vendor.import'),
      day: DaySchema,
      portal: PortalIdSchema,
      fileName: z.string().max(200),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      by: IdText(32),
      rows: z.array(VendorRowSchema).max(20_000),
    }),
    response: z.object({ importId: z.string(), stored: z.int() }),
  },
  /** the page exported these days (the retention purge needs it) */
  'export.record': {
    request: z.object({
      type: z.literal('export.record'),
      format: z.enum(['xlsx', 'csv']),
      fileName: z.string().max(200),
      rowCount: z.int().min(0),
      days: z.array(ExportedDaySchema).max(4000),
    }),
    response: z.object({ recorded: z.int() }),
  },
  /** remove days older than the retention period that were exported; dryRun only reports */
  'retention.purge': {
    request: z.object({ type: z.literal('retention.purge'), dryRun: z.boolean() }),
    response: PurgeReportSchema,
  },
  /** settlements waiting for 下账 longer than the configured minutes */
  'alerts.check': {
    request: z.object({ type: z.literal('alerts.check') }),
    response: AlertCheckSchema,
  },
} as const;

export type SupervisorRequestType = keyof typeof supervisorRequestSchemas;
export type SupervisorRequestOf<T extends SupervisorRequestType> = z.infer<(typeof supervisorRequestSchemas)[T]['request']>;
export type SupervisorResponseOf<T extends SupervisorRequestType> = z.infer<(typeof supervisorRequestSchemas)[T]['response']>;
