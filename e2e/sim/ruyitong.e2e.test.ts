// Self-test of the 如医通 (ruyitong) web-POS simulator: drives it by hand with puppeteer, the way a
// cashier would (typing, clicking, Enter). No extension behaviour is asserted here.
import { describe, it, expect, beforeAll, afterAll, beforeEach, onTestFailed } from 'vitest';
import { BLANK_EXTENSION_PATH } from './blank-extension.mjs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, ElementHandle, Page } from 'puppeteer-core';
// @ts-ignore -- plain ESM JS harness/simulator modules (no type declarations)
import { startPortalServer, launchBrowser, gunScan } from '../harness/index.mjs';
// @ts-ignore -- plain ESM JS
import * as ryt from './ruyitong/server.mjs';
import { typeAsPerson, untilSettled } from '../support/cashier';

type Line = { barcode: string; name: string; qty: number; unitFen: number; originalFen: number };
type Order = {
  vendorOrderNo: string;
  storeOrderNo: string;
  lines: Line[];
  totalFen: number;
  cardFen: number;
  cashFen: number;
  credential: { type: 'idcard' | 'paycode'; masked: string };
  status: 'paid' | 'failed' | 'refunded';
  paidAt: string;
  refundedAt?: string;
  refundNo?: string;
};
type SimState = { account: null | { username: string; storeName: string }; orders: Order[]; control: { failNextPayment: boolean; cardBalanceFen: unknown } };
type Sim = {
  id: string;
  host: string;
  staticDir: string;
  state(): SimState;
  reset(): void;
  control: { failNextPayment: boolean; cardBalanceFen: unknown; latency: [number, number] };
  handle: unknown;
};
type AppState = {
  route: string;
  step: string;
  cart: Line[];
  storeOrderNo: string;
  credentialType: string;
  lastResult: null | { status: string; vendorOrderNo: string; totalFen: number; cardFen: number; cashFen: number };
};

const ORIGIN = 'https://saas.ringnex.com';
const BARCODE_ONE_HIT = '6923456789012'; // 阿莫西林胶囊 2600
const BARCODE_TWO_HITS = '6901234567892'; // 感冒灵颗粒 1850 + 赠品 6901234567892 组合装

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------ DOM helpers (cashier-level)

/** Waits for a predicate evaluated in the page. */
async function until<T>(page: Page, fn: string | ((...a: any[]) => T), ...args: unknown[]): Promise<void> {
  await page.waitForFunction(fn as any, { timeout: 8000, polling: 25 }, ...(args as any[]));
}

