import type { Settings } from '@/shared/settings';
import { PORTAL_IDS, type PortalId } from '@/providers/registry';

/**
 * What the views need from the export without loading it: the export (exporting.ts, the .xlsx
 * writer) is its own chunk, loaded when a supervisor exports, so the day view starts without it.
 */

/** Days with their audit entries in the file: a month at most (a sheet holds ~1M rows). */
export const MAX_AUDIT_DAYS = 31;

export function paymentMethodIds(settings: Settings): Partial<Record<PortalId, number>> {
  return Object.fromEntries(PORTAL_IDS.map((p) => [p, settings.portals[p].paymentMethodId]));
}
