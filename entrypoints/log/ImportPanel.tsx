import { useState } from 'preact/hooks';
import { PORTAL_IDS, type PortalId } from '@/providers/registry';
import { t, type MessageKey } from '@/shared/i18n';
import type { ImportProblemCode, ImportResult } from '@/shared/vendor-import';
import type { ImportLimitError } from '@/shared/import-limits';
import { ask, errorMessage, PORTAL_LABEL } from './data';

const PROBLEM_LABEL: Record<ImportProblemCode, MessageKey> = {
  NO_HEADER: 'log_imp_NO_HEADER',
  EMPTY: 'log_imp_EMPTY',
  UNREADABLE: 'log_imp_UNREADABLE',
  TOO_MANY: 'log_imp_TOO_MANY',
  BAD_AMOUNT: 'log_imp_BAD_AMOUNT',
  BAD_STATUS: 'log_imp_BAD_STATUS',
  BAD_KIND: 'log_imp_BAD_KIND',
  OTHER_DAY: 'log_imp_OTHER_DAY',
  DUPLICATE: 'log_imp_DUPLICATE',
  INVALID: 'log_imp_INVALID',
};

interface Parsed {
  fileName: string;
  sha256: string;
  result: ImportResult;
}

function megabytes(bytes: number): string {
  return Number.isFinite(bytes) ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : '> 4 GB';
}

/** The cap a file broke, in words the supervisor can act on. */
function limitMessage(error: ImportLimitError): string {
  if (error.code === 'TOO_BIG') return t('imp_too_big', [megabytes(error.measured), megabytes(error.limit)]);
  if (error.code === 'TOO_MANY_ROWS') return t('imp_too_many_rows', String(error.limit));
  if (error.code === 'ZIP_TOO_BIG') return t('imp_zip_bomb', megabytes(error.measured));
  return t('log_err_generic', error.message);
}

/** A vendor's exported order list for this day: read and checked here, stored by the background. */
export function ImportPanel({ day, operator, onImported }: { day: string; operator: string; onImported: () => void }) {
  const [portal, setPortal] = useState<PortalId>('ruyitong');
  const [parsed, setParsed] = useState<Parsed | null>(null);
  const [state, setState] = useState<'idle' | 'reading' | 'read' | 'saving' | 'done' | 'error'>('idle');
  const [message, setMessage] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);

  const onFile = async (input: HTMLInputElement): Promise<void> => {
    const file = input.files?.[0];
    if (!file) return;
    setState('reading');
    setMessage(null);
    // the file reader and the Excel parser are a chunk of their own, loaded when a file is chosen
    const limits = import('@/shared/import-limits');
    const vendor = import('@/shared/vendor-import');
    vendor.catch(() => undefined);
    try {
      const { readImportFile } = await limits;
      const { readVendorFile, sha256Hex } = await vendor;
      // caps first (size, an XLSX's declared uncompressed size, a CSV's lines), read in chunks
      const bytes = await readImportFile(file, (fraction) => setProgress(Math.round(fraction * 100)));
      const [result, sha256] = await Promise.all([readVendorFile(bytes, { day }), sha256Hex(bytes)]);
      setParsed({ fileName: file.name, sha256, result });
      setState('read');
    } catch (e) {
      setParsed(null);
      setState('error');
      const { ImportLimitError } = await limits.catch(() => ({ ImportLimitError: undefined }));
      setMessage(ImportLimitError && e instanceof ImportLimitError ? limitMessage(e) : errorMessage(e));
    } finally {
      setProgress(null);
    }
  };

  const confirm = async (): Promise<void> => {
    if (!parsed) return;
    if (!operator.trim()) {
      setMessage(t('log_need_operator'));
      return;
    }
    setState('saving');
    try {
      const answer = await ask({ type: 'vendor.import', day, portal, fileName: parsed.fileName.slice(0, 200), sha256: parsed.sha256, by: operator.trim(), rows: parsed.result.rows });
      setState('done');
      setMessage(t('log_imp_done', [String(answer.stored), t(PORTAL_LABEL[portal]), day]));
      setParsed(null);
      onImported();
    } catch (e) {
      setState('error');
      setMessage(errorMessage(e));
    }
  };

  const result = parsed?.result;
  return (
    <div class="import" id="import-panel">
      <p class="hint">{t('log_imp_intro')}</p>
      <div class="row">
        <label>
          {t('log_imp_portal')}
          <select id="import-portal" value={portal} onChange={(e) => setPortal(e.currentTarget.value as PortalId)}>
            {PORTAL_IDS.map((p) => (
              <option key={p} value={p}>
                {t(PORTAL_LABEL[p])}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('log_imp_file')}
          <input id="import-file" type="file" accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" onChange={(e) => void onFile(e.currentTarget)} />
        </label>
      </div>
      {state === 'reading' && progress !== null && (
        <p id="import-progress" role="status">
          <progress max={100} value={progress} /> {t('imp_progress', String(progress))}
        </p>
      )}
      {result && (
        <div class="import-preview" data-rows={result.rows.length} data-problems={result.problems.length} data-encoding={result.encoding}>
          <p>
            {t('log_imp_preview', [parsed?.fileName ?? '', result.encoding.toUpperCase(), String(result.rows.length), String(result.problems.length)])}
          </p>
          {Object.keys(result.columns).length > 0 && (
            <p class="sub">{t('log_imp_columns', Object.values(result.columns).join(t('list_separator')))}</p>
          )}
          {result.problems.length > 0 && (
            <ul class="problems">
              {result.problems.slice(0, 30).map((p) => (
                <li key={`${p.line}:${p.code}`} data-code={p.code}>
                  {p.line > 0 ? t('log_imp_line', String(p.line)) : ''}
                  {t(PROBLEM_LABEL[p.code], p.detail ?? '')}
                </li>
              ))}
              {result.problems.length > 30 && <li>{t('log_imp_more', String(result.problems.length - 30))}</li>}
            </ul>
          )}
          {result.rows.length > 0 && (
            <button id="import-confirm" type="button" class="primary" disabled={state === 'saving'} onClick={() => void confirm()}>
              {t('log_imp_confirm', [String(result.rows.length), t(PORTAL_LABEL[portal])])}
            </button>
          )}
        </div>
      )}
      {message && (
        <p id="import-status" class={state === 'error' ? 'bad' : 'good'} data-state={state} role="status">
          {message}
        </p>
      )}
    </div>
  );
}
