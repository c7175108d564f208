import { browser } from 'wxt/browser';
import { z } from 'zod';
import { AnyRequestSchema, requestSchemas, type RequestOf, type RequestType, type ResponseOf } from '@/shared/messages';
import { database } from '@/shared/db';
import { AuditLog } from '@/shared/audit';
import { loadSettings, onSettingsChanged } from '@/shared/settings';
import { FullTicketSchema, TicketSchema } from '@/shared/ticket';
import { createBridgeClient } from '@/shared/bridge';
import type { PortalId } from '@/providers/origins';
import { classifySender, type RuntimeSender, type SenderInfo } from './sender';
import { checkScan } from './scan-checks';
import { captureSettlement } from './settlements';
import { Outbox, SUPERVISOR_STATES } from './outbox';
import { tenderHandlers } from './tender-handlers';
import { unpostedSettlements } from './unposted';
import { pendingAlertTick, supervisorHandlers, type SupervisorDeps } from './supervisor';
import { ensureSupervisorSchema } from '@/shared/db-supervisor';
import { t } from '@/shared/i18n';

type Handler<T extends RequestType> = (request: RequestOf<T>, sender: SenderInfo) => Promise<ResponseOf<T>>;
type Handlers = { [T in RequestType]: Handler<T> };

const OUTBOX_ALARM = 'tenderbridge-outbox';
const PENDING_ALERT_ALARM = 'tenderbridge-pending-alert';
/** a small orange square: Chrome's basic notifications need an icon */
const ALERT_ICON =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAAAaElEQVR42u3XwQ0AEAyF4Q7jbv8xTMQAQlBtn3gS5/870Yq8dkrKdXZDoqaY07gaoQ2rILfjWwir+DIiFGAdnyK84kPE3wDveIcggAACwgF8CSEA4d8xJyKYoRRiLIdYTGBWM4jl1PI00NL6MMKDqZMAAAAASUVORK5CYII=';

