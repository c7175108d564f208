import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { IDBFactory } from 'fake-indexeddb';
import { TenderBridgeDb } from '@/shared/db';
import { AuditLog } from '@/shared/audit';
import { installSettingsSeal, restoreUnsealedWrite, sealSettings } from '@/shared/background/settings-seal';
import { RefusalLimiter } from '@/shared/background/permissions';
import { resetVaultConnection } from '@/shared/background/vault';
import { defaultSettings, loadLocalSettings, SETTINGS_STORAGE_KEY } from '@/shared/settings';

/**
 * Issue 12, Firefox: storage.local cannot be closed to content scripts there, so the background
 * keeps the settings a supervisor saved in its vault and puts back (and audits) any other write.
 */
let db: TenderBridgeDb;
let audit: AuditLog;

async function trail(): Promise<string[]> {
  return (await db.audit.orderBy('seq').toArray()).map((e) => `${e.type}:${e.code ?? ''}`);
}

async function storedSettings(): Promise<unknown> {
  return (await fakeBrowser.storage.local.get(SETTINGS_STORAGE_KEY))[SETTINGS_STORAGE_KEY];
}

/** Waits for the storage listener's restore (it runs after the write that triggered it). */
async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('condition not reached');
}

beforeEach(() => {
  fakeBrowser.reset();
  globalThis.indexedDB = new IDBFactory();
  resetVaultConnection();
  db = new TenderBridgeDb(`seal-${Math.random()}`);
  audit = new AuditLog(db);
});

describe('the settings seal (storage.local open to content scripts)', () => {
  it('does nothing where storage.local is closed (Chrome)', async () => {
    expect(await installSettingsSeal(audit, true)).toBe(false);
  });

  it('seals what it finds on first start, reads the sealed copy, and puts back a write nobody supervised', async () => {
    const supervised = { ...defaultSettings(), storeCode: 'S0012', bridge: { ...defaultSettings().bridge, baseUrl: 'http://10.0.0.5:8080' } };
    await fakeBrowser.storage.local.set({ [SETTINGS_STORAGE_KEY]: supervised });
    expect(await installSettingsSeal(audit, false)).toBe(true);
    expect(await trail()).toEqual([]);

    // a compromised content script rewrites the bridge URL and a payment method
    const forged = structuredClone(supervised);
    forged.bridge.baseUrl = 'http://evil.example';
    forged.portals.ruyitong.paymentMethodId = 99;
    await fakeBrowser.storage.local.set({ [SETTINGS_STORAGE_KEY]: forged });
    // the background never uses it, even before it is put back
    expect((await loadLocalSettings()).bridge.baseUrl).toBe('http://10.0.0.5:8080');
    await until(async () => JSON.stringify(await storedSettings()).includes('10.0.0.5'));
    expect((await storedSettings()) as typeof supervised).toMatchObject({ bridge: { baseUrl: 'http://10.0.0.5:8080' }, portals: { ruyitong: { paymentMethodId: 0 } } });
    await until(async () => (await trail()).includes('settings.unsealedWrite:RESTORED'));
  });

  it('a supervised save (sealed first, then written) stays', async () => {
    await installSettingsSeal(audit, false);
    const next = { ...defaultSettings(), cashierId: 'C07' };
    await sealSettings(next);
    await fakeBrowser.storage.local.set({ [SETTINGS_STORAGE_KEY]: next });
    expect(await restoreUnsealedWrite(audit, new RefusalLimiter(), Date.now())).toBe(false);
    expect((await loadLocalSettings()).cashierId).toBe('C07');
    expect(await trail()).toEqual([]);
  });

  it('a flood of writes puts each back but audits only a few', async () => {
    // sealed without the storage listener, so each restore below is this test's own call
    await sealSettings(defaultSettings());
    const limiter = new RefusalLimiter();
    for (let i = 0; i < 20; i += 1) {
      await fakeBrowser.storage.local.set({ [SETTINGS_STORAGE_KEY]: { ...defaultSettings(), cashierId: `X${i}` } });
      expect(await restoreUnsealedWrite(audit, limiter, 1_000)).toBe(true);
    }
    expect((await loadLocalSettings()).cashierId).toBe('');
    expect((await trail()).filter((t) => t.startsWith('settings.unsealedWrite')).length).toBeLessThanOrEqual(10);
  });
});
