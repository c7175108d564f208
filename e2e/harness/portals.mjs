// The five vendor portals as the harness sees them. Mirrors providers/registry.ts (which plain
// node cannot import); harness.e2e.test.ts asserts the two lists agree.

/** @typedef {'boming' | 'guohui' | 'yuanfu' | 'ruyitong' | 'huiyika'} PortalId */

/** @type {readonly PortalId[]} */
export const PORTAL_IDS = Object.freeze(['boming', 'guohui', 'yuanfu', 'ruyitong', 'huiyika']);

/** Hostname of each portal (served over https on the standard port, as in production). */
/** @type {Readonly<Record<PortalId, string>>} */
export const PORTAL_HOST = Object.freeze({
  boming: 'bmsy.51fmfit.com',
  guohui: 'webpos.guohuijiankang.com',
  yuanfu: 'sy.huibaofuda.com',
  ruyitong: 'saas.ringnex.com',
  huiyika: 'webpos.huiyika.com',
});

/** @type {readonly string[]} */
export const PORTAL_HOSTS = Object.freeze(PORTAL_IDS.map((id) => PORTAL_HOST[id]));

/**
 * `https://<host>` for a portal id.
 * @param {PortalId} id
 * @returns {string}
 */
export function portalOrigin(id) {
  return `https://${PORTAL_HOST[id]}`;
}

/**
 * @param {string} id
 * @returns {id is PortalId}
 */
export function isPortalId(id) {
  return /** @type {readonly string[]} */ (PORTAL_IDS).includes(id);
}
