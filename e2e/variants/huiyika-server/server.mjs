// 慧医卡 variant "server": plain server-rendered pages, every step a full page load (forms and
// links, no script), in seed 001's words: left menu 「首页」 and 「webpos」 → 订单查询 / 订单审核退款;
// 输入商品关键字 + 搜索; click the 药品名称 to pick it; change 价格; 「结算」; pay by 卡号/密码 (卡号, 密码,
// 「支付」) or 扫码支付; a 消费小票 page with 「打印」 and 「确定」; refunds: 订单查询 → 退款 (卡号, 退货原因,
// 提交) → 订单审核退款 → 审核 (审核意见, 同意, 提交) → 退货小票.
import { randomUUID } from 'node:crypto';
import { readBody } from '../../harness/portal-server.mjs';
import { PORTAL_HOST } from '../../harness/portals.mjs';
import { CATALOG, createBackend, yuan } from '../common/backend.mjs';

/** @import { IncomingMessage, ServerResponse } from 'node:http' */

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
const toFen = (t) => (String(t).trim() === '' || !Number.isFinite(Number(t)) ? NaN : Math.round(Number(t) * 100));

const CSS = `body{margin:0;font:14px "Microsoft YaHei",sans-serif}.top{background:#c0392b;color:#fff;padding:10px 16px;font-size:18px}
.wrap{display:flex}.menu{width:170px;background:#f4f4f4;min-height:calc(100vh - 44px)}.menu a{display:block;padding:10px 16px;color:#333;text-decoration:none}
.menu .group{padding:10px 16px;color:#888}.menu .sub a{padding-left:30px}.menu a.on{background:#e74c3c;color:#fff}.content{flex:1;padding:16px}
table.grid{border-collapse:collapse;width:100%;margin:10px 0}table.grid th,table.grid td{border:1px solid #ddd;padding:6px 8px;text-align:left}
table.grid th{background:#fafafa}input[type=text],input[type=password],input:not([type]){height:28px;padding:0 6px;border:1px solid #ccc}
button,.btn{padding:6px 16px;background:#e74c3c;color:#fff;border:0;cursor:pointer;text-decoration:none;display:inline-block}
.err{color:#c0392b;margin:8px 0}.tabs a{display:inline-block;padding:6px 14px;border:1px solid #ddd;margin-right:4px;color:#333;text-decoration:none}.tabs a.on{border-color:#e74c3c;color:#e74c3c}
.receipt{width:320px;border:1px dashed #999;padding:12px;margin:12px 0;font-family:monospace}`;

/**
 * @param {string} active
 * @param {string} title
 * @param {string} body
 */
