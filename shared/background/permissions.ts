import type { RequestType } from '@/shared/messages';
import type { SenderInfo } from './sender';

/**
 * Which kind of sender may send which message: the one table, enforced in one place (the
 * background's listener calls `mayRequest` before any handler runs). Anything not listed is
 * refused and audited as 'message.refused'.
 *
 * The table is a `Record<RequestType, …>`: a new message type without an entry here does not
 * type-check, so nobody can add a message and forget to say who may send it.
 *
 * Why content scripts get so little: a portal renderer is the least trusted place the extension
 * runs (the vendor's page, its ads, its injected scripts share the process). What it may do is
 * what a scan and a fill need; reading settlements, posting or writing tenders off, and supervisor
 * work come only from the extension's own pages.
 */
export const SENDER_KINDS = ['portal-top', 'portal-frame', 'popup', 'options', 'log', 'worker', 'extension-other'] as const;
export type SenderKind = (typeof SENDER_KINDS)[number];

const PORTAL_ANY: readonly SenderKind[] = ['portal-top', 'portal-frame'];
const PORTAL_TOP: readonly SenderKind[] = ['portal-top'];

export const MESSAGE_PERMISSIONS: Readonly<Record<RequestType, readonly SenderKind[]>> = {
  // every frame reads scans and shows the outcome in its own overlay
  'scan.submit': PORTAL_ANY,
  'scan.decide': PORTAL_ANY,
  // the frame that reads the scan drives the fill (an iframe work area fills itself); the
  // portal's definition is what every frame's filler and capture need
  'portal.config': PORTAL_ANY,
  // a bare order number's goods: the background looks them up itself for scans (checkScan)
  'ticket.lookup': ['popup'],
  'fill.started': PORTAL_ANY,
  'fill.checkpoint': PORTAL_ANY,
  // resuming after a full page load is the top frame's (the background answers frames with null)
  'fill.resume': PORTAL_TOP,
  'fill.report': PORTAL_ANY,
  // results may show in a frame of their own
  'settlement.capture': PORTAL_ANY,
  // a reloaded page sends again what this tab captured and the background has not stored yet
  'capture.unconfirmed': PORTAL_TOP,
  // an unmatched settlement tied to its Yingke ticket by the next scan, in whichever frame it came
  'settlement.attach': PORTAL_ANY,
  // a page script's attempt on the overlay, reported by our own content script
  'security.report': PORTAL_ANY,
  // the popup's list and its two buttons (the popup may be opened in a tab: still the popup)
  'tenders.list': ['popup'],
  'tender.post': ['popup'],
  'tender.manual': ['popup'],
  // 「确认无误」 on a settlement held because its order or amount differs from the ticket
  'settlement.confirm': ['popup'],
  // the bridge secret: written from the options page only, never read back by anyone
  'secret.status': ['options'],
  'secret.set': ['options'],
  // settings changes: the options page, signed in as a supervisor (checked by the handler)
  'settings.save': ['options'],
  // supervisor identity and the supervisors' daily log
  'supervisor.status': ['log', 'options'],
  // the first supervisor may be set up where it is first needed: the log page or the options page
  'supervisor.enroll': ['log', 'options'],
  'supervisor.verify': ['log', 'options'],
  'exception.handle': ['log'],
  'exception.reopen': ['log'],
  'reconcile.fetchYingke': ['log'],
  'vendor.import': ['log'],
  'export.record': ['log'],
  'retention.purge': ['log'],
  // portal packs (docs/packs.md): IT checks, dry-runs and teaches from the options page; the teach
  // panel on the portal's top frame hands back what it recorded
  'packs.status': ['options'],
  'packs.check': ['options'],
  'packs.dryRun': ['options'],
  'teach.start': ['options'],
  'teach.finished': PORTAL_TOP,
  'alerts.check': ['log', 'worker'],
  // the chain check against the bridge's audit heads (the secret stays in the background)
  'audit.anchorCheck': ['log'],
};

/** The extension page a path belongs to; pages WXT builds as `<name>.html`. */
const EXTENSION_PAGES: Readonly<Record<string, SenderKind>> = {
  '/popup.html': 'popup',
  '/options.html': 'options',
  '/log.html': 'log',
};

/** What kind of sender this is (the classified sender carries the origin's verdict already). */
export function senderKind(sender: SenderInfo): SenderKind {
  if (sender.kind === 'portal') return sender.frameId === 0 ? 'portal-top' : 'portal-frame';
  let path: string;
  try {
    path = new URL(sender.url).pathname;
  } catch {
    return 'extension-other';
  }
  // a message the service worker sends itself (Firefox delivers those to its own listener)
  if (path === '/background.js') return 'worker';
  return EXTENSION_PAGES[path] ?? 'extension-other';
}

export function mayRequest(type: RequestType, kind: SenderKind): boolean {
  return MESSAGE_PERMISSIONS[type].includes(kind);
}

/**
 * A refusal audit that a hostile page cannot use to flood the trail: per (sender kind, message
 * type), at most `burst` entries per `windowMs`; the rest are counted and the count goes into the
 * next entry that is written (`suppressed`).
 */
export class RefusalLimiter {
  private readonly windows = new Map<string, { start: number; written: number; suppressed: number }>();

  constructor(
    private readonly burst = 5,
    private readonly windowMs = 60_000,
  ) {}

  /** null: do not write now; a number: write, carrying that many suppressed since the last one. */
  admit(key: string, now: number): number | null {
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      const suppressed = window?.suppressed ?? 0;
      window = { start: now, written: 0, suppressed: 0 };
      this.windows.set(key, window);
      window.written = 1;
      return suppressed;
    }
    if (window.written < this.burst) {
      window.written += 1;
      const suppressed = window.suppressed;
      window.suppressed = 0;
      return suppressed;
    }
    window.suppressed += 1;
    // the map stays small: keys are kinds × types (× a few labels), all from fixed sets
    return null;
  }
}
