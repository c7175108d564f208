import type { TenderBridgeDb } from '@/shared/db';
import type { AuditLog } from '@/shared/audit';
import { loadSettings, type Settings } from '@/shared/settings';
import { checkScan, lookUpTicket } from './scan-checks';
import type { FillSessions } from './fill-session';
import { packsOf } from './pack-handlers';
import type { HandlersFor } from './router';

export interface ScanHandlerDeps {
  db: TenderBridgeDb;
  audit: AuditLog;
  settings: () => Promise<Settings>;
  sessions: FillSessions;
}

/** A scan on a portal page: checked against the business rules, and what the page needs to fill. */
export function scanHandlers({ db, audit, settings, sessions }: ScanHandlerDeps): HandlersFor<'scan.submit' | 'scan.decide' | 'portal.config' | 'ticket.lookup'> {
  return {
    'scan.submit': async (request, sender) => {
      if (sender.kind !== 'portal') throw new Error('scans come from portal pages');
      const current = await settings();
      const { verdict, audit: entry } = await checkScan({
        text: request.text,
        portal: sender.portal,
        settings: current,
        db,
        now: Date.now(),
        scanId: crypto.randomUUID(),
        lookUp: (orderNo) => lookUpTicket(current, orderNo),
      });
      // Written before the page is told: every scan, accepted or refused, is on the trail.
      await audit.append(entry);
      // A settlement captured here with no fill in progress waits for this scan: attach, not fill.
      const pending = verdict.ok ? await sessions.pendingAttach(sender.tabId, sender.portal, Date.now()) : undefined;
      const waiting = pending ? await db.settlements.get(pending.settlementId) : undefined;
      if (verdict.ok && waiting?.hold === 'unmatched') {
        return { ...verdict, attachTo: { settlementId: waiting.id, amountFen: waiting.amountFen, cashFen: waiting.cashFen, vendorOrderNo: waiting.vendorOrderNo } };
      }
      return verdict;
    },
    'scan.decide': async (request, sender) => {
      await audit.append({
        type: 'scan.decided',
        portal: sender.kind === 'portal' ? sender.portal : undefined,
        code: `${request.reason}:${request.decision}`,
        detail: { scanId: request.scanId },
      });
      return { recorded: true };
    },
    'portal.config': async (_request, sender) => {
      if (sender.kind !== 'portal') throw new Error('portal pages only');
      const loaded = await loadSettings();
      const current = loaded.settings;
      const portal = current.portals[sender.portal];
      const pack = packsOf(loaded).active[sender.portal];
      return {
        enabled: portal.enabled,
        goodsName: portal.goodsName,
        overrides: current.locatorOverrides,
        ...(pack ? { definition: pack.definition, pack: { source: pack.source, version: pack.version } } : {}),
      };
    },
    'ticket.lookup': async (request) => lookUpTicket(await settings(), request.orderNo),
  };
}
