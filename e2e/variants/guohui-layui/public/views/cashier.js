// 国惠健康 variant "layui": the work area is an <iframe> tab of a layui admin shell. Search box
// 「商品查询」 + 「查询」, a 「选择」 button in each hit row, cart headers with unit suffixes
// (单价(元), 数量(盒), 小计(元)), the store's number is a 小票号, the result is a layer popup
// 「支付成功」 showing the 交易流水号.
const $ = (s) => document.querySelector(s);
const yuan = (fen) => (fen / 100).toFixed(2);
const toFen = (t) => (String(t).trim() === '' || !Number.isFinite(Number(t)) ? NaN : Math.round(Number(t) * 100));
const api = async (path, body) =>
  (await fetch(path, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/** @type {Array<{ barcode: string, name: string, price: string, qty: string }>} */
const cart = [];
let hits = [];

function msg(text) {
  const el = document.createElement('div');
  el.className = 'layui-layer layui-layer-msg';
  el.innerHTML = `<div class="layui-layer-content">${esc(text)}</div>`;
  document.body.appendChild(el);
  setTimeout(() => el.remove(), 2500);
}

function renderHits() {
  const table = $('#hits');
  table.style.display = '';
  table.tBodies[0].innerHTML = hits.length === 0 ? '<tr><td colspan="6">无数据</td></tr>' : hits.map((g, i) =>
    `<tr><td>${esc(g.name)}</td><td>${g.barcode}</td><td>${esc(g.spec)}</td><td>${esc(g.maker)}</td><td>${yuan(g.priceFen)}</td><td><button type="button" class="layui-btn layui-btn-xs" data-pick="${i}">选择</button></td></tr>`).join('');
}

function renderCart() {
  const body = $('#cart').tBodies[0];
  body.innerHTML = cart.length === 0 ? '<tr><td colspan="7">购物车为空</td></tr>' : cart.map((l, i) =>
    `<tr data-index="${i}"><td>${i + 1}</td><td>${esc(l.name)}</td><td>${l.barcode}</td>
      <td><input class="layui-input" data-field="price" value="${esc(l.price)}"></td>
      <td><input class="layui-input" data-field="qty" type="number" min="1" value="${esc(l.qty)}"></td>
      <td class="sub">${lineText(l)}</td>
      <td><button type="button" class="layui-btn layui-btn-xs layui-btn-danger" data-remove="${i}">删除</button></td></tr>`).join('');
  updateTotal();
}
const lineText = (l) => (Number.isFinite(toFen(l.price)) ? yuan(toFen(l.price) * (Number(l.qty) || 0)) : '-');
function updateTotal() {
  $('#total').textContent = yuan(cart.reduce((s, l) => s + (Number.isFinite(toFen(l.price)) ? toFen(l.price) * (Number(l.qty) || 0) : 0), 0));
}

$('#searchForm').addEventListener('submit', async () => {
  const q = $('#kw').value.trim();
  if (!q) return msg('请输入查询条件');
  hits = (await api(`/api/goods?q=${encodeURIComponent(q)}`)).data;
  renderHits();
});
$('#hits').addEventListener('click', (e) => {
  const i = e.target.closest('[data-pick]')?.dataset.pick;
  if (i === undefined) return;
  const g = hits[Number(i)];
  const have = cart.find((l) => l.barcode === g.barcode);
  if (have) have.qty = String(Number(have.qty) + 1);
  else cart.push({ barcode: g.barcode, name: g.name, price: yuan(g.priceFen), qty: '1' });
  renderCart();
  msg('已加入购物车');
});
$('#cart').addEventListener('input', (e) => {
  const input = e.target.closest('input[data-field]');
  if (!input) return;
  const row = input.closest('tr');
  const line = cart[Number(row.dataset.index)];
  line[input.dataset.field] = input.value;
  row.querySelector('.sub').textContent = lineText(line);
  updateTotal();
});
$('#cart').addEventListener('click', (e) => {
  const i = e.target.closest('[data-remove]')?.dataset.remove;
  if (i === undefined) return;
  cart.splice(Number(i), 1);
  renderCart();
});

function resultLayer(order) {
  const shade = document.createElement('div');
  shade.className = 'layui-layer-shade';
  const layer = document.createElement('div');
  layer.className = 'layui-layer layui-layer-dialog';
  layer.innerHTML = `<div class="layui-layer-title">支付成功</div>
    <div class="layui-layer-content">
      <p>交易流水号：<span>${order.vendorOrderNo}</span></p>
      <p>小票号：<span>${esc(order.storeOrderNo)}</span></p>
      <p>支付金额：<span>¥${yuan(order.cardFen)}</span></p>
      <p>卡号：<span>${order.credentialMasked}</span></p>
      <p>支付时间：<span>${order.paidAt}</span></p>
    </div>
    <div class="layui-layer-btn"><a class="layui-layer-btn0">确定</a></div>`;
  document.body.append(shade, layer);
  layer.querySelector('.layui-layer-btn0').onclick = () => {
    shade.remove();
    layer.remove();
    cart.length = 0;
    renderCart();
    $('#hits').style.display = 'none';
    for (const id of ['#kw', '#ticketNo', '#card', '#pwd']) if ($(id)) $(id).value = '';
  };
}

$('#payBtn').addEventListener('click', async () => {
  if (cart.length === 0) return msg('请先选择商品');
  if (cart.some((l) => !Number.isFinite(toFen(l.price)) || !(Number(l.qty) >= 1))) return msg('请检查单价和数量');
  const ticket = $('#ticketNo');
  if (ticket && !ticket.value.trim()) return msg('请输入小票号');
  if (!$('#card').value.trim() || !$('#pwd').value) return msg('请刷卡并输入密码');
  $('#payBtn').disabled = true;
  const r = await api('/api/orders', {
    lines: cart.map((l) => ({ barcode: l.barcode, qty: Number(l.qty), unitFen: toFen(l.price) })),
    storeOrderNo: ticket ? ticket.value : '',
    credential: $('#card').value,
    password: $('#pwd').value,
    cashFen: 0,
  });
  $('#payBtn').disabled = false;
  $('#pwd').value = '';
  if (r.code !== 0) return msg(`支付失败：${r.msg}`);
  resultLayer(r.data);
});

renderCart();
// The "broken" variant: this deployment's cashier page has no 小票号 field at all.
api('/api/config').then((c) => { if (c.noStoreOrderNo) $('#ticketItem').remove(); });
window.__variant = { state: () => ({ cart: cart.map((l) => ({ ...l })), ticketNo: $('#ticketNo')?.value ?? null, card: $('#card').value, kw: $('#kw').value }) };
