// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { FlowStop, runFlow, type FlowContext, type Step } from '@/shared/engine/flow';
import { hitOutcome, searchSubmitter } from '@/shared/engine/hits';
import { pressEnter } from '@/shared/engine/act';

/**
 * The generic "put this goods line into the order" step (shared/engine/hits.ts): whatever the
 * search shows — a hit row with its own button, a goods-name link, a drop-down option, the goods
 * already in the cart, or "nothing found" — and never a guess between two equal hits.
 */
const CODE = '6901234560060';
const cart = { columns: ['条码', '数量'] };

beforeEach(() => {
  document.body.innerHTML = '';
});

function context(overrides: Partial<FlowContext> = {}): FlowContext {
  return {
    doc: document,
    targets: { searchBox: [{ by: 'placeholder', value: '条码' }] },
    vars: {},
    lines: [{ code: CODE, qty: '1', unitYuan: '12.50' }],
    forbidden: { fill: ['密码'], click: ['确认支付', '确认收款'] },
    signal: new AbortController().signal,
    defaultTimeoutMs: 300,
    ...overrides,
  };
}

const addGoods: Step[] = [{ do: 'eachLine', steps: [{ do: 'addGoods', code: '{line.code}', cart, cartColumn: '条码', notFound: ['未找到相关商品'] }] }];

/** A cart under the hit list that a hit's button fills, as the page's own script would. */
function cartHtml(): string {
  return `<h4>已选商品</h4><table id="cart"><thead><tr><th>商品名称</th><th>条码</th><th>零售价</th><th>件数</th><th>操作</th></tr></thead>
    <tbody><tr class="placeholder"><td colspan="5">暂无数据</td></tr></tbody></table>`;
}

function addToCart(code: string, name: string): void {
  const body = document.querySelector('#cart tbody')!;
  body.querySelector('.placeholder')?.remove();
  // cell by cell: a <tr> string parsed outside a table loses its cells in some DOMs
  const row = document.createElement('tr');
  for (const html of [name, code, '<input value="12.50">', '<input value="1">', '<button>移除</button>']) {
    const cell = document.createElement('td');
    cell.innerHTML = html;
    row.append(cell);
  }
  body.append(row);
}

async function stopOf(promise: Promise<unknown>): Promise<FlowStop> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(FlowStop);
  return error as FlowStop;
}

