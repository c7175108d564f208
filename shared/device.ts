import type { TenderBridgeDb } from './db';

/**
 * This till's id (bridge spec revision 2, `deviceId`): made once per browser profile and kept in
 * the extension's own IndexedDB, so every tender and audit head from this till carries the same
 * one. Two tills of one store tell their tenders apart by it.
 */
const DEVICE_KEY = 'deviceId';

export async function getDeviceId(db: TenderBridgeDb): Promise<string> {
  const existing = await db.kv.get(DEVICE_KEY);
  if (typeof existing?.value === 'string' && existing.value !== '') return existing.value;
  // Two first callers at once must end with one id: the transaction re-reads before writing.
  return db.transaction('rw', db.kv, async () => {
    const again = await db.kv.get(DEVICE_KEY);
    if (typeof again?.value === 'string' && again.value !== '') return again.value;
    const id = `till-${crypto.randomUUID()}`;
    await db.kv.put({ key: DEVICE_KEY, value: id });
    return id;
  });
}

/** This till's id if one was made already (readers that must not create it, e.g. the daily log). */
export async function readDeviceId(db: TenderBridgeDb): Promise<string | undefined> {
  const existing = await db.kv.get(DEVICE_KEY);
  return typeof existing?.value === 'string' && existing.value !== '' ? existing.value : undefined;
}
