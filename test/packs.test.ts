import { describe, expect, it } from 'vitest';
import { PORTAL_DEFINITIONS } from '@/providers';
import { PORTAL_IDS } from '@/providers/registry';
import { PortalPackSchema, type PortalPackInput } from '@/providers/pack-schema';
import { BASE_FORBIDDEN, checkPack, compareVersions, resolvePacks, safetyProblems } from '@/shared/packs';
import { defaultSettings, mergeManaged } from '@/shared/settings';

const ruyitong = PORTAL_DEFINITIONS.ruyitong!;

function patch(definition: Record<string, unknown>, version = '1', portal = 'ruyitong'): string {
  return JSON.stringify({ packVersion: 1, portal, version, mode: 'patch', definition });
}

describe('pack schema', () => {
  it('accepts every built-in provider as a replace pack, and each passes the safety rules (schema and providers cannot drift)', () => {
    expect(Object.keys(PORTAL_DEFINITIONS).sort()).toEqual([...PORTAL_IDS].sort());
    for (const id of PORTAL_IDS) {
      const definition = PORTAL_DEFINITIONS[id]!;
      const pack: PortalPackInput = { packVersion: 1, portal: id, version: '1', mode: 'replace', definition };
      const parsed = PortalPackSchema.safeParse(JSON.parse(JSON.stringify(pack)));
      expect(parsed.success, `${id}: ${parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 3))}`).toBe(true);
      expect(safetyProblems(definition), id).toEqual([]);
      const checked = checkPack(JSON.stringify(pack), PORTAL_DEFINITIONS);
      expect(checked.ok, id).toBe(true);
    }
  });

  it('refuses unknown keys, a wrong format version, a bad version string, and a replace pack for another portal', () => {
    const problems = (text: string) => {
      const c = checkPack(text, PORTAL_DEFINITIONS);
      return c.ok ? [] : c.problems.map((p) => p.code);
    };
    expect(problems(patch({ targetz: {} }))).toEqual(['INVALID']);
    expect(problems(JSON.stringify({ packVersion: 2, portal: 'ruyitong', version: '1', mode: 'patch', definition: {} }))).toContain('INVALID');
    expect(problems(patch({}, 'v 1'))).toContain('INVALID');
    expect(problems(JSON.stringify({ packVersion: 1, portal: 'boming', version: '1', mode: 'replace', definition: ruyitong }))).toEqual(['INVALID']);
    expect(problems('{not json')).toEqual(['NOT_JSON']);
    expect(problems(patch({ sale: { steps: [{ do: 'click', target: 'nowhere' }] } }))).toEqual(['UNKNOWN_TARGET']);
  });
});

