import { browser } from 'wxt/browser';
import { BOUNDS, SECRET_CHANGED_KEY, SETTINGS_STORAGE_KEY, useSecretSource } from '@/shared/settings';
import { VAULT_KEYS, vaultGet, vaultSet } from './vault';

/**
 * The bridge's HMAC secret: whoever holds it can sign a tender. It lives in the background's vault
 * (IndexedDB of the extension origin), is written by the options page through 'secret.set' and
 * never read back by any page. Policy may set it too (storage.managed); then it is never shown.
 */

async function storedSecret(): Promise<string> {
  const value = await vaultGet(VAULT_KEYS.bridgeSecret);
  return typeof value === 'string' ? value : '';
}

/**
 * Chrome ≥ 102 (local/managed since later versions) can keep storage areas from content scripts.
 * Firefox has no setAccessLevel for these areas: there the secret is still safe (it is not in
 * storage), but a content script could read the rest of the settings. Returns what took effect.
 */
export async function restrictStorageToExtension(): Promise<Record<'local' | 'managed', boolean>> {
  const result = { local: false, managed: false };
  for (const area of ['local', 'managed'] as const) {
    const target = browser.storage?.[area] as { setAccessLevel?: (options: { accessLevel: string }) => Promise<void> } | undefined;
    if (typeof target?.setAccessLevel !== 'function') continue;
    try {
      await target.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' });
      result[area] = true;
    } catch {
      // an area the browser does not let us narrow: the secret does not live there anyway
    }
  }
  return result;
}

/**
 * Moves a secret an older build kept in storage.local into the vault (once) and blanks it there.
 * The vault's value wins when both exist.
 */
export async function migrateSecretOutOfStorage(): Promise<boolean> {
  const stored = (await browser.storage.local.get(SETTINGS_STORAGE_KEY))[SETTINGS_STORAGE_KEY] as unknown;
  if (typeof stored !== 'object' || stored === null) return false;
  const bridge = (stored as { bridge?: unknown }).bridge;
  const secret = typeof bridge === 'object' && bridge !== null ? (bridge as { secret?: unknown }).secret : undefined;
  // v0 kept it flat
  const flat = (stored as { bridgeSecret?: unknown }).bridgeSecret;
  const found = typeof secret === 'string' && secret !== '' ? secret : typeof flat === 'string' && flat !== '' ? flat : '';
  if (!found) return false;
  if ((await storedSecret()) === '') await vaultSet(VAULT_KEYS.bridgeSecret, found.trim().slice(0, BOUNDS.secretLength));
  const cleaned: Record<string, unknown> = { ...(stored as Record<string, unknown>) };
  if (typeof bridge === 'object' && bridge !== null) cleaned.bridge = { ...(bridge as object), secret: '' };
  if ('bridgeSecret' in cleaned) cleaned.bridgeSecret = '';
  await browser.storage.local.set({ [SETTINGS_STORAGE_KEY]: cleaned });
  return true;
}

/** The background's start: narrow storage, move an old secret, and let loadSettings() see the vault. */
export function installSecretStore(): Promise<void> {
  const ready = restrictStorageToExtension()
    .then(() => migrateSecretOutOfStorage())
    .then(
      () => undefined,
      () => undefined,
    );
  // no settings read sees the secret before an old one has been moved; a secret written into
  // storage.local later (an older options page, a test harness) is moved at the next read
  useSecretSource(() =>
    ready
      .then(() => migrateSecretOutOfStorage())
      .catch(() => false)
      .then(storedSecret),
  );
  return ready;
}

export async function secretIsSet(): Promise<boolean> {
  return (await storedSecret()) !== '';
}

/** Replaces the secret ('' clears it); settings listeners hear of it without seeing it. */
export async function replaceSecret(secret: string): Promise<void> {
  const clean = secret.trim();
  if (clean.length > BOUNDS.secretLength || /[\u0000-\u001f\u007f]/.test(clean)) throw new Error('invalid secret');
  await vaultSet(VAULT_KEYS.bridgeSecret, clean === '' ? undefined : clean);
  await browser.storage.local.set({ [SECRET_CHANGED_KEY]: Date.now() });
}
