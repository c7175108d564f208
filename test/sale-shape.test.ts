// @vitest-environment happy-dom
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import zhOverlay from '../locales/zh_CN/overlay.json';
import { FlowStop, runFlow, type FlowContext, type Step } from '@/shared/engine/flow';
import { chooseSaleFlow, saleFlows, type SaleFlow } from '@/shared/engine/sale-shape';
import { SaleSchema } from '@/shared/engine/sale-shape-schema';
import { stopMessage } from '@/content-scripts/fill-feature';
import { yuanfu } from '@/providers/yuanfu';
import { PortalDefinitionSchema } from '@/providers/definition-schema';

/**
 * A portal that sells either by goods lines or by an amount (员福好管家): the shape is decided by
 * what the page shows, before anything is filled; a field some pages have is filled only where
 * it is there; a page showing neither shape stops naming both.
 */
beforeAll(() => {
  const messages = zhOverlay as Record<string, { message: string }>;
  (fakeBrowser.i18n as { getMessage: (key: string, subs?: string | string[]) => string }).getMessage = (key, subs) => {
    const list = subs === undefined ? [] : Array.isArray(subs) ? subs : [subs];
    return (messages[key]?.message ?? '').replace(/\$(\d)/g, (_, n: string) => list[Number(n) - 1] ?? '');
  };
});

beforeEach(() => {
  document.body.innerHTML = '';
});

const definition = PortalDefinitionSchema.parse(yuanfu);

function page(html: string): Document {
  document.body.innerHTML = html;
  return document;
}

async function choose(doc: Document, timeoutMs = 150): Promise<SaleFlow | FlowStop> {
  try {
    return await chooseSaleFlow(definition.sale, { doc, targets: definition.targets, lexicon: definition.lexicon, signal: new AbortController().signal, timeoutMs });
  } catch (error) {
    if (error instanceof FlowStop) return error;
    throw error;
  }
}

function context(doc: Document, flow: SaleFlow): FlowContext {
  return {
    doc,
    targets: definition.targets,
    vars: { 'ticket.orderNo': 'XS0001', 'ticket.totalYuan': '54.80', 'portal.goodsName': '药品' },
    lines: flow.lines === 'each' ? [{ code: '6901234567892', qty: '2', unitYuan: '25.00' }] : [{ code: '6901234567892', qty: '1', unitYuan: '54.80' }],
    forbidden: definition.forbidden,
    signal: new AbortController().signal,
    defaultTimeoutMs: 150,
    lexicon: definition.lexicon,
  };
}

async function run(steps: readonly Step[], ctx: FlowContext): Promise<FlowStop | 'ready'> {
  try {
    await runFlow(steps, ctx);
    return 'ready';
  } catch (error) {
    if (error instanceof FlowStop) return error;
    throw error;
  }
}

const value = (doc: Document, id: string): string => (doc.getElementById(id) as HTMLInputElement).value;

// an amount page in the look of an old admin form: 应收金额 with a separate 元 addon, 商户订单号, a card, a password
const AMOUNT_PAGE = `
  <form class="form-horizontal">
    <div class="form-group"><label for="amt">应收金额</label><div class="input-group"><input id="amt" placeholder="0.00"><span class="input-group-addon">元</span></div></div>
    <div class="form-group"><label for="no">商户订单号</label><input id="no"></div>
    <div class="form-group"><label for="card">员福卡号</label><input id="card"></div>
    <div class="form-group"><label for="pwd">交易密码</label><input id="pwd" type="password"></div>
    <button type="button">确认收款</button>
  </form>`;

// the same with a goods-name box, as the older amount pages have
const AMOUNT_PAGE_WITH_GOODS_NAME = `
  <table>
    <tr><td><label for="amount">消费金额</label></td><td><input id="amount"> 元</td></tr>
    <tr><td><label for="goods">商品名称</label></td><td><input id="goods" placeholder="请输入商品名称"></td></tr>
    <tr><td><label for="sno">门店订单号</label></td><td><input id="sno"></td></tr>
    <tr><td><label for="emp">员工卡号</label></td><td><input id="emp"></td></tr>
  </table>`;

// a goods page: a 药品 box beside 搜索, a cart, a 门店单号, a 收款 button that opens the card step
const GOODS_PAGE = `
  <form class="el-form"><div class="el-form-item"><label class="el-form-item__label">药品</label><div class="el-form-item__content"><input id="kw" placeholder="扫码或输入药品名称、条码"></div></div>
    <div class="el-form-item"><button type="button">搜索</button></div></form>
  <table><thead><tr><th>品名</th><th>条形码</th><th>售价（元）</th><th>件数</th><th>金额 (元)</th></tr></thead><tbody></tbody></table>
  <form class="el-form"><div class="el-form-item"><label>门店单号</label><input id="store"></div><div class="el-form-item"><label>应收金额</label><b>¥0.00</b></div></form>
  <button type="button" id="pay">收款</button>`;