describe('addGoods: a hit list whose rows carry their own button', () => {
  it('presses the 「添加」 of the row whose 商品编码 is the barcode (not another row\'s, not the cart\'s), then sees the cart row', async () => {
    document.body.innerHTML = `<table id="hits"><thead><tr><th>商品编码</th><th>商品名称</th><th>零售价</th><th>操作</th></tr></thead><tbody>
      <tr><td>6901234560077</td><td>布洛芬缓释胶囊</td><td>26.50</td><td><button class="other">添加</button></td></tr>
      <tr><td>${CODE}</td><td>阿莫西林胶囊</td><td>19.80</td><td><button class="mine"><span>添加</span></button></td></tr></tbody></table>${cartHtml()}`;
    const pressed: string[] = [];
    document.querySelector('.other')!.addEventListener('click', () => pressed.push('other'));
    document.querySelector('.mine')!.addEventListener('click', () => {
      pressed.push('mine');
      addToCart(CODE, '阿莫西林胶囊');
    });
    await runFlow(addGoods, context());
    expect(pressed).toEqual(['mine']);
    expect(document.querySelector('#cart tbody')!.textContent).toContain(CODE);
  });

  it('presses 「选择」 in a layui-style hit row (条形码 column, unit-suffixed headers)', async () => {
    document.body.innerHTML = `<table class="layui-table"><thead><tr><th>商品名称</th><th>条形码</th><th>单价(元)</th><th>操作</th></tr></thead><tbody>
      <tr><td>阿莫西林胶囊</td><td>${CODE}</td><td>19.80</td><td><button type="button" class="layui-btn">选择</button></td></tr></tbody></table>
      <table id="cart"><thead><tr><th>序号</th><th>商品名称</th><th>条形码</th><th>单价(元)</th><th>数量(盒)</th></tr></thead><tbody><tr class="placeholder"><td colspan="5">购物车为空</td></tr></tbody></table>`;
    let presses = 0;
    document.querySelector('.layui-btn')!.addEventListener('click', () => {
      presses += 1;
      document.querySelector('#cart tbody')!.innerHTML = `<tr><td>1</td><td>阿莫西林胶囊</td><td>${CODE}</td><td><input value="19.80"></td><td><input value="1"></td></tr>`;
    });
    await runFlow(addGoods, context());
    expect(presses).toBe(1);
  });

  it('stops as ambiguous when two hit rows carry the same barcode, and presses nothing', async () => {
    document.body.innerHTML = `<table><thead><tr><th>商品编码</th><th>商品名称</th><th>操作</th></tr></thead><tbody>
      <tr><td>${CODE}</td><td>阿莫西林胶囊 0.25g</td><td><button>添加</button></td></tr>
      <tr><td>${CODE}</td><td>阿莫西林胶囊 0.5g</td><td><button>添加</button></td></tr></tbody></table>${cartHtml()}`;
    let presses = 0;
    for (const b of Array.from(document.querySelectorAll('button'))) b.addEventListener('click', () => (presses += 1));
    const stop = await stopOf(runFlow(addGoods, context()));
    expect(stop.code).toBe('ROW_AMBIGUOUS');
    expect(stop.subject).toBe(CODE);
    expect(presses).toBe(0);
  });

  it('never presses a row button that is a pay button', async () => {
    document.body.innerHTML = `<table><thead><tr><th>商品编码</th><th>操作</th></tr></thead><tbody>
      <tr><td>${CODE}</td><td><button>添加并确认支付</button></td></tr></tbody></table>${cartHtml()}`;
    let presses = 0;
    document.querySelector('tbody button')!.addEventListener('click', () => (presses += 1));
    const stop = await stopOf(runFlow(addGoods, context()));
    expect(stop.code).toBe('FORBIDDEN');
    expect(presses).toBe(0);
  });
});

describe('addGoods by the goods name (a hit list with no barcode column)', () => {
  const byName: Step[] = [{ do: 'addGoods', name: '感冒颗粒', cart: { columns: ['商品名称', '数量'] }, cartColumn: '商品名称' }];
  const hits = (rows: string) => `<table><thead><tr><th>药品名称</th><th>规格</th><th>价格</th></tr></thead><tbody>${rows}</tbody></table>
    <table><thead><tr><th>药品名称</th><th>规格</th><th>价格</th><th>数量</th></tr></thead><tbody><tr><td colspan="4">请搜索并点击药品名称选中药品</td></tr></tbody></table>`;

  it('clicks the name link of the exact name only (小儿感冒颗粒 also matches the keyword)', async () => {
    document.body.innerHTML = hits(`<tr><td><a href="#a" id="child">小儿感冒颗粒</a></td><td>6g*10袋</td><td>18.00</td></tr>
      <tr><td><a href="#b" id="adult">感冒颗粒</a></td><td>10g*10袋</td><td>15.00</td></tr>`);
    const outcome = hitOutcome(document, { name: '感冒颗粒', cart: { columns: ['商品名称', '数量'] }, cartColumn: '商品名称' });
    expect(outcome).toMatchObject({ kind: 'hit', via: 'link' });
    expect(outcome && 'element' in outcome ? outcome.element.id : null).toBe('adult');
  });

  it('stops as ambiguous when two hits have exactly that name', async () => {
    document.body.innerHTML = hits(`<tr><td><a href="#a">感冒颗粒</a></td><td>6g*10袋</td><td>18.00</td></tr>
      <tr><td><a href="#b">感冒 颗粒</a></td><td>10g*10袋</td><td>15.00</td></tr>`);
    const stop = await stopOf(runFlow(byName, context()));
    expect(stop.code).toBe('ROW_AMBIGUOUS');
    expect(stop.subject).toBe('感冒颗粒');
  });
});

