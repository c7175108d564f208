import type { TenderBridgeDb } from '@/shared/db';
import type { AuditLog } from '@/shared/audit';
import type { Settings } from '@/shared/settings';
import type { RequestOf, ResponseOf } from '@/shared/messages';
import { storeDay } from '@/shared/time';
import { FINISHED_STATES, unpostedSettlements } from './unposted';
import { tenderView, TenderRefusedError, type Outbox } from './outbox';

/**
 * The popup's messages about tenders: the list, 下账, 已在英克下账 and 确认无误. Kept apart from
 * main.ts so the message wiring there stays a few lines.
 */
export interface TenderHandlerDeps {
  db: TenderBridgeDb;
  audit: AuditLog;
  settings: () => Promise<Settings>;
  outbox: Outbox;
  now?: () => number;
  /** the badge */
  onChange?: () => void;
}

type H<T extends 'tenders.list' | 'tender.post' | 'tender.manual' | 'settlement.confirm'> = (request: RequestOf<T>) => Promise<ResponseOf<T>>;

export function tenderHandlers(deps: TenderHandlerDeps): {
  'tenders.list': H<'tenders.list'>;
  'tender.post': H<'tender.post'>;
  'tender.manual': H<'tender.manual'>;
  'settlement.confirm': H<'settlement.confirm'>;
} {
  const { db, audit, outbox } = deps;
  const now = deps.now ?? Date.now;

  async function view(settlementId: string) {
    const settlement = await db.settlements.get(settlementId);
    if (!settlement) throw new Error('no such settlement');
    return tenderView(settlement, await db.tenders.get(settlementId), await deps.settings(), now());
  }

  return {
    // Every unposted settlement, whatever its age, oldest first; then today's finished ones.
    'tenders.list': async () => {
      const current = await deps.settings();
      const open = await unpostedSettlements(db);
      const today = await db.settlements.where('day').equals(storeDay(now())).filter((s) => s.status === 'success').toArray();
      const todayTenders = await db.tenders.bulkGet(today.map((s) => s.id));
      const finishedToday = today
        .map((settlement, i) => ({ settlement, tender: todayTenders[i] }))
        .filter(({ tender }) => tender !== undefined && FINISHED_STATES.has(tender.state))
        .sort((a, b) => (a.settlement.settledAt < b.settlement.settledAt ? 1 : -1));
      const items = [...open, ...finishedToday].map(({ settlement, tender }) => tenderView(settlement, tender, current, now()));
      return {
        bridgeConfigured: current.bridge.baseUrl !== '' && current.bridge.secret !== '',
        cashierId: current.cashierId,
        items,
        unverifiedAnswers: await outbox.unverifiedInRow(),
      };
    },
    'tender.post': async (request) => {
      await outbox.post(request.settlementId);
      return view(request.settlementId);
    },
    'tender.manual': async (request) => {
      await outbox.confirmManual(request.settlementId);
      return view(request.settlementId);
    },
    'settlement.confirm': async (request) => {
      const current = await deps.settings();
      const confirmed = await db.transaction('rw', db.settlements, async () => {
        const settlement = await db.settlements.get(request.settlementId);
        if (!settlement) throw new TenderRefusedError('NOT_POSTABLE', 'no such settlement');
        // only a 'confirm' hold is the cashier's to clear; 'unmatched' is cleared by a scan
        if (settlement.hold !== 'confirm') return null;
        const { hold: _hold, ...rest } = settlement;
        await db.settlements.put(rest);
        return settlement;
      });
      if (confirmed) {
        await audit.append({
          type: 'settlement.confirmed',
          portal: confirmed.portal,
          orderNo: confirmed.orderNo,
          code: (confirmed.holdReasons ?? []).join(',') || 'confirm',
          detail: { settlementId: confirmed.id, by: current.cashierId || '(未设置收银员)', amountFen: confirmed.amountFen },
        });
        deps.onChange?.();
      }
      return view(request.settlementId);
    },
  };
}
