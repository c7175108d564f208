import { z } from 'zod';
import { TicketSchema } from '@/shared/ticket-schema';

/**
 * A fill of one tab: the ticket it is for, and where a page load left it. A settlement is
 * attributed to a Yingke order only through this session, so it is kept short-lived: it expires
 * CAPTURE_WINDOW_MS after the fill started and is cleared by the capture it leads to (one
 * capture per fill). Kept in storage.session (the worker may stop between fill and payment).
 */
export const FillSessionSchema = z.object({
  scanId: z.string(),
  ticket: TicketSchema,
  portal: z.string(),
  /** when the fill started */
  startedAt: z.number().optional(),
  /** last activity (start, checkpoint): for resuming after a page load */
  at: z.number(),
  resumeAt: z.number().int().optional(),
});
export type FillSession = z.infer<typeof FillSessionSchema>;

/** A fill interrupted by a page load is resumed only soon after, on the same portal. */
export const RESUME_WINDOW_MS = 2 * 60_000;
/** How long after the fill started its payment may still be captured as this ticket's. */
export const CAPTURE_WINDOW_MS = 30 * 60_000;
/** How long an unmatched settlement waits for the scan that attaches it. */
export const ATTACH_WINDOW_MS = 30 * 60_000;

/** browser.storage.session's shape (a plain map in unit tests). */
export interface SessionArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

const PendingAttachSchema = z.object({ settlementId: z.string(), portal: z.string(), at: z.number() });
export type PendingAttach = z.infer<typeof PendingAttachSchema>;

export function fillSessionKey(tabId: number): string {
  return `fill-session:${tabId}`;
}
function attachKey(tabId: number): string {
  return `attach-pending:${tabId}`;
}

export class FillSessions {
  constructor(private readonly area: SessionArea) {}

  async get(tabId: number | undefined): Promise<FillSession | undefined> {
    if (tabId === undefined) return undefined;
    const parsed = FillSessionSchema.safeParse((await this.area.get(fillSessionKey(tabId)))[fillSessionKey(tabId)]);
    return parsed.success ? parsed.data : undefined;
  }

  async start(tabId: number, session: Omit<FillSession, 'at' | 'startedAt'>, now: number): Promise<void> {
    await this.area.set({ [fillSessionKey(tabId)]: { ...session, at: now, startedAt: now } });
    // a new fill in this tab: an older unmatched settlement is no longer what the next scan is for
    await this.area.remove(attachKey(tabId));
  }

  async update(tabId: number, change: Partial<FillSession>): Promise<void> {
    const current = await this.get(tabId);
    if (current) await this.area.set({ [fillSessionKey(tabId)]: { ...current, ...change } });
  }

  async clear(tabId: number): Promise<void> {
    await this.area.remove(fillSessionKey(tabId));
  }

  /**
   * The fill a result on this page belongs to: this tab's (or, for a receipt window, the tab
   * that opened it), on the same portal, started within the capture window.
   */
  async forCapture(sender: { tabId: number; openerTabId?: number; portal: string }, now: number): Promise<{ tabId: number; session: FillSession } | undefined> {
    for (const tabId of [sender.tabId, sender.openerTabId]) {
      if (tabId === undefined) continue;
      const session = await this.get(tabId);
      if (!session || session.portal !== sender.portal) continue;
      if (now - (session.startedAt ?? session.at) > CAPTURE_WINDOW_MS) {
        await this.clear(tabId);
        continue;
      }
      return { tabId, session };
    }
    return undefined;
  }

  async setPendingAttach(tabId: number, pending: PendingAttach): Promise<void> {
    await this.area.set({ [attachKey(tabId)]: pending });
  }

  async pendingAttach(tabId: number, portal: string, now: number): Promise<PendingAttach | undefined> {
    const parsed = PendingAttachSchema.safeParse((await this.area.get(attachKey(tabId)))[attachKey(tabId)]);
    if (!parsed.success || parsed.data.portal !== portal) return undefined;
    if (now - parsed.data.at > ATTACH_WINDOW_MS) {
      await this.area.remove(attachKey(tabId));
      return undefined;
    }
    return parsed.data;
  }

  async clearPendingAttach(tabId: number): Promise<void> {
    await this.area.remove(attachKey(tabId));
  }

  async forgetTab(tabId: number): Promise<void> {
    await this.area.remove(fillSessionKey(tabId));
    await this.area.remove(attachKey(tabId));
  }
}
