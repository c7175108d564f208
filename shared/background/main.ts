import { browser } from 'wxt/browser';
import { AnyRequestSchema, requestSchemas, type RequestOf, type RequestType, type ResponseOf } from '@/shared/messages';
import { database } from '@/shared/db';
import { AuditLog } from '@/shared/audit';
import { loadSettings, onSettingsChanged } from '@/shared/settings';
import type { PortalId } from '@/providers/origins';
import { classifySender, type RuntimeSender, type SenderInfo } from './sender';
import { checkScan, lookUpTicket } from './scan-checks';
import { attachSettlement, storeCapture } from './settlements';
import { FillSessions, RESUME_WINDOW_MS } from './fill-session';
import { CaptureJournal } from './capture-journal';
import { checkCaptureFields } from '@/shared/capture-fields';
import { mayRequest, senderKind } from './permissions';
import { refusalAuditor, securityHandlers } from './security';
import { Outbox, SUPERVISOR_STATES } from './outbox';
import { tenderHandlers } from './tender-handlers';
import { unpostedSettlements } from './unposted';
import { pendingAlertTick, supervisorHandlers, type SupervisorDeps } from './supervisor';
import { ensureSupervisorSchema } from '@/shared/db-supervisor';
import { t } from '@/shared/i18n';
import { packHandlers, packsOf } from './pack-handlers';
import { Anchoring, ANCHOR_PERIOD_MINUTES } from './anchor';

type Handler<T extends RequestType> = (request: RequestOf<T>, sender: SenderInfo) => Promise<ResponseOf<T>>;
type Handlers = { [T in RequestType]: Handler<T> };

const OUTBOX_ALARM = 'tenderbridge-outbox';
const PENDING_ALERT_ALARM = 'tenderbridge-pending-alert';
const ANCHOR_ALARM = 'tenderbridge-anchor';
/** a small orange square: Chrome's basic notifications need an icon */
const ALERT_ICON =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAAAaElEQVR42u3XwQ0AEAyF4Q7jbv8xTMQAQlBtn3gS5/870Yq8dkrKdXZDoqaY07gaoQ2rILfjWwir+DIiFGAdnyK84kPE3wDveIcggAACwgF8CSEA4d8xJyKYoRRiLIdYTGBWM4jl1PI00NL6MMKDqZMAAAAASUVORK5CYII=';

