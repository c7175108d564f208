import type { TenderBridgeDb } from '@/shared/db';
import type { AuditLog } from '@/shared/audit';
import type { Settings } from '@/shared/settings';
import { checkCaptureFields } from '@/shared/capture-fields';
import { attachSettlement, storeCapture } from './settlements';
import type { FillSessions } from './fill-session';
import type { CaptureJournal } from './capture-journal';
import type { HandlersFor } from './router';

export interface CaptureHandlerDeps {
  db: TenderBridgeDb;
  audit: AuditLog;
  settings: () => Promise<Settings>;
  sessions: FillSessions;
  journal: CaptureJournal;
  /** the badge after a settlement is stored or attached (never part of the answer) */
  onChange: () => void;
}

/** A settlement read off a portal's result page: stored durably before the page is answered. */
export function captureHandlers({ db, audit, settings, sessions, journal, onChange }: CaptureHandlerDeps): HandlersFor<'settlement.capture' | 'capture.unconfirmed' | 'settlement.attach'> {
  return {
    'settlement.capture': async (request, sender) => {
      if (sender.kind !== 'portal') throw new Error('settlements come from portal pages');
      const now = Date.now();
      // field by field: an odd optional field is cut or dropped and flagged, never the capture
      const { capture, flags } = checkCaptureFields(request.capture, request.reviewFlags);
      // still open from an earlier attempt: that worker may have stored it and died before its extras
      const resent = await journal.has(request.captureId);
      // journaled before the write: a reload or a stuck worker cannot make it vanish (capture-journal.ts)
      await journal.open({ captureId: request.captureId, tabId: sender.tabId, portal: sender.portal, capture: request.capture, reviewFlags: request.reviewFlags }, now);
      const fill = capture.kind === 'sale' ? await sessions.forCapture(sender, now) : undefined;
      const outcome = await storeCapture(capture, {
        db,
        audit,
        portal: sender.portal,
        sessionTicket: fill?.session.ticket,
        captureId: request.captureId,
        reviewFlags: flags,
        resent,
        now,
      });
      // committed: no longer open (a write that threw stays journaled, so a reload tries it again)
      await journal.close(request.captureId).catch(() => undefined);
      // The settlement is stored: from here nothing may turn the answer into an error.
      const afterwards = async (): Promise<void> => {
        if (outcome.usedSession && fill) await sessions.clear(fill.tabId);
        if (outcome.answer.stored === 'new' && outcome.answer.hold === 'unmatched') {
          await sessions.setPendingAttach(sender.tabId, { settlementId: outcome.answer.settlementId, portal: sender.portal, at: now });
        }
      };
      await afterwards().catch(() => undefined);
      // the trail entry and the badge follow the answer (a failure there is retried once)
      void (async () => {
        await outcome.after().catch(() => outcome.after()).catch((error: unknown) => console.error('capture: audit entry not written', error));
        onChange();
      })();
      return outcome.answer;
    },
    'capture.unconfirmed': async (_request, sender) => {
      if (sender.kind !== 'portal') throw new Error('portal pages only');
      const open = await journal.openFor(sender.tabId, sender.portal, Date.now());
      return { captures: open.map(({ captureId, capture, reviewFlags }) => ({ captureId, capture, reviewFlags })) };
    },
    'settlement.attach': async (request, sender) => {
      if (sender.kind !== 'portal') throw new Error('attaching happens on portal pages');
      const answer = await attachSettlement({
        db,
        audit,
        portal: sender.portal,
        storeCode: (await settings()).storeCode,
        settlementId: request.settlementId,
        ticket: request.ticket,
        scanId: request.scanId,
      });
      if (answer.attached) await sessions.clearPendingAttach(sender.tabId);
      onChange();
      return answer;
    },
  };
}
