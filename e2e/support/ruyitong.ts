import type { ElementHandle, Page } from 'puppeteer-core';
import { expect } from 'vitest';
import type { launchBrowser } from '../harness/browser.mjs';
import { gunScan } from '../harness/keys.mjs';
import { encodeTicket, type TicketItem } from '../../shared/ticket';
import { storeIso } from '../../shared/time';
import { closeOverlay, waitForOverlay } from './extension.mjs';
import { clickButton, typeByPlaceholder, waitForCardText, waitUntil } from './cashier';

/**
 * The 如医通 simulator as the cashier uses it (log in, the trade page, the customer paying), and
 * tickets for it: shared by ruyitong.e2e.test.ts (gun scans) and image-scan.e2e.test.ts (the
 * popup's picture scan), which must see the very same fill.
 */
export type Harness = Awaited<ReturnType<typeof launchBrowser>>;

export const ID_CARD = '110101199003071234';

/** Three goods of the simulator's catalog at the ticket's own (discounted) prices. */
export const THREE_LINES: TicketItem[] = [
  { code: '6901234567892', qty: 2, unitFen: 1750 }, // two hits: the list dialog
  { code: '6923456789012', qty: 1, unitFen: 2600 },
  { code: '6934567890122', qty: 3, unitFen: 3400 },
];

/** Settings every 如医通 test seeds: the store on the tickets, and the five payment methods. */
export const RUYITONG_PORTAL_SETTINGS = {
  boming: { enabled: true, paymentMethodId: 21, paymentMethodName: '博明卡', limits: {} },
  guohui: { enabled: true, paymentMethodId: 22, paymentMethodName: '国惠通', limits: {} },
  yuanfu: { enabled: true, paymentMethodId: 22, paymentMethodName: '国惠通', limits: {} },
  ruyitong: { enabled: true, paymentMethodId: 27, paymentMethodName: '如医通', limits: {} },
  huiyika: { enabled: true, paymentMethodId: 28, paymentMethodName: '慧医卡', limits: {} },
};

let seq = 0;

/** An order number no earlier test of this process used. */
export function nextOrderNo(): string {
  seq += 1;
  return `XS${Date.now().toString().slice(-9)}${String(seq).padStart(3, '0')}`;
}

/** A fresh (30 s old) YK1 ticket of store S0012. */
export function ticketFor(orderNo: string, items: TicketItem[]): string {
  const totalFen = items.reduce((sum, i) => sum + i.qty * i.unitFen, 0);
  return encodeTicket({ store: 'S0012', orderNo, issuedAt: storeIso(Date.now() - 30_000), totalFen, items });
}

/** Logs in and stands on the trade page with the goods search focused, as a cashier starts. */
export async function openTrade(harness: Harness, path = '/#/login'): Promise<Page> {
  const page = await harness.openPortal('ruyitong', path);
  await page.setViewport({ width: 1400, height: 900 });
  await typeByPlaceholder(page, '请输入用户名', 'ryt_md001');
  await typeByPlaceholder(page, '请输入密码', 'secret');
  await clickButton(page, '登录');
  await page.waitForFunction(() => location.hash === '#/trade', { timeout: 10_000 });
  await page.focus('input[placeholder="请输入商品条码/拼音首字母/商品名称"]');
  return page;
}

export async function appState(page: Page) {
  return page.evaluate(() => (window as unknown as { __ruyitong: { state(): { step: string; cart: Array<{ barcode: string; qty: number; unitFen: number }>; storeOrderNo: string } } }).__ruyitong.state());
}

/** Waits until the extension is ready for the customer's credential (throws on a stop). */
export async function waitUntilFilled(page: Page): Promise<void> {
  await waitForOverlay(page, (s) => s.code === 'READY_FOR_CREDENTIAL' || s.kind === 'error', 45_000).then((s) => {
    if (s.code !== 'READY_FOR_CREDENTIAL') throw new Error(`fill stopped: ${s.code} ${s.text}`);
  });
}

