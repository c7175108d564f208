import type { PortalDefinition } from '@/providers/types';
import type { DryRunItem, DryRunResult } from '@/shared/messages';
import { resolveLocators, searchRoots } from '@/shared/engine/locate';
import { findTable } from '@/shared/engine/table';
import { normalizeText } from '@/shared/engine/dom';
import { walkSteps } from '@/shared/engine/walk-steps';
import { saleFlows } from '@/shared/engine/sale-shape';

/**
 * A dry run of a portal definition on the page as it is now: every target resolved the way the
 * engine would (found / missing / ambiguous), every table the flow reads looked up by its
 * headers, and each column the flow uses checked in it. Nothing is filled, clicked or focused.
 * What belongs to a later step of the sale (the next page, a dialog not open yet) is reported
 * missing: IT runs it again on that step.
 */
export function tablesOf(definition: PortalDefinition): Array<{ columns: string[]; uses: string[] }> {
  const tables = new Map<string, { columns: string[]; uses: Set<string> }>();
  const use = (table: { columns: string[] }, ...columns: string[]) => {
    const key = JSON.stringify(table.columns);
    const entry = tables.get(key) ?? { columns: table.columns, uses: new Set(table.columns) };
    for (const column of columns) entry.uses.add(column);
    tables.set(key, entry);
  };
  for (const { step } of saleFlows(definition.sale).flatMap((flow) => walkSteps(flow.steps))) {
    if (step.do === 'fillCell') use(step.table, step.rowColumn, step.column);
    if (step.do === 'clickInRow') use(step.table, step.rowColumn);
    if (step.do === 'addGoods') use(step.cart, step.cartColumn);
    if (step.do === 'pickRow') use(step.table, step.column);
    if (step.do === 'branch') for (const c of step.cases) if ('row' in c.when) use(c.when.row.table, c.when.row.column);
  }
  return [...tables.values()].map((t) => ({ columns: t.columns, uses: [...t.uses] }));
}

function describeLocator(locator: { by: string; value: string; role?: string }): string {
  return `${locator.by}${locator.role ? `(${locator.role})` : ''}: ${locator.value}`;
}

export function dryRun(doc: Document, definition: PortalDefinition): DryRunResult {
  const items: DryRunItem[] = [];
  for (const [name, locators] of Object.entries(definition.targets)) {
    const found = resolveLocators(doc, locators);
    const describe = definition.describe[name];
    if (found.ok) items.push({ kind: 'target', name, describe, status: 'found', via: describeLocator(found.via) });
    else if (found.reason === 'ambiguous') items.push({ kind: 'target', name, describe, status: 'ambiguous', via: found.ambiguousVia ? describeLocator(found.ambiguousVia) : undefined, count: found.count });
    else items.push({ kind: 'target', name, describe, status: 'missing' });
  }
  for (const table of tablesOf(definition)) {
    const name = table.columns.join(' / ');
    const found = searchRoots(doc).map((root) => findTable(root, table)).find((t) => t !== null) ?? null;
    items.push({ kind: 'table', name, status: found ? 'found' : 'missing' });
    if (!found) continue;
    for (const column of table.uses) {
      items.push({ kind: 'column', name: column, via: name, status: found.headers.includes(normalizeText(column)) ? 'found' : 'missing' });
    }
  }
  const view = doc.defaultView;
  return { page: { path: (view?.location.pathname ?? '') + (view?.location.hash.split('?')[0] ?? ''), title: doc.title.slice(0, 200) }, items: items.slice(0, 500) };
}
