import type { PortalDefinitionInput } from './types';

/**
 * 如医通 (saas.ringnex.com), seed 000 section 十四: 交易申请 → goods by barcode (several hits
 * open a list with 「添加商品」) → price and quantity per line → 「下一步」 → 门店订单号 →
 * 「下一步」 → 录入交易凭证, where the extension stops: the ID card / pay code, the password,
 * 「确认结账」 and the cash part are the cashier's and the customer's.
 */
const cart = { columns: ['条码', '数量'] };
// the pick list of several hits: any table in the open dialog with a barcode column
const hits = { columns: ['条码'] };

export const ruyitong: PortalDefinitionInput = {
  id: 'ruyitong',
  startPage: '交易申请',
  targets: {
    // seed: 在搜索框内输入药品条码，首拼字母，药品名称
    searchBox: [
      { by: 'placeholder', value: '药品条码' },
      { by: 'placeholder', value: '首拼字母' },
      { by: 'placeholder', value: '药品名称' },
      { by: 'label', value: '药品条码' },
      { by: 'role', value: 'searchbox' },
      { by: 'css', value: '.goods-search input' },
    ],
    addGoodsButton: [{ by: 'text', value: '添加商品' }],
    nextButton: [{ by: 'text', value: '下一步' }],
    storeOrderNo: [
      { by: 'label', value: '门店订单号' },
      { by: 'placeholder', value: '门店订单号' },
      { by: 'placeholder', value: '门店pos的订单号' },
    ],
    credentialStep: [
      { by: 'label', value: '身份证' },
      { by: 'placeholder', value: '身份证' },
      { by: 'text', value: '平安企业宝付款码' },
      { by: 'placeholder', value: '付款码' },
    ],
  },
  describe: {
    searchBox: '商品搜索框',
    addGoodsButton: '「添加商品」按钮',
    nextButton: '「下一步」按钮',
    storeOrderNo: '门店订单号输入框',
    credentialStep: '录入交易凭证页面',
  },
  sale: {
    lines: 'each',
    steps: [
      { do: 'waitFor', target: 'searchBox' },
      {
        do: 'eachLine',
        steps: [
          { do: 'fill', target: 'searchBox', value: '{line.code}' },
          { do: 'press', target: 'searchBox', key: 'Enter' },
          {
            do: 'branch',
            cases: [
              // 多条药品记录选择: the row's own 「添加商品」, or tick it and the dialog's 「添加商品」
              {
                when: { row: { table: hits, column: '条码', equals: '{line.code}', in: 'dialog' } },
                steps: [
                  { do: 'pickRow', table: hits, column: '条码', equals: '{line.code}', rowButton: '添加商品', thenClick: 'addGoodsButton' },
                  { do: 'branch', cases: [{ when: { row: { table: cart, column: '条码', equals: '{line.code}', in: 'page' } }, steps: [] }] },
                ],
              },
              { when: { row: { table: cart, column: '条码', equals: '{line.code}', in: 'page' } }, steps: [] },
              { when: { text: '未查询到' }, steps: [{ do: 'fail', code: 'GOODS_NOT_FOUND', subject: '{line.code}' }] },
              { when: { text: '未找到' }, steps: [{ do: 'fail', code: 'GOODS_NOT_FOUND', subject: '{line.code}' }] },
            ],
          },
          { do: 'fillCell', table: cart, rowColumn: '条码', rowEquals: '{line.code}', column: '价格', value: '{line.unitYuan}' },
          { do: 'fillCell', table: cart, rowColumn: '条码', rowEquals: '{line.code}', column: '数量', value: '{line.qty}' },
        ],
      },
      { do: 'mark', label: 'goods entered' },
      { do: 'click', target: 'nextButton' },
      { do: 'fill', target: 'storeOrderNo', value: '{ticket.orderNo}' },
      { do: 'click', target: 'nextButton' },
      { do: 'waitFor', target: 'credentialStep' },
    ],
  },
  capture: [
    {
      id: 'ruyitong.sale',
      kind: 'sale',
      outcome: 'success',
      marker: '交易成功',
      fields: {
        vendorOrderNo: ['交易流水号', '流水号', '交易单号', '支付单号'],
        storeOrderNo: ['门店订单号'],
        totalFen: ['交易金额'],
        cardFen: ['卡支付'],
        cashFen: ['现金支付'],
        cardNumber: ['身份证号', '身份证', '付款码'],
        settledAt: ['交易时间'],
      },
      required: ['vendorOrderNo', 'totalFen'],
    },
    { id: 'ruyitong.sale-failed', kind: 'sale', outcome: 'failed', marker: '交易失败', fields: {}, required: [] },
    {
      id: 'ruyitong.refund',
      kind: 'refund',
      outcome: 'success',
      marker: '退货成功',
      fields: { vendorOrderNo: ['退货流水号'], totalFen: ['退货金额'] },
      required: ['vendorOrderNo'],
      startedFrom: { button: '退货', table: { columns: ['交易流水号', '门店订单号'] }, keyColumn: '交易流水号' },
    },
  ],
  forbidden: {
    fill: ['密码', '现金', '身份证', '付款码'],
    click: ['确认结账', '确认支付', '确定支付', '结账', '支付'],
  },
  stepTimeoutMs: 10_000,
};
