import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { startPortalServer } from './harness/portal-server.mjs';
import { launchBrowser } from './harness/browser.mjs';
import { gunScan } from './harness/keys.mjs';
import { createRuyitongSimulator } from './sim/ruyitong/server.mjs';
import { startBridgeSimulator } from './bridge-sim/server.mjs';
import type { TicketItem } from '../shared/ticket';
import { seedSettings, waitForOverlay } from './support/extension.mjs';
import { waitForCardText, waitUntil } from './support/cashier';
import {
  THREE_LINES,
  appState,
  customerPays,
  nextOrderNo,
  openTrade as openTradeIn,
  postAndWait,
  postFromPopup as postIn,
  refundOnPortal,
  scanAndFill,
  sellThroughPortal as sellIn,
  ticketFor,
  type Harness,
  type RuyitongOrder as Order,
} from './support/ruyitong';

/**
 * Issue 3 on the 如医通 simulator: scan → fill → the customer pays → capture → 「下账」 in the
 * popup → exactly one correctly signed tender on the bridge; and the ways that can go wrong.
 */
type Tender = { tenderId: string; kind: string; orderNo: string; amountFen: number; cashFen: number; vendorOrderNo: string; paymentMethodId: number; paymentMethodName: string; refundOf?: string; cardMasked?: string; provider: string };
type Settlement = { id: string; kind: string; status: string; orderNo: string; vendorOrderNo: string; amountFen: number; cashFen: number };

const sim = createRuyitongSimulator({ latency: [20, 120] });
let server: Awaited<ReturnType<typeof startPortalServer>>;
let bridge: Awaited<ReturnType<typeof startBridgeSimulator>>;
let harness: Harness;

/** The trade page in the current browser (the restart test replaces `harness`). */
const openTrade = (): Promise<Page> => openTradeIn(harness);

const sellThroughPortal = (orderNo: string, items: TicketItem[], cashYuan?: string): Promise<{ page: Page; order: Order }> =>
  sellIn(harness, sim, orderNo, items, cashYuan);

async function settlementsFor(orderNo: string): Promise<Settlement[]> {
  return ((await harness.readStore('settlements')) as Settlement[]).filter((s) => s.orderNo === orderNo);
}

const postFromPopup = (settlementId: string): Promise<Page> => postIn(harness, settlementId);

function tendersFor(orderNo: string): Tender[] {
  return (bridge.tenders() as Tender[]).filter((t) => t.orderNo === orderNo);
}

async function badgeText(): Promise<string> {
  const worker = await harness.serviceWorker();
  // chrome is the worker's global, not this file's
  return worker.evaluate(() => (globalThis as unknown as { chrome: { action: { getBadgeText(d: object): Promise<string> } } }).chrome.action.getBadgeText({}));
}

beforeAll(async () => {
  bridge = await startBridgeSimulator({ stores: { S0012: 'store-secret' } });
  server = await startPortalServer({ simulators: [sim] });
  harness = await launchBrowser({ portalPort: server.port });
  await seedSettings(harness, {
    storeCode: 'S0012',
    cashierId: 'C01',
    bridge: { baseUrl: bridge.url, secret: 'store-secret' },
    portals: {
      boming: { enabled: true, paymentMethodId: 21, paymentMethodName: '博明卡', goodsName: '', limits: {} },
      guohui: { enabled: true, paymentMethodId: 22, paymentMethodName: '国惠通', limits: {} },
      yuanfu: { enabled: true, paymentMethodId: 22, paymentMethodName: '国惠通', limits: {} },
      ruyitong: { enabled: true, paymentMethodId: 27, paymentMethodName: '如医通', limits: {} },
      huiyika: { enabled: true, paymentMethodId: 28, paymentMethodName: '慧医卡', limits: {} },
    },
  });
}, 60_000);

afterAll(async () => {
  await harness?.close();
  await server?.close();
  await bridge?.close();
});

beforeEach(() => {
  sim.control.cardBalanceFen = null;
  sim.control.failNextPayment = false;
});

