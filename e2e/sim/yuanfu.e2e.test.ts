// Self-test of the 员福好管家 (yuanfu) web-POS simulator: an older server-rendered site with a
// form-post login, the pay form in a same-origin iframe and a 3-second toast in the top page.
// Driven by hand with puppeteer as the cashier and the employee (customer) would. The extension
// is loaded by launchBrowser but nothing of it is asserted here.
import { describe, it, expect, beforeAll, afterAll, beforeEach, onTestFailed } from 'vitest';
import { BLANK_EXTENSION_PATH } from './blank-extension.mjs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElementHandle, Frame, Page } from 'puppeteer-core';
// @ts-ignore -- plain ESM JS harness/simulator modules (no type declarations)
import { startPortalServer, launchBrowser } from '../harness/index.mjs';
// @ts-ignore -- plain ESM JS
import { createYuanfuSimulator, parseYuanToFen, maskCard, TOAST_MS } from './yuanfu/server.mjs';

type Order = {
  vendorOrderNo: string;
  storeOrderNo: string;
  amountFen: number;
  goodsName: string;
  cardMasked: string;
  status: 'paid' | 'failed';
  paidAt: string;
  failReason?: string;
};
type SimState = { account: null | { username: string; storeName: string }; orders: Order[]; requests: Array<{ method: string; path: string }> };
type Sim = {
  state(): SimState;
  reset(): void;
  control: { failNextPayment: boolean; password: string | null; latency: [number, number] };
};
type TopState = {
  page: string;
  toasts: Array<{ type: string; text: string; shownAt: number; hiddenAt: number | null }>;
  visibleToasts: string[];
  frame: null | { form: Record<string, unknown>; submitValue: string; lastResult: unknown; formMsg: string };
};

const ORIGIN = 'https://sy.huibaofuda.com';
const CARD = '6228480012345678';
const T = 8000;

// ------------------------------------------------------------------ helpers (cashier-level)

async function hideForeignUi(page: Page): Promise<void> {
  await page.evaluate(() => {
    for (const el of Array.from(document.body.children)) if (el.shadowRoot) (el as HTMLElement).style.display = 'none';
  });
}

/** The input whose <label for> text (without the ：) is `label`, in `frame`. */
async function inputByLabel(frame: Frame | Page, label: string): Promise<ElementHandle<HTMLInputElement>> {
  return (await frame.waitForFunction(
    (lb: string) => {
      for (const l of Array.from(document.querySelectorAll('label'))) {
        if ((l.textContent ?? '').replace(/[：:\s]/g, '') !== lb.replace(/\s/g, '')) continue;
        const i = document.getElementById(l.htmlFor) as HTMLInputElement | null;
        if (i && i.offsetParent !== null) return i;
      }
      return null;
    },
    { timeout: T, polling: 25 },
    label,
  )) as ElementHandle<HTMLInputElement>;
}

async function typeByLabel(frame: Frame | Page, label: string, text: string): Promise<void> {
  const input = await inputByLabel(frame, label);
  await input.click({ count: 3 });
  await input.press('Backspace');
  await input.type(text);
}

/** Clicks the <input type=button|submit> whose value (spaces removed) is `value`. */
async function clickValue(frame: Frame | Page, value: string): Promise<void> {
  const btn = (await frame.waitForFunction(
    (v: string) =>
      Array.from(document.querySelectorAll<HTMLInputElement>('input[type=button], input[type=submit], input[type=reset]')).find(
        (b) => b.value.replace(/\s+/g, '') === v && !b.disabled && b.offsetParent !== null,
      ) ?? null,
    { timeout: T, polling: 25 },
    value,
  )) as ElementHandle<HTMLInputElement>;
  await btn.click();
}

async function topState(page: Page): Promise<TopState> {
  return page.evaluate(() => (window as any).__yuanfu.state());
}

/** The pay iframe, once its form is there. */
async function payFrame(page: Page): Promise<Frame> {
  const el = await page.waitForSelector('iframe#posFrame', { timeout: T });
  const frame = (await el!.contentFrame())!;
  await frame.waitForSelector('#payForm #btnSubmit', { timeout: T });
  return frame;
}

/** Waits for a toast in the top page containing `text` and returns its text. */
async function toast(page: Page, text: string): Promise<string> {
  const h = await page.waitForFunction(
    (t: string) => Array.from(document.querySelectorAll('#yf-toast-box .yf-toast')).find((e) => e.textContent?.includes(t))?.textContent ?? null,
    { timeout: T, polling: 20 },
    text,
  );
  return (await h.jsonValue()) as string;
}

