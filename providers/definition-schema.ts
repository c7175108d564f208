import { z } from 'zod';
import { LocatorSchema } from '@/shared/engine/locator';
import { CaptureRuleSchema } from '@/shared/engine/capture-rule-schema';
import { SaleSchema } from '@/shared/engine/sale-shape-schema';
import { PORTAL_IDS } from './registry';

/**
 * A portal, as data: the named targets a cashier would look for (ranked locators), the sale
 * flow over them, the result rules to capture, and what must never be touched. Settings can
 * replace any target's locators ("<portal>.<target>") without a release.
 */
export const PortalDefinitionSchema = z.object({
  id: z.enum(PORTAL_IDS),
  /** a label a pack may carry; the portal's name itself is in the registry (providers/registry.ts) */
  name: z.string().max(64).optional(),
  targets: z.record(z.string(), z.array(LocatorSchema).min(1)),
  /** template values a flow may use ({portal.goodsName}) when settings leave them empty */
  defaults: z.object({ goodsName: z.string().optional() }).default({}),
  /**
   * This portal's own words added to the shared lexicon's concepts (shared/engine/lexicon.ts),
   * e.g. { storeOrderNo: ['备注/门店单号'] }: every target, column and label word of a concept
   * also matches these.
   */
  lexicon: z.record(z.string(), z.array(z.string().min(1))).default({}),
  /** the page where a sale starts (「交易申请」): named when a scan comes on another page */
  startPage: z.string().optional(),
  /** what a cashier calls each target, for messages ("商品搜索框") */
  describe: z.record(z.string(), z.string()).default({}),
  /** the sale flow; `alternatives` for a portal that sells in more than one page shape (sale-shape.ts) */
  sale: SaleSchema,
  capture: z.array(CaptureRuleSchema),
  /**
   * Clicks the extension stops before the page sees them, with a clear message: e.g. a refund
   * of a sale from an earlier month (慧医卡 cannot refund across a month).
   */
  guards: z
    .array(
      z.object({
        id: z.string(),
        button: z.string(),
        table: z.object({ columns: z.array(z.string()).min(1) }),
        timeColumn: z.string(),
        rule: z.literal('same-month'),
        code: z.enum(['REFUND_CROSS_MONTH']),
      }),
    )
    .default([]),
  /** never filled (matched against the field's label/placeholder) / never clicked (button text) */
  forbidden: z.object({ fill: z.array(z.string()), click: z.array(z.string()) }),
  /** how long one step may wait for the page */
  stepTimeoutMs: z.number().int().positive().default(10_000),
});
