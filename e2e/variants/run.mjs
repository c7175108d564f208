// One variant, driven as the cashier and the customer would, with the extension loaded: how far did
// the extension get? Used by e2e/variants.e2e.test.ts and scripts/variants-report.mjs.
import { gunScan } from '../harness/keys.mjs';
import { PORTAL_SETTINGS, STORE, awaitOverlay, encodeYk1, isCaptured, isReady, isStop, nextOrderNo, readOverlay, totalOf } from './index.mjs';
import { until } from './hands.mjs';

/** @import { Page } from 'puppeteer-core' */
/** @import { Variant, Overlay } from './index.mjs' */
/** @import { Order } from './common/backend.mjs' */

/**
 * @typedef {object} RunResult
 * @property {string} variant
 * @property {string} portal
 * @property {string} kind
 * @property {'completed' | 'stopped' | 'no-progress' | 'wrong' | 'passed' | 'failed'} outcome
 *   sale: completed / stopped (the overlay showed a stop) / no-progress (nothing happened after the
 *   scan was read) / wrong (went through, but something is not right); expired and broken: passed / failed
 * @property {string} step the last step reached: scan → read → filled → paid → captured → posted
 * @property {Overlay | null} overlay what the overlay said last
 * @property {string} detail
 * @property {string} orderNo
 * @property {Order[]} orders the variant's orders for this ticket
 * @property {any[]} tenders what the bridge received for this ticket
 * @property {Record<string, unknown>} [expected]
 * @property {number} [rescans] scans repeated because the ticket landed in a field as typed text
 * @property {boolean} [namesMissingField] broken variants: the stop names the missing field in its own sentence
 */

/**
 * @param {any} harness launchBrowser() handle
 * @param {any} bridge startBridgeSimulator() handle
 */
export async function seedVariantSettings(harness, bridge) {
  const worker = await harness.serviceWorker();
  await worker.evaluate(async (/** @type {Record<string, unknown>} */ v) => {
    const current = (await chrome.storage.local.get('settings')).settings ?? { version: 1 };
    await chrome.storage.local.set({ settings: { ...current, version: 1, ...v } });
  }, { storeCode: STORE, cashierId: 'C07', bridge: { baseUrl: bridge.url, secret: 'store-secret' }, portals: PORTAL_SETTINGS });
}

/**
 * Opens the popup and presses 「下账」 on the settlement's card (by its text, as a person does).
 * @param {any} harness
 * @param {string} settlementId
 */
export async function pressPostInPopup(harness, settlementId) {
  /** @type {Page} */
  const popup = await harness.openExtensionPage('popup.html');
  try {
    const button = await popup.waitForFunction(
      (id) => {
        const card = document.querySelector(`section[data-settlement="${id}"]`);
        return Array.from(card?.querySelectorAll('button') ?? []).find((b) => (b.textContent ?? '').replace(/\s+/g, '') === '下账') ?? null;
      },
      { timeout: 10_000, polling: 50 },
      settlementId,
    );
    await /** @type {import('puppeteer-core').ElementHandle<Element>} */ (button).click();
    await popup.waitForSelector(`section[data-settlement="${settlementId}"][data-state="posted"]`, { timeout: 15_000 });
  } finally {
    await popup.close().catch(() => undefined);
  }
}

/**
 * The element holding the focus, through same-origin iframes.
 * @param {Page} page
 * @returns {Promise<{ tag: string, value: string } | null>}
 */
function focusedField(page) {
  return page.evaluate(() => {
    let doc = document;
    while (doc.activeElement instanceof HTMLIFrameElement && doc.activeElement.contentDocument) doc = doc.activeElement.contentDocument;
    const el = doc.activeElement;
    return el ? { tag: el.tagName.toLowerCase(), value: String(/** @type {HTMLInputElement} */ (el).value ?? '') } : null;
  }).catch(() => null);
}

/**
 * Scans; when the ticket landed in the focused field as typed text (on a heavily loaded machine
 * the gun's real key gaps can exceed what counts as a gun; seen here at load average ~20 on 2
 * cores), the cashier clears the field and scans again, as at a real till: up to two more times.
 * @param {Page} page
 * @param {string} ticket
 * @returns {Promise<number>} how many times it had to scan again
 */
async function scanLikeACashier(page, ticket) {
  for (let rescans = 0; ; rescans += 1) {
    await gunScan(page, ticket);
    const seen = await awaitOverlay(page, () => true, 5_000);
    if (seen.ok || rescans >= 2) return rescans;
    const field = await focusedField(page);
    if (!field || !field.value.includes('YK1|')) return rescans; // nothing typed into the page: no reason to think the scan was lost
    await page.evaluate(() => {
      let doc = document;
      while (doc.activeElement instanceof HTMLIFrameElement && doc.activeElement.contentDocument) doc = doc.activeElement.contentDocument;
      /** @type {HTMLInputElement} */ (doc.activeElement).select();
    });
    await page.keyboard.press('Backspace');
  }
}

/**
 * Runs one variant: registers it, opens the page, scans a fresh ticket, and goes as far as it can.
 * @param {{ harness: any, server: any, bridge: any, variant: Variant, readyTimeoutMs?: number }} args
 * @returns {Promise<RunResult>}
 */
