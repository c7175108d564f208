// The portal variants of issue 11 and, for each, what the cashier and the customer do on it.
// Shared by e2e/variants.e2e.test.ts (with the extension), e2e/variants/selftest.e2e.test.ts (by
// hand, with the blank extension) and scripts/variants-report.mjs (the baseline table).
import { overlayState } from '../support/extension.mjs';
import { CATALOG, ACCOUNTS, VARIANT_VENDOR, yuan } from './common/backend.mjs';
import { createRuyitongEui2 } from './ruyitong-eui2/server.mjs';
import { createBomingAntd } from './boming-antd/server.mjs';
import { createGuohuiLayui } from './guohui-layui/server.mjs';
import { createYuanfuEui2 } from './yuanfu-eui2/server.mjs';
import { createHuiyikaServer } from './huiyika-server/server.mjs';
import { createYuanfuBootstrap } from './yuanfu-bootstrap/server.mjs';
import { cellInput, clickText, hasText, inputByPlaceholder, typeByPlaceholder, typeInto, until, waitText } from './hands.mjs';

/** @import { Frame, Page } from 'puppeteer-core' */
/** @import { Order } from './common/backend.mjs' */

export { VARIANT_VENDOR };

/** @typedef {{ code: string, qty: number, unitFen: number }} TicketItem */

// ---- YK1 tickets (shared/spec/yingke-ticket.md), in plain JS for the report script ----

