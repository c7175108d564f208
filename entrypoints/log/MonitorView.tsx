import { useEffect, useMemo, useState } from 'preact/hooks';
import { t, type MessageKey } from '@/shared/i18n';
import type { Settings } from '@/shared/settings';
import { storeDay } from '@/shared/time';
import { bridgeCallLog, matchesQuery, reconcileRange, type BridgeCall } from '@/shared/daylog';
import { addDays, diffStatus, type Difference, type DiffStatus } from '@/shared/reconcile';
import { clockText, errorMessage, logDb, PORTAL_LABEL, STATUS_LABEL } from './data';

const OUTCOME_LABEL: Record<string, MessageKey> = {
  recorded: 'log_out_recorded',
  ok: 'log_out_ok',
  conflict: 'log_out_conflict',
  rejected: 'log_out_rejected',
  unauthorized: 'log_out_unauthorized',
  'retry:network': 'log_out_retry_network',
  'retry:timeout': 'log_out_retry_timeout',
  'retry:status': 'log_out_retry_status',
  'retry:bad_answer': 'log_out_retry_bad_answer',
  NO_BRIDGE: 'log_out_no_bridge',
};
const outcomeText = (code: string): string => (OUTCOME_LABEL[code] ? `${t(OUTCOME_LABEL[code])} (${code})` : code);
import { paymentMethodIds } from './export-options';
import { DiffTable } from './tables';

/** Seed 004's monitoring: every bridge call (what, status, duration) and every exception, searchable. */
export function MonitorView({ settings, operator, asOfMs }: { settings: Settings; operator: string; asOfMs?: number | undefined }) {
  const db = logDb();
  const today = storeDay(Date.now());
  const [from, setFrom] = useState(addDays(today, -6));
  const [to, setTo] = useState(today);
  const [reload, setReload] = useState(0);
  const [calls, setCalls] = useState<BridgeCall[] | null>(null);
  const [diffs, setDiffs] = useState<Difference[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [callSearch, setCallSearch] = useState('');
  const [diffSearch, setDiffSearch] = useState('');
  const [status, setStatus] = useState<'' | DiffStatus>('');
  const [onlyFailures, setOnlyFailures] = useState(false);

  useEffect(() => {
    let live = true;
    if (from > to) return;
    Promise.all([bridgeCallLog(db, from, to), reconcileRange(db, from, to, { now: asOfMs ?? Date.now(), paymentMethodIds: paymentMethodIds(settings) })])
      .then(([c, r]) => {
        if (!live) return;
        setCalls(c);
        setDiffs(r.differences);
        setError(null);
      })
      .catch((e: unknown) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [from, to, reload, settings]);

  const shownCalls = useMemo(
    () => (calls ?? []).filter((c) => (!onlyFailures || !(c.outcome === 'recorded' || c.outcome === 'ok')) && matchesQuery(callSearch, c.orderNo, c.tenderId, c.outcome, c.status === null ? '' : String(c.status), c.listedDay)),
    [calls, callSearch, onlyFailures],
  );
  const shownDiffs = useMemo(() => (diffs ?? []).filter((d) => (!status || diffStatus(d) === status) && matchesQuery(diffSearch, d.orderNo, d.vendorOrderNo, d.tenderId, d.settlementId, d.kind, d.reason)), [diffs, diffSearch, status]);
  const slow = (calls ?? []).filter((c) => (c.durationMs ?? 0) >= 3000).length;

  return (
    <section id="monitor-view" data-ready={calls && diffs ? 'true' : 'false'}>
      <div class="toolbar no-print">
        <label>
          {t('log_from')}
          <input id="mon-from" type="date" value={from} max={to} onChange={(e) => e.currentTarget.value && setFrom(e.currentTarget.value)} />
        </label>
        <label>
          {t('log_to')}
          <input id="mon-to" type="date" value={to} min={from} max={today} onChange={(e) => e.currentTarget.value && setTo(e.currentTarget.value)} />
        </label>
      </div>
      {error && <p class="banner banner-error">{error}</p>}

      <h3>{t('log_h_calls', String(calls?.length ?? 0))}</h3>
      <p class="hint">{t('log_calls_hint', String(slow))}</p>
      <div class="filters no-print">
        <input id="mon-search" type="search" value={callSearch} placeholder={t('log_calls_search')} onInput={(e) => setCallSearch(e.currentTarget.value)} />
        <label class="check">
          <input id="mon-failures" type="checkbox" checked={onlyFailures} onChange={(e) => setOnlyFailures(e.currentTarget.checked)} />
          {t('log_calls_only_failures')}
        </label>
      </div>
      <table id="bridge-calls" class="grid">
        <thead>
          <tr>
            <th>{t('log_col_time')}</th>
            <th>{t('log_calls_what')}</th>
            <th>{t('log_col_order_no')}</th>
            <th>{t('log_calls_outcome')}</th>
            <th class="num">{t('log_calls_status')}</th>
            <th class="num">{t('log_calls_duration')}</th>
          </tr>
        </thead>
        <tbody>
          {shownCalls.length === 0 && (
            <tr>
              <td colSpan={6} class="empty">{t('log_calls_none')}</td>
            </tr>
          )}
          {shownCalls.slice(0, 1000).map((c) => {
            const ok = c.outcome === 'recorded' || c.outcome === 'ok';
            return (
              <tr key={c.seq} data-seq={c.seq} data-what={c.what} data-outcome={c.outcome} data-status={c.status ?? ''} class={ok ? '' : 'has-diff'}>
                <td>{clockText(c.at)}</td>
                <td>
                  {c.what === 'list' ? t('log_calls_list', c.listedDay ?? '') : t('log_calls_post', String(c.attempt ?? 1))}
                  {c.portal && <div class="sub">{t(PORTAL_LABEL[c.portal])}</div>}
                </td>
                <td class="mono">
                  {c.orderNo ?? (c.what === 'list' ? t('log_calls_count', String(c.count ?? 0)) : '')}
                  {c.tenderId && <div class="sub">{c.tenderId}</div>}
                </td>
                <td class={ok ? 'good' : 'bad'}>{outcomeText(c.outcome)}</td>
                <td class="num">{c.status ?? '—'}</td>
                <td class="num">{c.durationMs === null ? '—' : `${c.durationMs} ms`}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {shownCalls.length > 1000 && <p class="hint">{t('log_calls_more', String(shownCalls.length - 1000))}</p>}

      <h3>{t('log_h_exceptions', String(shownDiffs.length))}</h3>
      <div class="filters no-print">
        <input id="exc-search" type="search" value={diffSearch} placeholder={t('log_search_placeholder')} onInput={(e) => setDiffSearch(e.currentTarget.value)} />
        <select id="exc-status" value={status} onChange={(e) => setStatus(e.currentTarget.value as '' | DiffStatus)}>
          <option value="">{t('log_all_statuses')}</option>
          {(['open', 'pending', 'handled'] as const).map((s) => (
            <option key={s} value={s}>{t(STATUS_LABEL[s])}</option>
          ))}
        </select>
      </div>
      <DiffTable id="exceptions" diffs={shownDiffs} operator={operator} onChanged={() => setReload((r) => r + 1)} showDay />
    </section>
  );
}
