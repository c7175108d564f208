import { z } from 'zod';
import { SettingsSchema, type Settings } from './settings';

/**
 * Settings changes are supervisor actions (issue 12): the options page hands the new local
 * settings to the background ('settings.save'), which checks the page's supervisor sign-in, keeps
 * policy-locked fields as they are, writes storage.local and audits who changed which fields.
 * Pure types + zod + a diff: messages.ts (bundled into content scripts too) may import it.
 */
export const settingsRequestSchemas = {
  /** the options page saves local settings; needs a signed-in supervisor; the secret never travels here */
  'settings.save': {
    request: z.object({ type: z.literal('settings.save'), settings: SettingsSchema }),
    response: z.object({ changed: z.array(z.string()), by: z.string() }),
  },
} as const;

/** Paths whose old and new values may go on the audit trail (short, not secret, not free text of a pack). */
const VALUE_LOGGED = /^(storeCode|cashierId|bridge\.baseUrl|bridge\.unreachableMinutes|maxTicketAgeHours|pendingAlertMinutes|retentionDays|portals\.[a-z]+\.(enabled|paymentMethodId|paymentMethodName|goodsName|limits\.[A-Za-z]+))$/;

/** One changed setting: its path, and old → new where VALUE_LOGGED allows it. */
export interface SettingChange {
  path: string;
  from?: string | number | boolean | null;
  to?: string | number | boolean | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalar(value: unknown): string | number | boolean | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

/**
 * Which settings differ between `before` and `after`, leaf by leaf. Locator overrides are one
 * leaf per key ("locatorOverrides.<key>", the key may hold dots); packs are one leaf
 * ("portalPacks", their text is never copied). The bridge secret is never compared or named:
 * it does not live in settings (the vault holds it; 'secret.set' audits its own change).
 */
export function settingsChanges(before: Settings, after: Settings): SettingChange[] {
  const changes: SettingChange[] = [];
  const walk = (a: unknown, b: unknown, path: string): void => {
    if (path === 'bridge.secret' || path === 'version') return;
    const atomic = path === 'portalPacks' || path.startsWith('locatorOverrides.');
    if (!atomic && (isRecord(a) || isRecord(b))) {
      const left = isRecord(a) ? a : {};
      const right = isRecord(b) ? b : {};
      const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
      for (const key of keys) walk(left[key], right[key], path ? `${path}.${key}` : key);
      return;
    }
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    changes.push(VALUE_LOGGED.test(path) ? { path, from: scalar(a), to: scalar(b) } : { path });
  };
  walk(before, after, '');
  return changes;
}