describe('which shape the page is in, decided before anything is filled', () => {
  it('an amount page (应收金额 with a 元 addon, no goods-name box): the amount flow', async () => {
    const flow = await choose(page(AMOUNT_PAGE));
    expect(flow).not.toBeInstanceOf(FlowStop);
    expect((flow as SaleFlow).name).toBe('amount');
    expect((flow as SaleFlow).lines).toBe('single');
  });

  it('an amount page that also has a goods-name box: still the amount flow (the definition puts it first)', async () => {
    const flow = await choose(page(AMOUNT_PAGE_WITH_GOODS_NAME));
    expect((flow as SaleFlow).name).toBe('amount');
  });

  it('a goods page (a 药品 box beside 搜索, a cart): the goods flow, every line entered', async () => {
    const flow = await choose(page(GOODS_PAGE));
    expect((flow as SaleFlow).name).toBe('goods');
    expect((flow as SaleFlow).lines).toBe('each');
  });

  it('waits for the page to show a shape (a page still rendering)', async () => {
    const doc = page('<div id="app">加载中</div>');
    const chosen = choose(doc, 2_000);
    setTimeout(() => {
      doc.getElementById('app')!.innerHTML = AMOUNT_PAGE;
    }, 30);
    expect(((await chosen) as SaleFlow).name).toBe('amount');
  });

  it('neither shape: a stop naming both, with the fields seen instead, and nothing filled', async () => {
    const doc = page(`<form><div><label for="m">备注</label><input id="m"></div><div><label for="c">会员卡号</label><input id="c"></div></form>`);
    const stop = await choose(doc);
    expect(stop).toBeInstanceOf(FlowStop);
    expect((stop as FlowStop).code).toBe('SALE_SHAPE_UNKNOWN');
    expect(stopMessage(stop as FlowStop, definition)).toBe('找不到消费金额输入框或商品搜索框，无法判断这个页面该怎样录入。页面上看到的输入框：备注、会员卡号。');
    expect(value(doc, 'm')).toBe('');
  });

  it('a login page is a login page, not an unknown shape', async () => {
    const stop = await choose(page(`<form><div><label>用户名</label><input></div><div><label>密码</label><input type="password"></div><button type="button">登录</button></form>`));
    expect((stop as FlowStop).code).toBe('LOGIN_REQUIRED');
  });

  it('a sale without alternatives runs its own steps at once, whatever the page shows (no change for the other portals)', async () => {
    const plain = SaleSchema.parse({ lines: 'each', steps: [{ do: 'waitFor', target: 'x' }] });
    const flow = await chooseSaleFlow(plain, { doc: page(''), targets: {}, signal: new AbortController().signal, timeoutMs: 10 });
    expect(flow.steps).toEqual(plain.steps);
    expect(saleFlows(plain)).toHaveLength(1);
  });
});

describe('the amount flow on an amount page', () => {
  it('fills 应收金额 and 商户订单号, skips the goods-name box the page does not have, and is ready at the card', async () => {
    const doc = page(AMOUNT_PAGE);
    const flow = (await choose(doc)) as SaleFlow;
    const events: string[] = [];
    const ctx = { ...context(doc, flow), onEvent: (e: { path: string; target?: string; label?: string }) => events.push(`${e.path}:${e.target ?? ''}:${e.label ?? ''}`) };
    expect(await run(flow.steps, ctx)).toBe('ready');
    expect(value(doc, 'amt')).toBe('54.80');
    expect(value(doc, 'no')).toBe('XS0001');
    expect(value(doc, 'card')).toBe('');
    expect(value(doc, 'pwd')).toBe('');
    expect(events).toContain('2:goodsName:absent');
  });

  it('fills the goods-name box where the page has one', async () => {
    const doc = page(AMOUNT_PAGE_WITH_GOODS_NAME);
    const flow = (await choose(doc)) as SaleFlow;
    expect(await run(flow.steps, context(doc, flow))).toBe('ready');
    expect([value(doc, 'amount'), value(doc, 'goods'), value(doc, 'sno'), value(doc, 'emp')]).toEqual(['54.80', '药品', 'XS0001', '']);
  });

  it('a required field missing still stops and names it (only optional steps are skipped)', async () => {
    const doc = page(AMOUNT_PAGE.replace(/<div class="form-group"><label for="no">商户订单号<\/label><input id="no"><\/div>/, ''));
    const flow = (await choose(doc)) as SaleFlow;
    const stop = (await run(flow.steps, context(doc, flow))) as FlowStop;
    expect(stop.code).toBe('MISSING');
    expect(stopMessage(stop, definition)).toContain('找不到门店订单号输入框');
  });

  it('an optional field found twice is not skipped: it stops as ambiguous, never guesses', async () => {
    const doc = page(`${AMOUNT_PAGE_WITH_GOODS_NAME}<div><label for="g2">商品名称</label><input id="g2"></div>`);
    const flow = (await choose(doc)) as SaleFlow;
    const stop = (await run(flow.steps, context(doc, flow))) as FlowStop;
    expect(stop.code).toBe('AMBIGUOUS');
    expect(stop.subject).toBe('goodsName');
  });
});

