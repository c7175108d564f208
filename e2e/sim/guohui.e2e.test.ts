// Self-test of the 国惠健康 (guohui) web-POS simulator: drives it by hand with puppeteer, as the
// cashier and the customer would (typing, clicking options in the popper, dialogs appended to
// <body>). The extension is loaded by launchBrowser but nothing of it is asserted here.
import { describe, it, expect, beforeAll, afterAll, beforeEach, onTestFailed } from 'vitest';
import { BLANK_EXTENSION_PATH } from './blank-extension.mjs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElementHandle, Page } from 'puppeteer-core';
// @ts-ignore -- plain ESM JS harness/simulator modules (no type declarations)
import { startPortalServer, launchBrowser } from '../harness/index.mjs';
// @ts-ignore -- plain ESM JS
import { createGuohuiSimulator, DEFAULT_CATALOG, isValidEan13, maskCard } from './guohui/server.mjs';
import { typeAsPerson, untilSettled } from '../support/cashier';

type Order = {
  vendorOrderNo: string;
  storeOrderNo: string;
  amountFen: number;
  paidFen: number;
  cardMasked: string;
  status: 'paid' | 'failed';
  paidAt: string;
  mode: 'goods' | 'amount';
  lines?: Array<{ barcode: string; name: string; qty: number; unitFen: number }>;
  failReason?: string;
};
type SimState = { account: null | { username: string; storeName: string }; orders: Order[]; control: Record<string, unknown> };
type Sim = {
  id: string;
  host: string;
  state(): SimState;
  reset(): void;
  control: { failNextPayment: boolean; password: string | null; cardBalanceFen: unknown; latency: [number, number] };
};
type AppState = {
  route: string;
  mode: string;
  lines: Array<{ barcode: string; qty: number; unitFen: number }>;
  storeOrderNo: string;
  resultVisible: boolean;
};

const CARD = '8868012345678901234'; // 19-digit 国惠健康卡
const IBU_SUSPENSION = DEFAULT_CATALOG.find((g: { name: string }) => g.name === '布洛芬混悬液')!.barcode as string;
const COLD_GRANULES = '6901234567892'; // 感冒灵颗粒 19.80
const T = 8000;

// ------------------------------------------------------------------ DOM helpers (cashier-level)

async function until(page: Page, fn: (...a: any[]) => unknown, ...args: unknown[]): Promise<void> {
  await page.waitForFunction(fn as any, { timeout: T, polling: 25 }, ...(args as any[]));
}

/** Hides foreign UI over the page (the extension's shadow-root host on <body>). */
async function hideForeignUi(page: Page): Promise<void> {
  await page.evaluate(() => {
    for (const el of Array.from(document.body.children)) if (el.shadowRoot) (el as HTMLElement).style.display = 'none';
  });
}

/** The visible el-dialog titled `title`. */
async function dialog(page: Page, title: string): Promise<ElementHandle<Element>> {
  return (await page.waitForFunction(
    (t: string) => {
      for (const d of Array.from(document.querySelectorAll<HTMLElement>('.el-dialog'))) {
        if (d.querySelector('.el-dialog__title')?.textContent?.trim() === t && d.offsetParent !== null) return d;
      }
      return null;
    },
    { timeout: T, polling: 25 },
    title,
  )) as ElementHandle<Element>;
}

async function dialogGone(page: Page, title: string): Promise<void> {
  await until(
    page,
    (t: string) =>
      !Array.from(document.querySelectorAll<HTMLElement>('.el-dialog')).some(
        (d) => d.querySelector('.el-dialog__title')?.textContent?.trim() === t && d.offsetParent !== null,
      ),
    title,
  );
}

/** Clicks the visible, enabled, uncovered element matching `selector` whose text (no spaces) is `text`. */
async function clickText(page: Page, text: string, scope?: ElementHandle<Element>, selector = 'button'): Promise<void> {
  await hideForeignUi(page);
  const handle = (await page.waitForFunction(
    (root: Element | null, t: string, sel: string) => {
      for (const b of Array.from((root ?? document).querySelectorAll<HTMLElement>(sel))) {
        if ((b.textContent ?? '').replace(/\s+/g, '') !== t) continue;
        if (b.offsetParent === null || (b as HTMLButtonElement).disabled) continue;
        const r = b.getBoundingClientRect();
        const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        if (!top || !b.contains(top)) continue;
        return b;
      }
      return null;
    },
    { timeout: T, polling: 25 },
    scope ?? null,
    text,
    selector,
  )) as ElementHandle<Element>;
  await untilSettled(handle);
  await handle.click();
}

