import type { PortalDefinitionInput } from './types';

/**
 * 国惠健康 (webpos.guohuijiankang.com), seed 000 §四: a vue-element-admin web-POS. Goods are
 * picked from a search-as-you-type list (the option showing the barcode) or a hit list (the row's
 * own button), price and quantity set
 * per line, the store order number goes in 备注/门店单号, then 「去收款」 opens 会员验证, where the
 * extension stops: the member's card or code and password are the customer's.
 */
const lines = { columns: ['条码', '数量'] };

export const guohui: PortalDefinitionInput = {
  id: 'guohui',
  name: '国惠健康',
  // its own spelling of the store order number field
  lexicon: { storeOrderNo: ['备注/门店单号'] },
  targets: {
    searchBox: [
      { by: 'placeholder', value: '商品名称/条码' },
      { by: 'placeholder', value: '条码' },
    ],
    storeOrderNo: [
      { by: 'label', value: '备注/门店单号' },
      { by: 'label', value: '门店单号' },
      { by: 'placeholder', value: '门店销售单号' },
    ],
    payButton: [{ by: 'text', value: '去收款' }],
    memberStep: [
      { by: 'label', value: '卡号/付款码' },
      { by: 'placeholder', value: '输入卡号' },
    ],
  },
  describe: {
    searchBox: '商品搜索框',
    storeOrderNo: '备注/门店单号输入框',
    payButton: '「去收款」按钮',
    memberStep: '会员验证窗口',
  },
  sale: {
    lines: 'each',
    steps: [
      { do: 'waitFor', target: 'searchBox' },
      {
        do: 'eachLine',
        steps: [
          { do: 'fill', target: 'searchBox', value: '{line.code}', keepFocus: true },
          // the drop-down option showing the barcode, or (a search form) the hit row's own 「选择」
          { do: 'addGoods', code: '{line.code}', cart: lines, cartColumn: '条码', submit: 'searchBox' },
          { do: 'fillCell', table: lines, rowColumn: '条码', rowEquals: '{line.code}', column: '单价', value: '{line.unitYuan}' },
          { do: 'fillCell', table: lines, rowColumn: '条码', rowEquals: '{line.code}', column: '数量', value: '{line.qty}' },
        ],
      },
      { do: 'fill', target: 'storeOrderNo', value: '{ticket.orderNo}' },
      // 「去收款」 opens 会员验证; a one-page till shows the member's fields already
      {
        do: 'branch',
        cases: [
          { when: { visible: 'memberStep' }, steps: [] },
          { when: { visible: 'payButton' }, steps: [{ do: 'click', target: 'payButton' }, { do: 'waitFor', target: 'memberStep' }] },
        ],
      },
    ],
  },
  capture: [
    {
      id: 'guohui.sale',
      kind: 'sale',
      outcome: 'success',
      marker: '收款成功',
      fields: {
        vendorOrderNo: ['交易流水号', '交易单号', '支付单号'],
        storeOrderNo: ['门店单号'],
        totalFen: ['订单金额'],
        cardFen: ['实付金额'],
        cardNumber: ['会员卡号'],
        settledAt: ['收款时间'],
      },
      required: ['vendorOrderNo', 'totalFen'],
    },
    { id: 'guohui.sale-failed', kind: 'sale', outcome: 'failed', marker: '收款失败', fields: {}, required: [] },
  ],
  forbidden: { fill: ['密码', '卡号', '付款码', '现金'], click: ['确认收款'] },
  stepTimeoutMs: 12_000,
};