describe('the goods flow ends at the card step', () => {
  const goodsFlow = (): SaleFlow => saleFlows(definition.sale).find((f) => f.name === 'goods')!;
  const ending = (): Step[] => goodsFlow().steps.slice(-2);

  it('presses 「收款」 to open the card step when the card field is not on the page yet', async () => {
    const doc = page(GOODS_PAGE);
    let opened = 0;
    doc.getElementById('pay')!.addEventListener('click', () => {
      opened += 1;
      doc.body.insertAdjacentHTML('beforeend', '<div role="dialog" class="el-dialog"><form><div><label for="mc">会员卡号</label><input id="mc"></div><div><label for="pw">密码</label><input id="pw" type="password"></div></form><button>确认收款</button></div>');
    });
    expect(await run(ending(), context(doc, goodsFlow()))).toBe('ready');
    expect(opened).toBe(1);
    expect(value(doc, 'store')).toBe('XS0001');
    expect(value(doc, 'mc')).toBe('');
  });

  it('presses nothing when the card field is already on the page', async () => {
    const doc = page(`${GOODS_PAGE}<div><label for="mc">会员卡号</label><input id="mc"></div>`);
    let pressed = 0;
    doc.getElementById('pay')!.addEventListener('click', () => (pressed += 1));
    expect(await run(ending(), context(doc, goodsFlow()))).toBe('ready');
    expect(pressed).toBe(0);
  });

  it('neither the card field nor the button to it: a stop naming the card field', async () => {
    const doc = page(GOODS_PAGE.replace('<button type="button" id="pay">收款</button>', ''));
    const stop = (await run(ending(), context(doc, goodsFlow()))) as FlowStop;
    expect(stop.code).toBe('MISSING');
    expect(stopMessage(stop, definition)).toContain('找不到员工卡号输入框');
  });
});

describe('the sale schema', () => {
  const steps = [{ do: 'waitFor', target: 'a' }];
  it('alternatives need every shape said and named, distinct names, and no page loads', () => {
    expect(SaleSchema.safeParse({ lines: 'single', steps, alternatives: [{ name: 'g', when: { visible: 'b' }, lines: 'each', steps }] }).success).toBe(false);
    expect(SaleSchema.safeParse({ lines: 'single', steps, name: 'g', when: { visible: 'a' }, alternatives: [{ name: 'g', when: { visible: 'b' }, lines: 'each', steps }] }).success).toBe(false);
    expect(
      SaleSchema.safeParse({ lines: 'single', steps, name: 'a', when: { visible: 'a' }, alternatives: [{ name: 'g', when: { visible: 'b' }, lines: 'each', steps: [{ do: 'click', target: 'b', navigates: true }] }] }).success,
    ).toBe(false);
    expect(SaleSchema.safeParse({ lines: 'single', steps, name: 'a', when: { visible: 'a' }, alternatives: [{ name: 'g', when: { text: '网页收银' }, lines: 'each', steps }] }).success).toBe(true);
  });

  it('an alternative without a when, or with an unknown key in it, is refused', () => {
    expect(SaleSchema.safeParse({ lines: 'single', steps, name: 'a', when: { visible: 'a' }, alternatives: [{ name: 'g', lines: 'each', steps }] }).success).toBe(false);
    expect(SaleSchema.safeParse({ lines: 'single', steps, name: 'a', when: { visible: 'a', text: 'x' }, alternatives: [{ name: 'g', when: { visible: 'b' }, lines: 'each', steps }] }).success).toBe(false);
  });
});