describe('如医通 end to end', () => {
  it('fills a 3-line ticket, captures the payment and posts exactly one signed tender', async () => {
    const orderNo = nextOrderNo();
    const page = await openTrade();
    await scanAndFill(page, orderNo, THREE_LINES);
    const app = await appState(page);
    expect(app.step).toBe('credential');
    expect(app.storeOrderNo).toBe(orderNo);
    expect(app.cart.map(({ barcode, qty, unitFen }) => ({ code: barcode, qty, unitFen }))).toEqual(THREE_LINES);

    await customerPays(page);
    await waitForOverlay(page, (s) => s.code === 'CAPTURED', 20_000);
    const [settlement, ...more] = await settlementsFor(orderNo);
    expect(more).toEqual([]);
    expect(settlement).toMatchObject({ kind: 'sale', status: 'success', amountFen: 2 * 1750 + 2600 + 3 * 3400, cashFen: 0 });
    expect(await badgeText()).not.toBe('');

    const popup = await postFromPopup(settlement!.id);
    await waitForCardText(popup, settlement!.id, '已下账，凭证号');
  expect(await popup.$(`section[data-settlement="${settlement!.id}"][data-state="posted"]`)).not.toBeNull();
    const tenders = tendersFor(orderNo);
    expect(tenders).toHaveLength(1);
    expect(tenders[0]).toMatchObject({
      tenderId: settlement!.id,
      kind: 'sale',
      provider: 'ruyitong',
      paymentMethodId: 27,
      paymentMethodName: '如医通',
      amountFen: 16300,
      cashFen: 0,
      vendorOrderNo: settlement!.vendorOrderNo,
      cardMasked: '110101********1234',
    });
    // the simulator verified the HMAC signature: an unsigned or mis-signed call would be a 401
    expect(bridge.calls().filter((c) => c.status === 401)).toEqual([]);
    await waitUntil('badge back to 0', async () => (await badgeText()) === '');
    await popup.close();
    await page.close();
  });

  it('stops with a clear message when a barcode is not on the portal, and posts nothing', async () => {
    const orderNo = nextOrderNo();
    const page = await openTrade();
    await gunScan(page, ticketFor(orderNo, [{ code: '6900000000007', qty: 1, unitFen: 990 }]));
    const shown = await waitForOverlay(page, (s) => s.kind === 'error', 30_000);
    expect(shown.code).toBe('FILL_GOODS_NOT_FOUND');
    expect(shown.text).toContain('6900000000007');
    expect(await settlementsFor(orderNo)).toEqual([]);
    expect(tendersFor(orderNo)).toEqual([]);
    await page.close();
  });

  it('captures a cash split and posts it with cashFen', async () => {
    sim.control.cardBalanceFen = 5000;
    const orderNo = nextOrderNo();
    const items = [{ code: '6923456789012', qty: 2, unitFen: 2600 }];
    const { page, order } = await sellThroughPortal(orderNo, items, '2.00');
    expect(order).toMatchObject({ totalFen: 5200, cardFen: 5000, cashFen: 200 });
    const [settlement] = await settlementsFor(orderNo);
    expect(settlement).toMatchObject({ amountFen: 5000, cashFen: 200 });
    await postAndWait(harness, settlement!.id);
    expect(tendersFor(orderNo)).toEqual([expect.objectContaining({ amountFen: 5000, cashFen: 200 })]);
    await page.close();
  });

  it('never makes a second settlement from a success shown again', async () => {
    const orderNo = nextOrderNo();
    const { page } = await sellThroughPortal(orderNo, [{ code: '6923456789012', qty: 1, unitFen: 2600 }]);
    // a re-render: the same result dialog rebuilt as new DOM
    await page.evaluate(() => {
      const dialog = Array.from(document.querySelectorAll('.el-dialog')).find((d) => d.textContent?.includes('交易成功'));
      if (dialog) document.body.append(dialog.cloneNode(true));
    });
    await waitForOverlay(page, (s) => s.code === 'CAPTURED_AGAIN', 10_000);
    // a reload, and the back button
    await page.reload();
    await page.goBack().catch(() => undefined);
    expect(await settlementsFor(orderNo)).toHaveLength(1);
    await page.close();
  });

  it('captures a 退货 as a refund of the original sale and posts it with refundOf', async () => {
    const orderNo = nextOrderNo();
    const { page, order } = await sellThroughPortal(orderNo, [{ code: '6923456789012', qty: 1, unitFen: 2600 }]);
    const [sale] = await settlementsFor(orderNo);
    await refundOnPortal(page, order.vendorOrderNo);
    const refund = (await settlementsFor(orderNo)).find((s) => s.kind === 'refund');
    expect(refund).toMatchObject({ amountFen: 2600, status: 'success' });
    await postAndWait(harness, refund!.id);
    expect(tendersFor(orderNo).find((t) => t.kind === 'refund')).toMatchObject({ refundOf: sale!.id, amountFen: 2600, tenderId: refund!.id });
    await page.close();
  });
});

