// Self-test of the 慧医卡 (huiyika) web-POS simulator: drives its server-rendered pages by hand with
// puppeteer, as a cashier would (type, click, full page loads, the receipt pop-up window), and plays
// the customer's phone through the simulator's API. No extension behaviour is asserted here.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { BLANK_EXTENSION_PATH } from './blank-extension.mjs';
import type { ElementHandle, Page } from 'puppeteer-core';
import { startPortalServer } from '../harness/portal-server.mjs';
import { launchBrowser } from '../harness/browser.mjs';
import { createHuiyikaSimulator, TEST_CARD } from './huiyika/server.mjs';

type Sim = ReturnType<typeof createHuiyikaSimulator>;
type Order = {
  vendorOrderNo: string;
  orderId: string;
  goods: { code: string; name: string; unitFen: number; qty: number };
  amountFen: number;
  cardMasked: string;
  payMethod: 'card' | 'qr';
  status: 'paid' | 'refund_pending' | 'refunded' | 'refund_rejected';
  paidAt: string;
  refund?: { refundNo: string; reason: string; status: 'pending' | 'refunded' | 'rejected'; auditedAt: string | null; opinion: string | null };
};

const ORIGIN = 'https://webpos.huiyika.com';
const WAIT = { timeout: 8000, polling: 25 };

let sim: Sim;
let server: Awaited<ReturnType<typeof startPortalServer>>;
let handle: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;

// ------------------------------------------------------------------ helpers (cashier-level)

const norm = (s: string | null | undefined) => (s ?? '').replace(/[\s\u00a0]+/g, '').replace(/^[*＊]/, '').replace(/[:：]$/, '');

function orders(): Order[] {
  return sim.state().orders as Order[];
}
function orderNamed(no: string): Order {
  const o = orders().find((x) => x.vendorOrderNo === no);
  if (!o) throw new Error(`no order ${no}`);
  return o;
}

/** The extension (loaded by launchBrowser) may put its own card (a shadow-root host) on <body>. */
async function hideForeignUi(p: Page): Promise<void> {
  await p.evaluate(() => {
    for (const el of Array.from(document.body?.children ?? [])) if (el.shadowRoot) (el as HTMLElement).style.display = 'none';
  });
}

/** A visible button/link/submit whose text (or value) is exactly `text`, optionally inside `scope`. */
async function control(p: Page, text: string, scope?: ElementHandle<Element>): Promise<ElementHandle<Element>> {
  const found = await p.waitForFunction(
    (root: Element | null, t: string) => {
      const n = (s: string | null | undefined) => (s ?? '').replace(/[\s\u00a0]+/g, '');
      const base: ParentNode = root ?? document;
      for (const el of Array.from(base.querySelectorAll<HTMLElement>('a, button, input[type=submit], input[type=button], label'))) {
        const label = el instanceof HTMLInputElement ? el.value : el.textContent;
        if (n(label) === t && el.getClientRects().length > 0) return el;
      }
      return null;
    },
    WAIT,
    scope ?? null,
    text,
  );
  return found as ElementHandle<Element>;
}

/** Clicks and waits for the full page load it causes. */
async function clickAndLoad(p: Page, text: string, scope?: ElementHandle<Element>): Promise<void> {
  const el = await control(p, text, scope);
  await hideForeignUi(p);
  await Promise.all([p.waitForNavigation({ waitUntil: 'load' }), el.click()]);
}

/** The input/textarea a label names: <label for>, or the next cell of a plain-text <td> label. */
async function field(p: Page, label: string): Promise<ElementHandle<Element>> {
  const found = await p.waitForFunction(
    (l: string) => {
      const n = (s: string | null | undefined) =>
        (s ?? '').replace(/[\s\u00a0]+/g, '').replace(/^[*＊]/, '').replace(/[:：]$/, '');
      for (const el of Array.from(document.querySelectorAll<HTMLElement>('label, td'))) {
        if (n(el.textContent) !== l) continue;
        const forId = el.getAttribute('for');
        if (forId) return document.getElementById(forId);
        const cell = el.tagName === 'TD' ? el : el.closest('td');
        const next = cell?.nextElementSibling?.querySelector('input:not([type=hidden]), textarea');
        if (next) return next;
      }
      return null;
    },
    WAIT,
    label,
  );
  return found as ElementHandle<Element>;
}

