import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { PORTAL_IDS, type PortalId } from '@/providers/registry';
import { t } from '@/shared/i18n';
import type { Settings } from '@/shared/settings';
import type { Settlement } from '@/shared/db';
import { storeDay } from '@/shared/time';
import { dailySeries, matchesQuery, reconcileRange, searchSettlements, type DailySeries, type RangeResult } from '@/shared/daylog';
import { hourlySeries, methodName, totalsOf, type TotalRow } from '@/shared/log-totals';
import { auditHead, verifyDayChain, verifyWholeChain, type AuditHead, type ChainProgress, type ChainReport } from '@/shared/audit-chain';
import { addDays, diffStatus, summarizeDifferences, type DiffStatus, type DisplayState, type SettlementRow } from '@/shared/reconcile';
import { ask, chainText, clockText, errorMessage, logDb, PORTAL_LABEL, STATE_LABEL, STATUS_LABEL, yingkeFetchMessage } from './data';
import { paymentMethodIds } from './export-options';
import { takePrefetched } from './prefetch';
import { DiffTable, SettlementTable, TotalsTable, YingkeTable } from './tables';
import { ImportPanel } from './ImportPanel';
import { useLazyModule } from './lazy';
import { AnchorPanel } from './AnchorPanel';
import { TillsTable } from './TillsTable';
import { tillsOf } from '@/shared/reconcile-tills';

interface Props {
  day: string;
  settings: Settings;
  operator: string;
  onDay: (day: string) => void;
  /** reconcile as of this time instead of now (preview of the pending pool) */
  asOfMs?: number | undefined;
}

interface Loaded {
  key: string;
  result: RangeResult;
  totals: TotalRow[];
  loadMs: number;
}

type YingkeState = { state: 'idle' | 'fetching' | 'fetched' | 'failed' | 'no-bridge'; message?: string };
type Filters = { portal: '' | PortalId; state: '' | DisplayState; kind: '' | 'sale' | 'refund'; diffOnly: boolean; diffStatus: '' | DiffStatus; search: string };

const STATES: DisplayState[] = ['posted', 'pending', 'failed', 'manual', 'refunded', 'vendor-failed'];

