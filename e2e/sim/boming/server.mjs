// 博明卡 (boming) web-POS simulator — server side.
//
// Registered with the e2e harness as
//   { id: 'boming', host: 'bmsy.51fmfit.com', staticDir, handle }
// `handle` answers the JSON API under /api/v1/… (with random latency), the test endpoints under
// /__sim/…, the React/htm builds under /static/vendor/… (read from node_modules: the harness's
// shared /__vendor/ files are a server option a simulator cannot add to), and the SPA's
// index.html for every page route (/login, /cashier, /orders, …) with the simulator config
// (renamed texts) inlined. Everything else falls through to the static files in ./public.
//
// Money is integer fen everywhere (state, API). No floats touch money.

import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export const BOMING_STATIC_DIR = path.join(HERE, 'public');
export const BOMING_HOST = 'bmsy.51fmfit.com';

/** Vendor scripts the page loads from /static/vendor/<name>. */
// (Resolved through each package's directory: their `exports` maps hide the UMD files.)
const pkgDir = (name) => path.dirname(require.resolve(`${name}/package.json`));
const VENDOR_FILES = Object.freeze({
  'react.production.min.js': path.join(pkgDir('react'), 'umd/react.production.min.js'),
  'react-dom.production.min.js': path.join(pkgDir('react-dom'), 'umd/react-dom.production.min.js'),
  'htm.umd.js': path.join(path.dirname(require.resolve('htm')), 'htm.umd.js'),
});

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

/** Default catalog. priceFen = 零售价 in fen. 「感冒」 matches two goods (感冒灵颗粒, 感冒清热颗粒). */
export const DEFAULT_CATALOG = Object.freeze(
  [
    { barcode: ean('690123456701'), name: '感冒灵颗粒', pinyin: 'GMLKL', spec: '10g*9袋', unit: '盒', priceFen: 1850 },
    { barcode: ean('690123456702'), name: '感冒清热颗粒', pinyin: 'GMQRKL', spec: '12g*10袋', unit: '盒', priceFen: 2200 },
    { barcode: ean('690123456703'), name: '阿莫西林胶囊', pinyin: 'AMXLJN', spec: '0.25g*24粒', unit: '盒', priceFen: 2600 },
    { barcode: ean('690123456704'), name: '布洛芬缓释胶囊', pinyin: 'BLFHSJN', spec: '0.3g*20粒', unit: '盒', priceFen: 3600 },
    { barcode: ean('690123456705'), name: '复方丹参滴丸', pinyin: 'FFDSDW', spec: '27mg*180丸', unit: '瓶', priceFen: 4250 },
    { barcode: ean('690123456706'), name: '板蓝根颗粒', pinyin: 'BLGKL', spec: '10g*20袋', unit: '袋', priceFen: 1500 },
    { barcode: ean('690123456707'), name: '维生素C泡腾片', pinyin: 'WSSCPTP', spec: '1g*15片', unit: '支', priceFen: 3980 },
    { barcode: ean('690123456708'), name: '医用外科口罩', pinyin: 'YYWKKZ', spec: '10只/袋', unit: '袋', priceFen: 990 },
    { barcode: ean('690123456709'), name: '鱼跃电子体温计', pinyin: 'YYDZTWJ', spec: 'YHT101', unit: '支', priceFen: 2990 },
    { barcode: ean('690123456710'), name: '苯磺酸氨氯地平片', pinyin: 'BHSALDPP', spec: '5mg*28片', unit: '盒', priceFen: 3120 },
  ].map((g) => Object.freeze(g)),
);
for (const g of DEFAULT_CATALOG) if (!isValidEan13(g.barcode)) throw new Error(`bad EAN-13 in catalog: ${g.barcode}`);

/** Customer credential formats (what the scanner types / what the customer shows). */
export const CREDENTIAL_FORMATS = Object.freeze({
  /** 英大「黑码」: 20 digits starting 88 (pay codes are digits only, like bank / wallet pay codes). */
  'yingda-qr': /^88\d{18}$/,
  /** 博明小管家 QR: BMXGJ + 16 digits. */
  'boming-qr': /^BMXGJ\d{16}$/,
  /** 身份证: 17 digits + digit or X. */
  idcard: /^\d{17}[\dX]$/,
});

/** Sample credentials for tests (each QR code can pay only once: pass a fresh `n`). */
export function sampleYingdaCode(n = 1) {
  return '8828' + String(n).padStart(16, '0').slice(-16);
}
export function sampleBomingCode(n = 1) {
  return 'BMXGJ66' + String(n).padStart(14, '0').slice(-14);
}
export const SAMPLE_ID_CARD = '510104198001011234';

