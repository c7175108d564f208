import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { MessageRefusedError, sendToBackground, type TenderView } from '@/shared/messages';
import { formatYuan } from '@/shared/core/money';
import { t, type MessageKey } from '@/shared/i18n';
import { code128SvgOrNull } from '@/shared/code128';
import { ScanPanel } from './ScanPanel';

/**
 * The toolbar popup: every settlement still waiting for 下账, whatever its age (oldest first, with
 * how long it has waited), one card each, one obvious button; today's finished ones collapsed.
 * With a bridge: 「下账」 posts through the outbox. Without (or for a tender the spec lets the
 * cashier make up): the manual post-back, with the vendor number as a Code 128 the cashier scans
 * into Yingke, and 「已在英克下账」 — offered only when the hand make-up rule allows it; otherwise the
 * card says why not.
 */
type ListState = { bridgeConfigured: boolean; cashierId: string; items: TenderView[]; unverifiedAnswers: number };

const FINISHED = new Set<TenderView['state']>(['posted', 'manual']);

function errorText(error: unknown): string {
  const reason = error instanceof MessageRefusedError || error instanceof Error ? error.message : String(error);
  const known = /^(NO_PAYMENT_METHOD|NO_ORDER_NO|OUTCOME_UNKNOWN_NO_BRIDGE|OUTCOME_UNKNOWN|HELD|SUPERVISOR_ONLY|NO_BRIDGE|IN_FLIGHT)\b/.exec(reason)?.[1];
  return known ? t(`pp_err_${known}` as MessageKey) : t('pp_error', reason);
}

function ageText(minutes: number): string {
  if (minutes < 60) return t('pp_age_minutes', String(minutes));
  if (minutes < 24 * 60) return t('pp_age_hours', String(Math.floor(minutes / 60)));
  return t('pp_age_days', String(Math.floor(minutes / (24 * 60))));
}

export function PopupApp() {
  const [list, setList] = useState<ListState | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  // 「扫码」: open from the start when this page was opened in a tab to allow the camera (#scan)
  const [scanning, setScanning] = useState(() => location.hash === '#scan');

  const refresh = async (): Promise<void> => setList(await sendToBackground({ type: 'tenders.list' }));
  useEffect(() => {
    document.title = t('extName');
    document.documentElement.lang = browser.i18n.getUILanguage();
    void refresh();
    const timer = setInterval(() => void refresh(), 2000);
    return () => clearInterval(timer);
  }, []);

  const act = async (item: TenderView, type: 'tender.post' | 'tender.manual' | 'settlement.confirm'): Promise<void> => {
    setBusy(item.settlementId);
    setErrors((e) => ({ ...e, [item.settlementId]: '' }));
    try {
      await sendToBackground({ type, settlementId: item.settlementId });
    } catch (error) {
      setErrors((e) => ({ ...e, [item.settlementId]: errorText(error) }));
    } finally {
      setBusy(null);
      await refresh();
    }
  };

  const card = (item: TenderView) =>
    list && (
      <TenderCard
        key={item.settlementId}
        item={item}
        bridgeConfigured={list.bridgeConfigured}
        busy={busy === item.settlementId}
        error={errors[item.settlementId]}
        onPost={() => void act(item, 'tender.post')}
        onManual={() => void act(item, 'tender.manual')}
        onConfirm={() => void act(item, 'settlement.confirm')}
      />
    );

  return (
    <>
      <header>
        <h1>{t('extName')}</h1>
        <nav>
          <a role="button" data-action="scan" aria-pressed={scanning} title={t('sc_button_title')} onClick={() => setScanning((on) => !on)}>
            {t('sc_button')}
          </a>
          <a data-action="daily-log" onClick={() => void browser.tabs.create({ url: browser.runtime.getURL('/log.html') })}>{t('pp_daily_log')}</a>
          <a onClick={() => void browser.runtime.openOptionsPage()}>{t('pp_settings')}</a>
        </nav>
      </header>
      <main>
        {scanning && <ScanPanel />}
        {list && list.unverifiedAnswers >= 3 && (
          <p class="banner" data-warning="unverified" role="alert">
            {t('pp_unverified_banner', String(list.unverifiedAnswers))}
          </p>
        )}
        {list && list.items.every((item) => FINISHED.has(item.state)) && <p class="empty">{t('pp_empty')}</p>}
        {list?.items
          .filter((item) => !FINISHED.has(item.state))
          .map((item) => card(item))}
        {list && list.items.some((item) => FINISHED.has(item.state)) && (
          <details class="done-today">
            <summary>{t('pp_posted_today', String(list.items.filter((item) => FINISHED.has(item.state)).length))}</summary>
            {list.items.filter((item) => FINISHED.has(item.state)).map((item) => card(item))}
          </details>
        )}
      </main>
    </>
  );
}

