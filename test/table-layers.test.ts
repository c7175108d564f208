// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { findTables } from '@/shared/engine/table';
import { hitOutcome } from '@/shared/engine/hits';

/**
 * A table lives in one layer. A pick dialog appended to <body> (Element Plus / Ant Design do so)
 * while the page's cart is still empty must not read as one big table whose header is the cart's
 * and whose rows are the dialog's hits: the goods would be "in the cart" before it was picked.
 */
beforeEach(() => {
  document.body.innerHTML = '';
});

const CODE = '6901234560022';
const page = (): void => {
  document.body.innerHTML = `
    <div id="app"><table class="cart"><thead><tr><th>品名</th><th>条形码</th><th>售价（元）</th><th>件数</th></tr></thead><tbody></tbody></table></div>
    <div class="el-overlay"><div class="el-dialog" role="dialog"><div class="el-dialog__header">选择药品</div>
      <table><thead><tr><th>品名</th><th>条形码</th><th>售价</th><th>操作</th></tr></thead>
      <tbody><tr><td>布洛芬缓释胶囊</td><td>${CODE}</td><td>25.00</td><td><button type="button">选择</button></td></tr></tbody></table></div></div>`;
};

describe('tables and dialogs', () => {
  it('an empty cart and a pick dialog on <body>: no cart with the dialog’s rows', () => {
    page();
    const carts = findTables(document, { columns: ['条码', '数量'] });
    expect(carts.flatMap((t) => t.rows()).map((r) => r.row.textContent)).not.toEqual(expect.arrayContaining([expect.stringContaining(CODE)]));
  });

  it('so the goods is a hit to pick with its row’s own 「选择」, not already in the order', () => {
    page();
    const outcome = hitOutcome(document, { code: CODE, cart: { columns: ['条码', '数量'] }, cartColumn: '条码' });
    expect(outcome?.kind).toBe('hit');
    expect(outcome && 'element' in outcome ? outcome.element.textContent : '').toBe('选择');
  });

  it('the dialog’s own table is still found inside it', () => {
    page();
    const hits = findTables(document.querySelector('.el-dialog')!, { columns: ['条码'] });
    expect(hits).toHaveLength(1);
    expect(hits[0]!.rows()).toHaveLength(1);
  });
});
