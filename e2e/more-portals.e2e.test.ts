import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame, Page } from 'puppeteer-core';
import { startPortalServer } from './harness/portal-server.mjs';
import { launchBrowser } from './harness/browser.mjs';
import { gunScan } from './harness/keys.mjs';
import { createBomingSimulator } from './sim/boming/server.mjs';
import { createGuohuiSimulator } from './sim/guohui/server.mjs';
import { createYuanfuSimulator } from './sim/yuanfu/server.mjs';
import { startBridgeSimulator } from './bridge-sim/server.mjs';
import { encodeTicket, type TicketItem } from '../shared/ticket';
import { storeIso } from '../shared/time';
import { closeOverlay, seedSettings, waitForOverlay } from './support/extension.mjs';
import { clickButton, typeByPlaceholder, waitForCardText, waitUntil } from './support/cashier';

/**
 * Issue 5: 博明卡, 国惠健康 and 员福好管家 cost one data file each. Scan → fill → the customer pays
 * → capture → 「下账」 → exactly one tender; and a renamed button fails safely until a settings
 * override maps it, on the same build.
 */
type Settlement = { id: string; orderNo: string; vendorOrderNo: string; amountFen: number; kind: string };
type Tender = { orderNo: string; provider: string; paymentMethodId: number; amountFen: number };

const boming = createBomingSimulator({ latency: [20, 100] });
const guohui = createGuohuiSimulator({ latency: [20, 100] });
const yuanfu = createYuanfuSimulator({ latency: [20, 100] });
let server: Awaited<ReturnType<typeof startPortalServer>>;
let bridge: Awaited<ReturnType<typeof startBridgeSimulator>>;
let harness: Awaited<ReturnType<typeof launchBrowser>>;
let seq = 0;

const PORTALS = {
  boming: { enabled: true, paymentMethodId: 21, paymentMethodName: '博明卡', goodsName: '', limits: {} },
  guohui: { enabled: true, paymentMethodId: 22, paymentMethodName: '国惠通', goodsName: '', limits: {} },
  yuanfu: { enabled: true, paymentMethodId: 22, paymentMethodName: '国惠通', goodsName: '', limits: {} },
};

function nextOrderNo(): string {
  seq += 1;
  return `XP${Date.now().toString().slice(-9)}${String(seq).padStart(3, '0')}`;
}

function ticketFor(orderNo: string, items: TicketItem[]): string {
  const totalFen = items.reduce((sum, i) => sum + i.qty * i.unitFen, 0);
  return encodeTicket({ store: 'S0012', orderNo, issuedAt: storeIso(Date.now() - 30_000), totalFen, items });
}

async function settlementsFor(orderNo: string): Promise<Settlement[]> {
  return ((await harness.readStore('settlements')) as Settlement[]).filter((s) => s.orderNo === orderNo);
}

async function postFromPopup(settlementId: string): Promise<void> {
  const popup = await harness.openExtensionPage('popup.html');
  const button = await popup.waitForSelector(`section[data-settlement="${settlementId}"] button[data-action="post"]`, { timeout: 10_000 });
  await button?.click();
  await waitForCardText(popup, settlementId, '已下账，凭证号');
  expect(await popup.$(`section[data-settlement="${settlementId}"][data-state="posted"]`)).not.toBeNull();
  await popup.close();
}

async function expectOneTender(orderNo: string, provider: string, amountFen: number): Promise<void> {
  const [settlement, ...more] = await settlementsFor(orderNo);
  expect(more).toEqual([]);
  expect(settlement).toMatchObject({ kind: 'sale', amountFen });
  await postFromPopup(settlement!.id);
  const tenders = (bridge.tenders() as Tender[]).filter((t) => t.orderNo === orderNo);
  expect(tenders).toEqual([expect.objectContaining({ provider, amountFen, paymentMethodId: PORTALS[provider as keyof typeof PORTALS].paymentMethodId })]);
}

