// 国惠健康 (guohui) web-POS simulator — server side.
//
// Registered with the e2e harness as
//   { id: 'guohui', host: 'webpos.guohuijiankang.com', staticDir, handle }
// The page is a vue-element-admin style app (Vue 3 + Element Plus globals, no build step) in
// ./public. `handle` answers its JSON API under /prod-api/… (vue-element-admin conventions:
// `{ code: 20000, data }`, token in the `X-Token` header, 50008 = illegal token), a generated
// /static/config.js (the `renamed` texts), Element Plus's zh-cn locale, and the test
// endpoints under /__sim/…. Everything else falls through to the static files.
//
// Money is integer fen everywhere (state, API). No floats touch money.

import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
export const GUOHUI_STATIC_DIR = path.join(HERE, 'public');
export const GUOHUI_HOST = 'webpos.guohuijiankang.com';
/** Where the login page sends the cashier (the URL of the seed). */
export const GUOHUI_LOGIN_PATH = '/#/login?redirect=%2Findex';

/** EAN-13 check digit for the first 12 digits. */
export function ean13CheckDigit(first12) {
  if (!/^\d{12}$/.test(first12)) throw new Error(`need 12 digits: ${first12}`);
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return String((10 - (sum % 10)) % 10);
}
export function isValidEan13(code) {
  return /^\d{13}$/.test(code) && ean13CheckDigit(code.slice(0, 12)) === code[12];
}
const ean = (first12) => first12 + ean13CheckDigit(first12);

/**
 * Default goods (priceFen = 零售价). Some barcodes are the same real-world goods as in the other
 * simulators, at this vendor's own prices. 「布洛芬」 matches three goods, 「感冒」 two.
 */
export const DEFAULT_CATALOG = Object.freeze(
  [
    { barcode: '6901234567892', name: '感冒灵颗粒', py: 'GMLKL', spec: '10g*9袋', unit: '盒', priceFen: 1980 },
    { barcode: '6923456789012', name: '阿莫西林胶囊', py: 'AMXLJN', spec: '0.25g*24粒', unit: '盒', priceFen: 2450 },
    { barcode: ean('693456789012'), name: '布洛芬缓释胶囊', py: 'BLFHSJN', spec: '0.3g*20粒', unit: '盒', priceFen: 3600 },
    { barcode: ean('693456789013'), name: '布洛芬混悬液', py: 'BLFHXY', spec: '100ml:2g', unit: '瓶', priceFen: 2880 },
    { barcode: ean('693456789014'), name: '布洛芬片', py: 'BLFP', spec: '0.2g*100片', unit: '瓶', priceFen: 1250 },
    { barcode: ean('694567890123'), name: '连花清瘟胶囊', py: 'LHQWJN', spec: '0.35g*36粒', unit: '盒', priceFen: 3980 },
    { barcode: ean('695678901234'), name: '板蓝根颗粒', py: 'BLGKL', spec: '10g*20袋', unit: '袋', priceFen: 1600 },
    { barcode: ean('696789012345'), name: '藿香正气口服液', py: 'HXZQKFY', spec: '10ml*10支', unit: '盒', priceFen: 2200 },
    { barcode: ean('697890123456'), name: '复方感冒灵片', py: 'FFGMLP', spec: '0.3g*36片', unit: '盒', priceFen: 1450 },
    { barcode: ean('698901234567'), name: '维生素C咀嚼片', py: 'WSSCJJP', spec: '0.5g*60片', unit: '瓶', priceFen: 3900 },
    { barcode: ean('690012345678'), name: '医用外科口罩', py: 'YYWKKZ', spec: '10只/袋', unit: '袋', priceFen: 990 },
    { barcode: ean('692234567890'), name: '鱼跃电子体温计', py: 'YYDZTWJ', spec: 'MT101', unit: '支', priceFen: 3500 },
  ].map((g) => Object.freeze(g)),
);
for (const g of DEFAULT_CATALOG) {
  if (!isValidEan13(g.barcode)) throw new Error(`bad EAN-13 in catalog: ${g.barcode}`);
}

const clone = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Beijing-time parts of a Date. */
function bj(date) {
  const iso = new Date(date.getTime() + 8 * 3600 * 1000).toISOString();
  return {
    iso: iso.slice(0, 19) + '+08:00',
    compact: iso.slice(0, 19).replace(/[-T:]/g, ''), // yyyymmddhhmmss
  };
}

