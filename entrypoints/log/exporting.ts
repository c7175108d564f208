import type { AuditEntry, TenderBridgeDb } from '@/shared/db';
import type { Settings } from '@/shared/settings';
import type { PortalId } from '@/providers/registry';
import { MAX_AUDIT_DAYS, paymentMethodIds } from './export-options';
import { reconcileRange } from '@/shared/daylog';
import { methodName, totalsOf } from '@/shared/log-totals';
import { auditHead, streamAuditOfDays, type AuditSink, type ChainReport } from '@/shared/audit-chain';
import { daysBetween } from '@/shared/reconcile';
import { auditRow, auditSheetHead, exportFileName, exportSheets, packedSheet, rowCount, StreamedSheet, summarySheet, toCsv, toXlsx, XLSX_MIME, type DayHead, type ExportInput, type PackedSheet, type Sheet } from '@/shared/export';
import { auditSheetInWorker } from './audit-sheet';
import { storeIso } from '@/shared/time';
import { t } from '@/shared/i18n';
import { ask, chainText, downloadBytes, errorMessage, EXPORT_TEXT } from './data';


export interface ExportOutcome {
  fileName: string;
  rows: number;
  bytes: number;
  /** building the file (reads + reconciliation + writing), ms */
  ms: number;
  /** of which: reading and reconciling (for an .xlsx with the audit sheet written meanwhile in a worker, and the other sheets but the summary made and compressed while it finishes), making the sheets, writing the bytes */
  phases: { readMs: number; sheetsMs: number; writeMs: number };
  /** where the audit sheet was written: in a worker, on the page, or none in the file */
  auditSheet: 'worker' | 'page' | 'none';
  /** days recorded as exported; 0 with recordError when the background could not record them */
  recorded: number;
  recordError?: string;
}

/**
 * Exports the days [from, to] (settlements, tenders, Yingke's tenders, differences, the head hash
 * of each day, and the audit entries of up to a month), downloads it, and tells the background,
 * which records the days as exported (the retention purge needs that).
 */