async function scanAndWaitReady(page: Page, orderNo: string, items: TicketItem[]): Promise<void> {
  await gunScan(page, ticketFor(orderNo, items));
  const shown = await waitForOverlay(page, (s) => s.code === 'READY_FOR_CREDENTIAL' || s.kind === 'error', 45_000);
  if (shown.code !== 'READY_FOR_CREDENTIAL') throw new Error(`fill stopped: ${shown.code} ${shown.text}`);
}

beforeAll(async () => {
  bridge = await startBridgeSimulator({ stores: { S0012: 'store-secret' } });
  server = await startPortalServer({ simulators: [boming, guohui, yuanfu] });
  harness = await launchBrowser({ portalPort: server.port });
  await seedSettings(harness, { storeCode: 'S0012', cashierId: 'C03', bridge: { baseUrl: bridge.url, secret: 'store-secret' }, portals: PORTALS });
}, 60_000);

afterAll(async () => {
  await harness?.close();
  await server?.close();
  await bridge?.close();
});

describe('博明卡 (React, controlled inputs)', () => {
  let page: Page;

  async function openCashier(): Promise<void> {
    page = await harness.openPortal('boming', '/login');
    await page.setViewport({ width: 1400, height: 900 });
    // still logged in from an earlier test: the site goes straight to the cashier
    const loggedIn = await page.waitForFunction(() => location.pathname === '/cashier', { timeout: 1_500 }).then(() => true, () => false);
    if (!loggedIn) {
      await typeByPlaceholder(page, '请输入账号', 'bm_store01');
      await typeByPlaceholder(page, '请输入密码', 'secret');
      await clickButton(page, '登 录');
      await page.waitForFunction(() => location.pathname === '/cashier', { timeout: 10_000 });
    }
    await page.waitForSelector('input[role=combobox]');
  }

  async function customerPaysWithIdCard(): Promise<void> {
    await clickButton(page, '身份证', '[role=tab]');
    await typeByPlaceholder(page, '请输入或刷身份证号', '110101199003071234');
    await typeByPlaceholder(page, '请顾客输入6位支付密码', '135790');
    await clickButton(page, '确认支付');
    await waitForOverlay(page, (s) => s.code === 'CAPTURED', 20_000);
  }

  it('scan → fill → pay → capture → 下账: one tender, and React saw every value', async () => {
    await openCashier();
    const orderNo = nextOrderNo();
    const catalog = boming.catalog as Array<{ barcode: string }>;
    const items = [
      { code: catalog[0]!.barcode, qty: 2, unitFen: 1750 },
      { code: catalog[2]!.barcode, qty: 1, unitFen: 2600 },
    ];
    await scanAndWaitReady(page, orderNo, items);
    const app = await page.evaluate(() => (window as unknown as { __boming: { state(): { lines: Array<{ barcode: string; qty: number; unitFen: number }>; storeOrderNo: string } } }).__boming.state());
    expect(app.storeOrderNo).toBe(orderNo);
    expect(app.lines.map(({ barcode, qty, unitFen }) => ({ code: barcode, qty, unitFen }))).toEqual(items);
    await customerPaysWithIdCard();
    await expectOneTender(orderNo, 'boming', 6100);
    await page.close();
  });

  it('a renamed button fails safely; a settings override maps it and the same build completes', async () => {
    boming.control.renamed = { '下一步：验证顾客': '去验证' };
    try {
      await openCashier();
      const first = nextOrderNo();
      const code = (boming.catalog as Array<{ barcode: string }>)[2]!.barcode;
      await gunScan(page, ticketFor(first, [{ code, qty: 1, unitFen: 2600 }]));
      const stopped = await waitForOverlay(page, (s) => s.kind === 'error', 30_000);
      expect(stopped.code).toBe('FILL_MISSING');
      expect(stopped.text).toContain('下一步：验证顾客');
      expect(await settlementsFor(first)).toEqual([]);

      // IT re-maps the button from settings (no rebuild), the cashier scans again
      await seedSettings(harness, { locatorOverrides: { 'boming.verifyButton': [{ by: 'text', value: '去验证' }] } });
      await closeOverlay(page);
      await page.reload();
      await page.waitForFunction(() => location.pathname === '/cashier');
      const second = nextOrderNo();
      await scanAndWaitReady(page, second, [{ code, qty: 1, unitFen: 2600 }]);
      await customerPaysWithIdCard();
      await expectOneTender(second, 'boming', 2600);
      const audit = (await harness.readStore('audit')) as Array<{ type: string; orderNo?: string; detail: Record<string, unknown> }>;
      expect(audit.find((e) => e.type === 'fill.ready' && e.orderNo === second)?.detail.overrides).toBe('verifyButton');
    } finally {
      boming.control.renamed = {};
      await seedSettings(harness, { locatorOverrides: {} });
      await page.close();
    }
  });
});

