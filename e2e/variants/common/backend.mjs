// Shared back end of the portal variants (issue 11): a goods catalog, customer accounts, orders and
// refunds, in memory. Each variant puts its own pages (its own words and markup) in front of it.
// The variants were written WITHOUT looking at providers/ or the older simulators: they test
// whether the extension copes with pages it was not tuned to.
import { fileURLToPath } from 'node:url';
import { readJson, sendJson } from '../../harness/portal-server.mjs';
import { PORTAL_HOST } from '../../harness/portals.mjs';

/** @import { IncomingMessage, ServerResponse } from 'node:http' */
/** @import { Simulator, SimContext } from '../../harness/portal-server.mjs' */

/** EAN-13 check digit for 12 digits. @param {string} twelve */
export function ean13(twelve) {
  let sum = 0;
  for (let i = 0; i < 12; i += 1) sum += Number(twelve[i]) * (i % 2 === 0 ? 1 : 3);
  return twelve + String((10 - (sum % 10)) % 10);
}

/** @typedef {{ barcode: string, name: string, pinyin: string, spec: string, maker: string, priceFen: number }} Goods */

/** The catalog every variant sells from (the seeds' example goods 感冒颗粒 included). */
/** @type {readonly Goods[]} */
export const CATALOG = Object.freeze([
  { barcode: ean13('690123456001'), name: '阿莫西林胶囊', pinyin: 'AMXLJN', spec: '0.25g*24粒', maker: '石药集团', priceFen: 1980 },
  { barcode: ean13('690123456002'), name: '布洛芬缓释胶囊', pinyin: 'BLFHSJN', spec: '0.3g*20粒', maker: '中美史克', priceFen: 2650 },
  { barcode: ean13('690123456003'), name: '感冒颗粒', pinyin: 'GMKL', spec: '10g*10袋', maker: '太极集团', priceFen: 1500 },
  { barcode: ean13('690123456004'), name: '小儿感冒颗粒', pinyin: 'XEGMKL', spec: '6g*10袋', maker: '太极集团', priceFen: 1800 },
  { barcode: ean13('690123456005'), name: '维生素C片', pinyin: 'WSSCP', spec: '0.1g*100片', maker: '华中药业', priceFen: 590 },
  { barcode: ean13('690123456006'), name: '复方丹参滴丸', pinyin: 'FFDSDW', spec: '27mg*180丸', maker: '天士力', priceFen: 3980 },
]);

/** @typedef {{ credential: string, password: string, balanceFen: number, name: string }} Account */

/** Customers: an ID card with plenty, an ID card whose card balance is short (a cash part), a 慧医卡 card (seed 001's test card). */
export const ACCOUNTS = Object.freeze([
  { credential: '110101199003071234', password: '246810', balanceFen: 500_000, name: '张三' },
  { credential: '510104198805061239', password: '135790', balanceFen: 5_000, name: '李四' },
  { credential: '6160201901100002', password: '079497', balanceFen: 500_000, name: '王五' },
]);

/** @param {string} s first 6 / last 4 at most */
export function maskCredential(s) {
  if (s.length <= 10) return `${s.slice(0, 2)}${'*'.repeat(Math.max(0, s.length - 4))}${s.slice(-2)}`;
  return `${s.slice(0, 6)}${'*'.repeat(s.length - 10)}${s.slice(-4)}`;
}

/** yuan text of fen @param {number} fen */
export const yuan = (fen) => (fen / 100).toFixed(2);

