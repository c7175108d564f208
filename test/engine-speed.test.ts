// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { findRow, findTable, mayShow, someRowMayShow } from '@/shared/engine/table';
import { isVisible } from '@/shared/engine/dom';
import { pageShowsText } from '@/shared/engine/flow';
import { wanted } from '@/shared/engine/lexicon';
import { freshDomEachTest, page } from './dom-page';

/**
 * The engine's cheap first looks (issue 13, speed): while a step waits, most DOM changes are the
 * page still working, and the engine answers "not yet" from text alone, before anything that
 * needs the page's layout. A "not yet" must never hide what a cashier sees, and a "yes" still
 * goes through the full reading (visibility, the words on the page).
 */

freshDomEachTest();

function cart(lines: Array<{ code: string; price: string; qty: string; hidden?: boolean }>): string {
  return `
  <table><thead><tr><th>商品名称</th><th>条码</th><th>单价</th><th>数量</th></tr></thead><tbody>
    ${lines
      .map(
        (l, i) =>
          `<tr${l.hidden ? ' style="display:none"' : ''}><td>药品${i + 1}</td><td>${l.code}</td><td><input value="${l.price}"></td><td><input value="${l.qty}"></td></tr>`,
      )
      .join('')}
  </tbody></table>`;
}

const twenty = Array.from({ length: 20 }, (_, i) => ({ code: `69770000${String(i).padStart(5, '0')}`, price: '10.00', qty: '1' }));

describe('a row is looked for by its text before any visibility check', () => {
  it('finds the one row among twenty, checking the visibility of that row alone', () => {
    const doc = page(cart(twenty));
    const table = findTable(doc, { columns: ['条码', '数量'] })!;
    const rowPrototype = Object.getPrototypeOf(doc.querySelector('tbody tr')!) as Element;
    const checks = vi.spyOn(rowPrototype, 'checkVisibility');
    const rows = findRow(table, '条码', '6977000000013');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.row.textContent).toContain('药品14');
    const rowsChecked = checks.mock.contexts.filter((el) => (el as Element).tagName === 'TR');
    expect(rowsChecked).toEqual([rows[0]!.row]);
  });

  it('still reads a key held only in an input’s value', () => {
    const doc = page(cart([{ code: '6901234567892', price: '12.50', qty: '1' }]));
    const table = findTable(doc, { columns: ['条码', '单价'] })!;
    expect(findRow(table, '单价', '12.50')).toHaveLength(1);
    expect(findRow(table, '单价', '9.90')).toHaveLength(0);
  });

  it('still reads a code shown on its own line after a name (white space does not count)', () => {
    const doc = page(`
      <table><thead><tr><th>商品</th><th>数量</th></tr></thead><tbody>
        <tr><td><div>感冒颗粒</div><div>6901234567892</div></td><td><input value="1"></td></tr>
      </tbody></table>`);
    const table = findTable(doc, { columns: ['商品', '数量'] })!;
    expect(findRow(table, '商品', '6901234567892')).toHaveLength(1);
  });

  it('never finds a hidden row, even when its text holds the key', () => {
    const doc = page(cart([{ code: '6901234567892', price: '1.00', qty: '1', hidden: true }, { code: '6901234567809', price: '1.00', qty: '1' }]));
    const table = findTable(doc, { columns: ['条码', '数量'] })!;
    expect(findRow(table, '条码', '6901234567892')).toHaveLength(0);
    expect(findRow(table, '条码', '6901234567809')).toHaveLength(1);
  });

  it('never takes part of a longer number for the key', () => {
    const doc = page(cart([{ code: '16901234567892', price: '1.00', qty: '1' }]));
    const table = findTable(doc, { columns: ['条码', '数量'] })!;
    // the text holds it (so the full reading runs), but the cell reads another code
    expect(someRowMayShow(doc, '6901234567892')).toBe(true);
    expect(findRow(table, '条码', '6901234567892')).toHaveLength(0);
  });
});

describe('the cheap first look', () => {
  it('says "maybe" for text, input values and keys spaced differently, "no" only when the key is nowhere', () => {
    const doc = page(`<table><tbody><tr><td>6901 2345 67892</td><td><input value="A-1"></td></tr></tbody></table>`);
    const rows = doc.querySelectorAll('tr');
    expect(mayShow(rows, '6901234567892')).toBe(true);
    expect(mayShow(rows, 'A-1')).toBe(true);
    expect(mayShow(rows, '')).toBe(true);
    expect(mayShow(rows, '6901234567809')).toBe(false);
    expect(someRowMayShow(doc, '6901234567892')).toBe(true);
    expect(someRowMayShow(doc, '6901234567809')).toBe(false);
  });

  it('pageShowsText answers from the page text first, and still requires the text to be visible', () => {
    const doc = page(`<div style="display:none">未查询到相关商品</div><div>已添加商品：感冒颗粒</div>`);
    expect(pageShowsText(doc, '未查询到')).toBe(false);
    expect(pageShowsText(doc, '已添加商品')).toBe(true);
    expect(pageShowsText(doc, '未找到')).toBe(false);
    doc.body.insertAdjacentHTML('beforeend', '<p>  未查询到\n相关商品</p>');
    expect(pageShowsText(doc, '未查询到')).toBe(true);
  });
});

describe('visibility without layout', () => {
  it('reads display:none on an ancestor, opacity 0 (a dialog fading out) and visibility hidden as not visible', () => {
    const doc = page(`
      <div id="gone" style="display:none"><button id="a">下一步</button></div>
      <div style="opacity:0"><button id="b">下一步</button></div>
      <button id="c" style="visibility:hidden">下一步</button>
      <button id="d">下一步</button>`);
    const byId = (id: string): Element => doc.getElementById(id)!;
    expect(['a', 'b', 'c', 'd'].map((id) => isVisible(byId(id)))).toEqual([false, false, false, true]);
    const detached = byId('d');
    detached.remove();
    expect(isVisible(detached)).toBe(false);
  });
});

describe('wanted words are worked out once', () => {
  it('gives the same answer for the same word, whatever empty additions object is passed', () => {
    const first = wanted('单价', {});
    expect(wanted('单价', {})).toBe(first);
    expect(first.synonyms).toContain('价格');
    const provider = { unitPrice: ['会员价'] };
    const withAddition = wanted('单价', provider);
    expect(withAddition.synonyms).toContain('会员价');
    expect(wanted('单价').synonyms).not.toContain('会员价');
  });
});

describe('ranked locators stop once the answer cannot change', () => {
  it('skips selector fallbacks when words already found one element, and still lets better words win', async () => {
    const { resolveLocators } = await import('@/shared/engine/locate');
    const doc = page(`
      <div class="goods-search"><input placeholder="请输入商品条码/拼音首字母/商品名称"></div>
      <div class="el-form-item"><label>备注</label><input id="memo"></div>`);
    const queries = vi.spyOn(doc, 'querySelectorAll');
    const found = resolveLocators(doc, [
      { by: 'placeholder', value: '药品条码' },
      { by: 'css', value: '.goods-search input' },
    ]);
    expect(found.ok && (found.element as HTMLInputElement).placeholder).toContain('商品条码');
    expect(queries.mock.calls.map(([selector]) => selector)).not.toContain('.goods-search input');
    // a later locator that matches the words better still wins over an earlier synonym
    const better = resolveLocators(doc, [
      { by: 'placeholder', value: '药品条码' },
      { by: 'label', value: '备注' },
    ]);
    expect(better.ok && better.element.id).toBe('memo');
  });
});