async function typeInto(p: Page, el: ElementHandle<Element>, text: string): Promise<void> {
  await hideForeignUi(p);
  await el.click({ count: 3 });
  await p.keyboard.press('Backspace');
  await el.type(text);
}
async function fill(p: Page, label: string, text: string): Promise<void> {
  await typeInto(p, await field(p, label), text);
}

/** Rows of a table as header → cell text. */
async function tableRows(p: Page, tableId: string): Promise<Record<string, string>[]> {
  return p.$eval(`#${tableId}`, (t) => {
    const heads = Array.from(t.querySelectorAll('thead th')).map((th) => (th.textContent ?? '').trim());
    return Array.from(t.querySelectorAll('tbody tr'))
      .filter((tr) => tr.querySelectorAll('td').length === heads.length)
      .map((tr) => Object.fromEntries(Array.from(tr.querySelectorAll('td')).map((td, i) => [heads[i], (td.textContent ?? '').trim()])));
  });
}
/** The <tr> of table `tableId` whose column `column` reads `value`. */
async function rowWhere(p: Page, tableId: string, column: string, value: string): Promise<ElementHandle<Element>> {
  const found = await p.waitForFunction(
    (id: string, col: string, v: string) => {
      const t = document.getElementById(id);
      if (!t) return null;
      const heads = Array.from(t.querySelectorAll('thead th')).map((th) => (th.textContent ?? '').trim());
      const i = heads.indexOf(col);
      if (i < 0) return null;
      return Array.from(t.querySelectorAll('tbody tr')).find((tr) => (tr.querySelectorAll('td')[i]?.textContent ?? '').trim() === v) ?? null;
    },
    WAIT,
    tableId,
    column,
    value,
  );
  return found as ElementHandle<Element>;
}

/** label → value of the first table with th/td or td.k/td pairs inside `selector`. */
async function pairs(p: Page, selector: string): Promise<Record<string, string>> {
  return p.$eval(selector, (root) => {
    const n = (s: string | null | undefined) => (s ?? '').replace(/[\s\u00a0]+/g, ' ').trim().replace(/[:：]$/, '');
    const out: Record<string, string> = {};
    for (const tr of Array.from(root.querySelectorAll('tr'))) {
      const cells = tr.querySelectorAll('th, td');
      if (cells.length === 2) out[n(cells[0]!.textContent)] = n(cells[1]!.textContent);
    }
    return out;
  });
}

async function pageText(p: Page, selector = 'body'): Promise<string> {
  return p.$eval(selector, (el) => (el as HTMLElement).innerText);
}

/** Arms a wait for the next window.open of `p` (the receipt pop-up), loaded. */
function nextPopup(p: Page): Promise<Page> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no popup within 8 s')), 8000);
    p.once('popup', (popup) => {
      clearTimeout(timer);
      if (!popup) return reject(new Error('popup without a page'));
      popup
        .waitForFunction(() => document.readyState === 'complete' && document.querySelector('.receipt') !== null, WAIT)
        .then(() => resolve(popup), reject);
    });
  });
}

/** Reads a receipt window: its title, both copies' label → value, and closes it with 「确定」. */
async function readAndCloseReceipt(popup: Page): Promise<{ url: string; title: string; copies: Record<string, string>[] }> {
  const url = popup.url();
  const title = await popup.title();
  const copies = await popup.$$eval('.receipt', (list) =>
    list.map((r) => {
      const out: Record<string, string> = { 标题: (r.querySelector('.r-title')?.textContent ?? '').trim(), 联: (r.querySelector('.r-copy')?.textContent ?? '').trim() };
      for (const tr of Array.from(r.querySelectorAll('tr'))) {
        const td = tr.querySelectorAll('td');
        if (td.length === 2) out[(td[0]!.textContent ?? '').trim().replace(/[:：]$/, '')] = (td[1]!.textContent ?? '').trim();
      }
      return out;
    }),
  );
  expect(await control(popup, '打印')).toBeTruthy();
  const closed = new Promise<void>((r) => popup.once('close', () => r()));
  await (await control(popup, '确定')).click();
  await closed;
  return { url, title, copies };
}

