import { portalIdForOrigin, type PortalId } from '@/providers/registry';

/**
 * Who sent a runtime message. Only two kinds are ever answered: a content script of ours on one
 * of the five portal origins (the portal comes from the sender's origin, never from the message),
 * and the extension's own pages. Anything else (another extension, an unknown origin) is refused.
 */
export type SenderInfo =
  | { kind: 'portal'; portal: PortalId; tabId: number; frameId: number; url: string; openerTabId?: number }
  | { kind: 'extension'; url: string; documentId?: string };

export interface RuntimeSender {
  id?: string;
  url?: string;
  origin?: string;
  tab?: { id?: number; openerTabId?: number };
  frameId?: number;
  /** Chrome ≥ 106: one per loaded document (a reload is a new one) */
  documentId?: string;
}

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

export function classifySender(sender: RuntimeSender, extensionId: string, extensionOrigin: string): SenderInfo | null {
  if (sender.id !== extensionId) return null;
  const origin = sender.origin ?? originOf(sender.url);
  if (!origin || !sender.url) return null;
  if (origin === extensionOrigin) return { kind: 'extension', url: sender.url, ...(sender.documentId ? { documentId: sender.documentId } : {}) };
  const portal = portalIdForOrigin(origin);
  if (!portal || sender.tab?.id === undefined) return null;
  return {
    kind: 'portal',
    portal,
    tabId: sender.tab.id,
    frameId: sender.frameId ?? 0,
    url: sender.url,
    ...(sender.tab.openerTabId !== undefined ? { openerTabId: sender.tab.openerTabId } : {}),
  };
}

/**
 * One extension page, for a supervisor's sign-in: its document where the browser says which
 * (Chrome), else its URL (Firefox: every open log page shares the sign-in).
 */
export function pageKeyOf(sender: Extract<SenderInfo, { kind: 'extension' }>): string {
  return sender.documentId ?? sender.url;
}
