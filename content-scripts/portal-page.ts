import { portalIdForOrigin } from '@/providers/origins';
import { PORTAL_DEFINITIONS } from '@/providers';
import { Overlay } from './overlay';
import { startScanFeature } from './scan-feature';
import { createFillFeature } from './fill-feature';
import { startCaptureFeature } from './capture-feature';

/**
 * Everything the extension does on a portal page, tied to one AbortSignal. The top frame fills
 * (reaching into same-origin iframes); every frame reads scans and watches for results in its
 * own document.
 */
export function startPortalPage(signal: AbortSignal): void {
  const overlay = new Overlay(document, signal);
  const portal = portalIdForOrigin(location.origin);
  const definition = portal ? PORTAL_DEFINITIONS[portal] : undefined;
  const isTop = window.top === window;
  const filler = definition && isTop ? createFillFeature({ signal, overlay, definition }) : undefined;
  startScanFeature({ signal, overlay, onTicketReady: filler ? (ticket, scanId) => void filler.fill(ticket, scanId) : undefined });
  if (definition) {
    const start = (): void => startCaptureFeature({ signal, overlay, rules: definition.capture });
    // document_start: wait for the DOM before observing it
    if (document.documentElement) start();
    else document.addEventListener('DOMContentLoaded', start, { once: true, signal });
  }
}
