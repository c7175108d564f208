import type { PortalDefinitionInput } from './types';

/**
 * 慧医卡 (webpos.huiyika.com), seed 001: an older, server-rendered web-POS. One goods line is
 * sold at the amount collected: search the goods (settings: goodsName, default 感冒颗粒), 「选择」,
 * set 单价 to the ticket total, 「结算」, and stop at the payment choice (卡号/密码 — the customer's
 * password — or 扫码支付 on the customer's phone). Searching and choosing load new pages: those
 * steps say `navigates`, and the engine picks the flow up on the next page.
 * Refunds need an approval (订单审核退款 → 同意); only the approved refund is captured. A refund
 * of a sale from an earlier calendar month is stopped at the 「退款」 click (seed 001).
 */
// seed 001: 点击选中药品名称 — hits are picked by their goods name; the chosen goods, when listed
const chosen = { columns: ['商品名称', '数量'] };

export const huiyika: PortalDefinitionInput = {
  id: 'huiyika',
  name: '慧医卡',
  defaults: { goodsName: '感冒颗粒' },
  startPage: '首页',
  targets: {
    // seed 001: 点击输入商品关键字搜索 … 点击“搜索”
    searchBox: [
      { by: 'placeholder', value: '商品关键字' },
      { by: 'label', value: '商品关键字' },
      { by: 'css', value: 'input[name=goodsName]' },
    ],
    searchButton: [
      { by: 'text', value: '搜索' },
      { by: 'text', value: '查询' },
    ],
    // seed 001: 将价格修改为本次收款的金额
    priceField: [
      { by: 'label', value: '价格' },
      { by: 'label', value: '单价' },
      { by: 'placeholder', value: '价格' },
    ],
    settleButton: [{ by: 'text', value: '结算' }],
    paymentChoice: [
      { by: 'label', value: '卡号/密码' },
      { by: 'text', value: '卡号/密码' },
      { by: 'text', value: '扫码支付' },
    ],
  },
  describe: {
    searchBox: '商品名称搜索框',
    searchButton: '「搜索」按钮',
    priceField: '价格输入框',
    settleButton: '「结算」按钮',
    paymentChoice: '支付方式（卡号/密码、扫码支付）',
  },
  sale: {
    lines: 'single',
    steps: [
      { do: 'fill', target: 'searchBox', value: '{portal.goodsName}' },
      { do: 'click', target: 'searchButton', navigates: true },
      // the hit whose name is exactly the goods (not 小儿感冒颗粒): its 「选择」 or the name itself
      { do: 'addGoods', name: '{portal.goodsName}', cart: chosen, cartColumn: '商品名称', navigates: true },
      // the chosen goods' 价格: a form field, or the cell of its row in the chosen-goods list
      {
        do: 'branch',
        cases: [
          { when: { visible: 'priceField' }, steps: [{ do: 'fill', target: 'priceField', value: '{ticket.totalYuan}' }] },
          {
            when: { row: { table: chosen, column: '商品名称', equals: '{portal.goodsName}' } },
            steps: [{ do: 'fillCell', table: chosen, rowColumn: '商品名称', rowEquals: '{portal.goodsName}', column: '价格', value: '{ticket.totalYuan}' }],
          },
        ],
      },
      { do: 'click', target: 'settleButton', navigates: true },
      { do: 'waitFor', target: 'paymentChoice' },
    ],
  },
  capture: [
    {
      id: 'huiyika.sale',
      kind: 'sale',
      outcome: 'success',
      marker: '支付成功',
      fields: { vendorOrderNo: ['订单号'], totalFen: ['支付金额'], cardNumber: ['卡号'], settledAt: ['交易时间'] },
      required: ['vendorOrderNo', 'totalFen'],
    },
    { id: 'huiyika.sale-failed', kind: 'sale', outcome: 'failed', marker: '支付失败', fields: {}, required: [] },
    {
      id: 'huiyika.refund',
      kind: 'refund',
      outcome: 'success',
      marker: '退款成功',
      fields: { vendorOrderNo: ['退款单号'], originalVendorOrderNo: ['原订单号'], totalFen: ['退款金额'] },
      required: ['vendorOrderNo', 'originalVendorOrderNo'],
    },
  ],
  guards: [
    {
      id: 'huiyika.refund-same-month',
      button: '退款',
      table: { columns: ['订单号', '交易时间'] },
      timeColumn: '交易时间',
      rule: 'same-month',
      code: 'REFUND_CROSS_MONTH',
    },
  ],
  forbidden: {
    fill: ['密码', '卡号', '现金'],
    click: ['确认支付'],
  },
  stepTimeoutMs: 15_000,
};