const clone = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

/** Beijing-time parts of a Date. */
function bj(date) {
  const iso = new Date(date.getTime() + 8 * 3600 * 1000).toISOString();
  return { iso: iso.slice(0, 19) + '+08:00', stamp: iso.slice(0, 19).replace(/\D/g, '') };
}

export function maskCredential(value) {
  const s = String(value);
  if (s.length <= 10) return s;
  return s.slice(0, 6) + '*'.repeat(s.length - 10) + s.slice(-4);
}

export function fenToYuan(fen) {
  const neg = fen < 0;
  const a = Math.abs(fen);
  return (neg ? '-' : '') + Math.floor(a / 100) + '.' + String(a % 100).padStart(2, '0');
}

async function readJson(req) {
  if (req.method === 'GET' || req.method === 'HEAD') return {};
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return {};
  try {
    const v = JSON.parse(text);
    return v && typeof v === 'object' ? v : { __badJson: true };
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
/** API envelope: { code: 200, message, data, timestamp }; errors have another code. */
const ok = (res, data) => send(res, 200, { code: 200, message: 'success', data, timestamp: Date.now() });
const fail = (res, code, message, status = 200) => send(res, status, { code, message, data: null, timestamp: Date.now() });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Page routes of the SPA (history routing): these get index.html. */
const PAGE_ROUTE = /^\/(?:|login|cashier|orders)\/?$/;

const CONTROL_KEYS = Object.freeze(['failNextPayment', 'latency', 'payDelayMs', 'balanceFen', 'renamed']);

/**
 * @param {{
 *   latency?: [number, number],
 *   renamed?: Record<string, string>,
 *   catalog?: Array<object>,
 *   password?: string,
 * }} [opts]
 */
export function createBomingSimulator(opts = {}) {
  const catalog = (opts.catalog ?? DEFAULT_CATALOG).map((g) => ({ ...g }));
  const byBarcode = new Map(catalog.map((g) => [g.barcode, g]));
  const initial = {
    latency: opts.latency ? [...opts.latency] : [50, 500],
    renamed: { ...(opts.renamed ?? {}) },
  };

  /** Mutable controls; POST /__sim/control merges JSON into this object. */
  const control = {
    /** true or a reason string: the next 确认支付 ends in 支付失败 (then resets to false). */
    failNextPayment: /** @type {boolean | string} */ (false),
    /** [minMs, maxMs] random latency of every /api/ call. */
    latency: [...initial.latency],
    /** Extra delay of the pay call only (a slow card-side confirmation). */
    payDelayMs: 0,
    /** null: unlimited; a number: the card balance in fen (goes down on pay, up on refund). */
    balanceFen: /** @type {number | null} */ (null),
    /** Displayed text → replacement (whole texts: button, title, label, placeholder). Read at page load. */
    renamed: { ...initial.renamed },
  };

  let orders = [];
  let seq = 0;
  let requestLog = [];
  let lastLogin = null;
  const usedCodes = new Set();
  const sessions = new Map(); // token → { account, storeName, storeCode }

  function reset() {
    orders = [];
    seq = 0;
    requestLog = [];
    lastLogin = null;
    usedCodes.clear();
    control.failNextPayment = false;
    control.latency = [...initial.latency];
    control.payDelayMs = 0;
    control.balanceFen = null;
    control.renamed = { ...initial.renamed };
    // sessions are kept on purpose: an open page stays logged in after reset()
  }

  function state() {
    return clone({ account: lastLogin, orders, control, requests: requestLog });
  }

  function search(keyword) {
    const k = String(keyword ?? '').trim();
    if (!k) return [];
    const up = k.toUpperCase();
    return catalog.filter((g) => g.barcode.includes(k) || g.name.toUpperCase().includes(up) || g.pinyin.includes(up));
  }

  function auth(req) {
    const token = String(req.headers['authorization'] ?? '').replace(/^Bearer\s+/i, '');
    return sessions.get(token) ?? null;
  }

  /** → { credential: {type, masked}, key } or { error } */
  function checkCredential(c) {
    if (!c || typeof c !== 'object') return { error: '请先验证顾客身份' };
    const type = c.type;
    if (type === 'yingda-qr' || type === 'boming-qr') {
      const code = String(c.code ?? '').trim();
      if (!code) return { error: '请扫描顾客出示的二维码' };
      if (!CREDENTIAL_FORMATS[type].test(code)) {
        return { error: type === 'yingda-qr' ? '二维码无效：不是英大黑码' : '二维码无效：不是博明小管家付款码' };
      }
      if (usedCodes.has(code)) return { error: '付款码已使用，请顾客刷新二维码后重试' };
      return { credential: { type, masked: maskCredential(code) }, key: code, oneTime: true };
    }
    if (type === 'idcard') {
      const id = String(c.idNo ?? '').trim().toUpperCase();
      if (!CREDENTIAL_FORMATS.idcard.test(id)) return { error: '身份证号格式不正确' };
      if (!/^\d{6}$/.test(String(c.password ?? ''))) return { error: '支付密码错误' };
      return { credential: { type, masked: maskCredential(id) }, key: id, oneTime: false };
    }
    return { error: '不支持的验证方式' };
  }

  function parseLines(body) {
    if (body.mode === 'amount') {
      const amountFen = body.amountFen;
      if (!Number.isSafeInteger(amountFen) || amountFen <= 0) return { error: '收款金额不正确' };
      return { lines: [], amountFen };
    }
    if (!Array.isArray(body.lines) || body.lines.length === 0) return { error: '请添加商品' };
    const lines = [];
    for (const l of body.lines) {
      const g = byBarcode.get(String(l?.barcode ?? ''));
      if (!g) return { error: `商品不存在：${l?.barcode}` };
      if (!Number.isSafeInteger(l.qty) || l.qty < 1 || l.qty > 999) return { error: `数量不正确：${g.name}` };
      if (!Number.isSafeInteger(l.unitFen) || l.unitFen < 1) return { error: `单价不正确：${g.name}` };
      lines.push({ barcode: g.barcode, name: g.name, qty: l.qty, unitFen: l.unitFen, listFen: g.priceFen });
    }
    return { lines, amountFen: lines.reduce((s, l) => s + l.qty * l.unitFen, 0) };
  }

  async function handleApi(req, res, url, p) {
    const body = await readJson(req);
    if (body.__badJson) return fail(res, 400, '请求格式错误', 400);

    if (p === '/api/v1/auth/login' && req.method === 'POST') {
      const account = String(body.account ?? '').trim();
      const password = String(body.password ?? '');
      if (!account || !password) return fail(res, 40001, '请输入账号和密码');
      if (opts.password !== undefined && password !== opts.password) return fail(res, 40002, '账号或密码错误');
      const token = 'bm.' + Math.random().toString(36).slice(2) + Date.now().toString(36);
      const info = { account, storeName: `博明卡合作药房（${account}）`, storeCode: 'BMMD' + String(1000 + ((account.length * 53) % 9000)) };
      sessions.set(token, info);
      lastLogin = { ...info, at: bj(new Date()).iso };
      return ok(res, { token, ...info });
    }

    const sess = auth(req);
    if (!sess) return fail(res, 401, '登录已失效，请重新登录', 401);

    if (p === '/api/v1/auth/profile' && req.method === 'GET') return ok(res, sess);
    if (p === '/api/v1/auth/logout' && req.method === 'POST') return ok(res, true);

    if (p === '/api/v1/goods/search' && req.method === 'GET') {
      const list = search(url.searchParams.get('kw')).map(({ barcode, name, spec, unit, priceFen }) => ({ barcode, name, spec, unit, priceFen }));
      return ok(res, { list, total: list.length });
    }

    if (p === '/api/v1/trade/pay' && req.method === 'POST') {
      if (control.payDelayMs > 0) await sleep(control.payDelayMs);
      const parsed = parseLines(body);
      if (parsed.error) return fail(res, 42001, parsed.error);
      const cred = checkCredential(body.credential);
      if (cred.error) return fail(res, 42002, cred.error);
      const storeOrderNo = String(body.storeOrderNo ?? '').trim();
      if (storeOrderNo.length > 40) return fail(res, 42003, '门店订单号过长');
      const now = bj(new Date());
      seq += 1;
      const vendorOrderNo = `BM${now.stamp}${String(seq).padStart(4, '0')}`;
      const order = {
        vendorOrderNo,
        storeOrderNo,
        mode: body.mode === 'amount' ? 'amount' : 'goods',
        lines: parsed.lines,
        amountFen: parsed.amountFen,
        cardFen: parsed.amountFen,
        cashFen: 0,
        credential: cred.credential,
        status: 'paid',
        paidAt: now.iso,
        operator: sess.account,
      };
      let failReason = null;
      if (control.failNextPayment) {
        failReason = typeof control.failNextPayment === 'string' ? control.failNextPayment : '交易被拒绝：卡状态异常，请联系博明客服';
        control.failNextPayment = false;
      } else if (control.balanceFen !== null && control.balanceFen < parsed.amountFen) {
        failReason = `余额不足（可用余额 ¥${fenToYuan(control.balanceFen)}）`;
      }
      if (cred.oneTime) usedCodes.add(cred.key);
      if (failReason) {
        Object.assign(order, { status: 'failed', cardFen: 0, failReason });
      } else if (control.balanceFen !== null) {
        control.balanceFen -= parsed.amountFen;
      }
      orders.push(order);
      return ok(res, clone(order));
    }

    if (p === '/api/v1/trade/list' && req.method === 'GET') {
      const kw = (url.searchParams.get('kw') ?? '').trim();
      let list = orders.slice().reverse();
      if (kw) list = list.filter((o) => o.vendorOrderNo.includes(kw) || o.storeOrderNo.includes(kw));
      return ok(res, { list: clone(list), total: list.length });
    }

    if (p === '/api/v1/trade/revoke' && req.method === 'POST') {
      const o = orders.find((x) => x.vendorOrderNo === String(body.vendorOrderNo ?? ''));
      if (!o) return fail(res, 43001, '交易不存在');
      if (o.status === 'refunded') return fail(res, 43002, '该交易已撤销');
      if (o.status !== 'paid') return fail(res, 43003, '该交易不可撤销');
      o.status = 'refunded';
      o.refundedAt = bj(new Date()).iso;
      if (control.balanceFen !== null) control.balanceFen += o.cardFen;
      return ok(res, clone(o));
    }

    return fail(res, 404, '接口不存在', 404);
  }

  async function serveIndex(req, res) {
    const template = await readFile(path.join(BOMING_STATIC_DIR, 'index.html'), 'utf8');
    // `<` escaped so a renamed text cannot close the script element.
    const config = JSON.stringify({ renamed: control.renamed }).replace(/</g, '\\u003c');
    const html = Buffer.from(template.replace('/*__BM_CONFIG__*/{}', config), 'utf8');
    send(res, 200, req.method === 'HEAD' ? Buffer.alloc(0) : html, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': String(html.length),
    });
  }

  async function handle(req, res, urlArg) {
    const url = urlArg instanceof URL ? urlArg : new URL(req.url ?? '/', `https://${BOMING_HOST}`);
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
      for (const k of CONTROL_KEYS) if (Object.hasOwn(body, k)) control[k] = clone(body[k]);
      send(res, 200, clone(control));
      return true;
    }
    if (p === '/__sim/reset' && req.method === 'POST') {
      reset();
      send(res, 200, { ok: true });
      return true;
    }

    if (p.startsWith('/static/vendor/') && (req.method === 'GET' || req.method === 'HEAD')) {
      const file = VENDOR_FILES[p.slice('/static/vendor/'.length)];
      if (!file) return false;
      const body = await readFile(file);
      send(res, 200, req.method === 'HEAD' ? Buffer.alloc(0) : body, {
        'content-type': 'text/javascript; charset=utf-8',
        'content-length': String(body.length),
        'cache-control': 'public, max-age=3600',
      });
      return true;
    }

    if (PAGE_ROUTE.test(p) && (req.method === 'GET' || req.method === 'HEAD')) {
      await serveIndex(req, res);
      return true;
    }

    if (!p.startsWith('/api/')) return false;

    requestLog.push({ method: req.method, path: p, query: url.search, at: Date.now() });
    if (requestLog.length > 500) requestLog.splice(0, requestLog.length - 500);

    const [lo, hi] = Array.isArray(control.latency) ? control.latency : [0, 0];
    const ms = Math.max(0, lo + Math.random() * Math.max(0, hi - lo));
    if (ms > 0) await sleep(ms);

    try {
      await handleApi(req, res, url, p);
    } catch (e) {
      if (!res.headersSent) fail(res, 500, `服务器内部错误：${e?.message ?? e}`, 500);
      else res.end();
    }
    return true;
  }

  return {
    id: 'boming',
    host: BOMING_HOST,
    staticDir: BOMING_STATIC_DIR,
    handle,
    state,
    reset,
    control,
    catalog: clone(catalog),
  };
}

export default createBomingSimulator;
