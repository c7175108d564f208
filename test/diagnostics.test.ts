// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { pageOutline, redact } from '@/content-scripts/diagnostics';

/**
 * 「复制诊断信息」 must carry the page's structure and nothing a customer typed or owns: no input
 * values, no card / ID / phone / order numbers (even inside labels or the stop message), no
 * table body cells.
 */
const SECRETS = ['110101199003071234', '6222021234567890', '13800138000', 'XS250328263695', '246810', '张三丰', '35.00'];

describe('diagnostics outline', () => {
  it('keeps labels, placeholders, headers, buttons, dialogs and the stop; drops every value and number', () => {
    document.title = '如医通 · 商保收银WEBPOS';
    document.body.innerHTML = `
      <h2>交易申请</h2>
      <div class="el-steps"><div class="el-step is-process"><div class="el-step__title is-process">录入交易凭证</div></div></div>
      <div class="el-form-item"><label class="el-form-item__label">身份证号</label><input placeholder="请输入顾客身份证号" value="110101199003071234"></div>
      <div class="el-form-item"><label class="el-form-item__label">支付密码</label><input type="password" name="pwd" value="246810"></div>
      <div class="el-form-item"><label class="el-form-item__label">顾客 13800138000</label><input value="张三丰"></div>
      <table><thead><tr><th>国际编码</th><th>品名</th><th>件数</th></tr></thead>
        <tbody><tr><td>6222021234567890</td><td>张三丰</td><td>35.00</td></tr></tbody></table>
      <div role="dialog" aria-label="选择商品"><button>添加商品</button></div>
      <button>确认结账</button><input type="submit" value="查询">`;
    const outline = pageOutline(document, { code: 'FILL_MISSING', message: '页面上找不到「门店订单号输入框」。单号 XS250328263695', step: '5', target: 'storeOrderNo' }, new Date('2026-12-07T10:00:00Z'));
    const text = JSON.stringify(outline);
    for (const secret of SECRETS) expect(text, secret).not.toContain(secret);
    const top = outline.frames[0]!;
    expect(top.headings).toContain('交易申请');
    expect(top.steps).toEqual(['录入交易凭证']);
    expect(top.fields.map((f) => f.label)).toEqual(['身份证号', '支付密码', '顾客 [#]']);
    expect(top.fields[0]?.placeholder).toBe('请输入顾客身份证号');
    expect(top.fields[1]).toMatchObject({ type: 'password', name: 'pwd' });
    expect(top.tables).toEqual([['国际编码', '品名', '件数']]);
    expect(top.buttons).toEqual(['添加商品', '确认结账', '查询']);
    expect(top.dialogs).toEqual(['选择商品']);
    expect(outline.stop).toMatchObject({ code: 'FILL_MISSING', step: '5', target: 'storeOrderNo' });
    expect(outline.stop.message).toContain('门店订单号输入框');
    expect(outline.page.title).toBe('如医通 · 商保收银WEBPOS');
  });

  it('redacts runs of 6+ digits with spaces or dashes, keeps short numbers', () => {
    expect(redact('卡号 6222 0212 3456 7890')).toBe('卡号 [#]');
    expect(redact('身份证 11010119900307123X')).toBe('身份证 [#]');
    expect(redact('第 2 步')).toBe('第 2 步');
    expect(redact('电话 138-0013-8000')).toBe('电话 [#]');
  });
});
