import { browser } from 'wxt/browser';
import { database, type TenderBridgeDb } from '@/shared/db';
import { RefusalSchema } from '@/shared/messages';
import { supervisorRequestSchemas, type SupervisorRequestOf, type SupervisorRequestType, type SupervisorResponseOf } from '@/shared/supervisor-messages';
import { portalNameKey, t, type MessageKey } from '@/shared/i18n';
import { perPortal, type PortalId } from '@/providers/registry';
import type { DisplayState, PendingReason } from '@/shared/reconcile';
import type { DiffKind, DiffReason } from '@/shared/differences';
import type { TenderState } from '@/shared/db';
import type { ExportText, ExportValueKind } from '@/shared/export';
import type { ChainReport } from '@/shared/audit-chain';
import { formatFen } from '@/shared/core/money';

/**
 * The log page reads the extension's database directly (it is an extension page: same origin as
 * the background) and never writes it: every change is a message to the background, which audits it.
 */
let db: TenderBridgeDb | undefined;
export function logDb(): TenderBridgeDb {
  db ??= database();
  return db;
}

export class RefusedError extends Error {}

/** A supervisor request to the background, answer validated with the same zod schema. */
export async function ask<T extends SupervisorRequestType>(request: SupervisorRequestOf<T> & { type: T }): Promise<SupervisorResponseOf<T>> {
  const answer: unknown = await browser.runtime.sendMessage(request);
  const refusal = RefusalSchema.safeParse(answer);
  if (refusal.success) throw new RefusedError(refusal.data.reason);
  const type: T = request.type;
  return supervisorRequestSchemas[type].response.parse(answer) as SupervisorResponseOf<T>;
}

export function errorMessage(error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  if (/PIN_REQUIRED/.test(reason)) return t('sec_pin_required');
  if (/DIFF_NOT_FOUND/.test(reason)) return t('log_err_diff_gone');
  if (/NOT_HANDLED/.test(reason)) return t('log_err_not_handled');
  if (/malformed message/.test(reason)) return t('log_err_old_background');
  if (/schema version 2|no supervisor tables/.test(reason)) return t('log_err_schema');
  return t('log_err_generic', reason);
}

// ---------------------------------------------------------------------------------------------
// Labels

export const PORTAL_LABEL: Readonly<Record<PortalId, MessageKey>> = perPortal((_, id) => portalNameKey(id));

export const STATE_LABEL: Record<DisplayState, MessageKey> = {
  posted: 'log_state_posted',
  manual: 'log_state_manual',
  pending: 'log_state_pending',
  failed: 'log_state_failed',
  refunded: 'log_state_refunded',
  'vendor-failed': 'log_state_vendor_failed',
};

export const TENDER_STATE_LABEL: Record<TenderState, MessageKey> = {
  queued: 'log_tstate_queued',
  posted: 'log_tstate_posted',
  rejected: 'log_tstate_rejected',
  conflict: 'log_tstate_conflict',
  unauthorized: 'log_tstate_unauthorized',
  manual: 'log_tstate_manual',
  sending: 'log_tstate_sending',
  'manual-to-verify': 'log_tstate_manual_to_verify',
  double: 'log_tstate_double',
};

export const DIFF_KIND_LABEL: Record<DiffKind, MessageKey> = {
  'vendor-only': 'log_diff_vendor_only',
  'yingke-only': 'log_diff_yingke_only',
  amount: 'log_diff_amount',
  status: 'log_diff_status',
  refund: 'log_diff_refund',
};

export const REASON_LABEL: Record<DiffReason, MessageKey> = {
  'not-posted': 'log_reason_not_posted',
  'posted-missing': 'log_reason_posted_missing',
  'file-only': 'log_reason_file_only',
  'no-settlement': 'log_reason_no_settlement',
  'failed-attempt': 'log_reason_failed_attempt',
  over: 'log_reason_over',
  short: 'log_reason_short',
  cash: 'log_reason_cash',
  'local-not-posted': 'log_reason_local_not_posted',
  'voucher-differs': 'log_reason_voucher_differs',
  'method-differs': 'log_reason_method_differs',
  'file-failed': 'log_reason_file_failed',
  'not-in-file': 'log_reason_not_in_file',
  'refund-not-in-yingke': 'log_reason_refund_not_in_yingke',
  'refund-only-in-yingke': 'log_reason_refund_only_in_yingke',
  'refund-amount': 'log_reason_refund_amount',
  'refund-exceeds-sale': 'log_reason_refund_exceeds_sale',
  'file-refund-missing': 'log_reason_file_refund_missing',
};