/** First 6 and last 4 kept, the rest `*`. */
export function maskCard(value) {
  const s = String(value);
  if (s.length <= 10) return s;
  return s.slice(0, 6) + '*'.repeat(s.length - 10) + s.slice(-4);
}

export function fenToYuan(fen) {
  const neg = fen < 0;
  const a = Math.abs(fen);
  return (neg ? '-' : '') + Math.floor(a / 100) + '.' + String(a % 100).padStart(2, '0');
}

/** `[min, max]` or `{ minMs, maxMs }` → `[min, max]`. */
function normLatency(l, fallback) {
  if (Array.isArray(l) && l.length === 2) return [Number(l[0]) || 0, Number(l[1]) || 0];
  if (l && typeof l === 'object' && 'minMs' in l) return [Number(l.minMs) || 0, Number(l.maxMs) || 0];
  return fallback;
}

async function readJson(req) {
  if (req.method === 'GET' || req.method === 'HEAD') return {};
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    return { __badJson: true };
  }
}

function send(res, status, body, headers = {}) {
  const payload = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': payload.length,
    ...headers,
  });
  res.end(payload);
}
/** vue-element-admin style answers: code 20000 is success. */
const ok = (res, data) => send(res, 200, { code: 20000, message: 'success', data });
const fail = (res, code, message, status = 200) => send(res, status, { code, message, data: null });

/** Card numbers and pay codes the member lookup accepts. */
const CARD_RE = /^[0-9]{12,24}$/;

/**
 * @param {{
 *   latency?: [number, number] | { minMs: number, maxMs: number },
 *   catalog?: Array<object>,
 *   renamed?: Record<string, string>,
 *   storeName?: (username: string) => string,
 * }} [opts]
 */
