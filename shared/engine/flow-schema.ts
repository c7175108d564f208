import { z } from 'zod';

/**
 * The zod schema of a flow's steps (shared/engine/flow.ts interprets them). Apart from flow.ts so
 * that the content script, which runs definitions the background and the unit tests have already
 * validated, carries no zod (issue 13).
 */

const TemplateSchema = z.string().max(200);
const TableSpecSchema = z.object({ columns: z.array(z.string().min(1)).min(1) });
const ConditionSchema = z.union([
  z.object({ visible: z.string() }),
  z.object({ text: z.string() }),
  /** a suggestion list shows an option containing this text */
  z.object({ option: TemplateSchema }),
  /** `in: 'dialog'`: only a table inside an open dialog counts (a pick list, not the cart) */
  z.object({ row: z.object({ table: TableSpecSchema, column: z.string(), equals: TemplateSchema, in: z.enum(['dialog', 'page']).optional() }) }),
]);
export type Condition = z.infer<typeof ConditionSchema>;

export type StepShape =
  | { do: 'waitFor'; target: string; timeoutMs?: number }
  | { do: 'click'; target: string; timeoutMs?: number; navigates?: boolean }
  | { do: 'fill'; target: string; value: string; timeoutMs?: number; keepFocus?: boolean; optional?: boolean }
  | { do: 'press'; target: string; key: 'Enter'; navigates?: boolean }
  | { do: 'clickInRow'; table: { columns: string[] }; rowColumn: string; rowEquals: string; button: string; timeoutMs?: number; navigates?: boolean; orKeyCell?: boolean }
  | { do: 'pickRow'; table: { columns: string[] }; column: string; equals: string; timeoutMs?: number; rowButton?: string; thenClick?: string }
  | { do: 'fillCell'; table: { columns: string[] }; rowColumn: string; rowEquals: string; column: string; value: string; timeoutMs?: number }
  | { do: 'branch'; timeoutMs?: number; cases: Array<{ when: Condition; steps: StepShape[] }> }
  | { do: 'eachLine'; steps: StepShape[] }
  | { do: 'pickOption'; contains: string; timeoutMs?: number }
  | { do: 'addGoods'; code?: string; name?: string; cart: { columns: string[] }; cartColumn: string; notFound?: string[]; submit?: string; timeoutMs?: number; navigates?: boolean }
  | { do: 'fail'; code: string; subject?: string }
  | { do: 'mark'; label: string };

export const StepSchema: z.ZodType<StepShape> = z.lazy(() =>
  z.discriminatedUnion('do', [
    z.object({ do: z.literal('waitFor'), target: z.string(), timeoutMs: z.number().int().positive().optional() }),
    z.object({ do: z.literal('click'), target: z.string(), timeoutMs: z.number().int().positive().optional(), navigates: z.boolean().optional() }),
    z.object({
      do: z.literal('fill'),
      target: z.string(),
      value: TemplateSchema,
      timeoutMs: z.number().int().positive().optional(),
      keepFocus: z.boolean().optional(),
      /** a field some pages of the portal have and others not: filled when it is there now, else skipped */
      optional: z.boolean().optional(),
    }),
    z.object({ do: z.literal('press'), target: z.string(), key: z.literal('Enter'), navigates: z.boolean().optional() }),
    z.object({
      do: z.literal('clickInRow'),
      table: TableSpecSchema,
      rowColumn: z.string(),
      rowEquals: TemplateSchema,
      button: z.string(),
      timeoutMs: z.number().int().positive().optional(),
      navigates: z.boolean().optional(),
      /** no such button in the row: click the one link in the key cell (「点击选中药品名称」) */
      orKeyCell: z.boolean().optional(),
    }),
    z.object({
      do: z.literal('pickRow'),
      table: TableSpecSchema,
      column: z.string(),
      equals: TemplateSchema,
      timeoutMs: z.number().int().positive().optional(),
      /** the row's own action button (a word: 添加商品 / 选择 …), clicked when the row has one */
      rowButton: z.string().optional(),
      /** a page-level target clicked after ticking the row, when the row has no button of its own */
      thenClick: z.string().optional(),
    }),
    z.object({
      do: z.literal('fillCell'),
      table: TableSpecSchema,
      rowColumn: z.string(),
      rowEquals: TemplateSchema,
      column: z.string(),
      value: TemplateSchema,
      timeoutMs: z.number().int().positive().optional(),
    }),
    z.object({
      do: z.literal('branch'),
      timeoutMs: z.number().int().positive().optional(),
      cases: z.array(z.object({ when: ConditionSchema, steps: z.array(StepSchema) })).min(1),
    }),
    z.object({ do: z.literal('eachLine'), steps: z.array(StepSchema) }),
    z.object({ do: z.literal('pickOption'), contains: TemplateSchema, timeoutMs: z.number().int().positive().optional() }),
    /**
     * After a search: the goods line into the order, whatever the page offers (shared/engine/hits.ts):
     * already in the cart, a drop-down option, or a hit row's own 「添加」/「选择」 or goods-name link.
     */
    z.object({
      do: z.literal('addGoods'),
      code: TemplateSchema.optional(),
      name: TemplateSchema.optional(),
      cart: TableSpecSchema,
      cartColumn: z.string(),
      notFound: z.array(z.string().min(1)).optional(),
      /** the search box just filled: its search is sent by its form's or its own 查询 button, when it has one */
      submit: z.string().optional(),
      timeoutMs: z.number().int().positive().optional(),
      navigates: z.boolean().optional(),
    }),
    z.object({ do: z.literal('fail'), code: z.string(), subject: TemplateSchema.optional() }),
    z.object({ do: z.literal('mark'), label: z.string() }),
  ]),
);
