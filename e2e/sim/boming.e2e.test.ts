// Self-test of the 博明卡 (boming) web-POS simulator: drives it by hand with puppeteer, as a cashier
// (and the customer) would — typing, clicking, a scanner's keys. No extension behaviour is asserted.
import { describe, it, expect, beforeAll, afterAll, beforeEach, onTestFailed } from 'vitest';
import { BLANK_EXTENSION_PATH } from './blank-extension.mjs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElementHandle, Page } from 'puppeteer-core';
// @ts-ignore -- plain ESM JS harness/simulator modules (no type declarations)
import { startPortalServer, launchBrowser, gunScan } from '../harness/index.mjs';
// @ts-ignore -- plain ESM JS
import * as bm from './boming/server.mjs';
import { typeAsPerson, untilSettled } from '../support/cashier';

type Line = { barcode: string; name: string; qty: number; unitFen: number; listFen: number };
type Order = {
  vendorOrderNo: string;
  storeOrderNo: string;
  mode: 'goods' | 'amount';
  lines: Line[];
  amountFen: number;
  cardFen: number;
  cashFen: number;
  credential: { type: 'yingda-qr' | 'boming-qr' | 'idcard'; masked: string };
  status: 'paid' | 'failed' | 'refunded';
  paidAt: string;
  failReason?: string;
  refundedAt?: string;
};
type SimState = { account: null | { account: string; storeName: string }; orders: Order[]; control: Record<string, unknown> };
type Sim = {
  id: string;
  host: string;
  state(): SimState;
  reset(): void;
  control: { failNextPayment: boolean | string; latency: number[]; payDelayMs: number; balanceFen: number | null; renamed: Record<string, string> };
  catalog: Array<{ barcode: string; name: string; priceFen: number }>;
};
type AppState = {
  route: string;
  loggedIn: boolean;
  mode: 'goods' | 'amount';
  lines: Array<{ barcode: string; qty: number | null; unitFen: number | null; priceText: string; qtyText: string }>;
  storeOrderNo: string;
  amountFen: number | null;
  totalFen: number | null;
  dialog: null | string;
  lastResult: null | { status: string; vendorOrderNo: string | null; reason?: string };
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const byName = (sim: Sim, name: string) => sim.catalog.find((g) => g.name === name)!;

// ------------------------------------------------------------------ DOM helpers (cashier-level)

async function until(page: Page, fn: string | ((...a: any[]) => unknown), ...args: unknown[]): Promise<void> {
  await page.waitForFunction(fn as any, { timeout: 8000, polling: 25 }, ...(args as any[]));
}

/** The visible role=dialog whose aria-labelledby title is `title`. */
async function dialog(page: Page, title: string): Promise<ElementHandle<Element>> {
  return (await page.waitForFunction(
    (t: string) => {
      for (const d of Array.from(document.querySelectorAll<HTMLElement>('[role="dialog"]'))) {
        const head = document.getElementById(d.getAttribute('aria-labelledby') ?? '')?.textContent?.trim();
        if (head === t && d.getClientRects().length) return d;
      }
      return null;
    },
    { timeout: 8000, polling: 25 },
    title,
  )) as ElementHandle<Element>;
}

async function noDialog(page: Page): Promise<void> {
  await until(page, () => document.querySelectorAll('[role="dialog"]').length === 0);
}

/** Clicks the visible, enabled element matching `selector` whose trimmed text is exactly `text`. */
async function clickText(page: Page, text: string, scope?: ElementHandle<Element>, selector = 'button'): Promise<void> {
  const handle = (await page.waitForFunction(
    (root: Element | null, t: string, sel: string) => {
      for (const b of Array.from((root ?? document).querySelectorAll<HTMLElement>(sel))) {
        if ((b.textContent ?? '').trim() !== t) continue;
        if (!b.getClientRects().length || (b as HTMLButtonElement).disabled) continue;
        const r = b.getBoundingClientRect();
        const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        // The extension (loaded by launchBrowser) may show its own UI, a shadow-root host on <body>;
        // this test drives the simulator only, so such foreign UI is hidden.
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
  )) as ElementHandle<Element>;
  await untilSettled(handle);
  await handle.click();
}

type Field = { placeholder?: string; ariaLabel?: string; label?: string };
/** A visible input found as a cashier's eye would: by placeholder, aria-label or the label text above it. */
async function field(page: Page, f: Field, scope?: ElementHandle<Element>): Promise<ElementHandle<HTMLInputElement>> {
  return (await page.waitForFunction(
    (root: Element | null, q: Field) => {
      const base = root ?? document;
      const visible = (i: HTMLInputElement) => i.getClientRects().length > 0;
      if (q.label) {
        for (const l of Array.from(base.querySelectorAll('label'))) {
          if (l.textContent?.trim() !== q.label) continue;
          const i = l.parentElement?.querySelector('input');
          if (i && visible(i)) return i;
        }
        return null;
      }
      for (const i of Array.from(base.querySelectorAll<HTMLInputElement>('input'))) {
        if (q.placeholder !== undefined && i.placeholder !== q.placeholder) continue;
        if (q.ariaLabel !== undefined && i.getAttribute('aria-label') !== q.ariaLabel) continue;
        if (visible(i)) return i;
      }
      return null;
    },
    { timeout: 8000, polling: 25 },
    scope ?? null,
    f,
  )) as ElementHandle<HTMLInputElement>;
}

/** Selects what the input holds and types `text` over it, with real key events. */
async function typeInto(page: Page, f: Field, text: string, scope?: ElementHandle<Element>): Promise<ElementHandle<HTMLInputElement>> {
  const input = await field(page, f, scope);
  await typeAsPerson(page, input, text, { check: false }); // some fields refuse keys on purpose
  return input;
}

const valueOf = (input: ElementHandle<HTMLInputElement>) => input.evaluate((i) => i.value);

async function appState(page: Page): Promise<AppState> {
  return page.evaluate(() => (window as any).__boming.state());
}

/** The result modal's description rows: label → value. */
async function resultRows(d: ElementHandle<Element>): Promise<Record<string, string>> {
  return d.evaluate((el) => {
    const out: Record<string, string> = {};
    for (const row of Array.from(el.querySelectorAll('dl > div'))) {
      out[row.querySelector('dt')!.textContent!.trim()] = row.querySelector('dd')!.textContent!.trim();
    }
    return out;
  });
}

/** The cart row of that barcode (tr[data-row-key]). */
async function cartRow(page: Page, barcode: string): Promise<ElementHandle<Element>> {
  return (await page.waitForFunction((b: string) => document.querySelector(`tr[data-row-key="${b}"]`), { timeout: 8000, polling: 25 }, barcode)) as ElementHandle<Element>;
}

async function total(page: Page): Promise<string> {
  return page.$eval('.bm-total', (e) => e.textContent!.trim());
}

// ------------------------------------------------------------------ the test

describe('boming simulator (博明卡 web-POS)', () => {
  let sim: Sim;
  let server: { port: number; close(): Promise<void>; errors: Error[]; setSimulator(id: string, s: unknown): void };
  let handle: { openPortal(id: string, path?: string): Promise<Page>; close(): Promise<void> };
  let page: Page;
  const pageErrors: string[] = [];

  async function login(p: Page, account = 'bm_md001') {
    await until(p, () => location.pathname === '/login' && !!document.querySelector('form'));
    await typeInto(p, { label: '账号' }, account);
    await typeInto(p, { label: '密码' }, '333333');
    await clickText(p, '登 录'); // the space is part of the button text
    await until(p, () => location.pathname === '/cashier' && !!document.querySelector('input[placeholder="商品名称 / 条码"]'));
  }

  async function toCashier() {
    if ((await appState(page)).route !== '/cashier') await clickText(page, '收银', undefined, 'a');
    await until(page, () => location.pathname === '/cashier');
  }

  async function amountMode(on: boolean) {
    const s = await appState(page);
    if ((s.mode === 'amount') !== on) await clickText(page, '直接输入金额', undefined, 'label');
    await until(page, (want: boolean) => (window as any).__boming.state().mode === (want ? 'amount' : 'goods'), on);
  }

  beforeAll(async () => {
    // fast by default; BM_LATENCY='[50,500]' runs it at the simulator's realistic default
    const latency = process.env.BM_LATENCY ? (JSON.parse(process.env.BM_LATENCY) as [number, number]) : ([0, 20] as [number, number]);
    sim = bm.createBomingSimulator({ latency });
    server = await startPortalServer({ simulators: [sim] });
    handle = await launchBrowser({ server, extensionPath: BLANK_EXTENSION_PATH }); // the simulator alone: TenderBridge stays out
    page = await handle.openPortal('boming', '/login');
    page.on('pageerror', (e) => pageErrors.push(String((e as Error).message ?? e)));
  }, 60_000);

  beforeEach((ctx) => {
    onTestFailed(async () => {
      const file = join(tmpdir(), `boming-fail-${ctx.task.name.replace(/[^\w]+/g, '_').slice(0, 40)}.png`);
      await page?.screenshot({ path: file as `${string}.png` }).catch(() => {});
      const app = await page?.evaluate(() => (window as any).__boming?.state()).catch(() => null);
      console.error(`[boming] screenshot ${file}; app ${JSON.stringify(app)}; page errors ${JSON.stringify(pageErrors)}`);
    });
  });

  afterAll(async () => {
    await handle?.close().catch(() => {});
    await server?.close();
  });

  it('logs in by typing and lands on /cashier', async () => {
    // unauthenticated routes go to /login
    expect(new URL(page.url()).pathname).toBe('/login');
    await login(page);
    const s = await appState(page);
    expect(s.loggedIn).toBe(true);
    expect(sim.state().account?.account).toBe('bm_md001');
  });

  it('goods: search, pick from the dropdown, scan, change qty/price, ID card + password → 支付成功', async () => {
    const gml = byName(sim, '感冒灵颗粒'); // 18.50
    const blf = byName(sim, '布洛芬缓释胶囊'); // 36.00

    // "感冒" has two hits: the dropdown (a listbox in <body>) lists both
    const search = await typeInto(page, { placeholder: '商品名称 / 条码' }, '感冒');
    await until(page, () => document.querySelectorAll('body > * [role="listbox"] [role="option"]').length === 2);
    expect(await search.evaluate((i) => i.getAttribute('aria-expanded'))).toBe('true');
    const names = await page.$$eval('[role="option"]', (os) => os.map((o) => o.querySelector('.bm-option-name')!.textContent));
    expect(names).toEqual(['感冒灵颗粒', '感冒清热颗粒']);
    const option = (await page.waitForFunction(
      (n: string) => Array.from(document.querySelectorAll('[role="option"]')).find((o) => o.querySelector('.bm-option-name')?.textContent === n),
      { timeout: 8000, polling: 25 },
      '感冒灵颗粒',
    )) as ElementHandle<Element>;
    expect(await option.evaluate((o) => o.textContent)).toContain(gml.barcode);
    expect(await option.evaluate((o) => o.textContent)).toContain('¥18.50');
    await option.click();
    await cartRow(page, gml.barcode);
    expect(await valueOf(search)).toBe('');
    await until(page, () => !document.querySelector('[role="listbox"]'));

    // a scanner: the barcode then Enter, faster than the debounce → added directly
    await search.focus();
    await gunScan(page, blf.barcode);
    const blfRow = await cartRow(page, blf.barcode);

    // quantity: + on the first line (1 → 2), typed 3 on the second
    const gmlRow = await cartRow(page, gml.barcode);
    await (await gmlRow.$('button[aria-label="增加数量"]'))!.click();
    await typeInto(page, { ariaLabel: '数量' }, '3', blfRow);
    // price: 18.50 → 17.5 (normalised to 17.50 on blur); a third decimal is refused while typing
    const price = await typeInto(page, { ariaLabel: '单价' }, '17.555', gmlRow);
    expect(await valueOf(price)).toBe('17.55');
    await typeInto(page, { ariaLabel: '单价' }, '17.5', gmlRow);
    await typeInto(page, { ariaLabel: '门店订单号' }, 'YK20250101-0001');
    expect(await valueOf(price)).toBe('17.50');
    expect(await total(page)).toBe('¥143.00'); // 2 × 17.50 + 3 × 36.00

    let s = await appState(page);
    expect(s.lines.map((l) => [l.barcode, l.qty, l.unitFen])).toEqual([
      [gml.barcode, 2, 1750],
      [blf.barcode, 3, 3600],
    ]);
    expect(s.storeOrderNo).toBe('YK20250101-0001');

    await clickText(page, '下一步：验证顾客');
    const verify = await dialog(page, '顾客验证');
    // portal: the dialog is not inside the React root
    expect(await verify.evaluate((d) => !document.getElementById('root')!.contains(d))).toBe(true);
    expect(await verify.evaluate((d) => d.querySelector('.bm-pay-amount strong')!.textContent)).toBe('¥143.00');
    await clickText(page, '身份证', verify, '[role="tab"]');
    await typeInto(page, { label: '身份证号' }, bm.SAMPLE_ID_CARD, verify);
    const pwd = await typeInto(page, { ariaLabel: '顾客支付密码' }, '123456', verify);
    expect(await pwd.evaluate((i) => i.type)).toBe('password');
    await clickText(page, '确认支付', verify);

    const ok = await dialog(page, '支付成功');
    const rows = await resultRows(ok);
    expect(rows['交易单号']).toMatch(/^BM\d{18}$/);
    expect(rows).toMatchObject({
      门店订单号: 'YK20250101-0001',
      订单金额: '¥143.00',
      卡付金额: '¥143.00',
      现金: '¥0.00',
      支付方式: '身份证',
      证件号: `510104${'*'.repeat(8)}1234`,
    });
    expect(rows['支付时间']).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);

    const st = sim.state();
    expect(st.orders).toHaveLength(1);
    const o = st.orders[0]!;
    expect(o).toMatchObject({
      vendorOrderNo: rows['交易单号'],
      storeOrderNo: 'YK20250101-0001',
      mode: 'goods',
      amountFen: 14300,
      cardFen: 14300,
      cashFen: 0,
      credential: { type: 'idcard', masked: `510104${'*'.repeat(8)}1234` },
      status: 'paid',
    });
    expect(o.lines.map((l) => [l.barcode, l.qty, l.unitFen, l.listFen])).toEqual([
      [gml.barcode, 2, 1750, 1850],
      [blf.barcode, 3, 3600, 3600],
    ]);
    expect(o.paidAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    expect(rows['支付时间']).toBe(o.paidAt.slice(0, 19).replace('T', ' '));
    // GET /__sim/state answers the same
    const viaHttp = await page.evaluate(() => fetch('/__sim/state').then((r) => r.json()));
    expect(viaHttp.orders).toEqual(st.orders);

    await clickText(page, '完成', ok);
    await noDialog(page);
    s = await appState(page);
    expect(s.lines).toEqual([]);
    expect(s.storeOrderNo).toBe('');
    expect(s.lastResult).toMatchObject({ status: 'paid', vendorOrderNo: o.vendorOrderNo });
  });

  it('amount mode + 博明小管家 QR scanned with a gun → 支付成功', async () => {
    await amountMode(true);
    expect(await page.$('input[placeholder="商品名称 / 条码"]')).toBeNull();
    await typeInto(page, { label: '收款金额' }, '58.8');
    await typeInto(page, { ariaLabel: '门店订单号' }, 'YK-2');
    expect(await total(page)).toBe('¥58.80');
    await clickText(page, '下一步：验证顾客');
    const verify = await dialog(page, '顾客验证');
    // 英大黑码 is the default tab
    expect(await verify.evaluate((d) => d.querySelector('[role="tab"][aria-selected="true"]')!.textContent)).toBe('英大黑码');
    await clickText(page, '博明小管家', verify, '[role="tab"]');
    const code = bm.sampleBomingCode(1);
    const qr = await field(page, { placeholder: '请扫描顾客出示的二维码' }, verify);
    await qr.focus();
    await gunScan(page, code); // Enter at the end does not submit
    expect(await valueOf(qr)).toBe(code);
    expect((await appState(page)).dialog).toBe('verify');
    await clickText(page, '确认支付', verify);
    const ok = await dialog(page, '支付成功');
    const rows = await resultRows(ok);
    expect(rows).toMatchObject({ 订单金额: '¥58.80', 卡付金额: '¥58.80', 现金: '¥0.00', 支付方式: '博明小管家', 卡号: `BMXGJ6${'*'.repeat(11)}0001` });
    const o = sim.state().orders.at(-1)!;
    expect(o).toMatchObject({ vendorOrderNo: rows['交易单号'], storeOrderNo: 'YK-2', mode: 'amount', lines: [], amountFen: 5880, credential: { type: 'boming-qr', masked: `BMXGJ6${'*'.repeat(11)}0001` }, status: 'paid' });
    await clickText(page, '完成', ok);
    await noDialog(page);
  });

  it('failure path: failNextPayment → 支付失败 with the reason; a reused QR code fails too', async () => {
    await amountMode(true);
    await typeInto(page, { label: '收款金额' }, '10');
    sim.control.failNextPayment = true;
    await clickText(page, '下一步：验证顾客');
    let verify = await dialog(page, '顾客验证');
    // empty code → inline error, nothing sent
    await clickText(page, '确认支付', verify);
    await until(page, () => document.querySelector('[role="dialog"] [role="alert"]')?.textContent === '请扫描顾客出示的二维码');
    const code = bm.sampleYingdaCode(7);
    await typeInto(page, { placeholder: '请扫描顾客出示的二维码' }, code, verify);
    await clickText(page, '确认支付', verify);
    let bad = await dialog(page, '支付失败');
    expect(await bad.evaluate((d) => d.querySelector('.bm-result-reason')!.textContent)).toBe('失败原因：交易被拒绝：卡状态异常，请联系博明客服');
    let o = sim.state().orders.at(-1)!;
    expect(o).toMatchObject({ status: 'failed', amountFen: 1000, cardFen: 0, credential: { type: 'yingda-qr', masked: `882800${'*'.repeat(10)}0007` } });
    expect(sim.control.failNextPayment).toBe(false);
    await clickText(page, '关闭', bad);
    await noDialog(page);
    expect((await appState(page)).amountFen).toBe(1000); // the cart stays for a retry

    // the same QR again: one-time codes are refused (no order recorded)
    const before = sim.state().orders.length;
    await clickText(page, '下一步：验证顾客');
    verify = await dialog(page, '顾客验证');
    await typeInto(page, { placeholder: '请扫描顾客出示的二维码' }, code, verify);
    await clickText(page, '确认支付', verify);
    bad = await dialog(page, '支付失败');
    expect(await bad.evaluate((d) => d.textContent)).toContain('付款码已使用');
    expect(sim.state().orders.length).toBe(before);
    expect((await appState(page)).lastResult).toMatchObject({ status: 'failed', vendorOrderNo: null });
    await clickText(page, '关闭', bad);
    await noDialog(page);

    // a fresh code pays
    await clickText(page, '下一步：验证顾客');
    verify = await dialog(page, '顾客验证');
    await typeInto(page, { placeholder: '请扫描顾客出示的二维码' }, bm.sampleYingdaCode(8), verify);
    await clickText(page, '确认支付', verify);
    const ok = await dialog(page, '支付成功');
    expect((await resultRows(ok))['卡号']).toBe(`882800${'*'.repeat(10)}0008`);
    o = sim.state().orders.at(-1)!;
    expect(o).toMatchObject({ status: 'paid', amountFen: 1000, credential: { type: 'yingda-qr' } });
    await clickText(page, '完成', ok);
    await noDialog(page);
    await amountMode(false);
  });

  it('inputs are controlled: a DOM-only value is lost on the next render; native setter + input event is kept', async () => {
    const input = await field(page, { ariaLabel: '门店订单号' });
    expect(await valueOf(input)).toBe('');
    // value set without any event React listens to: React's state stays '' and the next render
    // (the page clock re-renders every second) puts '' back
    await input.evaluate((i) => {
      i.value = 'DOM-ONLY-1';
    });
    expect(await valueOf(input)).toBe('DOM-ONLY-1');
    await sleep(1300);
    expect(await valueOf(input)).toBe('');
    expect((await appState(page)).storeOrderNo).toBe('');

    // what a careful filler does: the native value setter, then a bubbling input event
    await input.evaluate((i) => {
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      setter.call(i, 'NATIVE-2');
      i.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await sleep(1300);
    expect(await valueOf(input)).toBe('NATIVE-2');
    expect((await appState(page)).storeOrderNo).toBe('NATIVE-2');
    await typeInto(page, { ariaLabel: '门店订单号' }, 'x');
    await page.keyboard.press('Backspace');
    await until(page, () => (window as any).__boming.state().storeOrderNo === '');
  });

  it('交易记录: lists orders; 撤销 → confirm → 已撤销', async () => {
    await clickText(page, '交易记录', undefined, 'a');
    await until(page, () => location.pathname === '/orders' && document.querySelectorAll('tr[data-row-key]').length === 4);
    const orders = sim.state().orders;
    const headers = await page.$$eval('.bm-orders-table th', (ths) => ths.map((t) => t.textContent));
    expect(headers).toEqual(['交易单号', '门店订单号', '金额', '状态', '时间', '操作']);
    const first = orders[0]!; // the goods order, ¥143.00
    const row = await cartRow(page, first.vendorOrderNo);
    expect(await row.evaluate((r) => Array.from(r.querySelectorAll('td')).map((td) => td.textContent))).toEqual([
      first.vendorOrderNo,
      'YK20250101-0001',
      '¥143.00',
      '已支付',
      first.paidAt.slice(0, 19).replace('T', ' '),
      '撤销',
    ]);
    // the failed order has no 撤销
    const failed = orders.find((o) => o.status === 'failed')!;
    const failedRow = await cartRow(page, failed.vendorOrderNo);
    expect(await failedRow.evaluate((r) => r.textContent)).toContain('支付失败');
    expect(await failedRow.$('button')).toBeNull();

    await clickText(page, '撤销', row);
    const confirm = await dialog(page, '撤销交易');
    expect(await confirm.evaluate((d) => d.textContent)).toContain(first.vendorOrderNo);
    await clickText(page, '确定撤销', confirm);
    await noDialog(page);
    await until(
      page,
      (no: string) => document.querySelector(`tr[data-row-key="${no}"] .bm-tag`)?.textContent === '已撤销',
      first.vendorOrderNo,
    );
    expect(await (await cartRow(page, first.vendorOrderNo)).$('button')).toBeNull();
    const o = sim.state().orders[0]!;
    expect(o.status).toBe('refunded');
    expect(o.refundedAt).toMatch(/\+08:00$/);
    await clickText(page, '收银', undefined, 'a');
    await until(page, () => location.pathname === '/cashier');
  });

  it('renamed variant: the button text is replaced, the flow still works', async () => {
    const renamed = bm.createBomingSimulator({ latency: sim.control.latency as [number, number], renamed: { '下一步：验证顾客': '去验证' } });
    server.setSimulator('boming', renamed);
    try {
      const p = await handle.openPortal('boming', '/login');
      try {
        await p.evaluate(() => localStorage.clear()); // the old simulator's session is unknown here
        await p.reload();
        await login(p, 'bm_md002');
        await p.evaluate(() => document.querySelector<HTMLElement>('label.bm-switch-wrapper')!.click());
        await typeInto(p, { label: '收款金额' }, '20');
        const texts = await p.$$eval('button', (bs) => bs.map((b) => b.textContent!.trim()));
        expect(texts).toContain('去验证');
        expect(texts).not.toContain('下一步：验证顾客');
        await clickText(p, '去验证');
        const verify = await dialog(p, '顾客验证');
        await typeInto(p, { placeholder: '请扫描顾客出示的二维码' }, bm.sampleYingdaCode(99), verify);
        await clickText(p, '确认支付', verify);
        await dialog(p, '支付成功');
        expect(renamed.state().orders).toHaveLength(1);
        expect(renamed.state().orders[0]).toMatchObject({ amountFen: 2000, status: 'paid' });
      } finally {
        await p.close();
      }
    } finally {
      server.setSimulator('boming', sim);
    }
    expect(server.errors).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