export async function exportRange(
  db: TenderBridgeDb,
  from: string,
  to: string,
  format: 'xlsx' | 'csv',
  context: { settings: Settings; chain: ChainReport | null; download?: boolean },
): Promise<ExportOutcome> {
  const started = performance.now();
  const now = Date.now();
  const { settings } = context;
  const days = daysBetween(from, to);
  const withAudit = days.length <= MAX_AUDIT_DAYS;
  // The days' audit entries (a month: ~90,000) come in parts as the database reads them, and each
  // part is written into its sheet (and compressed) at once. For an .xlsx that happens in a worker
  // while this page reads and reconciles the settlements; where there is no worker, here, while
  // the next part is read. A day's head is its last entry (the index's order: day, seq).
  const inWorker = format === 'xlsx' && withAudit ? auditSheetInWorker(from, to, auditSheetHead(EXPORT_TEXT)) : null;
  let auditSheet: PackedSheet | null = null;
  let auditRows = 0;
  const audit: AuditEntry[] = [];
  const dayHeads = new Map<string, DayHead>();
  const readAuditHere = async (): Promise<void> => {
    const streamed = format === 'xlsx' ? new StreamedSheet(auditSheetHead(EXPORT_TEXT)) : null;
    const sink: AuditSink = {
      chunk: (entries) => {
        for (const e of entries) dayHeads.set(e.day, { day: e.day, seq: e.seq, hash: e.hash });
        if (streamed) streamed.add(entries.map(auditRow));
        else for (const e of entries) audit.push(e);
      },
      reset: () => {
        dayHeads.clear();
        streamed?.reset();
        audit.length = 0;
      },
    };
    await streamAuditOfDays(db, from, to, sink);
    if (streamed) {
      auditSheet = streamed;
      auditRows = streamed.rowCount;
    }
  };
  // independent reads, in parallel
  const [result, headList] = await Promise.all([
    reconcileRange(db, from, to, { now, paymentMethodIds: paymentMethodIds(settings) }),
    !withAudit ? Promise.all(days.map((day) => auditHead(db, day))) : inWorker ? null : readAuditHere().then(() => null),
  ]);
  const configured = (portal: PortalId): string => settings.portals[portal].paymentMethodName;
  const methodOf = (row: Parameters<typeof methodName>[0]): string => methodName(row, configured);
  const input: ExportInput = {
    from,
    to,
    storeCode: settings.storeCode,
    generatedAt: storeIso(now),
    rows: result.rows,
    yingke: result.yingke,
    differences: result.differences,
    totals: totalsOf(result.rows, methodOf),
    heads: [],
    chain: context.chain ? { ok: context.chain.ok, text: chainText(context.chain) } : null,
    methodOf,
  };
  // while the worker still writes the audit sheet: the other sheets (all but the summary, which
  // lists the days' heads) are made and compressed now
  const earlySheets = inWorker ? exportSheets(input, EXPORT_TEXT).slice(1) : [];
  const early = inWorker ? earlySheets.map(packedSheet) : null;
  const fromWorker = await inWorker;
  if (fromWorker) {
    auditSheet = fromWorker.sheet;
    auditRows = fromWorker.rows;
    for (const head of fromWorker.heads) dayHeads.set(head.day, head);
  } else if (inWorker) await readAuditHere();
  const read = performance.now();
  const heads: DayHead[] = [];
  days.forEach((day, i) => {
    const head = headList ? headList[i] : dayHeads.get(day);
    if (head) heads.push({ day, seq: head.seq, hash: head.hash });
  });
  input.heads = heads;
  const sheets: Array<Sheet | PackedSheet> = early
    ? [summarySheet(input, EXPORT_TEXT), ...early]
    : exportSheets({ ...input, ...(withAudit && format === 'csv' ? { audit } : {}) }, EXPORT_TEXT);
  const sheetsDone = performance.now();
  const fileName = exportFileName(from, to, settings.storeCode, format);
  let bytes: Uint8Array<ArrayBuffer>;
  if (format === 'xlsx') bytes = await toXlsx(sheets, auditSheet ? [auditSheet] : []);
  else {
    const preamble = [[t('log_title'), from === to ? from : `${from} ~ ${to}`, settings.storeCode], ...heads.map((h) => [`${t('log_sum_head')} ${h.day}`, h.hash, String(h.seq)])];
    bytes = new TextEncoder().encode(toCsv(sheets.filter((sheet): sheet is Sheet => 'rows' in sheet), preamble));
  }
  const ms = performance.now() - started;
  if (context.download !== false) downloadBytes(bytes, fileName, format === 'xlsx' ? XLSX_MIME : 'text/csv;charset=utf-8');

  const counts = new Map<string, number>();
  for (const row of result.rows) counts.set(row.settlement.day, (counts.get(row.settlement.day) ?? 0) + 1);
  const headOf = new Map(heads.map((h) => [h.day, h.hash]));
  const phases = { readMs: Math.round(read - started), sheetsMs: Math.round(sheetsDone - read), writeMs: Math.round(started + ms - sheetsDone) };
  const outcome: ExportOutcome = { fileName, rows: rowCount(sheets.filter((sheet): sheet is Sheet => 'rows' in sheet)) + rowCount(earlySheets) + auditRows, bytes: bytes.length, ms: Math.round(ms), phases, auditSheet: fromWorker ? 'worker' : withAudit ? 'page' : 'none', recorded: 0 };
  try {
    const answer = await ask({
      type: 'export.record',
      format,
      fileName,
      rowCount: outcome.rows,
      days: days.map((day) => ({ day, settlementCount: counts.get(day) ?? 0, withAudit, auditHeadHash: headOf.get(day) ?? null })),
    });
    outcome.recorded = answer.recorded;
  } catch (e) {
    // the file is out; only the record for the retention purge is missing
    outcome.recordError = errorMessage(e);
  }
  return outcome;
}
