import { z } from 'zod';
import { PORTAL_IDS, type PortalId } from '@/providers/registry';
import type { BridgeTender } from './bridge';
import { DIFF_KINDS, DIFF_REASONS, type DiffKind, type DiffReason } from './differences';

/**
 * What the supervisors' daily log keeps (its tables are declared with the others in db.ts): marks
 * on differences, Yingke's tenders as fetched, vendors' imported order lists, exports, alerts.
 */

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
export const DaySchema = z.string().regex(DATE, 'YYYY-MM-DD');
export const PortalIdSchema = z.enum(PORTAL_IDS);
export const MoneySchema = z.int().min(0).max(99_999_999_99);
const NO_CONTROL_CHARS = /^[^\u0000-\u001f\u007f]*$/;
/** identifiers as the portals print them: visible text, no control characters */
export const IdText = (max: number) => z.string().trim().min(1).max(max).regex(NO_CONTROL_CHARS);

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

