// 如医通 (ruyitong) web-POS simulator — server side.
//
// Registered with the e2e harness as
//   { id: 'ruyitong', host: 'saas.ringnex.com', staticDir, handle }
// `handle(req, res, url)` answers the JSON API under /api/… (with random latency) and the
// test endpoints under /__sim/…; everything else falls through to the static files in
// ./public (a Vue 3 + Element Plus app written as plain JS, no build step).
//
// Money is integer fen everywhere (state, API). No floats touch money.

import { fileURLToPath } from 'node:url';
import path from 'node:path';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const RUYITONG_STATIC_DIR = path.join(HERE, 'public');
export const RUYITONG_HOST = 'saas.ringnex.com';

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

/** The two-hit barcode: its own goods, plus a gift pack whose NAME contains this text. */
export const TWO_HIT_BARCODE = '6901234567892';

/** Default catalog (~12 pharmacy goods). priceFen = 原价 in fen. */
export const DEFAULT_CATALOG = Object.freeze(
  [
    { barcode: '6901234567892', name: '感冒灵颗粒', pinyin: 'GMLKL', spec: '10g*9袋', unit: '盒', priceFen: 1850, maker: '华润三九医药股份有限公司' },
    { barcode: '6923456789012', name: '阿莫西林胶囊', pinyin: 'AMXLJN', spec: '0.25g*24粒', unit: '盒', priceFen: 2600, maker: '石药集团中诺药业' },
    { barcode: ean('693456789012'), name: '布洛芬缓释胶囊', pinyin: 'BLFHSJN', spec: '0.3g*20粒', unit: '盒', priceFen: 3600, maker: '中美天津史克制药' },
    { barcode: ean('694567890123'), name: '连花清瘟胶囊', pinyin: 'LHQWJN', spec: '0.35g*24粒', unit: '盒', priceFen: 2980, maker: '石家庄以岭药业' },
    { barcode: ean('695678901234'), name: '板蓝根颗粒', pinyin: 'BLGKL', spec: '10g*20袋', unit: '袋', priceFen: 1500, maker: '广州白云山和记黄埔中药' },
    { barcode: ean('696789012345'), name: '藿香正气水', pinyin: 'HXZQS', spec: '10ml*10支', unit: '盒', priceFen: 1280, maker: '太极集团重庆涪陵制药厂' },
    { barcode: ean('697890123456'), name: '复方甘草片', pinyin: 'FFGCP', spec: '100片', unit: '瓶', priceFen: 850, maker: '北京双吉制药' },
    { barcode: ean('698901234567'), name: '维生素C片', pinyin: 'WSSCP', spec: '0.1g*100片', unit: '瓶', priceFen: 590, maker: '东北制药集团' },
    { barcode: ean('690012345678'), name: '六味地黄丸', pinyin: 'LWDHW', spec: '200丸(浓缩丸)', unit: '瓶', priceFen: 2450, maker: '仲景宛西制药' },
    { barcode: ean('691123456789'), name: '云南白药气雾剂', pinyin: 'YNBYQWJ', spec: '85g+30g', unit: '盒', priceFen: 4800, maker: '云南白药集团' },
    { barcode: ean('692234567890'), name: '欧姆龙电子血压计 HEM-7136', pinyin: 'OMLDZXYJ', spec: '上臂式', unit: '台', priceFen: 39800, maker: '欧姆龙(大连)有限公司' },
    { barcode: ean('693345678901'), name: '赠品 6901234567892 组合装', pinyin: 'ZP6901234567892ZHZ', spec: '感冒灵颗粒*2+口罩', unit: '套', priceFen: 3500, maker: '华润三九医药股份有限公司' },
  ].map((g) => Object.freeze(g)),
);

for (const g of DEFAULT_CATALOG) {
  if (!isValidEan13(g.barcode)) throw new Error(`bad EAN-13 in catalog: ${g.barcode}`);
}

const clone = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

