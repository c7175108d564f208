// A complete version-1 settings object, as the options page sends it with 'settings.save' (the
// message's schema wants every field: a partial object is refused as malformed before anything
// else is checked).

const PORTAL_NAMES = { boming: '博明卡', guohui: '国惠通', yuanfu: '国惠通', ruyitong: '如医通', huiyika: '慧医卡' };

/**
 * @param {{ storeCode?: string, cashierId?: string, baseUrl?: string }} [values]
 * @returns {Record<string, unknown>}
 */
export function fullSettings(values = {}) {
  /** @type {Record<string, unknown>} */
  const portals = {};
  for (const [id, name] of Object.entries(PORTAL_NAMES)) portals[id] = { enabled: true, paymentMethodId: 0, paymentMethodName: name, goodsName: '', limits: {} };
  return {
    version: 1,
    storeCode: values.storeCode ?? '',
    cashierId: values.cashierId ?? '',
    bridge: { baseUrl: values.baseUrl ?? '', secret: '', unreachableMinutes: 10 },
    maxTicketAgeHours: 24,
    portals,
    locatorOverrides: {},
    pendingAlertMinutes: 30,
    retentionDays: 400,
    portalPacks: [],
  };
}
