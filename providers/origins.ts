/**
 * The five vendor web-POS origins (../shared/spec/portals.md). The manifest's host permissions and
 * content-script matches, and the background's sender check, all derive from this one list.
 */
export const PORTAL_IDS = ['boming', 'guohui', 'yuanfu', 'ruyitong', 'huiyika'] as const;
export type PortalId = (typeof PORTAL_IDS)[number];

export const PORTAL_ORIGINS: Readonly<Record<PortalId, string>> = {
  boming: 'https://bmsy.51fmfit.com',
  guohui: 'https://webpos.guohuijiankang.com',
  yuanfu: 'https://sy.huibaofuda.com',
  ruyitong: 'https://saas.ringnex.com',
  huiyika: 'https://webpos.huiyika.com',
};

export const portalMatchPatterns: string[] = PORTAL_IDS.map((id) => `${PORTAL_ORIGINS[id]}/*`);

export function portalIdForOrigin(origin: string): PortalId | undefined {
  return PORTAL_IDS.find((id) => PORTAL_ORIGINS[id] === origin);
}
