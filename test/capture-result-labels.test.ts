// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { readCaptures, withResultLabels, type CaptureRule } from '@/shared/engine/capture';

const saleRule: CaptureRule = {
  id: 'p.sale',
  kind: 'sale',
  outcome: 'success',
  marker: '交易成功',
  fields: { vendorOrderNo: ['交易流水号'], totalFen: ['交易金额'], cardFen: ['卡支付'] },
  required: ['vendorOrderNo', 'totalFen'],
};

function page(html: string): Document {
  document.body.innerHTML = html;
  return document;
}

describe('sale results read with the common result labels after the provider’s own', () => {
  it('keeps the provider’s words first and adds the common ones; refunds keep their own', () => {
    const fields = withResultLabels(saleRule);
    expect(fields.totalFen?.slice(0, 2)).toEqual(['交易金额', '订单金额']);
    expect(fields.cardFen).toContain('商保支付');
    expect(fields.vendorOrderNo).not.toContain('订单号');
    expect(withResultLabels({ ...saleRule, kind: 'refund' })).toBe(saleRule.fields);
  });

  it('reads a result dialog that says 订单金额 and 商保支付 where the provider says 交易金额 and 卡支付', () => {
    const doc = page(`<div role="dialog"><h2>交易成功</h2><dl>
      <dt>交易流水号</dt><dd>RY2026120800001</dd><dt>门店订单号</dt><dd>XS250328263695</dd>
      <dt>订单金额</dt><dd>¥61.00</dd><dt>商保支付</dt><dd>¥50.00</dd><dt>现金支付</dt><dd>¥11.00</dd></dl></div>`);
    const [match] = readCaptures(doc, saleRule);
    expect(match?.capture).toMatchObject({ vendorOrderNo: 'RY2026120800001', storeOrderNo: 'XS250328263695', totalFen: 6100, cardFen: 5000, cashFen: 1100 });
  });
});
