// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { markersOf, readCaptures, type CaptureRule } from '@/shared/engine/capture';

/** A sale's result under the common words (收银成功, 支付成功, a 消费小票 page), after the provider's own marker. */
const saleRule: CaptureRule = {
  id: 'p.sale',
  kind: 'sale',
  outcome: 'success',
  marker: '收款成功',
  fields: { vendorOrderNo: ['交易单号'], totalFen: ['订单金额'] },
  required: ['vendorOrderNo', 'totalFen'],
};

describe('sale result markers beyond the provider’s own', () => {
  it('lists the provider’s marker first; refunds keep their own only', () => {
    expect(markersOf(saleRule)[0]).toBe('收款成功');
    expect(markersOf(saleRule)).toEqual(expect.arrayContaining(['收银成功', '支付成功', '消费小票']));
    expect(markersOf({ ...saleRule, kind: 'refund', marker: '退款成功' })).toEqual(['退款成功']);
    expect(markersOf({ ...saleRule, outcome: 'failed', marker: '收款失败' })).toEqual(expect.arrayContaining(['收款失败', '支付失败']));
  });

  it('reads a 「收银成功」 dialog with 订单编号 and 实收金额', () => {
    document.body.innerHTML = `<div class="ant-modal-wrap" role="dialog"><div class="ant-modal-title">收银成功</div>
      <table><tbody><tr><th>订单编号</th><td>BM2026120800001</td></tr><tr><th>外部单号</th><td>XV1</td></tr><tr><th>实收金额</th><td>¥53.00</td></tr></tbody></table></div>`;
    const [found, ...more] = readCaptures(document, saleRule);
    expect(more).toEqual([]);
    expect(found?.capture).toMatchObject({ vendorOrderNo: 'BM2026120800001', totalFen: 5300, storeOrderNo: 'XV1' });
  });

  it('reads values printed as 「label：<span>value</span>」 in a layer titled 「支付成功」', () => {
    document.body.innerHTML = `<div class="layui-layer layui-layer-dialog"><div class="layui-layer-title">支付成功</div><div class="layui-layer-content">
      <p>交易流水号：<span>GH2026120800001</span></p><p>支付金额：<span>¥49.80</span></p></div></div>`;
    const [found] = readCaptures(document, saleRule);
    expect(found?.capture).toMatchObject({ vendorOrderNo: 'GH2026120800001', totalFen: 4980 });
  });

  it('does not read an order list’s 支付成功 rows as a result', () => {
    document.body.innerHTML = `<table class="el-table"><thead><tr><th>交易流水号</th><th>订单金额</th><th>状态</th></tr></thead>
      <tbody><tr><td>GH1</td><td>49.80</td><td>支付成功</td></tr></tbody></table>`;
    expect(readCaptures(document, saleRule)).toEqual([]);
  });
});
