import type { PortalDefinition } from '@/providers/types';
import type { PortalPack } from '@/providers/pack-schema';
import type { CaptureFieldName, CaptureRule } from '@/shared/engine/capture';
import type { Step } from '@/shared/engine/flow';
import type { Locator } from '@/shared/engine/locator';
import { saleFlows } from '@/shared/engine/sale-shape';

/**
 * Teach mode's script, from the definition in force: one question per thing the sale flow uses,
 * in the order a person meets them walking a sale (targets, the table columns, then the result's
 * marker and labels), and the pack built from the answers. Skipped questions keep what the
 * definition has. Pure data in, data out.
 */
export type Ask =
  /** `clicked`: the flow clicks it (a button); otherwise it is a field or a part of the page */
  | { kind: 'target'; id: string; target: string; describe: string; optional: boolean; clicked: boolean }
  | { kind: 'column'; id: string; tableKey: string; column: string; optional: boolean }
  | { kind: 'marker'; id: string; rule: string; marker: string; optional: boolean }
  | { kind: 'field'; id: string; rule: string; field: CaptureFieldName; label: string; optional: boolean };

export type Answer =
  | { kind: 'target'; locators: Locator[] }
  | { kind: 'column'; header: string; headers: string[] }
  | { kind: 'marker'; text: string }
  | { kind: 'field'; label: string };

const tableKey = (table: { columns: string[] }): string => JSON.stringify(table.columns);

/** The sale rule teach mode asks about: the successful sale. */
function saleRule(definition: PortalDefinition): CaptureRule | undefined {
  return definition.capture.find((rule) => rule.kind === 'sale' && rule.outcome === 'success');
}

export function teachPlan(definition: PortalDefinition): Ask[] {
  const asks: Ask[] = [];
  const upsert = (ask: Ask) => {
    const seen = asks.find((a) => a.id === ask.id);
    if (!seen) asks.push(ask);
    else if (!ask.optional) seen.optional = false;
  };
  const clickedTargets = new Set<string>();
  const collectClicks = (steps: readonly Step[]) => {
    for (const step of steps) {
      if (step.do === 'click') clickedTargets.add(step.target);
      if (step.do === 'pickRow' && step.thenClick) clickedTargets.add(step.thenClick);
      if (step.do === 'eachLine') collectClicks(step.steps);
      if (step.do === 'branch') for (const c of step.cases) collectClicks(c.steps);
    }
  };
  // a sale in several page shapes (amount or goods): one page shows one shape, so every ask is optional
  const flows = saleFlows(definition.sale);
  for (const flow of flows) collectClicks(flow.steps);
  const target = (name: string, optional: boolean) =>
    upsert({ kind: 'target', id: `target:${name}`, target: name, describe: definition.describe[name] ?? name, optional, clicked: clickedTargets.has(name) });
  const column = (table: { columns: string[] }, name: string, optional: boolean) =>
    upsert({ kind: 'column', id: `column:${tableKey(table)}:${name}`, tableKey: tableKey(table), column: name, optional });
  const walk = (steps: readonly Step[], optional: boolean) => {
    for (const step of steps) {
      switch (step.do) {
        case 'waitFor':
        case 'click':
        case 'fill':
        case 'press':
          target(step.target, optional);
          break;
        case 'pickRow':
          column(step.table, step.column, optional);
          // the page's own button is clicked only where the hit row has none of its own
          if (step.thenClick) target(step.thenClick, step.rowButton !== undefined || optional);
          break;
        case 'fillCell':
          column(step.table, step.rowColumn, optional);
          column(step.table, step.column, optional);
          break;
        case 'clickInRow':
          column(step.table, step.rowColumn, optional);
          break;
        case 'addGoods':
          column(step.cart, step.cartColumn, optional);
          if (step.submit) target(step.submit, optional);
          break;
        case 'eachLine':
          walk(step.steps, optional);
          break;
        case 'branch':
          // a case is one of several outcomes: what it needs may never show on this sale
          for (const c of step.cases) {
            if ('row' in c.when) column(c.when.row.table, c.when.row.column, true);
            walk(c.steps, true);
          }
          break;
        default:
          break;
      }
    }
  };
  for (const flow of flows) walk(flow.steps, flows.length > 1);
  const rule = saleRule(definition);
  if (rule) {
    upsert({ kind: 'marker', id: `marker:${rule.id}`, rule: rule.id, marker: rule.marker, optional: false });
    for (const [field, labels] of Object.entries(rule.fields) as Array<[CaptureFieldName, string[]]>) {
      upsert({ kind: 'field', id: `field:${rule.id}:${field}`, rule: rule.id, field, label: labels[0] ?? field, optional: !rule.required.includes(field) });
    }
  }
  return asks;
}

