import { browser } from 'wxt/browser';
import { database } from '@/shared/db';
import { AuditLog } from '@/shared/audit';
import { loadSettings, onSettingsChanged } from '@/shared/settings';
import { t } from '@/shared/i18n';
import { listen } from './router';
import { ALERT_ID_PREFIX, Badge, notifySupervisor } from './alerts';
import { FillSessions } from './fill-session';
import { CaptureJournal } from './capture-journal';
import { Outbox } from './outbox';
import { Anchoring, ANCHOR_PERIOD_MINUTES } from './anchor';
import { scanHandlers } from './scan-handlers';
import { fillHandlers } from './fill-handlers';
import { captureHandlers } from './capture-handlers';
import { tenderHandlers } from './tender-handlers';
import { pendingAlertTick, supervisorHandlers, type SupervisorDeps } from './supervisor';
import { refusalAuditor, securityHandlers } from './security';
import { packHandlers } from './pack-handlers';
import { installSettingsSeal } from './settings-seal';

const OUTBOX_ALARM = 'tenderbridge-outbox';
const PENDING_ALERT_ALARM = 'tenderbridge-pending-alert';
const ANCHOR_ALARM = 'tenderbridge-anchor';

/** The background: makes the shared pieces once and wires each area's handlers, alarms and events. */
export function startBackground(): void {
  const db = database();
  const audit = new AuditLog(db);
  // where storage.local stays open to content scripts (Firefox): settings only as a supervisor saved them
  void installSettingsSeal(audit).catch((error: unknown) => console.error('settings seal not installed', error));
  const settings = async () => (await loadSettings()).settings;
  const badge = new Badge(db);

  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  const outbox = new Outbox({
    db,
    audit,
    settings,
    onChange: badge.refresh,
    // answers that cannot be verified, a double tender: the supervisor's alert (audited by the outbox)
    onFlag: (flag) =>
      void notifySupervisor('flag', t('log_alert_title_flag'), flag.kind === 'double' ? t('pp_flag_double', flag.voucherNo) : t('pp_flag_unverified', String(flag.count))),
    // A timer while the worker lives, and an alarm that wakes it if it was stopped meanwhile.
    schedule: (at) => {
      clearTimeout(retryTimer);
      if (at === null) {
        void browser.alarms.clear(OUTBOX_ALARM);
        return;
      }
      retryTimer = setTimeout(() => void outbox.drain(), Math.max(0, at - Date.now()));
      void browser.alarms.create(OUTBOX_ALARM, { when: Math.max(at, Date.now() + 30_000) });
    },
  });

  const supervisorDeps: SupervisorDeps = {
    db,
    audit,
    settings,
    onAlert: async (check) => {
      await badge.setOverdue(check.overdue);
      if (check.newly.length) {
        await notifySupervisor('overdue', t('log_alert_title'), t('log_alert_message', [String(check.newly.length), String(check.thresholdMinutes)]));
      }
    },
  };
  const supervisor = supervisorHandlers(supervisorDeps);
  // audit heads to the bridge (anchor.ts); a HEAD_CONFLICT is the supervisor's alert
  const anchoring = new Anchoring({
    db,
    audit,
    settings,
    onConflict: (seq) => void notifySupervisor('anchor', t('log_alert_title_anchor'), t('log_anchor_conflict_alert', String(seq))),
  });

  /** the fill of each tab (fill-session.ts): what ties a settlement to a Yingke order */
  const sessions = new FillSessions(browser.storage.session);
  /** captures received and not yet committed (capture-journal.ts) */
  const journal = new CaptureJournal(browser.storage.session);
  const reportRefusal = refusalAuditor(audit);

  listen(
    {
      ...scanHandlers({ db, audit, settings, sessions }),
      ...fillHandlers({ audit, sessions }),
      ...captureHandlers({ db, audit, settings, sessions, journal, onChange: badge.refresh }),
      // tenders.list, tender.post, tender.manual, settlement.confirm (the popup)
      ...tenderHandlers({ db, audit, settings, outbox, onChange: badge.refresh }),
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
    },
    reportRefusal,
  );

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
    if (id.startsWith(ALERT_ID_PREFIX)) void browser.tabs.create({ url: browser.runtime.getURL('/log.html') });
  });
  // Listening for start-up is what makes the browser start this worker when it starts, so a
  // tender left queued by the last session goes out without waiting for the cashier.
  browser.runtime.onStartup.addListener(() => void outbox.drain());
  browser.tabs.onRemoved.addListener((tabId) => void sessions.forgetTab(tabId));
  onSettingsChanged(() => {
    void outbox.settingsChanged();
    badge.refresh();
  });
  // Whatever woke the worker (browser start, an alarm, a message), pick up where it left off.
  void outbox.drain();
  badge.refresh();
}