function sessionKey(tabId: number): string {
  return `fill-session:${tabId}`;
}

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

  /** A fill of one tab: the ticket it is for, and where a page load left it. */
  const FillSessionSchema = z.object({
    scanId: z.string(),
    ticket: TicketSchema,
    portal: z.string(),
    at: z.number(),
    resumeAt: z.number().int().optional(),
  });
  type FillSession = z.infer<typeof FillSessionSchema>;
  /** A fill interrupted by a page load is resumed only soon after, on the same portal. */
  const RESUME_WINDOW_MS = 2 * 60_000;

  async function fillSession(tabId: number | undefined): Promise<FillSession | undefined> {
    if (tabId === undefined) return undefined;
    const stored: unknown = (await browser.storage.session.get(sessionKey(tabId)))[sessionKey(tabId)];
    const parsed = FillSessionSchema.safeParse(stored);
    return parsed.success ? parsed.data : undefined;
  }

  async function updateSession(tabId: number, change: Partial<FillSession>): Promise<void> {
    const current = await fillSession(tabId);
    if (current) await browser.storage.session.set({ [sessionKey(tabId)]: { ...current, ...change } });
  }

  /** The Yingke order a tab is working on; a receipt window asks through the tab that opened it. */
  async function sessionOrderNo(sender: Extract<SenderInfo, { kind: 'portal' }>): Promise<string | undefined> {
    const session = (await fillSession(sender.tabId)) ?? (await fillSession(sender.openerTabId));
    return session?.portal === sender.portal ? session.ticket.orderNo : undefined;
  }

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

  const handlers: Handlers = {
    'scan.submit': async (request, sender) => {
      if (sender.kind !== 'portal') throw new Error('scans come from portal pages');
      const { verdict, audit: entry } = await checkScan({
        text: request.text,
        portal: sender.portal,
        settings: await settings(),
        db,
        now: Date.now(),
        scanId: crypto.randomUUID(),
      });
      // Written before the page is told: every scan, accepted or refused, is on the trail.
      await audit.append(entry);
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
      const current = await settings();
      const portal = current.portals[sender.portal];
      return { enabled: portal.enabled, goodsName: portal.goodsName, overrides: current.locatorOverrides };
    },
    'ticket.lookup': async (request) => {
      const current = await settings();
      if (!current.bridge.baseUrl) return { ticket: null, reason: 'no-bridge' as const };
      try {
        const client = createBridgeClient({ baseUrl: current.bridge.baseUrl, storeCode: current.storeCode, secret: current.bridge.secret });
        const found = await client.getTicket(request.orderNo);
        if (!found) return { ticket: null, reason: 'not-found' as const };
        const ticket = FullTicketSchema.safeParse({ kind: 'full', store: found.store, orderNo: found.orderNo, issuedAt: found.issuedAt, totalFen: found.totalFen, items: found.items.map(({ code, qty, unitFen }) => ({ code, qty, unitFen })) });
        return ticket.success ? { ticket: ticket.data, reason: 'found' as const } : { ticket: null, reason: 'not-found' as const };
      } catch {
        return { ticket: null, reason: 'unreachable' as const };
      }
    },
    'fill.started': async (request, sender) => {
      if (sender.kind !== 'portal') throw new Error('fills happen on portal pages');
      await browser.storage.session.set({ [sessionKey(sender.tabId)]: { scanId: request.scanId, ticket: request.ticket, portal: sender.portal, at: Date.now() } });
      await audit.append({ type: 'fill.started', portal: sender.portal, orderNo: request.ticket.orderNo, detail: { scanId: request.scanId } });
      return { ok: true };
    },
    'fill.checkpoint': async (request, sender) => {
      if (sender.kind !== 'portal') throw new Error('fills happen on portal pages');
      await updateSession(sender.tabId, { resumeAt: request.resumeAt, at: Date.now() });
      await auditSteps(request.steps, request.scanId, request.orderNo, sender.portal);
      return { ok: true };
    },
    'fill.resume': async (_request, sender) => {
      if (sender.kind !== 'portal' || sender.frameId !== 0) return { resume: null };
      const session = await fillSession(sender.tabId);
      if (!session || session.resumeAt === undefined || session.portal !== sender.portal || Date.now() - session.at > RESUME_WINDOW_MS) {
        return { resume: null };
      }
      // resumed once: a later reload of the same page must not run the steps again
      await updateSession(sender.tabId, { resumeAt: undefined });
      await audit.append({ type: 'fill.resumed', portal: sender.portal, orderNo: session.ticket.orderNo, detail: { scanId: session.scanId, resumeAt: session.resumeAt } });
      return { resume: { scanId: session.scanId, ticket: session.ticket, resumeAt: session.resumeAt } };
    },
    'fill.report': async (request, sender) => {
      const portal = sender.kind === 'portal' ? sender.portal : undefined;
      if (sender.kind === 'portal') await updateSession(sender.tabId, { resumeAt: undefined });
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
      const answer = await captureSettlement(request.capture, {
        db,
        audit,
        portal: sender.portal,
        sessionOrderNo: await sessionOrderNo(sender),
        now: Date.now(),
      });
      await updateBadge();
      return answer;
    },
    ...supervisorHandlers(supervisorDeps),
    // tenders.list, tender.post, tender.manual, settlement.confirm (the popup)
    ...tenderHandlers({ db, audit, settings, outbox, onChange: () => void updateBadge() }),
  };

  const extensionOrigin = new URL(browser.runtime.getURL('/')).origin;

  browser.runtime.onMessage.addListener((message: unknown, rawSender: RuntimeSender, sendResponse: (answer: unknown) => void) => {
    const sender = classifySender(rawSender, browser.runtime.id, extensionOrigin);
    const request = AnyRequestSchema.safeParse(message);
    if (!sender || !request.success) {
      sendResponse({ refused: true, reason: sender ? 'malformed message' : 'unknown sender' });
      return false;
    }
    const type = request.data.type;
    const handler = handlers[type] as Handler<typeof type>;
    handler(request.data, sender)
      .then((answer) => sendResponse(requestSchemas[type].response.parse(answer)))
      .catch((error: unknown) => sendResponse({ refused: true, reason: error instanceof Error ? error.message : String(error) }));
    return true;
  });

  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === OUTBOX_ALARM) void outbox.drain();
    if (alarm.name === PENDING_ALERT_ALARM) void pendingAlertTick(supervisorDeps);
  });
  void browser.alarms.create(PENDING_ALERT_ALARM, { periodInMinutes: 1 });
  browser.notifications.onClicked.addListener((id) => {
    if (id.startsWith('tb-pending-')) void browser.tabs.create({ url: browser.runtime.getURL('/log.html') });
  });
  // Listening for start-up is what makes the browser start this worker when it starts, so a
  // tender left queued by the last session goes out without waiting for the cashier.
  browser.runtime.onStartup.addListener(() => void outbox.drain());
  browser.tabs.onRemoved.addListener((tabId) => void browser.storage.session.remove(sessionKey(tabId)));
  onSettingsChanged(() => {
    void outbox.settingsChanged();
    void updateBadge();
  });
  // Whatever woke the worker (browser start, an alarm, a message), pick up where it left off.
  void outbox.drain();
  void updateBadge();
}