/** Types into the visible input with that placeholder (clears it first). */
async function typeInto(page: Page, placeholder: string, text: string, scope?: ElementHandle<Element>): Promise<ElementHandle<Element>> {
  const input = (await page.waitForFunction(
    (root: Element | null, ph: string) =>
      Array.from((root ?? document).querySelectorAll<HTMLInputElement>('input')).find((i) => i.placeholder === ph && i.offsetParent !== null) ?? null,
    { timeout: T, polling: 25 },
    scope ?? null,
    placeholder,
  )) as ElementHandle<Element>;
  await hideForeignUi(page);
  await typeAsPerson(page, input, text);
  return input;
}

/** The input of the el-form-item labelled `label` (visible), typed into like typeInto. */
async function typeByLabel(page: Page, label: string, text: string): Promise<void> {
  const input = (await page.waitForFunction(
    (lb: string) => {
      for (const item of Array.from(document.querySelectorAll<HTMLElement>('.el-form-item'))) {
        const l = item.querySelector('.el-form-item__label')?.textContent?.replace(/[：:]\s*$/, '').trim();
        const i = item.querySelector<HTMLInputElement>('input');
        if (l === lb && i && i.offsetParent !== null) return i;
      }
      return null;
    },
    { timeout: T, polling: 25 },
    label,
  )) as ElementHandle<Element>;
  await typeAsPerson(page, input, text);
}

/** Clicks the option (in the autocomplete popper appended to <body>) whose text contains `text`. */
async function pickOption(page: Page, text: string): Promise<number> {
  const count = await page.waitForFunction(
    (t: string) => {
      const popper = Array.from(document.querySelectorAll<HTMLElement>('body > * .gh-goods-popper, body > .gh-goods-popper')).find(
        (p) => p.offsetParent !== null || getComputedStyle(p).display !== 'none',
      );
      const items = popper ? Array.from(popper.querySelectorAll<HTMLElement>('li[role=option]')) : [];
      const hit = items.find((li) => li.textContent?.includes(t) && li.offsetParent !== null);
      return hit ? items.length : 0;
    },
    { timeout: T, polling: 25 },
    text,
  );
  const li = (await page.evaluateHandle(
    (t: string) =>
      Array.from(document.querySelectorAll<HTMLElement>('.gh-goods-popper li[role=option]')).find((x) => x.textContent?.includes(t) && x.offsetParent !== null),
    text,
  )) as ElementHandle<Element>;
  await li.click();
  return (await count.jsonValue()) as number;
}

/** The input in the lines table, in the row whose 条码 is `barcode`, under column `label`. */
async function lineInput(page: Page, barcode: string, label: string): Promise<ElementHandle<Element>> {
  return (await page.waitForFunction(
    (bc: string, lb: string) => {
      const table = document.querySelector('.gh-lines-table');
      if (!table) return null;
      const heads = Array.from(table.querySelectorAll('.el-table__header-wrapper th')).map((th) => th.textContent?.trim());
      const col = heads.indexOf(lb);
      const codeCol = heads.indexOf('条码');
      for (const tr of Array.from(table.querySelectorAll('.el-table__body-wrapper tr.el-table__row'))) {
        const tds = tr.querySelectorAll('td');
        if (tds[codeCol]?.textContent?.trim() === bc) return tds[col]?.querySelector('input') ?? null;
      }
      return null;
    },
    { timeout: T, polling: 25 },
    barcode,
    label,
  )) as ElementHandle<Element>;
}

async function editLine(page: Page, barcode: string, label: string, text: string): Promise<void> {
  const input = await lineInput(page, barcode, label);
  await typeAsPerson(page, input, text);
  await page.keyboard.press('Tab');
}