describe('merge rules', () => {
  it('patch: the sale shapes — alternatives given replace the built-in ones, the rest of the sale is kept; a shape a pack leaves unsaid is refused', () => {
    const yuanfu = PORTAL_DEFINITIONS.yuanfu!;
    const alternatives = [{ name: 'goods', when: { text: '网页收银' }, lines: 'each', steps: [{ do: 'waitFor', target: 'searchBox' }] }];
    const checked = checkPack(patch({ sale: { alternatives } }, '2', 'yuanfu'), PORTAL_DEFINITIONS);
    expect(checked.ok, JSON.stringify(checked.ok ? '' : checked.problems)).toBe(true);
    if (!checked.ok) return;
    expect(checked.definition.sale.alternatives).toEqual(alternatives);
    expect(checked.definition.sale.steps).toEqual(yuanfu.sale.steps);
    expect(checked.definition.sale.when).toEqual({ visible: 'amount' });
    // alternatives on a portal whose built-in sale says no shape of its own: refused, not guessed
    const unsaid = checkPack(patch({ sale: { alternatives } }), PORTAL_DEFINITIONS);
    expect(unsaid.ok).toBe(false);
    if (!unsaid.ok) expect(unsaid.problems.map((p) => p.code)).toContain('INVALID');
  });

  it('patch: targets and describe by name, capture rules by id (replaced, added, removed), steps as given, the rest kept', () => {
    const checked = checkPack(
      patch({
        targets: { storeOrderNo: [{ by: 'label', value: 'ERP单据号' }], extra: [{ by: 'text', value: '继续' }] },
        describe: { storeOrderNo: 'ERP单据号输入框' },
        capture: [
          { id: 'ruyitong.sale', kind: 'sale', outcome: 'success', marker: '收款完成', fields: { vendorOrderNo: ['平台单号'] }, required: ['vendorOrderNo'] },
          { id: 'ruyitong.new', kind: 'sale', outcome: 'failed', marker: '收款失败' },
        ],
        removeCapture: ['ruyitong.sale-failed'],
        stepTimeoutMs: 20_000,
      }),
      PORTAL_DEFINITIONS,
    );
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    const d = checked.definition;
    expect(d.targets.storeOrderNo).toEqual([{ by: 'label', value: 'ERP单据号' }]);
    expect(d.targets.searchBox).toEqual(ruyitong.targets.searchBox);
    expect(d.targets.extra).toBeDefined();
    expect(d.describe.storeOrderNo).toBe('ERP单据号输入框');
    expect(d.describe.searchBox).toBe(ruyitong.describe.searchBox);
    expect(d.capture.map((c) => c.id)).toEqual(['ruyitong.sale', 'ruyitong.refund', 'ruyitong.new']);
    expect(d.capture[0]?.marker).toBe('收款完成');
    expect(d.sale).toEqual(ruyitong.sale);
    expect(d.stepTimeoutMs).toBe(20_000);
    expect(d.name).toBe(ruyitong.name);
  });

  it('a pack can add forbidden words but never drop one: the built-in words and the base list always stay', () => {
    const replaced = checkPack(
      JSON.stringify({ packVersion: 1, portal: 'ruyitong', version: '9', mode: 'replace', definition: { ...ruyitong, forbidden: { fill: [], click: [] } } }),
      PORTAL_DEFINITIONS,
    );
    expect(replaced.ok).toBe(true);
    if (!replaced.ok) return;
    for (const word of [...ruyitong.forbidden.fill, ...BASE_FORBIDDEN.fill]) expect(replaced.definition.forbidden.fill).toContain(word);
    for (const word of [...ruyitong.forbidden.click, ...BASE_FORBIDDEN.click]) expect(replaced.definition.forbidden.click).toContain(word);
    const patched = checkPack(patch({ forbidden: { fill: ['会员码'], click: [] } }), PORTAL_DEFINITIONS);
    expect(patched.ok && patched.definition.forbidden.fill).toEqual(expect.arrayContaining(['会员码', '身份证', '密码', '付现']));
  });

  it('versions compare by their numbers: 2026.12.10 > 2026.12.9 > 2026.2', () => {
    expect(compareVersions('2026.12.10', '2026.12.9')).toBeGreaterThan(0);
    expect(compareVersions('2026.12.9', '2026.2')).toBeGreaterThan(0);
    expect(compareVersions('3', '3')).toBe(0);
    expect(compareVersions('1.0', '1.0-b')).toBeLessThan(0);
  });

  it('highest version wins per portal; policy wins over settings for its portal; refused packs never win', () => {
    const renamed = (label: string) => ({ targets: { storeOrderNo: [{ by: 'label', value: label }] } });
    const resolution = resolvePacks(
      {
        policy: [patch(renamed('P2'), '2'), patch(renamed('P10'), '10'), patch({ targets: { storeOrderNo: [{ by: 'label', value: '支付密码' }] } }, '99')],
        settings: [patch(renamed('S50'), '50'), patch({}, '1', 'huiyika'), patch({}, '3', 'huiyika')],
      },
      PORTAL_DEFINITIONS,
    );
    expect(resolution.active.ruyitong?.source).toBe('policy');
    expect(resolution.active.ruyitong?.version).toBe('10');
    expect(resolution.active.ruyitong?.definition.targets.storeOrderNo).toEqual([{ by: 'label', value: 'P10' }]);
    expect(resolution.active.huiyika).toMatchObject({ source: 'settings', version: '3' });
    expect(resolution.active.boming).toBeUndefined();
    expect(resolution.loaded.filter((l) => !l.check.ok)).toHaveLength(1);
  });

  it('packs come from enterprise policy as a list of JSON texts (a locked settings field)', () => {
    const text = patch({ targets: { storeOrderNo: [{ by: 'label', value: 'ERP单据号' }] } });
    const merged = mergeManaged(defaultSettings(), { portalPacks: [text] });
    expect(merged.lockedPaths).toContain('portalPacks');
    expect(merged.settings.portalPacks).toEqual([text]);
    expect(mergeManaged(defaultSettings(), { portalPacks: [{ not: 'text' }] }).ignoredPaths).toContain('portalPacks');
  });
});

