import type { PortalId } from './registry';
import type { PortalDefinition } from './types';
import { PortalDefinitionSchema } from './definition-schema';
import { PORTAL_SOURCES } from './built-in';

/**
 * Every portal's flow, as validated data (a malformed provider file fails loudly here, in the
 * background at start, and in the unit tests, rather than half-working on a cashier's screen).
 * The content script uses providers/built-in.ts instead, which fills the same defaults without zod.
 */
export const PORTAL_DEFINITIONS: Partial<Record<PortalId, PortalDefinition>> = Object.fromEntries(
  Object.entries(PORTAL_SOURCES).map(([id, source]) => [id, PortalDefinitionSchema.parse(source)]),
);