/** Beijing-time parts of a Date. */
function bj(date) {
  const t = new Date(date.getTime() + 8 * 3600 * 1000);
  const iso = t.toISOString(); // yyyy-mm-ddThh:mm:ss.sssZ, but the clock is +08:00
  return {
    iso: iso.slice(0, 19) + '+08:00',
    ymd: iso.slice(0, 10).replace(/-/g, ''),
  };
}

function maskMiddle(value, head, tail) {
  const s = String(value);
  if (s.length <= head + tail) return s;
  return s.slice(0, head) + '*'.repeat(s.length - head - tail) + s.slice(s.length - tail);
}

export function fenToYuan(fen) {
  const neg = fen < 0;
  const a = Math.abs(fen);
  return (neg ? '-' : '') + Math.floor(a / 100) + '.' + String(a % 100).padStart(2, '0');
}

function pdfEscape(s) {
  return String(s).replace(/[^\x20-\x7e]/g, '?').replace(/([\\()])/g, '\\$1');
}

/** A tiny but valid single-page PDF (ASCII text, Helvetica), with a correct xref table. */
export function makeReceiptPdf(lines) {
  const textOps = ['BT', '/F1 11 Tf', '14 TL', '40 800 Td'];
  for (const l of lines) textOps.push(`(${pdfEscape(l)}) Tj T*`);
  textOps.push('ET');
  const content = textOps.join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xrefAt = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
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
  const isBuf = Buffer.isBuffer(body);
  const payload = isBuf ? body : Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, {
    'content-type': isBuf ? 'application/octet-stream' : 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': payload.length,
    ...headers,
  });
  res.end(payload);
}
const ok = (res, data) => send(res, 200, { code: 0, msg: '操作成功', data });
const fail = (res, code, msg, status = 200) => send(res, status, { code, msg, data: null });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @param {{ latency?: [number, number], catalog?: Array<object> }} [opts]
 */
