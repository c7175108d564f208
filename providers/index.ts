import type { PortalId } from './registry';
import { PortalDefinitionSchema, type PortalDefinition, type PortalDefinitionInput } from './types';
import { ruyitong } from './ruyitong';
import { huiyika } from './huiyika';
import { boming } from './boming';
import { guohui } from './guohui';
import { yuanfu } from './yuanfu';

const sources: Record<PortalId, PortalDefinitionInput> = { boming, guohui, yuanfu, ruyitong, huiyika };

/**
 * Every portal's flow, as validated data (a malformed provider file fails loudly here,
 * and in the unit tests, rather than half-working on a cashier's screen).
 */
export const PORTAL_DEFINITIONS: Partial<Record<PortalId, PortalDefinition>> = Object.fromEntries(
  Object.entries(sources).map(([id, source]) => [id, PortalDefinitionSchema.parse(source)]),
);
