import { beforeEach, describe, expect, it } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import { TenderBridgeDb } from '@/shared/db';
import { AuditLog } from '@/shared/audit';
import { LOCKOUT_MS, MAX_FAILURES, PinRefusedError, SupervisorPins, makeSupervisorRecord } from '@/shared/background/pin';
import { resetVaultConnection, vaultGet, VAULT_KEYS } from '@/shared/background/vault';

let db: TenderBridgeDb;
let audit: AuditLog;
let clock: number;
let policy: unknown;
let sessions: Map<string, unknown>;

function pins(): SupervisorPins {
  return new SupervisorPins({
    audit,
    policySupervisors: async () => policy,
    now: () => clock,
    sessions: { get: async (k) => sessions.get(k), set: async (k, v) => void sessions.set(k, v) },
  });
}

async function auditTypes(): Promise<string[]> {
  return (await db.audit.orderBy('seq').toArray()).map((e) => `${e.type}${e.code ? `:${e.code}` : ''}`);
}

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
  resetVaultConnection();
  db = new TenderBridgeDb(`pin-${Math.random()}`);
  audit = new AuditLog(db);
  clock = Date.parse('2026-12-07T10:00:00+08:00');
  policy = undefined;
  sessions = new Map();
});

describe('supervisor PINs', () => {
  it('refuses supervisor actions until someone is signed in, audited', async () => {
    await expect(pins().require('page-1', 'exception.handle')).rejects.toBeInstanceOf(PinRefusedError);
    expect(await auditTypes()).toEqual(['supervisor.refused:PIN_REQUIRED']);
  });

  it('enrolls the first supervisor on first use, stores only a salted hash, and signs a page in with the PIN', async () => {
    const p = pins();
    await p.enroll('page-1', '王店长', '246810');
    const stored = JSON.stringify(await vaultGet(VAULT_KEYS.supervisors));
    expect(stored).not.toContain('246810');
    expect((await p.verify('page-1', '王店长', '135790')).ok).toBe(false);
    expect(await p.verify('page-1', '王店长', '246810')).toEqual({ ok: true, name: '王店长' });
    expect(await p.require('page-1', 'exception.handle')).toBe('王店长');
    // another page (document) is not signed in
    await expect(p.require('page-2', 'exception.handle')).rejects.toThrow(/PIN_REQUIRED/);
    // a second supervisor only by a signed-in one
    await expect(p.enroll('page-2', '李财务', '111111')).rejects.toThrow(/SUPERVISOR_REQUIRED/);
    await p.enroll('page-1', '李财务', '111111');
    expect((await p.status('page-1')).supervisors).toEqual(['王店长', '李财务']);
    clock += 16 * 60_000;
    expect(await p.current('page-1')).toBeNull();
  });

  it('locks PIN entry after repeated wrong PINs, persisted, and lets it go after the lockout', async () => {
    await pins().enroll('p', '王店长', '246810');
    for (let i = 1; i < MAX_FAILURES; i += 1) expect((await pins().verify('p', '王店长', '000000')).attemptsLeft).toBe(MAX_FAILURES - i);
    const last = await pins().verify('p', '王店长', '000000');
    expect(last).toEqual({ ok: false, lockedUntil: clock + LOCKOUT_MS });
    // even the right PIN is not taken now, by a fresh keeper (the counter is in the vault)
    expect((await pins().verify('p', '王店长', '246810')).ok).toBe(false);
    clock += LOCKOUT_MS;
    expect((await pins().verify('p', '王店长', '246810')).ok).toBe(true);
    const types = await auditTypes();
    expect(types.filter((t) => t === 'supervisor.pinWrong:WRONG_PIN')).toHaveLength(MAX_FAILURES - 1);
    expect(types).toContain('supervisor.pinWrong:LOCKED');
    expect(types).toContain('supervisor.pinLocked:LOCKED');
    expect(types[types.length - 1]).toBe('supervisor.signedIn');
  });

  it('takes the list from policy when set (then nobody enrolls locally)', async () => {
    policy = [await makeSupervisorRecord('张片长', '97531')];
    const p = pins();
    expect((await p.status('x')).byPolicy).toBe(true);
    await expect(p.enroll('x', '冒名', '123456')).rejects.toThrow(/POLICY/);
    expect((await p.verify('x', '张片长', '97531')).ok).toBe(true);
    expect((await p.verify('x', '冒名', '97531')).ok).toBe(false);
  });
});