/** What to do about each reason: shown under the difference. */
export const REASON_ADVICE: Record<DiffReason, MessageKey> = {
  'not-posted': 'log_advice_not_posted',
  'posted-missing': 'log_advice_posted_missing',
  'file-only': 'log_advice_file_only',
  'no-settlement': 'log_advice_no_settlement',
  'failed-attempt': 'log_advice_failed_attempt',
  over: 'log_advice_amount',
  short: 'log_advice_amount',
  cash: 'log_advice_cash',
  'local-not-posted': 'log_advice_local_not_posted',
  'voucher-differs': 'log_advice_voucher_differs',
  'method-differs': 'log_advice_method_differs',
  'file-failed': 'log_advice_file_failed',
  'not-in-file': 'log_advice_not_in_file',
  'refund-not-in-yingke': 'log_advice_refund_not_in_yingke',
  'refund-only-in-yingke': 'log_advice_refund_only_in_yingke',
  'refund-amount': 'log_advice_amount',
  'refund-exceeds-sale': 'log_advice_refund_exceeds_sale',
  'file-refund-missing': 'log_advice_file_refund_missing',
};

export const PENDING_LABEL: Record<PendingReason, MessageKey> = {
  'window-open': 'log_pending_window_open',
  'yingke-not-fetched': 'log_pending_yingke_not_fetched',
};

export const STATUS_LABEL: Record<'open' | 'pending' | 'handled', MessageKey> = {
  open: 'log_status_open',
  pending: 'log_status_pending',
  handled: 'log_status_handled',
};

export const BASIS_LABEL: Record<'vendor' | 'yingke', MessageKey> = {
  vendor: 'log_basis_vendor',
  yingke: 'log_basis_yingke',
};

const EXPORT_SHEET_LABEL: Record<string, MessageKey> = {
  summary: 'log_sheet_summary',
  totals: 'log_sheet_totals',
  settlements: 'log_sheet_settlements',
  tenders: 'log_sheet_tenders',
  yingke: 'log_sheet_yingke',
  differences: 'log_sheet_differences',
  audit: 'log_sheet_audit',
};

const EXPORT_COLUMN_LABEL: Record<string, MessageKey> = {
  day: 'log_col_day', time: 'log_col_time', portal: 'log_col_portal', method: 'log_col_method', kind: 'log_col_kind',
  state: 'log_col_state', orderNo: 'log_col_order_no', vendorOrderNo: 'log_col_vendor_no', amount: 'log_col_amount',
  cash: 'log_col_cash', card: 'log_col_card', refundOf: 'log_col_refund_of', settlementId: 'log_col_settlement_id',
  tenderId: 'log_col_tender_id', voucherNo: 'log_col_voucher', yingkeState: 'log_col_yingke_state', diffs: 'log_col_diffs',
  tenderState: 'log_col_tender_state', attempts: 'log_col_attempts', recordedAt: 'log_col_recorded_at', manualBy: 'log_col_manual_by',
  manualAt: 'log_col_manual_at', lastError: 'log_col_last_error', matched: 'log_col_matched', diffKind: 'log_col_diff_kind',
  reason: 'log_col_reason', status: 'log_col_status', pending: 'log_col_pending', captured: 'log_col_captured',
  yingke: 'log_col_yingke', file: 'log_col_file', delta: 'log_col_delta', basis: 'log_col_basis', remark: 'log_col_remark',
  handledBy: 'log_col_handled_by', handledAt: 'log_col_handled_at', note: 'log_col_note', diffId: 'log_col_diff_id',
  sales: 'log_col_sales', salesAmount: 'log_col_sales_amount', cashPart: 'log_col_cash_part', refunds: 'log_col_refunds',
  refundAmount: 'log_col_refund_amount', net: 'log_col_net', failed: 'log_col_failed', seq: 'log_col_seq', type: 'log_col_type',
  code: 'log_col_code', detail: 'log_col_detail', prevHash: 'log_col_prev_hash', hash: 'log_col_hash', item: 'log_col_item',
  value: 'log_col_value',
};

