import { readFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PORTAL_DEFINITIONS } from '@/providers';
import { BUILT_IN_DEFINITIONS, PORTAL_SOURCES, withDefinitionDefaults } from '@/providers/built-in';
import { PortalDefinitionSchema } from '@/providers/definition-schema';
import { PORTAL_IDS } from '@/providers/registry';
import { asPackCommand, asRemoteScan } from '@/content-scripts/inbound-commands';
import { PackDryRunCommandSchema, RemoteScanSchema, TeachBeginCommandSchema } from '@/shared/messages';
import { CaptureSchema } from '@/shared/engine/capture-schema';
import { CAPTURE_OPTIONAL_FIELDS, captureFieldOk } from '@/shared/engine/capture-field-checks';
import { refusalReason } from '@/shared/message-refusal';

/**
 * Issue 13: the content script carries no zod (its size goal), with no loss of validation. What
 * it does by hand instead is held equal here to the zod schemas the background keeps.
 */

describe('built-in definitions without a parse (providers/built-in.ts)', () => {
  it.each(PORTAL_IDS)('%s: filling the defaults by hand gives exactly the schema’s parse', (id) => {
    const source = PORTAL_SOURCES[id];
    expect(withDefinitionDefaults(source)).toEqual(PortalDefinitionSchema.parse(source));
    expect(BUILT_IN_DEFINITIONS[id]).toEqual(PORTAL_DEFINITIONS[id]);
  });

  it('would notice a default the schema fills and the hand copy does not', () => {
    const source = { ...PORTAL_SOURCES.ruyitong, stepTimeoutMs: undefined };
    expect(PortalDefinitionSchema.parse(source).stepTimeoutMs).toBe(10_000);
    expect(withDefinitionDefaults(source).stepTimeoutMs).toBe(10_000);
    const broken = { ...PORTAL_SOURCES.ruyitong, sale: { lines: 'each', steps: [] } };
    // the hand copy does not validate (the background and this suite do): the schema refuses it
    expect(PortalDefinitionSchema.safeParse(broken).success).toBe(false);
  });
});

describe('commands from the extension’s own pages, checked by hand (content-scripts/inbound-commands.ts)', () => {
  const scans: unknown[] = [
    { type: 'scan.remote', text: 'YK1|S1|XS1|20250328101500|100|G1,1,100|ABCD' },
    { type: 'scan.remote', text: 'x' },
    { type: 'scan.remote', text: '' },
    { type: 'scan.remote', text: 'x'.repeat(2000) },
    { type: 'scan.remote', text: 'x'.repeat(2001) },
    { type: 'scan.remote', text: 42 },
    { type: 'scan.remote' },
    { type: 'scan.other', text: 'x' },
    { text: 'x' },
    null,
    'scan.remote',
    [],
    { type: 'scan.remote', text: 'x', extra: true },
  ];
  it.each(scans.map((message) => [JSON.stringify(message), message]))('scan.remote %s: accepted exactly when RemoteScanSchema accepts it', (_, message) => {
    const parsed = RemoteScanSchema.safeParse(message);
    expect(asRemoteScan(message)).toEqual(parsed.success ? parsed.data : null);
  });

  it('scan.remote: agrees with RemoteScanSchema on arbitrary messages', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.record({ type: fc.constantFrom('scan.remote', 'x'), text: fc.oneof(fc.string({ maxLength: 2100 }), fc.anything()) })), (message) => {
        const parsed = RemoteScanSchema.safeParse(message);
        expect(asRemoteScan(message)).toEqual(parsed.success ? parsed.data : null);
      }),
    );
  });

  it.each(PORTAL_IDS)('%s: a dry run or teach command with the background’s definition is taken, as the schemas take it', (id) => {
    const definition = PORTAL_DEFINITIONS[id]!;
    for (const [type, schema] of [
      ['pack.dryRun.run', PackDryRunCommandSchema],
      ['teach.begin', TeachBeginCommandSchema],
    ] as const) {
      expect(schema.safeParse({ type, definition }).success).toBe(true);
      expect(asPackCommand({ type, definition })).toEqual({ type, definition });
    }
  });

  it('refuses what is not such a command, as the schemas do', () => {
    const definition = PORTAL_DEFINITIONS.ruyitong!;
    const { capture: _capture, ...noCapture } = definition;
    const refused: unknown[] = [
      null,
      'teach.begin',
      { type: 'teach.begin' },
      { type: 'teach.other', definition },
      { type: 'teach.begin', definition: null },
      { type: 'teach.begin', definition: [] },
      { type: 'pack.dryRun.run', definition: noCapture },
      { type: 'pack.dryRun.run', definition: { ...definition, targets: 'x' } },
      { type: 'pack.dryRun.run', definition: { ...definition, forbidden: { fill: [] } } },
      { type: 'pack.dryRun.run', definition: { ...definition, stepTimeoutMs: '10' } },
    ];
    for (const message of refused) {
      expect(asPackCommand(message), JSON.stringify(message)?.slice(0, 80)).toBeNull();
      expect(PackDryRunCommandSchema.safeParse(message).success || TeachBeginCommandSchema.safeParse(message).success).toBe(false);
    }
  });
});

