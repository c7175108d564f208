/**
 * The portal registry: every fact about a portal that is not its page flow, once. The manifest's
 * host permissions and content-script matches, the background's sender check, the settings'
 * per-portal sections and default payment-method names, the log's chart colours and the portal
 * names on every page derive from here; the policy schema (public/managed_schema.json), the e2e
 * harness's host list (e2e/harness/portals.mjs) and the locale names are checked against it by
 * test/registry.test.ts. The flow of each portal is its provider file, providers/<id>.ts.
 * Origins: ../shared/spec/portals.md. This file imports nothing: everything may depend on it.
 */
export interface PortalFacts {
  /** the web-POS origin (https, no path) */
  readonly origin: string;
  /** as cashiers say it; the locale files' opt_portal_name_<id> must match (zh_CN, en) */
  readonly names: { readonly zh_CN: string; readonly en: string };
  /** Yingke payment-method (下账方式) name a store uses when its settings leave it empty (portals.md) */
  readonly paymentMethodName: string;
  /** the portal's colour in the supervisor's charts */
  readonly chartColour: string;
}

export const PORTAL_IDS = ['boming', 'guohui', 'yuanfu', 'ruyitong', 'huiyika'] as const;
export type PortalId = (typeof PORTAL_IDS)[number];

export const PORTALS: Readonly<Record<PortalId, PortalFacts>> = {
  boming: {
    origin: 'https://bmsy.51fmfit.com',
    names: { zh_CN: '博明卡', en: 'Boming card' },
    paymentMethodName: '博明卡',
    chartColour: '#0b5cad',
  },
  guohui: {
    origin: 'https://webpos.guohuijiankang.com',
    names: { zh_CN: '国惠健康', en: 'Guohui Health' },
    paymentMethodName: '国惠通',
    chartColour: '#1b7a3a',
  },
  yuanfu: {
    origin: 'https://sy.huibaofuda.com',
    names: { zh_CN: '员福好管家', en: 'Yuanfu Haoguanjia' },
    paymentMethodName: '国惠通',
    chartColour: '#b86e00',
  },
  ruyitong: {
    origin: 'https://saas.ringnex.com',
    names: { zh_CN: '如医通', en: 'Ruyitong' },
    paymentMethodName: '如医通',
    chartColour: '#b3261e',
  },
  huiyika: {
    origin: 'https://webpos.huiyika.com',
    names: { zh_CN: '慧医卡', en: 'Huiyika' },
    paymentMethodName: '慧医卡',
    chartColour: '#6b3fa0',
  },
};

/** One fact for every portal, keyed by id. */
export function perPortal<T>(pick: (facts: PortalFacts, id: PortalId) => T): Record<PortalId, T> {
  return Object.fromEntries(PORTAL_IDS.map((id) => [id, pick(PORTALS[id], id)])) as Record<PortalId, T>;
}

export const PORTAL_ORIGINS: Readonly<Record<PortalId, string>> = perPortal((p) => p.origin);

export const portalMatchPatterns: string[] = PORTAL_IDS.map((id) => `${PORTAL_ORIGINS[id]}/*`);

export function portalIdForOrigin(origin: string): PortalId | undefined {
  return PORTAL_IDS.find((id) => PORTAL_ORIGINS[id] === origin);
}
