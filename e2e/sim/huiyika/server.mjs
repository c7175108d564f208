// 慧医卡 (huiyika) web-POS simulator: an older, server-rendered Chinese web-POS.
//
// Registered with the e2e harness as
//   { id: 'huiyika', host: 'webpos.huiyika.com', staticDir, handle }
// `handle` answers every page itself (HTML built as strings: plain <form method=post>, redirects
// after POST, a JSESSIONID cookie session) plus two small XHR endpoints of the pay page and the
// test endpoints under /__sim/…; only /static/… falls through to the files in ./public.
//
// Seed 001 (慧医卡收银系统操作手册) is the source: 首页 → goods keyword search → 选择 → change the
// price to the amount collected → 结算 → 「卡号/密码」 or 「扫码支付」 → a receipt window pops up
// (打印, 确定); webpos → 订单查询 (退款) and 订单审核退款 (审核 → 同意/驳回 → 提交); a refund may not
// cross a calendar month (store time, UTC+08:00).
//
// Money is integer fen everywhere in state; yuan strings only in HTML.

import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { randomBytes, createHash } from 'node:crypto';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const HUIYIKA_STATIC_DIR = path.join(HERE, 'public');
export const HUIYIKA_HOST = 'webpos.huiyika.com';

/** The store test card printed in the manual (seed 001). */
export const TEST_CARD = Object.freeze({ cardNo: '6160201901100002', password: '079497' });
/** Password of every well-formed card that is not in control.cards. */
export const DEFAULT_PASSWORD = '123456';

/** ~12 goods; priceFen = list price in fen. Several contain 感冒 (the manual's example search). */
export const DEFAULT_CATALOG = Object.freeze(
  [
    { code: 'HY0001', name: '感冒颗粒', spec: '10g*10袋', unit: '盒', priceFen: 1200, maker: '四川光大制药有限公司' },
    { code: 'HY0002', name: '板蓝根颗粒', spec: '10g*20袋', unit: '袋', priceFen: 1500, maker: '广州白云山和记黄埔中药有限公司' },
    { code: 'HY0003', name: '999感冒灵颗粒', spec: '10g*9袋', unit: '盒', priceFen: 1850, maker: '华润三九医药股份有限公司' },
    { code: 'HY0004', name: '小儿感冒颗粒', spec: '6g*10袋', unit: '盒', priceFen: 1680, maker: '太极集团重庆桐君阁药厂' },
    { code: 'HY0005', name: '感冒清热颗粒', spec: '12g*10袋', unit: '盒', priceFen: 2250, maker: '北京同仁堂科技发展股份有限公司' },
    { code: 'HY0006', name: '阿莫西林胶囊', spec: '0.25g*24粒', unit: '盒', priceFen: 2600, maker: '石药集团中诺药业' },
    { code: 'HY0007', name: '布洛芬缓释胶囊', spec: '0.3g*20粒', unit: '盒', priceFen: 3600, maker: '中美天津史克制药有限公司' },
    { code: 'HY0008', name: '连花清瘟胶囊', spec: '0.35g*24粒', unit: '盒', priceFen: 2980, maker: '石家庄以岭药业股份有限公司' },
    { code: 'HY0009', name: '维生素C片', spec: '0.1g*100片', unit: '瓶', priceFen: 590, maker: '东北制药集团' },
    { code: 'HY0010', name: '复方甘草片', spec: '100片', unit: '瓶', priceFen: 850, maker: '北京双吉制药有限公司' },
    { code: 'HY0011', name: '医用外科口罩', spec: '10只/袋', unit: '袋', priceFen: 1000, maker: '稳健医疗用品股份有限公司' },
    { code: 'HY0012', name: '藿香正气口服液', spec: '10ml*10支', unit: '盒', priceFen: 1980, maker: '太极集团重庆涪陵制药厂' },
  ].map((g) => Object.freeze(g)),
);

// ------------------------------------------------------------------ small helpers

const clone = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pad = (n, w = 2) => String(n).padStart(w, '0');

const OFFSET_MS = 8 * 3600 * 1000;

/** Store-time (UTC+08:00) parts of an epoch ms. */
function storeParts(ms) {
  const d = new Date(ms + OFFSET_MS);
  return {
    y: d.getUTCFullYear(),
    mo: d.getUTCMonth() + 1,
    d: d.getUTCDate(),
    h: d.getUTCHours(),
    mi: d.getUTCMinutes(),
    s: d.getUTCSeconds(),
  };
}
/** 'YYYY-MM-DDTHH:mm:ss+08:00' */
export function isoStore(ms) {
  const p = storeParts(ms);
  return `${p.y}-${pad(p.mo)}-${pad(p.d)}T${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}+08:00`;
}
/** 'YYYY-MM-DD HH:mm:ss' (store time) */
export function displayTime(ms) {
  return isoStore(ms).slice(0, 19).replace('T', ' ');
}
const ymd = (ms) => isoStore(ms).slice(0, 10).replace(/-/g, '');
const monthKey = (ms) => isoStore(ms).slice(0, 7);

/**
 * A time given by a test: epoch ms, Date, ISO with offset, or a zone-less
 * 'YYYY-MM-DD[ HH:mm[:ss]]' read as store time (+08:00).
 */
export function parseTime(v) {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (v instanceof Date && !Number.isNaN(v.getTime())) return v.getTime();
  if (typeof v === 'string') {
    const s = v.trim();
    const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2})(:\d{2})?)?$/.exec(s);
    const ms = m ? Date.parse(`${m[1]}T${m[2] ?? '00:00'}${m[3] ?? ':00'}+08:00`) : Date.parse(s);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new Error(`huiyika: not a time: ${JSON.stringify(v)}`);
}

/** 1234 → '12.34' */
export function fenToYuan(fen) {
  const neg = fen < 0;
  const a = Math.abs(fen);
  return `${neg ? '-' : ''}${Math.floor(a / 100)}.${pad(a % 100)}`;
}
/** '12.3' → 1230; null when not a plain non-negative yuan amount with at most 2 decimals. */
export function parseYuan(text) {
  const m = /^\s*(\d{1,7})(?:\.(\d{0,2}))?\s*$/.exec(String(text ?? ''));
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}
/** First 6 / last 4 visible. */
export function maskCard(cardNo) {
  const s = String(cardNo);
  if (s.length <= 10) return s;
  return s.slice(0, 6) + '*'.repeat(s.length - 10) + s.slice(-4);
}

// HTML: a tagged template that escapes every interpolation unless it is raw().
class Raw {
  constructor(s) {
    this.s = s;
  }
  toString() {
    return this.s;
  }
}
const raw = (s) => new Raw(String(s));
export function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
function renderVal(v) {
  if (v instanceof Raw) return v.s;
  if (Array.isArray(v)) return v.map(renderVal).join('');
  if (v === null || v === undefined || v === false) return '';
  return esc(String(v));
}
function h(strings, ...vals) {
  let out = strings[0];
  for (let i = 0; i < vals.length; i++) out += renderVal(vals[i]) + strings[i + 1];
  return raw(out);
}
/** A value for a JS string literal inside an inline <script>. */
const jsStr = (s) => raw(JSON.stringify(String(s)).replace(/</g, '\\u003c'));

/** A QR-looking SVG (finder patterns + modules from a hash of the content) as a data URL. */
export function fakeQrDataUrl(content) {
  const n = 29;
  const cell = 7;
  const bits = [];
  let seed = createHash('sha256').update(content).digest();
  while (bits.length < n * n) {
    for (const byte of seed) for (let b = 0; b < 8; b++) bits.push((byte >> b) & 1);
    seed = createHash('sha256').update(seed).digest();
  }
  const inFinder = (x, y) => {
    for (const [fx, fy] of [[0, 0], [n - 7, 0], [0, n - 7]]) {
      if (x >= fx - 1 && x <= fx + 7 && y >= fy - 1 && y <= fy + 7) return [x - fx, y - fy];
    }
    return null;
  };
  let rects = '';
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const f = inFinder(x, y);
      let on;
      if (f) {
        const [fx, fy] = f;
        const ring = Math.max(Math.abs(fx - 3), Math.abs(fy - 3));
        on = ring === 3 || ring <= 1;
      } else on = bits[y * n + x] === 1;
      if (on) rects += `<rect x="${(x + 2) * cell}" y="${(y + 2) * cell}" width="${cell}" height="${cell}"/>`;
    }
  }
  const size = (n + 4) * cell;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}"><rect width="100%" height="100%" fill="#fff"/><g fill="#000">${rects}</g></svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

// ------------------------------------------------------------------ HTTP helpers