describe('如医通: the bridge failing', () => {
  async function saleReadyToPost(): Promise<{ orderNo: string; settlement: Settlement; page: Page }> {
    const orderNo = nextOrderNo();
    const { page } = await sellThroughPortal(orderNo, [{ code: '6923456789012', qty: 1, unitFen: 2600 }]);
    const [settlement] = await settlementsFor(orderNo);
    return { orderNo, settlement: settlement!, page };
  }

  async function postedEventually(orderNo: string, timeoutMs = 30_000): Promise<void> {
    await waitUntil('the tender on the bridge', async () => tendersFor(orderNo).length > 0, timeoutMs);
    const settlementId = (await settlementsFor(orderNo))[0]!.id;
    await waitUntil('the tender marked posted', async () => {
      const tenders = (await harness.readStore('tenders')) as Array<{ tenderId: string; state: string }>;
      return tenders.find((t) => t.tenderId === settlementId)?.state === 'posted';
    });
  }

  it('500, then the bridge recovers: posted once', async () => {
    const { orderNo, settlement, page } = await saleReadyToPost();
    bridge.failNext('status500', 1);
    const popup = await postFromPopup(settlement.id);
    await waitForCardText(popup, settlement.id, '已放入待发队列', 10_000);
    await postedEventually(orderNo);
    expect(tendersFor(orderNo)).toHaveLength(1);
    const posts = bridge.calls().filter((c) => c.method === 'POST' && c.idempotencyKey === settlement.id);
    expect(posts.length).toBeGreaterThanOrEqual(2);
    await popup.close();
    await page.close();
  });

  it('the answer is lost after recording: the retry is recognised, one tender', async () => {
    const { orderNo, settlement, page } = await saleReadyToPost();
    bridge.failNext('loseAnswer', 1);
    const popup = await postFromPopup(settlement.id);
    await postedEventually(orderNo);
    expect(tendersFor(orderNo)).toHaveLength(1);
    const statuses = bridge.calls().filter((c) => c.idempotencyKey === settlement.id).map((c) => c.status);
    expect(statuses).toContain(200);
    await popup.close();
    await page.close();
  });

  it('the service worker is stopped mid-retry: it picks the tender up when it wakes', async () => {
    const { orderNo, settlement, page } = await saleReadyToPost();
    bridge.failNext('status503', 1);
    const popup = await postFromPopup(settlement.id);
    await waitForCardText(popup, settlement.id, '已放入待发队列', 10_000);
    await popup.close();
    await harness.stopServiceWorker();
    // wake it the way a cashier would: open the popup again (after the retry came due)
    await new Promise((r) => setTimeout(r, 5_500));
    const again = await harness.openExtensionPage('popup.html');
    await postedEventually(orderNo);
    expect(tendersFor(orderNo)).toHaveLength(1);
    await again.close();
    await page.close();
  });
});

describe('如医通: the browser restarts with a tender pending', () => {
  it('posts it after the restart, once', async () => {
    const orderNo = nextOrderNo();
    const { page } = await sellThroughPortal(orderNo, [{ code: '6923456789012', qty: 1, unitFen: 2600 }]);
    const [settlement] = await settlementsFor(orderNo);
    bridge.failNext('status503', 1);
    const popup = await postFromPopup(settlement!.id);
    await waitForCardText(popup, settlement!.id, '已放入待发队列', 10_000);
    await page.close();
    const profile = harness.userDataDir;
    await harness.browser.close();
    harness = await launchBrowser({ portalPort: server.port, userDataDir: profile });
    await waitUntil('the tender on the bridge after restart', async () => tendersFor(orderNo).length > 0, 40_000);
    expect(tendersFor(orderNo)).toHaveLength(1);
  });
});
