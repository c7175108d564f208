import { Overlay } from './overlay';
import { startScanFeature } from './scan-feature';

/** Everything the extension does on a portal page, tied to one AbortSignal. */
export function startPortalPage(signal: AbortSignal): void {
  const overlay = new Overlay(document, signal);
  startScanFeature({ signal, overlay });
}