function renameInTable(table: { columns: string[] }, renames: Map<string, Map<string, string>>): Map<string, string> | undefined {
  return renames.get(tableKey(table));
}

/** The flow with each taught table's columns renamed (per table: 条码 may be 国际编码 in one and 商品条码 in another). */
export function renameColumns(steps: readonly Step[], renames: Map<string, Map<string, string>>): Step[] {
  const name = (map: Map<string, string> | undefined, column: string) => map?.get(column) ?? column;
  const table = (spec: { columns: string[] }) => {
    const map = renameInTable(spec, renames);
    return { columns: spec.columns.map((c) => name(map, c)) };
  };
  return steps.map((step): Step => {
    switch (step.do) {
      case 'pickRow': {
        const map = renameInTable(step.table, renames);
        return { ...step, table: table(step.table), column: name(map, step.column) };
      }
      case 'fillCell': {
        const map = renameInTable(step.table, renames);
        return { ...step, table: table(step.table), rowColumn: name(map, step.rowColumn), column: name(map, step.column) };
      }
      case 'clickInRow': {
        const map = renameInTable(step.table, renames);
        return { ...step, table: table(step.table), rowColumn: name(map, step.rowColumn) };
      }
      case 'addGoods': {
        const map = renameInTable(step.cart, renames);
        return { ...step, cart: table(step.cart), cartColumn: name(map, step.cartColumn) };
      }
      case 'eachLine':
        return { ...step, steps: renameColumns(step.steps, renames) };
      case 'branch':
        return {
          ...step,
          cases: step.cases.map((c) => {
            const when =
              'row' in c.when
                ? { row: { ...c.when.row, table: table(c.when.row.table), column: name(renameInTable(c.when.row.table, renames), c.when.row.column) } }
                : c.when;
            return { when, steps: renameColumns(c.steps, renames) };
          }),
        };
      default:
        return step;
    }
  });
}

/** "2026.1207.1835": taught later = a higher version, so the newest teaching wins. */
export function taughtVersion(now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}.${p(now.getMonth() + 1)}${p(now.getDate())}.${p(now.getHours())}${p(now.getMinutes())}`;
}

/** The 'patch' pack the answers make (only what was taught; the rest stays as the definition has it). */
export function buildPack(definition: PortalDefinition, asks: readonly Ask[], answers: ReadonlyMap<string, Answer>, now: Date): PortalPack {
  const targets: Record<string, Locator[]> = {};
  const renames = new Map<string, Map<string, string>>();
  const rules = new Map<string, CaptureRule>();
  const ruleFor = (id: string) => {
    const existing = rules.get(id) ?? structuredClone(definition.capture.find((r) => r.id === id));
    if (existing) rules.set(id, existing);
    return existing;
  };
  for (const ask of asks) {
    const answer = answers.get(ask.id);
    if (!answer) continue;
    if (ask.kind === 'target' && answer.kind === 'target' && answer.locators.length) {
      // what was taught first; the old ways after it, for the day the site goes back
      const old = (definition.targets[ask.target] ?? []).filter((l) => !answer.locators.some((n) => n.by === l.by && n.value === l.value));
      targets[ask.target] = [...answer.locators, ...old];
    }
    if (ask.kind === 'column' && answer.kind === 'column' && answer.header !== ask.column) {
      const map = renames.get(ask.tableKey) ?? new Map<string, string>();
      map.set(ask.column, answer.header);
      renames.set(ask.tableKey, map);
    }
    if (ask.kind === 'marker' && answer.kind === 'marker') {
      const rule = ruleFor(ask.rule);
      if (rule) rule.marker = answer.text;
    }
    if (ask.kind === 'field' && answer.kind === 'field') {
      const rule = ruleFor(ask.rule);
      if (rule) rule.fields[ask.field] = [answer.label, ...(rule.fields[ask.field] ?? []).filter((l) => l !== answer.label)];
    }
  }
  const patch: Extract<PortalPack, { mode: 'patch' }>['definition'] = {};
  if (Object.keys(targets).length) patch.targets = targets;
  if (renames.size) {
    const alternatives = definition.sale.alternatives?.map((alt) => ({ ...alt, steps: renameColumns(alt.steps, renames) }));
    patch.sale = { steps: renameColumns(definition.sale.steps, renames), ...(alternatives ? { alternatives } : {}) };
  }
  if (rules.size) patch.capture = [...rules.values()];
  return {
    packVersion: 1,
    portal: definition.id,
    version: taughtVersion(now),
    mode: 'patch',
    note: `taught ${now.toISOString().slice(0, 16)} (教一教)`,
    definition: patch,
  };
}
