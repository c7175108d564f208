import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PORTAL_IDS, PORTALS, PORTAL_ORIGINS, portalIdForOrigin, portalMatchPatterns } from '@/providers/registry';
import { PORTAL_DEFINITIONS } from '@/providers';
import { DEFAULT_PAYMENT_METHOD_NAMES } from '@/shared/settings';
import { PORTAL_HOST, PORTAL_IDS as HARNESS_PORTAL_IDS } from '../e2e/harness/portals.mjs';

/**
 * The registry (providers/registry.ts) is the one place a portal's facts live. Files that cannot
 * import it (JSON locale files, the policy schema, the plain-node e2e harness) are checked against
 * it here, so adding a portal fails a test until every one of them is up to date.
 */
const ROOT = resolve(__dirname, '..');
const json = (path: string) => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as Record<string, unknown>;

describe('portal registry', () => {
  it('has an https origin, both names, a payment method and a colour for every portal', () => {
    for (const id of PORTAL_IDS) {
      const facts = PORTALS[id];
      expect(facts.origin, id).toMatch(/^https:\/\/[a-z0-9.-]+$/);
      expect(facts.names.zh_CN, id).toMatch(/\p{Script=Han}/u);
      expect(facts.names.en, id).toMatch(/^[A-Za-z ]+$/);
      expect(facts.paymentMethodName.length, id).toBeGreaterThan(0);
      expect(facts.chartColour, id).toMatch(/^#[0-9a-f]{6}$/);
      expect(portalIdForOrigin(facts.origin)).toBe(id);
    }
    expect(new Set(Object.values(PORTAL_ORIGINS)).size).toBe(PORTAL_IDS.length);
    expect(portalMatchPatterns).toEqual(PORTAL_IDS.map((id) => `${PORTALS[id].origin}/*`));
    expect(DEFAULT_PAYMENT_METHOD_NAMES).toEqual(Object.fromEntries(PORTAL_IDS.map((id) => [id, PORTALS[id].paymentMethodName])));
  });

  it('every portal has a provider file and a simulator; nothing else has either', () => {
    expect(Object.keys(PORTAL_DEFINITIONS).sort()).toEqual([...PORTAL_IDS].sort());
    for (const id of PORTAL_IDS) {
      expect(existsSync(join(ROOT, `providers/${id}.ts`)), `providers/${id}.ts`).toBe(true);
      expect(existsSync(join(ROOT, `e2e/sim/${id}/server.mjs`)), `e2e/sim/${id}/server.mjs`).toBe(true);
    }
  });

  it('the locale files name every portal as the registry does (zh_CN, en)', () => {
    for (const lang of ['zh_CN', 'en'] as const) {
      const messages = json(`locales/${lang}/options.json`) as Record<string, { message: string }>;
      const named = Object.keys(messages).filter((key) => key.startsWith('opt_portal_name_'));
      expect(named.sort(), lang).toEqual(PORTAL_IDS.map((id) => `opt_portal_name_${id}`).sort());
      for (const id of PORTAL_IDS) expect(messages[`opt_portal_name_${id}`]?.message, `${lang} ${id}`).toBe(PORTALS[id].names[lang]);
    }
  });

  it('the policy schema has a section per portal, titled with its name', () => {
    const portals = (json('public/managed_schema.json').properties as Record<string, { properties: Record<string, { title: string }> }>).portals;
    expect(Object.keys(portals?.properties ?? {}).sort()).toEqual([...PORTAL_IDS].sort());
    for (const id of PORTAL_IDS) expect(portals?.properties[id]?.title).toBe(`${PORTALS[id].names.zh_CN} (${id})`);
  });

  it('the e2e harness serves exactly the registry’s hosts', () => {
    expect([...HARNESS_PORTAL_IDS]).toEqual([...PORTAL_IDS]);
    for (const id of PORTAL_IDS) expect(`https://${(PORTAL_HOST as Record<string, string>)[id]}`).toBe(PORTALS[id].origin);
  });
});
