import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPortalServer } from '../harness/portal-server.mjs';
import { launchBrowser } from '../harness/browser.mjs';
import { BLANK_EXTENSION_PATH } from '../sim/blank-extension.mjs';
import { VARIANTS, VARIANT_VENDOR, nextOrderNo, totalOf } from './index.mjs';
import { clickText, inputByPlaceholder, typeByPlaceholder, until, waitText } from './hands.mjs';

/**
 * The variants on their own (issue 11): a person, with no TenderBridge loaded (the blank
 * extension), can complete a sale on each and the variant reports the settlement; refunds work
 * where the seeds describe them; the expired and broken variants look as they should. This is what
 * makes a failure in e2e/variants.e2e.test.ts the extension's, not the variant's.
 */
let server: Awaited<ReturnType<typeof startPortalServer>>;
let harness: Awaited<ReturnType<typeof launchBrowser>>;

beforeAll(async () => {
  server = await startPortalServer({ vendor: VARIANT_VENDOR });
  harness = await launchBrowser({ server, extensionPath: BLANK_EXTENSION_PATH });
}, 60_000);

afterAll(async () => {
  await harness?.close();
  await server?.close();
});

type Order = import('./common/backend.mjs').Order;

function use(variantId: string) {
  const variant = VARIANTS.find((v) => v.id === variantId)!;
  const sim = variant.create();
  server.setSimulator(variant.portal, sim);
  return { variant, sim };
}

describe('each sale variant can be completed by hand', () => {
  for (const v of VARIANTS.filter((x) => x.kind === 'sale')) {
    it(`${v.id}: goods, qty, price, store order number, the customer pays, the result names the vendor's number`, async () => {
      const { variant, sim } = use(v.id);
      const { page, ctx } = await variant.open(harness);
      const orderNo = nextOrderNo();
      await variant.fillByHand!(page, ctx, orderNo);
      await variant.customerPays!(page, ctx);
      const order = await until('the paid order', async () => (sim.state().orders as Order[]).find((o) => o.status === 'paid'));
      await variant.seesResult!(page, ctx, order);
      expect(order.totalFen).toBe(totalOf(variant.items));
      expect(order.cashFen).toBe(variant.cashFen);
      expect(order.cardFen).toBe(totalOf(variant.items) - variant.cashFen);
      if (variant.portal !== 'huiyika') expect(order.storeOrderNo).toBe(orderNo); // 慧医卡's 小票号 is optional
      expect(harness.pageErrors).toEqual([]);
      await page.close();
    });
  }
});

describe('refunds where the seeds describe them', () => {
  it('如医通 交易查询 → 退货 → 确认', async () => {
    const { variant, sim } = use('ruyitong-eui2');
    const { page, ctx } = await variant.open(harness);
    await variant.fillByHand!(page, ctx, nextOrderNo());
    await variant.customerPays!(page, ctx);
    const order = await until('the paid order', async () => (sim.state().orders as Order[]).find((o) => o.status === 'paid'));
    await clickText(page, '完成');
    await clickText(page, '交易申请▾');
    await clickText(page, '交易查询');
    await waitText(page, order.vendorOrderNo);
    await clickText(page, '退货');
    await waitText(page, '现金支付部分请另行退还顾客');
    await clickText(page, '确认');
    await waitText(page, '已退货');
    expect(order.status).toBe('refunded');
    await page.close();
  });

  it('慧医卡 订单查询 → 退款 (卡号, 退货原因, 提交) → 订单审核退款 → 审核 → 同意 → 提交 → 退货小票', async () => {
    const { variant, sim } = use('huiyika-server');
    const { page, ctx } = await variant.open(harness);
    await variant.fillByHand!(page, ctx, '');
    await variant.customerPays!(page, ctx);
    const order = await until('the paid order', async () => (sim.state().orders as Order[]).find((o) => o.status === 'paid'));
    await Promise.all([page.waitForNavigation(), clickText(page, '订单查询', 'a')]);
    await Promise.all([page.waitForNavigation(), clickText(page, '退款', 'a')]);
    await typeByPlaceholder(page, page, '请输入退款卡号', '6160201901100002');
    await typeByPlaceholder(page, page, '请简单填写退货原因', '顾客不要了');
    await Promise.all([page.waitForNavigation(), clickText(page, '提交')]);
    expect(order.status).toBe('refund_pending');
    await Promise.all([page.waitForNavigation(), clickText(page, '审核', 'a')]);
    await page.click('input[value=agree]');
    await Promise.all([page.waitForNavigation(), clickText(page, '提交')]);
    await waitText(page, '退货小票');
    expect(order.status).toBe('refunded');
    await page.close();
  });
});

describe('the special variants', () => {
  it('ruyitong-expired: the trade page says the session expired; /#/login is the login form', async () => {
    const { variant } = use('ruyitong-expired');
    const { page } = await variant.open(harness);
    await waitText(page, '登录状态已过期，您可以继续留在该页面，或者重新登录');
    await clickText(page, '重新登录');
    await waitText(page, '登录已过期，请重新登录');
    await inputByPlaceholder(page, '请输入用户名');
    await inputByPlaceholder(page, '请输入密码');
    await page.close();
  });

  it('guohui-broken: no 小票号 field, and a sale still goes through by hand without one', async () => {
    const { variant, sim } = use('guohui-broken');
    const { page, ctx } = await variant.open(harness);
    expect(await ctx.evaluate(() => document.body.innerText.includes('小票号'))).toBe(false);
    await typeByPlaceholder(page, ctx, '条码/名称/拼音码', variant.items[0]!.code);
    await clickText(ctx, '查询');
    await clickText(ctx, '选择');
    await typeByPlaceholder(page, ctx, '请刷卡或扫描付款码', '110101199003071234');
    await typeByPlaceholder(page, ctx, '请顾客输入密码', '246810');
    await clickText(ctx, '确认支付');
    await waitText(ctx, '支付成功');
    const orders = sim.state().orders as Order[];
    expect(orders).toHaveLength(1);
    expect(orders[0]!.storeOrderNo).toBe('');
    await page.close();
  });
});
