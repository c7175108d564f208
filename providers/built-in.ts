import type { PortalId } from './registry';
import type { PortalDefinition, PortalDefinitionInput } from './types';
import { ruyitong } from './ruyitong';
import { huiyika } from './huiyika';
import { boming } from './boming';
import { guohui } from './guohui';
import { yuanfu } from './yuanfu';

/** The provider files as written (defaults left out). */
export const PORTAL_SOURCES: Readonly<Record<PortalId, PortalDefinitionInput>> = { boming, guohui, yuanfu, ruyitong, huiyika };

/**
 * A provider file with the schema's defaults filled in, without zod: the content script's copy of
 * the built-in definitions (issue 13: zod stays out of it). It does not validate: the provider
 * files are validated by PortalDefinitionSchema in the background at start (providers/index.ts)
 * and in the unit tests, which also hold this function's result equal to the schema's parse
 * (test/providers.test.ts), so a default added to the schema and not here fails a test.
 */
export function withDefinitionDefaults(source: PortalDefinitionInput): PortalDefinition {
  // the provider files are typed by the schema's input type; the schema's own parse of them is
  // compared with this in the unit tests, field by field
  const sale = source.sale as PortalDefinition['sale'];
  return {
    ...source,
    defaults: source.defaults ?? {},
    lexicon: source.lexicon ?? {},
    describe: source.describe ?? {},
    sale,
    capture: source.capture.map((rule) => ({ ...rule, fields: rule.fields ?? {}, required: rule.required ?? [] })),
    guards: source.guards ?? [],
    stepTimeoutMs: source.stepTimeoutMs ?? 10_000,
  };
}

/** Every portal's built-in definition, for the content script (the background uses providers/index.ts). */
export const BUILT_IN_DEFINITIONS: Partial<Record<PortalId, PortalDefinition>> = Object.fromEntries(
  Object.entries(PORTAL_SOURCES).map(([id, source]) => [id, withDefinitionDefaults(source)]),
);
