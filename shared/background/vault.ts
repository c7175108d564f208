/**
 * What only the background may read: the bridge secret, the supervisors enrolled on this PC and
 * the wrong-PIN counter. Kept in the extension origin's IndexedDB (a small database of its own, so
 * the Dexie schema is untouched), never in chrome.storage: content scripts can read and write
 * storage.local in Firefox and in Chrome unless its access level is narrowed, and they cannot open
 * the extension's IndexedDB at all (they run in the vendor's origin).
 */
const VAULT_DB = 'tenderbridge-vault';
const STORE = 'kv';

export const VAULT_KEYS = {
  bridgeSecret: 'bridge.secret',
  supervisors: 'supervisors',
  pinFailures: 'pin.failures',
  /** the local settings as last saved by a supervisor, where storage.local stays open to content scripts (settings-seal.ts) */
  settingsSeal: 'settings.sealed',
} as const;
export type VaultKey = (typeof VAULT_KEYS)[keyof typeof VAULT_KEYS];

let opening: Promise<IDBDatabase> | undefined;

function open(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(VAULT_DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('vault open failed'));
  });
  opening.catch(() => (opening = undefined));
  return opening;
}

function run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest): Promise<T> {
  return open().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const tx = db.transaction(STORE, mode);
        const request = work(tx.objectStore(STORE));
        tx.oncomplete = () => resolve(request.result as T);
        tx.onerror = () => reject(tx.error ?? new Error('vault transaction failed'));
        tx.onabort = () => reject(tx.error ?? new Error('vault transaction aborted'));
      }),
  );
}

export function vaultGet(key: VaultKey): Promise<unknown> {
  return run<unknown>('readonly', (store) => store.get(key));
}

export async function vaultSet(key: VaultKey, value: unknown): Promise<void> {
  await run<unknown>('readwrite', (store) => (value === undefined ? store.delete(key) : store.put(value, key)));
}

/** For tests: forget the cached connection (fake-indexeddb is replaced between tests). */
export function resetVaultConnection(): void {
  opening = undefined;
}
