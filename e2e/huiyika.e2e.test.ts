import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { startPortalServer } from './harness/portal-server.mjs';
import { launchBrowser } from './harness/browser.mjs';
import { gunScan } from './harness/keys.mjs';
import { createHuiyikaSimulator } from './sim/huiyika/server.mjs';
import { startBridgeSimulator } from './bridge-sim/server.mjs';
import { encodeTicket } from '../shared/ticket';
import { storeIso, storeMonth } from '../shared/time';
import { closeOverlay, seedSettings, waitForOverlay } from './support/extension.mjs';
import { waitForCardText, waitUntil } from './support/cashier';

/**
 * Issue 4 on the 慧医卡 simulator, a server-rendered portal: the fill survives full page loads,
 * both payment ways are captured (the Yingke order tied through the tab), a refund is captured
 * only after its approval, and a refund across a month is stopped before anything happens.
 */
type Settlement = { id: string; kind: string; status: string; orderNo: string; vendorOrderNo: string; amountFen: number; cashFen: number; refundOf?: string };
type Tender = { tenderId: string; kind: string; orderNo: string; amountFen: number; provider: string; paymentMethodId: number; refundOf?: string };

const ORIGIN = 'https://webpos.huiyika.com';
const CARD = { cardNo: '6160201901100002', password: '079497' };
const sim = createHuiyikaSimulator({ latency: [20, 100] });
let server: Awaited<ReturnType<typeof startPortalServer>>;
let bridge: Awaited<ReturnType<typeof startBridgeSimulator>>;
let harness: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let seq = 0;

function nextOrderNo(): string {
  seq += 1;
  return `XH${Date.now().toString().slice(-9)}${String(seq).padStart(3, '0')}`;
}

async function settlementsFor(orderNo: string): Promise<Settlement[]> {
  return ((await harness.readStore('settlements')) as Settlement[]).filter((s) => s.orderNo === orderNo);
}

function tendersFor(orderNo: string): Tender[] {
  return (bridge.tenders() as Tender[]).filter((t) => t.orderNo === orderNo);
}

async function load(path: string): Promise<void> {
  await page.goto(`${ORIGIN}${path}`, { waitUntil: 'load' });
}

/** Clicks a control by its text and waits for the page it loads. */
async function clickAndLoad(text: string, within = 'body'): Promise<void> {
  const handle = await page.evaluateHandle(
    (t: string, scope: string) =>
      Array.from(document.querySelector(scope)?.querySelectorAll<HTMLElement>('a, button, input[type=submit], input[type=button]') ?? []).find(
        (el) => (el instanceof HTMLInputElement ? el.value : el.textContent ?? '').trim() === t && el.offsetParent !== null,
      ) ?? null,
    text,
    within,
  );
  const element = handle.asElement();
  if (!element) throw new Error(`no control ${text}`);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), (element as import('puppeteer-core').ElementHandle<Element>).click()]);
}

async function postFromPopup(settlementId: string): Promise<void> {
  const popup = await harness.openExtensionPage('popup.html');
  const button = await popup.waitForSelector(`section[data-settlement="${settlementId}"] button[data-action="post"]`, { timeout: 10_000 });
  await button?.click();
  await waitForCardText(popup, settlementId, '已下账，凭证号');
  expect(await popup.$(`section[data-settlement="${settlementId}"][data-state="posted"]`)).not.toBeNull();
  await popup.close();
}

/** Scan on 首页 and wait until the resumed fill reaches the payment choice. */
async function scanToPayPage(orderNo: string, totalFen: number): Promise<void> {
  await load('/index');
  await page.focus('#goodsName');
  const ticket = encodeTicket({ store: 'S0012', orderNo, issuedAt: storeIso(Date.now() - 60_000), totalFen, items: [{ code: '6923456789012', qty: 1, unitFen: totalFen }] });
  await gunScan(page, ticket);
  const shown = await waitForOverlay(page, (s) => s.code === 'READY_FOR_CREDENTIAL' || s.kind === 'error', 45_000);
  if (shown.code !== 'READY_FOR_CREDENTIAL') throw new Error(`fill stopped: ${shown.code} ${shown.text}`);
  expect(new URL(page.url()).pathname).toBe('/pay');
}

