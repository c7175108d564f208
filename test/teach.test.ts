// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { PORTAL_DEFINITIONS } from '@/providers';
import { checkPack } from '@/shared/packs';
import { columnOfCell, deriveLocators, isRecordableText, labelOfValueLine, markerText } from '@/shared/teach/locator';
import { buildPack, teachPlan, type Answer } from '@/shared/teach/plan';

function page(html: string): Document {
  document.body.innerHTML = html;
  return document;
}

const $ = (selector: string): Element => {
  const found = document.querySelector(selector);
  if (!found) throw new Error(`fixture has no ${selector}`);
  return found;
};

describe('locator derivation (what teach mode records for a click)', () => {
  it('an Element-UI form item: label first, then placeholder, then name; the value is never read', () => {
    page(`<form class="el-form"><div class="el-form-item"><label class="el-form-item__label" for="x">* ERP单据号：</label>
      <div class="el-form-item__content"><div class="el-input"><input id="el-id-1024-7" class="el-input__inner" name="erpNo" placeholder="请输入ERP单据号" value="XS250328263695"></div></div></div></form>`);
    const locators = deriveLocators($('.el-input'));
    expect(locators).toEqual([
      { by: 'label', value: 'ERP单据号' },
      { by: 'placeholder', value: '请输入ERP单据号' },
      { by: 'name', value: 'erpNo' },
      { by: 'css', value: '.el-input input' },
    ]);
    expect(JSON.stringify(locators)).not.toContain('XS250328263695');
  });

  it('a label wrapping its input, aria-label, a table form (label cell before the field)', () => {
    page(`<label>药品编码 <input id="q"></label><input aria-label="件数" id="n"><table><tr><td>门店单号</td><td><input id="s"></td></tr></table>`);
    expect(deriveLocators($('#q'))[0]).toEqual({ by: 'label', value: '药品编码' });
    expect(deriveLocators($('#n'))[0]).toEqual({ by: 'label', value: '件数' });
    expect(deriveLocators($('#s'))[0]).toEqual({ by: 'label', value: '门店单号' });
  });

  it('a button: its visible text and role before CSS (a click on its inner span counts as the button)', () => {
    page(`<div class="footer"><button class="el-button el-button--primary" type="button"><span>继 续</span></button></div>`);
    expect(deriveLocators($('button span'), 'clickable')).toEqual([
      { by: 'text', value: '继 续' },
      { by: 'role', role: 'button', value: '继 续' },
      { by: 'css', value: '.footer button.el-button.el-button--primary' },
    ]);
  });

  it('never records a number someone owns (6+ digits) or an amount as text', () => {
    expect(isRecordableText('110101199003071234')).toBe(false);
    expect(isRecordableText('6222 0212 3456')).toBe(false);
    expect(isRecordableText('¥35.00')).toBe(false);
    expect(isRecordableText('下一步')).toBe(true);
    page(`<button id="b">6222021234567890</button>`);
    expect(deriveLocators($('#b'), 'clickable').filter((l) => l.by !== 'css')).toEqual([]);
  });

  it('a body cell names its column by the header, also when header and body are separate tables (el-table)', () => {
    page(`<div class="el-table"><div class="el-table__header-wrapper"><table><thead><tr><th>国际编码</th><th>品名</th><th>零售价(元)</th><th>件数</th></tr></thead></table></div>
      <div class="el-table__body-wrapper"><table><tbody><tr><td>6923456789012</td><td>阿莫西林胶囊</td><td><input value="26.00"></td><td><div class="cell"><input id="qty" value="1"></div></td></tr></tbody></table></div></div>`);
    expect(columnOfCell($('#qty'))).toEqual({ column: '件数', headers: ['国际编码', '品名', '零售价(元)', '件数'] });
    expect(columnOfCell($('td'))?.column).toBe('国际编码');
    expect(columnOfCell($('th'))).toBeNull();
  });

  it('a result line gives its label, never its value; a result message gives its short text', () => {
    page(`<div class="result"><h3 id="m">收款完成</h3><p id="a">平台单号：RYT20261207000123</p><dl><dt>本单合计</dt><dd id="v">¥35.00</dd></dl>
      <div class="row" id="r"><span>证件号</span><span>110101********1234</span></div></div>`);
    expect(labelOfValueLine($('#a'))).toBe('平台单号');
    expect(labelOfValueLine($('#v'))).toBe('本单合计');
    expect(labelOfValueLine($('#r span:last-child'))).toBe('证件号');
    expect(markerText($('#m'))).toBe('收款完成');
    expect(markerText($('#a'))).toBeNull();
  });
});