/** label (without the ：suffix) → value of the el-form-items inside `scope`. */
async function formValues(scope: ElementHandle<Element>): Promise<Record<string, string>> {
  return scope.evaluate((root) => {
    const out: Record<string, string> = {};
    for (const item of Array.from(root.querySelectorAll('.el-form-item'))) {
      const l = (item.querySelector('.el-form-item__label')?.textContent ?? '').trim();
      out[l] = (item.querySelector('.el-form-item__content')?.textContent ?? '').trim();
    }
    return out;
  });
}

async function appState(page: Page): Promise<AppState> {
  return page.evaluate(() => (window as any).__guohui.state());
}

async function login(page: Page, user: string): Promise<void> {
  await until(page, () => location.hash.startsWith('#/login') && !!document.querySelector('.login-container'));
  await typeInto(page, '账号', user);
  await typeInto(page, '密码', 'gh123456');
  await clickText(page, '登录');
  await until(page, () => location.hash === '#/index');
  await until(page, (u: string) => document.querySelector('.gh-store-name')?.textContent?.includes(u), user);
}

async function shot(page: Page, name: string): Promise<void> {
  const dir = process.env.GH_SHOTS;
  if (dir) await page.screenshot({ path: join(dir, `${name}.png`) as `${string}.png` });
}

// ------------------------------------------------------------------ server-only checks

describe('guohui simulator (server)', () => {
  it('has valid EAN-13 goods and masks cards 6+4', () => {
    for (const g of DEFAULT_CATALOG) expect(isValidEan13(g.barcode), g.barcode).toBe(true);
    expect(maskCard('8868012345678901234')).toBe('886801*********1234');
    expect(maskCard('1234567890')).toBe('1234567890');
  });
});

// ------------------------------------------------------------------ browser flow

