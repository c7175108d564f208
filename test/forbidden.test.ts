import { describe, expect, it } from 'vitest';
import { forbiddenClickWord } from '@/shared/engine/forbidden';

describe('forbidden clicks: contained words in any button text', () => {
  it.each([
    ['确认支付 ¥12.00', '确认支付'],
    ['确定支付', '确定支付'],
    ['立即支付（36.00元）', '确认支付'],
    ['去付款', '付款'],
    ['结账', '结账'],
    ['确认结账', '结账'],
    ['支 付', '支付'],
    ['支\u3000付', '支付'],
    ['Pay now', 'pay'],
    ['CHECKOUT', 'checkout'],
  ])('refuses 「%s」', (text) => {
    expect(forbiddenClickWord([text])).not.toBeNull();
  });

  it('looks at every text a button carries (aria-label, title, value), not only what it shows', () => {
    expect(forbiddenClickWord(['', '确认支付'])).toBe('确认支付');
    expect(forbiddenClickWord(['→', null, '立即付款'])).toBe('付款');
  });

  it('adds the portal’s own words, contained too', () => {
    expect(forbiddenClickWord(['确认收款 ¥8.00'], ['确认收款'])).toBe('确认收款');
    expect(forbiddenClickWord(['确认收款 ¥8.00'])).toBeNull();
    expect(forbiddenClickWord(['下一步'], [''])).toBeNull();
  });

  it('lets the flow’s own buttons through', () => {
    for (const text of ['下一步', '下一步：验证顾客', '去收款', '查询', '结算', '添加商品', '确定', '取消']) {
      expect(forbiddenClickWord([text]), text).toBeNull();
    }
  });
});