export function DayView({ day, settings, operator, onDay, asOfMs }: Props) {
  const db = logDb();
  const today = storeDay(Date.now());
  const [reload, setReload] = useState(0);
  const key = `${day}#${reload}`;
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [chain, setChain] = useState<ChainReport | null>(null);
  const [chainProgress, setChainProgress] = useState<ChainProgress | null>(null);
  const [anchorRun, setAnchorRun] = useState(0);
  const [head, setHead] = useState<AuditHead | null>(null);
  const [series30, setSeries30] = useState<DailySeries | null>(null);
  const [yingke, setYingke] = useState<YingkeState>({ state: 'idle' });
  const [filters, setFilters] = useState<Filters>({ portal: '', state: '', kind: '', diffOnly: false, diffStatus: '', search: '' });
  const [elsewhere, setElsewhere] = useState<Settlement[] | null>(null);
  const [exporting, setExporting] = useState<{ state: 'busy' | 'done' | 'error'; text: string; ms?: number; rows?: number; bytes?: number; phases?: string } | null>(null);
  const autoFetched = useRef(new Set<string>());
  const bridgeConfigured = settings.bridge.baseUrl !== '';

  const configured = (portal: PortalId): string => settings.portals[portal].paymentMethodName;
  const methodOf = (row: SettlementRow): string => methodName(row, configured);

  // --- the day: one read-only transaction + reconciliation
  useEffect(() => {
    let live = true;
    const started = performance.now();
    reconcileRange(db, day, day, { now: asOfMs ?? Date.now(), paymentMethodIds: paymentMethodIds(settings), ...takePrefetched(day, day) })
      .then((result) => {
        if (!live) return;
        performance.mark('tb:reconciled');
        const totals = totalsOf(result.rows, methodOf);
        setLoaded({ key, result, totals, loadMs: Math.round(performance.now() - started) });
        setError(null);
      })
      .catch((e: unknown) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [key, settings]);

  const ready = loaded?.key === key;
  // uPlot is its own chunk: loaded once the day's table is on screen
  const charts = useLazyModule(() => import('./Charts'), ready);

  // --- once the table is on screen: the day's chain, head hash, the 30-day chart
  useEffect(() => {
    if (!ready) return;
    let live = true;
    setChain(null);
    void verifyDayChain(db, day).then((report) => live && setChain(report)).catch((e: unknown) => live && setError(errorMessage(e)));
    void auditHead(db, day).then((h) => live && setHead(h));
    void dailySeries(db, day, 30).then((s) => live && setSeries30(s));
    return () => {
      live = false;
    };
  }, [ready, key]);

  // --- Yingke's list of the day (and the next, for sales recorded after midnight): once per day shown
  const fetchYingke = async (): Promise<void> => {
    const days = [day, addDays(day, 1)].filter((d) => d <= today);
    setYingke({ state: 'fetching' });
    const failures: string[] = [];
    let noBridge = false;
    for (const d of days) {
      try {
        const answer = await ask({ type: 'reconcile.fetchYingke', day: d });
        if (!answer.ok) {
          if (answer.code === 'NO_BRIDGE') noBridge = true;
          failures.push(yingkeFetchMessage(answer.code, answer.message));
        }
      } catch (e) {
        failures.push(errorMessage(e));
      }
    }
    setYingke(noBridge ? { state: 'no-bridge', message: t('log_yk_no_bridge') } : failures.length ? { state: 'failed', message: failures[0] } : { state: 'fetched' });
    setReload((r) => r + 1);
  };
  useEffect(() => {
    if (!bridgeConfigured || day > today || autoFetched.current.has(day)) return;
    autoFetched.current.add(day);
    void fetchYingke();
  }, [day, bridgeConfigured]);

  useEffect(() => {
    if (!ready) return;
    document.documentElement.dataset.dayReadyAt = String(Math.round(performance.now()));
  }, [ready, key]);

  const result = loaded?.result;
  const visibleRows = useMemo(() => {
    if (!result) return [];
    const f = filters;
    return result.rows.filter((row) => {
      const s = row.settlement;
      return (
        (!f.portal || s.portal === f.portal) &&
        (!f.state || row.displayState === f.state) &&
        (!f.kind || s.kind === f.kind) &&
        (!f.diffOnly || row.diffKinds.length > 0) &&
        matchesQuery(f.search, s.orderNo, s.vendorOrderNo, s.id, row.tender?.voucherNo, row.yingke?.voucherNo)
      );
    });
  }, [result, filters]);
  const visibleDiffs = useMemo(() => {
    if (!result) return [];
    const f = filters;
    return result.differences.filter(
      (d) => (!f.portal || d.portal === f.portal) && (!f.diffStatus || diffStatus(d) === f.diffStatus) && matchesQuery(f.search, d.orderNo, d.vendorOrderNo, d.tenderId, d.settlementId, d.voucherNo),
    );
  }, [result, filters]);
  const visibleYingke = useMemo(() => (result ? result.yingke.filter((y) => (!filters.portal || y.provider === filters.portal) && matchesQuery(filters.search, y.orderNo, y.vendorOrderNo, y.tenderId, y.voucherNo)) : []), [result, filters]);
  // Yingke's list is open by default only when a tender in it is unexplained; opened by hand, it says so
  const [yingkeOpened, setYingkeOpened] = useState(false);
  const otherTills = useMemo(() => new Set(result?.otherTills.map((y) => y.tenderId) ?? []), [result]);
  const tills = useMemo(() => (result ? tillsOf(result) : null), [result]);
  const claimed = useMemo(() => new Set(result?.rows.map((r) => r.yingke?.tenderId).filter((x): x is string => x !== undefined) ?? []), [result]);
  const yingkeUnexplained = visibleYingke.some((y) => !claimed.has(y.tenderId) && !otherTills.has(y.tenderId));
  const hourly = useMemo(() => (result ? hourlySeries(result.rows) : null), [result]);
  const hours = useMemo(() => Array.from({ length: 24 }, (_, h) => t('log_hour', String(h))), []);
  const summary = result ? summarizeDifferences(result.differences) : null;
  const stateCounts = useMemo(() => {
    const counts: Record<DisplayState, number> = { posted: 0, pending: 0, failed: 0, manual: 0, refunded: 0, 'vendor-failed': 0 };
    for (const row of result?.rows ?? []) counts[row.displayState] += 1;
    return counts;
  }, [result]);
  const overdue = useMemo(() => {
    const now = Date.now();
    return (result?.rows ?? []).filter((row) => (row.localState === 'pending' || row.localState === 'failed') && now - Date.parse(row.settlement.capturedAt) >= settings.pendingAlertMinutes * 60_000);
  }, [result, settings.pendingAlertMinutes]);
  const fetchInfo = result?.window.fetches.find((f) => f.day === day);

  const setFilter = <K extends keyof Filters>(k: K, v: Filters[K]): void => {
    setFilters((f) => ({ ...f, [k]: v }));
    if (k === 'search') setElsewhere(null);
  };

  const doExport = async (format: 'xlsx' | 'csv'): Promise<void> => {
    setExporting({ state: 'busy', text: t('log_exporting') });
    try {
      // the export and its .xlsx writer are a chunk of their own, loaded on the first export
      const { exportRange } = await import('./exporting');
      const out = await exportRange(db, day, day, format, { settings, chain });
      setExporting({ state: 'done', text: t('log_exported', [out.fileName, String(out.rows)]) + (out.recordError ? ` ${t('log_export_not_recorded', out.recordError.replace(/[。.]$/, ''))}` : ''), ms: out.ms, rows: out.rows, bytes: out.bytes, phases: JSON.stringify({ ...out.phases, auditSheet: out.auditSheet }) });
    } catch (e) {
      setExporting({ state: 'error', text: errorMessage(e) });
    }
  };

  /** from the last verified checkpoint, or every entry re-hashed (full) */
  const verifyAll = async (full: boolean): Promise<void> => {
    setChainProgress({ checked: 0, total: 0 });
    try {
      const report = await verifyWholeChain(db, { full, onProgress: (p) => setChainProgress(p) });
      setChain(report);
      // and against the heads held elsewhere (bridge, exports): deletions and re-hashed rewrites
      setAnchorRun((n) => n + 1);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setChainProgress(null);
    }
  };

  const searchAll = async (): Promise<void> => setElsewhere(await searchSettlements(db, filters.search));

  return (
    <section
      id="day-view"
      data-day={day}
      data-ready={ready ? 'true' : 'false'}
      data-load-ms={loaded?.loadMs ?? ''}
      data-ranges-ms={result?.window.timings.rangesMs ?? ''}
      data-tenders-ms={result?.window.timings.tendersMs ?? ''}
      data-reconcile-ms={result?.reconcileMs ?? ''}
      data-yingke={yingke.state}
    >
      <div class="toolbar no-print">
        <button type="button" id="day-prev" onClick={() => onDay(addDays(day, -1))} aria-label={t('log_prev_day')}>◀</button>
        <input id="day" type="date" value={day} max={today} onChange={(e) => e.currentTarget.value && onDay(e.currentTarget.value)} />
        <button type="button" id="day-next" onClick={() => onDay(addDays(day, 1))} disabled={day >= today} aria-label={t('log_next_day')}>▶</button>
        <button type="button" id="day-today" onClick={() => onDay(today)} disabled={day === today}>{t('log_today')}</button>
        <span class="spacer" />
        <button type="button" id="fetch-yingke" onClick={() => void fetchYingke()} disabled={yingke.state === 'fetching'}>
          {t(yingke.state === 'fetching' ? 'log_yk_fetching' : 'log_yk_fetch')}
        </button>
        <button type="button" id="export-xlsx" onClick={() => void doExport('xlsx')} disabled={!ready || exporting?.state === 'busy'}>{t('log_export_xlsx')}</button>
        <button type="button" id="export-csv" onClick={() => void doExport('csv')} disabled={!ready || exporting?.state === 'busy'}>{t('log_export_csv')}</button>
        <button type="button" id="print" onClick={() => window.print()}>{t('log_print')}</button>
      </div>
      <h2 class="print-only">{t('log_print_title', [settings.storeCode, day])}</h2>

      {error && <p class="banner banner-error" role="alert">{error}</p>}
      {exporting && (
        <p id="export-status" class={`banner ${exporting.state === 'error' ? 'banner-error' : 'banner-info'}`} data-state={exporting.state} data-ms={exporting.ms ?? ''} data-rows={exporting.rows ?? ''} data-bytes={exporting.bytes ?? ''} data-phases={exporting.phases ?? ''}>
          {exporting.text}
        </p>
      )}
      {overdue.length > 0 && (
        <p id="overdue-alert" class="banner banner-error" data-overdue={overdue.length}>
          {t('log_overdue', [String(overdue.length), String(settings.pendingAlertMinutes)])}
        </p>
      )}
      <p id="yingke-status" class={`banner ${yingke.state === 'failed' || yingke.state === 'no-bridge' ? 'banner-warn' : 'banner-info'}`} data-state={yingke.state}>
        {yingke.message ??
          (fetchInfo?.okAt
            ? t('log_yk_fetched_at', [clockText(fetchInfo.okAt), String(fetchInfo.count ?? 0)])
            : bridgeConfigured
              ? t(yingke.state === 'fetching' ? 'log_yk_fetching' : 'log_yk_not_fetched')
              : t('log_yk_no_bridge'))}
      </p>

      <ChainBar chain={chain} progress={chainProgress} head={head} onVerifyAll={(full) => void verifyAll(full)} />
      <AnchorPanel runKey={anchorRun} bridgeConfigured={bridgeConfigured} />

      {!result && !error && <p class="loading">{t('log_loading')}</p>}
      {result && summary && (
        <>
          <div class="cards">
            <Card label={t('log_card_settlements')} value={String(result.rows.filter((r) => r.settlement.status === 'success').length)} />
            {(['posted', 'manual', 'pending', 'failed', 'refunded'] as const).map((s) => (
              <Card key={s} label={t(STATE_LABEL[s])} value={String(stateCounts[s])} tone={s === 'pending' || s === 'failed' ? (stateCounts[s] ? 'bad' : '') : ''} id={`count-${s}`} />
            ))}
            <Card label={t('log_card_open')} value={String(summary.open)} tone={summary.open ? 'bad' : 'good'} id="count-open" />
            <Card label={t('log_card_pool')} value={String(summary.pending)} id="count-pool" />
            <Card label={t('log_card_handled')} value={String(summary.handled)} id="count-handled" />
          </div>

          <h3>{t('log_h_totals')}</h3>
          <TotalsTable totals={loaded?.totals ?? []} />

          <div class="filters no-print">
            <input id="search" type="search" value={filters.search} placeholder={t('log_search_placeholder')} onInput={(e) => setFilter('search', e.currentTarget.value)} />
            <select id="filter-portal" value={filters.portal} onChange={(e) => setFilter('portal', e.currentTarget.value as Filters['portal'])}>
              <option value="">{t('log_all_portals')}</option>
              {PORTAL_IDS.map((p) => (
                <option key={p} value={p}>{t(PORTAL_LABEL[p])}</option>
              ))}
            </select>
            <select id="filter-state" value={filters.state} onChange={(e) => setFilter('state', e.currentTarget.value as Filters['state'])}>
              <option value="">{t('log_all_states')}</option>
              {STATES.map((s) => (
                <option key={s} value={s}>{t(STATE_LABEL[s])}</option>
              ))}
            </select>
            <select id="filter-kind" value={filters.kind} onChange={(e) => setFilter('kind', e.currentTarget.value as Filters['kind'])}>
              <option value="">{t('log_all_kinds')}</option>
              <option value="sale">{t('log_kind_sale')}</option>
              <option value="refund">{t('log_kind_refund')}</option>
            </select>
            <label class="check">
              <input id="filter-diff" type="checkbox" checked={filters.diffOnly} onChange={(e) => setFilter('diffOnly', e.currentTarget.checked)} />
              {t('log_only_diffs')}
            </label>
          </div>
          {filters.search.trim() !== '' && visibleRows.length === 0 && (
            <div class="elsewhere no-print">
              <button type="button" id="search-all" onClick={() => void searchAll()}>{t('log_search_all')}</button>
              {elsewhere && elsewhere.length === 0 && <span class="sub">{t('log_search_none')}</span>}
              {elsewhere?.map((s) => (
                <button type="button" key={s.id} class="link" data-day={s.day} onClick={() => onDay(s.day)}>
                  {t('log_search_found', [s.day, s.orderNo, s.vendorOrderNo])}
                </button>
              ))}
            </div>
          )}

          {tills && tills.store.tenders > 0 && (
            <>
              <h3 id="h-tills">{t('log_h_tills')}</h3>
              <TillsTable summary={tills} />
            </>
          )}

          <h3 id="h-differences">
            {t('log_h_differences')}
            <select id="filter-diff-status" class="inline no-print" value={filters.diffStatus} onChange={(e) => setFilter('diffStatus', e.currentTarget.value as Filters['diffStatus'])}>
              <option value="">{t('log_all_statuses')}</option>
              {(['open', 'pending', 'handled'] as const).map((s) => (
                <option key={s} value={s}>{t(STATUS_LABEL[s])}</option>
              ))}
            </select>
          </h3>
          <p class="hint">{t('log_pool_hint', String(result.poolDays))}</p>
          <DiffTable diffs={visibleDiffs} operator={operator} onChanged={() => setReload((r) => r + 1)} />

          <h3>{t('log_h_settlements', String(visibleRows.length))}</h3>
          <SettlementTable rows={visibleRows} methodOf={methodOf} />

          <details id="yingke-section" class="section" open={yingkeUnexplained} onToggle={(e) => setYingkeOpened(e.currentTarget.open)}>
            <summary>{t('log_h_yingke', String(result.yingke.length))}</summary>
            {/* folded, its few hundred rows are made when the supervisor opens it */}
            {(yingkeUnexplained || yingkeOpened) && <YingkeTable entries={visibleYingke} claimed={claimed} otherTills={otherTills} />}
          </details>

          <details class="section no-print" id="import-section">
            <summary>{t('log_h_import')}</summary>
            <ImportPanel day={day} operator={operator} onImported={() => setReload((r) => r + 1)} />
            {result.window.vendorImports.filter((i) => i.day === day).map((i) => (
              <p key={i.id} class="sub" data-import-id={i.id}>
                {t('log_imp_earlier', [t(PORTAL_LABEL[i.portal]), i.fileName, String(i.rowCount), i.by, clockText(i.at)])}
              </p>
            ))}
          </details>

          <h3>{t('log_h_charts')}</h3>
          <div class="charts">
            {charts && hourly && <charts.PortalChart id="chart-hourly" title={t('log_chart_hourly', day)} labels={hours} series={hourly} />}
            {charts && series30 && <charts.PortalChart id="chart-daily" title={t('log_chart_daily')} labels={series30.days.map((d) => d.slice(5))} series={series30.byPortal} />}
          </div>
        </>
      )}
    </section>
  );
}

function Card({ label, value, tone = '', id }: { label: string; value: string; tone?: string; id?: string }) {
  return (
    <div class={`card ${tone}`} id={id}>
      <div class="card-value">{value}</div>
      <div class="card-label">{label}</div>
    </div>
  );
}

export function ChainBar({ chain, progress, head, onVerifyAll }: { chain: ChainReport | null; progress: ChainProgress | null; head: AuditHead | null; onVerifyAll: (full: boolean) => void }) {
  const ok = chain?.ok;
  return (
    <div class={`chain ${chain ? (ok ? 'chain-ok' : 'chain-bad') : ''}`}>
      <p
        id="chain-status"
        data-ok={chain ? String(ok) : ''}
        data-scope={chain?.scope ?? ''}
        data-problem={chain && !chain.ok ? chain.problem : ''}
        data-seq={chain && !chain.ok ? chain.seq : ''}
        data-checked={chain?.count ?? ''}
        data-rehashed={chain?.ok && chain.scope === 'all' ? (chain.rehashed ?? chain.count) : ''}
        role="status"
      >
        {progress ? t('log_chain_checking', [String(progress.checked), String(progress.total)]) : chain ? chainText(chain) : t('log_chain_pending')}
      </p>
      <p class="head-line">
        {t('log_head_hash')} <code id="head-hash" data-seq={head?.seq ?? ''}>{head ? head.hash : t('log_head_none')}</code>
        {head && <span class="sub"> #{head.seq} {clockText(head.at)}</span>}
      </p>
      <button type="button" id="verify-chain" class="no-print" onClick={() => onVerifyAll(false)} disabled={progress !== null}>
        {t('log_verify_chain')}
      </button>
      <button type="button" id="verify-chain-full" class="no-print" onClick={() => onVerifyAll(true)} disabled={progress !== null}>
        {t('log_verify_chain_full')}
      </button>
    </div>
  );
}