describe('guohui simulator (browser)', () => {
  let sim: Sim;
  let server: { port: number; close(): Promise<void>; setSimulator(id: string, s: unknown): void; errors: Error[] };
  let handle: { openPortal(id: string, path?: string): Promise<Page>; close(): Promise<void> };
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const latency: [number, number] = process.env.GH_LATENCY ? JSON.parse(process.env.GH_LATENCY) : [0, 20];
    const created = createGuohuiSimulator({ latency });
    sim = created as unknown as Sim;
    server = await startPortalServer({ simulators: [created] });
    handle = await launchBrowser({ server, extensionPath: BLANK_EXTENSION_PATH }); // the simulator alone: TenderBridge stays out
    page = await handle.openPortal('guohui', '/#/login?redirect=%2Findex');
    await page.setViewport({ width: 1400, height: 900 });
    page.on('pageerror', (e) => pageErrors.push(String((e as Error).message ?? e)));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.text().includes('[Vue warn]')) pageErrors.push(`console: ${m.text()}`);
    });
  }, 60_000);

  beforeEach((ctx) => {
    onTestFailed(async () => {
      const file = join(tmpdir(), `guohui-fail-${ctx.task.name.replace(/[^\w]+/g, '_').slice(0, 40)}.png`);
      await page?.screenshot({ path: file as `${string}.png` }).catch(() => {});
      const toasts = await page?.evaluate(() => Array.from(document.querySelectorAll('.el-message')).map((m) => m.textContent)).catch(() => []);
      console.error(`[guohui] screenshot ${file}; toasts ${JSON.stringify(toasts)}; page errors ${JSON.stringify(pageErrors)}`);
    });
  });

  afterAll(async () => {
    await handle?.close().catch(() => {});
    await server?.close();
  });

  it('sends a visitor to #/login?redirect=%2Findex, then logs in to 收银台', async () => {
    expect(page.url()).toBe('https://webpos.guohuijiankang.com/#/login?redirect=%2Findex');
    await login(page, 'md001');
    expect((await appState(page)).route).toBe('/index');
    expect(sim.state().account?.storeName).toContain('md001');
    // dark sidebar menu and breadcrumb
    const menu = await page.$$eval('.sidebar-container .el-menu-item', (els) => els.map((e) => e.textContent?.trim()));
    expect(menu).toEqual(['收银台', '订单列表']);
    expect(await page.$$eval('.app-breadcrumb .el-breadcrumb__inner', (els) => els.map((e) => e.textContent?.trim()))).toEqual(['首页', '收银台']);
    await shot(page, '01-cashier');
  });

  it('sells goods picked from the popper, with edited 单价/数量, card + password → 收款成功', async () => {
    // a name with three hits: pick one by clicking its option
    await typeInto(page, '输入商品名称/条码搜索', '布洛芬');
    const hits = await pickOption(page, '布洛芬混悬液');
    expect(hits).toBe(3);
    await until(page, () => (window as any).__guohui.state().lines.length === 1);
    // a barcode: one hit, still picked by clicking
    await typeInto(page, '输入商品名称/条码搜索', COLD_GRANULES);
    await pickOption(page, COLD_GRANULES);
    await until(page, () => (window as any).__guohui.state().lines.length === 2);

    await editLine(page, COLD_GRANULES, '单价', '18.5');
    await editLine(page, IBU_SUSPENSION, '数量', '2');
    await until(page, (a: string, b: string) => {
      const ls = (window as any).__guohui.state().lines;
      return ls.find((l: any) => l.barcode === a)?.unitFen === 1850 && ls.find((l: any) => l.barcode === b)?.qty === 2;
    }, COLD_GRANULES, IBU_SUSPENSION);
    expect(await (await lineInput(page, COLD_GRANULES, '单价')).evaluate((i) => (i as HTMLInputElement).value)).toBe('18.50');
    await until(page, () => document.querySelector('.gh-total')?.textContent === '¥76.10'); // 18.50 + 2 × 28.80

    await typeByLabel(page, '备注/门店单号', 'XS20251122-0007');
    await shot(page, '02-lines');
    await clickText(page, '去收款');

    const member = await dialog(page, '会员验证');
    expect(await member.evaluate((d) => d.parentElement?.closest('#app'))).toBeNull(); // appended to <body>
    await clickText(page, '读卡', member); // nothing typed: no reader
    await until(page, () => Array.from(document.querySelectorAll('.el-message')).some((m) => m.textContent?.includes('未检测到读卡器')));
    await typeInto(page, '请刷卡、输入卡号或扫描付款码', CARD, member);
    expect(await member.$eval('.el-dialog__footer .el-button--primary', (b) => (b as HTMLButtonElement).disabled)).toBe(true);
    await clickText(page, '读卡', member);
    await until(page, () => document.querySelector('.gh-member-info')?.textContent?.includes('886801*********1234'));
    await shot(page, '03-member');
    await clickText(page, '确认收款', member);

    const pwd = await dialog(page, '输入支付密码');
    const pwdType = await pwd.$eval('input', (i) => (i as HTMLInputElement).type);
    expect(pwdType).toBe('password');
    await typeInto(page, '请输入6位支付密码', '246810', pwd);
    await clickText(page, '确定', pwd);

    const ok = await dialog(page, '收款成功');
    await shot(page, '04-success');
    const v = await formValues(ok);
    expect(v['交易流水号：']).toMatch(/^GH\d{14}\d{6}$/);
    expect(v['门店单号：']).toBe('XS20251122-0007');
    expect(v['订单金额：']).toBe('76.10 元');
    expect(v['实付金额：']).toBe('76.10 元');
    expect(v['会员卡号：']).toBe('886801*********1234');
    expect(v['收款时间：']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    await dialogGone(page, '会员验证');
    await dialogGone(page, '输入支付密码');

    const st = sim.state();
    expect(st.orders).toHaveLength(1);
    expect(st.orders[0]).toMatchObject({
      vendorOrderNo: v['交易流水号：'],
      storeOrderNo: 'XS20251122-0007',
      amountFen: 7610,
      paidFen: 7610,
      cardMasked: '886801*********1234',
      status: 'paid',
      mode: 'goods',
      lines: [
        { barcode: IBU_SUSPENSION, name: '布洛芬混悬液', qty: 2, unitFen: 2880 },
        { barcode: COLD_GRANULES, name: '感冒灵颗粒', qty: 1, unitFen: 1850 },
      ],
    });
    expect(st.orders[0]!.paidAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    // the same over HTTP, from the page's origin
    const viaHttp = await page.evaluate(async () => (await fetch('/__sim/state')).json());
    expect(viaHttp.orders[0].vendorOrderNo).toBe(v['交易流水号：']);

    await clickText(page, '完成', ok);
    await dialogGone(page, '收款成功');
    await until(page, () => (window as any).__guohui.state().lines.length === 0);
  });

  it('按金额收款: a wrong password is refused, then a failed payment shows 收款失败', async () => {
    sim.control.password = '135790';
    sim.control.failNextPayment = true;
    await clickText(page, '按金额收款', undefined, '.el-tabs__item');
    await typeByLabel(page, '收款金额', '36');
    await until(page, () => document.querySelector('.gh-total')?.textContent === '¥36.00');
    await clickText(page, '去收款');
    const member = await dialog(page, '会员验证');
    await typeInto(page, '请刷卡、输入卡号或扫描付款码', '288812345678901234', member);
    await page.keyboard.press('Enter'); // a scanner's Enter reads the code too
    await until(page, () => document.querySelector('.gh-member-info')?.textContent?.includes('国惠健康付款码'));
    await clickText(page, '确认收款', member);
    let pwd = await dialog(page, '输入支付密码');
    await typeInto(page, '请输入6位支付密码', '000000', pwd);
    await clickText(page, '确定', pwd);
    await until(page, () => Array.from(document.querySelectorAll('.el-message')).some((m) => m.textContent?.includes('支付密码错误')));
    expect(sim.state().orders).toHaveLength(1);
    pwd = await dialog(page, '输入支付密码');
    await typeInto(page, '请输入6位支付密码', '135790', pwd);
    await clickText(page, '确定', pwd);

    const bad = await dialog(page, '收款失败');
    await shot(page, '05-failed');
    expect(await bad.evaluate((d) => d.textContent)).toContain('支付渠道返回异常');
    const st = sim.state();
    expect(st.orders).toHaveLength(2);
    expect(st.orders[1]).toMatchObject({ status: 'failed', amountFen: 3600, paidFen: 0, mode: 'amount', storeOrderNo: '', cardMasked: '288812********1234' });
    expect(st.orders[1]!.lines).toBeUndefined();
    expect(sim.control.failNextPayment).toBe(false);
    await clickText(page, '关闭', bad);
    await dialogGone(page, '收款失败');
    expect((await appState(page)).mode).toBe('amount'); // the amount stays for another try
  });

  it('订单列表 lists both orders, newest first', async () => {
    await clickText(page, '订单列表', undefined, '.el-menu-item');
    await until(page, () => location.hash === '#/order/list');
    await until(page, () => document.querySelectorAll('.gh-order-table .el-table__body-wrapper tr.el-table__row').length === 2);
    const rows = await page.$$eval('.gh-order-table .el-table__body-wrapper tr.el-table__row', (trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent?.trim())),
    );
    const heads = await page.$$eval('.gh-order-table .el-table__header-wrapper th', (ths) => ths.map((th) => th.textContent?.trim()));
    expect(heads).toEqual(['序号', '交易流水号', '门店单号', '订单金额', '实付金额', '会员卡号', '收款方式', '状态', '收款时间']);
    expect(rows[0]![7]).toBe('收款失败');
    expect(rows[1]![2]).toBe('XS20251122-0007');
    expect(rows[1]![3]).toBe('76.10');
    expect(rows[1]![7]).toBe('收款成功');
    await shot(page, '06-orders');
  });

  it('a renamed variant shows the new button text', async () => {
    const variant = createGuohuiSimulator({ latency: [0, 20], renamed: { 去收款: '立即收款' } });
    server.setSimulator('guohui', variant);
    await page.goto('https://webpos.guohuijiankang.com/#/index');
    await page.reload(); // a hash-only goto stays in the same document
    // the new server does not know the old token: back to the login page
    await until(page, () => location.hash.startsWith('#/login'));
    await login(page, 'md002');
    await until(page, () => Array.from(document.querySelectorAll('button')).some((b) => b.textContent?.trim() === '立即收款'));
    const texts = await page.$$eval('button', (bs) => bs.map((b) => b.textContent?.replace(/\s+/g, '')));
    expect(texts).not.toContain('去收款');
    expect(variant.state().renamed).toEqual({ 去收款: '立即收款' });
    server.setSimulator('guohui', sim);
    expect(pageErrors).toEqual([]);
  });
});
