import { browser } from 'wxt/browser';
import type { AuditLog } from '@/shared/audit';
import { stableStringify } from '@/shared/audit';
import { migrateSettings, SETTINGS_STORAGE_KEY, useLocalSettingsSource, type Settings } from '@/shared/settings';
import { RefusalLimiter } from './permissions';
import { restrictStorageToExtension } from './secret';
import { VAULT_KEYS, vaultGet, vaultSet } from './vault';

/**
 * Firefox cannot close storage.local to content scripts (no setAccessLevel there), so a
 * compromised portal renderer could rewrite the settings (bridge URL, payment-method mapping …)
 * without a supervisor. Where storage.local stays open, the background therefore keeps its own
 * sealed copy of the local settings in its vault (IndexedDB of the extension origin, which a
 * content script cannot open): every supervised save ('settings.save') seals first and then
 * writes storage.local; the background reads the sealed copy; and a write to storage.local that
 * does not match it is put back and audited ('settings.unsealedWrite', rate-limited). The first
 * start of this build seals what it finds (trust on first use). Where storage.local is closed
 * (Chrome) none of this runs: nothing but extension pages can write it there.
 */

export function sealedSettings(): Promise<unknown> {
  return vaultGet(VAULT_KEYS.settingsSeal);
}

/** Called by the supervised save before storage.local is written. */
export async function sealSettings(settings: Settings): Promise<void> {
  await vaultSet(VAULT_KEYS.settingsSeal, { ...settings, bridge: { ...settings.bridge, secret: '' } });
}

const same = (a: unknown, b: unknown): boolean => stableStringify(migrateSettings(a)) === stableStringify(migrateSettings(b));

/** Puts the sealed copy back when storage.local holds anything else; true when it did. */
export async function restoreUnsealedWrite(audit: AuditLog, limiter: RefusalLimiter, now: number): Promise<boolean> {
  const sealed = await sealedSettings();
  if (sealed === undefined) return false;
  const stored = (await browser.storage.local.get(SETTINGS_STORAGE_KEY))[SETTINGS_STORAGE_KEY] as unknown;
  if (same(stored, sealed)) return false;
  await browser.storage.local.set({ [SETTINGS_STORAGE_KEY]: sealed });
  const suppressed = limiter.admit('settings.unsealedWrite', now);
  if (suppressed !== null) await audit.append({ type: 'settings.unsealedWrite', code: 'RESTORED', detail: { suppressed } });
  return true;
}

/** The background's start; `closed` is for tests (default: whether storage.local could be narrowed). */
export async function installSettingsSeal(audit: AuditLog, closed?: boolean): Promise<boolean> {
  const storageClosed = closed ?? (await restrictStorageToExtension()).local;
  if (storageClosed) return false;
  if ((await sealedSettings()) === undefined) {
    const stored = (await browser.storage.local.get(SETTINGS_STORAGE_KEY))[SETTINGS_STORAGE_KEY] as unknown;
    await sealSettings(migrateSettings(stored));
  }
  useLocalSettingsSource(sealedSettings);
  const limiter = new RefusalLimiter();
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && Object.hasOwn(changes, SETTINGS_STORAGE_KEY)) void restoreUnsealedWrite(audit, limiter, Date.now()).catch(() => false);
  });
  await restoreUnsealedWrite(audit, limiter, Date.now());
  return true;
}
