import type { PortalDefinitionInput } from './types';

/**
 * 员福好管家 (sy.huibaofuda.com), seed 000 §八: a plain page whose pay form sits in a same-origin
 * iframe (the engine searches it), paid by amount: 消费金额 = the ticket total, a goods name
 * (settings: goodsName, default 药品), the store order number. The extension stops at 员工卡号:
 * the card and the 支付密码 are the employee's own. Success is a toast that vanishes after a few
 * seconds; capture reads it while it is up.
 */
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
    storeOrderNo: [{ by: 'label', value: '门店订单号' }],
    cardStep: [
      { by: 'label', value: '员工卡号' },
      { by: 'placeholder', value: '员工卡号' },
    ],
  },
  describe: {
    amount: '消费金额输入框',
    goodsName: '商品名称输入框',
    storeOrderNo: '门店订单号输入框',
    cardStep: '员工卡号输入框',
  },
  sale: {
    lines: 'single',
    steps: [
      { do: 'fill', target: 'amount', value: '{ticket.totalYuan}' },
      { do: 'fill', target: 'goodsName', value: '{portal.goodsName}' },
      { do: 'fill', target: 'storeOrderNo', value: '{ticket.orderNo}' },
      { do: 'waitFor', target: 'cardStep' },
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
    { id: 'yuanfu.sale-failed', kind: 'sale', outcome: 'failed', marker: '支付失败', fields: {}, required: [] },
  ],
  forbidden: { fill: ['密码', '卡号', '现金'], click: ['提交'] },
  stepTimeoutMs: 12_000,
};
