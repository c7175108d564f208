import type { Step } from './flow';

/** Every step of a flow with its path, nested ones included (branches, each-line loops). */
export function walkSteps(steps: readonly Step[], prefix = ''): Array<{ path: string; step: Step }> {
  const out: Array<{ path: string; step: Step }> = [];
  steps.forEach((step, index) => {
    const path = `${prefix}${index + 1}`;
    out.push({ path, step });
    if (step.do === 'eachLine') out.push(...walkSteps(step.steps, `${path}.`));
    if (step.do === 'branch') step.cases.forEach((c, i) => out.push(...walkSteps(c.steps, `${path}.${i + 1}.`)));
  });
  return out;
}
