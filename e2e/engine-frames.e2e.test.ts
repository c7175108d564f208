import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame, Page } from 'puppeteer-core';
import { startPortalServer } from './harness/portal-server.mjs';
import { launchBrowser } from './harness/browser.mjs';
import { gunScan } from './harness/keys.mjs';
import { createYuanfuSimulator } from './sim/yuanfu/server.mjs';
import { encodeTicket, type TicketItem } from '../shared/ticket';
import { storeIso } from '../shared/time';
import { seedSettings, waitForOverlay } from './support/extension.mjs';
import { typeByPlaceholder } from './support/cashier';

/**
 * Issue 11, frames and truthful stops: a scan with the focus inside the iframe work area (where a
 * cashier leaves it after typing in the pay form) fills that form; a scan on the login page says
 * to log in first and fills nothing.
 */
const yuanfu = createYuanfuSimulator({ latency: [20, 100] });
let server: Awaited<ReturnType<typeof startPortalServer>>;
let harness: Awaited<ReturnType<typeof launchBrowser>>;

function ticketFor(orderNo: string, items: TicketItem[]): string {
  const totalFen = items.reduce((sum, i) => sum + i.qty * i.unitFen, 0);
  return encodeTicket({ store: 'S0012', orderNo, issuedAt: storeIso(Date.now() - 30_000), totalFen, items });
}

beforeAll(async () => {
  server = await startPortalServer({ simulators: [yuanfu] });
  harness = await launchBrowser({ portalPort: server.port });
  await seedSettings(harness, {
    storeCode: 'S0012',
    cashierId: 'C07',
    portals: { yuanfu: { enabled: true, paymentMethodId: 22, paymentMethodName: '国惠通', goodsName: '', limits: {} } },
  });
}, 60_000);

afterAll(async () => {
  await harness?.close();
  await server?.close();
});

describe('员福好管家: frames and login', () => {
  it('a scan on the login page says to log in first, and types nothing into the form', async () => {
    const page = await harness.openPortal('yuanfu', '/login');
    await page.waitForSelector('#username');
    await page.focus('#username');
    await gunScan(page, ticketFor('XF000000000001', [{ code: '6923456789012', qty: 1, unitFen: 3600 }]));
    const shown = await waitForOverlay(page, (s) => s.kind === 'error', 30_000);
    expect(shown.code).toBe('FILL_LOGIN_REQUIRED');
    expect(shown.text).toContain('请先登录网站，然后重新扫码');
    expect(await page.$eval('#username', (i) => (i as HTMLInputElement).value)).toBe('');
    await page.close();
  });

  it('a scan with the focus inside the iframe work area fills the form in that frame', async () => {
    const page = await harness.openPortal('yuanfu', '/login');
    await page.setViewport({ width: 1300, height: 900 });
    await typeByPlaceholder(page, '请输入用户名', 'yf_store01');
    await typeByPlaceholder(page, '请输入密码', 'secret');
    await Promise.all([page.waitForNavigation(), page.click('input[type=submit]')]);
    const frame = (await (await page.waitForSelector('#posFrame'))!.contentFrame()) as Frame;
    await frame.waitForSelector('#goodsName');
    // the cashier's focus is in the iframe, as after typing in the pay form
    await frame.focus('#goodsName');
    expect(await frame.evaluate(() => document.hasFocus() && document.activeElement?.id)).toBe('goodsName');
    const orderNo = `XF${Date.now().toString().slice(-12)}`;
    await gunScan(page, ticketFor(orderNo, [{ code: '6923456789012', qty: 1, unitFen: 3600 }]));
    // the frame that read the scan shows the overlay
    const shown = await waitForOverlay(frame as unknown as Page, (s) => s.code === 'READY_FOR_CREDENTIAL' || s.kind === 'error', 45_000);
    expect(shown.code).toBe('READY_FOR_CREDENTIAL');
    expect(await frame.$eval('#amount', (i) => (i as HTMLInputElement).value)).toBe('36.00');
    expect(await frame.$eval('#storeOrderNo', (i) => (i as HTMLInputElement).value)).toBe(orderNo);
    // nothing of the scan reached the field that had the focus
    expect(await frame.$eval('#goodsName', (i) => (i as HTMLInputElement).value)).not.toContain('YK');
    await page.close();
  });
});
