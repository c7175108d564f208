import { beforeEach, describe, expect, it } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import { TenderBridgeDb } from '@/shared/db';
import { AuditLog } from '@/shared/audit';
import { PinRefusedError, SupervisorPins, makeSupervisorRecord } from '@/shared/background/pin';
import { resetVaultConnection } from '@/shared/background/vault';
import { settingsSaveHandler } from '@/shared/background/settings-save';
import { settingsChanges } from '@/shared/settings-change';
import { defaultSettings, mergeManaged, type LoadedSettings, type Settings } from '@/shared/settings';

/**
 * Issue 12: changing settings is a supervisor action, decided by the background. Without a
 * supervisor (none yet, or this page not signed in) nothing is stored; with one, the change is
 * stored and audited under that supervisor (which fields, old → new for plain values, never the
 * secret); policy-locked fields stay as policy says and need no PIN.
 */
let db: TenderBridgeDb;
let audit: AuditLog;
let sessions: Map<string, unknown>;
let policy: Record<string, unknown>;
let stored: Settings;
let writes: number;

function pins(): SupervisorPins {
  return new SupervisorPins({
    audit,
    policySupervisors: async () => policy.supervisors,
    sessions: { get: async (k) => sessions.get(k), set: async (k, v) => void sessions.set(k, v) },
  });
}

function handler() {
  return settingsSaveHandler({
    audit,
    pins: pins(),
    load: async (): Promise<LoadedSettings> => {
      const { supervisors: _ignored, ...managed } = policy;
      return { ...mergeManaged(stored, managed), local: stored };
    },
    save: async (next) => {
      writes += 1;
      stored = structuredClone(next);
    },
  });
}

async function trail() {
  return (await db.audit.orderBy('seq').toArray()).map((e) => ({ type: e.type, code: e.code, detail: e.detail }));
}

function edited(change: (s: Settings) => void): Settings {
  const next = structuredClone(stored);
  change(next);
  return next;
}

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
  resetVaultConnection();
  db = new TenderBridgeDb(`settings-save-${Math.random()}`);
  audit = new AuditLog(db);
  sessions = new Map();
  policy = {};
  stored = defaultSettings();
  writes = 0;
});

describe('settings.save', () => {
  it('with no supervisor at all: refused (NO_SUPERVISOR), nothing stored, the refusal audited', async () => {
    const request = { type: 'settings.save' as const, settings: edited((s) => (s.storeCode = 'S0012')) };
    await expect(handler()(request, 'options-1')).rejects.toThrow(/^NO_SUPERVISOR/);
    expect(writes).toBe(0);
    expect(stored.storeCode).toBe('');
    expect(await trail()).toEqual([{ type: 'supervisor.refused', code: 'NO_SUPERVISOR', detail: { action: 'settings.save' } }]);
  });

  it('with supervisors but this page not signed in: refused (PIN_REQUIRED), nothing stored', async () => {
    await pins().enroll('log-1', '王店长', '246810');
    await pins().verify('log-1', '王店长', '246810');
    // signed in on another page: this page is still not
    const request = { type: 'settings.save' as const, settings: edited((s) => (s.bridge.baseUrl = 'http://10.0.0.9:8080')) };
    const refusal = handler()(request, 'options-1');
    await expect(refusal).rejects.toBeInstanceOf(PinRefusedError);
    await expect(refusal).rejects.toThrow(/^PIN_REQUIRED/);
    expect(writes).toBe(0);
    expect(stored.bridge.baseUrl).toBe('');
    expect((await trail()).at(-1)).toMatchObject({ type: 'supervisor.refused', code: 'PIN_REQUIRED', detail: { action: 'settings.save' } });
  });

  it('signed in: stored and audited under that supervisor, with the fields that changed (old → new) and never a secret', async () => {
    await pins().enroll('options-1', '王店长', '246810');
    await pins().verify('options-1', '王店长', '246810');
    const request = {
      type: 'settings.save' as const,
      settings: edited((s) => {
        s.bridge.baseUrl = 'http://10.0.0.9:8080';
        s.bridge.secret = 'must-never-be-stored-here';
        s.portals.ruyitong.paymentMethodId = 27;
        s.portalPacks = ['{"pack":"text never copied"}'];
        s.locatorOverrides['ruyitong.search.box'] = [{ by: 'placeholder', value: '扫码' }];
      }),
    };
    const answer = await handler()(request, 'options-1');
    expect(answer.by).toBe('王店长');
    expect(answer.changed.sort()).toEqual(['bridge.baseUrl', 'locatorOverrides.ruyitong.search.box', 'portalPacks', 'portals.ruyitong.paymentMethodId']);
    expect(stored.bridge.baseUrl).toBe('http://10.0.0.9:8080');
    expect(stored.bridge.secret).toBe('');
    expect(stored.portals.ruyitong.paymentMethodId).toBe(27);
    const entry = (await trail()).find((e) => e.type === 'settings.changed');
    expect(entry?.detail.by).toBe('王店长');
    expect(String(entry?.detail.paths).split(',').sort()).toEqual(answer.changed.sort());
    expect(JSON.parse(String(entry?.detail.values))).toEqual({
      'bridge.baseUrl': ['', 'http://10.0.0.9:8080'],
      'portals.ruyitong.paymentMethodId': [0, 27],
    });
    const all = JSON.stringify(await trail());
    expect(all).not.toContain('must-never-be-stored-here');
    expect(all).not.toContain('text never copied');
    expect(all).not.toContain('246810');
  });

  it('an unchanged save writes nothing and adds no settings entry', async () => {
    await pins().enroll('options-1', '王店长', '246810');
    await pins().verify('options-1', '王店长', '246810');
    expect(await handler()({ type: 'settings.save', settings: structuredClone(stored) }, 'options-1')).toEqual({ changed: [], by: '王店长' });
    expect(writes).toBe(0);
    expect((await trail()).some((e) => e.type === 'settings.changed')).toBe(false);
  });

  it('policy stays authoritative: a locked field sent by the page is not stored, and policy supervisors sign in', async () => {
    const record = await makeSupervisorRecord('李经理', '135790');
    policy = { bridge: { baseUrl: 'http://10.1.1.1:8080' }, supervisors: [record] };
    await pins().verify('options-1', '李经理', '135790');
    const answer = await handler()(
      {
        type: 'settings.save',
        settings: edited((s) => {
          s.bridge.baseUrl = 'http://evil.example:80';
          s.cashierId = 'C07';
        }),
      },
      'options-1',
    );
    expect(answer).toEqual({ changed: ['cashierId'], by: '李经理' });
    expect(stored.bridge.baseUrl).toBe('');
    expect(stored.cashierId).toBe('C07');
  });
});

describe('settingsChanges', () => {
  it('names limits set, cleared and changed; ignores version and the secret', () => {
    const before = defaultSettings();
    before.portals.boming.limits.maxOrderFen = 50_000;
    const after = structuredClone(before);
    delete after.portals.boming.limits.maxOrderFen;
    after.portals.huiyika.limits.maxItemQty = 5;
    after.bridge.secret = 'x';
    expect(settingsChanges(before, after)).toEqual([
      { path: 'portals.boming.limits.maxOrderFen', from: 50_000, to: null },
      { path: 'portals.huiyika.limits.maxItemQty', from: null, to: 5 },
    ]);
  });
});
