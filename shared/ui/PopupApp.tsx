import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { MessageRefusedError, sendToBackground, type TenderView } from '@/shared/messages';
import { formatYuan } from '@/shared/money';
import { t, type MessageKey } from '@/shared/i18n';
import { code128Svg } from '@/shared/code128';
import { ScanPanel } from './ScanPanel';

/**
 * The toolbar popup: settlements waiting for 下账, one card each, one obvious button.
 * With a bridge: 「下账」 posts through the outbox. Without: the manual post-back, with the
 * vendor number as a Code 128 the cashier scans into Yingke, and 「已在英克下账」.
 */
type ListState = { bridgeConfigured: boolean; cashierId: string; items: TenderView[] };

function errorText(error: unknown): string {
  const reason = error instanceof MessageRefusedError || error instanceof Error ? error.message : String(error);
  const known = /^(NO_PAYMENT_METHOD|NO_ORDER_NO)\b/.exec(reason)?.[1];
  return known ? t(`pp_err_${known}` as MessageKey) : t('pp_error', reason);
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

  const act = async (item: TenderView, type: 'tender.post' | 'tender.manual'): Promise<void> => {
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
        {list && list.items.length === 0 && <p class="empty">{t('pp_empty')}</p>}
        {list?.items.map((item) => (
          <TenderCard
            key={item.settlementId}
            item={item}
            bridgeConfigured={list.bridgeConfigured}
            busy={busy === item.settlementId}
            error={errors[item.settlementId]}
            onPost={() => void act(item, 'tender.post')}
            onManual={() => void act(item, 'tender.manual')}
          />
        ))}
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
    case 'queued':
      return { text: t('pp_state_queued', String(item.attempts)), tone: '' };
    case 'rejected':
    case 'conflict':
    case 'unauthorized':
      return { text: t(`pp_state_${item.state}`, item.lastError ?? ''), tone: 'bad' };
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
}) {
  const { item, bridgeConfigured, busy, error } = props;
  const status = statusLine(item);
  const done = item.state === 'posted' || item.state === 'manual';
  const canPost = bridgeConfigured && (item.state === 'new' || item.state === 'unauthorized');
  const refund = item.kind === 'refund';
  return (
    <section class="card" data-state={item.state} data-settlement={item.settlementId} data-order={item.orderNo}>
      <div class="method">
        {item.paymentMethodName}
        {refund && <span class="refund"> · {t('pp_refund')}</span>}
      </div>
      <div class={refund ? 'amount refund' : 'amount'}>{(refund ? '−' : '') + formatYuan(item.amountFen)}</div>
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
      {canPost && (
        <button class="primary" data-action="post" disabled={busy} onClick={props.onPost}>
          {busy ? t('pp_posting') : t('pp_post')}
        </button>
      )}
      {!bridgeConfigured && !done && (
        <div class="manual">
          <p class="warn">{t('pp_manual_title')}</p>
          <p>{t(refund ? 'pp_manual_refund_steps' : 'pp_manual_steps', [item.paymentMethodName, formatYuan(item.amountFen)])}</p>
          <div class="barcode" dangerouslySetInnerHTML={{ __html: code128Svg(item.vendorOrderNo) }} />
          <button class="primary" data-action="manual" disabled={busy} onClick={props.onManual}>
            {t('pp_manual_confirm')}
          </button>
        </div>
      )}
    </section>
  );
}
