import type { PortalDefinitionInput } from './types';

/**
 * 员福好管家 (sy.huibaofuda.com), seed 000 §八: only 「网页收银」 and 「收银成功」 are documented,
 * so the sale is taken in either shape a web cashier has, by what the page shows (the engine
 * decides before filling anything, shared/engine/sale-shape.ts):
 *  - amount: 消费金额 = the ticket total, a goods name where the page has one (settings:
 *    goodsName, default 药品), the store order number;
 *  - goods: each ticket line searched by its barcode and put in the order (the engine's addGoods:
 *    a pick list's row by its own button, an option, or already in the cart), price and quantity per line, the store order number, then the button that opens
 *    the card step when the card field is not on the page yet.
 * The extension stops at the card: the card number and the password are the employee's own.
 * A pay form may sit in a same-origin iframe (the engine searches it). Success is a toast, a
 * dialog or a result page; capture reads it while it is up.
 */
const cart = { columns: ['条码', '数量'] };

export const yuanfu: PortalDefinitionInput = {
  id: 'yuanfu',
  defaults: { goodsName: '药品' },
  targets: {
    amount: [
      { by: 'label', value: '消费金额' },
      { by: 'css', value: 'input#amount' },
    ],
    goodsName: [
      { by: 'label', value: '商品名称' },
      { by: 'placeholder', value: '商品名称' },
    ],
    searchBox: [
      { by: 'placeholder', value: '条码' },
      { by: 'label', value: '商品' },
      { by: 'role', value: 'searchbox' },
    ],
    storeOrderNo: [
      { by: 'label', value: '门店订单号' },
      { by: 'placeholder', value: '门店订单号' },
    ],
    searchButton: [{ by: 'text', value: '搜索' }],
    payButton: [{ by: 'text', value: '收款' }],
    cardStep: [
      { by: 'label', value: '员工卡号' },
      { by: 'placeholder', value: '员工卡号' },
    ],
  },
  describe: {
    amount: '消费金额输入框',
    goodsName: '商品名称输入框',
    searchBox: '商品搜索框',
    storeOrderNo: '门店订单号输入框',
    searchButton: '「搜索」按钮',
    payButton: '「收款」按钮',
    cardStep: '员工卡号输入框',
  },
  sale: {
    // an amount box on the page: the amount shape, even where a goods-name box is there too
    name: 'amount',
    when: { visible: 'amount' },
    lines: 'single',
    steps: [
      { do: 'fill', target: 'amount', value: '{ticket.totalYuan}' },
      { do: 'fill', target: 'goodsName', value: '{portal.goodsName}', optional: true },
      { do: 'fill', target: 'storeOrderNo', value: '{ticket.orderNo}' },
      { do: 'waitFor', target: 'cardStep' },
    ],
    alternatives: [
      {
        name: 'goods',
        when: { visible: 'searchBox' },
        lines: 'each',
        steps: [
          {
            do: 'eachLine',
            steps: [
              { do: 'fill', target: 'searchBox', value: '{line.code}' },
              // the page's own 搜索/查询 button where it has one (Enter may search twice: the key and the form), else Enter
              {
                do: 'branch',
                cases: [
                  { when: { visible: 'searchButton' }, steps: [{ do: 'click', target: 'searchButton' }] },
                  { when: { visible: 'searchBox' }, steps: [{ do: 'press', target: 'searchBox', key: 'Enter' }] },
                ],
              },
              // in the order at once, or picked from what the search shows (a hit row's own 「选择」/「添加」, an option)
              { do: 'addGoods', code: '{line.code}', cart, cartColumn: '条码' },
              { do: 'fillCell', table: cart, rowColumn: '条码', rowEquals: '{line.code}', column: '单价', value: '{line.unitYuan}' },
              { do: 'fillCell', table: cart, rowColumn: '条码', rowEquals: '{line.code}', column: '数量', value: '{line.qty}' },
            ],
          },
          { do: 'mark', label: 'goods entered' },
          { do: 'fill', target: 'storeOrderNo', value: '{ticket.orderNo}' },
          {
            do: 'branch',
            cases: [
              // the card field already on the page: stop there, nothing more is pressed
              { when: { visible: 'cardStep' }, steps: [] },
              { when: { visible: 'payButton' }, steps: [{ do: 'click', target: 'payButton' }, { do: 'waitFor', target: 'cardStep' }] },
            ],
          },
        ],
      },
    ],
  },
  capture: [
    {
      id: 'yuanfu.sale',
      kind: 'sale',
      outcome: 'success',
      marker: '支付成功',
      fields: { vendorOrderNo: ['流水号'], totalFen: ['金额'] },
      required: ['vendorOrderNo', 'totalFen'],
    },
    // seed 000 §八's own word for the result
    {
      id: 'yuanfu.sale-cashier',
      kind: 'sale',
      outcome: 'success',
      marker: '收银成功',
      fields: {
        vendorOrderNo: ['交易流水号', '流水号', '交易单号', '支付单号'],
        storeOrderNo: ['门店订单号', '门店单号', '商户订单号'],
        totalFen: ['收款金额', '消费金额', '交易金额'],
        cardNumber: ['员工卡号', '会员卡号', '卡号'],
        settledAt: ['交易时间', '收款时间'],
      },
      required: ['vendorOrderNo', 'totalFen'],
    },
    { id: 'yuanfu.sale-failed', kind: 'sale', outcome: 'failed', marker: '支付失败', fields: {}, required: [] },
    { id: 'yuanfu.sale-cashier-failed', kind: 'sale', outcome: 'failed', marker: '收款失败', fields: {}, required: [] },
  ],
  // 「确认收款」 is the final button of a web cashier: the customer's, never the extension's
  forbidden: { fill: ['密码', '卡号', '现金'], click: ['提交', '确认收款'] },
  stepTimeoutMs: 12_000,
};