async function searchAndChoose(p: Page, keyword: string, goodsName: string): Promise<void> {
  await fill(p, '商品名称', keyword);
  await clickAndLoad(p, '查询');
  const row = await rowWhere(p, 'goodsTable', '商品名称', goodsName);
  await clickAndLoad(p, '选择', row);
  await p.waitForSelector('#settlePanel');
}

async function settleAt(p: Page, price: string | null): Promise<string> {
  if (price !== null) await fill(p, '单价（元）', price);
  await clickAndLoad(p, '结算');
  const u = new URL(p.url());
  expect(u.pathname).toBe('/pay');
  return u.searchParams.get('order')!;
}

async function goto(p: Page, path: string): Promise<void> {
  await p.goto(`${ORIGIN}${path}`, { waitUntil: 'load' });
}

async function viaMenu(p: Page, item: '订单查询' | '订单审核退款'): Promise<void> {
  const link = await p.$$eval('.submenu', (u) => (u[0] as HTMLElement).style.display !== 'none');
  if (!link) await (await control(p, 'webpos')).click();
  await clickAndLoad(p, item);
}

async function searchOrder(p: Page, vendorOrderNo: string): Promise<ElementHandle<Element>> {
  await viaMenu(p, '订单查询');
  await fill(p, '订单号', vendorOrderNo);
  await clickAndLoad(p, '搜索');
  return rowWhere(p, 'orderTable', '订单号', vendorOrderNo);
}

async function applyRefund(p: Page, vendorOrderNo: string, cardNo: string, reason: string): Promise<void> {
  const row = await searchOrder(p, vendorOrderNo);
  await clickAndLoad(p, '退款', row);
  await fill(p, '卡号', cardNo);
  await fill(p, '退款原因', reason);
  await clickAndLoad(p, '提交');
}

async function audit(p: Page, vendorOrderNo: string, opinion: string, result: '同意' | '驳回'): Promise<void> {
  await viaMenu(p, '订单审核退款');
  const row = await rowWhere(p, 'refundAuditTable', '订单号', vendorOrderNo);
  await clickAndLoad(p, '审核', row);
  await fill(p, '审核意见', opinion);
  await (await control(p, result)).click();
  await clickAndLoad(p, '提交');
}

// ------------------------------------------------------------------ setup

beforeAll(async () => {
  // fast by default; HYK_LATENCY='[50,500]' runs it at the simulator's realistic default
  const latency: [number, number] = process.env.HYK_LATENCY ? JSON.parse(process.env.HYK_LATENCY) : [0, 20];
  sim = createHuiyikaSimulator({ latency });
  server = await startPortalServer({ simulators: [sim] });
  handle = await launchBrowser({ server, extensionPath: BLANK_EXTENSION_PATH }); // the simulator alone: TenderBridge stays out
  page = await handle.openPortal('huiyika', '/');
}, 60_000);

afterAll(async () => {
  await handle?.close();
  await server?.close();
});

// ------------------------------------------------------------------ tests

