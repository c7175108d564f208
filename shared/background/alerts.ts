import { browser } from 'wxt/browser';
import type { TenderBridgeDb } from '@/shared/db';
import { SUPERVISOR_STATES } from './outbox';
import { unpostedSettlements } from './unposted';

/** a small orange square: Chrome's basic notifications need an icon */
const ALERT_ICON =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAAAaElEQVR42u3XwQ0AEAyF4Q7jbv8xTMQAQlBtn3gS5/870Yq8dkrKdXZDoqaY07gaoQ2rILfjWwir+DIiFGAdnyK84kPE3wDveIcggAACwgF8CSEA4d8xJyKYoRRiLIdYTGBWM4jl1PI00NL6MMKDqZMAAAAASUVORK5CYII=';

/** Notification ids start with this: a click on any of them opens the log (see main.ts). */
export const ALERT_ID_PREFIX = 'tb-pending-';

/** A supervisor's alert: a system notification that opens the daily log when clicked. */
export async function notifySupervisor(topic: string, title: string, message: string): Promise<void> {
  await browser.notifications.create(`${ALERT_ID_PREFIX}${topic}-${Date.now()}`, { type: 'basic', priority: 2, iconUrl: ALERT_ICON, title, message });
}

/**
 * The toolbar badge: how many settlements are not yet in Yingke (whatever their age); red when one
 * needs a supervisor or waits longer than settings.pendingAlertMinutes, orange otherwise.
 */
export class Badge {
  /** settlements waiting longer than settings.pendingAlertMinutes (from the pending-alert check) */
  private overdue = 0;
  constructor(private readonly db: TenderBridgeDb) {}

  async setOverdue(count: number): Promise<void> {
    this.overdue = count;
    await this.update();
  }

  async update(): Promise<void> {
    const open = await unpostedSettlements(this.db);
    const flagged = open.filter(({ tender }) => tender !== undefined && (SUPERVISOR_STATES.has(tender.state) || tender.state === 'unauthorized')).length;
    await browser.action.setBadgeText({ text: open.length ? String(open.length) : '' });
    await browser.action.setBadgeBackgroundColor({ color: flagged || this.overdue > 0 ? '#d1242f' : '#e6a23c' });
  }

  /** for callbacks that must not fail: the badge is a convenience, never a reason to refuse */
  refresh = (): void => void this.update().catch(() => undefined);
}
