import { z } from 'zod';
import { PORTAL_IDS } from './registry';
import { PortalDefinitionSchema } from './definition-schema';

/**
 * A portal pack: a whole provider definition (providers/types.ts) as versioned JSON, delivered by
 * settings or enterprise policy, so IT can follow a portal that changed without a release.
 *
 *   { packVersion: 1, portal, version: "2026.12.1", mode: "patch" | "replace", definition }
 *
 * 'replace': `definition` is a complete PortalDefinition (its `id` must be the portal).
 * 'patch': `definition` holds only what changes; shared/packs.ts merges it over the built-in
 * provider (targets, describe and defaults by name, capture rules and guards by id, the sale's
 * lines/steps/shape/alternatives as given, forbidden words only ever added).
 *
 * The schema is derived from PortalDefinitionSchema, made strict (an unknown key is an error,
 * not silently dropped: a typo in a pack must be seen by IT), so the two cannot drift apart;
 * test/packs.test.ts checks every built-in provider passes it as a 'replace' pack.
 */
export const PACK_FORMAT_VERSION = 1;

/** What one pack may weigh (a pasted or policy-delivered text): far above any real provider. */
export const PACK_LIMITS = { maxTextLength: 200_000, maxPacks: 20, versionLength: 40 } as const;

export const PackVersionSchema = z
  .string()
  .min(1)
  .max(PACK_LIMITS.versionLength)
  .regex(/^[0-9A-Za-z][0-9A-Za-z._-]*$/, 'letters, digits, dots, dashes');

/** A complete definition, as a 'replace' pack carries it. */
export const PackDefinitionSchema = PortalDefinitionSchema.strict();

const shape = PortalDefinitionSchema.shape;

/** Only what changes, as a 'patch' pack carries it. */
export const PackPatchSchema = z
  .object({
    name: shape.name.optional(),
    targets: shape.targets.optional(),
    defaults: z.object({ goodsName: z.string().optional() }).strict().optional(),
    describe: z.record(z.string(), z.string()).optional(),
    /** words added to the lexicon's concepts (never removed) */
    lexicon: shape.lexicon.unwrap().optional(),
    startPage: shape.startPage,
    sale: z
      .object({
        lines: z.enum(['each', 'single']).optional(),
        steps: shape.sale.shape.steps.optional(),
        /** the page shapes (shared/engine/sale-shape.ts): each given key replaces the built-in's */
        name: shape.sale.shape.name,
        when: shape.sale.shape.when,
        alternatives: shape.sale.shape.alternatives,
      })
      .strict()
      .optional(),
    capture: shape.capture.optional(),
    /** capture rule ids to drop from the built-in */
    removeCapture: z.array(z.string()).optional(),
    guards: z.array(shape.guards.unwrap().element).optional(),
    forbidden: z.object({ fill: z.array(z.string()).default([]), click: z.array(z.string()).default([]) }).strict().optional(),
    stepTimeoutMs: z.number().int().positive().optional(),
  })
  .strict();
export type PackPatch = z.infer<typeof PackPatchSchema>;

const PackHeader = {
  packVersion: z.literal(PACK_FORMAT_VERSION),
  portal: z.enum(PORTAL_IDS),
  version: PackVersionSchema,
  /** free text for IT: who taught it, when, why */
  note: z.string().max(500).optional(),
};

export const PortalPackSchema = z.discriminatedUnion('mode', [
  z.object({ ...PackHeader, mode: z.literal('replace'), definition: PackDefinitionSchema }).strict(),
  z.object({ ...PackHeader, mode: z.literal('patch'), definition: PackPatchSchema }).strict(),
]);
export type PortalPack = z.infer<typeof PortalPackSchema>;
/** A pack as written by hand (defaults may be left out). */
export type PortalPackInput = z.input<typeof PortalPackSchema>;