async function login(page: Page, user: string): Promise<void> {
  await page.goto(`${ORIGIN}/login`, { waitUntil: 'load' });
  await typeByLabel(page, '用户名', user);
  await typeByLabel(page, '密码', '012345');
  await hideForeignUi(page);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), clickValue(page, '登录')]);
  expect(page.url()).toBe(`${ORIGIN}/home`);
}

async function shot(page: Page, name: string): Promise<void> {
  const dir = process.env.YF_SHOTS;
  if (dir) await page.screenshot({ path: join(dir, `${name}.png`) as `${string}.png` });
}

// ------------------------------------------------------------------ server-only checks

describe('yuanfu simulator (server)', () => {
  it('parses yuan text to fen without floats and masks cards 6+4', () => {
    expect(parseYuanToFen('36')).toBe(3600);
    expect(parseYuanToFen('36.5')).toBe(3650);
    expect(parseYuanToFen('0.07')).toBe(7);
    expect(parseYuanToFen('1.005')).toBeNull();
    expect(parseYuanToFen('abc')).toBeNull();
    expect(maskCard(CARD)).toBe('622848******5678');
  });
});

// ------------------------------------------------------------------ browser flow

describe('yuanfu simulator (browser)', () => {
  let sim: Sim;
  let server: { port: number; close(): Promise<void>; setSimulator(id: string, s: unknown): void };
  let handle: { openPortal(id: string, path?: string): Promise<Page>; close(): Promise<void> };
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const latency: [number, number] = process.env.YF_LATENCY ? JSON.parse(process.env.YF_LATENCY) : [0, 20];
    const created = createYuanfuSimulator({ latency });
    sim = created as unknown as Sim;
    server = await startPortalServer({ simulators: [created] });
    handle = await launchBrowser({ server, extensionPath: BLANK_EXTENSION_PATH }); // the simulator alone: TenderBridge stays out
    page = await handle.openPortal('yuanfu', '/login');
    await page.setViewport({ width: 1280, height: 800 });
    page.on('pageerror', (e) => pageErrors.push(String((e as Error).message ?? e)));
  }, 60_000);

  beforeEach((ctx) => {
    onTestFailed(async () => {
      const file = join(tmpdir(), `yuanfu-fail-${ctx.task.name.replace(/[^\w]+/g, '_').slice(0, 40)}.png`);
      await page?.screenshot({ path: file as `${string}.png` }).catch(() => {});
      const st = await topState(page).catch(() => null);
      console.error(`[yuanfu] screenshot ${file}; page state ${JSON.stringify(st)}; page errors ${JSON.stringify(pageErrors)}`);
    });
  });

  afterAll(async () => {
    await handle?.close().catch(() => {});
    await server?.close();
  });

  it('keeps /home behind the login, and logs in by a form post', async () => {
    await page.goto(`${ORIGIN}/home`, { waitUntil: 'load' });
    expect(page.url()).toBe(`${ORIGIN}/login`);
    // empty password: the login page again, with an error
    await typeByLabel(page, '用户名', 'md009');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), clickValue(page, '登录')]);
    expect(await page.$eval('#loginErr', (e) => e.textContent)).toBe('请输入密码');
    await login(page, 'md009');
    expect(await page.$eval('#storeName', (e) => e.textContent)).toContain('md009');
    expect(await page.$$eval('#mainNav a', (as) => as.map((a) => a.textContent))).toEqual(['收银', '订单查询']);
    const src = await page.$eval('iframe#posFrame', (f) => (f as HTMLIFrameElement).src);
    expect(src).toBe(`${ORIGIN}/pos/frame`);
    expect(sim.state().account?.username).toBe('md009');
  });

  it('sells in the iframe: amount, goods name, store order no, card and password → a toast in the top page for 3 s', async () => {
    let frame = await payFrame(page);
    // nothing typed: the form says so, no request leaves
    await clickValue(frame, '提交');
    await frame.waitForFunction(() => document.getElementById('formMsg')?.textContent === '请输入消费金额', { timeout: T });
    expect(sim.state().requests.filter((r) => r.path === '/pos/pay')).toHaveLength(0);

    await typeByLabel(frame, '消费金额', '36');
    await typeByLabel(frame, '商品名称', '感冒灵颗粒');
    await typeByLabel(frame, '门店订单号', 'XS20251122-0031');
    await typeByLabel(frame, '员工卡号', CARD);
    const pwd = await inputByLabel(frame, '支付密码');
    expect(await pwd.evaluate((i) => i.type)).toBe('password');
    await typeByLabel(frame, '支付密码', '123456'); // the employee types it
    await shot(page, '01-filled');
    await clickValue(frame, '提交');

    const text = await toast(page, '支付成功');
    await shot(page, '02-toast');
    const m = /^支付成功 流水号：(YF\d{8}\d{6}) 金额：¥36\.00$/.exec(text);
    expect(m, text).not.toBeNull();
    // the toast is in the top page, not in the frame
    expect(await frame.$('.yf-toast')).toBeNull();

    const st = sim.state();
    expect(st.orders).toHaveLength(1);
    expect(st.orders[0]).toMatchObject({
      vendorOrderNo: m![1],
      storeOrderNo: 'XS20251122-0031',
      amountFen: 3600,
      goodsName: '感冒灵颗粒',
      cardMasked: '622848******5678',
      status: 'paid',
    });
    expect(st.orders[0]!.paidAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    const viaHttp = await page.evaluate(async () => (await fetch('/__sim/state')).json());
    expect(viaHttp.orders[0].vendorOrderNo).toBe(m![1]);

    // gone after 3 s
    await page.waitForFunction(() => !document.querySelector('#yf-toast-box .yf-toast'), { timeout: TOAST_MS + 1500, polling: 20 });
    const log = (await topState(page)).toasts;
    expect(log).toHaveLength(1);
    expect(log[0]!.hiddenAt! - log[0]!.shownAt).toBeGreaterThanOrEqual(TOAST_MS - 20);
    expect(log[0]!.hiddenAt! - log[0]!.shownAt).toBeLessThan(TOAST_MS + 500);

    // the frame reloaded itself with an empty form
    frame = await payFrame(page);
    await frame.waitForFunction(() => location.search.startsWith('?_=') && (document.getElementById('amount') as HTMLInputElement).value === '', { timeout: T });
  });

  it('a failed payment shows 「支付失败」 and keeps the form', async () => {
    sim.control.failNextPayment = true;
    const frame = await payFrame(page);
    await typeByLabel(frame, '消费金额', '128.5');
    await typeByLabel(frame, '商品名称', '布洛芬缓释胶囊');
    await typeByLabel(frame, '员工卡号', CARD);
    await typeByLabel(frame, '支付密码', '123456');
    await clickValue(frame, '提交');
    const text = await toast(page, '支付失败');
    await shot(page, '03-failed');
    expect(text).toBe('支付失败：交易异常，请稍后重试');
    const st = sim.state();
    expect(st.orders).toHaveLength(2);
    expect(st.orders[1]).toMatchObject({ status: 'failed', amountFen: 12850, storeOrderNo: '', failReason: '交易异常，请稍后重试' });
    const fs = (await topState(page)).frame!;
    expect(fs.form).toMatchObject({ amount: '128.5', goodsName: '布洛芬缓释胶囊', cardNo: CARD, hasPassword: false });

    // a wrong password is refused without an order
    sim.control.password = '654321';
    await typeByLabel(frame, '支付密码', '111111');
    await clickValue(frame, '提交');
    expect(await toast(page, '支付密码错误')).toBe('支付失败：支付密码错误');
    expect(sim.state().orders).toHaveLength(2);
    sim.control.password = null;
  });

  it('订单查询 lists the orders in a plain table, newest first', async () => {
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('#mainNav a[href="/orders"]')]);
    expect(page.url()).toBe(`${ORIGIN}/orders`);
    const heads = await page.$$eval('#orderTable thead th', (ths) => ths.map((th) => th.textContent));
    expect(heads).toEqual(['序号', '流水号', '门店订单号', '商品名称', '金额', '员工卡号', '时间', '状态']);
    const rows = await page.$$eval('#orderTable tbody tr', (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent?.trim())));
    expect(rows).toHaveLength(2);
    expect(rows[0]![7]).toBe('支付失败');
    expect(rows[1]![2]).toBe('XS20251122-0031');
    expect(rows[1]![4]).toBe('36.00');
    expect(rows[1]![7]).toBe('支付成功');
    await shot(page, '04-orders');
  });

  it('a renamed variant shows the new button text', async () => {
    const variant = createYuanfuSimulator({ latency: [0, 20], renamed: { 提交: '确认提交' } });
    server.setSimulator('yuanfu', variant);
    await page.goto(`${ORIGIN}/home`, { waitUntil: 'load' });
    expect(page.url()).toBe(`${ORIGIN}/login`); // the new server does not know the old session
    await login(page, 'md010');
    const frame = await payFrame(page);
    const values = await frame.$$eval('input[type=button], input[type=submit], input[type=reset]', (bs) => bs.map((b) => (b as HTMLInputElement).value));
    expect(values).toEqual(['确认提交', '重置']);
    expect(variant.state().renamed).toEqual({ 提交: '确认提交' });
    server.setSimulator('yuanfu', sim);
    expect(pageErrors).toEqual([]);
  });
});
