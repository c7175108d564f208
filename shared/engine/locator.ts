import { z } from 'zod';

/**
 * One way of finding an element on a portal page, the way a cashier would describe it; a target is
 * a ranked list of these. Providers, packs, teach mode and settings overrides all speak it.
 */
export const LOCATOR_STRATEGIES = ['label', 'placeholder', 'text', 'role', 'css', 'name'] as const;

export const LocatorSchema = z.object({
  by: z.enum(LOCATOR_STRATEGIES),
  value: z.string().min(1),
  role: z.string().optional(),
});
export type Locator = z.infer<typeof LocatorSchema>;
export const LocatorListSchema = z.array(LocatorSchema);
