// @vitest-environment happy-dom
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import zhOverlay from '../locales/zh_CN/overlay.json';
import { FlowStop, runFlow, type FlowContext, type Step } from '@/shared/engine/flow';
import { stopMessage } from '@/content-scripts/fill-feature';
import { ruyitong } from '@/providers/ruyitong';
import { PortalDefinitionSchema } from '@/providers/definition-schema';

/** The overlay's real zh-CN texts, with chrome.i18n's $1/$2 substitution. */
beforeAll(() => {
  const messages = zhOverlay as Record<string, { message: string }>;
  (fakeBrowser.i18n as { getMessage: (key: string, subs?: string | string[]) => string }).getMessage = (key, subs) => {
    const list = subs === undefined ? [] : Array.isArray(subs) ? subs : [subs];
    return (messages[key]?.message ?? '').replace(/\$(\d)/g, (_, n: string) => list[Number(n) - 1] ?? '');
  };
});

function page(html: string): Document {
  document.body.innerHTML = html;
  return document;
}

beforeEach(() => {
  document.body.innerHTML = '';
});

const definition = PortalDefinitionSchema.parse(ruyitong);

function context(doc: Document, overrides: Partial<FlowContext> = {}): FlowContext {
  return {
    doc,
    targets: definition.targets,
    vars: { 'ticket.orderNo': 'XS0001', 'ticket.totalYuan': '12.50' },
    lines: [{ code: '6901234567892', qty: '1', unitYuan: '12.50' }],
    forbidden: definition.forbidden,
    signal: new AbortController().signal,
    defaultTimeoutMs: 150,
    lexicon: definition.lexicon,
    startPage: definition.startPage,
    ...overrides,
  };
}

async function stopOf(steps: readonly Step[], ctx: FlowContext, startAt = 0): Promise<FlowStop> {
  try {
    await runFlow(steps, ctx, startAt);
  } catch (error) {
    if (error instanceof FlowStop) return error;
    throw error;
  }
  throw new Error('the flow did not stop');
}

describe('stops that tell the truth', () => {
  it('names the wizard step, the field not found and the fields seen instead', async () => {
    const doc = page(`
      <div class="el-steps"><div class="el-step"><div class="el-step__head is-finish"></div><div class="el-step__title is-finish">添加商品</div></div>
        <div class="el-step"><div class="el-step__head is-process"></div><div class="el-step__title is-process">录入门店订单号</div></div></div>
      <form><div class="el-form-item"><label>订单备注</label><input></div><div class="el-form-item"><label>会员卡号</label><input></div></form>
      <button>下一步</button>`);
    const stop = await stopOf([{ do: 'click', target: 'nextButton' }, { do: 'fill', target: 'storeOrderNo', value: '{ticket.orderNo}' }], context(doc));
    expect(stop.code).toBe('MISSING');
    const message = stopMessage(stop, definition);
    expect(message).toBe('第2步（录入门店订单号）：找不到门店订单号输入框。页面上看到的输入框：订单备注、会员卡号。');
  });

  it('a login page says to log in first, and nothing is filled', async () => {
    const doc = page(`<form><div><label>用户名</label><input id="u"></div><div><label>密码</label><input type="password" id="p"></div><button type="button">登录</button></form>`);
    const stop = await stopOf(definition.sale.steps, context(doc));
    expect(stop.code).toBe('LOGIN_REQUIRED');
    expect(stopMessage(stop, definition)).toContain('请先登录网站，然后重新扫码');
    expect((doc.getElementById('u') as HTMLInputElement).value).toBe('');
  });

  it('an expired session that appears mid-flow is a login stop, not a missing field', async () => {
    const doc = page(`<div class="el-message-box"><p>登录已过期，请重新登录</p><button>确定</button></div>`);
    const stop = await stopOf([{ do: 'waitFor', target: 'credentialStep' }], context(doc), 3);
    expect(stop.code).toBe('LOGIN_REQUIRED');
  });

  it('a scan on the order list says where sales start', async () => {
    const doc = page(`<ul class="el-menu"><li class="el-menu-item">交易申请</li><li class="el-menu-item is-active">交易查询</li></ul>
      <div><input placeholder="请输入订单号"><button>查询</button></div>`);
    const stop = await stopOf(definition.sale.steps, context(doc));
    expect(stop.code).toBe('NOT_SALE_PAGE');
    expect(stopMessage(stop, definition)).toBe('这个页面不能开始收银。请先打开「交易申请」页面，然后重新扫码。');
  });

  it('a first step that finds nothing names the start page as well as what was missing', async () => {
    const doc = page(`<div><label>备注</label><input></div>`);
    const stop = await stopOf(definition.sale.steps, context(doc));
    expect(stop.code).toBe('WRONG_PAGE');
    const message = stopMessage(stop, definition);
    expect(message).toContain('找不到商品搜索框');
    expect(message).toContain('页面上看到的输入框：备注');
    expect(message).toContain('请先打开「交易申请」');
  });

  it('a page that shows nothing after the search says so, not "network"', async () => {
    const doc = page(`<div><input placeholder="请输入药品条码/首拼字母/药品名称"></div>`);
    const stop = await stopOf(definition.sale.steps, context(doc));
    expect(stop.code).toBe('NO_OUTCOME');
    const message = stopMessage(stop, definition);
    expect(message).toContain('6901234567892');
    expect(message).not.toContain('网络');
  });

  it('an offline browser is a network stop', async () => {
    const doc = page(`<div><input placeholder="请输入药品条码"></div>`);
    Object.defineProperty(window.navigator, 'onLine', { configurable: true, get: () => false });
    try {
      const stop = await stopOf(definition.sale.steps, context(doc));
      expect(stop.code).toBe('NETWORK');
    } finally {
      Object.defineProperty(window.navigator, 'onLine', { configurable: true, get: () => true });
    }
  });

  it('never fills a cash field found by a synonym', async () => {
    const doc = page(`<div><label>现金金额</label><input id="cash"></div>`);
    const stop = await stopOf([{ do: 'mark', label: 'start' }, { do: 'fill', target: 'cash', value: '1.00' }], context(doc, { targets: { cash: [{ by: 'label', value: '金额' }] } }), 1);
    expect(stop.code).toBe('FORBIDDEN');
    expect((doc.getElementById('cash') as HTMLInputElement).value).toBe('');
  });
});