describe('safety refusals at load time', () => {
  const refusal = (definition: Record<string, unknown>) => {
    const checked = checkPack(patch(definition), PORTAL_DEFINITIONS);
    return checked.ok ? [] : checked.problems.map((p) => `${p.code}:${p.subject}:${p.detail}`);
  };

  it('refuses a fill of a field described as a password (密码, 支付密码, 口令, password)', () => {
    expect(refusal({ targets: { storeOrderNo: [{ by: 'placeholder', value: '请输入6位数字密码' }] } })).toEqual(['FILLS_PASSWORD:storeOrderNo:密码']);
    expect(refusal({ targets: { storeOrderNo: [{ by: 'label', value: '门店订单号' }, { by: 'css', value: 'input[type=password]' }] } })).toEqual(['FILLS_PASSWORD:storeOrderNo:password']);
    expect(refusal({ targets: { searchBox: [{ by: 'label', value: '口令' }] } })[0]).toMatch(/^FILLS_PASSWORD:searchBox/);
    expect(refusal({ describe: { storeOrderNo: '支付密码输入框' } })[0]).toMatch(/^FILLS_PASSWORD:storeOrderNo/);
  });

  it('refuses a fill of a cash field (现金, 付现), in a target or a table column', () => {
    expect(refusal({ targets: { storeOrderNo: [{ by: 'label', value: '现金支付（元）' }] } })).toEqual(['FILLS_CASH:storeOrderNo:现金']);
    const steps = [{ do: 'fillCell', table: { columns: ['条码'] }, rowColumn: '条码', rowEquals: '{line.code}', column: '付现金额', value: '{line.unitYuan}' }];
    expect(refusal({ sale: { steps } })).toEqual(['FILLS_CASH:付现金额:现金']);
  });

  it('refuses a click of a pay button (确认支付, 确定支付, 结账, 支付, 付款), also inside branches and loops', () => {
    expect(refusal({ targets: { nextButton: [{ by: 'text', value: '确认支付' }] } })).toEqual(['CLICKS_PAY:nextButton:确认支付']);
    expect(refusal({ targets: { nextButton: [{ by: 'text', value: '确定 支付' }] } })[0]).toMatch(/^CLICKS_PAY:nextButton:确定支付/);
    expect(refusal({ targets: { addGoodsButton: [{ by: 'text', value: '去付款' }] } })).toEqual(['CLICKS_PAY:addGoodsButton:付款']);
    const nested = [{ do: 'eachLine', steps: [{ do: 'branch', cases: [{ when: { text: 'x' }, steps: [{ do: 'clickInRow', table: { columns: ['条码'] }, rowColumn: '条码', rowEquals: 'x', button: '结账' }] }] }] }];
    const problems = checkPack(patch({ sale: { steps: nested } }), PORTAL_DEFINITIONS);
    expect(problems.ok).toBe(false);
    if (!problems.ok) expect(problems.problems[0]).toMatchObject({ code: 'CLICKS_PAY', where: '1.1.1.1', subject: '结账' });
  });

  it('checks every shape of a sale: a pay click or a password fill hidden in an alternative is refused, with its path', () => {
    const withAlternative = (steps: unknown[], targets: Record<string, unknown> = {}) =>
      checkPack(patch({ targets, sale: { alternatives: [{ name: 'goods', when: { visible: 'searchBox' }, lines: 'each', steps }] } }, '1', 'yuanfu'), PORTAL_DEFINITIONS);
    const pay = withAlternative([{ do: 'click', target: 'payButton' }], { payButton: [{ by: 'text', value: '确认支付' }] });
    expect(pay.ok).toBe(false);
    if (!pay.ok) expect(pay.problems[0]).toMatchObject({ code: 'CLICKS_PAY', where: 'alternatives.1.1', subject: 'payButton' });
    const password = withAlternative([{ do: 'fill', target: 'pin', value: '1', optional: true }], { pin: [{ by: 'label', value: '交易密码' }] });
    expect(password.ok).toBe(false);
    if (!password.ok) expect(password.problems[0]).toMatchObject({ code: 'FILLS_PASSWORD', where: 'alternatives.1.1' });
    const unknownShape = checkPack(patch({ sale: { when: { visible: 'nowhere' } } }, '1', 'yuanfu'), PORTAL_DEFINITIONS);
    expect(unknownShape.ok ? [] : unknownShape.problems.map((p) => `${p.code}:${p.where}:${p.subject}`)).toEqual(['UNKNOWN_TARGET:when:nowhere']);
  });

  it('leaves waiting for a password field alone (the flow stops there; the customer types it)', () => {
    expect(refusal({ targets: { credentialStep: [{ by: 'placeholder', value: '请输入6位数字密码' }] } })).toEqual([]);
  });
});