/** Scans the ticket and waits until the extension is ready for the customer's credential. */
export async function scanAndFill(page: Page, orderNo: string, items: TicketItem[]): Promise<void> {
  await gunScan(page, ticketFor(orderNo, items));
  await waitUntilFilled(page);
}

/** The customer shows the ID card and types the password; the cashier settles (and types cash). */
export async function customerPays(page: Page, cashYuan?: string): Promise<void> {
  await typeByPlaceholder(page, '请输入顾客身份证号', ID_CARD);
  await clickButton(page, '确认');
  await typeByPlaceholder(page, '请输入6位数字密码', '246810');
  await clickButton(page, '确定');
  await clickButton(page, '确认结账');
  if (cashYuan) {
    await typeByPlaceholder(page, '请手动输入现金金额（元）', cashYuan);
    await clickButton(page, '确定');
  }
}

export type RuyitongOrder = { vendorOrderNo: string; storeOrderNo: string; totalFen: number; cardFen: number; cashFen: number; status: string; lines: Array<{ barcode: string; qty: number; unitFen: number }> };
type SimulatorState = { state(): { orders: unknown[] } };

/** A whole sale as the cashier makes it: trade page, scan, the customer pays, the capture shown. */
export async function sellThroughPortal(harness: Harness, sim: SimulatorState, orderNo: string, items: TicketItem[], cashYuan?: string): Promise<{ page: Page; order: RuyitongOrder }> {
  const page = await openTrade(harness);
  await scanAndFill(page, orderNo, items);
  await customerPays(page, cashYuan);
  await waitForOverlay(page, (s) => s.code === 'CAPTURED', 20_000);
  const order = (sim.state().orders as RuyitongOrder[]).find((o) => o.storeOrderNo === orderNo && o.status === 'paid');
  if (!order) throw new Error('the simulator has no paid order');
  return { page, order };
}

/** The cashier refunds that order on 交易查询 and waits for the extension to capture it. */
export async function refundOnPortal(page: Page, vendorOrderNo: string): Promise<void> {
  await closeOverlay(page);
  await clickButton(page, '完成');
  await page.evaluate(() => {
    location.hash = '#/query';
  });
  await page.waitForFunction((no: string) => document.body.innerText.includes(no), { timeout: 10_000 }, vendorOrderNo);
  // the cashier clicks 退货 in the row of this order (the list may still re-render once)
  await waitUntil('the 退货 confirmation', async () => {
    const refundButton = await page.evaluateHandle((no: string) => {
      const row = Array.from(document.querySelectorAll('tr')).find((tr) => tr.textContent?.includes(no));
      return Array.from(row?.querySelectorAll('button') ?? []).find((b) => b.textContent?.trim() === '退货') ?? null;
    }, vendorOrderNo);
    await (refundButton.asElement() as ElementHandle<Element> | null)?.click();
    return page.waitForSelector('.el-message-box', { visible: true, timeout: 1_500 }).catch(() => null);
  });
  await clickButton(page, '确认');
  await waitForOverlay(page, (s) => s.code === 'REFUND_CAPTURED', 15_000);
}

/** Opens the popup (as a page) and presses 「下账」 on the settlement's card. */
export async function postFromPopup(harness: Harness, settlementId: string): Promise<Page> {
  const popup = await harness.openExtensionPage('popup.html');
  const button = await popup.waitForSelector(`section[data-settlement="${settlementId}"] button[data-action="post"]`, { timeout: 10_000 });
  await button?.click();
  return popup;
}

/** Posts from the popup and waits until the popup shows it posted. */
export async function postAndWait(harness: Harness, settlementId: string): Promise<void> {
  const popup = await postFromPopup(harness, settlementId);
  await waitForCardText(popup, settlementId, '已下账，凭证号');
  expect(await popup.$(`section[data-settlement="${settlementId}"][data-state="posted"]`)).not.toBeNull();
  await popup.close();
}
