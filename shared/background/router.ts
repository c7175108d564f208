import { browser } from 'wxt/browser';
import { AnyRequestSchema, requestSchemas, type RequestOf, type RequestType, type ResponseOf } from '@/shared/messages';
import { classifySender, type RuntimeSender, type SenderInfo } from './sender';
import { mayRequest, senderKind } from './permissions';
import type { refusalAuditor } from './security';

/** One message's handler: the request already validated, the sender already classified and allowed. */
export type Handler<T extends RequestType> = (request: RequestOf<T>, sender: SenderInfo) => Promise<ResponseOf<T>>;
/** Handlers for some of the message types: each area module (scan, fill, capture, …) returns its own. */
export type HandlersFor<T extends RequestType> = { [K in T]: Handler<K> };
export type Handlers = HandlersFor<RequestType>;

/**
 * The one door into the background: who sent it (sender.ts), whether it has a known shape
 * (messages.ts), whether that sender may ask it (permissions.ts), then the handler, whose answer is
 * validated on the way out too. Anything refused is audited (rate-limited) and answered as refused.
 */
export function listen(handlers: Handlers, reportRefusal: ReturnType<typeof refusalAuditor>): void {
  const extensionOrigin = new URL(browser.runtime.getURL('/')).origin;
  browser.runtime.onMessage.addListener((message: unknown, rawSender: RuntimeSender, sendResponse: (answer: unknown) => void) => {
    const sender = classifySender(rawSender, browser.runtime.id, extensionOrigin);
    const request = AnyRequestSchema.safeParse(message);
    const claimedType = typeof (message as { type?: unknown } | null)?.type === 'string' ? String((message as { type: string }).type).slice(0, 40) : '?';
    if (!sender || !request.success) {
      // a message from no sender of ours (another extension) or of no known shape
      void reportRefusal('message.refused', sender ? senderKind(sender) : 'unknown', claimedType, { reason: sender ? 'malformed' : 'unknown-sender' });
      sendResponse({ refused: true, reason: sender ? 'malformed message' : 'unknown sender' });
      return false;
    }
    const type = request.data.type;
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
}