function statusLine(item: TenderView): { text: string; tone: 'good' | 'bad' | '' } | null {
  switch (item.state) {
    case 'posted':
      return { text: t('pp_state_posted', item.voucherNo ?? ''), tone: 'good' };
    case 'manual':
      return { text: t('pp_state_manual', `${item.manualBy ?? ''} ${item.manualAt?.replace('T', ' ').slice(0, 16) ?? ''}`), tone: 'good' };
    case 'manual-to-verify':
      return { text: t('pp_state_manual_to_verify', `${item.manualBy ?? ''} ${item.manualAt?.replace('T', ' ').slice(0, 16) ?? ''}`), tone: '' };
    case 'queued':
      return { text: t('pp_state_queued', String(item.attempts)), tone: '' };
    case 'sending':
      return { text: t('pp_state_sending'), tone: '' };
    case 'double':
      return { text: t('pp_state_double', item.flagReason ?? ''), tone: 'bad' };
    case 'rejected':
    case 'conflict':
    case 'unauthorized':
      return { text: t(`pp_state_${item.state}`, item.flagReason ?? item.lastError ?? ''), tone: 'bad' };
    default:
      return null;
  }
}

function TenderCard(props: {
  item: TenderView;
  bridgeConfigured: boolean;
  busy: boolean;
  error: string | undefined;
  onPost: () => void;
  onManual: () => void;
  onConfirm: () => void;
}) {
  const { item, bridgeConfigured, busy, error } = props;
  const status = statusLine(item);
  const done = FINISHED.has(item.state);
  const held = item.hold !== undefined;
  const canPost = bridgeConfigured && !held && (item.state === 'new' || item.state === 'unauthorized');
  // the hand make-up rule (enforced again in the background): never sent → at once when there is
  // no bridge; sent → the bridge is asked first; otherwise say why not
  const offerManual = !held && ((item.manual === 'now' && !bridgeConfigured) || item.manual === 'after-lookup');
  const whyNot = !done && !held && (item.manual === 'SUPERVISOR_ONLY' || item.manual === 'OUTCOME_UNKNOWN_NO_BRIDGE' || item.manual === 'IN_FLIGHT') ? item.manual : null;
  const barcode = offerManual ? code128SvgOrNull(item.vendorOrderNo) : null;
  const refund = item.kind === 'refund';
  return (
    <section class="card" data-state={item.state} data-settlement={item.settlementId} data-order={item.orderNo}>
      <div class="method">
        {item.paymentMethodName}
        {refund && <span class="refund"> · {t('pp_refund')}</span>}
      </div>
      <div class={refund ? 'amount refund' : 'amount'}>{(refund ? '−' : '') + formatYuan(item.amountFen)}</div>
      {!done && <div class="age" data-age-minutes={item.ageMinutes}>{t('pp_age', ageText(item.ageMinutes))}</div>}
      <dl>
        <dt>{t('pp_order_no')}</dt>
        <dd>{item.orderNo || '—'}</dd>
        <dt>{t('pp_vendor_no')}</dt>
        <dd>{item.vendorOrderNo}</dd>
        {item.cashFen > 0 && (
          <>
            <dt>{t('pp_cash')}</dt>
            <dd>{formatYuan(item.cashFen)}</dd>
          </>
        )}
        <dt>{t('pp_time')}</dt>
        <dd>{item.settledAt.replace('T', ' ').replace('+08:00', '')}</dd>
      </dl>
      {status && <p class={`status ${status.tone}`}>{status.text}</p>}
      {error && <p class="status bad">{error}</p>}
      {held && (
        <div class="hold" data-hold={item.hold}>
          <p>{t(item.hold === 'confirm' ? 'pp_hold_confirm' : 'pp_hold_unmatched', (item.holdReasons ?? []).join(', '))}</p>
          {item.hold === 'confirm' && (
            <button class="primary" data-action="confirm" disabled={busy} onClick={props.onConfirm}>
              {t('pp_confirm')}
            </button>
          )}
        </div>
      )}
      {whyNot && <p class="status bad" data-manual-refused={whyNot}>{t(`pp_manual_why_${whyNot}` as MessageKey)}</p>}
      {canPost && (
        <button class="primary" data-action="post" disabled={busy} onClick={props.onPost}>
          {busy ? t('pp_posting') : t('pp_post')}
        </button>
      )}
      {offerManual && (
        <div class="manual">
          <p class="warn">{t(item.manual === 'after-lookup' ? 'pp_manual_lookup_title' : 'pp_manual_title')}</p>
          <p>{t(refund ? 'pp_manual_refund_steps' : 'pp_manual_steps', [item.paymentMethodName, formatYuan(item.amountFen)])}</p>
          {barcode !== null ? (
            <div class="barcode" dangerouslySetInnerHTML={{ __html: barcode }} />
          ) : (
            <p class="barcode-unencodable">
              {t('pp_barcode_unencodable')} <span class="barcode-text">{item.vendorOrderNo}</span>
            </p>
          )}
          <button class="primary" data-action="manual" disabled={busy} onClick={props.onManual}>
            {t('pp_manual_confirm')}
          </button>
        </div>
      )}
    </section>
  );
}