/** The visible el-dialog whose title is `title` (waits for it). */
async function dialog(page: Page, title: string): Promise<ElementHandle<Element>> {
  const handle = await page.waitForFunction(
    (t: string) => {
      for (const d of Array.from(document.querySelectorAll<HTMLElement>('.el-dialog'))) {
        const head = d.querySelector('.el-dialog__title')?.textContent?.trim();
        if (head === t && d.offsetParent !== null && d.getClientRects().length) return d;
      }
      return null;
    },
    { timeout: 8000, polling: 25 },
    title,
  );
  return handle as ElementHandle<Element>;
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

/** Clicks the visible button (or el-dropdown item) whose text is exactly `text`, inside `scope`. */
async function clickText(page: Page, text: string, scope?: ElementHandle<Element>, selector = 'button'): Promise<void> {
  const handle = await page.waitForFunction(
    (root: Element | null, t: string, sel: string) => {
      const base: ParentNode = root ?? document;
      for (const b of Array.from(base.querySelectorAll<HTMLElement>(sel))) {
        if ((b.textContent ?? '').replace(/\s+/g, '') !== t) continue;
        if (b.offsetParent === null || (b as HTMLButtonElement).disabled) continue;
        // clickable = on top at its centre (no closing dialog's overlay or mask still over it)
        const r = b.getBoundingClientRect();
        const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        // The extension (loaded by launchBrowser) may show its own card, a shadow-root host on
        // <body>; this test drives the simulator only, so such foreign UI is hidden.
        if (top && top.shadowRoot && top.parentElement === document.body) {
          (top as HTMLElement).style.display = 'none';
          continue;
        }
        if (!top || !b.contains(top)) continue;
        return b;
      }
      return null;
    },
    { timeout: 8000, polling: 25 },
    scope ?? null,
    text,
    selector,
  );
  await untilSettled(handle as ElementHandle<Element>);
  await (handle as ElementHandle<Element>).click();
}

/** Hides foreign UI over the page (the extension's shadow-root card on <body>), see clickText. */
async function hideForeignUi(page: Page): Promise<void> {
  await page.evaluate(() => {
    for (const el of Array.from(document.body.children)) if (el.shadowRoot) (el as HTMLElement).style.display = 'none';
  });
}

/** Types into the visible input with that placeholder (clears it first). */
async function typeInto(page: Page, placeholder: string, text: string, scope?: ElementHandle<Element>): Promise<ElementHandle<Element>> {
  const input = (await page.waitForFunction(
    (root: Element | null, ph: string) => {
      const base: ParentNode = root ?? document;
      for (const i of Array.from(base.querySelectorAll<HTMLInputElement>('input'))) {
        if (i.placeholder === ph && i.offsetParent !== null) return i;
      }
      return null;
    },
    { timeout: 8000, polling: 25 },
    scope ?? null,
    placeholder,
  )) as ElementHandle<Element>;
  await hideForeignUi(page);
  await typeAsPerson(page, input, text);
  return input;
}

async function appState(page: Page): Promise<AppState> {
  return page.evaluate(() => (window as any).__ruyitong.state());
}

/** The cell of the order table (交易申请 cart) in the row with that 条码, under column `label`. */
async function cartCell(page: Page, barcode: string, label: string): Promise<ElementHandle<Element>> {
  const cell = await page.waitForFunction(
    (bc: string, lb: string) => {
      const table = document.querySelector('.ryt-cart-table');
      if (!table) return null;
      const heads = Array.from(table.querySelectorAll('.el-table__header-wrapper th')).map((th) => th.textContent?.trim());
      const col = heads.indexOf(lb);
      const codeCol = heads.indexOf('条码');
      if (col < 0 || codeCol < 0) return null;
      for (const tr of Array.from(table.querySelectorAll('.el-table__body-wrapper tr.el-table__row'))) {
        const tds = tr.querySelectorAll('td');
        if (tds[codeCol]?.textContent?.trim() === bc) return tds[col];
      }
      return null;
    },
    { timeout: 8000, polling: 25 },
    barcode,
    label,
  );
  return cell as ElementHandle<Element>;
}

/** Replaces the value of the input inside a cart cell by typing, then Tab (blur → change). */
async function editCartCell(page: Page, barcode: string, label: string, text: string): Promise<void> {
  const cell = await cartCell(page, barcode, label);
  const input = (await cell.$('input'))!;
  await hideForeignUi(page);
  await typeAsPerson(page, input, text);
  await page.keyboard.press('Tab');
}

/** label → value of the el-descriptions inside `scope`. */
async function descriptions(scope: ElementHandle<Element>): Promise<Record<string, string>> {
  return scope.evaluate((root) => {
    const out: Record<string, string> = {};
    for (const l of Array.from(root.querySelectorAll('.el-descriptions__label'))) {
      const v = l.nextElementSibling;
      out[(l.textContent ?? '').trim()] = (v?.textContent ?? '').trim();
    }
    return out;
  });
}

async function search(page: Page, text: string, how: 'enter' | 'button' = 'enter'): Promise<void> {
  await typeInto(page, '请输入商品条码/拼音首字母/商品名称', text);
  if (how === 'enter') await page.keyboard.press('Enter');
  else await clickText(page, '搜索');
}

/** Screenshots for eyeballing the simulator: set RYT_SHOTS=<dir> to keep one per step. */
async function shot(page: Page, name: string): Promise<void> {
  const dir = process.env.RYT_SHOTS;
  if (dir) await page.screenshot({ path: join(dir, `${name}.png`) as `${string}.png` });
}

async function simState(page: Page): Promise<SimState> {
  return page.evaluate(async () => (await fetch('/__sim/state')).json());
}

// ------------------------------------------------------------------ server-only checks

describe('ruyitong simulator (server)', () => {
  it('has a catalog of valid EAN-13 goods with the two-hit barcode', () => {
    const cat: ReadonlyArray<{ barcode: string; name: string; priceFen: number; pinyin: string }> = ryt.DEFAULT_CATALOG;
    expect(cat.length).toBeGreaterThanOrEqual(12);
    for (const g of cat) {
      expect(ryt.isValidEan13(g.barcode), g.barcode).toBe(true);
      expect(Number.isInteger(g.priceFen)).toBe(true);
    }
    expect(ryt.isValidEan13('6934567890129')).toBe(false);
    expect(cat.map((g) => g.barcode)).toEqual(expect.arrayContaining(['6901234567892', '6923456789012', '6934567890122']));
    const hits = cat.filter((g) => g.barcode.includes(BARCODE_TWO_HITS) || g.name.includes(BARCODE_TWO_HITS));
    expect(hits.length).toBe(2);
    expect(new Set(cat.map((g) => g.barcode)).size).toBe(cat.length);
  });

  it('makes a valid tiny PDF', () => {
    const pdf: Buffer = ryt.makeReceiptPdf(['hello (world)']);
    const text = pdf.toString('latin1');
    expect(text.startsWith('%PDF-1.4')).toBe(true);
    const xref = Number(/startxref\n(\d+)/.exec(text)![1]);
    expect(text.slice(xref, xref + 4)).toBe('xref');
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
  });
});

// ------------------------------------------------------------------ browser flow

describe('ruyitong simulator (browser)', () => {
  let sim: Sim;
  let server: { port: number; close(): Promise<void>; errors: Error[] };
  let handle: { browser: Browser; openPortal(id: string, path?: string): Promise<Page>; close(): Promise<void>; pageErrors: unknown[] };
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    // fast by default; RYT_LATENCY='[50,500]' runs it at the simulator's realistic default
    const latency: [number, number] = process.env.RYT_LATENCY ? JSON.parse(process.env.RYT_LATENCY) : [0, 20];
    const created = ryt.createRuyitongSimulator({ latency });
    sim = created as unknown as Sim;
    server = await startPortalServer({ simulators: [created] });
    handle = await launchBrowser({ server, extensionPath: BLANK_EXTENSION_PATH }); // the simulator alone: TenderBridge stays out
    browser = handle.browser;
    page = await handle.openPortal('ruyitong', '/#/login');
    await page.setViewport({ width: 1400, height: 900 });
    page.on('pageerror', (e) => pageErrors.push(String((e as Error).message ?? e)));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warn') pageErrors.push(`${m.type()}: ${m.text()}`);
    });
  }, 60_000);

  beforeEach((ctx) => {
    // On failure keep a screenshot and the visible toasts, to see what the page showed.
    onTestFailed(async () => {
      const file = join(tmpdir(), `ruyitong-fail-${ctx.task.name.replace(/[^\w]+/g, '_').slice(0, 40)}.png`);
      await page?.screenshot({ path: file as `${string}.png` }).catch(() => {});
      const toasts = await page?.evaluate(() => Array.from(document.querySelectorAll('.el-message')).map((m) => m.textContent)).catch(() => []);
      console.error(`[ruyitong] failure screenshot: ${file}; toasts: ${JSON.stringify(toasts)}; page errors: ${JSON.stringify(pageErrors)}; last API calls: ${JSON.stringify((sim?.state() as any)?.requests?.slice(-4))}`);
    });
  });

  afterAll(async () => {
    await handle?.close().catch(() => {});
    await server?.close();
  });

  it('logs in by typing and lands on 交易申请', async () => {
    await until(page, () => location.hash === '#/login' && !!document.querySelector('.ryt-login'));
    await typeInto(page, '请输入用户名', 'ryt_md001');
    await typeInto(page, '请输入密码', 'secret');
    await clickText(page, '登录');
    await until(page, () => location.hash === '#/trade');
    await until(page, () => document.querySelector('.ryt-store-name')?.textContent?.includes('ryt_md001'));
    const s = await appState(page);
    expect(s.route).toBe('/trade');
    expect(s.step).toBe('goods');
    expect(sim.state().account).toBeTruthy();
  });

  it('sells with a discount, an edited price, a two-hit pick and a cash part asked twice', async () => {
    sim.control.cardBalanceFen = 30000; // 300.00 on the card; the rest is cash

    // one hit → straight into the order
    await search(page, BARCODE_ONE_HIT);
    await until(page, () => (window as any).__ruyitong.state().cart.length === 1);

    // two hits → the list dialog; pick the row whose 条码 column is the barcode
    await search(page, BARCODE_TWO_HITS, 'button');
    const pick = await dialog(page, '选择商品');
    const rows = await pick.$$('.el-table__body-wrapper tr.el-table__row');
    expect(rows.length).toBe(2);
    let picked = false;
    for (const r of rows) {
      const code = await r.evaluate((tr) => {
        const table = tr.closest('.el-table')!;
        const heads = Array.from(table.querySelectorAll('.el-table__header-wrapper th')).map((th) => th.textContent?.trim());
        return tr.querySelectorAll('td')[heads.indexOf('条码')]?.textContent?.trim();
      });
      if (code === BARCODE_TWO_HITS) {
        await (await r.$('.el-checkbox'))!.click();
        picked = true;
      }
    }
    expect(picked).toBe(true);
    await shot(page, '02-pick');
    await clickText(page, '添加商品', pick);
    await dialogGone(page, '选择商品');
    await until(page, () => (window as any).__ruyitong.state().cart.length === 2);

    // a USB-gun scan of the same goods again → quantity 2 (typed fast + Enter)
    await page.focus('input[placeholder="请输入商品条码/拼音首字母/商品名称"]');
    await gunScan(page, BARCODE_ONE_HIT);
    await until(page, (bc: string) => (window as any).__ruyitong.state().cart.find((l: Line) => l.barcode === bc)?.qty === 2, BARCODE_ONE_HIT);

    // 折扣 9.5 on 18.50 → 17.575 → 17.58 (half-up)
    await editCartCell(page, BARCODE_TWO_HITS, '折扣', '9.5');
    await until(page, (bc: string) => (window as any).__ruyitong.state().cart.find((l: Line) => l.barcode === bc)?.unitFen === 1758, BARCODE_TWO_HITS);
    const priceShown = await (await cartCell(page, BARCODE_TWO_HITS, '单价')).$eval('input', (i) => (i as HTMLInputElement).value);
    expect(priceShown).toBe('17.58');

    // 单价 of 阿莫西林 → 1200.00, 数量 3 → 2
    await editCartCell(page, BARCODE_ONE_HIT, '单价', '1200');
    await editCartCell(page, BARCODE_ONE_HIT, '数量', '2');
    await until(page, (bc: string) => {
      const l = (window as any).__ruyitong.state().cart.find((x: Line) => x.barcode === bc);
      return l?.unitFen === 120000 && l?.qty === 2;
    }, BARCODE_ONE_HIT);
    const priceText = await (await cartCell(page, BARCODE_ONE_HIT, '单价')).$eval('input', (i) => (i as HTMLInputElement).value);
    expect(priceText).toBe('1200.00');
    await until(page, () => document.querySelector('.ryt-order-total')?.textContent === '¥2417.58');

    await shot(page, '03-cart');
    await clickText(page, '下一步');
    await until(page, () => (window as any).__ruyitong.state().step === 'storeOrderNo');

    // empty store order number → validation message
    await clickText(page, '下一步');
    await until(page, () => Array.from(document.querySelectorAll('.el-form-item__error')).some((e) => e.textContent?.includes('请输入门店订单号')));
    expect((await appState(page)).step).toBe('storeOrderNo');
    await shot(page, '04-store-order-empty');
    await typeInto(page, '请输入门店POS订单号', 'POS-0001-88');
    await clickText(page, '下一步');
    await until(page, () => (window as any).__ruyitong.state().step === 'credential');

    // 身份证 + 6-digit password
    expect((await appState(page)).credentialType).toBe('idcard');
    await typeInto(page, '请输入顾客身份证号', '11010119900307123X');
    await clickText(page, '确认');
    const pwd = await dialog(page, '请顾客输入6位密码');
    await typeInto(page, '请输入6位数字密码', '123456', pwd);
    await shot(page, '05-password');
    await clickText(page, '确定', pwd);
    await until(page, () => (window as any).__ruyitong.state().step === 'settle');
    await until(page, () => document.querySelector('.ryt-settle-total')?.textContent === '¥2417.58');

    // 确认结账 → cash 2117.58 (> 2000 元) asked twice, typed by hand
    await clickText(page, '确认结账');
    let cash = await dialog(page, '请输入现金支付金额');
    expect(await cash.evaluate((d) => d.textContent)).toContain('¥2117.58');
    await shot(page, '06-cash');
    await typeInto(page, '请手动输入现金金额（元）', '2000', cash);
    await clickText(page, '确定', cash);
    await until(page, () => Array.from(document.querySelectorAll('.el-message')).some((m) => m.textContent?.includes('现金金额输入有误')));
    cash = await dialog(page, '请输入现金支付金额');
    await typeInto(page, '请手动输入现金金额（元）', '2117.58', cash);
    await clickText(page, '确定', cash);
    const again = await dialog(page, '请再次输入现金金额');
    await shot(page, '07-cash-again');
    await typeInto(page, '请再次手动输入现金金额（元）', '2117.58', again);
    await clickText(page, '确定', again);

    const ok = await dialog(page, '交易成功');
    await shot(page, '08-success');
    const d = await descriptions(ok);
    expect(d['交易流水号']).toMatch(/^RYT\d{8}\d{6}$/);
    expect(d['门店订单号']).toBe('POS-0001-88');
    expect(d['交易金额']).toBe('¥2417.58');
    expect(d['卡支付']).toBe('¥300.00');
    expect(d['现金支付']).toBe('¥2117.58');
    expect(d['身份证号']).toBe('110101********123X');
    expect(d['交易时间']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

    const st = sim.state();
    expect(st.orders).toHaveLength(1);
    const o = st.orders[0]!;
    expect(o).toMatchObject({
      vendorOrderNo: d['交易流水号'],
      storeOrderNo: 'POS-0001-88',
      totalFen: 241758,
      cardFen: 30000,
      cashFen: 211758,
      status: 'paid',
      credential: { type: 'idcard', masked: '110101********123X' },
    });
    expect(o.paidAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    expect(o.lines).toEqual([
      { barcode: BARCODE_ONE_HIT, name: '阿莫西林胶囊', qty: 2, unitFen: 120000, originalFen: 2600 },
      { barcode: BARCODE_TWO_HITS, name: '感冒灵颗粒', qty: 1, unitFen: 1758, originalFen: 1850 },
    ]);
    expect(sim.control.cardBalanceFen).toBe(0);
    expect((await appState(page)).lastResult).toMatchObject({ status: 'paid', vendorOrderNo: o.vendorOrderNo, cashFen: 211758 });

    // 打印小票 → a PDF in a new tab
    const opened = browser.waitForTarget((t) => t.url().includes('/api/order/receipt'), { timeout: 8000 });
    await clickText(page, '打印小票', ok);
    const target = await opened;
    expect(target.url()).toContain(o.vendorOrderNo);
    const pdf = await page.evaluate(async (u: string) => {
      const r = await fetch(u);
      return { type: r.headers.get('content-type'), head: (await r.text()).slice(0, 8) };
    }, target.url());
    expect(pdf).toEqual({ type: 'application/pdf', head: '%PDF-1.4' });
    const tp = await target.page().catch(() => null);
    await tp?.close().catch(() => {});

    await clickText(page, '完成', ok);
    await dialogGone(page, '交易成功');
    const fresh = await appState(page);
    expect(fresh.step).toBe('goods');
    expect(fresh.cart).toEqual([]);
  }, 60_000);

  it('refunds in 交易查询', async () => {
    const no = sim.state().orders[0]!.vendorOrderNo;
    await clickText(page, '交易申请', undefined, '.ryt-header__menu button');
    await clickText(page, '交易查询', undefined, '.el-dropdown-menu__item');
    await until(page, () => location.hash === '#/query');
    const row = (await page.waitForFunction(
      (n: string) =>
        Array.from(document.querySelectorAll('.ryt-order-table .el-table__body-wrapper tr.el-table__row')).find((tr) =>
          tr.textContent?.includes(n),
        ) ?? null,
      { timeout: 8000, polling: 25 },
      no,
    )) as ElementHandle<Element>;
    expect(await row.evaluate((tr) => tr.textContent)).toContain('成功');
    // the 操作 column is fixed right: EP renders it in the same row; click the visible 退货
    await clickText(page, '退货', row);
    const box = (await page.waitForSelector('.el-message-box', { visible: true }))!;
    expect(await box.evaluate((b) => b.textContent)).toContain('¥2117.58');
    await shot(page, '09-refund-confirm');
    await clickText(page, '确认', box);
    await until(page, () => Array.from(document.querySelectorAll('.el-message')).some((m) => /退货流水号：RYTTH\d{14}/.test(m.textContent ?? '')));
    await until(
      page,
      (n: string) =>
        Array.from(document.querySelectorAll('.ryt-order-table .el-table__body-wrapper tr.el-table__row')).some(
          (tr) => tr.textContent?.includes(n) && tr.textContent.includes('已退货'),
        ),
      no,
    );
    await shot(page, '10-refunded');
    const o = sim.state().orders[0]!;
    expect(o.status).toBe('refunded');
    expect(o.refundedAt).toMatch(/\+08:00$/);
    expect(o.refundNo).toMatch(/^RYTTH\d{14}$/);
    expect(sim.control.cardBalanceFen).toBe(30000);
  }, 30_000);

  it('shows 交易失败 after failNextPayment (pay code, pinyin search)', async () => {
    const ctl = await page.evaluate(async () => {
      const r = await fetch('/__sim/control', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ failNextPayment: true }) });
      return r.json();
    });
    expect(ctl.failNextPayment).toBe(true);

    await page.goto(`${ORIGIN}/#/trade`, { waitUntil: 'domcontentloaded' });
    await search(page, 'blgkl');
    await until(page, () => (window as any).__ruyitong.state().cart.length === 1);
    expect((await appState(page)).cart[0]).toMatchObject({ name: '板蓝根颗粒', qty: 1, unitFen: 1500 });
    await clickText(page, '下一步');
    await typeInto(page, '请输入门店POS订单号', 'POS-0002');
    await page.keyboard.press('Enter');
    await until(page, () => (window as any).__ruyitong.state().step === 'credential');
    await clickText(page, '平安企业宝付款码', undefined, 'label.el-radio');
    await until(page, () => (window as any).__ruyitong.state().credentialType === 'paycode');
    await typeInto(page, '请扫描或输入平安企业宝付款码', '286512345678901234');
    await clickText(page, '确认');
    await shot(page, '11-paycode');
    const box = (await page.waitForSelector('.el-message-box', { visible: true }))!;
    expect(await box.evaluate((b) => b.textContent)).toContain('请确认顾客已在平安企业宝App中确认支付');
    await clickText(page, '确认', box);
    await until(page, () => (window as any).__ruyitong.state().step === 'settle');
    await clickText(page, '确认结账');
    const failed = await dialog(page, '交易失败');
    await shot(page, '12-failed');
    expect(await failed.evaluate((d) => d.textContent)).toContain('退还');
    const st = await simState(page);
    const o = st.orders[st.orders.length - 1]!;
    expect(o).toMatchObject({ status: 'failed', storeOrderNo: 'POS-0002', totalFen: 1500, cashFen: 0, credential: { type: 'paycode', masked: '2865**********1234' } });
    expect(st.control.failNextPayment).toBe(false);
    expect((await appState(page)).lastResult?.status).toBe('failed');
    await clickText(page, '完成', failed);
    expect((await appState(page)).cart).toEqual([]);
    expect(server.errors).toEqual([]);
    expect(handle.pageErrors).toEqual([]);
  }, 30_000);
});