const SUMMARY_LABEL: Record<string, MessageKey> = {
  store: 'log_sum_store',
  generatedAt: 'log_sum_generated_at',
  chain: 'log_sum_chain',
  head: 'log_sum_head',
};

function valueLabel(kind: ExportValueKind, code: string): string {
  const pick = <K extends string>(map: Record<K, MessageKey>): string => (code in map ? t(map[code as K]) : code);
  switch (kind) {
    case 'state':
      return pick(STATE_LABEL);
    case 'tenderState':
      return pick(TENDER_STATE_LABEL);
    case 'kind':
      return code === 'refund' ? t('log_kind_refund') : code === 'sale' ? t('log_kind_sale') : code;
    case 'diffKind':
      return pick(DIFF_KIND_LABEL);
    case 'reason':
      return pick(REASON_LABEL);
    case 'portal':
      return pick(PORTAL_LABEL);
    case 'diffStatus':
      return pick(STATUS_LABEL);
    case 'basis':
      return pick(BASIS_LABEL);
    case 'pending':
      return pick(PENDING_LABEL);
    case 'summary':
      return pick(SUMMARY_LABEL);
  }
}

export const EXPORT_TEXT: ExportText = {
  sheet: (key) => t(EXPORT_SHEET_LABEL[key] ?? 'log_sheet_summary'),
  column: (key) => (EXPORT_COLUMN_LABEL[key] ? t(EXPORT_COLUMN_LABEL[key]) : key),
  value: valueLabel,
  get separator() {
    return t('list_separator');
  },
};

// ---------------------------------------------------------------------------------------------
// Formatting

/** '2025-03-28T10:15:00+08:00' → '2025-03-28 10:15:00'; with `short`, '10:15'. */
export function clockText(iso: string | undefined | null, short = false): string {
  if (!iso) return '';
  const text = iso.replace('T', ' ').replace(/\+08:00$/, '');
  return short ? text.slice(11, 16) : text;
}

export function yuan(fen: number | null | undefined): string {
  return fen === null || fen === undefined ? '—' : `¥${formatFen(fen)}`;
}

export function signedYuan(fen: number): string {
  return fen > 0 ? `+¥${formatFen(fen)}` : fen < 0 ? `−¥${formatFen(-fen)}` : '¥0.00';
}

export function chainText(report: ChainReport): string {
  if (report.ok) {
    if (report.count === 0) return t(report.scope === 'day' ? 'log_chain_ok_empty_day' : 'log_chain_ok_empty');
    if (report.scope === 'all' && report.since) {
      return t('log_chain_ok_since', [String(report.count), String(report.since.seq), clockText(report.since.at), String(report.rehashed ?? 0)]);
    }
    return t(report.scope === 'day' ? 'log_chain_ok_day' : 'log_chain_ok_all', String(report.count));
  }
  const at = report.at ? `${clockText(report.at)} ${report.type ?? ''}`.trim() : '';
  const key: MessageKey = report.problem === 'changed' ? 'log_chain_changed' : report.problem === 'removed' ? 'log_chain_removed' : 'log_chain_reordered';
  return t(key, [String(report.seq), at]);
}

const OPERATOR_KEY = 'tenderbridge.log.operator';
export function savedOperator(): string {
  try {
    return localStorage.getItem(OPERATOR_KEY) ?? '';
  } catch {
    return '';
  }
}
export function saveOperator(name: string): void {
  try {
    localStorage.setItem(OPERATOR_KEY, name);
  } catch {
    // private mode: not remembered
  }
}

export function downloadBytes(bytes: BlobPart, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** What a failed Yingke fetch means, and what to do. */
export function yingkeFetchMessage(code: string | undefined, message: string | undefined): string {
  switch (code) {
    case 'NO_BRIDGE':
      return t('log_yk_no_bridge');
    case 'CONFIG':
      return t('log_yk_config');
    case 'unauthorized':
    case 'BAD_SIGNATURE':
    case 'CLOCK_SKEW':
    case 'BAD_TIMESTAMP':
    case 'UNKNOWN_STORE':
      return t('log_yk_unauthorized', code);
    case 'timeout':
    case 'network':
      return t('log_yk_unreachable', message ?? '');
    case 'bad_answer':
      return t('log_yk_bad_answer', message ?? '');
    default:
      return t('log_yk_failed', `${code ?? ''} ${message ?? ''}`.trim());
  }
}
