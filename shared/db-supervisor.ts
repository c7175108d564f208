import { z } from 'zod';
import type { Table } from 'dexie';
import { PORTAL_IDS, type PortalId } from '@/providers/registry';
import type { TenderBridgeDb } from './db';
import type { BridgeTender } from './bridge';
import { DIFF_KINDS, DIFF_REASONS, type DiffKind, type DiffReason } from './differences';

/**
 * The supervisors' daily log (issue 6): the tables it adds to the extension's database (schema
 * version 2), the records kept in them, and the zod schemas of the background messages that
 * write them. Pure types + zod only: messages.ts (bundled into content scripts too) may import it.
 *
 * Version 2 adds, besides the new tables, two indexes: audit [type+day] (the bridge call log of a
 * month is an index range, not a scan of a million entries) and tenders createdAt (a month's
 * tenders are one index range, not 9,000 look-ups by key).
 */
export const SUPERVISOR_SCHEMA_VERSION = 2;

export const SUPERVISOR_STORES = {
  audit: '++seq, day, type, orderNo, [type+day]',
  /** + createdAt: a day's or a month's tenders as one index range instead of one get per key */
  tenders: 'tenderId, &settlementId, state, nextAttemptAt, createdAt',
  /** a difference marked handled: key = the difference id (stable across recomputations) */
  exceptions: 'id, day, kind, at, orderNo, vendorOrderNo',
  /** what GET /api/v1/tenders?date= answered, per day: key = `${day}:${tenderId}` */
  yingkeTenders: 'id, day, tenderId, orderNo, vendorOrderNo',
  /** when each day's Yingke list was last fetched (completeness for the pending pool) */
  yingkeFetches: 'day',
  /** a vendor's exported order list, imported for one day and portal */
  vendorRows: 'id, day, [day+portal], vendorOrderNo, orderNo',
  vendorImports: 'id, day',
  /** days exported (the retention purge only removes exported days) */
  exports: 'day',
  /** settlements already alerted as pending too long (one notification each) */
  alerts: 'settlementId, day',
} as const;

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
export const DaySchema = z.string().regex(DATE, 'YYYY-MM-DD');
const PortalIdSchema = z.enum(PORTAL_IDS);
const MoneySchema = z.int().min(0).max(99_999_999_99);
const NO_CONTROL_CHARS = /^[^\u0000-\u001f\u007f]*$/;
/** identifiers as the portals print them: visible text, no control characters */
const IdText = (max: number) => z.string().trim().min(1).max(max).regex(NO_CONTROL_CHARS);

// ---------------------------------------------------------------------------------------------
// Records

export type ExceptionBasis = 'vendor' | 'yingke';
export const ExceptionBasisSchema = z.enum(['vendor', 'yingke']);

export interface ExceptionRecord {
  /** the difference id (reconcile.ts): `${kind}:${reason}:${ref}` */
  id: string;
  day: string;
  kind: DiffKind;
  reason: DiffReason;
  state: 'handled' | 'reopened';
  portal?: PortalId;
  orderNo?: string;
  vendorOrderNo?: string;
  settlementId?: string;
  tenderId?: string;
  capturedFen: number | null;
  yingkeFen: number | null;
  fileFen: number | null;
  /** which side the supervisor took as right */
  basis: ExceptionBasis;
  remark: string;
  /** who (typed on the page: the supervisor's name or staff number) */
  by: string;
  /** ISO +08:00 */
  at: string;
  /** the audit entry that records it */
  auditSeq: number;
}

export const ExceptionRecordSchema = z.object({
  id: z.string(),
  day: DaySchema,
  kind: z.enum(DIFF_KINDS),
  reason: z.enum(DIFF_REASONS),
  state: z.enum(['handled', 'reopened']),
  portal: PortalIdSchema.optional(),
  orderNo: z.string().optional(),
  vendorOrderNo: z.string().optional(),
  settlementId: z.string().optional(),
  tenderId: z.string().optional(),
  capturedFen: z.int().nullable(),
  yingkeFen: z.int().nullable(),
  fileFen: z.int().nullable(),
  basis: ExceptionBasisSchema,
  remark: z.string(),
  by: z.string(),
  at: z.string(),
  auditSeq: z.int(),
});

export type YingkeTenderRecord = BridgeTender & {
  /** `${day}:${tenderId}` */
  id: string;
  /** the day asked for (GET ?date=): Yingke's own day, i.e. recordedAt's day */
  day: string;
  fetchedAt: string;
};