describe('huiyika simulator', () => {
  it('asks for login, then shows the store account and the menu', async () => {
    expect(new URL(page.url()).pathname).toBe('/login');
    await goto(page, '/orders');
    expect(new URL(page.url()).pathname).toBe('/login');
    await clickAndLoad(page, '登录');
    expect(await pageText(page, '#loginMsg')).toBe('用户名和密码不能为空');

    await fill(page, '用户名', 'cd0001');
    await fill(page, '密码', 'store-pass');
    await clickAndLoad(page, '登录');
    expect(new URL(page.url()).pathname).toBe('/index');
    expect(await pageText(page, '#header')).toContain('cd0001');
    expect(await page.$eval('input[placeholder="请输入商品关键字"]', (i) => (i as HTMLInputElement).name)).toBe('goodsName');
    expect(sim.state().sessions).toEqual([expect.objectContaining({ username: 'cd0001', storeName: '慧医卡签约药店（cd0001）' })]);
    // the webpos group is folded on 首页 and opens on click
    expect(await page.$eval('.submenu', (u) => (u as HTMLElement).style.display)).toBe('none');
  });

  let cardOrderNo = '';
  it('sells by 卡号/密码: search 感冒, choose, price 123.45, 结算, wrong then right password, receipt window', async () => {
    await searchAndChoose(page, '感冒', '感冒颗粒');
    const names = (await tableRows(page, 'goodsTable')).map((r) => r['商品名称']);
    expect(names).toEqual(['感冒颗粒', '999感冒灵颗粒', '小儿感冒颗粒', '感冒清热颗粒']);
    expect(await page.$eval('#quantity', (i) => [(i as HTMLInputElement).value, (i as HTMLInputElement).readOnly])).toEqual(['1', true]);

    // a bad price is refused and kept in the field
    await fill(page, '单价（元）', '12.345');
    await clickAndLoad(page, '结算');
    expect(await pageText(page, '#sysMsg')).toContain('单价格式不正确');

    await fill(page, '单价（元）', '123.45');
    expect(await pageText(page, '#payAmount')).toBe('123.45');
    const orderId = await settleAt(page, null);
    expect(await pageText(page, '#payTotal')).toBe('¥123.45');
    expect(await page.$eval('#cardPwd', (i) => (i as HTMLInputElement).type)).toBe('password');

    await fill(page, '卡号', TEST_CARD.cardNo);
    await fill(page, '密码', '111111');
    await clickAndLoad(page, '确认支付');
    expect(await pageText(page, '#payMsg')).toBe('支付失败：密码错误');
    expect(await page.$eval('#cardNo', (i) => (i as HTMLInputElement).value)).toBe(TEST_CARD.cardNo);
    expect(sim.state().pending[0]).toMatchObject({ orderId, amountFen: 12345 });

    await fill(page, '密码', TEST_CARD.password);
    const popup = nextPopup(page);
    await clickAndLoad(page, '确认支付');
    expect(await pageText(page, '.result-title')).toBe('✔支付成功');
    const shown = await pairs(page, '#payResult');
    cardOrderNo = shown['订单号']!;
    expect(cardOrderNo).toMatch(/^HYK\d{8}\d{6}$/);
    expect(shown['支付金额']).toBe('¥123.45');
    expect(shown['交易时间']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(await control(page, '返回首页')).toBeTruthy();

    const receipt = await readAndCloseReceipt(await popup);
    expect(receipt.url).toBe(`${ORIGIN}/receipt?order=${cardOrderNo}`);
    expect(receipt.title).toBe('慧医卡消费凭条');
    expect(receipt.copies).toHaveLength(2);
    for (const c of receipt.copies) {
      expect(c).toMatchObject({ 标题: '慧医卡消费凭条', 订单号: cardOrderNo, 金额: '¥123.45', 卡号: '616020******0002', 支付方式: '卡号/密码', 交易时间: shown['交易时间'] });
    }
    expect(receipt.copies.map((c) => c['联'])).toEqual(['（商户存根）', '（顾客联）']);

    const o = orderNamed(cardOrderNo);
    expect(o).toMatchObject({ orderId, amountFen: 12345, cardMasked: '616020******0002', payMethod: 'card', status: 'paid' });
    expect(o.goods).toMatchObject({ name: '感冒颗粒', unitFen: 12345, qty: 1 });
    expect(o.paidAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    expect(sim.state().pending).toEqual([]);

    // a reload of the result page does not pop the receipt again
    await page.reload({ waitUntil: 'load' });
    expect((await handle.browser.pages()).some((p) => p.url().includes('/receipt'))).toBe(false);
  });

  it('shows failNextPayment as 支付失败', async () => {
    await clickAndLoad(page, '返回首页');
    await searchAndChoose(page, '板蓝根', '板蓝根颗粒');
    await settleAt(page, '0.50');
    sim.control.failNextPayment = true;
    await fill(page, '卡号', TEST_CARD.cardNo);
    await fill(page, '密码', TEST_CARD.password);
    await clickAndLoad(page, '确认支付');
    expect(await pageText(page, '#payMsg')).toBe('支付失败：系统繁忙，请稍后重试');
    expect(sim.control.failNextPayment).toBe(false);
  });

  let qrOrderNo = '';
  it('sells by 扫码支付: QR shown, the customer confirms on the phone, result and receipt', async () => {
    await goto(page, '/index');
    await searchAndChoose(page, '感冒', '999感冒灵颗粒');
    const orderId = await settleAt(page, null); // list price 18.50 kept
    await (await control(page, '扫码支付')).click();
    await page.waitForFunction(
      () => (document.getElementById('qrImg') as HTMLImageElement).src.startsWith('data:image/svg+xml') && document.getElementById('qrStatus')!.textContent === '等待顾客扫码支付…',
      WAIT,
    );
    expect(await pageText(page, '#qrPanel')).toContain('请顾客使用慧医卡公众号扫码并确认支付');
    expect(await page.$eval('#cardPanel', (d) => (d as HTMLElement).style.display)).toBe('none');
    expect(sim.state().pending.find((p: { orderId: string }) => p.orderId === orderId)?.qr?.status).toBe('waiting');

    const popup = nextPopup(page);
    const nav = page.waitForNavigation({ waitUntil: 'load' });
    const paid = sim.customer.confirmQr(orderId);
    expect(paid.ok).toBe(true);
    await nav;
    expect(new URL(page.url()).pathname).toBe('/pay/result');
    const shown = await pairs(page, '#payResult');
    qrOrderNo = shown['订单号']!;
    expect(qrOrderNo).toBe(paid.vendorOrderNo);
    expect(shown).toMatchObject({ 支付金额: '¥18.50', 支付方式: '扫码支付' });
    const receipt = await readAndCloseReceipt(await popup);
    expect(receipt.copies[0]).toMatchObject({ 订单号: qrOrderNo, 金额: '¥18.50', 支付方式: '扫码支付' });
    expect(orderNamed(qrOrderNo)).toMatchObject({ payMethod: 'qr', amountFen: 1850, status: 'paid' });
  });

  it('handles a cancelled scan, 刷新二维码, and the HTTP customer endpoint', async () => {
    await clickAndLoad(page, '返回首页');
    await searchAndChoose(page, '口罩', '医用外科口罩');
    const orderId = await settleAt(page, '9.9');
    await (await control(page, '扫码支付')).click();
    await page.waitForFunction(() => document.getElementById('qrStatus')!.textContent === '等待顾客扫码支付…', WAIT);
    sim.customer.cancelQr(orderId);
    await page.waitForFunction(() => document.getElementById('payMsg')!.textContent === '顾客已取消支付', WAIT);
    await (await control(page, '刷新二维码')).click();
    await page.waitForFunction(() => document.getElementById('qrStatus')!.textContent === '等待顾客扫码支付…', WAIT);

    const nav = page.waitForNavigation({ waitUntil: 'load' });
    const popup = nextPopup(page);
    const answer = await page.evaluate(async (id: string) => {
      const r = await fetch('/__sim/customer/confirm', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderId: id }) });
      return r.json();
    }, orderId);
    expect(answer).toMatchObject({ ok: true, vendorOrderNo: expect.stringMatching(/^HYK\d{14}$/) });
    await nav;
    await (await popup).close();
    expect(orderNamed(answer.vendorOrderNo)).toMatchObject({ amountFen: 990, payMethod: 'qr' });
  });

  it('refunds: 订单查询 → 退款 → 退款待审核 → 审核 同意 → 已退款 + refund receipt window', async () => {
    await applyRefund(page, cardOrderNo, '6160201901100003', '顾客退货');
    expect(await pageText(page, '#sysMsg')).toBe('退款申请失败：卡号与原交易卡号不一致');

    await fill(page, '卡号', TEST_CARD.cardNo);
    await clickAndLoad(page, '提交'); // reason kept from the refused attempt
    expect(await pageText(page, '#sysMsg')).toContain('退款申请已提交');
    const row = (await tableRows(page, 'orderTable')).find((r) => r['订单号'] === cardOrderNo)!;
    expect(row).toMatchObject({ 卡号: '616020******0002', '金额（元）': '123.45', 状态: '退款待审核' });
    expect(row['操作']).not.toContain('退款');
    expect(orderNamed(cardOrderNo)).toMatchObject({ status: 'refund_pending', refund: { status: 'pending', reason: '顾客退货' } });

    const popup = nextPopup(page);
    await audit(page, cardOrderNo, '核实无误，同意退款', '同意');
    expect(await pageText(page, '.result-title')).toBe('✔退款成功');
    const shown = await pairs(page, '#refundResult');
    expect(shown).toMatchObject({ 原订单号: cardOrderNo, 退款金额: '¥123.45' });
    expect(shown['退款单号']).toMatch(/^HYKR\d{14}$/);

    const receipt = await readAndCloseReceipt(await popup);
    expect(receipt.title).toBe('慧医卡退款凭条');
    expect(receipt.url).toBe(`${ORIGIN}/refund-receipt?refundNo=${shown['退款单号']}`);
    expect(receipt.copies[0]).toMatchObject({ 标题: '慧医卡退款凭条', 退款单号: shown['退款单号'], 原订单号: cardOrderNo, 退款金额: '¥123.45' });

    const o = orderNamed(cardOrderNo);
    expect(o.status).toBe('refunded');
    expect(o.refund).toMatchObject({ refundNo: shown['退款单号'], status: 'refunded', opinion: '核实无误，同意退款' });
    expect(o.refund!.auditedAt).toMatch(/\+08:00$/);
    const after = await searchOrder(page, cardOrderNo);
    expect(await after.evaluate((tr) => tr.textContent)).toContain('已退款');
  });

  it('rejects a refund: 审核 驳回 → 退款已驳回', async () => {
    await applyRefund(page, qrOrderNo, TEST_CARD.cardNo, '顾客不想要了');
    expect(orderNamed(qrOrderNo).status).toBe('refund_pending');
    await audit(page, qrOrderNo, '', '驳回');
    expect(await pageText(page, '#sysMsg')).toBe('驳回时请填写审核意见');
    await fill(page, '审核意见', '药品已拆封，不予退款');
    await (await control(page, '驳回')).click();
    await clickAndLoad(page, '提交');
    expect(await pageText(page, '#sysMsg')).toContain('已驳回退款申请');
    expect(await pageText(page, '#refundAuditTable')).toContain('暂无待审核的退款申请');
    expect(orderNamed(qrOrderNo)).toMatchObject({ status: 'refund_rejected', refund: { status: 'rejected', opinion: '药品已拆封，不予退款' } });
    const row = await searchOrder(page, qrOrderNo);
    expect(await row.evaluate((tr) => tr.textContent)).toContain('退款已驳回');
  });

  it('refuses a refund across a calendar month (store time)', async () => {
    sim.control.now = '2025-12-01 09:00:00';
    try {
      const late = sim.seedOrder({ paidAt: '2025-11-30 23:59:59', amountFen: 3600, goodsName: '布洛芬缓释胶囊' });
      const early = sim.seedOrder({ paidAt: '2025-12-01T00:00:01+08:00', amountFen: 990 });
      expect(late.vendorOrderNo).toMatch(/^HYK20251130\d{6}$/);
      expect(late.paidAt).toBe('2025-11-30T23:59:59+08:00');

      // 交易时间 range search finds the 30 November sale only
      await viaMenu(page, '订单查询');
      await fill(page, '订单号', '');
      const [start, end] = await page.$$('input[name=startTime], input[name=endTime]');
      await typeInto(page, start!, '2025-11-30');
      await typeInto(page, end!, '2025-11-30');
      await clickAndLoad(page, '搜索');
      const rows = await tableRows(page, 'orderTable');
      expect(rows.map((r) => r['订单号'])).toEqual([late.vendorOrderNo]);
      expect(rows[0]).toMatchObject({ '金额（元）': '36.00', 交易时间: '2025-11-30 23:59:59', 状态: '已支付' });

      await clickAndLoad(page, '退款', await rowWhere(page, 'orderTable', '订单号', late.vendorOrderNo));
      await fill(page, '卡号', TEST_CARD.cardNo);
      await fill(page, '退款原因', '顾客退货');
      await clickAndLoad(page, '提交');
      expect(await pageText(page, '#sysMsg')).toBe('退款申请失败：跨月订单不能退款');
      expect(orderNamed(late.vendorOrderNo).status).toBe('paid');

      // the 1 December sale may be refunded on 1 December; audited in January it is refused
      await applyRefund(page, early.vendorOrderNo, TEST_CARD.cardNo, '顾客退货');
      expect(orderNamed(early.vendorOrderNo).status).toBe('refund_pending');
      sim.control.now = '2026-01-02 10:00:00';
      await audit(page, early.vendorOrderNo, '同意', '同意');
      expect(await pageText(page, '#sysMsg')).toBe('审核失败：跨月订单不能退款');
      expect(orderNamed(early.vendorOrderNo).status).toBe('refund_pending');
    } finally {
      sim.control.now = null;
    }
    expect(server.errors).toEqual([]);
    expect(handle.pageErrors).toEqual([]);
  });
});
