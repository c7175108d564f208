import { portalIdForOrigin } from '@/providers/origins';
import { PORTAL_DEFINITIONS } from '@/providers';
import { Overlay } from './overlay';
import { startScanFeature } from './scan-feature';
import { listenForRemoteScans } from './remote-scan';
import { createFillFeature } from './fill-feature';
import { startCaptureFeature } from './capture-feature';
import { startGuardFeature } from './guard-feature';
import { listenForPackCommands } from './teach-listener';
import { copyDiagnostics } from './diagnostics';
import { sendToBackground } from '@/shared/messages';
import { t } from '@/shared/i18n';
import type { PortalDefinition } from '@/providers/types';

/** The definition in force: a portal pack's, from the background, or the built-in one. */
function activeDefinition(builtIn: PortalDefinition): Promise<PortalDefinition> {
  return sendToBackground({ type: 'portal.config' }).then(
    (config) => config.definition ?? builtIn,
    () => builtIn,
  );
}

/**
 * Everything the extension does on a portal page, tied to one AbortSignal. The top frame fills
 * (reaching into same-origin iframes); every frame reads scans and watches for results in its
 * own document.
 */
export function startPortalPage(signal: AbortSignal): void {
  const overlay = new Overlay(document, signal);
  overlay.onDiagnostics = (content) =>
    void copyDiagnostics(document, { code: content.code, title: content.title, message: content.message, ...content.stop }).then((copied) =>
      overlay.show({ ...content, message: `${content.message ?? ''} ${t(copied ? 'ov_diagnostics_copied' : 'ov_diagnostics_not_copied')}` }),
    );
  const portal = portalIdForOrigin(location.origin);
  const definition = portal ? PORTAL_DEFINITIONS[portal] : undefined;
  const isTop = window.top === window;
  const filler = definition && isTop ? createFillFeature({ signal, overlay, definition }) : undefined;
  const scans = startScanFeature({ signal, overlay, onTicketReady: filler ? (ticket, scanId) => void filler.fill(ticket, scanId) : undefined });
  // The popup's camera / picture scans reach the top frame only, and take the gun's path from there.
  if (isTop) listenForRemoteScans({ signal, onScan: scans.handleScan });
  if (isTop && definition) listenForPackCommands({ signal });
  // A server-rendered portal loads a new page mid-flow: pick the fill up where it was.
  if (filler && definition?.sale.steps.some((step) => 'navigates' in step && step.navigates)) {
    const resume = (): void => void filler.resumeIfPending().catch(() => undefined);
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', resume, { once: true, signal });
    else resume();
  }
  if (definition) {
    const start = (): void =>
      void activeDefinition(definition).then((active) => {
        if (signal.aborted) return;
        startCaptureFeature({ signal, overlay, rules: active.capture });
        startGuardFeature({ signal, overlay, guards: active.guards });
      });
    // document_start: wait for the DOM before observing it
    if (document.documentElement) start();
    else document.addEventListener('DOMContentLoaded', start, { once: true, signal });
  }
}
