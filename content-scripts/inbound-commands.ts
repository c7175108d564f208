import type { PortalDefinition } from '@/providers/types';
import type { RemoteScan } from '@/shared/messages';

/**
 * Hand checks of the commands the portal tab's top frame takes from this extension's own pages
 * (browser.tabs.sendMessage), so that zod stays out of the content script (issue 13: ≤ 40 KB gzip).
 * They accept exactly what RemoteScanSchema / PackDryRunCommandSchema / TeachBeginCommandSchema in
 * shared/messages.ts accept at the envelope (test/inbound-commands.test.ts holds them side by
 * side). The sender is checked first (remote-scan.ts isOwnExtensionPage); a pack's definition is
 * the one the background validated in full before sending it (shared/background/pack-handlers.ts:
 * checkPack or the built-in definitions), so here only its outline is checked.
 */

export const REMOTE_SCAN_MAX_LENGTH = 2000;

/** A 'scan.remote' message, or null. */
export function asRemoteScan(message: unknown): RemoteScan | null {
  if (typeof message !== 'object' || message === null) return null;
  const { type, text } = message as { type?: unknown; text?: unknown };
  if (type !== 'scan.remote' || typeof text !== 'string' || text.length < 1 || text.length > REMOTE_SCAN_MAX_LENGTH) return null;
  return { type, text };
}

export type PackCommand = { type: 'pack.dryRun.run' | 'teach.begin'; definition: PortalDefinition };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The outline every definition the background sends has: its id, targets, sale flow and rules. */
function hasDefinitionOutline(value: unknown): value is PortalDefinition {
  if (!isRecord(value)) return false;
  const { id, targets, sale, capture, forbidden, guards, describe, lexicon, defaults, stepTimeoutMs } = value;
  return (
    typeof id === 'string' &&
    isRecord(targets) &&
    isRecord(sale) &&
    Array.isArray(capture) &&
    isRecord(forbidden) &&
    Array.isArray(forbidden.fill) &&
    Array.isArray(forbidden.click) &&
    Array.isArray(guards) &&
    isRecord(describe) &&
    isRecord(lexicon) &&
    isRecord(defaults) &&
    typeof stepTimeoutMs === 'number'
  );
}

/** A dry-run or teach-mode command with its definition, or null. */
export function asPackCommand(message: unknown): PackCommand | null {
  if (!isRecord(message)) return null;
  const { type, definition } = message;
  if (type !== 'pack.dryRun.run' && type !== 'teach.begin') return null;
  return hasDefinitionOutline(definition) ? { type, definition } : null;
}