export function createGuohuiSimulator(opts = {}) {
  const catalog = (opts.catalog ?? DEFAULT_CATALOG).map((g) => ({ ...g }));
  const byBarcode = new Map(catalog.map((g) => [g.barcode, g]));
  const initialLatency = normLatency(opts.latency, [50, 500]);
  const renamed = { ...(opts.renamed ?? {}) };
  const storeNameFor = opts.storeName ?? ((u) => `国惠健康签约药房·${u}店`);
  /** Per-instance prefix so two simulators in one run never hand out the same 交易流水号. */
  const instanceTag = String(Math.floor(Math.random() * 90) + 10);

  /**
   * Mutable controls (POST /__sim/control merges JSON into it).
   * @type {{ failNextPayment: boolean, failReason: string, cardBalanceFen: null | number | Record<string, number>,
   *   password: string | null, latency: [number, number] }}
   */
  const control = {
    /** the next payment ends in 收款失败 (recorded with status 'failed'), then resets to false */
    failNextPayment: false,
    /** reason shown on that failure */
    failReason: '交易失败：支付渠道返回异常，请稍后重试',
    /** null = unlimited; a number = every card; an object: card → fen, with optional `default` */
    cardBalanceFen: null,
    /** null = any 6 digits; else the only accepted 支付密码 */
    password: null,
    /** [minMs, maxMs] of random latency on /prod-api/… */
    latency: [initialLatency[0], initialLatency[1]],
  };

  let orders = [];
  let seq = 0;
  let lastLogin = null;
  let requestLog = [];
  const sessions = new Map(); // token → { username, storeName, storeCode }
  const spent = new Map(); // card → fen spent (balances go down)

  function reset() {
    orders = [];
    seq = 0;
    lastLogin = null;
    requestLog = [];
    spent.clear();
    control.failNextPayment = false;
    control.failReason = '交易失败：支付渠道返回异常，请稍后重试';
    control.cardBalanceFen = null;
    control.password = null;
    control.latency = [initialLatency[0], initialLatency[1]];
    // sessions are kept on purpose: an open page stays logged in
  }

  function state() {
    return clone({ account: lastLogin, orders, control, renamed, requests: requestLog });
  }

  function balanceFor(card) {
    const b = control.cardBalanceFen;
    let base = Infinity;
    if (typeof b === 'number') base = b;
    else if (b && typeof b === 'object') {
      if (Object.prototype.hasOwnProperty.call(b, card)) base = b[card];
      else if (typeof b.default === 'number') base = b.default;
    }
    return base - (spent.get(card) ?? 0);
  }

  function search(keyword) {
    const k = String(keyword ?? '').trim();
    if (!k) return [];
    const up = k.toUpperCase();
    return catalog
      .filter((g) => g.barcode.includes(k) || g.name.includes(k) || g.py.includes(up))
      .slice(0, 20);
  }

  function memberOf(card) {
    const isCode = card.length >= 18 && card.startsWith('28');
    const balance = balanceFor(card);
    return {
      cardMasked: maskCard(card),
      memberName: '会员' + card.slice(-4),
      cardType: isCode ? '国惠健康付款码' : '国惠健康卡',
      balanceFen: Number.isFinite(balance) ? balance : null,
    };
  }

  function auth(req) {
    const token = String(req.headers['x-token'] ?? '');
    return sessions.get(token) ?? null;
  }

  async function handleApi(req, res, url, p) {
    const body = await readJson(req);
    if (body.__badJson) return fail(res, 40000, '请求参数格式错误', 400);

    if (p === '/prod-api/user/login' && req.method === 'POST') {
      const username = String(body.username ?? '').trim();
      const password = String(body.password ?? '');
      if (!username || !password) return fail(res, 60204, '账号或密码不正确');
      const token = 'gh-' + Math.random().toString(36).slice(2) + Date.now().toString(36);
      const info = {
        username,
        storeName: storeNameFor(username),
        storeCode: 'GH' + String(100 + ((username.length * 53) % 900)),
        loggedInAt: bj(new Date()).iso,
      };
      sessions.set(token, info);
      lastLogin = { ...info };
      return ok(res, { token });
    }

    const sess = auth(req);
    if (!sess) return fail(res, 50008, '登录状态已失效，请重新登录');

    if (p === '/prod-api/user/info' && req.method === 'GET') {
      return ok(res, { name: sess.username, storeName: sess.storeName, storeCode: sess.storeCode, roles: ['cashier'], avatar: '' });
    }
    if (p === '/prod-api/user/logout' && req.method === 'POST') {
      sessions.delete(String(req.headers['x-token'] ?? ''));
      return ok(res, 'success');
    }

    if (p === '/prod-api/goods/search' && req.method === 'GET') {
      const items = search(url.searchParams.get('keyword')).map((g) => ({
        goodsId: 'G' + g.barcode.slice(-6),
        barcode: g.barcode,
        name: g.name,
        spec: g.spec,
        unit: g.unit,
        priceFen: g.priceFen,
      }));
      return ok(res, { items, total: items.length });
    }

    if (p === '/prod-api/member/read' && req.method === 'POST') {
      const card = String(body.cardNo ?? '').trim();
      if (!card) return fail(res, 60301, '请输入卡号或扫描付款码');
      if (!CARD_RE.test(card)) return fail(res, 60302, '未查询到会员信息，请核对卡号/付款码');
      return ok(res, memberOf(card));
    }

    if (p === '/prod-api/cashier/pay' && req.method === 'POST') {
      const card = String(body.cardNo ?? '').trim();
      if (!CARD_RE.test(card)) return fail(res, 60302, '未查询到会员信息，请核对卡号/付款码');
      const pwd = String(body.password ?? '');
      if (!/^\d{6}$/.test(pwd) || (control.password !== null && pwd !== control.password)) {
        return fail(res, 60304, '支付密码错误，请重新输入');
      }
      const mode = body.mode === 'amount' ? 'amount' : 'goods';
      const storeOrderNo = String(body.storeOrderNo ?? '').trim().slice(0, 32);
      let lines;
      let amountFen;
      if (mode === 'goods') {
        if (!Array.isArray(body.lines) || body.lines.length === 0) return fail(res, 60401, '请先选择商品');
        lines = [];
        for (const l of body.lines) {
          const g = byBarcode.get(String(l?.barcode ?? ''));
          if (!g) return fail(res, 60402, `商品不存在：${l?.barcode}`);
          if (!Number.isSafeInteger(l.qty) || l.qty < 1 || l.qty > 999) return fail(res, 60403, `数量不正确：${g.name}`);
          if (!Number.isSafeInteger(l.unitFen) || l.unitFen < 1) return fail(res, 60404, `单价不正确：${g.name}`);
          lines.push({ barcode: g.barcode, name: g.name, qty: l.qty, unitFen: l.unitFen });
        }
        amountFen = lines.reduce((s, l) => s + l.qty * l.unitFen, 0);
      } else {
        amountFen = body.amountFen;
        if (!Number.isSafeInteger(amountFen) || amountFen < 1) return fail(res, 60405, '收款金额不正确');
      }
      if (Number.isSafeInteger(body.amountFen) && body.amountFen !== amountFen) return fail(res, 60406, '订单金额不一致，请刷新后重试');

      seq += 1;
      const now = bj(new Date());
      const vendorOrderNo = `GH${now.compact}${instanceTag}${String(seq).padStart(4, '0')}`;
      let failReason = null;
      if (control.failNextPayment === true) {
        control.failNextPayment = false;
        failReason = String(control.failReason || '交易失败');
      } else if (balanceFor(card) < amountFen) {
        failReason = '会员卡余额不足';
      }
      const order = {
        vendorOrderNo,
        storeOrderNo,
        amountFen,
        paidFen: failReason ? 0 : amountFen,
        cardMasked: maskCard(card),
        status: failReason ? 'failed' : 'paid',
        paidAt: now.iso,
        mode,
        operator: sess.username,
      };
      if (lines) order.lines = lines;
      if (failReason) order.failReason = failReason;
      else spent.set(card, (spent.get(card) ?? 0) + amountFen);
      orders.push(order);
      return ok(res, clone(order));
    }

    if (p === '/prod-api/order/list' && req.method === 'GET') {
      const q = url.searchParams;
      const page = Math.max(1, Number(q.get('page') ?? 1) || 1);
      const limit = Math.min(100, Math.max(1, Number(q.get('limit') ?? 10) || 10));
      const tradeNo = (q.get('tradeNo') ?? '').trim();
      const storeOrderNo = (q.get('storeOrderNo') ?? '').trim();
      const status = (q.get('status') ?? '').trim();
      let list = orders.slice().reverse();
      if (tradeNo) list = list.filter((o) => o.vendorOrderNo.includes(tradeNo));
      if (storeOrderNo) list = list.filter((o) => o.storeOrderNo.includes(storeOrderNo));
      if (status) list = list.filter((o) => o.status === status);
      return ok(res, { items: clone(list.slice((page - 1) * limit, page * limit)), total: list.length });
    }

    return fail(res, 40400, '接口不存在', 404);
  }

  /** The page reads its texts through this (the `renamed` option). */
  function configJs() {
    return `window.__GH_SIM_CONFIG = ${JSON.stringify({ renamed })};\n`;
  }

  let localeJs = null;

  async function handle(req, res, urlArg) {
    const url = urlArg instanceof URL ? urlArg : new URL(req.url ?? '/', `https://${GUOHUI_HOST}`);
    const p = url.pathname;

    if (p === '/__sim/state' && req.method === 'GET') {
      send(res, 200, state());
      return true;
    }
    if (p === '/__sim/control' && req.method === 'POST') {
      const body = await readJson(req);
      if (body.__badJson) {
        send(res, 400, { error: 'bad json' });
        return true;
      }
      if (body.reset === true) reset();
      for (const k of ['failNextPayment', 'failReason', 'cardBalanceFen', 'password']) {
        if (Object.prototype.hasOwnProperty.call(body, k)) control[k] = clone(body[k]);
      }
      if (Object.prototype.hasOwnProperty.call(body, 'latency')) control.latency = normLatency(body.latency, control.latency);
      send(res, 200, clone(control));
      return true;
    }
    if (p === '/__sim/reset' && req.method === 'POST') {
      reset();
      send(res, 200, { ok: true });
      return true;
    }
    if (p === '/static/config.js') {
      send(res, 200, configJs(), { 'content-type': 'text/javascript; charset=utf-8' });
      return true;
    }
    if (p === '/static/element-plus-zh-cn.js') {
      localeJs ??= readFile(require.resolve('element-plus/dist/locale/zh-cn.min.js'));
      send(res, 200, await localeJs, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=3600' });
      return true;
    }

    if (!p.startsWith('/prod-api/')) return false;

    requestLog.push({ method: req.method, path: p, query: url.search, at: Date.now() });
    if (requestLog.length > 500) requestLog.splice(0, requestLog.length - 500);

    const [lo, hi] = Array.isArray(control.latency) ? control.latency : [0, 0];
    const ms = Math.max(0, lo + Math.random() * Math.max(0, hi - lo));
    if (ms > 0) await sleep(ms);

    try {
      await handleApi(req, res, url, p);
    } catch (e) {
      if (!res.headersSent) fail(res, 50000, `系统繁忙：${e?.message ?? e}`, 500);
      else res.end();
    }
    return true;
  }

  return {
    id: 'guohui',
    host: GUOHUI_HOST,
    staticDir: GUOHUI_STATIC_DIR,
    handle,
    state,
    reset,
    control,
    renamed,
    catalog: clone(catalog),
  };
}

export default createGuohuiSimulator;
