// The minimal portal simulator set (e2e/sim/minimal) for startPortalServer().
import { fileURLToPath } from 'node:url';
import { PORTAL_IDS, PORTAL_HOST } from './portals.mjs';

/** @import { Simulator } from './portal-server.mjs' */

/** Directory of the minimal page (e2e/sim/minimal). */
export const MINIMAL_SIM_DIR = fileURLToPath(new URL('../sim/minimal/', import.meta.url));

/**
 * One minimal simulator per portal: the same plain page (title, #search, #notes, window.__pageLog)
 * on every real portal hostname, for foundation tests that need a portal origin but no POS.
 * @returns {Simulator[]}
 */
export function minimalSimulators() {
  return PORTAL_IDS.map((id) => ({ id, host: PORTAL_HOST[id], staticDir: MINIMAL_SIM_DIR }));
}