export function startBackground(): void {
  const db = ensureSupervisorSchema(database());
  const audit = new AuditLog(db);
  const settings = async () => (await loadSettings()).settings;

  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  const outbox = new Outbox({
    db,
    audit,
    settings,
    onChange: () => void updateBadge(),
    // answers that cannot be verified, a double tender: the supervisor's alert (audited by the outbox)
    onFlag: (flag) =>
      void browser.notifications.create(`tb-pending-flag-${Date.now()}`, {
        type: 'basic',
        priority: 2,
        iconUrl: ALERT_ICON,
        title: t('log_alert_title'),
        message: flag.kind === 'double' ? t('pp_flag_double', flag.voucherNo) : t('pp_flag_unverified', String(flag.count)),
      }),
    // A timer while the worker lives, and an alarm that wakes it if it was stopped meanwhile.
    schedule: (at) => {
      clearTimeout(retryTimer);
      if (at === null) {
        void browser.alarms.clear(OUTBOX_ALARM);
        return;
      }
      const delay = Math.max(0, at - Date.now());
      retryTimer = setTimeout(() => void outbox.drain(), delay);
      void browser.alarms.create(OUTBOX_ALARM, { when: Math.max(at, Date.now() + 30_000) });
    },
  });

  /** settlements waiting longer than settings.pendingAlertMinutes (red badge, a notification) */
  let overdue = 0;
  async function updateBadge(): Promise<void> {
    // every unposted settlement, whatever its age
    const open = await unpostedSettlements(db);
    const pending = open.length;
    const flagged = open.filter(({ tender }) => tender !== undefined && (SUPERVISOR_STATES.has(tender.state) || tender.state === 'unauthorized')).length;
    await browser.action.setBadgeText({ text: pending ? String(pending) : '' });
    await browser.action.setBadgeBackgroundColor({ color: flagged || overdue > 0 ? '#d1242f' : '#e6a23c' });
  }

  const supervisorDeps: SupervisorDeps = {
    db,
    audit,
    settings,
    onAlert: async (check) => {
      overdue = check.overdue;
      await updateBadge();
      if (check.newly.length) {
        await browser.notifications.create(`tb-pending-${Date.now()}`, {
          type: 'basic',
          priority: 2,
          iconUrl: ALERT_ICON,
          title: t('log_alert_title'),
          message: t('log_alert_message', [String(check.newly.length), String(check.thresholdMinutes)]),
        });
      }
    },
  };

  // audit heads to the bridge (anchor.ts); a HEAD_CONFLICT is the supervisor's alert
  const anchoring = new Anchoring({
    db,
    audit,
    settings,
    onConflict: (seq) =>
      void browser.notifications.create(`tb-pending-anchor-${Date.now()}`, { type: 'basic', priority: 2, iconUrl: ALERT_ICON, title: t('log_alert_title'), message: t('log_anchor_conflict_alert', String(seq)) }),
  });
  const supervisor = supervisorHandlers(supervisorDeps);

  /** the fill of each tab (fill-session.ts): what ties a settlement to a Yingke order */
  const sessions = new FillSessions(browser.storage.session);
  /** captures received and not yet committed (capture-journal.ts) */
  const journal = new CaptureJournal(browser.storage.session);

  async function auditSteps(steps: RequestOf<'fill.report'>['steps'], scanId: string, orderNo: string, portal: PortalId | undefined): Promise<void> {
    for (const step of steps) {
      await audit.append({
        type: step.kind === 'fallback' ? 'fill.fallback' : 'fill.step',
        portal,
        orderNo,
        code: step.step,
        detail: { scanId, path: step.path, target: step.target ?? null, label: step.label ?? null, via: step.via ? `${step.via.by}:${step.via.value}` : null },
      });
    }
  }

  const reportRefusal = refusalAuditor(audit);
  const handlers: Handlers = {
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
    'fill.started': async (request, sender) => {
      if (sender.kind !== 'portal') throw new Error('fills happen on portal pages');
      await sessions.start(sender.tabId, { scanId: request.scanId, ticket: request.ticket, portal: sender.portal }, Date.now());
      await audit.append({ type: 'fill.started', portal: sender.portal, orderNo: request.ticket.orderNo, detail: { scanId: request.scanId } });
      return { ok: true };
    },
    'fill.checkpoint': async (request, sender) => {
      if (sender.kind !== 'portal') throw new Error('fills happen on portal pages');
      await sessions.update(sender.tabId, { resumeAt: request.resumeAt, at: Date.now() });
      await auditSteps(request.steps, request.scanId, request.orderNo, sender.portal);
      return { ok: true };
    },
    'fill.resume': async (_request, sender) => {
      if (sender.kind !== 'portal' || sender.frameId !== 0) return { resume: null };
      const session = await sessions.get(sender.tabId);
      if (!session || session.resumeAt === undefined || session.portal !== sender.portal || Date.now() - session.at > RESUME_WINDOW_MS) {
        return { resume: null };
      }
      // resumed once: a later reload of the same page must not run the steps again
      await sessions.update(sender.tabId, { resumeAt: undefined });
      await audit.append({ type: 'fill.resumed', portal: sender.portal, orderNo: session.ticket.orderNo, detail: { scanId: session.scanId, resumeAt: session.resumeAt } });
      return { resume: { scanId: session.scanId, ticket: session.ticket, resumeAt: session.resumeAt } };
    },
    'fill.report': async (request, sender) => {
      const portal = sender.kind === 'portal' ? sender.portal : undefined;
      if (sender.kind === 'portal') await sessions.update(sender.tabId, { resumeAt: undefined });
      await auditSteps(request.steps, request.scanId, request.orderNo, portal);
      await audit.append({
        type: request.outcome === 'ready' ? 'fill.ready' : 'fill.stopped',
        portal,
        orderNo: request.orderNo,
        code: request.code,
        detail: { scanId: request.scanId, subject: request.subject ?? null, overrides: request.overrides.join(',') || null },
      });
      return { ok: true };
    },
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
        await updateBadge().catch(() => undefined);
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
      void updateBadge().catch(() => undefined);
      return answer;
    },
    ...supervisor,
    // each export's head is kept and sent to the bridge; the export never waits for it
    'export.record': async (request, sender) => {
      const answer = await supervisor['export.record'](request, sender);
      void anchoring.exported().catch((error: unknown) => console.warn('anchor: export head not sent', error));
      return answer;
    },
    'audit.anchorCheck': async () => anchoring.check(),
    ...securityHandlers(audit, reportRefusal),
    ...packHandlers(),
    // tenders.list, tender.post, tender.manual, settlement.confirm (the popup)
    ...tenderHandlers({ db, audit, settings, outbox, onChange: () => void updateBadge() }),
  };

  const extensionOrigin = new URL(browser.runtime.getURL('/')).origin;

  browser.runtime.onMessage.addListener((message: unknown, rawSender: RuntimeSender, sendResponse: (answer: unknown) => void) => {
    const sender = classifySender(rawSender, browser.runtime.id, extensionOrigin);
    const request = AnyRequestSchema.safeParse(message);
    const claimedType = typeof (message as { type?: unknown } | null)?.type === 'string' ? String((message as { type: string }).type).slice(0, 40) : '?';
    if (!sender || !request.success) {
      // a message from no sender of ours (another extension) or of no known shape: refused, audited (rate-limited)
      void reportRefusal('message.refused', sender ? senderKind(sender) : 'unknown', claimedType, { reason: sender ? 'malformed' : 'unknown-sender' });
      sendResponse({ refused: true, reason: sender ? 'malformed message' : 'unknown sender' });
      return false;
    }
    const type = request.data.type;
    // the one place that says who may send what (permissions.ts)
    const kind = senderKind(sender);
    if (!mayRequest(type, kind)) {
      void reportRefusal('message.refused', kind, type, { reason: 'not-permitted' });
      sendResponse({ refused: true, reason: `${type} is not accepted from ${kind}` });
      return false;
    }
    const handler = handlers[type] as Handler<typeof type>;
    handler(request.data, sender)
      .then((answer) => sendResponse(requestSchemas[type].response.parse(answer)))
      .catch((error: unknown) => sendResponse({ refused: true, reason: error instanceof Error ? error.message : String(error) }));
    return true;
  });

  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === OUTBOX_ALARM) void outbox.drain();
    if (alarm.name === PENDING_ALERT_ALARM) void pendingAlertTick(supervisorDeps);
    if (alarm.name === ANCHOR_ALARM) void anchoring.tick().catch(() => undefined);
  });
  void browser.alarms.create(PENDING_ALERT_ALARM, { periodInMinutes: 1 });
  // created once, not at every wake: re-creating would push it back each time the worker restarts
  void browser.alarms.get(ANCHOR_ALARM).then(async (existing) => {
    if (!existing) await browser.alarms.create(ANCHOR_ALARM, { periodInMinutes: ANCHOR_PERIOD_MINUTES });
  });
  browser.notifications.onClicked.addListener((id) => {
    if (id.startsWith('tb-pending-')) void browser.tabs.create({ url: browser.runtime.getURL('/log.html') });
  });
  // Listening for start-up is what makes the browser start this worker when it starts, so a
  // tender left queued by the last session goes out without waiting for the cashier.
  browser.runtime.onStartup.addListener(() => void outbox.drain());
  browser.tabs.onRemoved.addListener((tabId) => void sessions.forgetTab(tabId));
  onSettingsChanged(() => {
    void outbox.settingsChanged();
    void updateBadge();
  });
  // Whatever woke the worker (browser start, an alarm, a message), pick up where it left off.
  void outbox.drain();
  void updateBadge();
}
