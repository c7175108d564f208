import { t } from '@/shared/i18n';
import { shortTill, type TillsSummary } from '@/shared/reconcile-tills';
import { yuan } from './data';

/**
 * Reconciliation per till and for the store: Yingke's tenders of the day by the till that posted
 * them. Another till's are counted for the store but reconciled in that till's own log, so the
 * supervisor sees why they are not differences here.
 */
export function TillsTable({ summary }: { summary: TillsSummary }) {
  return (
    <table id="tills" class="grid totals">
      <thead>
        <tr>
          <th>{t('log_col_till')}</th>
          <th>{t('log_col_cashiers')}</th>
          <th class="num">{t('log_col_tenders')}</th>
          <th class="num">{t('log_col_net')}</th>
          <th class="num">{t('log_col_matched')}</th>
          <th>{t('log_col_note')}</th>
        </tr>
      </thead>
      <tbody>
        {summary.lines.map((line) => (
          <tr key={`${line.kind}|${line.deviceId}`} data-till={line.kind} data-device-id={line.deviceId}>
            <td class="nowrap">
              {t(line.kind === 'mine' ? 'log_till_mine' : line.kind === 'other' ? 'log_till_other' : 'log_till_unmarked')}
              {line.deviceId && <span class="sub mono"> …{shortTill(line.deviceId)}</span>}
            </td>
            <td class="mono">{line.cashierIds.join(', ') || '—'}</td>
            <td class="num" data-field="count">{line.tenders}</td>
            <td class="num" data-field="net" data-fen={line.netFen}>{yuan(line.netFen)}</td>
            <td class="num" data-field="matched">{line.kind === 'other' ? '—' : line.matched}</td>
            <td>
              {line.kind === 'mine'
                ? t('log_till_mine_note', String(summary.unresolvedDifferences))
                : t(line.kind === 'other' ? 'log_till_other_note' : 'log_till_unmarked_note')}
            </td>
          </tr>
        ))}
        <tr data-till="store" class="strong">
          <td>{t('log_till_store')}</td>
          <td />
          <td class="num" data-field="count">{summary.store.tenders}</td>
          <td class="num" data-field="net" data-fen={summary.store.netFen}>{yuan(summary.store.netFen)}</td>
          <td />
          <td />
        </tr>
      </tbody>
    </table>
  );
}