async function readBody(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}
async function readForm(req) {
  const text = await readBody(req);
  const ct = String(req.headers['content-type'] ?? '');
  if (ct.includes('application/json')) {
    try {
      const obj = text.trim() ? JSON.parse(text) : {};
      return new Map(Object.entries(obj ?? {}).map(([k, v]) => [k, v == null ? '' : String(v)]));
    } catch {
      return new Map();
    }
  }
  return new Map(new URLSearchParams(text));
}
async function readJsonBody(req) {
  const text = await readBody(req);
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    return { __badJson: true };
  }
}
function sendHtml(res, status, html, headers = {}) {
  const body = Buffer.from(String(html), 'utf8');
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': body.length,
    'cache-control': 'no-cache, no-store, must-revalidate',
    pragma: 'no-cache',
    server: 'Apache-Coyote/1.1',
    ...headers,
  });
  res.end(body);
}
function sendJson(res, status, obj, headers = {}) {
  const body = Buffer.from(JSON.stringify(obj), 'utf8');
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': body.length,
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(body);
}
function redirect(res, location, headers = {}) {
  res.writeHead(302, { location, 'content-length': 0, 'cache-control': 'no-store', server: 'Apache-Coyote/1.1', ...headers });
  res.end();
}
function parseCookies(req) {
  const out = {};
  for (const part of String(req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

const STATUS_TEXT = Object.freeze({
  paid: '已支付',
  refund_pending: '退款待审核',
  refunded: '已退款',
  refund_rejected: '退款已驳回',
});
const PAY_METHOD_TEXT = Object.freeze({ card: '卡号/密码', qr: '扫码支付' });
const REFUND_STATUS_TEXT = Object.freeze({ pending: '待审核', refunded: '已同意', rejected: '已驳回' });
const PAGE_SIZE = 10;

// ------------------------------------------------------------------ the simulator

/**
 * @param {{ latency?: [number, number], catalog?: Array<object> }} [opts]
 */
export function createHuiyikaSimulator({ latency = [50, 500], catalog: catalogOpt } = {}) {
  const catalog = (catalogOpt ?? DEFAULT_CATALOG).map((g) => ({ ...g }));
  const initialLatency = [...latency];

  const defaultCards = () => ({ [TEST_CARD.cardNo]: { password: TEST_CARD.password, balanceFen: null } });

  /**
   * Mutable controls; POST /__sim/control merges JSON into this object.
   * @type {{ failNextPayment: boolean | string, latency: number[], now: null | number | string,
   *   cards: Record<string, { password: string, balanceFen: number | null }>, defaultPassword: string }}
   */
  const control = {
    /** true (or a reason string): the next payment (card or QR) fails, then resets to false */
    failNextPayment: false,
    /** [minMs, maxMs] random latency on every page, form POST, search and XHR */
    latency: [...initialLatency],
    /** null = real clock; else a frozen store clock (ms, ISO, or 'YYYY-MM-DD HH:mm:ss' as +08:00) */
    now: null,
    /** known cards: cardNo → { password, balanceFen (null = unlimited) } */
    cards: defaultCards(),
    /** password of any other well-formed card (16–19 digits) */
    defaultPassword: DEFAULT_PASSWORD,
  };

  /** sid → session */
  const sessions = new Map();
  /** paid orders (all statuses after payment), oldest first */
  let orders = [];
  /** orderId → unpaid order (created by 结算) */
  let pending = new Map();
  /** orderId → full card number (kept out of state) */
  let cardOf = new Map();
  /** orderIds / refundNos whose result page should open the receipt window on its next view */
  let autoOpen = new Set();
  let orderIdSeq = 58230;
  let vendorSeq = 120;
  let refundSeq = 40;

  function now() {
    return control.now === null || control.now === undefined ? Date.now() : parseTime(control.now);
  }

  function reset() {
    orders = [];
    pending = new Map();
    cardOf = new Map();
    autoOpen = new Set();
    orderIdSeq = 58230;
    vendorSeq = 120;
    refundSeq = 40;
    control.failNextPayment = false;
    control.latency = [...initialLatency];
    control.now = null;
    control.cards = defaultCards();
    control.defaultPassword = DEFAULT_PASSWORD;
    for (const s of sessions.values()) s.flash = null;
    // sessions are kept: a page that stays logged in keeps working after reset()
  }

  function publicOrder(o) {
    const { orderId, vendorOrderNo, goods, amountFen, cardMasked, payMethod, status, paidAt, storeAccount, refund, seeded } = o;
    const out = { vendorOrderNo, orderId, goods, amountFen, cardMasked, payMethod, status, paidAt, storeAccount };
    if (refund) out.refund = refund;
    if (seeded) out.seeded = true;
    return clone(out);
  }

  function state() {
    return clone({
      orders: orders.map(publicOrder),
      pending: [...pending.values()].map((p) => ({
        orderId: p.orderId,
        goods: p.goods,
        amountFen: p.amountFen,
        createdAt: p.createdAt,
        storeAccount: p.storeAccount,
        qr: p.qr ? { status: p.qr.status, issuedAt: p.qr.issuedAt, message: p.qr.message ?? null } : null,
        attempts: p.attempts,
      })),
      sessions: [...sessions.values()].map((s) => ({
        username: s.username,
        storeName: s.storeName,
        loggedInAt: s.loggedInAt,
        lastSeenAt: s.lastSeenAt,
      })),
      control,
    });
  }

  function nextVendorNo(ms) {
    vendorSeq += 1;
    return `HYK${ymd(ms)}${pad(vendorSeq, 6)}`;
  }
  function nextRefundNo(ms) {
    refundSeq += 1;
    return `HYKR${ymd(ms)}${pad(refundSeq, 6)}`;
  }
  const findOrderByNo = (no) => orders.find((o) => o.vendorOrderNo === String(no ?? '').trim());
  const findOrderByRefundNo = (no) => orders.find((o) => o.refund && o.refund.refundNo === String(no ?? '').trim());

  /** The store's month rule: a sale may be refunded only within its own calendar month. */
  function crossMonth(o) {
    return monthKey(Date.parse(o.paidAt)) !== monthKey(now());
  }

  function takeFailure() {
    const f = control.failNextPayment;
    if (!f) return null;
    control.failNextPayment = false;
    return typeof f === 'string' && f.trim() ? f.trim() : '系统繁忙，请稍后重试';
  }

  /** Checks a card and its password; returns an error text (without 「支付失败：」) or null. */
  function checkCard(cardNo, password, amountFen) {
    if (!/^\d{16,19}$/.test(cardNo)) return '卡号不存在';
    if (!password) return '请输入密码';
    const known = control.cards?.[cardNo];
    const expected = known ? String(known.password) : String(control.defaultPassword);
    if (password !== expected) return '密码错误';
    if (known && typeof known.balanceFen === 'number' && known.balanceFen < amountFen) return '卡余额不足';
    return null;
  }
  function adjustBalance(cardNo, deltaFen) {
    const known = control.cards?.[cardNo];
    if (known && typeof known.balanceFen === 'number') known.balanceFen += deltaFen;
  }

  /** Moves a pending order to the paid orders. */
  function settle(p, payMethod, cardNo) {
    const t = now();
    const order = {
      orderId: p.orderId,
      vendorOrderNo: nextVendorNo(t),
      goods: p.goods,
      amountFen: p.amountFen,
      cardMasked: maskCard(cardNo),
      payMethod,
      status: 'paid',
      paidAt: isoStore(t),
      storeAccount: p.storeAccount,
    };
    adjustBalance(cardNo, -p.amountFen);
    pending.delete(p.orderId);
    orders.push(order);
    cardOf.set(order.orderId, cardNo);
    autoOpen.add(order.orderId);
    if (p.qr) p.qr.status = 'paid';
    return order;
  }

  function findPending(orderId) {
    return pending.get(String(orderId ?? '').trim());
  }
  const findPaidById = (orderId) => orders.find((o) => o.orderId === String(orderId ?? '').trim());

  /** The latest pending order whose QR is on screen (for confirmQr() without an id). */
  function latestWaitingQr() {
    const list = [...pending.values()].filter((p) => p.qr && p.qr.status === 'waiting');
    return list[list.length - 1];
  }

  // ---------------------------------------------------------------- the customer's phone

  const customer = {
    /**
     * The customer scans the QR on the pay page and confirms with the card password in the
     * 慧医卡 WeChat account. orderId: the pay page's ?order= (omitted: the latest QR on screen).
     * Returns { ok: true, vendorOrderNo, order } or { ok: false, message } (failNextPayment /
     * balance); throws when no QR of that order is on screen.
     */
    confirmQr(orderId, { cardNo = TEST_CARD.cardNo } = {}) {
      const p = orderId === undefined || orderId === null ? latestWaitingQr() : findPending(orderId);
      if (!p) {
        const paid = orderId != null ? findPaidById(orderId) : undefined;
        throw new Error(paid ? `huiyika: order ${orderId} is already paid (${paid.vendorOrderNo})` : `huiyika: no unpaid order ${orderId ?? '(any)'} with a QR on screen`);
      }
      if (!p.qr || p.qr.status !== 'waiting') throw new Error(`huiyika: order ${p.orderId} shows no QR waiting for the customer`);
      const failure = takeFailure() ?? checkCardForQr(String(cardNo), p.amountFen);
      if (failure) {
        p.qr.status = 'failed';
        p.qr.message = failure;
        p.attempts.push({ at: isoStore(now()), payMethod: 'qr', ok: false, message: `支付失败：${failure}` });
        return { ok: false, message: `支付失败：${failure}` };
      }
      p.attempts.push({ at: isoStore(now()), payMethod: 'qr', ok: true, message: '支付成功' });
      const order = settle(p, 'qr', String(cardNo));
      return { ok: true, vendorOrderNo: order.vendorOrderNo, order: publicOrder(order) };
    },
    /** The customer closes the payment on the phone: the pay page shows 「顾客已取消支付」. */
    cancelQr(orderId) {
      const p = orderId === undefined || orderId === null ? latestWaitingQr() : findPending(orderId);
      if (!p || !p.qr || p.qr.status !== 'waiting') throw new Error(`huiyika: no QR waiting for order ${orderId ?? '(any)'}`);
      p.qr.status = 'cancelled';
      p.qr.message = '顾客已取消支付';
      p.attempts.push({ at: isoStore(now()), payMethod: 'qr', ok: false, message: '顾客已取消支付' });
      return { ok: true };
    },
  };
  function checkCardForQr(cardNo, amountFen) {
    if (!/^\d{16,19}$/.test(cardNo)) return '卡号不存在';
    const known = control.cards?.[cardNo];
    if (known && typeof known.balanceFen === 'number' && known.balanceFen < amountFen) return '卡余额不足';
    return null;
  }

  // ---------------------------------------------------------------- test seeding

  /**
   * A paid order as if sold earlier: { paidAt (required; ms, Date, ISO, or zone-less store time),
   * amountFen (required), goodsCode?, goodsName?, cardNo? (default the test card), payMethod?
   * ('card'), status? ('paid' | 'refund_pending' | 'refunded' | 'refund_rejected'), reason?,
   * storeAccount? }. Returns the public order.
   */
  function seedOrder(o = {}) {
    const t = parseTime(o.paidAt);
    if (!Number.isSafeInteger(o.amountFen) || o.amountFen <= 0) throw new Error('huiyika.seedOrder: amountFen must be a positive integer');
    const g = catalog.find((x) => x.code === o.goodsCode) ?? catalog.find((x) => x.name === o.goodsName) ?? catalog[0];
    const cardNo = String(o.cardNo ?? TEST_CARD.cardNo);
    const payMethod = o.payMethod === 'qr' ? 'qr' : 'card';
    const status = o.status ?? 'paid';
    if (!Object.hasOwn(STATUS_TEXT, status)) throw new Error(`huiyika.seedOrder: bad status ${status}`);
    orderIdSeq += 1;
    const order = {
      orderId: String(orderIdSeq),
      vendorOrderNo: o.vendorOrderNo ? String(o.vendorOrderNo) : nextVendorNo(t),
      goods: { code: g.code, name: o.goodsName ?? g.name, spec: g.spec, listPriceFen: g.priceFen, unitFen: o.amountFen, qty: 1 },
      amountFen: o.amountFen,
      cardMasked: maskCard(cardNo),
      payMethod,
      status,
      paidAt: isoStore(t),
      storeAccount: o.storeAccount ?? null,
      seeded: true,
    };
    if (status !== 'paid') {
      const refundStatus = { refund_pending: 'pending', refunded: 'refunded', refund_rejected: 'rejected' }[status];
      const at = Math.max(t, now());
      order.refund = {
        refundNo: nextRefundNo(at),
        reason: o.reason ?? '顾客退货',
        status: refundStatus,
        appliedAt: isoStore(at),
        auditedAt: refundStatus === 'pending' ? null : isoStore(at),
        opinion: refundStatus === 'pending' ? null : (o.opinion ?? (refundStatus === 'refunded' ? '同意' : '驳回')),
      };
    }
    orders.push(order);
    orders.sort((a, b) => Date.parse(a.paidAt) - Date.parse(b.paidAt));
    cardOf.set(order.orderId, cardNo);
    return publicOrder(order);
  }

  /** Forgets every session: the next page load goes to /login (「登录超时，请重新登录」). */
  function expireSessions() {
    sessions.clear();
  }

  // ---------------------------------------------------------------- sessions

  function getSession(req) {
    const sid = parseCookies(req).JSESSIONID;
    const s = sid ? sessions.get(sid) : undefined;
    if (s) s.lastSeenAt = isoStore(now());
    return { session: s, hadCookie: Boolean(sid) };
  }
  function setFlash(s, kind, text, extra = {}) {
    s.flash = { kind, text, ...extra };
  }
  function takeFlash(s) {
    const f = s.flash;
    s.flash = null;
    return f;
  }

  // ---------------------------------------------------------------- page chrome

  const DOCTYPE =
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">';

  function head(title) {
    return h`<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<meta http-equiv="X-UA-Compatible" content="IE=edge" />
<meta name="renderer" content="webkit" />
<title>${title}</title>
<link rel="stylesheet" type="text/css" href="/static/css/webpos.css?v=20190703" />
<script type="text/javascript" src="/static/js/webpos.js?v=20190703"></script>
</head>`;
  }

  function flashBox(f) {
    if (!f) return '';
    const cls = f.kind === 'error' ? 'msg msg-error' : f.kind === 'success' ? 'msg msg-success' : 'msg msg-info';
    return h`<div class="${cls}" id="sysMsg">${f.text}</div>`;
  }

  /**
   * @param {object} s session
   * @param {{ title: string, active: 'index'|'orders'|'refund-audit', crumbs: string[], body: any, flash?: any }} p
   */
  function layout(s, p) {
    const inWebpos = p.active === 'orders' || p.active === 'refund-audit';
    const item = (key, href, text) =>
      h`<li class="${p.active === key ? 'menu-item active' : 'menu-item'}"><a href="${href}">${text}</a></li>`;
    return `${DOCTYPE}
<html xmlns="http://www.w3.org/1999/xhtml">
${head(`${p.title} - 慧医卡WebPOS收银系统`)}
<body>
<div id="header">
  <div class="logo"><span class="logo-mark">慧医卡</span><span class="logo-text">WebPOS收银系统</span></div>
  <div class="header-right">
    ${h`欢迎您，<span class="store-name" id="storeName">${s.storeName}</span>
    <span class="sep">|</span> 门店账号：<span class="store-account" id="storeAccount">${s.username}</span>
    <span class="sep">|</span> <a href="/logout" class="logout">退出</a>`}
  </div>
</div>
<table id="frame" cellpadding="0" cellspacing="0" border="0" width="100%"><tr>
<td id="sidebar" valign="top">
  <ul class="menu">
    ${item('index', '/index', '首页')}
    <li class="menu-group${inWebpos ? ' open' : ''}">
      <a href="javascript:void(0);" class="menu-group-title" onclick="HYK.toggleMenu(this);">webpos</a>
      <ul class="submenu"${inWebpos ? '' : ' style="display:none;"'}>
        ${item('orders', '/orders', '订单查询')}
        ${item('refund-audit', '/refund-audit', '订单审核退款')}
      </ul>
    </li>
  </ul>
</td>
<td id="main" valign="top">
  <div class="crumbs">当前位置：${h`${p.crumbs.join(' > ')}`}</div>
  ${renderVal(p.flash ? flashBox(p.flash) : '')}
  ${renderVal(p.body)}
</td>
</tr></table>
<div id="footer">慧医卡客服电话：025-86988520 / 400-11-91160转6 &nbsp; Copyright &copy; 2019 慧医卡 版权所有</div>
</body>
</html>`;
  }

  // ---------------------------------------------------------------- pages

  function loginPage({ error = '', username = '', info = '' } = {}) {
    return `${DOCTYPE}
<html xmlns="http://www.w3.org/1999/xhtml">
${head('用户登录 - 慧医卡WebPOS收银系统')}
<body class="login-body">
<div class="login-box">
  <div class="login-title">慧医卡WebPOS收银系统</div>
  ${h`${error ? h`<div class="msg msg-error" id="loginMsg">${error}</div>` : ''}${info ? h`<div class="msg msg-info" id="loginMsg">${info}</div>` : ''}`}
  <form method="post" action="/login" name="loginForm" id="loginForm">
    <table class="login-table" cellpadding="0" cellspacing="0">
      <tr><td class="lbl"><label for="username">用户名：</label></td>
          <td>${h`<input type="text" id="username" name="username" class="txt" value="${username}" placeholder="请输入门店账号" maxlength="30" />`}</td></tr>
      <tr><td class="lbl"><label for="password">密码：</label></td>
          <td><input type="password" id="password" name="password" class="txt" placeholder="请输入密码" maxlength="30" /></td></tr>
      <tr><td></td><td><input type="submit" class="btn btn-primary btn-login" value="登录" /></td></tr>
    </table>
  </form>
  <div class="login-tip">浏览器请使用360浏览器（极速模式）、QQ浏览器或谷歌浏览器</div>
</div>
</body>
</html>`;
  }

  function searchGoods(keyword) {
    const k = keyword.trim();
    if (!k) return [];
    return catalog.filter((g) => g.name.includes(k) || g.name.toUpperCase().includes(k.toUpperCase()));
  }

  function indexPage(s, url) {
    const keyword = (url.searchParams.get('goodsName') ?? '').trim();
    const searched = url.searchParams.has('goodsName');
    const goodsId = url.searchParams.get('goodsId') ?? '';
    const flash = takeFlash(s);
    const results = searchGoods(keyword);
    const chosen = goodsId ? catalog.find((g) => g.code === goodsId) : undefined;
    const q = (g) => `/index?goodsName=${encodeURIComponent(keyword)}&goodsId=${encodeURIComponent(g.code)}`;
    const priceValue = flash && flash.price !== undefined ? flash.price : chosen ? fenToYuan(chosen.priceFen) : '';

    const notice = h`<div class="notice">
  <b>公告：</b>新版系统已于2019年7月3日正式上线启用。门店测试卡号：${TEST_CARD.cardNo}，测试消费时交易金额请填写小于1.00元，测试成功后请及时退款。
</div>`;

    const searchForm = h`<div class="panel">
  <div class="panel-title">商品查询</div>
  <form method="get" action="/index" id="goodsSearchForm">
    <table class="search-table"><tr>
      <td class="lbl"><label for="goodsName">商品名称</label></td>
      <td><input type="text" id="goodsName" name="goodsName" class="txt" value="${keyword}" placeholder="请输入商品关键字" autocomplete="off" /></td>
      <td><input type="submit" class="btn btn-primary" value="查询" /></td>
    </tr></table>
  </form>
</div>`;

    let resultTable = '';
    if (searched) {
      const rows = !keyword
        ? h`<tr><td colspan="7" class="empty">请输入商品关键字</td></tr>`
        : results.length === 0
          ? h`<tr><td colspan="7" class="empty">未查询到相关商品</td></tr>`
          : results.map(
              (g, i) => h`<tr class="${chosen && chosen.code === g.code ? 'selected' : i % 2 ? 'odd' : 'even'}">
        <td align="center">${i + 1}</td><td>${g.code}</td><td>${g.name}</td><td>${g.spec}</td><td align="center">${g.unit}</td>
        <td align="right">${fenToYuan(g.priceFen)}</td>
        <td align="center"><a href="${q(g)}" class="btn btn-mini">选择</a></td></tr>`,
            );
      resultTable = h`<div class="panel">
  <div class="panel-title">查询结果</div>
  <table class="list-table" id="goodsTable" cellpadding="0" cellspacing="0" width="100%">
    <thead><tr><th width="50">序号</th><th width="90">商品编码</th><th>商品名称</th><th>规格</th><th width="50">单位</th><th width="90">单价</th><th width="80">操作</th></tr></thead>
    <tbody>${rows}</tbody>
  </table>
</div>`;
    }

    let settleForm = '';
    if (chosen) {
      settleForm = h`<div class="panel" id="settlePanel">
  <div class="panel-title">商品结算</div>
  <form method="post" action="/order/settle" id="settleForm">
    <input type="hidden" name="goodsId" value="${chosen.code}" />
    <input type="hidden" name="goodsName" value="${keyword}" />
    <table class="form-table" cellpadding="0" cellspacing="0">
      <tr><td class="lbl">商品名称：</td><td class="val">${chosen.name}</td>
          <td class="lbl">规格：</td><td class="val">${chosen.spec}</td></tr>
      <tr><td class="lbl">原价（元）：</td><td class="val">${fenToYuan(chosen.priceFen)}</td>
          <td class="lbl">生产厂家：</td><td class="val">${chosen.maker}</td></tr>
      <tr><td class="lbl"><span class="req">*</span><label for="salePrice">单价（元）：</label></td>
          <td class="val"><input type="text" id="salePrice" name="salePrice" class="txt txt-price" value="${priceValue}" maxlength="10" autocomplete="off" /></td>
          <td class="lbl">数量：</td>
          <td class="val"><input type="text" id="quantity" name="quantity" class="txt txt-qty readonly" value="1" readonly="readonly" /></td></tr>
      <tr><td class="lbl">应收金额（元）：</td><td class="val" colspan="3"><span class="amount" id="payAmount">${parseYuan(priceValue) === null ? '--' : fenToYuan(parseYuan(priceValue))}</span></td></tr>
    </table>
    <div class="btn-bar"><button type="submit" class="btn btn-primary" id="btnSettle">结算</button></div>
  </form>
</div>`;
    }

    return layout(s, {
      title: '首页',
      active: 'index',
      crumbs: ['首页'],
      flash,
      body: h`${notice}${searchForm}${resultTable}${settleForm}`,
    });
  }

  function payPage(s, p, url) {
    const flash = takeFlash(s);
    const qrFirst = url.searchParams.get('payType') === 'qr';
    if (qrFirst) issueQr(p);
    const qrShown = qrFirst;
    const cardValue = flash && flash.cardNo ? flash.cardNo : '';
    const body = h`<div class="panel" id="payPanel">
  <div class="panel-title">收银台</div>
  <table class="form-table" cellpadding="0" cellspacing="0">
    <tr><td class="lbl">商品名称：</td><td class="val">${p.goods.name}（${p.goods.spec}）</td></tr>
    <tr><td class="lbl">数量：</td><td class="val">${p.goods.qty}</td></tr>
    <tr><td class="lbl">应付金额：</td><td class="val"><span class="amount" id="payTotal">¥${fenToYuan(p.amountFen)}</span></td></tr>
  </table>
  <div class="${flash && flash.kind === 'error' ? 'msg msg-error' : 'msg msg-error hidden'}" id="payMsg">${flash ? flash.text : ''}</div>
  <div class="pay-types">
    <span class="lbl">支付方式：</span>
    <input type="radio" name="payType" id="payTypeCard" value="card"${raw(qrShown ? '' : ' checked="checked"')} /><label for="payTypeCard">卡号/密码</label>
    <input type="radio" name="payType" id="payTypeQr" value="qr"${raw(qrShown ? ' checked="checked"' : '')} /><label for="payTypeQr">扫码支付</label>
  </div>
  <div id="cardPanel" class="pay-box"${raw(qrShown ? ' style="display:none;"' : '')}>
    <form method="post" action="/pay" id="cardPayForm" autocomplete="off">
      <input type="hidden" name="order" value="${p.orderId}" />
      <input type="hidden" name="payType" value="card" />
      <table class="form-table" cellpadding="0" cellspacing="0">
        <tr><td class="lbl">卡号：</td><td class="val"><input type="text" name="cardNo" id="cardNo" class="txt txt-card" value="${cardValue}" maxlength="19" placeholder="请输入慧医卡卡号" /></td></tr>
        <tr><td class="lbl"><label for="cardPwd">密码：</label></td><td class="val"><input type="password" name="cardPwd" id="cardPwd" class="txt" maxlength="6" placeholder="请顾客输入卡密码" /></td></tr>
      </table>
      <div class="btn-bar"><input type="submit" class="btn btn-primary" id="btnCardPay" value="确认支付" /> <a href="/index" class="btn btn-default">取消</a></div>
    </form>
  </div>
  <div id="qrPanel" class="pay-box qr-box" data-order="${p.orderId}" data-issued="${qrShown ? '1' : '0'}"${raw(qrShown ? '' : ' style="display:none;"')}>
    <img id="qrImg" alt="支付二维码" width="203" height="203" src="${qrShown ? p.qr.img : 'data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw=='}" />
    <p class="qr-tip">请顾客使用慧医卡公众号扫码并确认支付</p>
    <p class="qr-status" id="qrStatus">${qrShown ? '等待顾客扫码支付…' : ''}</p>
    <p><a href="javascript:void(0);" id="qrRefresh">刷新二维码</a></p>
  </div>
</div>`;
    return layout(s, { title: '收银台', active: 'index', crumbs: ['首页', '收银台'], body });
  }

  function issueQr(p) {
    if (p.qr && p.qr.status === 'waiting') return p.qr;
    const token = randomBytes(12).toString('hex');
    const content = `https://${HUIYIKA_HOST}/wx/scanpay?t=${token}`;
    p.qr = { token, content, img: fakeQrDataUrl(content), status: 'waiting', issuedAt: isoStore(now()), message: null };
    return p.qr;
  }

  function detailRows(rows) {
    return rows.map(([k, v, id]) => (id ? h`<tr><th>${k}</th><td id="${id}">${v}</td></tr>` : h`<tr><th>${k}</th><td>${v}</td></tr>`));
  }

  function openScript(url) {
    return h`<script type="text/javascript">
//<![CDATA[
HYK.openReceipt(${jsStr(url)});
//]]>
</script>`;
  }

  function payResultPage(s, o) {
    const receiptUrl = `/receipt?order=${encodeURIComponent(o.vendorOrderNo)}`;
    const open = autoOpen.delete(o.orderId);
    const body = h`<div class="result-box result-success" id="payResult">
  <div class="result-title"><span class="result-icon">&#10004;</span>支付成功</div>
  <table class="detail-table" cellpadding="0" cellspacing="0">
    ${detailRows([
      ['订单号：', o.vendorOrderNo, 'resultOrderNo'],
      ['商品名称：', o.goods.name],
      ['支付金额：', `¥${fenToYuan(o.amountFen)}`],
      ['支付方式：', PAY_METHOD_TEXT[o.payMethod]],
      ['卡号：', o.cardMasked],
      ['交易时间：', displayTime(Date.parse(o.paidAt))],
    ])}
  </table>
  <div class="result-links">
    <a href="${receiptUrl}" onclick="HYK.openReceipt(this.href);return false;">补打小票</a>
    <span class="sep">|</span>
    <a href="/index" id="backHome">返回首页</a>
  </div>
</div>${open ? openScript(receiptUrl) : ''}`;
    return layout(s, { title: '支付结果', active: 'index', crumbs: ['首页', '收银台', '支付结果'], body });
  }

  function receiptCopy(o, s, copyName) {
    return h`<div class="receipt">
  <div class="r-title">慧医卡消费凭条</div>
  <div class="r-copy">（${copyName}）</div>
  <table class="r-table" cellpadding="0" cellspacing="0">
    <tr><td class="k">商户名称：</td><td>${s.storeName}</td></tr>
    <tr><td class="k">门店账号：</td><td>${o.storeAccount ?? s.username}</td></tr>
    <tr><td class="k">交易类型：</td><td>消费</td></tr>
    <tr><td class="k">订单号：</td><td>${o.vendorOrderNo}</td></tr>
    <tr><td class="k">交易时间：</td><td>${displayTime(Date.parse(o.paidAt))}</td></tr>
    <tr><td class="k">卡号：</td><td>${o.cardMasked}</td></tr>
    <tr><td class="k">商品：</td><td>${o.goods.name} ${o.goods.spec}</td></tr>
    <tr><td class="k">数量：</td><td>${o.goods.qty}</td></tr>
    <tr><td class="k">金额：</td><td class="r-amount">¥${fenToYuan(o.amountFen)}</td></tr>
    <tr><td class="k">支付方式：</td><td>${PAY_METHOD_TEXT[o.payMethod]}</td></tr>
  </table>
  <div class="r-sign">持卡人签名：____________________</div>
  <div class="r-foot">本人确认以上交易，同意将其记入本卡账户<br />客服电话：400-11-91160转6</div>
</div>`;
  }

  function receiptShell(title, inner) {
    return `${DOCTYPE}
<html xmlns="http://www.w3.org/1999/xhtml">
${head(title)}
<body class="receipt-body">
<div class="receipt-toolbar noprint">
  <button type="button" class="btn btn-primary" id="btnPrint" onclick="window.print();">打印</button>
  <input type="button" class="btn btn-default" id="btnOk" value="确定" onclick="window.close();" />
</div>
${renderVal(inner)}
</body>
</html>`;
  }

  function receiptPage(s, o) {
    return receiptShell(
      '慧医卡消费凭条',
      h`${receiptCopy(o, s, '商户存根')}<div class="r-cut">- - - - - - - - 沿此线撕开 - - - - - - - -</div>${receiptCopy(o, s, '顾客联')}`,
    );
  }

  function refundReceiptCopy(o, s, copyName) {
    const r = o.refund;
    return h`<div class="receipt">
  <div class="r-title">慧医卡退款凭条</div>
  <div class="r-copy">（${copyName}）</div>
  <table class="r-table" cellpadding="0" cellspacing="0">
    <tr><td class="k">商户名称：</td><td>${s.storeName}</td></tr>
    <tr><td class="k">交易类型：</td><td>退货</td></tr>
    <tr><td class="k">退款单号：</td><td>${r.refundNo}</td></tr>
    <tr><td class="k">原订单号：</td><td>${o.vendorOrderNo}</td></tr>
    <tr><td class="k">原交易时间：</td><td>${displayTime(Date.parse(o.paidAt))}</td></tr>
    <tr><td class="k">退款时间：</td><td>${r.auditedAt ? displayTime(Date.parse(r.auditedAt)) : ''}</td></tr>
    <tr><td class="k">卡号：</td><td>${o.cardMasked}</td></tr>
    <tr><td class="k">商品：</td><td>${o.goods.name} ${o.goods.spec}</td></tr>
    <tr><td class="k">退款金额：</td><td class="r-amount">¥${fenToYuan(o.amountFen)}</td></tr>
    <tr><td class="k">退款原因：</td><td>${r.reason}</td></tr>
  </table>
  <div class="r-sign">持卡人签名：____________________</div>
  <div class="r-foot">退款金额将原路退回慧医卡账户<br />客服电话：400-11-91160转6</div>
</div>`;
  }

  function refundReceiptPage(s, o) {
    return receiptShell(
      '慧医卡退款凭条',
      h`${refundReceiptCopy(o, s, '商户存根')}<div class="r-cut">- - - - - - - - 沿此线撕开 - - - - - - - -</div>${refundReceiptCopy(o, s, '顾客联')}`,
    );
  }

  function ordersPage(s, url) {
    const flash = takeFlash(s);
    const orderNo = (url.searchParams.get('orderNo') ?? '').trim();
    const cardNo = (url.searchParams.get('cardNo') ?? '').trim();
    const startTime = (url.searchParams.get('startTime') ?? '').trim();
    const endTime = (url.searchParams.get('endTime') ?? '').trim();
    const pageNo = Math.max(1, Number.parseInt(url.searchParams.get('pageNo') ?? '1', 10) || 1);
    let error = '';
    const dateOk = (d) => !d || /^\d{4}-\d{2}-\d{2}$/.test(d);
    if (!dateOk(startTime) || !dateOk(endTime)) error = '交易时间格式不正确，请按 yyyy-MM-dd 输入';
    let list = orders.slice().reverse();
    if (!error) {
      if (orderNo) list = list.filter((o) => o.vendorOrderNo.includes(orderNo));
      if (cardNo) {
        const digits = cardNo.replace(/\s+/g, '');
        list = list.filter((o) => (cardOf.get(o.orderId) ?? '').includes(digits));
      }
      if (startTime) list = list.filter((o) => o.paidAt.slice(0, 10) >= startTime);
      if (endTime) list = list.filter((o) => o.paidAt.slice(0, 10) <= endTime);
    } else list = [];
    const total = list.length;
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const cur = Math.min(pageNo, pages);
    const shown = list.slice((cur - 1) * PAGE_SIZE, cur * PAGE_SIZE);
    const qs = (n) => {
      const p = new URLSearchParams({ orderNo, cardNo, startTime, endTime, pageNo: String(n) });
      return `/orders?${p}`;
    };
    const rows = shown.length
      ? shown.map((o, i) => {
          const receipt = `/receipt?order=${encodeURIComponent(o.vendorOrderNo)}`;
          const ops = [
            o.status === 'paid' ? h`<a href="/orders/refund?order=${encodeURIComponent(o.vendorOrderNo)}" class="op-refund">退款</a>` : '',
            h`<a href="${receipt}" class="op-print" onclick="HYK.openReceipt(this.href);return false;">补打小票</a>`,
          ].filter(Boolean);
          return h`<tr class="${i % 2 ? 'odd' : 'even'}">
        <td align="center">${(cur - 1) * PAGE_SIZE + i + 1}</td>
        <td>${o.vendorOrderNo}</td>
        <td>${o.cardMasked}</td>
        <td>${o.goods.name}</td>
        <td align="right">${fenToYuan(o.amountFen)}</td>
        <td align="center">${PAY_METHOD_TEXT[o.payMethod]}</td>
        <td align="center">${displayTime(Date.parse(o.paidAt))}</td>
        <td align="center"><span class="status status-${o.status}">${STATUS_TEXT[o.status]}</span></td>
        <td align="center" class="ops">${ops.map((x, j) => (j ? h` | ${x}` : x))}</td>
      </tr>`;
        })
      : h`<tr><td colspan="9" class="empty">没有查询到订单</td></tr>`;
    const body = h`<div class="panel">
  <div class="panel-title">订单查询</div>
  <form method="get" action="/orders" id="orderSearchForm">
    <table class="search-table" cellpadding="0" cellspacing="0"><tr>
      <td class="lbl">订单号：</td><td><input type="text" name="orderNo" class="txt" value="${orderNo}" /></td>
      <td class="lbl">卡号：</td><td><input type="text" name="cardNo" class="txt" value="${cardNo}" maxlength="19" /></td>
      <td class="lbl">交易时间：</td>
      <td><input type="text" name="startTime" class="txt txt-date" value="${startTime}" placeholder="开始日期" maxlength="10" onclick="HYK.dateHint(this);" />
        至 <input type="text" name="endTime" class="txt txt-date" value="${endTime}" placeholder="结束日期" maxlength="10" onclick="HYK.dateHint(this);" /></td>
      <td><input type="submit" class="btn btn-primary" value="搜索" /> <a href="/orders" class="btn btn-default">重置</a></td>
    </tr></table>
  </form>
</div>
${error ? h`<div class="msg msg-error">${error}</div>` : ''}
<div class="panel">
  <table class="list-table" id="orderTable" cellpadding="0" cellspacing="0" width="100%">
    <thead><tr><th width="40">序号</th><th>订单号</th><th>卡号</th><th>商品名称</th><th>金额（元）</th><th>支付方式</th><th>交易时间</th><th>状态</th><th width="120">操作</th></tr></thead>
    <tbody>${rows}</tbody>
  </table>
  <div class="pager">共 ${total} 条记录，第 ${cur}/${pages} 页
    ${cur > 1 ? h`<a href="${qs(1)}">首页</a> <a href="${qs(cur - 1)}">上一页</a>` : h`<span class="disabled">首页</span> <span class="disabled">上一页</span>`}
    ${cur < pages ? h`<a href="${qs(cur + 1)}">下一页</a> <a href="${qs(pages)}">尾页</a>` : h`<span class="disabled">下一页</span> <span class="disabled">尾页</span>`}
  </div>
</div>`;
    return layout(s, { title: '订单查询', active: 'orders', crumbs: ['webpos', '订单查询'], flash, body });
  }

  function refundFormPage(s, o) {
    const flash = takeFlash(s);
    const body = h`<div class="panel">
  <div class="panel-title">退款申请</div>
  <form method="post" action="/orders/refund" id="refundForm" autocomplete="off">
    <input type="hidden" name="order" value="${o.vendorOrderNo}" />
    <table class="form-table" cellpadding="0" cellspacing="0">
      <tr><td class="lbl">订单号：</td><td class="val">${o.vendorOrderNo}</td></tr>
      <tr><td class="lbl">商品名称：</td><td class="val">${o.goods.name}</td></tr>
      <tr><td class="lbl">交易金额：</td><td class="val"><span class="amount">¥${fenToYuan(o.amountFen)}</span></td></tr>
      <tr><td class="lbl">交易时间：</td><td class="val">${displayTime(Date.parse(o.paidAt))}</td></tr>
      <tr><td class="lbl">原卡号：</td><td class="val">${o.cardMasked}</td></tr>
      <tr><td class="lbl"><span class="req">*</span>卡号：</td><td class="val"><input type="text" name="cardNo" class="txt txt-card" value="${flash?.cardNo ?? ''}" maxlength="19" placeholder="请输入退款卡号" /></td></tr>
      <tr><td class="lbl"><span class="req">*</span><label for="refundReason">退款原因：</label></td><td class="val"><textarea name="reason" id="refundReason" rows="3" cols="40">${flash?.reason ?? ''}</textarea></td></tr>
    </table>
    <div class="btn-bar"><input type="submit" class="btn btn-primary" value="提交" /> <a href="/orders" class="btn btn-default">返回</a></div>
  </form>
</div>`;
    return layout(s, { title: '退款申请', active: 'orders', crumbs: ['webpos', '订单查询', '退款申请'], flash, body });
  }

  function refundAuditListPage(s) {
    const flash = takeFlash(s);
    const list = orders.filter((o) => o.status === 'refund_pending' && o.refund);
    list.sort((a, b) => Date.parse(b.refund.appliedAt) - Date.parse(a.refund.appliedAt));
    const rows = list.length
      ? list.map(
          (o, i) => h`<tr class="${i % 2 ? 'odd' : 'even'}">
        <td align="center">${i + 1}</td>
        <td>${o.refund.refundNo}</td>
        <td>${o.vendorOrderNo}</td>
        <td>${o.cardMasked}</td>
        <td align="right">${fenToYuan(o.amountFen)}</td>
        <td>${o.refund.reason}</td>
        <td align="center">${displayTime(Date.parse(o.refund.appliedAt))}</td>
        <td align="center"><span class="status status-refund_pending">${STATUS_TEXT[o.status]}</span></td>
        <td align="center"><a href="/refund-audit/audit?refundNo=${encodeURIComponent(o.refund.refundNo)}" class="btn btn-mini">审核</a></td>
      </tr>`,
        )
      : h`<tr><td colspan="9" class="empty">暂无待审核的退款申请</td></tr>`;
    const body = h`<div class="panel">
  <div class="panel-title">订单审核退款</div>
  <table class="list-table" id="refundAuditTable" cellpadding="0" cellspacing="0" width="100%">
    <thead><tr><th width="40">序号</th><th>退款单号</th><th>订单号</th><th>卡号</th><th>退款金额（元）</th><th>退款原因</th><th>申请时间</th><th>状态</th><th width="70">操作</th></tr></thead>
    <tbody>${rows}</tbody>
  </table>
</div>`;
    return layout(s, { title: '订单审核退款', active: 'refund-audit', crumbs: ['webpos', '订单审核退款'], flash, body });
  }

  function auditPage(s, o) {
    const flash = takeFlash(s);
    const body = h`<div class="panel">
  <div class="panel-title">退款审核</div>
  <form method="post" action="/refund-audit/audit" id="auditForm">
    <input type="hidden" name="refundNo" value="${o.refund.refundNo}" />
    <table class="form-table" cellpadding="0" cellspacing="0">
      <tr><td class="lbl">退款单号：</td><td class="val">${o.refund.refundNo}</td></tr>
      <tr><td class="lbl">订单号：</td><td class="val">${o.vendorOrderNo}</td></tr>
      <tr><td class="lbl">卡号：</td><td class="val">${o.cardMasked}</td></tr>
      <tr><td class="lbl">商品名称：</td><td class="val">${o.goods.name}</td></tr>
      <tr><td class="lbl">退款金额：</td><td class="val"><span class="amount">¥${fenToYuan(o.amountFen)}</span></td></tr>
      <tr><td class="lbl">交易时间：</td><td class="val">${displayTime(Date.parse(o.paidAt))}</td></tr>
      <tr><td class="lbl">退款原因：</td><td class="val">${o.refund.reason}</td></tr>
      <tr><td class="lbl"><label for="auditOpinion">审核意见：</label></td><td class="val"><textarea name="opinion" id="auditOpinion" rows="3" cols="40">${flash?.opinion ?? ''}</textarea></td></tr>
      <tr><td class="lbl"><span class="req">*</span>审核结果：</td><td class="val">
        <input type="radio" name="auditResult" id="auditAgree" value="1" /><label for="auditAgree">同意</label>
        <input type="radio" name="auditResult" id="auditReject" value="2" /><label for="auditReject">驳回</label>
      </td></tr>
    </table>
    <div class="btn-bar"><button type="submit" class="btn btn-primary" id="btnAuditSubmit">提交</button> <a href="/refund-audit" class="btn btn-default">返回</a></div>
  </form>
</div>`;
    return layout(s, { title: '退款审核', active: 'refund-audit', crumbs: ['webpos', '订单审核退款', '审核'], flash, body });
  }

  function refundResultPage(s, o) {
    const receiptUrl = `/refund-receipt?refundNo=${encodeURIComponent(o.refund.refundNo)}`;
    const open = autoOpen.delete(`R:${o.refund.refundNo}`);
    const body = h`<div class="result-box result-success" id="refundResult">
  <div class="result-title"><span class="result-icon">&#10004;</span>退款成功</div>
  <table class="detail-table" cellpadding="0" cellspacing="0">
    ${detailRows([
      ['退款单号：', o.refund.refundNo, 'resultRefundNo'],
      ['原订单号：', o.vendorOrderNo],
      ['退款金额：', `¥${fenToYuan(o.amountFen)}`],
      ['卡号：', o.cardMasked],
      ['退款时间：', displayTime(Date.parse(o.refund.auditedAt))],
    ])}
  </table>
  <div class="result-links">
    <a href="${receiptUrl}" onclick="HYK.openReceipt(this.href);return false;">补打退款凭条</a>
    <span class="sep">|</span>
    <a href="/refund-audit">返回审核列表</a>
    <span class="sep">|</span>
    <a href="/index">返回首页</a>
  </div>
</div>${open ? openScript(receiptUrl) : ''}`;
    return layout(s, { title: '退款结果', active: 'refund-audit', crumbs: ['webpos', '订单审核退款', '退款结果'], body });
  }

  function notFoundPage(s, text = '您访问的页面不存在') {
    const body = h`<div class="result-box result-fail"><div class="result-title">${text}</div><div class="result-links"><a href="/index">返回首页</a></div></div>`;
    return s
      ? layout(s, { title: '错误', active: 'index', crumbs: ['错误'], body })
      : `${DOCTYPE}<html>${head('错误')}<body>${body}</body></html>`;
  }

  // ---------------------------------------------------------------- routes

  async function handlePages(req, res, url, ctx) {
    const p = url.pathname;
    const method = req.method ?? 'GET';

    if (p === '/' || p === '/index.html' || p === '/webpos' || p === '/webpos/') {
      const { session } = getSession(req);
      redirect(res, session ? '/index' : '/login');
      return;
    }

    if (p === '/login') {
      if (method === 'POST') {
        const form = await readForm(req);
        const username = (form.get('username') ?? '').trim();
        const password = form.get('password') ?? '';
        if (!username || !password) {
          sendHtml(res, 200, loginPage({ error: '用户名和密码不能为空', username }));
          return;
        }
        const sid = randomBytes(16).toString('hex').toUpperCase();
        const t = isoStore(now());
        sessions.set(sid, {
          sid,
          username,
          storeName: `慧医卡签约药店（${username}）`,
          loggedInAt: t,
          lastSeenAt: t,
          flash: null,
        });
        redirect(res, '/index', { 'set-cookie': `JSESSIONID=${sid}; Path=/; Secure; HttpOnly; SameSite=Lax` });
        return;
      }
      const { session } = getSession(req);
      if (session) {
        redirect(res, '/index');
        return;
      }
      const timeout = url.searchParams.get('timeout') === '1';
      sendHtml(res, 200, loginPage({ info: timeout ? '登录超时，请重新登录' : '' }));
      return;
    }

    if (p === '/logout') {
      const sid = parseCookies(req).JSESSIONID;
      if (sid) sessions.delete(sid);
      redirect(res, '/login', { 'set-cookie': 'JSESSIONID=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax' });
      return;
    }

    const { session: s, hadCookie } = getSession(req);
    const isXhr = p === '/pay/query' || p === '/pay/qrcode';
    if (!s) {
      if (isXhr) sendJson(res, 200, { code: '401', msg: '登录超时，请重新登录', data: null });
      else redirect(res, hadCookie ? '/login?timeout=1' : '/login');
      return;
    }

    // 首页: goods search + settle form
    if (p === '/index' && method === 'GET') {
      sendHtml(res, 200, indexPage(s, url));
      return;
    }

    if (p === '/order/settle' && method === 'POST') {
      const form = await readForm(req);
      const goodsId = form.get('goodsId') ?? '';
      const keyword = form.get('goodsName') ?? '';
      const priceText = form.get('salePrice') ?? '';
      const back = `/index?goodsName=${encodeURIComponent(keyword)}&goodsId=${encodeURIComponent(goodsId)}`;
      const g = catalog.find((x) => x.code === goodsId);
      if (!g) {
        setFlash(s, 'error', '请先选择商品');
        redirect(res, `/index?goodsName=${encodeURIComponent(keyword)}`);
        return;
      }
      const fen = parseYuan(priceText);
      if (fen === null) {
        setFlash(s, 'error', '单价格式不正确，请输入正确的金额（最多两位小数）', { price: priceText });
        redirect(res, back);
        return;
      }
      if (fen <= 0) {
        setFlash(s, 'error', '单价必须大于0', { price: priceText });
        redirect(res, back);
        return;
      }
      if (fen > 5000000) {
        setFlash(s, 'error', '单价超出允许范围', { price: priceText });
        redirect(res, back);
        return;
      }
      orderIdSeq += 1;
      const order = {
        orderId: String(orderIdSeq),
        goods: { code: g.code, name: g.name, spec: g.spec, listPriceFen: g.priceFen, unitFen: fen, qty: 1 },
        amountFen: fen,
        createdAt: isoStore(now()),
        storeAccount: s.username,
        qr: null,
        attempts: [],
      };
      pending.set(order.orderId, order);
      redirect(res, `/pay?order=${order.orderId}`);
      return;
    }

    if (p === '/pay' && method === 'GET') {
      const id = url.searchParams.get('order') ?? '';
      const paid = findPaidById(id);
      if (paid) {
        redirect(res, `/pay/result?order=${encodeURIComponent(id)}`);
        return;
      }
      const po = findPending(id);
      if (!po) {
        sendHtml(res, 404, notFoundPage(s, '订单不存在或已失效'));
        return;
      }
      sendHtml(res, 200, payPage(s, po, url));
      return;
    }

    if (p === '/pay' && method === 'POST') {
      const form = await readForm(req);
      const id = form.get('order') ?? '';
      if (findPaidById(id)) {
        redirect(res, `/pay/result?order=${encodeURIComponent(id)}`);
        return;
      }
      const po = findPending(id);
      if (!po) {
        sendHtml(res, 404, notFoundPage(s, '订单不存在或已失效'));
        return;
      }
      const cardNo = (form.get('cardNo') ?? '').replace(/\s+/g, '');
      const password = form.get('cardPwd') ?? '';
      const error = checkCard(cardNo, password, po.amountFen) ?? takeFailure();
      if (error) {
        const text = `支付失败：${error}`;
        po.attempts.push({ at: isoStore(now()), payMethod: 'card', ok: false, message: text });
        setFlash(s, 'error', text, { cardNo });
        redirect(res, `/pay?order=${encodeURIComponent(id)}`);
        return;
      }
      po.attempts.push({ at: isoStore(now()), payMethod: 'card', ok: true, message: '支付成功' });
      settle(po, 'card', cardNo);
      redirect(res, `/pay/result?order=${encodeURIComponent(id)}`);
      return;
    }

    if (p === '/pay/qrcode' && method === 'POST') {
      const form = await readForm(req);
      const id = form.get('order') ?? '';
      if (findPaidById(id)) {
        sendJson(res, 200, { code: '2001', msg: '订单已支付', data: null });
        return;
      }
      const po = findPending(id);
      if (!po) {
        sendJson(res, 200, { code: '1004', msg: '订单不存在或已失效', data: null });
        return;
      }
      const qr = issueQr(po);
      sendJson(res, 200, { code: '0000', msg: '成功', data: { qrContent: qr.content, qrImg: qr.img } });
      return;
    }

    if (p === '/pay/query' && method === 'GET') {
      const id = url.searchParams.get('order') ?? '';
      const paid = findPaidById(id);
      if (paid) {
        sendJson(res, 200, { code: '0000', msg: '成功', data: { status: 'SUCCESS', orderNo: paid.vendorOrderNo } });
        return;
      }
      const po = findPending(id);
      if (!po) {
        sendJson(res, 200, { code: '1004', msg: '订单不存在或已失效', data: null });
        return;
      }
      const st = po.qr?.status;
      const data =
        st === 'failed'
          ? { status: 'FAIL', msg: `支付失败：${po.qr.message}` }
          : st === 'cancelled'
            ? { status: 'CANCEL', msg: po.qr.message }
            : { status: 'WAIT', msg: '等待顾客扫码支付' };
      sendJson(res, 200, { code: '0000', msg: '成功', data });
      return;
    }

    if (p === '/pay/result' && method === 'GET') {
      const id = url.searchParams.get('order') ?? '';
      const o = findPaidById(id);
      if (!o) {
        if (findPending(id)) redirect(res, `/pay?order=${encodeURIComponent(id)}`);
        else sendHtml(res, 404, notFoundPage(s, '订单不存在或已失效'));
        return;
      }
      sendHtml(res, 200, payResultPage(s, o));
      return;
    }

    if (p === '/receipt' && method === 'GET') {
      const o = findOrderByNo(url.searchParams.get('order'));
      if (!o) {
        sendHtml(res, 404, notFoundPage(null, '订单不存在'));
        return;
      }
      sendHtml(res, 200, receiptPage(s, o));
      return;
    }

    if (p === '/refund-receipt' && method === 'GET') {
      const o = findOrderByRefundNo(url.searchParams.get('refundNo'));
      if (!o || o.refund.status !== 'refunded') {
        sendHtml(res, 404, notFoundPage(null, '退款单不存在'));
        return;
      }
      sendHtml(res, 200, refundReceiptPage(s, o));
      return;
    }

    if (p === '/orders' && method === 'GET') {
      sendHtml(res, 200, ordersPage(s, url));
      return;
    }

    if (p === '/orders/refund') {
      if (method === 'GET') {
        const o = findOrderByNo(url.searchParams.get('order'));
        if (!o) {
          sendHtml(res, 404, notFoundPage(s, '订单不存在'));
          return;
        }
        if (o.status !== 'paid') {
          setFlash(s, 'error', `该订单当前状态为“${STATUS_TEXT[o.status]}”，不能申请退款`);
          redirect(res, `/orders?orderNo=${encodeURIComponent(o.vendorOrderNo)}`);
          return;
        }
        sendHtml(res, 200, refundFormPage(s, o));
        return;
      }
      if (method === 'POST') {
        const form = await readForm(req);
        const o = findOrderByNo(form.get('order'));
        if (!o) {
          sendHtml(res, 404, notFoundPage(s, '订单不存在'));
          return;
        }
        const back = `/orders/refund?order=${encodeURIComponent(o.vendorOrderNo)}`;
        const cardNo = (form.get('cardNo') ?? '').replace(/\s+/g, '');
        const reason = (form.get('reason') ?? '').trim();
        const keep = { cardNo, reason };
        if (o.status !== 'paid') {
          setFlash(s, 'error', `该订单当前状态为“${STATUS_TEXT[o.status]}”，不能申请退款`);
          redirect(res, `/orders?orderNo=${encodeURIComponent(o.vendorOrderNo)}`);
          return;
        }
        let error = '';
        if (!cardNo) error = '请输入卡号';
        else if (cardNo !== cardOf.get(o.orderId)) error = '卡号与原交易卡号不一致';
        else if (!reason) error = '请输入退款原因';
        else if (crossMonth(o)) error = '跨月订单不能退款';
        if (error) {
          setFlash(s, 'error', `退款申请失败：${error}`, keep);
          redirect(res, back);
          return;
        }
        const t = now();
        o.status = 'refund_pending';
        o.refund = { refundNo: nextRefundNo(t), reason, status: 'pending', appliedAt: isoStore(t), auditedAt: null, opinion: null };
        setFlash(s, 'success', `退款申请已提交（退款单号：${o.refund.refundNo}），请到“订单审核退款”中审核`);
        redirect(res, `/orders?orderNo=${encodeURIComponent(o.vendorOrderNo)}`);
        return;
      }
    }

    if (p === '/refund-audit' && method === 'GET') {
      sendHtml(res, 200, refundAuditListPage(s));
      return;
    }

    if (p === '/refund-audit/audit') {
      if (method === 'GET') {
        const o = findOrderByRefundNo(url.searchParams.get('refundNo'));
        if (!o) {
          sendHtml(res, 404, notFoundPage(s, '退款申请不存在'));
          return;
        }
        if (o.status !== 'refund_pending') {
          setFlash(s, 'error', '该退款申请已审核');
          redirect(res, '/refund-audit');
          return;
        }
        sendHtml(res, 200, auditPage(s, o));
        return;
      }
      if (method === 'POST') {
        const form = await readForm(req);
        const o = findOrderByRefundNo(form.get('refundNo'));
        if (!o) {
          sendHtml(res, 404, notFoundPage(s, '退款申请不存在'));
          return;
        }
        if (o.status !== 'refund_pending') {
          setFlash(s, 'error', '该退款申请已审核');
          redirect(res, '/refund-audit');
          return;
        }
        const back = `/refund-audit/audit?refundNo=${encodeURIComponent(o.refund.refundNo)}`;
        const result = form.get('auditResult') ?? '';
        const opinion = (form.get('opinion') ?? '').trim();
        if (result !== '1' && result !== '2') {
          setFlash(s, 'error', '请选择审核结果', { opinion });
          redirect(res, back);
          return;
        }
        if (result === '2') {
          if (!opinion) {
            setFlash(s, 'error', '驳回时请填写审核意见', { opinion });
            redirect(res, back);
            return;
          }
          o.status = 'refund_rejected';
          Object.assign(o.refund, { status: 'rejected', auditedAt: isoStore(now()), opinion });
          setFlash(s, 'success', `已驳回退款申请（退款单号：${o.refund.refundNo}）`);
          redirect(res, '/refund-audit');
          return;
        }
        if (crossMonth(o)) {
          setFlash(s, 'error', '审核失败：跨月订单不能退款', { opinion });
          redirect(res, back);
          return;
        }
        o.status = 'refunded';
        Object.assign(o.refund, { status: 'refunded', auditedAt: isoStore(now()), opinion: opinion || null });
        adjustBalance(cardOf.get(o.orderId), o.amountFen);
        autoOpen.add(`R:${o.refund.refundNo}`);
        redirect(res, `/refund-audit/result?refundNo=${encodeURIComponent(o.refund.refundNo)}`);
        return;
      }
    }

    if (p === '/refund-audit/result' && method === 'GET') {
      const o = findOrderByRefundNo(url.searchParams.get('refundNo'));
      if (!o || o.refund.status !== 'refunded') {
        sendHtml(res, 404, notFoundPage(s, '退款单不存在'));
        return;
      }
      sendHtml(res, 200, refundResultPage(s, o));
      return;
    }

    sendHtml(res, 404, notFoundPage(s));
  }

  async function handleSim(req, res, url) {
    const p = url.pathname;
    const method = req.method ?? 'GET';
    const body = method === 'POST' ? await readJsonBody(req) : {};
    if (body.__badJson) return sendJson(res, 400, { error: 'bad json' });
    try {
      if (p === '/__sim/state' && method === 'GET') return sendJson(res, 200, state());
      if (p === '/__sim/reset' && method === 'POST') {
        reset();
        return sendJson(res, 200, { ok: true });
      }
      if (p === '/__sim/control' && method === 'POST') {
        if (body.reset === true) reset();
        for (const k of ['failNextPayment', 'latency', 'now', 'cards', 'defaultPassword']) {
          if (Object.hasOwn(body, k)) control[k] = clone(body[k]);
        }
        return sendJson(res, 200, clone(control));
      }
      if (p === '/__sim/seed-order' && method === 'POST') return sendJson(res, 200, seedOrder(body));
      if (p === '/__sim/customer/confirm' && method === 'POST') return sendJson(res, 200, customer.confirmQr(body.orderId, body));
      if (p === '/__sim/customer/cancel' && method === 'POST') return sendJson(res, 200, customer.cancelQr(body.orderId));
      if (p === '/__sim/expire-sessions' && method === 'POST') {
        expireSessions();
        return sendJson(res, 200, { ok: true });
      }
    } catch (e) {
      return sendJson(res, 409, { error: e instanceof Error ? e.message : String(e) });
    }
    return sendJson(res, 404, { error: `no sim endpoint ${method} ${p}` });
  }

  async function handle(req, res, urlArg, ctx) {
    const url = urlArg instanceof URL ? urlArg : new URL(req.url ?? '/', `https://${HUIYIKA_HOST}`);
    const p = url.pathname;
    if (p.startsWith('/__sim/')) {
      await handleSim(req, res, url);
      return true;
    }
    if (p.startsWith('/static/') || p === '/favicon.ico') return false;

    // every page, form POST, search and XHR waits like a slow real server
    if (ctx && typeof ctx.latency === 'function') await ctx.latency();
    const [lo, hi] = Array.isArray(control.latency) ? control.latency : [0, 0];
    const ms = Math.max(0, lo + Math.random() * Math.max(0, hi - lo));
    if (ms > 0) await sleep(ms);

    await handlePages(req, res, url, ctx);
    return true;
  }

  return {
    id: 'huiyika',
    host: HUIYIKA_HOST,
    staticDir: HUIYIKA_STATIC_DIR,
    handle,
    state,
    reset,
    control,
    customer,
    seedOrder,
    expireSessions,
    catalog: clone(catalog),
  };
}

export default createHuiyikaSimulator;
