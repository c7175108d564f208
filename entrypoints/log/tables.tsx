import { useState } from 'preact/hooks';
import { t } from '@/shared/i18n';
import { diffStatus, type Difference, type SettlementRow, type YingkeEntry } from '@/shared/reconcile';
import { grandTotal, type TotalRow } from '@/shared/log-totals';
import type { ExceptionBasis } from '@/shared/log-records';
import {
  ask,
  BASIS_LABEL,
  clockText,
  DIFF_KIND_LABEL,
  errorMessage,
  PENDING_LABEL,
  PORTAL_LABEL,
  REASON_ADVICE,
  REASON_LABEL,
  signedYuan,
  STATE_LABEL,
  STATUS_LABEL,
  yuan,
} from './data';

// ---------------------------------------------------------------------------------------------
// Totals

export function TotalsTable({ totals }: { totals: readonly TotalRow[] }) {
  const sum = grandTotal(totals);
  return (
    <table id="totals" class="grid totals">
      <thead>
        <tr>
          <th>{t('log_col_portal')}</th>
          <th>{t('log_col_method')}</th>
          <th class="num">{t('log_col_sales')}</th>
          <th class="num">{t('log_col_sales_amount')}</th>
          <th class="num">{t('log_col_cash_part')}</th>
          <th class="num">{t('log_col_refunds')}</th>
          <th class="num">{t('log_col_refund_amount')}</th>
          <th class="num">{t('log_col_net')}</th>
          <th class="num">{t('log_col_failed')}</th>
        </tr>
      </thead>
      <tbody>
        {totals.length === 0 && (
          <tr>
            <td colSpan={9} class="empty">{t('log_no_settlements')}</td>
          </tr>
        )}
        {totals.map((row) => (
          <tr key={`${row.portal}|${row.method}`} data-portal={row.portal} data-method={row.method}>
            <td>{t(PORTAL_LABEL[row.portal])}</td>
            <td>{row.method}</td>
            <td class="num" data-field="sales">{row.sales}</td>
            <td class="num" data-field="card" data-fen={row.cardFen}>{yuan(row.cardFen)}</td>
            <td class="num" data-field="cash" data-fen={row.cashFen}>{yuan(row.cashFen)}</td>
            <td class="num" data-field="refunds">{row.refunds}</td>
            <td class="num" data-field="refund" data-fen={row.refundFen}>{yuan(row.refundFen)}</td>
            <td class="num strong" data-field="net" data-fen={row.netFen}>{yuan(row.netFen)}</td>
            <td class="num" data-field="failed">{row.failed}</td>
          </tr>
        ))}
      </tbody>
      {totals.length > 1 && (
        <tfoot>
          <tr data-portal="all">
            <td colSpan={2}>{t('log_total_all')}</td>
            <td class="num">{sum.sales}</td>
            <td class="num" data-fen={sum.cardFen}>{yuan(sum.cardFen)}</td>
            <td class="num" data-fen={sum.cashFen}>{yuan(sum.cashFen)}</td>
            <td class="num">{sum.refunds}</td>
            <td class="num" data-fen={sum.refundFen}>{yuan(sum.refundFen)}</td>
            <td class="num strong" data-fen={sum.netFen}>{yuan(sum.netFen)}</td>
            <td class="num">{sum.failed}</td>
          </tr>
        </tfoot>
      )}
    </table>
  );
}

// ---------------------------------------------------------------------------------------------
// Settlements

