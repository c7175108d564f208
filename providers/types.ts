import type { z } from 'zod';
import type { Locator } from '@/shared/engine/locator';
import type { PortalDefinitionSchema } from './definition-schema';

/**
 * A portal, as data; its zod schema (with the why of each field) is in definition-schema.ts, kept
 * apart so the content script carries no zod (issue 13). The background and the unit tests
 * validate every definition with it.
 */
export type PortalDefinition = z.infer<typeof PortalDefinitionSchema>;
/** How a provider file writes it (defaults may be left out). */
export type PortalDefinitionInput = z.input<typeof PortalDefinitionSchema>;

export interface AppliedOverride {
  target: string;
  locators: Locator[];
}

/** The definition with settings' locator overrides applied, and which ones were. */
export function withOverrides(
  definition: PortalDefinition,
  overrides: Record<string, Locator[]>,
): { definition: PortalDefinition; applied: AppliedOverride[] } {
  const targets = { ...definition.targets };
  const applied: AppliedOverride[] = [];
  for (const [key, locators] of Object.entries(overrides)) {
    const [portal, target] = key.split('.', 2);
    if (portal !== definition.id || !target || !locators.length) continue;
    targets[target] = locators;
    applied.push({ target, locators });
  }
  return { definition: { ...definition, targets }, applied };
}