export async function runVariant({ harness, server, bridge, variant, readyTimeoutMs = 30_000 }) {
  const sim = variant.create();
  server.setSimulator(variant.portal, sim);
  const orderNo = nextOrderNo();
  /** @type {RunResult} */
  const result = { variant: variant.id, portal: variant.portal, kind: variant.kind, outcome: 'no-progress', step: 'scan', overlay: null, detail: '', orderNo, orders: [], tenders: [] };
  const { page, ctx } = await variant.open(harness);
  const ordersOfTicket = () => /** @type {Order[]} */ (sim.state().orders).filter((o) => o.storeOrderNo === orderNo || variant.portal === 'huiyika');
  try {
    result.rescans = await scanLikeACashier(page, encodeYk1(STORE, orderNo, variant.items));
    const first = await awaitOverlay(page, (o) => isReady(o) || isStop(o) || /请先登录/.test(o.text), readyTimeoutMs);
    result.overlay = first.last;
    if (first.last) result.step = 'read';

    if (variant.kind === 'expired') {
      // it must say to log in, and fill nothing
      const said = await awaitOverlay(page, (o) => /请先登录/.test(o.text), 5_000);
      result.overlay = said.last ?? result.overlay;
      result.outcome = said.ok ? 'passed' : 'failed';
      result.detail = said.ok ? 'told the cashier to log in' : `did not say 「请先登录」`;
      return result;
    }
    if (variant.kind === 'broken') {
      const stop = await awaitOverlay(page, isStop, 5_000);
      result.overlay = stop.last ?? result.overlay;
      const pageState = await ctx.evaluate(() => /** @type {any} */ (window).__variant?.state() ?? null).catch(() => null);
      const wrongFill = pageState && (pageState.card || String(pageState.kw ?? '').includes(orderNo));
      // the stop's own sentence, not the summary's 「单号」 line
      const names = stop.last && /找不到[^。]*(小票号|门店订单号|门店单号|订单号)/.test(stop.last.text);
      result.namesMissingField = Boolean(names);
      result.outcome = stop.ok && names && !wrongFill && ordersOfTicket().length === 0 ? 'passed' : 'failed';
      result.detail = !stop.ok ? 'no stop shown' : wrongFill ? `filled something wrong: ${JSON.stringify(pageState)}` : !names ? 'stopped, filled nothing wrong, but the stop does not name the missing store-order-number field' : 'stopped, named the missing field, filled nothing wrong';
      return result;
    }

    if (!first.ok || !first.last || !isReady(first.last)) {
      result.outcome = first.last && isStop(first.last) ? 'stopped' : 'no-progress';
      const focused = await focusedField(page);
      result.detail = first.last
        ? `after the scan the overlay says: ${first.last.text}`
        : `no overlay after ${(result.rescans ?? 0) + 1} scan(s) (page now ${page.url()}; focus: ${focused ? `${focused.tag} holding ${JSON.stringify(focused.value)}` : 'nothing'})`;
      return result;
    }
    result.step = 'filled';
    try {
      await variant.customerPays?.(page, ctx);
    } catch (err) {
      result.outcome = 'wrong';
      result.detail = `the extension said ready, but the customer could not pay: ${String(err).slice(0, 300)}`;
      return result;
    }
    const paid = await until('the variant to record the payment', async () => ordersOfTicket().length > 0, 15_000).then(() => true, () => false);
    result.orders = ordersOfTicket();
    if (!paid) {
      result.outcome = 'wrong';
      result.detail = 'the customer paid, but the web-POS recorded no order for this ticket (the store order number missing or wrong?)';
      return result;
    }
    result.step = 'paid';
    const order = result.orders[0];
    const captured = await awaitOverlay(page, (o) => isCaptured(o) || isStop(o), 20_000);
    result.overlay = captured.last ?? result.overlay;
    if (!captured.ok || !captured.last || !isCaptured(captured.last)) {
      result.outcome = captured.last && isStop(captured.last) ? 'stopped' : 'no-progress';
      result.detail = `paid (vendor ${order?.vendorOrderNo}), but not captured`;
      return result;
    }
    result.step = 'captured';
    const settlements = /** @type {any[]} */ (await harness.readStore('settlements')).filter((s) => s.orderNo === orderNo);
    if (settlements.length !== 1) {
      result.outcome = 'wrong';
      result.detail = `${settlements.length} settlements stored for the ticket`;
      return result;
    }
    await pressPostInPopup(harness, settlements[0].id);
    result.step = 'posted';
    result.tenders = /** @type {any[]} */ (bridge.tenders()).filter((t) => t.orderNo === orderNo);
    const expected = {
      orderNo,
      provider: variant.portal,
      amountFen: totalOf(variant.items) - variant.cashFen,
      cashFen: variant.cashFen,
      vendorOrderNo: order?.vendorOrderNo,
    };
    result.expected = expected;
    const t = result.tenders[0];
    const right = result.tenders.length === 1 && Object.entries(expected).every(([k, v]) => t[k] === v) && order?.totalFen === totalOf(variant.items);
    result.outcome = right ? 'completed' : 'wrong';
    result.detail = right ? `one tender: ${t.amountFen} fen card + ${t.cashFen} fen cash, vendor ${t.vendorOrderNo}` : `tenders ${JSON.stringify(result.tenders.map((x) => ({ orderNo: x.orderNo, provider: x.provider, amountFen: x.amountFen, cashFen: x.cashFen, vendorOrderNo: x.vendorOrderNo })))} vs expected ${JSON.stringify(expected)}; web-POS total ${order?.totalFen}`;
    return result;
  } finally {
    result.overlay = result.overlay ?? (await readOverlay(page));
    result.orders = ordersOfTicket();
    await page.close().catch(() => undefined);
  }
}
