import { browser } from 'wxt/browser';
import type { RequestOf, RequestType, ResponseOf } from './messages';
import { MessageRefusedError, refusalReason } from './message-refusal';

export { MessageRefusedError };

/**
 * The content script's sender: the same typed requests as shared/messages.ts, but with the
 * schemas imported as types only, so zod stays out of the content script (its size goal, issue 13).
 * The answer is not re-parsed here: the background's router (shared/background/router.ts)
 * validates every request on the way in and every answer on the way out against the same schemas,
 * and only this extension can answer runtime.sendMessage. A refusal still throws.
 */
export async function sendToBackground<T extends RequestType>(request: RequestOf<T> & { type: T }): Promise<ResponseOf<T>> {
  const answer: unknown = await browser.runtime.sendMessage(request);
  const reason = refusalReason(answer);
  if (reason !== null) throw new MessageRefusedError(reason);
  if (answer === undefined || answer === null) throw new Error('no answer from the background');
  return answer as ResponseOf<T>;
}
