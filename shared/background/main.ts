import { browser } from 'wxt/browser';
import { AnyRequestSchema, requestSchemas, type RequestOf, type RequestType, type ResponseOf } from '@/shared/messages';
import { database } from '@/shared/db';
import { AuditLog } from '@/shared/audit';
import { loadSettings } from '@/shared/settings';
import { classifySender, type RuntimeSender, type SenderInfo } from './sender';
import { checkScan } from './scan-checks';

type Handler<T extends RequestType> = (request: RequestOf<T>, sender: SenderInfo) => Promise<ResponseOf<T>>;
type Handlers = { [T in RequestType]: Handler<T> };

export function startBackground(): void {
  const db = database();
  const audit = new AuditLog(db);

  const handlers: Handlers = {
    'scan.submit': async (request, sender) => {
      if (sender.kind !== 'portal') throw new Error('scans come from portal pages');
      const { settings } = await loadSettings();
      const { verdict, audit: entry } = await checkScan({
        text: request.text,
        portal: sender.portal,
        settings,
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
}
