// 员福好管家 (yuanfu) web-POS simulator — server side.
//
// Registered with the e2e harness as
//   { id: 'yuanfu', host: 'sy.huibaofuda.com', staticDir, handle }
// An older, server-rendered site: no framework, a cookie session (JSESSIONID), a form post to
// /login, and the pay form in a same-origin iframe (/pos/frame) on /home that posts to
// /pos/pay with XMLHttpRequest. The result is a toast in the TOP page that disappears after 3 s.
// Pages are rendered here; ./public/static holds the CSS and the two small scripts.
//
// Money is integer fen in state; the page and its API speak yuan text ("36.00"), parsed here
// by string, never through floats.

import { fileURLToPath } from 'node:url';
import path from 'node:path';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const YUANFU_STATIC_DIR = path.join(HERE, 'public');
export const YUANFU_HOST = 'sy.huibaofuda.com';
/** How long the result toast stays in the top page. */
export const TOAST_MS = 3000;
/** Delay before the pay iframe reloads itself after a successful payment. */
export const FRAME_RELOAD_MS = 600;

const clone = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Beijing-time parts of a Date. */
function bj(date) {
  const iso = new Date(date.getTime() + 8 * 3600 * 1000).toISOString();
  return { iso: iso.slice(0, 19) + '+08:00', ymd: iso.slice(0, 10).replace(/-/g, ''), text: iso.slice(0, 19).replace('T', ' ') };
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

/** "36" / "36.5" / "36.50" → 3650; null for anything else (no more than 2 decimals). */
export function parseYuanToFen(text) {
  const m = /^\s*(\d{1,6})(?:\.(\d{1,2}))?\s*$/.exec(String(text ?? ''));
  if (!m) return null;
  return Number(m[1]) * 100 + Number(((m[2] ?? '') + '00').slice(0, 2));
}

/** `[min, max]` or `{ minMs, maxMs }` → `[min, max]`. */
function normLatency(l, fallback) {
  if (Array.isArray(l) && l.length === 2) return [Number(l[0]) || 0, Number(l[1]) || 0];
  if (l && typeof l === 'object' && 'minMs' in l) return [Number(l.minMs) || 0, Number(l.maxMs) || 0];
  return fallback;
}

const esc = (s) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

async function readBody(req) {
  if (req.method === 'GET' || req.method === 'HEAD') return '';
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}
async function readForm(req) {
  const text = await readBody(req);
  const ct = String(req.headers['content-type'] ?? '');
  if (ct.includes('application/json')) {
    try {
      return JSON.parse(text || '{}');
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}

function sendHtml(res, status, html, headers = {}) {
  const body = Buffer.from(html, 'utf8');
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length, 'cache-control': 'no-cache', pragma: 'no-cache', ...headers });
  res.end(body);
}
function sendJson(res, status, obj, headers = {}) {
  const body = Buffer.from(JSON.stringify(obj), 'utf8');
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', 'content-length': body.length, 'cache-control': 'no-store', ...headers });
  res.end(body);
}
function redirect(res, location, headers = {}) {
  res.writeHead(302, { location, 'content-length': 0, 'cache-control': 'no-cache', ...headers });
  res.end();
}

function parseCookies(req) {
  const out = {};
  for (const part of String(req.headers.cookie ?? '').split(/;\s*/)) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i)] = decodeURIComponent(part.slice(i + 1));
  }
  return out;
}

/**
 * @param {{
 *   latency?: [number, number] | { minMs: number, maxMs: number },
 *   renamed?: Record<string, string>,
 *   storeName?: (username: string) => string,
 * }} [opts]
 */