async function saleByCard(orderNo: string, totalFen: number): Promise<Settlement> {
  await scanToPayPage(orderNo, totalFen);
  await page.type('#cardNo', CARD.cardNo, { delay: 120 });
  await page.type('#cardPwd', CARD.password, { delay: 120 });
  await clickAndLoad('确认支付');
  await waitForOverlay(page, (s) => s.code === 'CAPTURED', 20_000);
  const [settlement, ...more] = await settlementsFor(orderNo);
  expect(more).toEqual([]);
  return settlement!;
}

beforeAll(async () => {
  bridge = await startBridgeSimulator({ stores: { S0012: 'store-secret' } });
  server = await startPortalServer({ simulators: [sim] });
  harness = await launchBrowser({ portalPort: server.port });
  await seedSettings(harness, {
    storeCode: 'S0012',
    cashierId: 'C02',
    bridge: { baseUrl: bridge.url, secret: 'store-secret' },
    portals: { huiyika: { enabled: true, paymentMethodId: 28, paymentMethodName: '慧医卡', goodsName: '', limits: {} } },
  });
  page = await harness.openPortal('huiyika', '/login');
  await page.setViewport({ width: 1300, height: 900 });
  await page.type('#username', 'cd0001');
  await page.type('#password', 'store-pass');
  await clickAndLoad('登录');
}, 60_000);

afterAll(async () => {
  await harness?.close();
  await server?.close();
  await bridge?.close();
});

