import { portalIdForOrigin } from '@/providers/registry';
import { BUILT_IN_DEFINITIONS } from '@/providers/built-in';
import { sendToBackground } from '@/shared/message-send';
import { Overlay } from './overlay';
import { startScanFeature } from './scan-feature';
import { listenForRemoteScans } from './remote-scan';
import { createFillFeature } from './fill-feature';
import { startCaptureFeature } from './capture-feature';
import { startGuardFeature } from './guard-feature';
import { listenForPackCommands } from './teach-listener';
import { copyDiagnostics } from './diagnostics';
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
 * Everything the extension does on a portal page, tied to one AbortSignal. Every frame reads
 * scans and watches for results in its own document. The frame that reads a scan drives the
 * fill, on the whole tab: from the top document down into its same-origin iframes (an admin
 * shell whose work area is an iframe, a pay form in an iframe), so the form is found in
 * whichever frame holds it. Keys reach only the focused frame, so one scan drives one fill.
 */
export function startPortalPage(signal: AbortSignal): void {
  // a page script's click on an overlay button is refused there; the background audits it (rate-limited)
  const overlay = new Overlay(document, signal, (label) => {
    void sendToBackground({ type: 'security.report', what: 'overlay.click', label: label.slice(0, 40) }).catch(() => undefined);
  });
  overlay.onDiagnostics = (content) =>
    void copyDiagnostics(document, { code: content.code, title: content.title, message: content.message, ...content.stop }).then((copied) =>
      overlay.show({ ...content, message: `${content.message ?? ''} ${t(copied ? 'ov_diagnostics_copied' : 'ov_diagnostics_not_copied')}` }),
    );
  const portal = portalIdForOrigin(location.origin);
  const definition = portal ? BUILT_IN_DEFINITIONS[portal] : undefined;
  const isTop = window.top === window;
  const filler = definition ? createFillFeature({ signal, overlay, definition, doc: tabDocument() }) : undefined;
  const scans = startScanFeature({ signal, overlay, onTicketReady: filler ? (ticket, scanId) => void filler.fill(ticket, scanId) : undefined });
  // The popup's camera / picture scans reach the top frame only, and take the gun's path from there.
  if (isTop) listenForRemoteScans({ signal, onScan: scans.handleScan });
  if (isTop && definition) listenForPackCommands({ signal });
  // A server-rendered portal loads a new page mid-flow: pick the fill up where it was.
  if (filler && isTop && definition?.sale.steps.some((step) => 'navigates' in step && step.navigates)) {
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

/** The tab's top document when this frame may reach it (same origin), else this frame's own. */
function tabDocument(): Document {
  try {
    const top = window.top;
    if (top && top !== window && top.location.origin === location.origin) return top.document;
  } catch {
    // a cross-origin parent: this frame's document is all we may touch
  }
  return document;
}
