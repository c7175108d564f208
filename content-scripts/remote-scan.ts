import { browser } from 'wxt/browser';
import type { RemoteScanAnswer } from '@/shared/messages';
import { asRemoteScan } from './inbound-commands';
import { isTicketCandidate as gunTicketCandidate } from './scan-feature';

/**
 * Tickets read outside the page — the popup's camera or a picture — arrive as a 'scan.remote'
 * message (browser.tabs.sendMessage to the top frame). Only the extension's own pages may send
 * one: the sender must be this extension, and a page of its own origin — not a content script
 * (whose sender carries the web page's URL and its tab); web pages cannot reach
 * runtime.onMessage at all. When a browser gives no URL, only a sender without a tab passes.
 * The popup opened as a tab (to ask for the camera) is an extension page too, though it has a
 * tab. The text then goes to `onScan`, the same handler a gun scan reaches, so every check and
 * the audit stay where they are. Anything else is ignored without an answer.
 */
export interface RemoteScanSender {
  id?: string;
  url?: string;
  tab?: unknown;
}

/**
 * This extension, from one of its own pages (popup, options, the popup opened in a tab).
 * `extensionBase` is browser.runtime.getURL('/') ("chrome-extension://<id>/"): compared as a
 * prefix, since URL parsers disagree on the origin of extension schemes.
 */
export function isOwnExtensionPage(sender: RemoteScanSender | undefined, extensionId: string, extensionBase: string): boolean {
  if (!sender || sender.id !== extensionId) return false;
  if (sender.url !== undefined) return extensionBase.endsWith('/') && sender.url.startsWith(extensionBase);
  return sender.tab === undefined;
}

export interface RemoteScanOptions {
  signal: AbortSignal;
  /** the gun-scan handler (scan-feature's handleScan) */
  onScan: (text: string) => void;
  /** what the gun path takes as ours (default: the wedge's own filter); the rest is answered NOT_A_TICKET */
  isTicketCandidate?: (text: string) => boolean;
}

/** The decision alone, for tests: null = not for us (no answer), else the answer to send. */
export function acceptRemoteScan(
  message: unknown,
  sender: RemoteScanSender,
  extension: { id: string; base: string },
  isTicketCandidate: (text: string) => boolean,
): { text: string | null; answer: RemoteScanAnswer } | null {
  if (!isOwnExtensionPage(sender, extension.id, extension.base)) return null;
  const scan = asRemoteScan(message);
  if (!scan) return null;
  if (!isTicketCandidate(scan.text)) return { text: null, answer: { accepted: false, reason: 'NOT_A_TICKET' } };
  return { text: scan.text, answer: { accepted: true } };
}

export function listenForRemoteScans({ signal, onScan, isTicketCandidate = gunTicketCandidate }: RemoteScanOptions): void {
  if (signal.aborted) return;
  const extension = { id: browser.runtime.id, base: browser.runtime.getURL('/') };
  const listener = (message: unknown, sender: RemoteScanSender, sendResponse: (answer: RemoteScanAnswer) => void): false => {
    const decision = acceptRemoteScan(message, sender, extension, isTicketCandidate);
    if (!decision) return false;
    sendResponse(decision.answer);
    if (decision.text !== null) onScan(decision.text);
    return false;
  };
  browser.runtime.onMessage.addListener(listener);
  signal.addEventListener('abort', () => browser.runtime.onMessage.removeListener(listener), { once: true });
}
