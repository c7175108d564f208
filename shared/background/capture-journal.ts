import { z } from 'zod';
import { LooseCaptureSchema, type LooseCapture } from '@/shared/engine/capture-schema';
import type { SessionArea } from './fill-session';

/**
 * Captures the background has received but not yet committed to IndexedDB. Written to
 * storage.session (the extension's own, closed to content scripts) before the settlement write
 * starts and removed once it commits, so a capture outlives a page reload, a stuck or killed
 * worker and the tab's content script: the reloaded page asks for what is still open here
 * (`capture.unconfirmed`) and sends it again under the same captureId, which stores it once.
 * The content script keeps nothing of its own: the vendor's origin must hold none of our data.
 */
const JournalEntrySchema = z.object({
  captureId: z.string(),
  tabId: z.number().int(),
  portal: z.string(),
  capture: LooseCaptureSchema,
  reviewFlags: z.array(z.string()),
  at: z.number(),
});
export type JournalEntry = z.infer<typeof JournalEntrySchema>;

/** an entry older than this is left to the audit trail and the supervisor (the browser session is long over) */
const MAX_AGE_MS = 24 * 3_600_000;
const PREFIX = 'capture-journal:';

export interface JournalArea extends SessionArea {
  get(key: string | null): Promise<Record<string, unknown>>;
}

export class CaptureJournal {
  constructor(private readonly area: JournalArea) {}

  async open(entry: { captureId: string; tabId: number; portal: string; capture: LooseCapture; reviewFlags: string[] }, now: number): Promise<void> {
    await this.area.set({ [PREFIX + entry.captureId]: { ...entry, at: now } });
  }

  /** Whether this capture is still open (sent before, not confirmed stored). */
  async has(captureId: string): Promise<boolean> {
    const key = PREFIX + captureId;
    return (await this.area.get(key))[key] !== undefined;
  }

  async close(captureId: string): Promise<void> {
    await this.area.remove(PREFIX + captureId);
  }

  /** What a tab sent that is not stored yet, oldest first. */
  async openFor(tabId: number, portal: string, now: number): Promise<JournalEntry[]> {
    const all = await this.area.get(null);
    const entries: JournalEntry[] = [];
    for (const [key, value] of Object.entries(all)) {
      if (!key.startsWith(PREFIX)) continue;
      const parsed = JournalEntrySchema.safeParse(value);
      if (!parsed.success || now - parsed.data.at > MAX_AGE_MS) {
        await this.area.remove(key);
        continue;
      }
      if (parsed.data.tabId === tabId && parsed.data.portal === portal) entries.push(parsed.data);
    }
    return entries.sort((a, b) => a.at - b.at);
  }
}
