import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { t, type MessageKey } from '@/shared/i18n';
import { loadSettings, onSettingsChanged, type Settings } from '@/shared/settings';
import { storeDay } from '@/shared/time';
import { errorMessage } from './data';
import { SupervisorBar } from './SupervisorBar';
import { DayView } from './DayView';
import { MonthView } from './MonthView';
import { MonitorView } from './MonitorView';
import { RetentionView } from './RetentionView';

/**
 * The supervisors' daily log (店长 / 片长 / 财务): the day, the month's reconciliation, the bridge
 * call log and exceptions, exports and retention. State lives in the URL (?tab=&day=&month=), so a
 * link opens the same view.
 */
type Tab = 'day' | 'month' | 'monitor' | 'retention';
const TABS: ReadonlyArray<[Tab, MessageKey]> = [
  ['day', 'log_tab_day'],
  ['month', 'log_tab_month'],
  ['monitor', 'log_tab_monitor'],
  ['retention', 'log_tab_retention'],
];

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-\d{2}$/;

/**
 * `asOf=YYYY-MM-DD` (a later day) previews the reconciliation as it will stand at the end of that
 * day: what the pending pool will then declare one-sided. Nothing is stored differently.
 */
function asOfFromUrl(): number | undefined {
  const asOf = new URLSearchParams(location.search).get('asOf') ?? '';
  if (!DAY.test(asOf) || asOf < storeDay(Date.now())) return undefined;
  const ms = Date.parse(`${asOf}T23:59:59+08:00`);
  return Number.isNaN(ms) ? undefined : ms;
}

export function fromUrl(): { tab: Tab; day: string; month: string } {
  const params = new URLSearchParams(location.search);
  const today = storeDay(Date.now());
  const tab = params.get('tab');
  const day = params.get('day') ?? '';
  const month = params.get('month') ?? '';
  const validDay = DAY.test(day) && day <= today ? day : today;
  return {
    tab: tab === 'month' || tab === 'monitor' || tab === 'retention' ? tab : 'day',
    day: validDay,
    month: MONTH.test(month) ? month : validDay.slice(0, 7),
  };
}

export function LogApp() {
  const [{ tab, day, month }, setView] = useState(fromUrl);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [operator, setOperator] = useState('');
  const [asOfMs] = useState(asOfFromUrl);

  useEffect(() => {
    loadSettings()
      .then((loaded) => {
        performance.mark('tb:settings');
        setSettings(loaded.settings);
      })
      .catch((e: unknown) => setError(errorMessage(e)));
    return onSettingsChanged((next) => setSettings(next.settings));
  }, []);

  useEffect(() => {
    const params = new URLSearchParams();
    params.set('tab', tab);
    params.set('day', day);
    params.set('month', month);
    const asOf = new URLSearchParams(location.search).get('asOf');
    if (asOf && asOfMs !== undefined) params.set('asOf', asOf);
    history.replaceState(null, '', `?${params.toString()}`);
  }, [tab, day, month]);

  const go = (next: Partial<{ tab: Tab; day: string; month: string }>): void => setView((v) => ({ ...v, ...next }));

  return (
    <div class="page">
      <header class="top no-print">
        <div>
          <h1>{t('log_title')}</h1>
          <p class="intro">{t('log_intro')}</p>
        </div>
        <div class="operator">
          {/* "who" is the supervisor whose PIN was entered on this page, not free text */}
          <SupervisorBar onSupervisor={setOperator} />
          <a class="link" onClick={() => void browser.runtime.openOptionsPage()}>{t('log_settings')}</a>
        </div>
      </header>
      <nav class="tabs no-print" role="tablist">
        {TABS.map(([id, label]) => (
          <button key={id} id={`tab-${id}`} type="button" role="tab" aria-selected={tab === id} class={tab === id ? 'tab active' : 'tab'} onClick={() => go({ tab: id })}>
            {t(label)}
          </button>
        ))}
      </nav>
      {error && <p class="banner banner-error">{error}</p>}
      {settings && !settings.storeCode && <p class="banner banner-warn">{t('log_no_store')}</p>}
      {asOfMs !== undefined && (
        <p class="banner banner-warn" id="as-of" data-as-of={storeDay(asOfMs)}>
          {t('log_as_of', storeDay(asOfMs))}
        </p>
      )}
      {settings && tab === 'day' && <DayView day={day} settings={settings} operator={operator} asOfMs={asOfMs} onDay={(d) => go({ day: d, month: d.slice(0, 7) })} />}
      {settings && tab === 'month' && <MonthView month={month} settings={settings} operator={operator} asOfMs={asOfMs} onMonth={(m) => go({ month: m })} onDay={(d) => go({ tab: 'day', day: d })} />}
      {settings && tab === 'monitor' && <MonitorView settings={settings} operator={operator} asOfMs={asOfMs} />}
      {settings && tab === 'retention' && <RetentionView settings={settings} operator={operator} chain={null} />}
    </div>
  );
}