describe('国惠健康 (Element Plus, search-as-you-type)', () => {
  it('scan → fill → pay → capture → 下账: one tender', async () => {
    const page = await harness.openPortal('guohui', '/#/login?redirect=%2Findex');
    await page.setViewport({ width: 1400, height: 900 });
    await typeByPlaceholder(page, '账号', 'gh_store01');
    await typeByPlaceholder(page, '密码', 'secret');
    await clickButton(page, '登 录');
    await page.waitForFunction(() => location.hash.startsWith('#/index'), { timeout: 10_000 });
    const orderNo = nextOrderNo();
    const items = [{ code: '6923456789012', qty: 2, unitFen: 2450 }];
    await scanAndWaitReady(page, orderNo, items);
    await typeByPlaceholder(page, '请刷卡、输入卡号或扫描付款码', '8868011234561234');
    await clickButton(page, '读卡');
    await clickButton(page, '确认收款');
    await typeByPlaceholder(page, '请输入6位支付密码', '135790');
    await clickButton(page, '确定');
    await waitForOverlay(page, (s) => s.code === 'CAPTURED', 20_000);
    const order = guohui.state().orders.find((o: { storeOrderNo: string }) => o.storeOrderNo === orderNo);
    expect(order).toMatchObject({ amountFen: 4900, status: 'paid' });
    await expectOneTender(orderNo, 'guohui', 4900);
    await page.close();
  });
});

describe('员福好管家 (pay form in an iframe, vanishing toast)', () => {
  it('scan → fill the iframe → pay → capture the toast → 下账: one tender', async () => {
    const page = await harness.openPortal('yuanfu', '/login');
    await page.setViewport({ width: 1300, height: 900 });
    await typeByPlaceholder(page, '请输入用户名', 'yf_store01');
    await typeByPlaceholder(page, '请输入密码', 'secret');
    await Promise.all([page.waitForNavigation(), page.click('input[type=submit]')]);
    const frameHandle = await page.waitForSelector('#posFrame');
    const frame = (await frameHandle!.contentFrame()) as Frame;
    await frame.waitForSelector('#amount');
    const orderNo = nextOrderNo();
    await page.focus('body');
    await scanAndWaitReady(page, orderNo, [{ code: '6923456789012', qty: 1, unitFen: 3600 }]);
    expect(await frame.$eval('#amount', (i) => (i as HTMLInputElement).value)).toBe('36.00');
    expect(await frame.$eval('#storeOrderNo', (i) => (i as HTMLInputElement).value)).toBe(orderNo);
    await frame.type('#cardNo', '6230580000012345', { delay: 120 });
    await frame.type('#payPwd', '135790', { delay: 120 });
    await frame.click('#btnSubmit');
    await waitForOverlay(page, (s) => s.code === 'CAPTURED', 20_000);
    await waitUntil('the toast gone', async () => !(await page.evaluate(() => document.body.innerText.includes('支付成功'))), 10_000);
    await expectOneTender(orderNo, 'yuanfu', 3600);
    await page.close();
  });
});