export function SettlementTable({ rows, methodOf }: { rows: readonly SettlementRow[]; methodOf: (row: SettlementRow) => string }) {
  return (
    <table id="settlements" class="grid">
      <thead>
        <tr>
          <th>{t('log_col_time')}</th>
          <th>{t('log_col_portal')}</th>
          <th>{t('log_col_kind')}</th>
          <th>{t('log_col_order_no')}</th>
          <th class="w-vendor">{t('log_col_vendor_no')}</th>
          <th class="num">{t('log_col_card')}</th>
          <th class="num">{t('log_col_cash')}</th>
          <th class="w-state">{t('log_col_state')}</th>
          <th>{t('log_col_yingke')}</th>
          <th>{t('log_col_diffs')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && (
          <tr>
            <td colSpan={10} class="empty">{t('log_no_rows')}</td>
          </tr>
        )}
        {rows.map((row) => {
          const s = row.settlement;
          const refund = s.kind === 'refund';
          return (
            <tr
              key={s.id}
              data-settlement-id={s.id}
              data-state={row.displayState}
              data-local-state={row.localState}
              data-kind={s.kind}
              data-portal={s.portal}
              data-order-no={s.orderNo}
              data-vendor-no={s.vendorOrderNo}
              data-diff-kinds={row.diffKinds.join(' ')}
              class={row.diffKinds.length ? 'has-diff' : ''}
            >
              <td class="nowrap">
                {clockText(s.settledAt).slice(11, 19)}
                {s.settledAt.slice(0, 10) !== s.day && <div class="sub">{s.settledAt.slice(0, 10)}</div>}
              </td>
              <td class="nowrap">
                {t(PORTAL_LABEL[s.portal])}
                <div class="sub">{methodOf(row)}</div>
              </td>
              <td class={refund ? 'refund nowrap' : 'nowrap'}>{t(refund ? 'log_kind_refund' : 'log_kind_sale')}</td>
              <td class="mono nowrap">{s.orderNo || '—'}</td>
              <td class="mono">{s.status === 'failed' ? '—' : s.vendorOrderNo}</td>
              <td class="num">{(refund ? '−' : '') + yuan(s.amountFen)}</td>
              <td class="num">{s.cashFen ? yuan(s.cashFen) : ''}</td>
              <td>
                <span class={`state state-${row.displayState}`}>{t(STATE_LABEL[row.displayState])}</span>
                {row.tender && row.displayState !== row.localState && <div class="sub">{t(STATE_LABEL[row.localState])}</div>}
                {row.tender?.lastError && row.localState === 'failed' && <div class="sub bad">{row.tender.lastError}</div>}
                {row.tender?.state === 'manual' && <div class="sub">{`${row.tender.manualBy ?? ''} ${clockText(row.tender.manualAt, true)}`}</div>}
              </td>
              <td class="nowrap">
                {row.yingke ? (
                  <span class="mono" title={row.matchedBy}>
                    {row.yingke.voucherNo}
                    {row.yingke.day !== s.day && <div class="sub">{row.yingke.day}</div>}
                  </span>
                ) : (
                  '—'
                )}
              </td>
              <td>
                {row.diffKinds.map((k) => (
                  <span key={k} class={`chip chip-${k}`}>{t(DIFF_KIND_LABEL[k])}</span>
                ))}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

// ---------------------------------------------------------------------------------------------
// Yingke's tenders

export function YingkeTable({ entries, claimed, otherTills = new Set<string>() }: { entries: readonly YingkeEntry[]; claimed: ReadonlySet<string>; otherTills?: ReadonlySet<string> }) {
  return (
    <table id="yingke-tenders" class="grid">
      <thead>
        <tr>
          <th>{t('log_col_recorded_at')}</th>
          <th>{t('log_col_portal')}</th>
          <th>{t('log_col_method')}</th>
          <th>{t('log_col_kind')}</th>
          <th>{t('log_col_order_no')}</th>
          <th>{t('log_col_vendor_no')}</th>
          <th class="num">{t('log_col_card')}</th>
          <th>{t('log_col_voucher')}</th>
          <th>{t('log_col_matched')}</th>
        </tr>
      </thead>
      <tbody>
        {entries.length === 0 && (
          <tr>
            <td colSpan={9} class="empty">{t('log_yk_none')}</td>
          </tr>
        )}
        {entries.map((y) => (
          <tr key={y.tenderId} data-tender-id={y.tenderId} data-matched={claimed.has(y.tenderId) ? 'true' : otherTills.has(y.tenderId) ? 'other-till' : 'false'}>
            <td class="nowrap">{clockText(y.recordedAt).slice(11, 19)}</td>
            <td class="nowrap">{t(PORTAL_LABEL[y.provider])}</td>
            <td>{y.paymentMethodName}</td>
            <td>{t(y.kind === 'refund' ? 'log_kind_refund' : 'log_kind_sale')}</td>
            <td class="mono nowrap">{y.orderNo}</td>
            <td class="mono">{y.vendorOrderNo}</td>
            <td class="num">{yuan(y.amountFen)}</td>
            <td class="mono">{y.voucherNo}</td>
            <td>{claimed.has(y.tenderId) ? '✓' : otherTills.has(y.tenderId) ? t('log_yk_other_till') : <span class="bad">{t('log_yk_unmatched')}</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

// ---------------------------------------------------------------------------------------------
// Differences, with the exception workflow

interface DiffProps {
  diffs: readonly Difference[];
  operator: string;
  /** after a mark was stored: reload */
  onChanged: () => void;
  showDay?: boolean;
  id?: string;
}

export function DiffTable({ diffs, operator, onChanged, showDay = false, id = 'differences' }: DiffProps) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <table id={id} class="grid diffs">
      <thead>
        <tr>
          {showDay && <th>{t('log_col_day')}</th>}
          <th>{t('log_col_diff_kind')}</th>
          <th>{t('log_col_order_no')} / {t('log_col_vendor_no')}</th>
          <th class="num">{t('log_col_captured')}</th>
          <th class="num">{t('log_col_yingke')}</th>
          <th class="num">{t('log_col_file')}</th>
          <th>{t('log_col_status')}</th>
          <th class="no-print" />
        </tr>
      </thead>
      <tbody>
        {diffs.length === 0 && (
          <tr>
            <td colSpan={showDay ? 8 : 7} class="empty good">{t('log_no_diffs')}</td>
          </tr>
        )}
        {diffs.map((d) => {
          const status = diffStatus(d);
          return [
            <tr
              key={d.id}
              data-diff-id={d.id}
              data-diff-kind={d.kind}
              data-diff-reason={d.reason}
              data-diff-source={d.source}
              data-status={status}
              data-pending={d.pending ?? ''}
              data-settlement-id={d.settlementId ?? ''}
              data-tender-id={d.tenderId ?? ''}
              class={`diff diff-${status}`}
            >
              {showDay && <td class="nowrap">{d.day}</td>}
              <td>
                <span class={`chip chip-${d.kind}`}>{t(DIFF_KIND_LABEL[d.kind])}</span>
                <div class="reason">{t(REASON_LABEL[d.reason])}</div>
                {d.source === 'file' && <div class="sub">{t('log_source_file')}</div>}
                {d.note && <div class="sub mono">{d.note}</div>}
              </td>
              <td class="mono">
                {d.orderNo || '—'}
                <div class="sub">{d.vendorOrderNo ?? ''}</div>
                {d.portal && <div class="sub">{t(PORTAL_LABEL[d.portal])} {clockText(d.at).slice(11, 16)}</div>}
              </td>
              <td class="num">{yuan(d.capturedFen)}</td>
              <td class="num">{yuan(d.yingkeFen)}</td>
              <td class="num">{yuan(d.fileFen)}</td>
              <td>
                <span class={`status status-${status}`}>{t(STATUS_LABEL[status])}</span>
                {d.deltaFen !== 0 && <div class="delta">{signedYuan(d.deltaFen)}</div>}
                {d.pending && !d.handled && <div class="sub">{t(PENDING_LABEL[d.pending])}</div>}
                {d.localState && !d.handled && <div class="sub">{t('log_local_state', t(STATE_LABEL[d.localState]))}</div>}
                {d.handled && (
                  <div class="handled-by">
                    {t('log_handled_line', [t(BASIS_LABEL[d.handled.basis]), d.handled.by, clockText(d.handled.at)])}
                    <div class="remark">{d.handled.remark}</div>
                  </div>
                )}
                {!d.handled && <div class="advice">{t(REASON_ADVICE[d.reason])}</div>}
              </td>
              <td class="no-print">
                <button type="button" class="small" data-action={d.handled ? 'reopen' : 'handle'} onClick={() => setOpen(open === d.id ? null : d.id)}>
                  {t(d.handled ? 'log_reopen' : 'log_handle')}
                </button>
              </td>
            </tr>,
            open === d.id && (
              <tr key={`${d.id}:form`} class="handle-row no-print" data-form-for={d.id}>
                <td colSpan={showDay ? 8 : 7}>
                  <HandleForm diff={d} operator={operator} onDone={() => { setOpen(null); onChanged(); }} onCancel={() => setOpen(null)} />
                </td>
              </tr>
            ),
          ];
        })}
      </tbody>
    </table>
  );
}

function HandleForm({ diff, operator, onDone, onCancel }: { diff: Difference; operator: string; onDone: () => void; onCancel: () => void }) {
  const reopening = Boolean(diff.handled);
  const [basis, setBasis] = useState<ExceptionBasis | null>(null);
  const [remark, setRemark] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (!operator.trim()) return setError(t('log_need_operator'));
    if (!reopening && !basis) return setError(t('log_need_basis'));
    if (!remark.trim()) return setError(t('log_need_remark'));
    setBusy(true);
    setError(null);
    try {
      if (reopening) await ask({ type: 'exception.reopen', day: diff.day, diffId: diff.id, remark: remark.trim(), by: operator.trim() });
      else if (basis) await ask({ type: 'exception.handle', day: diff.day, diffId: diff.id, basis, remark: remark.trim(), by: operator.trim() });
      onDone();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="handle-form" onSubmit={(e) => void submit(e)}>
      <p class="form-title">{t(reopening ? 'log_reopen_title' : 'log_handle_title')}</p>
      {!reopening && (
        <fieldset>
          <legend>{t('log_basis')}</legend>
          {(['vendor', 'yingke'] as const).map((b) => (
            <label key={b} class="radio">
              <input type="radio" name="basis" value={b} checked={basis === b} onChange={() => setBasis(b)} />
              {t(BASIS_LABEL[b])}
            </label>
          ))}
        </fieldset>
      )}
      <label class="block">
        {t('log_remark')}
        <textarea name="remark" rows={2} maxLength={500} value={remark} placeholder={t('log_remark_placeholder')} onInput={(e) => setRemark(e.currentTarget.value)} />
      </label>
      <p class="sub">{t('log_handle_who', operator.trim() || t('log_operator_missing'))}</p>
      {error && <p class="bad" role="alert">{error}</p>}
      <div class="buttons">
        <button type="submit" class="primary" data-action="confirm-handle" disabled={busy}>
          {t(busy ? 'log_saving' : reopening ? 'log_reopen_confirm' : 'log_handle_confirm')}
        </button>
        <button type="button" onClick={onCancel}>{t('log_cancel')}</button>
      </div>
    </form>
  );
}
