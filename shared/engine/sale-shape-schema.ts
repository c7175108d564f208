import { z } from 'zod';
import { StepSchema } from './flow-schema';
import { navigates, saleFlows, type Sale, type SaleAlternative, type SaleShape } from './sale-shape';

/**
 * The zod schemas of a sale's shapes and alternatives (shared/engine/sale-shape.ts runs them).
 * Apart from sale-shape.ts so the content script carries no zod (issue 13); the types there are
 * written out by hand and the checks at the end of this file fail to compile if they drift.
 */

export const SaleShapeSchema = z.union([
  /** a target (by its locators, as a step would find it) is on the page */
  z.object({ visible: z.string().min(1) }).strict(),
  /** a text is visible on the page */
  z.object({ text: z.string().min(1).max(60) }).strict(),
]);

const LinesSchema = z.enum(['each', 'single']);
const ShapeNameSchema = z.string().min(1).max(40);

/** An alternative way to take the sale, with the page shape it is for. */
export const SaleAlternativeSchema = z.object({
  /** names the shape in the fill report and diagnostics ('amount', 'goods') */
  name: ShapeNameSchema,
  when: SaleShapeSchema,
  /** each: every ticket line is entered; single: one goods line priced at the ticket total */
  lines: LinesSchema,
  steps: z.array(StepSchema).min(1),
});

export const SaleSchema = z
  .object({
    /** each: every ticket line is entered; single: one goods line priced at the ticket total */
    lines: LinesSchema,
    steps: z.array(StepSchema).min(1),
    /** with alternatives: this flow's name and the page shape it is for */
    name: ShapeNameSchema.optional(),
    when: SaleShapeSchema.optional(),
    /** other shapes of the same sale, tried after this one in this order */
    alternatives: z.array(SaleAlternativeSchema).max(5).optional(),
  })
  .superRefine((sale, ctx) => {
    if (!sale.alternatives?.length) return;
    if (!sale.when) ctx.addIssue({ code: 'custom', path: ['when'], message: 'a sale with alternatives must say which page shape its own steps are for (when)' });
    if (!sale.name) ctx.addIssue({ code: 'custom', path: ['name'], message: 'a sale with alternatives must name its own shape (name)' });
    const flows = saleFlows(sale);
    if (flows.some((flow) => navigates(flow.steps))) {
      ctx.addIssue({ code: 'custom', path: ['alternatives'], message: 'a sale whose steps load new pages (navigates) cannot have alternatives' });
    }
    const names = flows.map((flow) => flow.name);
    if (new Set(names).size !== names.length) ctx.addIssue({ code: 'custom', path: ['alternatives'], message: 'shape names must differ' });
  });

/** Compile-time: the hand-written types in sale-shape.ts are exactly what these schemas produce. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const saleTypesMatch: [Same<z.infer<typeof SaleShapeSchema>, SaleShape>, Same<z.infer<typeof SaleAlternativeSchema>, SaleAlternative>, Same<z.infer<typeof SaleSchema>, Sale>] = [true, true, true];
void saleTypesMatch;