export interface YingkeFetch {
  day: string;
  /** epoch ms of the last successful fetch; a fetch after the day ended is complete */
  okAtMs?: number;
  okAt?: string;
  count?: number;
  lastAttemptAt: string;
  lastOk: boolean;
  lastError?: string;
  durationMs: number;
}

export const VENDOR_ROW_STATUSES = ['success', 'refunded', 'failed', 'cancelled'] as const;
export type VendorRowStatus = (typeof VENDOR_ROW_STATUSES)[number];

/** One line of a vendor's exported order list, validated (vendor-import.ts makes these). */
export const VendorRowSchema = z.object({
  /** line in the file (1-based), for messages */
  line: z.int().min(1),
  vendorOrderNo: IdText(64),
  orderNo: IdText(64).optional(),
  kind: z.enum(['sale', 'refund']),
  status: z.enum(VENDOR_ROW_STATUSES),
  /** the part charged to the card / insurance, fen */
  amountFen: MoneySchema,
  /** the cash part, when the file has one */
  cashFen: MoneySchema.optional(),
  /** 'YYYY-MM-DD HH:MM:SS' store time, when the file has one */
  time: z.string().max(40).optional(),
  /** for a refund line: the sale's vendor number, when the file has one */
  originalVendorOrderNo: IdText(64).optional(),
});
export type VendorRow = z.infer<typeof VendorRowSchema>;

export type VendorRowRecord = VendorRow & {
  /** `${day}:${portal}:${vendorOrderNo}:${kind}` */
  id: string;
  day: string;
  portal: PortalId;
  importId: string;
};

export interface VendorImport {
  id: string;
  day: string;
  portal: PortalId;
  fileName: string;
  sha256: string;
  rowCount: number;
  at: string;
  by: string;
}

export interface ExportRecord {
  day: string;
  at: string;
  atMs: number;
  format: 'xlsx' | 'csv';
  fileName: string;
  /** settlements of the day when exported: a day changed since is exported again before purge */
  settlementCount: number;
  /** the day's audit entries were in the file */
  withAudit: boolean;
  /** hash of the day's last audit entry when exported */
  auditHeadHash: string | null;
}

export interface PendingAlertRecord {
  settlementId: string;
  day: string;
  portal: PortalId;
  orderNo: string;
  amountFen: number;
  at: string;
  minutes: number;
}

// ---------------------------------------------------------------------------------------------
// Tables

export interface SupervisorTables {
  exceptions: Table<ExceptionRecord, string>;
  yingkeTenders: Table<YingkeTenderRecord, string>;
  yingkeFetches: Table<YingkeFetch, string>;
  vendorRows: Table<VendorRowRecord, string>;
  vendorImports: Table<VendorImport, string>;
  exports: Table<ExportRecord, string>;
  alerts: Table<PendingAlertRecord, string>;
}

/**
 * Declares schema version 2 on a database not yet opened, unless it already declares it (once the
 * version block is in shared/db.ts this does nothing). Safe to call more than once.
 */
export function ensureSupervisorSchema(db: TenderBridgeDb): TenderBridgeDb {
  if (db.verno < SUPERVISOR_SCHEMA_VERSION && !db.isOpen()) db.version(SUPERVISOR_SCHEMA_VERSION).stores(SUPERVISOR_STORES);
  return db;
}

export class SupervisorSchemaMissingError extends Error {
  constructor() {
    super('the database has no supervisor tables (schema version 2): add the version(2) block to shared/db.ts');
  }
}

/** The version-2 tables of an opened (or not yet opened) database. */
export function supervisorTables(db: TenderBridgeDb): SupervisorTables {
  try {
    return {
      exceptions: db.table('exceptions'),
      yingkeTenders: db.table('yingkeTenders'),
      yingkeFetches: db.table('yingkeFetches'),
      vendorRows: db.table('vendorRows'),
      vendorImports: db.table('vendorImports'),
      exports: db.table('exports'),
      alerts: db.table('alerts'),
    };
  } catch {
    throw new SupervisorSchemaMissingError();
  }
}

/** True when the tenders table has the createdAt index (schema version 2). */
export function hasTenderCreatedIndex(db: TenderBridgeDb): boolean {
  return db.tenders.schema.idxByName.createdAt !== undefined;
}

/** True when the audit table has the [type+day] index (schema version 2). */
export function hasTypeDayIndex(db: TenderBridgeDb): boolean {
  return db.audit.schema.idxByName['[type+day]'] !== undefined;
}

// ---------------------------------------------------------------------------------------------
// Messages (extension pages → background). messages.ts spreads these into requestSchemas.

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