export function createRuyitongSimulator(opts = {}) {
  const catalog = (opts.catalog ?? DEFAULT_CATALOG).map((g) => ({ ...g }));
  const byBarcode = new Map(catalog.map((g) => [g.barcode, g]));
  const initialLatency = opts.latency ?? [50, 500];

  /**
   * Mutable controls; POST /__sim/control merges JSON into this object.
   * @type {{ failNextPayment: boolean, cardBalanceFen: null | number | Record<string, number>, latency: [number, number] }}
   */
  const control = {
    /** next 确认结账 ends in 交易失败 (then resets to false) */
    failNextPayment: false,
    /**
     * Card balance. null = unlimited. A number = one global balance. An object maps an ID
     * card number / pay code to its balance, with optional key `default` for the rest.
     * Balances go down on payment and back up on refund.
     */
    cardBalanceFen: null,
    /** [minMs, maxMs] of random latency on /api/… */
    latency: [initialLatency[0], initialLatency[1]],
  };

  let orders = [];
  let pending = new Map();
  let seq = 0;
  let refundSeq = 0;
  let pendingSeq = 0;
  const sessions = new Map(); // token -> { username, storeName, storeCode, loggedInAt }
  let lastLogin = null;
  let requestLog = [];
  // card value (ID number / pay code) per order, kept out of state() (only masked is public)
  const creds = new Map();

  function reset() {
    orders = [];
    pending = new Map();
    seq = 0;
    refundSeq = 0;
    pendingSeq = 0;
    lastLogin = null;
    requestLog = [];
    creds.clear();
    control.failNextPayment = false;
    control.cardBalanceFen = null;
    control.latency = [initialLatency[0], initialLatency[1]];
    // sessions are kept on purpose: a page that stays logged in keeps working after reset()
  }

  function state() {
    return clone({
      account: lastLogin,
      orders,
      pending: [...pending.values()].map(({ credValue, ...rest }) => rest),
      control,
      requests: requestLog,
    });
  }

  function balanceFor(credValue) {
    const b = control.cardBalanceFen;
    if (b === null || b === undefined) return Infinity;
    if (typeof b === 'number') return b;
    if (typeof b === 'object') {
      if (Object.prototype.hasOwnProperty.call(b, credValue)) return b[credValue];
      if (typeof b.default === 'number') return b.default;
      return Infinity;
    }
    return Infinity;
  }
  function adjustBalance(credValue, deltaFen) {
    const b = control.cardBalanceFen;
    if (b === null || b === undefined) return;
    if (typeof b === 'number') control.cardBalanceFen = b + deltaFen;
    else if (typeof b === 'object') {
      if (Object.prototype.hasOwnProperty.call(b, credValue)) b[credValue] += deltaFen;
      else if (typeof b.default === 'number') b[credValue] = b.default + deltaFen;
    }
  }

  function search(keyword) {
    const k = String(keyword ?? '').trim();
    if (!k) return [];
    const up = k.toUpperCase();
    return catalog.filter(
      (g) => g.barcode.includes(k) || g.name.includes(k) || g.name.toUpperCase().includes(up) || g.pinyin.includes(up),
    );
  }

  function publicGoods(g) {
    return { barcode: g.barcode, name: g.name, pinyin: g.pinyin, spec: g.spec, unit: g.unit, priceFen: g.priceFen, maker: g.maker };
  }

  function validCredential(c) {
    if (!c || typeof c !== 'object') return '请录入交易凭证';
    if (c.type === 'idcard') {
      if (!/^\d{17}[\dXx]$/.test(String(c.value ?? ''))) return '身份证号格式不正确';
      if (!/^\d{6}$/.test(String(c.password ?? ''))) return '请输入6位数字密码';
      return null;
    }
    if (c.type === 'paycode') {
      if (!/^\d{16,24}$/.test(String(c.value ?? ''))) return '付款码格式不正确';
      return null;
    }
    return '不支持的凭证类型';
  }

  function maskCredential(c) {
    return c.type === 'idcard' ? maskMiddle(c.value.toUpperCase(), 6, 4) : maskMiddle(c.value, 4, 4);
  }

  function auth(req, url) {
    const h = req.headers['authorization'] || req.headers['x-access-token'] || '';
    const token = String(h).replace(/^Bearer\s+/i, '') || url.searchParams.get('token') || '';
    return sessions.get(token) ?? null;
  }

  function orderView(o) {
    return clone(o);
  }

  async function handleApi(req, res, url, p) {
    const body = await readJson(req);
    if (body.__badJson) return fail(res, 400, '请求格式错误', 400);

    if (p === '/api/auth/login' && req.method === 'POST') {
      const username = String(body.username ?? '').trim();
      const password = String(body.password ?? '');
      if (!username || !password) return fail(res, 1001, '用户名或密码不能为空');
      const token = 'ryt_' + Math.random().toString(36).slice(2) + Date.now().toString(36);
      const storeCode = 'MD' + String(1000 + (username.length * 37) % 9000);
      const info = {
        username,
        storeName: `如医平安合作药房（${username}）`,
        storeCode,
        loggedInAt: bj(new Date()).iso,
      };
      sessions.set(token, info);
      lastLogin = { ...info };
      return ok(res, { token, ...info });
    }

    const sess = auth(req, url);
    if (!sess) return fail(res, 401, '登录已过期，请重新登录', 401);

    if (p === '/api/auth/logout' && req.method === 'POST') {
      return ok(res, true);
    }
    if (p === '/api/auth/info' && req.method === 'GET') {
      return ok(res, sess);
    }

    if (p === '/api/goods/search' && req.method === 'GET') {
      const list = search(url.searchParams.get('keyword')).map(publicGoods);
      return ok(res, { list, total: list.length });
    }

    if (p === '/api/credential/verify' && req.method === 'POST') {
      const err = validCredential(body);
      if (err) return fail(res, 2001, err);
      return ok(res, { type: body.type, masked: maskCredential({ type: body.type, value: String(body.value) }) });
    }

    if (p === '/api/order/create' && req.method === 'POST') {
      const storeOrderNo = String(body.storeOrderNo ?? '').trim();
      if (!storeOrderNo) return fail(res, 3001, '门店订单号不能为空');
      const err = validCredential(body.credential);
      if (err) return fail(res, 3002, err);
      if (!Array.isArray(body.lines) || body.lines.length === 0) return fail(res, 3003, '订单中没有商品');
      const lines = [];
      for (const l of body.lines) {
        const g = byBarcode.get(String(l?.barcode ?? ''));
        if (!g) return fail(res, 3004, `商品不存在：${l?.barcode}`);
        if (!Number.isSafeInteger(l.qty) || l.qty < 1) return fail(res, 3005, `数量不正确：${g.name}`);
        if (!Number.isSafeInteger(l.unitFen) || l.unitFen < 0) return fail(res, 3006, `单价不正确：${g.name}`);
        lines.push({ barcode: g.barcode, name: g.name, qty: l.qty, unitFen: l.unitFen, originalFen: g.priceFen });
      }
      const totalFen = lines.reduce((s, l) => s + l.unitFen * l.qty, 0);
      if (totalFen <= 0) return fail(res, 3007, '订单金额必须大于0');
      const credValue = String(body.credential.value);
      const balance = balanceFor(credValue);
      const cardFen = Math.max(0, Math.min(totalFen, balance));
      const cashFen = totalFen - cardFen;
      pendingSeq += 1;
      const orderId = `P${Date.now().toString(36)}${pendingSeq}`;
      const pend = {
        orderId,
        storeOrderNo,
        lines,
        totalFen,
        cardFen,
        cashFen,
        credential: { type: body.credential.type, masked: maskCredential({ type: body.credential.type, value: credValue }) },
        credValue,
        operator: sess.username,
        createdAt: bj(new Date()).iso,
      };
      pending.set(orderId, pend);
      return ok(res, { orderId, totalFen, cardFen, cashFen, needCashConfirmTimes: cashFen === 0 ? 0 : cashFen > 200000 ? 2 : 1 });
    }

    if (p === '/api/order/pay' && req.method === 'POST') {
      const pend = pending.get(String(body.orderId ?? ''));
      if (!pend) return fail(res, 4001, '订单不存在或已结算');
      if (pend.cashFen > 0) {
        const inputs = Array.isArray(body.cashInputsFen) ? body.cashInputsFen : [];
        const need = pend.cashFen > 200000 ? 2 : 1;
        if (inputs.length < need || inputs.some((v) => v !== pend.cashFen)) {
          return fail(res, 4002, '现金支付金额不正确');
        }
      }
      pending.delete(pend.orderId);
      seq += 1;
      const now = new Date();
      const t = bj(now);
      const vendorOrderNo = `RYT${t.ymd}${String(seq).padStart(6, '0')}`;
      const failed = control.failNextPayment === true;
      if (failed) control.failNextPayment = false;
      const order = {
        vendorOrderNo,
        storeOrderNo: pend.storeOrderNo,
        lines: pend.lines,
        totalFen: pend.totalFen,
        cardFen: pend.cardFen,
        cashFen: pend.cashFen,
        credential: pend.credential,
        status: failed ? 'failed' : 'paid',
        paidAt: t.iso,
        operator: pend.operator,
      };
      if (failed) order.failReason = '理赔结算失败：保险公司核赔未通过（模拟）';
      else adjustBalance(pend.credValue, -pend.cardFen);
      orders.push(order);
      creds.set(vendorOrderNo, pend.credValue);
      return ok(res, orderView(order));
    }

    if (p === '/api/order/list' && req.method === 'GET') {
      const no = (url.searchParams.get('vendorOrderNo') ?? '').trim();
      const sno = (url.searchParams.get('storeOrderNo') ?? '').trim();
      const pageNo = Math.max(1, Number(url.searchParams.get('pageNo') ?? 1) || 1);
      const pageSize = Math.min(100, Math.max(1, Number(url.searchParams.get('pageSize') ?? 10) || 10));
      const includeFailed = url.searchParams.get('includeFailed') === '1';
      let list = orders.filter((o) => o.status === 'paid' || o.status === 'refunded' || (includeFailed && o.status === 'failed'));
      if (no) list = list.filter((o) => o.vendorOrderNo.includes(no));
      if (sno) list = list.filter((o) => o.storeOrderNo.includes(sno));
      list = list.slice().reverse();
      return ok(res, { list: list.slice((pageNo - 1) * pageSize, pageNo * pageSize).map(orderView), total: list.length, pageNo, pageSize });
    }

    if (p === '/api/order/refund' && req.method === 'POST') {
      const o = orders.find((x) => x.vendorOrderNo === String(body.vendorOrderNo ?? ''));
      if (!o) return fail(res, 5001, '订单不存在');
      if (o.status === 'refunded') return fail(res, 5002, '该订单已退货');
      if (o.status !== 'paid') return fail(res, 5003, '该订单不可退货');
      refundSeq += 1;
      const t = bj(new Date());
      o.status = 'refunded';
      o.refundedAt = t.iso;
      o.refundNo = `RYTTH${t.ymd}${String(refundSeq).padStart(6, '0')}`;
      adjustBalance(creds.get(o.vendorOrderNo), o.cardFen);
      return ok(res, orderView(o));
    }

    if (p === '/api/order/receipt' && req.method === 'GET') {
      const o = orders.find((x) => x.vendorOrderNo === (url.searchParams.get('vendorOrderNo') ?? ''));
      if (!o || o.status === 'failed') return fail(res, 5001, '订单不存在', 404);
      const refunded = o.status === 'refunded';
      const lines = [
        refunded ? 'RUYITONG WEBPOS - REFUND RECEIPT' : 'RUYITONG WEBPOS - SALES RECEIPT',
        `Store: ${sess.storeCode}`,
        `Order No: ${o.vendorOrderNo}`,
        `Store Order No: ${o.storeOrderNo}`,
        `Time: ${o.paidAt.slice(0, 19).replace('T', ' ')}`,
        '--------------------------------',
        ...o.lines.map((l) => `${l.barcode} x${l.qty} @${fenToYuan(l.unitFen)} = ${fenToYuan(l.unitFen * l.qty)}`),
        '--------------------------------',
        `Total: ${fenToYuan(o.totalFen)}`,
        `Card: ${fenToYuan(o.cardFen)}`,
        `Cash: ${fenToYuan(o.cashFen)}`,
        `ID: ${o.credential.masked}`,
        ...(refunded ? [`Refund No: ${o.refundNo}`, `Refunded: ${o.refundedAt.slice(0, 19).replace('T', ' ')}`] : []),
        'Signature: ________________',
      ];
      const pdf = makeReceiptPdf(lines);
      res.writeHead(200, {
        'content-type': 'application/pdf',
        'content-length': pdf.length,
        'content-disposition': `inline; filename="${o.vendorOrderNo}.pdf"`,
        'cache-control': 'no-store',
      });
      res.end(pdf);
      return;
    }

    return fail(res, 404, '接口不存在', 404);
  }

  async function handle(req, res, urlArg) {
    const url =
      urlArg instanceof URL ? urlArg : new URL(typeof urlArg === 'string' ? urlArg : req.url, `https://${RUYITONG_HOST}`);
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
      for (const k of ['failNextPayment', 'cardBalanceFen', 'latency']) {
        if (Object.prototype.hasOwnProperty.call(body, k)) control[k] = clone(body[k]);
      }
      send(res, 200, clone(control));
      return true;
    }
    if (p === '/__sim/reset' && req.method === 'POST') {
      reset();
      send(res, 200, { ok: true });
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
    id: 'ruyitong',
    host: RUYITONG_HOST,
    staticDir: RUYITONG_STATIC_DIR,
    handle,
    state,
    reset,
    control,
    catalog: clone(catalog),
  };
}

export default createRuyitongSimulator;
