// 博明卡 variant "antd": an Ant Design look (ant-steps, ant-table, ant-modal, ant-radio-button) in
// React with controlled inputs. Goods are found with a 「商品查询」 box and a 「查 询」 button; each hit
// row has its own 「添加」; the cart says 零售价 / 件数 / 金额（元）; the store's order number is an
// 外部单号; the customer pays by 身份证, 英大二维码 or 博明小管家 (seed 000 §二); a 「收银成功」 modal
// shows the 订单编号.
/* global React, ReactDOM, htm */
const html = htm.bind(React.createElement);
const { useState, useEffect } = React;
const yuan = (fen) => (fen / 100).toFixed(2);
const toFen = (t) => {
  const n = Number(String(t).trim());
  return Number.isFinite(n) && String(t).trim() !== '' ? Math.round(n * 100) : NaN;
};
const api = async (path, body) =>
  (await fetch(path, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();

function Steps({ current }) {
  const titles = ['选择商品', '填写订单', '顾客支付', '收银成功'];
  return html`<div className="ant-steps ant-steps-horizontal">${titles.map((t, i) => html`
    <div key=${t} className=${`ant-steps-item ${i < current ? 'ant-steps-item-finish' : i === current ? 'ant-steps-item-process ant-steps-item-active' : 'ant-steps-item-wait'}`}>
      <div className="ant-steps-item-container"><span className="ant-steps-item-icon">${i + 1}</span><span className="ant-steps-item-title">${t}</span></div>
    </div>`)}</div>`;
}

function Modal({ title, children, footer }) {
  return ReactDOM.createPortal(html`<div className="ant-modal-root"><div className="ant-modal-mask"></div>
    <div className="ant-modal-wrap" role="dialog"><div className="ant-modal"><div className="ant-modal-content">
      <div className="ant-modal-header"><div className="ant-modal-title">${title}</div></div>
      <div className="ant-modal-body">${children}</div>
      <div className="ant-modal-footer">${footer}</div>
    </div></div></div></div>`, document.body);
}

function Cashier() {
  const [step, setStep] = useState(0);
  const [keyword, setKeyword] = useState('');
  const [hits, setHits] = useState(null);
  const [cart, setCart] = useState([]);
  const [outerNo, setOuterNo] = useState('');
  const [remark, setRemark] = useState('');
  const [payType, setPayType] = useState('idcard');
  const [credential, setCredential] = useState('');
  const [password, setPassword] = useState('');
  const [message, setMessage] = useState('');
  const [result, setResult] = useState(null);
  const [busy, setBusy] = useState(false);
  const total = cart.reduce((s, l) => s + (Number.isFinite(toFen(l.price)) ? toFen(l.price) * (Number(l.qty) || 0) : 0), 0);
  useEffect(() => {
    window.__variant = { state: () => ({ step, cart, outerNo, credential }) };
  });
  const flash = (m) => { setMessage(m); setTimeout(() => setMessage(''), 2500); };
  async function search(e) {
    e.preventDefault();
    const r = await api(`/api/goods?q=${encodeURIComponent(keyword.trim())}`);
    setHits(r.data);
  }
  function add(g) {
    setCart((c) => c.some((l) => l.barcode === g.barcode)
      ? c.map((l) => (l.barcode === g.barcode ? { ...l, qty: String(Number(l.qty) + 1) } : l))
      : [...c, { barcode: g.barcode, name: g.name, price: yuan(g.priceFen), qty: '1' }]);
  }
  const setLine = (i, patch) => setCart((c) => c.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  function next() {
    if (step === 0) {
      if (!cart.length) return flash('请先添加商品');
      if (cart.some((l) => !Number.isFinite(toFen(l.price)) || !(Number(l.qty) >= 1))) return flash('请检查零售价和件数');
      setStep(1);
    } else if (step === 1) {
      if (!outerNo.trim()) return flash('请输入外部单号');
      setStep(2);
    }
  }
  async function pay() {
    if (!credential.trim() || !password) return flash('请输入证件号/付款码和支付密码');
    setBusy(true);
    const r = await api('/api/orders', {
      lines: cart.map((l) => ({ barcode: l.barcode, qty: Number(l.qty), unitFen: toFen(l.price) })),
      storeOrderNo: outerNo,
      credential,
      password,
      cashFen: 0,
    });
    setBusy(false);
    setPassword('');
    if (r.code !== 0) return flash(`收款失败：${r.msg}`);
    setResult(r.data);
    setStep(3);
  }
  function reset() {
    setStep(0); setCart([]); setHits(null); setOuterNo(''); setRemark(''); setCredential(''); setResult(null); setKeyword('');
  }
  const payLabels = { idcard: ['身份证号码', '请输入身份证号码'], yingda: ['英大二维码', '请扫描顾客出示的英大黑色二维码'], bm: ['小管家码', '请扫描博明小管家二维码'] };
  return html`<div>
    ${message && html`<div className="ant-message"><div className="ant-message-notice-content">${message}</div></div>`}
    <div className="ant-card"><${Steps} current=${step} /></div>
    ${step === 0 && html`<div className="ant-card">
      <form className="ant-form ant-form-inline" onSubmit=${search} style=${{ display: 'flex', gap: '8px', alignItems: 'center' }}>
        <div className="ant-form-item"><div className="ant-form-item-label"><label htmlFor="goodsKw">商品查询</label></div>
          <input id="goodsKw" className="ant-input" style=${{ width: '300px' }} placeholder="请输入商品编码/名称" value=${keyword} onChange=${(e) => setKeyword(e.target.value)} /></div>
        <div className="ant-form-item"><button type="submit" className="ant-btn ant-btn-primary"><span>查 询</span></button></div>
      </form>
      ${hits && html`<table className="ant-table"><thead className="ant-table-thead"><tr><th>商品编码</th><th>商品名称</th><th>规格</th><th>生产企业</th><th>零售价</th><th>操作</th></tr></thead>
        <tbody className="ant-table-tbody">${hits.length === 0 ? html`<tr className="ant-table-placeholder"><td colSpan="6">暂无数据</td></tr>` : hits.map((g) => html`<tr key=${g.barcode} className="ant-table-row">
          <td>${g.barcode}</td><td>${g.name}</td><td>${g.spec}</td><td>${g.maker}</td><td>${yuan(g.priceFen)}</td>
          <td><button type="button" className="ant-btn ant-btn-link" onClick=${() => add(g)}><span>添加</span></button></td></tr>`)}</tbody></table>`}
      <h4 style=${{ marginTop: '20px' }}>已选商品</h4>
      <table className="ant-table"><thead className="ant-table-thead"><tr><th>商品名称</th><th>条码</th><th>零售价</th><th>件数</th><th>金额（元）</th><th>操作</th></tr></thead>
        <tbody className="ant-table-tbody">${cart.length === 0 ? html`<tr className="ant-table-placeholder"><td colSpan="6">暂无数据</td></tr>` : cart.map((l, i) => html`<tr key=${l.barcode} className="ant-table-row">
          <td>${l.name}</td><td>${l.barcode}</td>
          <td><div className="ant-input-number"><input className="ant-input-number-input" role="spinbutton" value=${l.price} onChange=${(e) => setLine(i, { price: e.target.value })} /></div></td>
          <td><div className="ant-input-number"><input className="ant-input-number-input" role="spinbutton" value=${l.qty} onChange=${(e) => setLine(i, { qty: e.target.value.replace(/\D/g, '') })} /></div></td>
          <td>${Number.isFinite(toFen(l.price)) ? yuan(toFen(l.price) * (Number(l.qty) || 0)) : '-'}</td>
          <td><button type="button" className="ant-btn ant-btn-link" onClick=${() => setCart((c) => c.filter((_, j) => j !== i))}><span>移除</span></button></td></tr>`)}</tbody></table>
      <div className="total">合计金额：<b>¥${yuan(total)}</b></div>
      <div style=${{ textAlign: 'center', marginTop: '16px' }}><button type="button" className="ant-btn ant-btn-primary" onClick=${next}><span>下一步</span></button></div>
    </div>`}
    ${step === 1 && html`<div className="ant-card">
      <div className="ant-form-item"><div className="ant-form-item-label"><label htmlFor="outerNo" className="ant-form-item-required">外部单号</label></div>
        <input id="outerNo" className="ant-input" style=${{ width: '320px' }} placeholder="请输入收银系统单号" value=${outerNo} onChange=${(e) => setOuterNo(e.target.value)} /></div>
      <div className="ant-form-item"><div className="ant-form-item-label"><label htmlFor="remark">备注</label></div>
        <input id="remark" className="ant-input" style=${{ width: '320px' }} placeholder="选填" value=${remark} onChange=${(e) => setRemark(e.target.value)} /></div>
      <div className="ant-form-item"><div className="ant-form-item-label"><label>应收金额</label></div><span>¥${yuan(total)}</span></div>
      <div style=${{ textAlign: 'center' }}><button type="button" className="ant-btn" onClick=${() => setStep(0)}><span>上一步</span></button><button type="button" className="ant-btn ant-btn-primary" onClick=${next}><span>下一步</span></button></div>
    </div>`}
    ${step === 2 && html`<div className="ant-card">
      <div className="ant-form-item"><div className="ant-form-item-label"><label>支付方式</label></div>
        <div className="ant-radio-group ant-radio-group-outline">${[['idcard', '身份证'], ['yingda', '英大二维码'], ['bm', '博明小管家']].map(([v, t]) => html`
          <label key=${v} className=${`ant-radio-button-wrapper ${payType === v ? 'ant-radio-button-wrapper-checked' : ''}`}>
            <span className="ant-radio-button"><input type="radio" className="ant-radio-button-input" checked=${payType === v} onChange=${() => setPayType(v)} /></span><span>${t}</span></label>`)}</div></div>
      <div className="ant-form-item"><div className="ant-form-item-label"><label htmlFor="cred">${payLabels[payType][0]}</label></div>
        <input id="cred" className="ant-input" style=${{ width: '320px' }} placeholder=${payLabels[payType][1]} value=${credential} onChange=${(e) => setCredential(e.target.value)} /></div>
      <div className="ant-form-item"><div className="ant-form-item-label"><label htmlFor="pwd">支付密码</label></div>
        <input id="pwd" type="password" className="ant-input" style=${{ width: '320px' }} placeholder="请顾客输入支付密码" value=${password} onChange=${(e) => setPassword(e.target.value)} /></div>
      <div className="ant-form-item"><div className="ant-form-item-label"><label>收款金额</label></div><span>¥${yuan(total)}</span></div>
      <div style=${{ textAlign: 'center' }}><button type="button" className="ant-btn" onClick=${() => setStep(1)}><span>上一步</span></button><button type="button" className="ant-btn ant-btn-primary" disabled=${busy} onClick=${pay}><span>确认收款</span></button></div>
    </div>`}
    ${step === 3 && result && html`<${Modal} title="收银成功" footer=${html`<button type="button" className="ant-btn">打 印</button><button type="button" className="ant-btn ant-btn-primary" onClick=${reset}><span>完 成</span></button>`}>
      <table className="ant-descriptions-view"><tbody>
        <tr className="ant-descriptions-row"><th className="ant-descriptions-item-label">订单编号</th><td className="ant-descriptions-item-content">${result.vendorOrderNo}</td></tr>
        <tr className="ant-descriptions-row"><th className="ant-descriptions-item-label">外部单号</th><td className="ant-descriptions-item-content">${result.storeOrderNo}</td></tr>
        <tr className="ant-descriptions-row"><th className="ant-descriptions-item-label">实收金额</th><td className="ant-descriptions-item-content">¥${yuan(result.cardFen)}</td></tr>
        <tr className="ant-descriptions-row"><th className="ant-descriptions-item-label">支付账户</th><td className="ant-descriptions-item-content">${result.credentialMasked}</td></tr>
        <tr className="ant-descriptions-row"><th className="ant-descriptions-item-label">收款时间</th><td className="ant-descriptions-item-content">${result.paidAt}</td></tr>
      </tbody></table>
    <//>`}
  </div>`;
}

function Orders() {
  const [rows, setRows] = useState([]);
  useEffect(() => { api('/api/orders').then((r) => setRows(r.data)); }, []);
  return html`<div className="ant-card"><table className="ant-table"><thead className="ant-table-thead"><tr><th>订单编号</th><th>外部单号</th><th>实收金额</th><th>收款时间</th><th>状态</th></tr></thead>
    <tbody className="ant-table-tbody">${rows.map((o) => html`<tr key=${o.vendorOrderNo}><td>${o.vendorOrderNo}</td><td>${o.storeOrderNo}</td><td>${yuan(o.cardFen)}</td><td>${o.paidAt}</td><td>${o.status === 'paid' ? '已支付' : '已退款'}</td></tr>`)}</tbody></table></div>`;
}

function App() {
  const [page, setPage] = useState(location.pathname === '/orders' ? 'orders' : 'cashier');
  const go = (p) => { history.pushState(null, '', p === 'orders' ? '/orders' : '/cashier'); setPage(p); };
  return html`<div className="ant-layout ant-layout-has-sider">
    <aside className="ant-layout-sider ant-layout-sider-dark"><div className="logo">博明收银台</div>
      <ul className="ant-menu ant-menu-dark ant-menu-inline" role="menu">
        <li role="menuitem" className=${`ant-menu-item ${page === 'cashier' ? 'ant-menu-item-selected' : ''}`} onClick=${() => go('cashier')}>网页收银</li>
        <li role="menuitem" className=${`ant-menu-item ${page === 'orders' ? 'ant-menu-item-selected' : ''}`} onClick=${() => go('orders')}>订单查询</li>
      </ul></aside>
    <main className="ant-layout-content">${page === 'cashier' ? html`<${Cashier} />` : html`<${Orders} />`}</main>
  </div>`;
}

ReactDOM.createRoot(document.getElementById('root')).render(html`<${App} />`);