/** Store-local (UTC+8) time as 'yyyy-MM-dd HH:mm:ss'. @param {number} ms */
export function storeTime(ms) {
  const d = new Date(ms + 8 * 3600_000);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/**
 * @typedef {object} Order
 * @property {string} vendorOrderNo
 * @property {string} storeOrderNo
 * @property {Array<{ barcode: string, name: string, qty: number, unitFen: number }>} lines
 * @property {number} totalFen
 * @property {number} cardFen
 * @property {number} cashFen
 * @property {string} credentialMasked
 * @property {string} paidAt store-local 'yyyy-MM-dd HH:mm:ss'
 * @property {'paid' | 'refund_pending' | 'refunded'} status
 * @property {string} [refundReason]
 */

/**
 * @typedef {object} VariantOptions
 * @property {string} id Simulator id (also the variant's directory name), e.g. 'ruyitong-eui2'.
 * @property {keyof typeof PORTAL_HOST} portal Whose real hostname it is served at.
 * @property {string} staticDir
 * @property {string} orderPrefix Prefix of the vendor's transaction numbers.
 * @property {boolean} [requireStoreOrderNo] The order is refused without a store order number.
 * @property {boolean} [expired] The store's session has expired: every API call answers 401.
 * @property {boolean} [noStoreOrderNo] The page has no store-order-number field (the "broken" variant).
 * @property {(req: IncomingMessage, res: ServerResponse, url: URL, backend: Backend) => Promise<boolean> | boolean} [extra]
 */

/**
 * @typedef {object} Backend
 * @property {Order[]} orders
 * @property {Array<{ method: string, path: string, body: unknown }>} calls API calls (for tests)
 * @property {(q: string) => Goods[]} search
 * @property {(credential: string, password: string) => Account | string} verify an account, or the error text
 * @property {(input: { lines?: Array<{ barcode: string, qty: number, unitFen: number }>, amountFen?: number, storeOrderNo?: string, credential: string, password: string, cashFen?: number }) => Order | string} pay
 * @property {(vendorOrderNo: string, reason?: string, pending?: boolean) => Order | string} refund
 */

/**
 * @param {VariantOptions} opts
 * @returns {Backend}
 */
export function createBackend(opts) {
  /** @type {Order[]} */
  const orders = [];
  /** balances change as customers pay */
  const balances = new Map(ACCOUNTS.map((a) => [a.credential, a.balanceFen]));
  let seq = 0;
  return {
    orders,
    calls: [],
    search(q) {
      const query = q.trim().toUpperCase();
      if (!query) return [];
      if (/^\d{8,14}$/.test(query)) return CATALOG.filter((g) => g.barcode === query);
      return CATALOG.filter((g) => g.name.includes(q.trim()) || g.pinyin.startsWith(query) || (query.length >= 4 && g.barcode.includes(query)));
    },
    verify(credential, password) {
      const account = ACCOUNTS.find((a) => a.credential === credential.trim());
      if (!account) return '卡号或证件号不存在';
      if (account.password !== password) return '密码错误';
      return { ...account, balanceFen: balances.get(account.credential) ?? 0 };
    },
    pay(input) {
      const account = this.verify(input.credential ?? '', input.password ?? '');
      if (typeof account === 'string') return account;
      // an amount-only web cashier (网页收银 of a sum, no goods): one line of the amount
      if ((!Array.isArray(input.lines) || input.lines.length === 0) && Number.isInteger(input.amountFen) && /** @type {number} */ (input.amountFen) > 0) {
        input = { ...input, lines: [{ barcode: 'AMOUNT', qty: 1, unitFen: /** @type {number} */ (input.amountFen) }] };
      }
      if (!Array.isArray(input.lines) || input.lines.length === 0) return '请先添加商品';
      /** @type {Order['lines']} */
      const lines = [];
      for (const l of input.lines) {
        const goods = l.barcode === 'AMOUNT' ? { barcode: '', name: '消费金额' } : CATALOG.find((g) => g.barcode === l.barcode);
        if (!goods) return `商品不存在: ${l.barcode}`;
        if (!Number.isInteger(l.qty) || l.qty < 1 || !Number.isInteger(l.unitFen) || l.unitFen < 0) return '数量或价格不正确';
        lines.push({ barcode: goods.barcode, name: goods.name, qty: l.qty, unitFen: l.unitFen });
      }
      const storeOrderNo = (input.storeOrderNo ?? '').trim();
      if (opts.requireStoreOrderNo && !opts.noStoreOrderNo && !storeOrderNo) return '请录入门店订单号';
      const totalFen = lines.reduce((s, l) => s + l.qty * l.unitFen, 0);
      const cashFen = input.cashFen ?? 0;
      if (!Number.isInteger(cashFen) || cashFen < 0 || cashFen > totalFen) return '现金金额不正确';
      const cardFen = totalFen - cashFen;
      if (cardFen > account.balanceFen) return `余额不足（可用 ${yuan(account.balanceFen)} 元）`;
      balances.set(account.credential, account.balanceFen - cardFen);
      seq += 1;
      const now = Date.now();
      const stamp = storeTime(now).replace(/\D/g, '');
      /** @type {Order} */
      const order = {
        vendorOrderNo: `${opts.orderPrefix}${stamp}${String(seq).padStart(4, '0')}`,
        storeOrderNo,
        lines,
        totalFen,
        cardFen,
        cashFen,
        credentialMasked: maskCredential(account.credential),
        paidAt: storeTime(now),
        status: 'paid',
      };
      orders.push(order);
      return order;
    },
    refund(vendorOrderNo, reason, pending = false) {
      const order = orders.find((o) => o.vendorOrderNo === vendorOrderNo);
      if (!order) return '订单不存在';
      if (order.status === 'refunded') return '该订单已退货';
      order.status = pending ? 'refund_pending' : 'refunded';
      if (reason) order.refundReason = reason;
      return order;
    },
  };
}

/**
 * The JSON API the single-page variants call: `/api/session`, `/api/config`, `/api/goods?q=`,
 * `/api/verify`, `/api/orders` (GET list, POST pay), `/api/orders/refund`.
 * @param {VariantOptions} opts
 * @param {Backend} backend
 * @returns {(req: IncomingMessage, res: ServerResponse, url: URL, ctx: SimContext) => Promise<boolean>}
 */
export function jsonApi(opts, backend) {
  return async (req, res, url, ctx) => {
    if (opts.extra && (await opts.extra(req, res, url, backend))) return true;
    if (!url.pathname.startsWith('/api/')) return false;
    await ctx.latency();
    const body = req.method === 'POST' ? await readJson(req).catch(() => undefined) : undefined;
    backend.calls.push({ method: req.method ?? 'GET', path: url.pathname + url.search, body });
    const p = url.pathname;
    if (p === '/api/config') return sendJson(res, 200, { noStoreOrderNo: Boolean(opts.noStoreOrderNo) }), true;
    if (opts.expired) return sendJson(res, 401, { code: 401, msg: '登录状态已过期，请重新登录' }), true;
    if (p === '/api/session') return sendJson(res, 200, { code: 0, user: '门店收银员', store: '太极大药房（演示店）' }), true;
    if (p === '/api/goods') return sendJson(res, 200, { code: 0, data: backend.search(url.searchParams.get('q') ?? '') }), true;
    const b = /** @type {Record<string, any>} */ (body ?? {});
    if (p === '/api/verify' && req.method === 'POST') {
      const r = backend.verify(String(b.credential ?? ''), String(b.password ?? ''));
      return typeof r === 'string' ? sendJson(res, 200, { code: 1, msg: r }) : sendJson(res, 200, { code: 0, data: { balanceFen: r.balanceFen, name: r.name } }), true;
    }
    if (p === '/api/orders' && req.method === 'GET') {
      const q = (url.searchParams.get('q') ?? '').trim();
      return sendJson(res, 200, { code: 0, data: backend.orders.filter((o) => !q || o.vendorOrderNo.includes(q) || o.storeOrderNo.includes(q)).slice().reverse() }), true;
    }
    if (p === '/api/orders' && req.method === 'POST') {
      const r = backend.pay(/** @type {any} */ (b));
      return typeof r === 'string' ? sendJson(res, 200, { code: 1, msg: r }) : sendJson(res, 200, { code: 0, data: r }), true;
    }
    if (p === '/api/orders/refund' && req.method === 'POST') {
      const r = backend.refund(String(b.vendorOrderNo ?? ''), b.reason ? String(b.reason) : undefined);
      return typeof r === 'string' ? sendJson(res, 200, { code: 1, msg: r }) : sendJson(res, 200, { code: 0, data: r }), true;
    }
    sendJson(res, 404, { code: 404, msg: 'not found' });
    return true;
  };
}

/**
 * @typedef {Simulator & { variant: string, portal: string, backend: Backend, state(): { orders: Order[] } }} VariantSimulator
 */

/**
 * A single-page variant: static pages + the JSON API, at the portal's real hostname.
 * @param {VariantOptions} opts
 * @returns {VariantSimulator}
 */
export function createSpaVariant(opts) {
  const backend = createBackend(opts);
  return {
    id: opts.portal,
    host: PORTAL_HOST[opts.portal],
    staticDir: opts.staticDir,
    handle: jsonApi(opts, backend),
    variant: opts.id,
    portal: opts.portal,
    backend,
    state: () => ({ orders: backend.orders }),
  };
}

/** Vendor files the variants load besides the harness's defaults (React + htm for the Ant Design look). */
// (the packages' "exports" hide these files from require.resolve: take them from node_modules)
const nodeModule = (/** @type {string} */ file) => fileURLToPath(new URL(`../../../node_modules/${file}`, import.meta.url));
export const VARIANT_VENDOR = Object.freeze({
  'react.js': nodeModule('react/umd/react.production.min.js'),
  'react-dom.js': nodeModule('react-dom/umd/react-dom.production.min.js'),
  'htm.js': nodeModule('htm/dist/htm.umd.js'),
});
