import { describe, expect, it } from 'vitest';
import { PORTAL_DEFINITIONS } from '@/providers';
import { PORTAL_IDS } from '@/providers/registry';
import { withOverrides } from '@/providers/types';
import type { Step } from '@/shared/engine/flow';
import { saleFlows } from '@/shared/engine/sale-shape';

function targetsUsed(steps: readonly Step[]): string[] {
  return steps.flatMap((step): string[] => {
    if ('target' in step) return [step.target];
    if (step.do === 'eachLine') return targetsUsed(step.steps);
    if (step.do === 'branch') return step.cases.flatMap((c) => [...('visible' in c.when ? [c.when.visible] : []), ...targetsUsed(c.steps)]);
    return [];
  });
}

describe('provider data', () => {
  it('has a valid definition for each of the five portals', () => {
    expect(Object.keys(PORTAL_DEFINITIONS).sort()).toEqual([...PORTAL_IDS].sort());
  });

  it.each(PORTAL_IDS)('%s: every target a step uses is defined and described, and the flow never pays', (id) => {
    const definition = PORTAL_DEFINITIONS[id]!;
    // every shape of the sale (员福好管家: amount or goods), and the targets that recognise each shape
    const flows = saleFlows(definition.sale);
    for (const target of [...flows.flatMap((flow) => targetsUsed(flow.steps)), ...flows.flatMap((flow) => (flow.when && 'visible' in flow.when ? [flow.when.visible] : []))]) {
      expect(definition.targets[target], target).toBeDefined();
      expect(definition.describe[target], target).toBeTruthy();
    }
    expect(definition.forbidden.fill).toContain('密码');
    expect(definition.forbidden.click.length).toBeGreaterThan(0);
    expect(definition.capture.some((rule) => rule.kind === 'sale' && rule.outcome === 'success')).toBe(true);
  });

  it('applies a settings override to its own portal only, and says which', () => {
    const boming = PORTAL_DEFINITIONS.boming!;
    const { definition, applied } = withOverrides(boming, {
      'boming.verifyButton': [{ by: 'text', value: '去验证' }],
      'ruyitong.searchBox': [{ by: 'css', value: '#x' }],
    });
    expect(definition.targets.verifyButton).toEqual([{ by: 'text', value: '去验证' }]);
    expect(applied.map((a) => a.target)).toEqual(['verifyButton']);
    expect(boming.targets.verifyButton?.[0]).toEqual({ by: 'text', value: '下一步：验证顾客' });
  });
});