/** CRC-16/CCITT-FALSE over ASCII. @param {string} text */
export function crc16(text) {
  let crc = 0xffff;
  for (let i = 0; i < text.length; i += 1) {
    crc ^= text.charCodeAt(i) << 8;
    for (let b = 0; b < 8; b += 1) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

/** yyyyMMddHHmmss in UTC+8. @param {number} ms */
function ticketTime(ms) {
  const d = new Date(ms + 8 * 3600_000);
  const p = (/** @type {number} */ n) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/**
 * A fresh (30 s old) YK1 ticket.
 * @param {string} store
 * @param {string} orderNo
 * @param {TicketItem[]} items
 */
export function encodeYk1(store, orderNo, items) {
  const total = items.reduce((s, i) => s + i.qty * i.unitFen, 0);
  const body = `YK1|${store}|${orderNo}|${ticketTime(Date.now() - 30_000)}|${total}|${items.map((i) => `${i.code},${i.qty},${i.unitFen}`).join(';')}`;
  return `${body}|${crc16(body)}`;
}

export const STORE = 'S0012';
let seq = 0;
/** An order number not used before in this process. */
export function nextOrderNo() {
  seq += 1;
  return `XV${Date.now().toString().slice(-9)}${String(seq).padStart(3, '0')}`;
}

/** Settings for every variant test: the store on the tickets and the five payment methods. */
export const PORTAL_SETTINGS = {
  boming: { enabled: true, paymentMethodId: 21, paymentMethodName: '博明卡', goodsName: '', limits: {} },
  guohui: { enabled: true, paymentMethodId: 22, paymentMethodName: '国惠通', goodsName: '', limits: {} },
  yuanfu: { enabled: true, paymentMethodId: 23, paymentMethodName: '国惠通', goodsName: '', limits: {} },
  ruyitong: { enabled: true, paymentMethodId: 27, paymentMethodName: '如医通', goodsName: '', limits: {} },
  huiyika: { enabled: true, paymentMethodId: 28, paymentMethodName: '慧医卡', goodsName: '', limits: {} },
};

const goods = (/** @type {string} */ name) => {
  const g = CATALOG.find((x) => x.name === name);
  if (!g) throw new Error(`no goods ${name}`);
  return g;
};
const [ID_CARD, ID_CARD_SHORT, HYK_CARD] = ACCOUNTS;

// ---- what the cashier sees of the extension: the overlay, in whichever frame it is ----

/** @typedef {{ kind: string, code: string | null, text: string, buttons: string[], frame: string }} Overlay */

/**
 * The extension's overlay as a person reads it (its visible text), from the top page or any frame.
 * @param {Page} page
 * @returns {Promise<Overlay | null>}
 */
export async function readOverlay(page) {
  // the overlay's shadow root is closed to the page: read it as DevTools does (e2e/support)
  const top = await overlayState(page);
  if (top) return { ...top, text: top.text.replace(/\s+/g, ' ').trim(), frame: 'top' };
  const framed = await overlayState(/** @type {Page} */ (/** @type {unknown} */ (page.mainFrame())));
  return framed ? { ...framed, text: framed.text.replace(/\s+/g, ' ').trim(), frame: 'iframe' } : null;
}

/**
 * Waits for an overlay state; returns the last one seen (or null) when it does not come.
 * @param {Page} page
 * @param {(o: Overlay) => boolean} predicate
 * @param {number} timeoutMs
 * @returns {Promise<{ ok: boolean, last: Overlay | null }>}
 */
export async function awaitOverlay(page, predicate, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  /** @type {Overlay | null} */
  let last = null;
  while (Date.now() < deadline) {
    last = (await readOverlay(page)) ?? last;
    if (last && predicate(last)) return { ok: true, last };
    await new Promise((r) => setTimeout(r, 60));
  }
  return { ok: false, last };
}

/** Ready for the customer: the extension's own words, or its state code. @param {Overlay} o */
export const isReady = (o) => o.code === 'READY_FOR_CREDENTIAL';
/** A stop or an error the cashier is shown. @param {Overlay} o */
export const isStop = (o) => o.kind === 'error';
/** The settlement was captured. @param {Overlay} o */
export const isCaptured = (o) => o.code === 'CAPTURED';

// ---- the variants ----

/**
 * @typedef {object} Variant
 * @property {string} id directory name under e2e/variants/
 * @property {'boming' | 'guohui' | 'yuanfu' | 'ruyitong' | 'huiyika'} portal
 * @property {'sale' | 'expired' | 'broken'} kind
 * @property {string} summary one line for docs/variants.md
 * @property {() => any} create a fresh simulator (registered with setSimulator(portal, sim))
 * @property {TicketItem[]} items the ticket's lines
 * @property {number} cashFen the cash part the customer pays at the web-POS
 * @property {(harness: any) => Promise<{ page: Page, ctx: Page | Frame }>} open the page the
 *   cashier scans on, focus where a cashier leaves it; ctx is the document holding the work area
 * @property {(page: Page, ctx: Page | Frame, orderNo: string) => Promise<void>} [fillByHand] what
 *   the cashier does without the extension: goods, quantities, prices, the store order number
 * @property {(page: Page, ctx: Page | Frame) => Promise<void>} [customerPays] credential,
 *   password, the final pay button (and the cash part typed by hand)
 * @property {(page: Page, ctx: Page | Frame, order: Order) => Promise<void>} [seesResult] the
 *   result the cashier is shown names the vendor's transaction number
 */

/** @param {Page} page */
function workFrame(page, path = '/views/cashier.html') {
  return until(`the iframe ${path}`, async () => {
    const frame = page.frames().find((f) => f.url().endsWith(path));
    if (!frame) return null;
    const ready = await frame.evaluate(() => document.readyState === 'complete' && Boolean(/** @type {any} */ (window).__variant)).catch(() => false);
    return ready ? frame : null;
  });
}

/**
 * Clicks into the input of a frame and waits until it really holds the focus (the frame's
 * document has it, and the input is its active element), as when a cashier clicked there.
 * @param {Frame} frame
 * @param {string} placeholder
 */
async function focusInFrame(frame, placeholder) {
  const input = await inputByPlaceholder(frame, placeholder);
  await until('the focus in the iframe\'s input', async () => {
    await input.click();
    return input.evaluate((el) => document.hasFocus() && document.activeElement === el);
  });
}

/** @type {Variant[]} */
export const VARIANTS = [
  {
    id: 'ruyitong-eui2',
    portal: 'ruyitong',
    kind: 'sale',
    summary: '如医通: Vue + Element (el-steps wizard 添加商品→录入门店订单号→录入交易凭证→订单结算; el-table split header/body; dialogs appended to <body>); seed words: 请输入药品条码/首拼字母/药品名称, 药品名称, 商品条码, 原价(元), 折扣, 价格(元), 数量, 金额（元）, 下一步/上一步, 门店订单号, 交易凭证/身份证, 6位数字密码, 确认结账, 现金支付 typed by hand, 交易结果/交易成功 with 交易流水号; 交易查询 with 退货/打印小票.',
    create: () => createRuyitongEui2(),
    // 61.00 元 on a card with 50.00 left: 11.00 in cash (the seed's split)
    items: [
      { code: goods('阿莫西林胶囊').barcode, qty: 2, unitFen: 1750 },
      { code: goods('布洛芬缓释胶囊').barcode, qty: 1, unitFen: 2600 },
    ],
    cashFen: 1100,
    async open(harness) {
      const page = await harness.openPortal('ruyitong', '/#/trade');
      await page.setViewport({ width: 1400, height: 900 });
      const search = await inputByPlaceholder(page, '请输入药品条码/首拼字母/药品名称');
      await search.focus();
      return { page, ctx: page };
    },
    async fillByHand(page, ctx, orderNo) {
      for (const item of this.items) {
        await typeByPlaceholder(page, ctx, '请输入药品条码/首拼字母/药品名称', item.code);
        await page.keyboard.press('Enter');
        await typeInto(page, await cellInput(ctx, item.code, '价格(元)'), yuan(item.unitFen));
        await typeInto(page, await cellInput(ctx, item.code, '数量'), String(item.qty), { commit: true });
      }
      await clickText(ctx, '下一步');
      await typeByPlaceholder(page, ctx, '请输入门店pos的订单号', orderNo);
      await clickText(ctx, '下一步');
    },
    async customerPays(page, ctx) {
      await typeByPlaceholder(page, ctx, '请输入或读取身份证号', ID_CARD_SHORT.credential);
      await clickText(ctx, '确认');
      await typeByPlaceholder(page, ctx, '请输入6位数字密码', ID_CARD_SHORT.password);
      await clickText(ctx, '确认');
      await clickText(ctx, '确认结账');
      await typeByPlaceholder(page, ctx, '请手动输入收取的现金金额（元）', yuan(this.cashFen));
      await clickText(ctx, '确定');
    },
    async seesResult(page, ctx, order) {
      await waitText(ctx, '交易成功');
      await waitText(ctx, order.vendorOrderNo);
    },
  },
  {
    id: 'boming-antd',
    portal: 'boming',
    kind: 'sale',
    summary: '博明卡: React with controlled inputs, an Ant Design look (ant-steps 选择商品→填写订单→顾客支付→收银成功, ant-table, ant-modal portal on <body>); 「商品查询」 box with a 「查 询」 button, a 「添加」 link in each hit row; cart 商品名称/条码/零售价/件数/金额（元）; store number 外部单号; pay by 身份证 / 英大二维码 / 博明小管家 (seed 000 §二); result modal 「收银成功」 with 订单编号.',
    create: () => createBomingAntd(),
    items: [
      { code: goods('复方丹参滴丸').barcode, qty: 1, unitFen: 3650 },
      { code: goods('维生素C片').barcode, qty: 3, unitFen: 550 },
    ],
    cashFen: 0,
    async open(harness) {
      const page = await harness.openPortal('boming', '/cashier');
      await page.setViewport({ width: 1400, height: 900 });
      const search = await inputByPlaceholder(page, '请输入商品编码/名称');
      await search.focus();
      return { page, ctx: page };
    },
    async fillByHand(page, ctx, orderNo) {
      for (const item of this.items) {
        await typeByPlaceholder(page, ctx, '请输入商品编码/名称', item.code);
        await clickText(ctx, '查询');
        await until('the hit row', () => ctx.evaluate((code) => Array.from(document.querySelectorAll('tr')).some((tr) => tr.textContent?.includes(code) && tr.textContent.includes('添加')), item.code));
        await ctx.evaluate((code) => {
          const row = Array.from(document.querySelectorAll('tr')).find((tr) => tr.textContent?.includes(code) && tr.textContent.includes('添加'));
          /** @type {HTMLElement | null | undefined} */ (row?.querySelector('button'))?.click();
        }, item.code);
        await typeInto(page, await cellInput(ctx, item.code, '零售价'), yuan(item.unitFen));
        await typeInto(page, await cellInput(ctx, item.code, '件数'), String(item.qty));
      }
      await clickText(ctx, '下一步');
      await typeByPlaceholder(page, ctx, '请输入收银系统单号', orderNo);
      await clickText(ctx, '下一步');
    },
    async customerPays(page, ctx) {
      await typeByPlaceholder(page, ctx, '请输入身份证号码', ID_CARD.credential);
      await typeByPlaceholder(page, ctx, '请顾客输入支付密码', ID_CARD.password);
      await clickText(ctx, '确认收款');
    },
    async seesResult(page, ctx, order) {
      await waitText(ctx, '收银成功');
      await waitText(ctx, order.vendorOrderNo);
    },
  },
  {
    id: 'guohui-layui',
    portal: 'guohui',
    kind: 'sale',
    summary: '国惠健康: a layui admin shell whose work area is an <iframe> tab (收银台); the cashier scans with focus INSIDE the iframe; 「商品查询」 + 「查询」, a 「选择」 button in each hit row; cart 商品名称/条形码/单价(元)/数量(盒)/小计(元); store number 小票号; pay with 卡号/付款码 + 支付密码 + 「确认支付」; result layer 「支付成功」 with 交易流水号 (recorded as 国惠通, seed 000 §四).',
    create: () => createGuohuiLayui(),
    items: [
      { code: goods('感冒颗粒').barcode, qty: 2, unitFen: 1500 },
      { code: goods('阿莫西林胶囊').barcode, qty: 1, unitFen: 1980 },
    ],
    cashFen: 0,
    async open(harness) {
      const page = await harness.openPortal('guohui', '/');
      await page.setViewport({ width: 1400, height: 900 });
      const ctx = await workFrame(page);
      await focusInFrame(ctx, '条码/名称/拼音码'); // the cashier's focus is inside the iframe work area
      return { page, ctx };
    },
    async fillByHand(page, ctx, orderNo) {
      for (const item of this.items) {
        await typeByPlaceholder(page, ctx, '条码/名称/拼音码', item.code);
        await clickText(ctx, '查询');
        await until('the hit row', () => ctx.evaluate((code) => Array.from(document.querySelectorAll('#hits tr')).some((tr) => tr.textContent?.includes(code)), item.code));
        await ctx.evaluate((code) => {
          const row = Array.from(document.querySelectorAll('#hits tr')).find((tr) => tr.textContent?.includes(code));
          /** @type {HTMLElement | null | undefined} */ (row?.querySelector('button'))?.click();
        }, item.code);
        await typeInto(page, await cellInput(ctx, item.code, '单价(元)'), yuan(item.unitFen));
        await typeInto(page, await cellInput(ctx, item.code, '数量(盒)'), String(item.qty));
      }
      await typeByPlaceholder(page, ctx, '请输入门店小票号', orderNo);
    },
    async customerPays(page, ctx) {
      await typeByPlaceholder(page, ctx, '请刷卡或扫描付款码', ID_CARD.credential);
      await typeByPlaceholder(page, ctx, '请顾客输入密码', ID_CARD.password);
      await clickText(ctx, '确认支付');
    },
    async seesResult(page, ctx, order) {
      await waitText(ctx, '支付成功');
      await waitText(ctx, order.vendorOrderNo);
    },
  },
  {
    id: 'yuanfu-eui2',
    portal: 'yuanfu',
    kind: 'sale',
    summary: '员福好管家: Vue + Element, one 网页收银 page; the box is labelled 「药品」 (placeholder 扫码或输入药品名称、条码) with a 「搜索」 button; every search opens a 「选择药品」 el-dialog on <body> with a 「选择」 button per row; cart 品名/条形码/售价（元）/件数/金额 (元) with el-input-number cells; store number 门店单号; 「收款」 opens a dialog (会员卡号 + 密码 + 「确认收款」); the page then shows 「收银成功」 with 支付单号 (seed 000 §八: 网页收银, 收银成功; recorded as 国惠通).',
    create: () => createYuanfuEui2(),
    items: [
      { code: goods('布洛芬缓释胶囊').barcode, qty: 2, unitFen: 2500 },
    ],
    cashFen: 0,
    async open(harness) {
      const page = await harness.openPortal('yuanfu', '/');
      await page.setViewport({ width: 1400, height: 900 });
      const search = await inputByPlaceholder(page, '扫码或输入药品名称、条码');
      await search.focus();
      return { page, ctx: page };
    },
    async fillByHand(page, ctx, orderNo) {
      for (const item of this.items) {
        await typeByPlaceholder(page, ctx, '扫码或输入药品名称、条码', item.code);
        await clickText(ctx, '搜索');
        await clickText(ctx, '选择');
        await typeInto(page, await cellInput(ctx, item.code, '售价（元）'), yuan(item.unitFen), { commit: true });
        await typeInto(page, await cellInput(ctx, item.code, '件数'), String(item.qty), { commit: true });
      }
      await typeByPlaceholder(page, ctx, '请输入门店单号', orderNo);
    },
    async customerPays(page, ctx) {
      // the pay dialog may already be open (the extension may open it: it is not the pay button)
      const open = await ctx.evaluate(() => Array.from(document.querySelectorAll('input')).some((i) => i.placeholder === '请输入或刷会员卡号' && i.offsetParent !== null));
      if (!open) await clickText(ctx, '收款');
      await typeByPlaceholder(page, ctx, '请输入或刷会员卡号', ID_CARD.credential);
      await typeByPlaceholder(page, ctx, '请顾客输入密码', ID_CARD.password);
      await clickText(ctx, '确认收款');
    },
    async seesResult(page, ctx, order) {
      await waitText(ctx, '收银成功');
      await waitText(ctx, order.vendorOrderNo);
    },
  },
  {
    id: 'yuanfu-bootstrap',
    portal: 'yuanfu',
    kind: 'sale',
    summary: '员福好管家, amount only: an old Bootstrap 3 admin look, one 网页收银 form with labels 应收金额 (input + a separate 「元」 addon, placeholder 0.00), 商户订单号, 员福卡号, 交易密码 and 「确认收款」; a modal 「收银成功」 with 交易单号 (seed 000 §八 documents only 网页收银 / 收银成功; recorded as 国惠通).',
    create: () => createYuanfuBootstrap(),
    items: [
      { code: goods('复方丹参滴丸').barcode, qty: 1, unitFen: 3980 },
      { code: goods('感冒颗粒').barcode, qty: 1, unitFen: 1500 },
    ],
    cashFen: 0,
    async open(harness) {
      const page = await harness.openPortal('yuanfu', '/');
      await page.setViewport({ width: 1400, height: 900 });
      const amount = await inputByPlaceholder(page, '0.00');
      await amount.focus();
      return { page, ctx: page };
    },
    async fillByHand(page, ctx, orderNo) {
      await typeByPlaceholder(page, ctx, '0.00', yuan(totalOf(this.items)));
      await typeByPlaceholder(page, ctx, '门店收银单号', orderNo);
    },
    async customerPays(page, ctx) {
      await typeByPlaceholder(page, ctx, '刷卡或扫码', ID_CARD.credential);
      await typeByPlaceholder(page, ctx, '请持卡人输入', ID_CARD.password);
      await clickText(ctx, '确认收款');
    },
    async seesResult(page, ctx, order) {
      await waitText(ctx, '收银成功');
      await waitText(ctx, order.vendorOrderNo);
    },
  },
  {
    id: 'huiyika-server',
    portal: 'huiyika',
    kind: 'sale',
    summary: '慧医卡: plain server-rendered pages, every step a full page load (forms and links, no script): 首页 with 输入商品关键字 + 「搜索」, pick by clicking the 药品名称 link, change 价格, 「结算」 → a /pay page (卡号/密码 or 扫码支付; 卡号, 密码, 「支付」) → a 消费小票 page (打印, 确定) with 订单号; refunds 订单查询 → 退款 (卡号, 退货原因, 提交) → 订单审核退款 → 审核 (审核意见, 同意, 提交) → 退货小票 (all seed 001).',
    create: () => createHuiyikaServer(),
    // one line of 感冒颗粒 at the amount collected (seed 001); the ticket is two lines of other goods
    items: [
      { code: goods('维生素C片').barcode, qty: 2, unitFen: 590 },
      { code: goods('阿莫西林胶囊').barcode, qty: 1, unitFen: 1980 },
    ],
    cashFen: 0,
    async open(harness) {
      const page = await harness.openPortal('huiyika', '/');
      await page.setViewport({ width: 1400, height: 900 });
      const search = await inputByPlaceholder(page, '输入商品关键字');
      await search.focus();
      return { page, ctx: page };
    },
    async fillByHand(page, ctx) {
      const total = this.items.reduce((s, i) => s + i.qty * i.unitFen, 0);
      await typeByPlaceholder(page, ctx, '输入商品关键字', '感冒颗粒');
      await Promise.all([page.waitForNavigation(), clickText(ctx, '搜索')]);
      await Promise.all([page.waitForNavigation(), clickText(ctx, '感冒颗粒', 'a')]);
      await typeInto(page, await cellInput(ctx, '感冒颗粒', '价格'), yuan(total));
      await Promise.all([page.waitForNavigation(), clickText(ctx, '结算')]);
    },
    async customerPays(page, ctx) {
      if (!page.url().includes('/pay')) await Promise.all([page.waitForNavigation(), clickText(ctx, '结算')]);
      await typeByPlaceholder(page, ctx, '请输入慧医卡卡号', HYK_CARD.credential);
      await typeByPlaceholder(page, ctx, '请顾客输入密码', HYK_CARD.password);
      await Promise.all([page.waitForNavigation(), clickText(ctx, '支付')]);
    },
    async seesResult(page, ctx, order) {
      await waitText(ctx, '消费小票');
      await waitText(ctx, order.vendorOrderNo);
    },
  },
  {
    id: 'ruyitong-expired',
    portal: 'ruyitong',
    kind: 'expired',
    summary: '如医通 with the store session expired: the trade page shows the common admin message box 「登录状态已过期，您可以继续留在该页面，或者重新登录」 (重新登录/取消); /#/login shows the seed\'s login form (用户名, 密码, 登录) under 「登录已过期，请重新登录」. A scan here must tell the cashier to log in.',
    create: () => createRuyitongEui2({ expired: true }),
    items: [{ code: goods('维生素C片').barcode, qty: 1, unitFen: 590 }],
    cashFen: 0,
    async open(harness) {
      const page = await harness.openPortal('ruyitong', '/#/trade');
      await page.setViewport({ width: 1400, height: 900 });
      await waitText(page, '登录状态已过期');
      // as the cashier finds it: the message box open and settled, its 「重新登录」 button focused
      await until('the message box to take focus', () => page.evaluate(() => document.activeElement?.textContent?.trim() === '重新登录'));
      return { page, ctx: page };
    },
  },
  {
    id: 'guohui-broken',
    portal: 'guohui',
    kind: 'broken',
    summary: '国惠健康 layui/iframe variant with the 小票号 (store order number) field removed from the cashier page: the fill must stop and name what is missing, fill nothing wrong, post nothing.',
    create: () => createGuohuiLayui({ broken: true }),
    items: [{ code: goods('感冒颗粒').barcode, qty: 1, unitFen: 1500 }],
    cashFen: 0,
    async open(harness) {
      const page = await harness.openPortal('guohui', '/');
      await page.setViewport({ width: 1400, height: 900 });
      const ctx = await workFrame(page);
      await until('the 小票号 field to be gone', () => ctx.evaluate(() => !document.querySelector('#ticketItem')));
      await focusInFrame(ctx, '条码/名称/拼音码'); // the cashier's focus is inside the iframe work area
      return { page, ctx };
    },
  },
];

/** @param {TicketItem[]} items */
export const totalOf = (items) => items.reduce((s, i) => s + i.qty * i.unitFen, 0);

export { hasText };
