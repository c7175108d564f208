import { FlowStop, pageShowsText, type Step } from './flow';
import { resolveLocators, searchRoots, type Locator } from './locate';
import { searchableDocuments } from './dom';
import { loginRequired, seenOnPage } from './structure';
import { waitFor, WaitTimeoutError } from './wait';
import type { LexiconAdditions } from './lexicon';

/**
 * One portal can take a sale in more than one shape: 员福好管家 sells by an amount on one page and
 * by goods lines on another. A sale definition may carry alternatives, each recognised by what
 * the page shows (a target that resolves, or a text), and the shape is decided once, before
 * anything is filled: the first shape, in the definition's order, that the page shows. When the
 * page shows none of them the fill stops and names every one it looked for; it never guesses a
 * shape and fills half of one.
 *
 * A sale whose steps load new pages (navigates) cannot have alternatives: the resume point after
 * a page load does not say which shape was chosen.
 */

/** What the page shows for a shape: a target (by its locators, as a step would find it) or a text. */
export type SaleShape = { visible: string } | { text: string };

/** An alternative way to take the sale, with the page shape it is for. */
export interface SaleAlternative {
  /** names the shape in the fill report and diagnostics ('amount', 'goods') */
  name: string;
  when: SaleShape;
  /** each: every ticket line is entered; single: one goods line priced at the ticket total */
  lines: 'each' | 'single';
  steps: Step[];
}

/**
 * A portal's sale flow. The zod schema that checks it is in sale-shape-schema.ts (so the content
 * script carries no zod); that file also proves these types equal the schema's.
 */
export interface Sale {
  lines: 'each' | 'single';
  steps: Step[];
  /** with alternatives: this flow's name and the page shape it is for */
  name?: string | undefined;
  when?: SaleShape | undefined;
  /** other shapes of the same sale, tried after this one in this order */
  alternatives?: SaleAlternative[] | undefined;
}

/** Whether any step (in eachLine and branch too) loads a new page. */
export function navigates(steps: readonly Step[]): boolean {
  return steps.some(
    (step) =>
      ('navigates' in step && step.navigates === true) ||
      (step.do === 'eachLine' && navigates(step.steps)) ||
      (step.do === 'branch' && step.cases.some((c) => navigates(c.steps))),
  );
}


/** One way to take the sale: the primary flow or an alternative. */
export interface SaleFlow {
  name?: string;
  when?: SaleShape;
  lines: 'each' | 'single';
  steps: Step[];
  /** '' for the primary flow, 'alternatives.N' for the others (paths in pack problems) */
  where: string;
}

/** Every flow of a sale, the primary first, in the order they are tried. */
export function saleFlows(sale: Pick<Sale, 'lines' | 'steps' | 'name' | 'when' | 'alternatives'>): SaleFlow[] {
  const primary: SaleFlow = { name: sale.name, when: sale.when, lines: sale.lines, steps: sale.steps, where: '' };
  return [primary, ...(sale.alternatives ?? []).map((alt, index) => ({ name: alt.name, when: alt.when, lines: alt.lines, steps: alt.steps, where: `alternatives.${index + 1}` }))];
}

/** The targets a shape condition names (for pack checks and stop messages). */
export function shapeTarget(when: SaleShape | undefined): string | undefined {
  return when && 'visible' in when ? when.visible : undefined;
}

export interface ShapeContext {
  doc: Document;
  targets: Record<string, Locator[]>;
  lexicon?: LexiconAdditions;
  signal: AbortSignal;
  timeoutMs: number;
}

/** Does the page show this shape now? A target found twice is there too (the flow then stops on it). */
function shows(ctx: ShapeContext, when: SaleShape): boolean {
  if ('text' in when) return pageShowsText(ctx.doc, when.text);
  const found = resolveLocators(ctx.doc, ctx.targets[when.visible] ?? [], { lexicon: ctx.lexicon });
  return found.ok || found.reason === 'ambiguous';
}

/**
 * The flow for the page as it is: with no alternatives, the sale's own steps at once (as
 * always); else the first shape the page shows, waiting up to `timeoutMs` for the page to show
 * one. None: a stop (SALE_SHAPE_UNKNOWN) whose subject lists every shape's target or text, joined
 * by '|', with the inputs seen instead — or LOGIN_REQUIRED when the page is a login form.
 */
export async function chooseSaleFlow(sale: Sale, ctx: ShapeContext): Promise<SaleFlow> {
  const flows = saleFlows(sale);
  const [primary] = flows;
  if (!primary) throw new FlowStop('NO_LOCATOR', 'sale', '1');
  if (flows.length === 1) return primary;
  const documents = (): Document[] => searchableDocuments(ctx.doc);
  if (loginRequired(ctx.doc, documents())) throw new FlowStop('LOGIN_REQUIRED', '', '1');
  try {
    return await waitFor(ctx.doc, () => flows.find((flow) => flow.when !== undefined && shows(ctx, flow.when)), {
      timeoutMs: ctx.timeoutMs,
      signal: ctx.signal,
      what: 'the page shape of the sale',
    });
  } catch (error) {
    if (!(error instanceof WaitTimeoutError)) throw error;
    if (loginRequired(ctx.doc, documents())) throw new FlowStop('LOGIN_REQUIRED', '', '1');
    const subject = flows.map((flow) => shapeTarget(flow.when) ?? (flow.when && 'text' in flow.when ? flow.when.text : flow.name ?? '')).join('|');
    throw new FlowStop('SALE_SHAPE_UNKNOWN', subject, '1', { seen: seenOnPage(searchRoots(ctx.doc), 'input'), seenKind: 'input' });
  }
}