describe('capture fields checked by hand (shared/engine/capture-field-checks.ts)', () => {
  const samples = fc.oneof(
    fc.string({ maxLength: 80 }),
    fc.stringMatching(/^[0-9X*]{0,45}$/),
    fc.constantFrom('110101********1234', '6222021234567890123', '622202******0123', '', '2025-03-28 10:15:00'),
    fc.integer({ min: -10, max: 10 }),
    fc.constantFrom(99_999_999_99, 99_999_999_99 + 1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53),
    fc.anything(),
  );
  it('accepts each field’s value exactly when CaptureSchema does', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CAPTURE_OPTIONAL_FIELDS), samples, (name, value) => {
        if (value === undefined) return;
        expect(captureFieldOk(name, value), `${name} ${fc.stringify(value)}`).toBe(CaptureSchema.shape[name].safeParse(value).success);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the content script’s sender (shared/message-send.ts)', () => {
  it('reads a refusal as the background sends it, and nothing else as one', () => {
    expect(refusalReason({ refused: true, reason: 'malformed message' })).toBe('malformed message');
    expect(refusalReason({ refused: false, reason: 'x' })).toBeNull();
    expect(refusalReason({ refused: true })).toBeNull();
    expect(refusalReason({ stored: 'new' })).toBeNull();
    expect(refusalReason(null)).toBeNull();
    expect(refusalReason(undefined)).toBeNull();
  });
});

/** Value imports (not `import type`, not all-`type` specifiers) from a file, resolved to repo files or package names. */
function valueImports(root: string, file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const found: string[] = [];
  const pattern = /(?:^|\n)\s*(import|export)\s+(type\s+)?([^'"`;]*?)\s*from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const match of text.matchAll(pattern)) {
    const specifier = match[4] ?? match[5] ?? match[6]!;
    if (match[2]) continue; // import type / export type
    const names = match[3];
    if (names && /^\{[^}]*\}$/.test(names.trim())) {
      const parts = names.trim().slice(1, -1).split(',').map((p) => p.trim()).filter(Boolean);
      if (parts.length && parts.every((p) => p.startsWith('type '))) continue;
    }
    found.push(specifier);
  }
  return found.map((specifier) => {
    let base: string;
    if (specifier.startsWith('@/')) base = specifier.slice(2);
    else if (specifier.startsWith('.')) base = relative(root, resolve(root, dirname(file), specifier));
    else return `npm:${specifier}`;
    for (const candidate of [base + '.ts', base + '.tsx', join(base, 'index.ts'), base]) {
      if (existsSync(join(root, candidate)) && statSync(join(root, candidate)).isFile()) return candidate;
    }
    return `missing:${specifier}`;
  });
}

describe('what the content script is built from (entrypoints/portal.content.ts, value imports)', () => {
  const root = resolve(__dirname, '..');
  const reached = new Set<string>();
  const queue = ['entrypoints/portal.content.ts'];
  while (queue.length) {
    const file = queue.pop()!;
    if (reached.has(file)) continue;
    reached.add(file);
    if (!file.startsWith('npm:') && !file.startsWith('missing:')) queue.push(...valueImports(root, file));
  }

  it('reaches the content script’s own modules', () => {
    expect(reached).toContain('content-scripts/portal-page.ts');
    expect(reached).toContain('shared/engine/flow.ts');
    expect([...reached].filter((f) => f.startsWith('missing:'))).toEqual([]);
  });

  it('reaches no zod (the size goal) and no Dexie or database module', () => {
    const forbidden = [...reached].filter((f) => /^npm:(zod|dexie)/.test(f) || /(^|\/)db[-.]|\/db\.ts$|-schema\.ts$|^shared\/messages\.ts$|^providers\/index\.ts$/.test(f));
    expect(forbidden).toEqual([]);
  });
});