export function createYuanfuSimulator(opts = {}) {
  const initialLatency = normLatency(opts.latency, [50, 500]);
  const renamed = { ...(opts.renamed ?? {}) };
  const T = (s) => (Object.prototype.hasOwnProperty.call(renamed, s) ? renamed[s] : s);
  const storeNameFor = opts.storeName ?? ((u) => `员福好管家合作药店（${u}）`);
  const instanceTag = String(Math.floor(Math.random() * 90) + 10);

  /**
   * Mutable controls (POST /__sim/control merges JSON into it).
   * @type {{ failNextPayment: boolean, failReason: string, cardBalanceFen: null | number | Record<string, number>,
   *   password: string | null, latency: [number, number] }}
   */
  const control = {
    /** the next 提交 ends in 「支付失败」 (order recorded with status 'failed'), then resets to false */
    failNextPayment: false,
    failReason: '交易异常，请稍后重试',
    /** null = unlimited; a number = every card; an object: card → fen, with optional `default` */
    cardBalanceFen: null,
    /** null = any 6 digits; else the only accepted 支付密码 */
    password: null,
    /** [minMs, maxMs] of random latency on POST /login, /home, /pos/frame, /pos/pay, /orders */
    latency: [initialLatency[0], initialLatency[1]],
  };

  let orders = [];
  let seq = 0;
  let lastLogin = null;
  let requestLog = [];
  const sessions = new Map(); // JSESSIONID → { username, storeName, merchantNo }
  const spent = new Map();

  function reset() {
    orders = [];
    seq = 0;
    lastLogin = null;
    requestLog = [];
    spent.clear();
    control.failNextPayment = false;
    control.failReason = '交易异常，请稍后重试';
    control.cardBalanceFen = null;
    control.password = null;
    control.latency = [initialLatency[0], initialLatency[1]];
    // sessions are kept: an open page stays logged in
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

  // ------------------------------------------------------------------ pages

  const renamedScript = () => `<script>window.YF_RENAMED = ${JSON.stringify(renamed).replace(/</g, '\\u003c')};</script>`;

  function layout(title, bodyClass, body, extraHead = '') {
    return `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta http-equiv="X-UA-Compatible" content="IE=edge" />
<title>${esc(title)}</title>
<link rel="icon" href="data:," />
<link rel="stylesheet" type="text/css" href="/static/css/style.css?v=20190612" />
${renamedScript()}
${extraHead}
</head>
<body class="${bodyClass}">
${body}
</body>
</html>`;
  }

  function loginPage(error = '', username = '') {
    return layout(
      '员福好管家-商户登录',
      'login-body',
      `<div class="login-top"><div class="login-logo">员福好管家 <span>商户收银平台</span></div></div>
<div class="login-box">
  <h2>${esc(T('商户登录'))}</h2>
  <form id="loginForm" name="loginForm" method="post" action="/login">
    <table class="login-table" cellpadding="0" cellspacing="0">
      <tr><td class="lbl"><label for="username">${esc(T('用户名'))}：</label></td>
          <td><input type="text" id="username" name="username" class="ipt" maxlength="32" value="${esc(username)}" placeholder="${esc(T('请输入用户名'))}" /></td></tr>
      <tr><td class="lbl"><label for="password">${esc(T('密　码'))}：</label></td>
          <td><input type="password" id="password" name="password" class="ipt" maxlength="32" placeholder="${esc(T('请输入密码'))}" /></td></tr>
      <tr><td></td><td class="login-err" id="loginErr">${esc(error)}</td></tr>
      <tr><td></td><td><input type="submit" id="btnLogin" class="btn btn-login" value="${esc(T('登 录'))}" /></td></tr>
    </table>
  </form>
  <p class="login-tip">初始密码请咨询客户经理 · 推荐使用Chrome浏览器</p>
</div>
<div class="footer">Copyright &copy; 2019-2025 员福好管家 All Rights Reserved</div>
<script type="text/javascript" src="/static/js/common.js?v=20190612"></script>`,
    );
  }

  function topNav(sess, active) {
    const li = (href, text, key) => `<li${active === key ? ' class="cur"' : ''}><a href="${href}">${esc(T(text))}</a></li>`;
    return `<div class="header">
  <div class="logo">员福好管家<span>商户收银平台</span></div>
  <ul class="nav" id="mainNav">
    ${li('/home', '收银', 'home')}
    ${li('/orders', '订单查询', 'orders')}
  </ul>
  <div class="userbar">当前门店：<b id="storeName">${esc(sess.storeName)}</b>&nbsp;|&nbsp;操作员：${esc(sess.username)}&nbsp;|&nbsp;<a href="/logout">${esc(T('退出'))}</a></div>
</div>`;
  }

  function homePage(sess) {
    return layout(
      '员福好管家-收银',
      'main-body page-home',
      `${topNav(sess, 'home')}
<div class="container">
  <div class="crumb">当前位置：首页 &gt; ${esc(T('收银'))}</div>
  <div class="notice">温馨提示：员工卡消费须由员工本人输入支付密码；支付结果以页面提示为准，如有疑问请至“订单查询”核实。</div>
  <iframe id="posFrame" name="posFrame" src="/pos/frame" frameborder="0" scrolling="no" width="100%" height="430"></iframe>
</div>
<div class="footer">Copyright &copy; 2019-2025 员福好管家 All Rights Reserved &nbsp; 客服热线：400-800-1234</div>
<script type="text/javascript" src="/static/js/common.js?v=20190612"></script>`,
    );
  }

  function framePage() {
    const row = (req, id, label, input, note = '') =>
      `<tr><td class="lbl">${req ? '<span class="req">*</span>' : ''}<label for="${id}">${esc(T(label))}</label>：</td><td>${input}${note}</td></tr>`;
    return layout(
      '收银',
      'frame-body',
      `<form id="payForm" name="payForm" action="/pos/pay" method="post" onsubmit="return false;" autocomplete="off">
<fieldset class="box">
  <legend>${esc(T('员工卡消费'))}</legend>
  <table class="form-table" cellpadding="0" cellspacing="0">
    ${row(true, 'amount', '消费金额', `<input type="text" id="amount" name="amount" class="ipt ipt-money" maxlength="9" placeholder="0.00" />`, ' <span class="unit">元</span>')}
    ${row(true, 'goodsName', '商品名称', `<input type="text" id="goodsName" name="goodsName" class="ipt" maxlength="50" placeholder="${esc(T('请输入商品名称'))}" />`)}
    ${row(false, 'storeOrderNo', '门店订单号', `<input type="text" id="storeOrderNo" name="storeOrderNo" class="ipt" maxlength="32" placeholder="${esc(T('选填'))}" />`)}
    ${row(true, 'cardNo', '员工卡号', `<input type="text" id="cardNo" name="cardNo" class="ipt" maxlength="24" placeholder="${esc(T('请刷卡、扫码或输入员工卡号'))}" />`)}
    ${row(true, 'payPwd', '支付密码', `<input type="password" id="payPwd" name="payPwd" class="ipt" maxlength="6" autocomplete="new-password" placeholder="${esc(T('请员工本人输入'))}" />`)}
    <tr><td></td><td class="btns">
      <input type="button" id="btnSubmit" name="btnSubmit" class="btn btn-primary" value="${esc(T('提交'))}" />
      <input type="reset" id="btnReset" class="btn" value="${esc(T('重置'))}" />
      <span id="formMsg" class="form-msg"></span>
    </td></tr>
  </table>
</fieldset>
</form>
<script type="text/javascript" src="/static/js/pos.js?v=20190612"></script>`,
    );
  }

  function frameExpired() {
    return layout('收银', 'frame-body', `<div class="expired">登录超时，请<a href="/login" target="_top">重新登录</a></div>`);
  }

  function ordersPage(sess, q) {
    let list = orders.slice().reverse();
    const tradeNo = String(q.get('tradeNo') ?? '').trim();
    const storeOrderNo = String(q.get('storeOrderNo') ?? '').trim();
    if (tradeNo) list = list.filter((o) => o.vendorOrderNo.includes(tradeNo));
    if (storeOrderNo) list = list.filter((o) => o.storeOrderNo.includes(storeOrderNo));
    const rows = list.length
      ? list
          .map(
            (o, i) => `<tr class="${i % 2 ? 'even' : 'odd'}">
      <td>${i + 1}</td><td>${esc(o.vendorOrderNo)}</td><td>${esc(o.storeOrderNo)}</td><td>${esc(o.goodsName)}</td>
      <td class="num">${fenToYuan(o.amountFen)}</td><td>${esc(o.cardMasked)}</td><td>${esc(o.paidAt.slice(0, 19).replace('T', ' '))}</td>
      <td class="${o.status === 'paid' ? 'st-ok' : 'st-fail'}">${o.status === 'paid' ? '支付成功' : '支付失败'}</td></tr>`,
          )
          .join('\n')
      : '<tr><td colspan="8" class="empty">暂无数据</td></tr>';
    const sumFen = list.filter((o) => o.status === 'paid').reduce((s, o) => s + o.amountFen, 0);
    return layout(
      '员福好管家-订单查询',
      'main-body page-orders',
      `${topNav(sess, 'orders')}
<div class="container">
  <div class="crumb">当前位置：首页 &gt; ${esc(T('订单查询'))}</div>
  <form class="query-form" method="get" action="/orders">
    流水号：<input type="text" name="tradeNo" class="ipt ipt-s" value="${esc(tradeNo)}" />
    门店订单号：<input type="text" name="storeOrderNo" class="ipt ipt-s" value="${esc(storeOrderNo)}" />
    <input type="submit" class="btn btn-primary" value="${esc(T('查询'))}" />
  </form>
  <table class="grid" id="orderTable" cellpadding="0" cellspacing="0">
    <thead><tr>${['序号', '流水号', '门店订单号', '商品名称', '金额', '员工卡号', '时间', '状态'].map((h) => `<th>${esc(T(h))}</th>`).join('')}</tr></thead>
    <tbody>
${rows}
    </tbody>
  </table>
  <div class="pager">共 <b>${list.length}</b> 条记录，成功金额合计 <b>${fenToYuan(sumFen)}</b> 元</div>
</div>
<div class="footer">Copyright &copy; 2019-2025 员福好管家 All Rights Reserved</div>
<script type="text/javascript" src="/static/js/common.js?v=20190612"></script>`,
    );
  }

  // ------------------------------------------------------------------ pay

  function pay(sess, f) {
    const amountFen = parseYuanToFen(f.amount);
    if (amountFen === null || amountFen <= 0) return { success: false, code: '1001', msg: '消费金额格式不正确' };
    const goodsName = String(f.goodsName ?? '').trim();
    if (!goodsName) return { success: false, code: '1002', msg: '请填写商品名称' };
    if (goodsName.length > 50) return { success: false, code: '1003', msg: '商品名称过长' };
    const card = String(f.cardNo ?? '').trim();
    if (!/^[0-9A-Za-z]{8,24}$/.test(card)) return { success: false, code: '1004', msg: '员工卡号不存在' };
    const pwd = String(f.payPwd ?? '');
    if (!/^\d{6}$/.test(pwd) || (control.password !== null && pwd !== control.password)) {
      return { success: false, code: '1005', msg: '支付密码错误' };
    }
    const storeOrderNo = String(f.storeOrderNo ?? '').trim().slice(0, 32);
    seq += 1;
    const t = bj(new Date());
    const vendorOrderNo = `YF${t.ymd}${instanceTag}${String(seq).padStart(4, '0')}`;
    let failReason = null;
    if (control.failNextPayment === true) {
      control.failNextPayment = false;
      failReason = String(control.failReason || '交易异常');
    } else if (balanceFor(card) < amountFen) {
      failReason = '卡内余额不足';
    }
    const order = {
      vendorOrderNo,
      storeOrderNo,
      amountFen,
      goodsName,
      cardMasked: maskCard(card),
      status: failReason ? 'failed' : 'paid',
      paidAt: t.iso,
      operator: sess.username,
    };
    if (failReason) order.failReason = failReason;
    else spent.set(card, (spent.get(card) ?? 0) + amountFen);
    orders.push(order);
    if (failReason) return { success: false, code: '2001', msg: failReason, data: { tradeNo: vendorOrderNo } };
    return {
      success: true,
      code: '0000',
      msg: '支付成功',
      data: { tradeNo: vendorOrderNo, amount: fenToYuan(amountFen), cardNo: order.cardMasked, payTime: t.text, storeOrderNo },
    };
  }

  // ------------------------------------------------------------------ routing

  const LATENT = new Set(['POST /login', 'GET /home', 'GET /pos/frame', 'POST /pos/pay', 'GET /orders']);

  async function handle(req, res, urlArg) {
    const url = urlArg instanceof URL ? urlArg : new URL(req.url ?? '/', `https://${YUANFU_HOST}`);
    const p = url.pathname.replace(/\/+$/, '') || '/';
    const key = `${req.method} ${p}`;

    // test endpoints
    if (key === 'GET /__sim/state') {
      sendJson(res, 200, state());
      return true;
    }
    if (key === 'POST /__sim/control') {
      const body = await readForm(req);
      if (body.reset === true) reset();
      for (const k of ['failNextPayment', 'failReason', 'cardBalanceFen', 'password']) {
        if (Object.prototype.hasOwnProperty.call(body, k)) control[k] = clone(body[k]);
      }
      if (Object.prototype.hasOwnProperty.call(body, 'latency')) control.latency = normLatency(body.latency, control.latency);
      sendJson(res, 200, clone(control));
      return true;
    }
    if (key === 'POST /__sim/reset') {
      reset();
      sendJson(res, 200, { ok: true });
      return true;
    }
    if (p.startsWith('/static/')) return false; // CSS / JS from staticDir

    requestLog.push({ method: req.method, path: p, query: url.search, at: Date.now() });
    if (requestLog.length > 500) requestLog.splice(0, requestLog.length - 500);
    if (LATENT.has(key)) {
      const [lo, hi] = Array.isArray(control.latency) ? control.latency : [0, 0];
      const ms = Math.max(0, lo + Math.random() * Math.max(0, hi - lo));
      if (ms > 0) await sleep(ms);
    }

    const sid = parseCookies(req).JSESSIONID ?? '';
    const sess = sessions.get(sid) ?? null;

    if (key === 'GET /') {
      redirect(res, sess ? '/home' : '/login');
      return true;
    }
    if (key === 'GET /login') {
      sendHtml(res, 200, loginPage());
      return true;
    }
    if (key === 'POST /login') {
      const f = await readForm(req);
      const username = String(f.username ?? '').trim();
      const password = String(f.password ?? '');
      if (!username || !password) {
        sendHtml(res, 200, loginPage(!username ? '请输入用户名' : '请输入密码', username));
        return true;
      }
      const newSid = Array.from({ length: 32 }, () => '0123456789ABCDEF'[Math.floor(Math.random() * 16)]).join('');
      const info = { username, storeName: storeNameFor(username), merchantNo: 'YF' + String(10000 + ((username.length * 7919) % 90000)), loggedInAt: bj(new Date()).iso };
      sessions.set(newSid, info);
      lastLogin = { ...info };
      redirect(res, '/home', { 'set-cookie': `JSESSIONID=${newSid}; Path=/; HttpOnly; Secure; SameSite=Lax` });
      return true;
    }
    if (key === 'GET /logout') {
      sessions.delete(sid);
      redirect(res, '/login', { 'set-cookie': 'JSESSIONID=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax' });
      return true;
    }
    if (key === 'GET /home') {
      if (!sess) redirect(res, '/login');
      else sendHtml(res, 200, homePage(sess));
      return true;
    }
    if (key === 'GET /pos/frame') {
      sendHtml(res, 200, sess ? framePage() : frameExpired());
      return true;
    }
    if (key === 'POST /pos/pay') {
      const f = await readForm(req);
      if (!sess) sendJson(res, 200, { success: false, code: '401', msg: '登录超时，请重新登录' });
      else sendJson(res, 200, pay(sess, f));
      return true;
    }
    if (key === 'GET /orders') {
      if (!sess) redirect(res, '/login');
      else sendHtml(res, 200, ordersPage(sess, url.searchParams));
      return true;
    }
    sendHtml(res, 404, layout('404', 'main-body', '<div class="container"><h3>404 页面不存在</h3><a href="/home">返回首页</a></div>'));
    return true;
  }

  return {
    id: 'yuanfu',
    host: YUANFU_HOST,
    staticDir: YUANFU_STATIC_DIR,
    handle,
    state,
    reset,
    control,
    renamed,
  };
}

export default createYuanfuSimulator;
