import type { PortalId } from './origins';
import type { PortalDefinition } from './types';
import { ruyitong } from './ruyitong';

/** Portals whose flow is known as data. The others only read scans until theirs is written. */
export const PORTAL_DEFINITIONS: Partial<Record<PortalId, PortalDefinition>> = { ruyitong };
