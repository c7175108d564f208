import type { PortalDefinitionInput } from './types';

/**
 * 博明卡 (bmsy.51fmfit.com): documented only as "web cashier, then 下账 in Yingke" (seed 000 §二).
 * Mapped on a React web-POS: goods by barcode (Enter adds the exact match), price and quantity
 * per line, the store order number, then 「下一步：验证顾客」 opens 顾客验证, where the extension
 * stops — the customer's 英大黑码 / 博明小管家 code or ID card and password are theirs.
 * Every target can be re-mapped from settings ("boming.<target>") the day the site changes.
 */
const lines = { columns: ['条码', '数量'] };

export const boming: PortalDefinitionInput = {
  id: 'boming',
  name: '博明卡',
  targets: {
    searchBox: [
      { by: 'placeholder', value: '条码' },
      { by: 'role', value: 'combobox' },
    ],
    storeOrderNo: [
      { by: 'label', value: '门店订单号' },
      { by: 'placeholder', value: '对账' },
    ],
    verifyButton: [
      { by: 'text', value: '下一步：验证顾客' },
      { by: 'text', value: '下一步' },
    ],
    nextButton: [{ by: 'text', value: '下一步' }],
    customerStep: [
      { by: 'text', value: '英大黑码' },
      { by: 'text', value: '身份证' },
    ],
  },
  describe: {
    searchBox: '商品搜索框',
    storeOrderNo: '门店订单号输入框',
    verifyButton: '「下一步：验证顾客」按钮',
    nextButton: '「下一步」按钮',
    customerStep: '顾客验证窗口',
  },
  sale: {
    lines: 'each',
    steps: [
      { do: 'waitFor', target: 'searchBox' },
      {
        do: 'eachLine',
        steps: [
          { do: 'fill', target: 'searchBox', value: '{line.code}', keepFocus: true },
          { do: 'press', target: 'searchBox', key: 'Enter' },
          // Enter adds the exact match; or the list shows it (a drop-down, a hit row with its own button)
          { do: 'addGoods', code: '{line.code}', cart: lines, cartColumn: '条码', notFound: ['未找到相关商品'] },
        ],
      },
      // Prices and quantities once every goods is in: the search box keeps the focus while goods
      // are added (its list closes a moment after it loses focus, which can swallow the next search).
      {
        do: 'eachLine',
        steps: [
          { do: 'fillCell', table: lines, rowColumn: '条码', rowEquals: '{line.code}', column: '单价', value: '{line.unitYuan}' },
          { do: 'fillCell', table: lines, rowColumn: '条码', rowEquals: '{line.code}', column: '数量', value: '{line.qty}' },
        ],
      },
      // a wizard asks for the store order number on its next step
      {
        do: 'branch',
        cases: [
          { when: { visible: 'storeOrderNo' }, steps: [] },
          { when: { visible: 'nextButton' }, steps: [{ do: 'click', target: 'nextButton' }] },
        ],
      },
      { do: 'fill', target: 'storeOrderNo', value: '{ticket.orderNo}' },
      { do: 'click', target: 'verifyButton' },
      { do: 'waitFor', target: 'customerStep' },
    ],
  },
  capture: [
    {
      id: 'boming.sale',
      kind: 'sale',
      outcome: 'success',
      marker: '支付成功',
      fields: {
        vendorOrderNo: ['交易单号', '交易流水号', '支付单号'],
        storeOrderNo: ['门店订单号'],
        totalFen: ['订单金额'],
        cardFen: ['卡付金额'],
        cashFen: ['现金'],
        cardNumber: ['卡号', '证件号'],
        settledAt: ['支付时间'],
      },
      required: ['vendorOrderNo', 'totalFen'],
    },
    { id: 'boming.sale-failed', kind: 'sale', outcome: 'failed', marker: '支付失败', fields: {}, required: [] },
  ],
  forbidden: { fill: ['密码', '身份证', '二维码', '现金'], click: ['确认支付'] },
  stepTimeoutMs: 12_000,
};