describe('addGoods: other outcomes of a search', () => {
  it('is done when the search already put the goods in the cart (nothing pressed)', async () => {
    document.body.innerHTML = cartHtml();
    addToCart(CODE, '阿莫西林胶囊');
    const events: string[] = [];
    await runFlow(addGoods, context({ onEvent: (e) => events.push(e.label ?? '') }));
    expect(events).toEqual([CODE]);
  });

  it('clicks the drop-down option showing the barcode', async () => {
    document.body.innerHTML = `${cartHtml()}<ul role="listbox"><li role="option" id="opt">阿莫西林胶囊 ${CODE} ¥19.80</li></ul>`;
    document.querySelector('#opt')!.addEventListener('click', () => addToCart(CODE, '阿莫西林胶囊'));
    await runFlow(addGoods, context());
    expect(document.querySelector('#cart tbody')!.textContent).toContain(CODE);
  });

  it('says the goods is not found when the page says so after the search', async () => {
    document.body.innerHTML = cartHtml();
    setTimeout(() => document.body.insertAdjacentHTML('beforeend', '<div class="msg">未找到相关商品</div>'), 20);
    const stop = await stopOf(runFlow(addGoods, context()));
    expect(stop.code).toBe('GOODS_NOT_FOUND');
  });

  it('does not take an earlier search\'s 「暂无数据」 for this one: it waits for this search\'s hits', async () => {
    document.body.innerHTML = `<table id="hits"><thead><tr><th>商品编码</th><th>商品名称</th><th>操作</th></tr></thead><tbody><tr><td colspan="3">暂无数据</td></tr></tbody></table>${cartHtml()}`;
    setTimeout(() => {
      document.querySelector('#hits tbody')!.innerHTML = `<tr><td>${CODE}</td><td>阿莫西林胶囊</td><td><button id="add">添加</button></td></tr>`;
      document.querySelector('#add')!.addEventListener('click', () => addToCart(CODE, '阿莫西林胶囊'));
    }, 30);
    await runFlow(addGoods, context());
    expect(document.querySelector('#cart tbody')!.textContent).toContain(CODE);
  });

  it('stops with NO_OUTCOME when nothing shows (no guess)', async () => {
    document.body.innerHTML = cartHtml();
    const stop = await stopOf(runFlow(addGoods, context()));
    expect(stop.code).toBe('NO_OUTCOME');
    expect(stop.subject).toBe(CODE);
  });
});

describe('Enter in a search form submits it as a browser does', () => {
  it('presses the form\'s submit button, unless the page handled the key itself', () => {
    document.body.innerHTML = `<form><input id="kw"><button type="submit" id="go">查 询</button></form>`;
    let submits = 0;
    document.querySelector('form')!.addEventListener('submit', (e) => {
      e.preventDefault();
      submits += 1;
    });
    pressEnter(document.querySelector('#kw')!);
    expect(submits).toBe(1);
    document.querySelector('#kw')!.addEventListener('keydown', (e) => e.preventDefault());
    pressEnter(document.querySelector('#kw')!);
    expect(submits).toBe(1);
  });

  it('never through a button the caller refuses (a pay button in the same form)', () => {
    document.body.innerHTML = `<form><input id="kw"><button type="submit">确认支付</button></form>`;
    let submits = 0;
    document.querySelector('form')!.addEventListener('submit', (e) => {
      e.preventDefault();
      submits += 1;
    });
    pressEnter(document.querySelector('#kw')!, (button) => !(button.textContent ?? '').includes('支付'));
    expect(submits).toBe(0);
  });
});

describe('searchSubmitter: what sends a search box\'s search', () => {
  it('its form\'s submit button, or the 查询 button beside it; none for a search-as-you-type box', () => {
    document.body.innerHTML = `<form><label for="a">商品查询</label><input id="a"><button type="submit" id="go">查询</button></form>
      <div class="row"><div><input id="b"></div><button id="search">搜 索</button></div>
      <div class="auto"><input id="c"><i class="el-icon-search"></i></div><button>查询</button>`;
    expect(searchSubmitter(document.querySelector('#a')!)?.id).toBe('go');
    expect(searchSubmitter(document.querySelector('#b')!)?.id).toBe('search');
    expect(searchSubmitter(document.querySelector('#c')!)).toBeNull();
  });
});