describe('never pays', () => {
  it('does not click a pay button found by a near word, even with an amount in its text', async () => {
    const doc = page(`<button id="pay">确认支付 ¥36</button>`);
    let clicked = false;
    doc.getElementById('pay')!.addEventListener('click', () => (clicked = true));
    const stop = await stopOf(
      [{ do: 'mark', label: 'start' }, { do: 'click', target: 'ok' }],
      context(doc, { targets: { ok: [{ by: 'text', value: '确认' }] }, forbidden: { fill: [], click: ['确认支付'] } }),
      1,
    );
    expect(stop.code).toBe('FORBIDDEN');
    expect(clicked).toBe(false);
  });
});

describe('the seed’s 如医通 on unfamiliar markup', () => {
  it('adds a goods from a pick list whose rows carry their own 「添加商品」, then fills 价格 and 数量 under unit-suffixed headers', async () => {
    const doc = page(`
      <div class="search"><input id="q" placeholder="请输入药品条码/首拼字母/药品名称"><button type="button">搜索</button></div>
      <table id="cart"><thead><tr><th>药品名称</th><th>药品条码</th><th>原价(元)</th><th>价格(元)</th><th>数量</th></tr></thead><tbody></tbody></table>`);
    const q = doc.getElementById('q') as HTMLInputElement;
    q.addEventListener('keydown', (event) => {
      if ((event as KeyboardEvent).key !== 'Enter') return;
      const dialog = doc.createElement('div');
      dialog.setAttribute('role', 'dialog');
      dialog.innerHTML = `<table><thead><tr><th>药品名称</th><th>药品条码</th><th>规格</th><th>操作</th></tr></thead><tbody>
        <tr><td>感冒颗粒</td><td>6901234567892</td><td>10袋</td><td><button class="add">添加商品</button></td></tr>
        <tr><td>感冒颗粒(大)</td><td>6901234567809</td><td>20袋</td><td><button class="add">添加商品</button></td></tr></tbody></table>`;
      dialog.querySelectorAll('button.add').forEach((button) =>
        button.addEventListener('click', () => {
          const code = button.closest('tr')!.children[1]!.textContent;
          dialog.remove();
          const row = doc.createElement('tr');
          for (const html of ['感冒颗粒', code ?? '', '13.00', '<input class="price" value="13.00">', '<input class="qty" value="1">']) {
            const cell = doc.createElement('td');
            cell.innerHTML = html;
            row.append(cell);
          }
          doc.querySelector('#cart tbody')!.append(row);
        }),
      );
      doc.body.append(dialog);
    });
    const goods = definition.sale.steps.filter((step) => step.do === 'eachLine');
    await runFlow(goods, context(doc, { lines: [{ code: '6901234567892', qty: '2', unitYuan: '12.50' }] }));
    const row = doc.querySelector('#cart tbody tr')!;
    expect(row.children[1]!.textContent).toBe('6901234567892');
    expect((row.querySelector('.price') as HTMLInputElement).value).toBe('12.50');
    expect((row.querySelector('.qty') as HTMLInputElement).value).toBe('2');
  });
});