describe('慧医卡 end to end', () => {
  let cardSale: Settlement;
  let cardOrderNo: string;

  it('card and password: fills across page loads, captures, posts one tender', async () => {
    cardOrderNo = nextOrderNo();
    cardSale = await saleByCard(cardOrderNo, 12345);
    expect(cardSale).toMatchObject({ kind: 'sale', status: 'success', amountFen: 12345, cashFen: 0 });
    expect(cardSale.vendorOrderNo).toMatch(/^HYK/);
    const simOrder = sim.state().orders.find((o: { vendorOrderNo: string }) => o.vendorOrderNo === cardSale.vendorOrderNo);
    expect(simOrder).toMatchObject({ amountFen: 12345, payMethod: 'card' });
    await postFromPopup(cardSale.id);
    expect(tendersFor(cardOrderNo)).toEqual([expect.objectContaining({ provider: 'huiyika', paymentMethodId: 28, amountFen: 12345, kind: 'sale', tenderId: cardSale.id })]);
  });

  it('scan-to-pay: the customer confirms on the phone, captured and posted once', async () => {
    const orderNo = nextOrderNo();
    await scanToPayPage(orderNo, 3600);
    await page.click('label[for=payTypeQr]');
    await page.waitForFunction(() => document.body.innerText.includes('请顾客使用慧医卡公众号扫码并确认支付'), { timeout: 10_000 });
    await closeOverlay(page);
    // the customer's phone: confirm as soon as the QR is really on screen
    await waitUntil('the QR to confirm', async () => {
      try {
        return sim.customer.confirmQr();
      } catch {
        return null;
      }
    });
    await waitForOverlay(page, (s) => s.code === 'CAPTURED', 30_000);
    const [settlement] = await settlementsFor(orderNo);
    expect(settlement).toMatchObject({ amountFen: 3600, kind: 'sale' });
    await postFromPopup(settlement!.id);
    expect(tendersFor(orderNo)).toHaveLength(1);
  });

  it('a refund is captured only after its approval, then posted with refundOf', async () => {
    // the cashier requests the refund: pending approval — nothing to post yet
    await load(`/orders?orderNo=${cardSale.vendorOrderNo}`);
    await clickAndLoad('退款', '#orderTable');
    await page.type('input[name=cardNo]', CARD.cardNo);
    await page.type('#refundReason', '顾客退货');
    await clickAndLoad('提交');
    await page.waitForFunction(() => document.body.innerText.includes('退款申请已提交'), { timeout: 10_000 });
    expect((await settlementsFor(cardOrderNo)).filter((s) => s.kind === 'refund')).toEqual([]);

    // the manager approves it
    await load('/refund-audit');
    const row = await page.evaluateHandle((no: string) => Array.from(document.querySelectorAll('#refundAuditTable tr')).find((tr) => tr.textContent?.includes(no)) ?? null, cardSale.vendorOrderNo);
    expect(row.asElement()).not.toBeNull();
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.evaluate((tr) => Array.from((tr as Element).querySelectorAll('a')).find((a) => a.textContent?.trim() === '审核')?.click(), row)]);
    await page.type('#auditOpinion', '同意退款');
    await page.click('label[for=auditAgree]');
    await clickAndLoad('提交');
    await waitForOverlay(page, (s) => s.code === 'REFUND_CAPTURED', 20_000);
    const refund = (await settlementsFor(cardOrderNo)).find((s) => s.kind === 'refund');
    expect(refund).toMatchObject({ amountFen: 12345, refundOf: cardSale.id });
    await postFromPopup(refund!.id);
    expect(tendersFor(cardOrderNo).find((t) => t.kind === 'refund')).toMatchObject({ refundOf: cardSale.id, amountFen: 12345 });
  });

  it('a refund that is rejected is never captured', async () => {
    const orderNo = nextOrderNo();
    const sale = await saleByCard(orderNo, 990);
    await load(`/orders?orderNo=${sale.vendorOrderNo}`);
    await clickAndLoad('退款', '#orderTable');
    await page.type('input[name=cardNo]', CARD.cardNo);
    await page.type('#refundReason', '误操作');
    await clickAndLoad('提交');
    await load('/refund-audit');
    const row = await page.evaluateHandle((no: string) => Array.from(document.querySelectorAll('#refundAuditTable tr')).find((tr) => tr.textContent?.includes(no)) ?? null, sale.vendorOrderNo);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.evaluate((tr) => Array.from((tr as Element).querySelectorAll('a')).find((a) => a.textContent?.trim() === '审核')?.click(), row)]);
    await page.type('#auditOpinion', '不符合退款条件');
    await page.click('label[for=auditReject]');
    await clickAndLoad('提交');
    await page.waitForFunction(() => document.body.innerText.includes('已驳回退款申请'), { timeout: 10_000 });
    expect((await settlementsFor(orderNo)).filter((s) => s.kind === 'refund')).toEqual([]);
  });

  it('blocks a refund across a month with a clear message, before anything is submitted', async () => {
    const lastMonthDay = new Date(`${storeMonth(Date.now())}-01T12:00:00+08:00`).getTime() - 3 * 86_400_000;
    const seeded = sim.seedOrder({ paidAt: storeIso(lastMonthDay), amountFen: 3600 });
    await load(`/orders?orderNo=${seeded.vendorOrderNo}`);
    const before = page.url();
    await page.evaluate((no: string) => {
      // the cashier's click, found like a person would: the 退款 link in that order's row
      const row = Array.from(document.querySelectorAll('#orderTable tr')).find((tr) => tr.textContent?.includes(no));
      Array.from(row?.querySelectorAll('a') ?? []).find((a) => a.textContent?.trim() === '退款')?.setAttribute('data-test-refund', '1');
    }, seeded.vendorOrderNo);
    await page.click('a[data-test-refund="1"]');
    const shown = await waitForOverlay(page, (s) => s.kind === 'error', 10_000);
    expect(shown.code).toBe('REFUND_CROSS_MONTH');
    expect(page.url()).toBe(before);
    await waitUntil('no refund applied on the portal', async () =>
      !sim.state().orders.some((o: { vendorOrderNo: string; refund?: unknown }) => o.vendorOrderNo === seeded.vendorOrderNo && o.refund),
    );
  });
});
