import { useEffect, useMemo, useState } from 'preact/hooks';
import { t } from '@/shared/i18n';
import type { Settings } from '@/shared/settings';
import { storeDay } from '@/shared/time';
import { matchesQuery, reconcileRange, type RangeResult } from '@/shared/daylog';
import { addDays, daysBetween, diffStatus, summarizeDifferences } from '@/shared/reconcile';
import { ask, errorMessage, logDb, yingkeFetchMessage, yuan } from './data';
import { paymentMethodIds } from './export-options';
import { takePrefetched } from './prefetch';
import { DiffTable } from './tables';

/** Last day of a 'YYYY-MM' month. */
export function monthEnd(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y ?? 1970, m ?? 1, 0)).toISOString().slice(0, 10);
}

/**
 * A month's reconciliation: per day, what was captured, posted, and left over; the month's
 * differences; the pending pool across days (one-sided candidates not declared yet).
 */
export function MonthView({ month, settings, operator, onMonth, onDay, asOfMs }: { month: string; settings: Settings; operator: string; onMonth: (m: string) => void; onDay: (d: string) => void; asOfMs?: number | undefined }) {
  const db = logDb();
  const today = storeDay(Date.now());
  const from = `${month}-01`;
  const to = monthEnd(month);
  const [reload, setReload] = useState(0);
  const [loaded, setLoaded] = useState<{ key: string; result: RangeResult; ms: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [fetching, setFetching] = useState<{ done: number; total: number; failures: string[] } | null>(null);
  const key = `${month}#${reload}`;

  useEffect(() => {
    let live = true;
    const started = performance.now();
    reconcileRange(db, from, to, { now: asOfMs ?? Date.now(), paymentMethodIds: paymentMethodIds(settings), ...takePrefetched(from, to) })
      .then((result) => live && setLoaded({ key, result, ms: Math.round(performance.now() - started) }))
      .catch((e: unknown) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [key, settings]);

  const result = loaded?.result;
  const perDay = useMemo(() => {
    if (!result) return [];
    const days = daysBetween(from, to < today ? to : today);
    return days.map((day) => {
      const rows = result.rows.filter((r) => r.settlement.day === day && r.settlement.status === 'success');
      const diffs = result.differences.filter((d) => d.day === day);
      const s = summarizeDifferences(diffs);
      const fetch = result.window.fetches.find((f) => f.day === day);
      return {
        day,
        settlements: rows.length,
        netFen: rows.reduce((sum, r) => sum + (r.settlement.kind === 'refund' ? -r.settlement.amountFen : r.settlement.amountFen), 0),
        posted: rows.filter((r) => r.localState === 'posted' || r.localState === 'manual').length,
        yingke: result.yingke.filter((y) => y.day === day).length,
        fetched: fetch?.okAt !== undefined,
        ...s,
      };
    });
  }, [result, from, to, today]);
  const pool = useMemo(() => (result ? result.differences.filter((d) => d.pending && !d.handled) : []), [result]);
  const listed = useMemo(
    () => (result ? result.differences.filter((d) => diffStatus(d) !== 'pending' && matchesQuery(search, d.orderNo, d.vendorOrderNo, d.tenderId, d.settlementId)) : []),
    [result, search],
  );

  const fetchMonth = async (): Promise<void> => {
    const days = daysBetween(from, addDays(to, 1)).filter((d) => d <= today);
    const failures: string[] = [];
    setFetching({ done: 0, total: days.length, failures });
    for (const [i, day] of days.entries()) {
      try {
        const answer = await ask({ type: 'reconcile.fetchYingke', day });
        if (!answer.ok) failures.push(`${day}: ${yingkeFetchMessage(answer.code, answer.message)}`);
        if (answer.code === 'NO_BRIDGE') break;
      } catch (e) {
        failures.push(`${day}: ${errorMessage(e)}`);
      }
      setFetching({ done: i + 1, total: days.length, failures: [...failures] });
    }
    setReload((r) => r + 1);
  };

  const ready = loaded?.key === key;
  const summary = result ? summarizeDifferences(result.differences) : null;
  return (
    <section
      id="month-view"
      data-month={month}
      data-ready={ready ? 'true' : 'false'}
      data-month-ms={loaded?.ms ?? ''}
      data-ranges-ms={result?.window.timings.rangesMs ?? ''}
      data-tenders-ms={result?.window.timings.tendersMs ?? ''}
      data-reconcile-ms={result?.reconcileMs ?? ''}
    >
      <div class="toolbar no-print">
        <input id="month" type="month" value={month} max={today.slice(0, 7)} onChange={(e) => e.currentTarget.value && onMonth(e.currentTarget.value)} />
        <span class="spacer" />
        <button type="button" id="fetch-yingke-month" onClick={() => void fetchMonth()} disabled={fetching !== null && fetching.done < fetching.total}>
          {t('log_yk_fetch_month')}
        </button>
      </div>
      {error && <p class="banner banner-error">{error}</p>}
      {fetching && (
        <p class="banner banner-info" id="month-fetch-status" data-done={fetching.done} data-total={fetching.total}>
          {t('log_yk_month_progress', [String(fetching.done), String(fetching.total)])}
          {fetching.failures.slice(0, 3).map((f) => (
            <span key={f} class="bad block">{f}</span>
          ))}
        </p>
      )}
      {!result && !error && <p class="loading">{t('log_loading')}</p>}
      {result && summary && (
        <>
          <p class="hint">{t('log_month_summary', [month, String(result.rows.length), String(summary.open), String(summary.pending), String(summary.handled), String(loaded?.ms ?? 0)])}</p>
          <table id="month-days" class="grid">
            <thead>
              <tr>
                <th>{t('log_col_day')}</th>
                <th class="num">{t('log_col_sales')}</th>
                <th class="num">{t('log_col_net')}</th>
                <th class="num">{t('log_month_posted')}</th>
                <th class="num">{t('log_month_yingke')}</th>
                <th class="num">{t('log_card_open')}</th>
                <th class="num">{t('log_card_pool')}</th>
                <th class="num">{t('log_card_handled')}</th>
              </tr>
            </thead>
            <tbody>
              {perDay.map((d) => (
                <tr key={d.day} data-day={d.day} data-open={d.open} data-pending={d.pending} class={d.open ? 'has-diff' : ''}>
                  <td>
                    <button type="button" class="link" onClick={() => onDay(d.day)}>{d.day}</button>
                  </td>
                  <td class="num">{d.settlements}</td>
                  <td class="num">{yuan(d.netFen)}</td>
                  <td class="num">{d.posted}</td>
                  <td class="num">{d.fetched ? d.yingke : <span class="sub">{t('log_month_not_fetched')}</span>}</td>
                  <td class={`num ${d.open ? 'bad strong' : ''}`}>{d.open}</td>
                  <td class="num">{d.pending}</td>
                  <td class="num">{d.handled}</td>
                </tr>
              ))}
            </tbody>
          </table>

          <h3>{t('log_h_pool', String(pool.length))}</h3>
          <p class="hint">{t('log_pool_hint', String(result.poolDays))}</p>
          <DiffTable id="pool" diffs={pool} operator={operator} onChanged={() => setReload((r) => r + 1)} showDay />

          <h3>{t('log_h_month_diffs', String(listed.length))}</h3>
          <input id="month-search" type="search" class="no-print" value={search} placeholder={t('log_search_placeholder')} onInput={(e) => setSearch(e.currentTarget.value)} />
          <DiffTable id="month-differences" diffs={listed} operator={operator} onChanged={() => setReload((r) => r + 1)} showDay />
        </>
      )}
    </section>
  );
}
