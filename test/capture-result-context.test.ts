// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { inResultContext, markerInResultContext } from '@/shared/engine/result-context';

/**
 * Issue 10: a result marker counts only where a payment's outcome is reported (a dialog, toast,
 * alert, a result page), never in a list or a table of past orders.
 */
function page(html: string): Document {
  document.body.innerHTML = html;
  return document;
}
function markerIn(doc: Document, text: string): Element[] {
  return Array.from(doc.body.querySelectorAll('*')).filter((el) => Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent?.includes(text)));
}

describe('inResultContext', () => {
  it('does not count 交易失败 / 支付成功 in the rows of an order list or table', () => {
    const doc = page(`
      <div class="ryt-query"><div class="el-table"><table><tbody>
        <tr><td>RYT001</td><td><span class="el-tag">交易失败</span></td></tr>
        <tr><td>RYT002</td><td><span class="el-tag">支付成功</span></td></tr>
      </tbody></table></div>
      <ul class="orders"><li>RYT003 支付失败</li></ul>
      <div role="grid"><div role="row"><div role="gridcell">收款失败</div></div></div></div>`);
    for (const text of ['交易失败', '支付成功', '支付失败', '收款失败']) {
      for (const el of markerIn(doc, text)) expect(inResultContext(el), text).toBe(false);
      expect(markerInResultContext(doc, text), text).toBe(false);
    }
  });

  it('counts a marker in a dialog, a message box, a toast or an alert', () => {
    const doc = page(`
      <div class="el-dialog" role="dialog"><header>交易失败</header></div>
      <div class="el-message el-message--error"><p>支付失败：余额不足</p></div>
      <div role="alert">收款失败</div>
      <div class="layui-layer"><div class="layui-layer-content">退款失败</div></div>
      <div id="yf-toast-box"><div class="yf-toast yf-toast-error">扣款失败</div></div>`);
    for (const text of ['交易失败', '支付失败', '收款失败', '退款失败', '扣款失败']) {
      expect(markerIn(doc, text).map(inResultContext), text).toEqual([true]);
    }
  });

  it('counts a receipt laid out as a table inside a dialog (the dialog decides)', () => {
    const doc = page(`<div class="el-dialog"><table class="el-descriptions"><tr><td>状态</td><td>交易成功</td></tr></table></div>`);
    expect(markerIn(doc, '交易成功').map(inResultContext)).toEqual([true]);
  });

  it('counts a result page of its own (a heading, no list around it)', () => {
    const doc = page(`<main><div class="result-title"><span>✔</span>支付成功</div><p>订单号：HYK001</p></main>`);
    expect(markerIn(doc, '支付成功').map(inResultContext)).toEqual([true]);
    expect(markerInResultContext(doc, '支付成功')).toBe(true);
  });

  it('a class on <body> saying a popup is open does not turn the page into a result region', () => {
    const doc = page(`<div class="el-table"><table><tr><td>交易失败</td></tr></table></div>`);
    doc.body.className = 'el-popup-parent--hidden modal-open';
    expect(markerIn(doc, '交易失败').map(inResultContext)).toEqual([false]);
  });

  it('a search-result panel around a table of orders is still a table of records', () => {
    const doc = page(`<div class="search-result"><table class="order-result-list"><tr><th>单号</th><th>状态</th></tr><tr><td>1</td><td>支付失败</td></tr></table></div>`);
    expect(markerIn(doc, '支付失败').map(inResultContext)).toEqual([false]);
  });

  it('one row of orders under a header in a separate table (split header/body tables) is a record', () => {
    const doc = page(`<div class="grid"><table><thead><tr><th>状态</th></tr></thead></table><table class="body"><tbody><tr><td>交易失败</td></tr><tr><td>成功</td></tr></tbody></table></div>`);
    expect(markerIn(doc, '交易失败').map(inResultContext)).toEqual([false]);
  });

  it('a one-row layout table around a server-rendered result page is no list', () => {
    const doc = page(`<table id="frame"><tr><td id="sidebar">菜单</td><td id="main"><div class="result-box"><div class="result-title">支付成功</div><table class="detail-table"><tr><td>订单号：</td><td>HYK001</td></tr><tr><td>支付金额：</td><td>¥26.00</td></tr></table><table class="goods"><tr><th>商品</th></tr><tr><td>感冒颗粒</td></tr></table></div></td></tr></table>`);
    expect(markerIn(doc, '支付成功').map(inResultContext)).toEqual([true]);
  });

  it('a select option of a status filter is not a result', () => {
    const doc = page(`<select><option>收款成功</option><option>收款失败</option></select>`);
    expect(markerIn(doc, '收款失败').map(inResultContext)).toEqual([false]);
  });
});