describe('teach plan and the pack it builds', () => {
  const ruyitong = PORTAL_DEFINITIONS.ruyitong!;

  it('asks for each thing the sale uses, in the order a person meets them; outcomes of branches are optional', () => {
    const asks = teachPlan(ruyitong);
    expect(asks.map((a) => a.id)).toEqual([
      'target:searchBox',
      'column:["条码"]:条码',
      'target:addGoodsButton',
      'column:["条码","数量"]:条码',
      'column:["条码","数量"]:价格',
      'column:["条码","数量"]:数量',
      'target:nextButton',
      'target:storeOrderNo',
      'target:credentialStep',
      'marker:ruyitong.sale',
      'field:ruyitong.sale:vendorOrderNo',
      'field:ruyitong.sale:storeOrderNo',
      'field:ruyitong.sale:totalFen',
      'field:ruyitong.sale:cardFen',
      'field:ruyitong.sale:cashFen',
      'field:ruyitong.sale:cardNumber',
      'field:ruyitong.sale:settledAt',
    ]);
    const optional = asks.filter((a) => a.optional).map((a) => a.id);
    expect(optional).toContain('target:addGoodsButton');
    expect(optional).toContain('column:["条码"]:条码');
    // the cart's barcode column is also the row key of fillCell: required
    expect(optional).not.toContain('column:["条码","数量"]:条码');
    expect(asks.find((a) => a.id === 'target:nextButton')).toMatchObject({ clicked: true });
    expect(asks.find((a) => a.id === 'target:storeOrderNo')).toMatchObject({ clicked: false });
  });

  it('a sale in two page shapes (员福好管家): asks for what either shape uses, all optional, and a taught cart column reaches the goods shape', () => {
    const yuanfu = PORTAL_DEFINITIONS.yuanfu!;
    const asks = teachPlan(yuanfu);
    const ids = asks.map((a) => a.id);
    expect(ids).toEqual(expect.arrayContaining(['target:amount', 'target:searchBox', 'target:storeOrderNo', 'target:payButton', 'target:cardStep', 'column:["条码","数量"]:单价']));
    expect(asks.filter((a) => a.kind !== 'marker' && a.kind !== 'field').every((a) => a.optional)).toBe(true);
    const pack = buildPack(yuanfu, asks, new Map<string, Answer>([['column:["条码","数量"]:单价', { kind: 'column', header: '会员价', headers: ['条码', '会员价', '数量'] }]]), new Date(2026, 11, 7, 22, 10));
    if (pack.mode !== 'patch') throw new Error('a patch pack');
    expect(JSON.stringify(pack.definition.sale?.alternatives)).toContain('"column":"会员价"');
    expect(pack.definition.sale?.steps).toEqual(yuanfu.sale.steps);
    expect(checkPack(JSON.stringify(pack), PORTAL_DEFINITIONS).ok).toBe(true);
  });

  it('builds a patch pack from the answers: taught locators first, columns renamed per table, capture labels added; it passes the safety rules', () => {
    const asks = teachPlan(ruyitong);
    const answers = new Map<string, Answer>([
      ['target:storeOrderNo', { kind: 'target', locators: [{ by: 'label', value: 'ERP单据号' }] }],
      ['column:["条码","数量"]:条码', { kind: 'column', header: '国际编码', headers: ['国际编码', '件数'] }],
      ['column:["条码","数量"]:数量', { kind: 'column', header: '件数', headers: ['国际编码', '件数'] }],
      ['marker:ruyitong.sale', { kind: 'marker', text: '收款完成' }],
      ['field:ruyitong.sale:vendorOrderNo', { kind: 'field', label: '平台单号' }],
    ]);
    const pack = buildPack(ruyitong, asks, answers, new Date(2026, 11, 7, 18, 35));
    expect(pack).toMatchObject({ packVersion: 1, portal: 'ruyitong', mode: 'patch', version: '2026.1207.1835' });
    if (pack.mode !== 'patch') return;
    expect(pack.definition.targets?.storeOrderNo?.[0]).toEqual({ by: 'label', value: 'ERP单据号' });
    const text = JSON.stringify(pack.definition.sale?.steps);
    expect(text).toContain('"columns":["国际编码","件数"]');
    expect(text).toContain('"rowColumn":"国际编码","rowEquals":"{line.code}","column":"件数"');
    // the search-hits table was not taught: its 条码 stays
    expect(text).toContain('"columns":["条码"]');
    expect(pack.definition.capture?.[0]).toMatchObject({ id: 'ruyitong.sale', marker: '收款完成' });
    expect(pack.definition.capture?.[0]?.fields.vendorOrderNo).toEqual(['平台单号', '交易流水号', '流水号', '交易单号', '支付单号']);
    const checked = checkPack(JSON.stringify(pack), PORTAL_DEFINITIONS);
    expect(checked.ok).toBe(true);
  });
});
