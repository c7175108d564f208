// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { findRow, findTable } from '@/shared/engine/table';
import { rowActionButton } from '@/shared/engine/structure';
import { visibleText } from '@/shared/engine/dom';

function page(html: string): Document {
  document.body.innerHTML = html;
  return document;
}

beforeEach(() => {
  document.body.innerHTML = '';
});

/** Element UI 2's el-table: header and body are separate <table>s; a fixed-right 操作 column repeats the rows. */
const elementTable = `
<div class="el-table">
  <div class="el-table__header-wrapper"><table><thead><tr>
    <th><div class="cell">药品名称</div></th><th><div class="cell">药品条码</div></th><th><div class="cell">零售价（元）</div></th><th><div class="cell">数量(盒)</div></th><th><div class="cell">操作</div></th>
  </tr></thead></table></div>
  <div class="el-table__body-wrapper"><table><tbody>
    <tr class="el-table__row"><td><div class="cell">感冒颗粒</div></td><td><div class="cell">6901234567892</div></td><td><div class="cell"><input value="12.50"></div></td><td><div class="cell"><input value="1"></div></td><td class="is-hidden"><div class="cell"><button style="visibility:hidden">添加商品</button></div></td></tr>
    <tr class="el-table__row"><td><div class="cell">板蓝根</div></td><td><div class="cell">6901234567809</div></td><td><div class="cell"><input value="9.90"></div></td><td><div class="cell"><input value="2"></div></td><td class="is-hidden"><div class="cell"><button style="visibility:hidden">添加商品</button></div></td></tr>
  </tbody></table></div>
  <div class="el-table__fixed-right">
    <div class="el-table__fixed-header-wrapper"><table><thead><tr><th class="is-hidden"><div class="cell">药品名称</div></th><th class="is-hidden"><div class="cell">药品条码</div></th><th class="is-hidden"></th><th class="is-hidden"></th><th><div class="cell">操作</div></th></tr></thead></table></div>
    <div class="el-table__fixed-body-wrapper"><table><tbody>
      <tr class="el-table__row"><td class="is-hidden"></td><td class="is-hidden"></td><td class="is-hidden"></td><td class="is-hidden"></td><td><div class="cell"><button id="add1">添加商品</button></div></td></tr>
      <tr class="el-table__row"><td class="is-hidden"></td><td class="is-hidden"></td><td class="is-hidden"></td><td class="is-hidden"></td><td><div class="cell"><button id="add2">添加商品</button></div></td></tr>
    </tbody></table></div>
  </div>
</div>`;

describe('reading tables the way a cashier does', () => {
  it('reads an Element UI table split into header and body tables, headers through the lexicon', () => {
    const table = findTable(page(elementTable), { columns: ['条码', '数量'] });
    expect(table).not.toBeNull();
    const rows = findRow(table!, '条码', '6901234567809');
    expect(rows).toHaveLength(1);
    expect(visibleText(rows[0]!.cell('商品名称')!)).toBe('板蓝根');
    expect((rows[0]!.cell('单价')!.querySelector('input') as HTMLInputElement).value).toBe('9.90');
    expect((rows[0]!.cell('数量')!.querySelector('input') as HTMLInputElement).value).toBe('2');
  });

  it('finds each row once (fixed-column copies merged) and the row’s own action button in its fixed copy', () => {
    const table = findTable(page(elementTable), { columns: ['条码'] })!;
    expect(table.rows()).toHaveLength(2);
    const [row] = findRow(table, '条码', '6901234567892');
    const buttons = row!.parts.map((part) => rowActionButton(part, '添加商品')).filter(Boolean);
    expect(buttons.map((b) => b!.id)).toEqual(['add1']);
  });

  it('reads an ant-table with a fixed header, skipping the measure row', () => {
    const doc = page(`
      <div class="ant-table-wrapper"><div class="ant-table">
        <div class="ant-table-header"><table><thead class="ant-table-thead"><tr><th class="ant-table-cell">商品编码</th><th class="ant-table-cell">品名</th><th class="ant-table-cell">售价</th><th class="ant-table-cell">件数</th></tr></thead></table></div>
        <div class="ant-table-body"><table><tbody class="ant-table-tbody">
          <tr aria-hidden="true" class="ant-table-measure-row"><td></td><td></td><td></td><td></td></tr>
          <tr class="ant-table-row"><td class="ant-table-cell">6901234567892</td><td class="ant-table-cell">感冒颗粒</td><td class="ant-table-cell"><input value="12.5"></td><td class="ant-table-cell"><input value="1"></td></tr>
        </tbody></table></div>
      </div></div>`);
    const table = findTable(doc, { columns: ['条码', '数量'] })!;
    expect(table.rows()).toHaveLength(1);
    expect(findRow(table, '条码', '6901234567892')).toHaveLength(1);
    expect(table.rows()[0]!.cell('单价')!.querySelector('input')!.value).toBe('12.5');
  });

  it('reads a virtual list of ARIA rows', () => {
    const doc = page(`
      <div role="grid">
        <div role="row"><div role="columnheader">条形码</div><div role="columnheader">数量</div></div>
        <div role="row"><div role="gridcell">6901234567892</div><div role="gridcell">3</div></div>
      </div>`);
    const table = findTable(doc, { columns: ['条码', '数量'] })!;
    expect(visibleText(findRow(table, '条码', '6901234567892')[0]!.cell('数量')!)).toBe('3');
  });

  it('ignores hidden rows', () => {
    const doc = page(`<table><thead><tr><th>条码</th></tr></thead><tbody>
      <tr style="display:none"><td>6901234567892</td></tr><tr><td>6901234567892</td></tr></tbody></table>`);
    expect(findRow(findTable(doc, { columns: ['条码'] })!, '条码', '6901234567892')).toHaveLength(1);
  });

  it('matches a barcode shown with other text in its cell as a whole token only', () => {
    const doc = page(`<table><thead><tr><th>商品</th></tr></thead><tbody>
      <tr><td>感冒颗粒<br>条码：6901234567892</td></tr><tr><td>板蓝根 69012345678920</td></tr></tbody></table>`);
    expect(findRow(findTable(doc, { columns: ['商品'] })!, '商品', '6901234567892')).toHaveLength(1);
  });

  it('a column two headers could both be is not found (never the first one)', () => {
    const doc = page(`<table><thead><tr><th>条码</th><th>价格</th><th>售价</th></tr></thead><tbody><tr><td>1</td><td>2</td><td>3</td></tr></tbody></table>`);
    expect(findTable(doc, { columns: ['条码', '单价'] })).toBeNull();
  });

  it('a row’s own button: 选择 / 加入 read as 添加商品; two different ones in a row: none', () => {
    const doc = page(`<table><tbody><tr id="r1"><td><a href="#" id="pick">选择</a></td></tr><tr id="r2"><td><button>选择</button><button>加入</button></td></tr></tbody></table>`);
    expect(rowActionButton(doc.getElementById('r1')!, '添加商品')?.id).toBe('pick');
    expect(rowActionButton(doc.getElementById('r2')!, '添加商品')).toBeNull();
  });
});