function page(active, title, body) {
  const link = (href, text, key) => `<a href="${href}"${active === key ? ' class="on"' : ''}>${text}</a>`;
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(title)} - 慧医卡webpos</title><style>${CSS}</style></head><body>
<div class="top">慧医卡 webpos　<small>门店：太极大药房（演示店）</small></div>
<div class="wrap"><div class="menu">${link('/', '首页', 'home')}<div class="group">webpos</div><div class="sub">${link('/orders', '订单查询', 'orders')}${link('/audit', '订单审核退款', 'audit')}</div></div>
<div class="content">${body}</div></div></body></html>`;
}

export function createHuiyikaServer() {
  const opts = { id: 'huiyika-server', portal: /** @type {const} */ ('huiyika'), staticDir: '', orderPrefix: 'HY' };
  const backend = createBackend(opts);
  /** @type {Map<string, { cart: Array<{ barcode: string, name: string, spec: string, price: string, qty: string }>, memo: string, error: string }>} */
  const sessions = new Map();

  /** @param {IncomingMessage} req @param {ServerResponse} res */
  function session(req, res) {
    const sid = /(?:^|;\s*)HYSESSION=([\w-]+)/.exec(req.headers.cookie ?? '')?.[1];
    if (sid && sessions.has(sid)) return sessions.get(sid);
    const id = randomUUID();
    const s = { cart: [], memo: '', error: '' };
    sessions.set(id, s);
    res.setHeader('set-cookie', `HYSESSION=${id}; Path=/; Secure; HttpOnly; SameSite=Lax`);
    return s;
  }
  /** @param {ServerResponse} res @param {string} htmlText */
  function sendHtml(res, htmlText, status = 200) {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(htmlText);
  }
  /** @param {ServerResponse} res @param {string} location */
  function redirect(res, location) {
    res.writeHead(303, { location, 'cache-control': 'no-store' });
    res.end();
  }
  /** @param {IncomingMessage} req */
  async function form(req) {
    return new URLSearchParams(await readBody(req));
  }
  /** @param {ReturnType<typeof session>} s */
  const totalOf = (s) => s.cart.reduce((sum, l) => sum + (Number.isFinite(toFen(l.price)) ? toFen(l.price) * (Number(l.qty) || 0) : 0), 0);
  /** @param {ReturnType<typeof session>} s */
  function takeError(s) {
    const e = s.error;
    s.error = '';
    return e ? `<div class="err">${esc(e)}</div>` : '';
  }

  /** @param {ReturnType<typeof session>} s @param {URL} url */
  function home(s, url) {
    const kw = url.searchParams.get('kw') ?? '';
    const hits = kw ? backend.search(kw) : null;
    const hitRows = hits === null ? '' : hits.length === 0 ? '<p>没有找到相关药品</p>' : `<table class="grid"><thead><tr><th>药品名称</th><th>规格</th><th>生产厂家</th><th>价格</th></tr></thead><tbody>
      ${hits.map((g) => `<tr><td><a href="/select?code=${g.barcode}">${esc(g.name)}</a></td><td>${esc(g.spec)}</td><td>${esc(g.maker)}</td><td>${yuan(g.priceFen)}</td></tr>`).join('')}</tbody></table>`;
    const cartRows = s.cart.length === 0 ? '<tr><td colspan="5">请搜索并点击药品名称选中药品</td></tr>' : s.cart.map((l, i) => `<tr><td>${esc(l.name)}</td><td>${esc(l.spec)}</td>
      <td><input name="price_${i}" value="${esc(l.price)}" size="8"></td><td><input name="qty_${i}" value="${esc(l.qty)}" size="4"></td><td><a href="/remove?i=${i}">移除</a></td></tr>`).join('');
    return page('home', '首页', `${takeError(s)}
      <form method="get" action="/"><input name="kw" value="${esc(kw)}" placeholder="输入商品关键字" size="30"> <button type="submit">搜索</button></form>
      ${hitRows}
      <h3>已选药品</h3>
      <form method="post" action="/settle">
        <table class="grid"><thead><tr><th>药品名称</th><th>规格</th><th>价格</th><th>数量</th><th>操作</th></tr></thead><tbody>${cartRows}</tbody></table>
        <p>小票号（选填）：<input name="memo" value="${esc(s.memo)}" size="24"></p>
        <p>合计：¥${yuan(totalOf(s))}</p>
        <button type="submit">结算</button>
      </form>`);
  }

  /** @param {ReturnType<typeof session>} s @param {URL} url */
  function payPage(s, url) {
    const qr = url.searchParams.get('m') === 'qr';
    const body = qr
      ? `<div style="width:160px;height:160px;background:repeating-linear-gradient(45deg,#000 0 6px,#fff 6px 12px)"></div><p>请顾客打开慧医卡微信公众号“扫一扫”完成付款</p>`
      : `<form method="post" action="/pay"><p>卡号：<input name="cardNo" placeholder="请输入慧医卡卡号" size="24"></p>
         <p>密码：<input name="pwd" type="password" placeholder="请顾客输入密码" size="12"></p><button type="submit">支付</button></form>`;
    return page('home', '支付', `${takeError(s)}<h3>收款</h3><p>应收金额：<b>¥${yuan(totalOf(s))}</b></p>
      <div class="tabs"><a href="/pay"${qr ? '' : ' class="on"'}>卡号/密码</a><a href="/pay?m=qr"${qr ? ' class="on"' : ''}>扫码支付</a></div>${body}
      <p><a href="/">返回修改</a></p>`);
  }

  /** @param {import('../common/backend.mjs').Order} o @param {boolean} refund */
  function receipt(o, refund) {
    return page(refund ? 'audit' : 'home', refund ? '退货小票' : '消费小票', `<div><button type="button" onclick="window.print()">打印</button> <a class="btn" href="/">确定</a></div>
      <div class="receipt"><h4>慧医卡${refund ? '退货小票' : '消费小票'}</h4>
      <p>订单号：${o.vendorOrderNo}</p><p>卡号：${o.credentialMasked}</p><p>${refund ? '退款金额' : '交易金额'}：${yuan(o.cardFen)}</p>
      <p>交易时间：${o.paidAt}</p>${o.storeOrderNo ? `<p>小票号：${esc(o.storeOrderNo)}</p>` : ''}<p>持卡人签名：__________</p></div>`);
  }

  /** @param {URL} url */
  function ordersPage(url) {
    const no = url.searchParams.get('no') ?? '';
    const card = url.searchParams.get('card') ?? '';
    const day = url.searchParams.get('day') ?? '';
    const rows = backend.orders.filter((o) => (!no || o.vendorOrderNo.includes(no)) && (!card || o.credentialMasked.slice(-4) === card.slice(-4)) && (!day || o.paidAt.startsWith(day))).reverse();
    const status = { paid: '交易成功', refund_pending: '退款审核中', refunded: '已退款' };
    return page('orders', '订单查询', `<form method="get" action="/orders">订单号 <input name="no" value="${esc(no)}"> 卡号 <input name="card" value="${esc(card)}"> 交易时间 <input name="day" value="${esc(day)}" placeholder="yyyy-MM-dd"> <button type="submit">搜索</button></form>
      <table class="grid"><thead><tr><th>订单号</th><th>卡号</th><th>交易金额</th><th>交易时间</th><th>状态</th><th>操作</th></tr></thead><tbody>
      ${rows.map((o) => `<tr><td>${o.vendorOrderNo}</td><td>${o.credentialMasked}</td><td>${yuan(o.cardFen)}</td><td>${o.paidAt}</td><td>${status[o.status]}</td><td>${o.status === 'paid' ? `<a href="/refund?no=${o.vendorOrderNo}">退款</a>` : ''}</td></tr>`).join('')}</tbody></table>`);
  }

  /** @param {IncomingMessage} req @param {ServerResponse} res @param {URL} url */
  async function handle(req, res, url) {
    const s = session(req, res);
    const p = url.pathname;
    if (req.method === 'GET' && (p === '/' || p === '/index')) return sendHtml(res, home(s, url)), true;
    if (req.method === 'GET' && p === '/select') {
      const g = CATALOG.find((x) => x.barcode === url.searchParams.get('code'));
      if (g) {
        const have = s.cart.find((l) => l.barcode === g.barcode);
        if (have) have.qty = String(Number(have.qty) + 1);
        else s.cart.push({ barcode: g.barcode, name: g.name, spec: g.spec, price: yuan(g.priceFen), qty: '1' });
      }
      return redirect(res, '/'), true;
    }
    if (req.method === 'GET' && p === '/remove') {
      s.cart.splice(Number(url.searchParams.get('i')), 1);
      return redirect(res, '/'), true;
    }
    if (req.method === 'POST' && p === '/settle') {
      const f = await form(req);
      s.cart.forEach((l, i) => {
        l.price = f.get(`price_${i}`) ?? l.price;
        l.qty = f.get(`qty_${i}`) ?? l.qty;
      });
      s.memo = f.get('memo') ?? '';
      if (s.cart.length === 0) s.error = '请先选择药品';
      else if (s.cart.some((l) => !Number.isFinite(toFen(l.price)) || !(Number(l.qty) >= 1))) s.error = '价格或数量不正确';
      return redirect(res, s.error ? '/' : '/pay'), true;
    }
    if (req.method === 'GET' && p === '/pay') return sendHtml(res, payPage(s, url)), true;
    if (req.method === 'POST' && p === '/pay') {
      const f = await form(req);
      const r = backend.pay({
        lines: s.cart.map((l) => ({ barcode: l.barcode, qty: Number(l.qty), unitFen: toFen(l.price) })),
        storeOrderNo: s.memo,
        credential: f.get('cardNo') ?? '',
        password: f.get('pwd') ?? '',
      });
      if (typeof r === 'string') {
        s.error = `支付失败：${r}`;
        return redirect(res, '/pay'), true;
      }
      s.cart = [];
      s.memo = '';
      return redirect(res, `/receipt?no=${r.vendorOrderNo}`), true;
    }
    if (req.method === 'GET' && (p === '/receipt' || p === '/refund-receipt')) {
      const o = backend.orders.find((x) => x.vendorOrderNo === url.searchParams.get('no'));
      return o ? sendHtml(res, receipt(o, p === '/refund-receipt')) : sendHtml(res, page('home', '错误', '订单不存在'), 404), true;
    }
    if (req.method === 'GET' && p === '/orders') return sendHtml(res, ordersPage(url)), true;
    if (req.method === 'GET' && p === '/refund') {
      const no = url.searchParams.get('no') ?? '';
      return sendHtml(res, page('orders', '退款', `${takeError(s)}<h3>退款申请</h3><p>订单号：${esc(no)}</p><form method="post" action="/refund?no=${esc(no)}">
        <p>卡号：<input name="cardNo" placeholder="请输入退款卡号"></p><p>退货原因：<input name="reason" placeholder="请简单填写退货原因" size="30"></p><button type="submit">提交</button></form>`)), true;
    }
    if (req.method === 'POST' && p === '/refund') {
      const f = await form(req);
      const no = url.searchParams.get('no') ?? '';
      const o = backend.orders.find((x) => x.vendorOrderNo === no);
      const card = (f.get('cardNo') ?? '').trim();
      if (!o || !card || o.credentialMasked.slice(-4) !== card.slice(-4)) {
        s.error = '卡号与订单不符';
        return redirect(res, `/refund?no=${no}`), true;
      }
      backend.refund(no, f.get('reason') ?? '', true);
      return redirect(res, '/audit'), true;
    }
    if (req.method === 'GET' && p === '/audit') {
      const rows = backend.orders.filter((o) => o.status === 'refund_pending');
      return sendHtml(res, page('audit', '订单审核退款', `<table class="grid"><thead><tr><th>订单号</th><th>卡号</th><th>退款金额</th><th>退货原因</th><th>操作</th></tr></thead><tbody>
        ${rows.map((o) => `<tr><td>${o.vendorOrderNo}</td><td>${o.credentialMasked}</td><td>${yuan(o.cardFen)}</td><td>${esc(o.refundReason ?? '')}</td><td><a href="/audit/review?no=${o.vendorOrderNo}">审核</a></td></tr>`).join('') || '<tr><td colspan="5">暂无待审核的退款</td></tr>'}</tbody></table>`)), true;
    }
    if (req.method === 'GET' && p === '/audit/review') {
      const no = url.searchParams.get('no') ?? '';
      return sendHtml(res, page('audit', '审核', `<h3>审核退款：${esc(no)}</h3><form method="post" action="/audit/review?no=${esc(no)}">
        <p>审核意见：<input name="opinion" size="30"></p><p><label><input type="radio" name="decision" value="agree"> 同意</label> <label><input type="radio" name="decision" value="reject"> 不同意</label></p><button type="submit">提交</button></form>`)), true;
    }
    if (req.method === 'POST' && p === '/audit/review') {
      const f = await form(req);
      const no = url.searchParams.get('no') ?? '';
      if (f.get('decision') !== 'agree') return redirect(res, '/audit'), true;
      const r = backend.refund(no);
      return redirect(res, typeof r === 'string' ? '/audit' : `/refund-receipt?no=${no}`), true;
    }
    if (p === '/favicon.ico') return res.writeHead(404).end(), true;
    return sendHtml(res, page('home', '404', '页面不存在'), 404), true;
  }

  return {
    id: 'huiyika',
    host: PORTAL_HOST.huiyika,
    handle: handle,
    variant: 'huiyika-server',
    portal: 'huiyika',
    backend,
    state: () => ({ orders: backend.orders }),
  };
}
