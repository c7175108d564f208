import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultSettings, mergeManaged } from '@/shared/settings';
import { PORTAL_IDS } from '@/providers/registry';

/**
 * docs/managed-settings.example.json is the policy value IT deploys (docs/deploy.md): it must be
 * valid for Chrome's policy schema (public/managed_schema.json, Chrome's draft-03 dialect), be
 * accepted field by field by the extension itself (mergeManaged: nothing ignored), and show every
 * field the schema offers.
 */
const ROOT = new URL('..', import.meta.url).pathname;
const schema = JSON.parse(readFileSync(`${ROOT}public/managed_schema.json`, 'utf8')) as SchemaNode;
const example = JSON.parse(readFileSync(`${ROOT}docs/managed-settings.example.json`, 'utf8')) as unknown;

interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  patternProperties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  required?: string[];
  [annotation: string]: unknown;
}

/** The keywords Chrome's policy schema validator understands (components/policy/core/common/schema.cc), plus annotations. */
const KNOWN_KEYWORDS = new Set([
  '$schema', 'id', '$ref', 'title', 'description', 'sensitiveValue',
  'type', 'properties', 'additionalProperties', 'patternProperties', 'items', 'enum', 'pattern', 'minimum', 'maximum', 'required',
]);

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Chrome's rules, strictly: an unknown property is an error here (Chrome drops it with a warning). */
function validate(node: SchemaNode, value: unknown, path: string, errors: string[]): void {
  for (const keyword of Object.keys(node)) if (!KNOWN_KEYWORDS.has(keyword)) errors.push(`${path || '(root)'}: schema keyword ${keyword} unknown to Chrome`);
  const actual = typeOf(value);
  const expected = node.type;
  if (expected && !(actual === expected || (expected === 'number' && actual === 'integer'))) {
    errors.push(`${path || '(root)'}: ${actual}, expected ${expected}`);
    return;
  }
  if (node.enum && !node.enum.some((option) => option === value)) errors.push(`${path}: ${JSON.stringify(value)} not in ${JSON.stringify(node.enum)}`);
  if (typeof value === 'string' && node.pattern !== undefined && !new RegExp(node.pattern).test(value)) errors.push(`${path}: "${value}" does not match ${node.pattern}`);
  if (typeof value === 'number') {
    if (node.minimum !== undefined && value < node.minimum) errors.push(`${path}: ${value} < ${node.minimum}`);
    if (node.maximum !== undefined && value > node.maximum) errors.push(`${path}: ${value} > ${node.maximum}`);
  }
  if (actual === 'array' && node.items) (value as unknown[]).forEach((item, i) => validate(node.items!, item, `${path}[${i}]`, errors));
  if (actual === 'object') {
    const object = value as Record<string, unknown>;
    for (const key of node.required ?? []) if (!(key in object)) errors.push(`${path}.${key}: required`);
    for (const [key, child] of Object.entries(object)) {
      const childPath = path ? `${path}.${key}` : key;
      const declared = node.properties?.[key];
      const patterned = Object.entries(node.patternProperties ?? {}).filter(([pattern]) => new RegExp(pattern).test(key));
      if (declared) validate(declared, child, childPath, errors);
      for (const [, sub] of patterned) validate(sub, child, childPath, errors);
      if (!declared && !patterned.length) {
        if (typeof node.additionalProperties === 'object') validate(node.additionalProperties, child, childPath, errors);
        else errors.push(`${childPath}: not in the schema`);
      }
    }
  }
}

/** Leaf paths of the schema, with portal ids written <id>. */
function schemaLeaves(node: SchemaNode, path = ''): string[] {
  if (node.type === 'object' && node.properties) {
    return Object.entries(node.properties).flatMap(([key, child]) => schemaLeaves(child, path ? `${path}.${generic(key)}` : key));
  }
  return [path];
}

function valueLeaves(value: unknown, node: SchemaNode, path = ''): string[] {
  if (node.type === 'object' && node.properties && value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) =>
      node.properties?.[key] ? valueLeaves(child, node.properties[key]!, path ? `${path}.${generic(key)}` : key) : [],
    );
  }
  return [path];
}

function generic(key: string): string {
  return (PORTAL_IDS as readonly string[]).includes(key) ? '<id>' : key;
}

describe('docs/managed-settings.example.json', () => {
  it('is valid for public/managed_schema.json', () => {
    const errors: string[] = [];
    validate(schema, example, '', errors);
    expect(errors).toEqual([]);
  });

  it('the validator catches what Chrome would refuse', () => {
    const errors: string[] = [];
    validate(schema, { storeCode: 'CD-0012', maxTicketAgeHours: 0, portals: { ruyitong: { enabled: 'yes' } }, colour: 'red' }, '', errors);
    expect(errors).toEqual([
      'storeCode: "CD-0012" does not match ^[A-Za-z0-9]{0,16}$',
      'maxTicketAgeHours: 0 < 1',
      'portals.ruyitong.enabled: string, expected boolean',
      'colour: not in the schema',
    ]);
  });

  it('is accepted by the extension field by field: nothing ignored, every field locked', () => {
    const merged = mergeManaged(defaultSettings(), example);
    expect(merged.ignoredPaths).toEqual([]);
    expect(merged.settings.storeCode).toBe('CD0012');
    expect(merged.settings.portals.ruyitong.limits).toEqual({ maxOrderFen: 300000, maxOrdersPerDay: 8, maxItemQty: 20, maxUnitFen: 100000 });
    expect(merged.lockedPaths).toEqual(expect.arrayContaining(['storeCode', 'bridge.baseUrl', 'bridge.secret', 'retentionDays', 'locatorOverrides.ruyitong.searchBox']));
  });

  it('shows every field the schema offers (portal fields on at least one portal)', () => {
    const shown = new Set(valueLeaves(example, schema));
    expect(schemaLeaves(schema).filter((leaf) => !shown.has(leaf))).toEqual([]);
  });
});
