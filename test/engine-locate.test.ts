// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { resolveLocators } from '@/shared/engine/locate';
import { findSearchBoxes } from '@/shared/engine/structure';

function page(html: string): Document {
  document.body.innerHTML = html;
  return document;
}

beforeEach(() => {
  document.body.innerHTML = '';
});

describe('finding a field by the words a cashier reads', () => {
  it('finds 如医通’s search box by the seed’s own placeholder words', () => {
    const doc = page(`<div class="el-input"><input id="s" placeholder="请输入药品条码/首拼字母/药品名称"></div>`);
    const found = resolveLocators(doc, [{ by: 'placeholder', value: '药品条码' }]);
    expect(found.ok && found.element.id).toBe('s');
  });

  it('finds a field whose placeholder says a synonym (商品条码 → 药品条码)', () => {
    const doc = page(`<input id="s" placeholder="请扫描药品条码">`);
    const found = resolveLocators(doc, [{ by: 'placeholder', value: '商品条码' }]);
    expect(found.ok && found.element.id).toBe('s');
  });

  it('pairs an Element UI form label with its input: required mark and colon ignored', () => {
    const doc = page(`
      <form class="el-form">
        <div class="el-form-item"><label class="el-form-item__label">订单备注</label><div class="el-form-item__content"><div class="el-input"><input id="memo"></div></div></div>
        <div class="el-form-item is-required"><label class="el-form-item__label">* 门店订单号：</label><div class="el-form-item__content"><div class="el-input"><input id="no"></div></div></div>
      </form>`);
    const found = resolveLocators(doc, [{ by: 'label', value: '门店订单号' }]);
    expect(found.ok && found.element.id).toBe('no');
  });

  it('prefers the exact word over a synonym, whatever the locator order', () => {
    const doc = page(`
      <div><label for="a">门店单号</label><input id="a"></div>
      <div><label for="b">门店订单号</label><input id="b"></div>`);
    const found = resolveLocators(doc, [{ by: 'label', value: '门店订单号' }]);
    expect(found.ok && found.element.id).toBe('b');
  });

  it('stops on two equally good fields instead of guessing', () => {
    const doc = page(`
      <div><label for="a">门店单号</label><input id="a"></div>
      <div><label for="b">小票号</label><input id="b"></div>`);
    const found = resolveLocators(doc, [{ by: 'label', value: '门店订单号' }]);
    expect(found).toMatchObject({ ok: false, reason: 'ambiguous' });
  });

  it('does not take a hidden field', () => {
    const doc = page(`
      <div style="display:none"><label for="a">门店订单号</label><input id="a"></div>
      <div><label for="b">门店订单号</label><input id="b"></div>`);
    const found = resolveLocators(doc, [{ by: 'label', value: '门店订单号' }]);
    expect(found.ok && found.element.id).toBe('b');
  });

  it('finds a button by a synonym (确定 for 确认) but not a menu item that merely contains the word', () => {
    const doc = page(`<ul><li>订单查询</li></ul><button id="ok">确定</button><button id="go">搜索</button>`);
    const confirm = resolveLocators(doc, [{ by: 'text', value: '确认' }]);
    expect(confirm.ok && confirm.element.id).toBe('ok');
    const search = resolveLocators(doc, [{ by: 'text', value: '查询' }]);
    expect(search.ok && search.element.id).toBe('go');
  });

  it('says missing when nothing reads like the word', () => {
    const doc = page(`<label for="a">会员卡号</label><input id="a">`);
    expect(resolveLocators(doc, [{ by: 'label', value: '门店订单号' }])).toMatchObject({ ok: false, reason: 'missing' });
  });

  it('searches inside the open dialog first', () => {
    const doc = page(`
      <button id="page">添加商品</button>
      <div role="dialog"><button id="dlg">添加商品</button></div>`);
    const found = resolveLocators(doc, [{ by: 'text', value: '添加商品' }]);
    expect(found.ok && found.element.id).toBe('dlg');
  });
});

describe('the search box by structure', () => {
  it('is the text input next to a 查询/搜索 button in the work area, not the top bar’s', () => {
    const doc = page(`
      <header class="el-header"><input id="menu" placeholder="菜单"><button>搜索</button></header>
      <main><div class="bar"><input id="goods" placeholder="请输入"><button type="button">查询</button></div>
      <div><label>备注</label><input id="memo"></div></main>`);
    const found = resolveLocators(doc, [
      { by: 'placeholder', value: '药品条码' },
      { by: 'role', value: 'searchbox' },
    ]);
    expect(found.ok && found.element.id).toBe('goods');
  });

  it('is the input with a search icon', () => {
    const doc = page(`<div class="el-input el-input--prefix"><input id="q"><span class="el-input__prefix"><i class="el-icon-search"></i></span></div><input id="other">`);
    expect(findSearchBoxes(doc).map((f) => f.element.id)).toEqual(['q']);
  });

  it('two search boxes are ambiguous', () => {
    const doc = page(`<div><input id="a"><button>查询</button></div><div><input id="b"><button>搜索</button></div>`);
    expect(resolveLocators(doc, [{ by: 'role', value: 'searchbox' }])).toMatchObject({ ok: false, reason: 'ambiguous' });
  });

  it('a word match beats the structural guess', () => {
    const doc = page(`<div><input id="a" placeholder="订单号"><button>查询</button></div><input id="b" placeholder="药品条码">`);
    const found = resolveLocators(doc, [
      { by: 'placeholder', value: '药品条码' },
      { by: 'role', value: 'searchbox' },
    ]);
    expect(found.ok && found.element.id).toBe('b');
  });
});
