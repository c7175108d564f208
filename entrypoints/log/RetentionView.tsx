import { useEffect, useState } from 'preact/hooks';
import { t } from '@/shared/i18n';
import type { Settings } from '@/shared/settings';
import { storeDay } from '@/shared/time';
import { addDays } from '@/shared/reconcile';
import { type ExportRecord } from '@/shared/log-records';
import { type PurgeReport } from '@/shared/supervisor-messages';
import type { ChainReport } from '@/shared/audit-chain';
import { ask, clockText, errorMessage, logDb } from './data';
import { MAX_AUDIT_DAYS } from './export-options';

/**
 * Retention: data is kept settings.retentionDays (at least 400) days; older days are removed only
 * once exported (with their audit entries). Range exports live here too.
 */
export function RetentionView({ settings, operator, chain }: { settings: Settings; operator: string; chain: ChainReport | null }) {
  const db = logDb();
  const today = storeDay(Date.now());
  const cutoff = addDays(today, -settings.retentionDays);
  const [from, setFrom] = useState(`${today.slice(0, 7)}-01`);
  const [to, setTo] = useState(today);
  const [exporting, setExporting] = useState<{ state: 'busy' | 'done' | 'error'; text: string; ms?: number; rows?: number; bytes?: number; phases?: string } | null>(null);
  const [exports, setExports] = useState<ExportRecord[]>([]);
  const [report, setReport] = useState<PurgeReport | null>(null);
  const [purgeError, setPurgeError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    void db.exports.orderBy('day').reverse().limit(60).toArray().then(setExports).catch((e: unknown) => setPurgeError(errorMessage(e)));
  }, [reload]);

  const doExport = async (format: 'xlsx' | 'csv'): Promise<void> => {
    if (from > to) return;
    setExporting({ state: 'busy', text: t('log_exporting') });
    try {
      // the export and its .xlsx writer are a chunk of their own, loaded on the first export
      const { exportRange } = await import('./exporting');
      const out = await exportRange(db, from, to, format, { settings, chain });
      setExporting({ state: 'done', text: t('log_exported', [out.fileName, String(out.rows)]) + (out.recordError ? ` ${t('log_export_not_recorded', out.recordError.replace(/[。.]$/, ''))}` : ''), ms: out.ms, rows: out.rows, bytes: out.bytes, phases: JSON.stringify({ ...out.phases, auditSheet: out.auditSheet }) });
      setReload((r) => r + 1);
    } catch (e) {
      setExporting({ state: 'error', text: errorMessage(e) });
    }
  };

  const purge = async (dryRun: boolean): Promise<void> => {
    if (!dryRun) {
      if (!operator.trim()) return setPurgeError(t('log_need_operator'));
      if (!window.confirm(t('log_purge_confirm', [String(report?.purgedDays.length ?? 0), cutoff]))) return;
    }
    setBusy(true);
    setPurgeError(null);
    try {
      setReport(await ask({ type: 'retention.purge', dryRun }));
      setReload((r) => r + 1);
    } catch (e) {
      setPurgeError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
  return (
    <section id="retention-view">
      <h3>{t('log_h_export_range')}</h3>
      <div class="toolbar no-print">
        <label>
          {t('log_from')}
          <input id="export-from" type="date" value={from} max={to} onChange={(e) => e.currentTarget.value && setFrom(e.currentTarget.value)} />
        </label>
        <label>
          {t('log_to')}
          <input id="export-to" type="date" value={to} min={from} max={today} onChange={(e) => e.currentTarget.value && setTo(e.currentTarget.value)} />
        </label>
        <button type="button" id="export-range-xlsx" disabled={exporting?.state === 'busy'} onClick={() => void doExport('xlsx')}>{t('log_export_xlsx')}</button>
        <button type="button" id="export-range-csv" disabled={exporting?.state === 'busy'} onClick={() => void doExport('csv')}>{t('log_export_csv')}</button>
      </div>
      <p class="hint">{t(days > MAX_AUDIT_DAYS ? 'log_export_range_no_audit' : 'log_export_range_audit', String(MAX_AUDIT_DAYS))}</p>
      {exporting && (
        <p id="range-export-status" class={`banner ${exporting.state === 'error' ? 'banner-error' : 'banner-info'}`} data-state={exporting.state} data-ms={exporting.ms ?? ''} data-rows={exporting.rows ?? ''} data-bytes={exporting.bytes ?? ''} data-phases={exporting.phases ?? ''}>
          {exporting.text}
        </p>
      )}

      <h3>{t('log_h_retention')}</h3>
      <p>{t('log_retention_rule', [String(settings.retentionDays), cutoff])}</p>
      <div class="toolbar no-print">
        <button type="button" id="purge-preview" disabled={busy} onClick={() => void purge(true)}>{t('log_purge_preview')}</button>
        <button type="button" id="purge" class="danger" disabled={busy || !report || report.purgedDays.length === 0} onClick={() => void purge(false)}>{t('log_purge')}</button>
      </div>
      {purgeError && <p class="banner banner-error">{purgeError}</p>}
      {report && (
        <div id="purge-report" class="banner banner-info" data-dry-run={String(report.dryRun)} data-purged={report.purgedDays.length} data-blocked={report.blockedDays.length}>
          <p>{t(report.dryRun ? 'log_purge_would' : 'log_purge_done', [String(report.purgedDays.length), String(report.settlements), String(report.auditEntries)])}</p>
          {report.blockedDays.length > 0 && (
            <p class="bad">{t('log_purge_blocked', [String(report.blockedDays.length), report.blockedDays.slice(0, 10).join(t('list_separator'))])}</p>
          )}
        </div>
      )}

      <h3>{t('log_h_exports')}</h3>
      <table id="exports" class="grid">
        <thead>
          <tr>
            <th>{t('log_col_day')}</th>
            <th>{t('log_exports_at')}</th>
            <th>{t('log_exports_file')}</th>
            <th class="num">{t('log_card_settlements')}</th>
            <th>{t('log_exports_audit')}</th>
          </tr>
        </thead>
        <tbody>
          {exports.length === 0 && (
            <tr>
              <td colSpan={5} class="empty">{t('log_exports_none')}</td>
            </tr>
          )}
          {exports.map((e) => (
            <tr key={e.day} data-day={e.day}>
              <td>{e.day}</td>
              <td>{clockText(e.at)}</td>
              <td>{e.fileName}</td>
              <td class="num">{e.settlementCount}</td>
              <td>{e.withAudit ? '✓' : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
