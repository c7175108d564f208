import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { formToSettings, settingsToForm } from '@/entrypoints/options/form';
import { PORTAL_IDS } from '@/providers/registry';
import { formatFen, formatYuan, parseYuanToFen } from '@/shared/core/money';
import {
  DEFAULT_PAYMENT_METHOD_NAMES,
  SETTINGS_LEAF_PATHS,
  SETTINGS_STORAGE_KEY,
  SettingsSchema,
  bridgeOrigin,
  defaultSettings,
  isLocked,
  keepLocalAtLocked,
  loadSettings,
  mergeManaged,
  migrateSettings,
  migrateSettingsDetailed,
  onSettingsChanged,
  saveSettings,
  type Settings,
} from '@/shared/settings';

const ROOT = join(__dirname, '..');

function withBridge(baseUrl: string, secret = 's3cret'): Settings {
  const s = defaultSettings();
  s.bridge = { baseUrl, secret, unreachableMinutes: 10 };
  return s;
}

beforeEach(() => {
  fakeBrowser.reset();
  vi.restoreAllMocks();
});

describe('defaults', () => {
  it('are valid version-1 settings', () => {
    const d = defaultSettings();
    expect(SettingsSchema.parse(d)).toEqual(d);
    expect(d.version).toBe(1);
    expect(d.storeCode).toBe('');
    expect(d.bridge).toEqual({ baseUrl: '', secret: '', unreachableMinutes: 10 });
    expect(d.maxTicketAgeHours).toBe(24);
    expect(d.pendingAlertMinutes).toBe(30);
    expect(d.retentionDays).toBe(400);
    expect(d.locatorOverrides).toEqual({});
  });

  it('have every portal enabled with the payment-method names of portals.md', () => {
    const d = defaultSettings();
    expect(Object.keys(d.portals).sort()).toEqual([...PORTAL_IDS].sort());
    expect(Object.fromEntries(PORTAL_IDS.map((id) => [id, d.portals[id].paymentMethodName]))).toEqual({
      boming: '博明卡',
      guohui: '国惠通',
      yuanfu: '国惠通',
      ruyitong: '如医通',
      huiyika: '慧医卡',
    });
    for (const id of PORTAL_IDS) {
      expect(d.portals[id]).toMatchObject({ enabled: true, paymentMethodId: 0, limits: {} });
    }
  });

  it('are a fresh object each time', () => {
    const a = defaultSettings();
    a.portals.boming.limits.maxOrderFen = 1;
    expect(defaultSettings().portals.boming.limits).toEqual({});
  });

  it('schema refuses floats for money and out-of-range values', () => {
    const d = defaultSettings();
    expect(SettingsSchema.safeParse({ ...d, retentionDays: 399 }).success).toBe(false);
    const p = structuredClone(d);
    p.portals.ruyitong.limits.maxOrderFen = 300000.5;
    expect(SettingsSchema.safeParse(p).success).toBe(false);
    expect(SettingsSchema.safeParse({ ...d, storeCode: 's001' }).success).toBe(false);
    expect(SettingsSchema.safeParse({ ...d, version: 0 }).success).toBe(false);
  });
});

describe('migrateSettings', () => {
  it('turns nothing or garbage into defaults', () => {
    for (const raw of [undefined, null, 'settings', 42, true, [1, 2], () => 1, new Date()]) {
      expect(migrateSettings(raw)).toEqual(defaultSettings());
    }
    expect(migrateSettingsDetailed(undefined).from).toBe('empty');
    expect(migrateSettingsDetailed('x').from).toBe('garbage');
  });

  it('migrates version 0 to version 1', () => {
    const v0 = {
      version: 0,
      store: ' s001 ',
      cashier: 'C07',
      bridgeUrl: 'http://192.168.1.10:8080/',
      bridgeSecret: 'abc',
      maxAgeHours: 48,
      paymentMethods: {
        boming: { id: 12, name: '博明卡' },
        ruyitong: { id: '31', name: '如医通(平安)' },
        huiyika: { id: -1, name: '' },
      },
    };
    const result = migrateSettingsDetailed(v0);
    expect(result.from).toBe(0);
    const s = result.settings;
    expect(SettingsSchema.parse(s)).toEqual(s);
    expect(s.version).toBe(1);
    expect(s.storeCode).toBe('S001');
    expect(s.cashierId).toBe('C07');
    expect(s.bridge).toEqual({ baseUrl: 'http://192.168.1.10:8080', secret: 'abc', unreachableMinutes: 10 });
    expect(s.maxTicketAgeHours).toBe(48);
    expect(s.portals.boming).toMatchObject({ paymentMethodId: 12, paymentMethodName: '博明卡', enabled: true });
    expect(s.portals.ruyitong).toMatchObject({ paymentMethodId: 31, paymentMethodName: '如医通(平安)' });
    // Invalid v0 entries fall back to the defaults, field by field.
    expect(s.portals.huiyika).toMatchObject({ paymentMethodId: 0, paymentMethodName: '慧医卡' });
    expect(result.resetPaths).toEqual(
      expect.arrayContaining(['portals.huiyika.paymentMethodId', 'portals.huiyika.paymentMethodName']),
    );
    // Fields v0 did not have come from the defaults.
    expect(s.pendingAlertMinutes).toBe(30);
    expect(s.retentionDays).toBe(400);
    expect(s.portals.guohui.paymentMethodName).toBe('国惠通');
  });

  it('recognises an unversioned v0 object by its keys', () => {
    const r = migrateSettingsDetailed({ store: 'A1', bridgeUrl: '' });
    expect(r.from).toBe(0);
    expect(r.settings.storeCode).toBe('A1');
  });

  it('fills a partial v1 from the defaults and resets only the invalid fields', () => {
    const raw = {
      version: 1,
      storeCode: 'store 1', // invalid
      cashierId: 'C01',
      bridge: { baseUrl: 'ftp://x' }, // invalid URL, secret missing
      maxTicketAgeHours: 12,
      portals: {
        boming: { enabled: false, paymentMethodId: 5, paymentMethodName: '博明卡', limits: { maxOrderFen: 300000, maxOrdersPerDay: 0 } },
        ruyitong: { paymentMethodId: 1.5, limits: 'none' },
        nosuch: { enabled: true },
      },
      locatorOverrides: {
        'ruyitong.searchBox': [{ by: 'placeholder', value: '商品条码' }],
        'huiyika.payButton': [{ by: 'xpath', value: '//button' }], // invalid strategy
      },
      retentionDays: 30, // below the 400-day minimum
      extra: 'dropped',
    };
    const r = migrateSettingsDetailed(raw);
    const s = r.settings;
    expect(r.from).toBe(1);
    expect(SettingsSchema.parse(s)).toEqual(s);
    expect(s.storeCode).toBe('');
    expect(s.cashierId).toBe('C01');
    expect(s.bridge).toEqual({ baseUrl: '', secret: '', unreachableMinutes: 10 });
    expect(s.maxTicketAgeHours).toBe(12);
    expect(s.portals.boming).toEqual({
      enabled: false,
      paymentMethodId: 5,
      paymentMethodName: '博明卡',
      goodsName: '',
      limits: { maxOrderFen: 300000 },
    });
    expect(s.portals.ruyitong).toEqual(defaultSettings().portals.ruyitong);
    expect(s.locatorOverrides).toEqual({ 'ruyitong.searchBox': [{ by: 'placeholder', value: '商品条码' }] });
    expect(s.retentionDays).toBe(400);
    expect(s.pendingAlertMinutes).toBe(30);
    expect(r.resetPaths.sort()).toEqual(
      [
        'storeCode',
        'bridge.baseUrl',
        'portals.boming.limits.maxOrdersPerDay',
        'portals.ruyitong.paymentMethodId',
        'portals.ruyitong.limits',
        'portals.nosuch',
        'locatorOverrides.huiyika.payButton',
        'retentionDays',
        'extra',
      ].sort(),
    );
  });

  it('keeps valid v1 settings unchanged', () => {
    const s = withBridge('https://yk.example.cn/bridge');
    s.storeCode = 'CD0012';
    s.portals.huiyika.limits = { maxOrderFen: 100, maxOrdersPerDay: 8, maxItemQty: 20, maxUnitFen: 100000 };
    s.locatorOverrides = { 'huiyika.search': [{ by: 'role', role: 'textbox', value: '搜索' }] };
    expect(migrateSettings(structuredClone(s))).toEqual(s);
    expect(migrateSettingsDetailed(s).resetPaths).toEqual([]);
  });

  it('keeps what still fits from a newer version', () => {
    const r = migrateSettingsDetailed({ version: 2, storeCode: 'S9', newThing: 1 });
    expect(r.from).toBe('newer');
    expect(r.settings.version).toBe(1);
    expect(r.settings.storeCode).toBe('S9');
  });

  it('does not let a __proto__ key through', () => {
    const raw = JSON.parse('{"version":1,"locatorOverrides":{"__proto__":[{"by":"css","value":"x"}]}}');
    const s = migrateSettings(raw);
    expect(Object.getPrototypeOf(s.locatorOverrides)).toBe(Object.prototype);
    expect(Object.keys(s.locatorOverrides)).toEqual([]);
  });
});

describe('mergeManaged', () => {
  it('lets policy values win and locks them', () => {
    const local = withBridge('http://10.0.0.1:8080', 'local');
    local.storeCode = 'LOCAL1';
    local.portals.ruyitong.limits = { maxOrdersPerDay: 10 };
    local.locatorOverrides = { 'a.b': [{ by: 'css', value: '#a' }], 'c.d': [{ by: 'css', value: '#c' }] };
    const before = structuredClone(local);
    const managed = {
      storeCode: 's002',
      bridge: { baseUrl: 'http://192.168.1.10:8080/', secret: 'policy' },
      portals: { ruyitong: { paymentMethodId: 44, limits: { maxOrderFen: 300000 } }, boming: { enabled: false } },
      locatorOverrides: { 'c.d': [{ by: 'text', value: '确认结账' }] },
      retentionDays: 730,
    };
    const { settings, lockedPaths, ignoredPaths } = mergeManaged(local, managed);
    expect(ignoredPaths).toEqual([]);
    expect(settings.storeCode).toBe('S002');
    expect(settings.bridge).toEqual({ baseUrl: 'http://192.168.1.10:8080', secret: 'policy', unreachableMinutes: 10 });
    expect(settings.portals.ruyitong.paymentMethodId).toBe(44);
    expect(settings.portals.ruyitong.limits).toEqual({ maxOrdersPerDay: 10, maxOrderFen: 300000 });
    expect(settings.portals.boming.enabled).toBe(false);
    expect(settings.locatorOverrides).toEqual({ 'a.b': [{ by: 'css', value: '#a' }], 'c.d': [{ by: 'text', value: '确认结账' }] });
    expect(settings.retentionDays).toBe(730);
    expect(settings.cashierId).toBe(local.cashierId);
    expect(lockedPaths.sort()).toEqual(
      [
        'storeCode',
        'bridge.baseUrl',
        'bridge.secret',
        'portals.ruyitong.paymentMethodId',
        'portals.ruyitong.limits.maxOrderFen',
        'portals.boming.enabled',
        'locatorOverrides.c.d',
        'retentionDays',
      ].sort(),
    );
    expect(local).toEqual(before); // pure
  });

  it('ignores and reports invalid policy values, keeping the local ones', () => {
    const local = withBridge('http://10.0.0.1:8080', 'local');
    const managed = {
      storeCode: 'not a code!',
      maxTicketAgeHours: '48',
      bridge: { baseUrl: 'javascript:alert(1)', secret: 'ok-secret' },
      portals: { huiyika: { paymentMethodId: -3, limits: { maxUnitFen: 12.5, maxItemQty: 20 } }, guohui: 'x' },
      locatorOverrides: { 'x.y': [{ by: 'css' }] },
      retentionDays: 10,
      surprise: true,
    };
    const { settings, lockedPaths, ignoredPaths } = mergeManaged(local, managed);
    expect(settings.storeCode).toBe('');
    expect(settings.maxTicketAgeHours).toBe(24);
    expect(settings.bridge).toEqual({ baseUrl: 'http://10.0.0.1:8080', secret: 'ok-secret', unreachableMinutes: 10 });
    expect(settings.portals.huiyika.paymentMethodId).toBe(0);
    expect(settings.portals.huiyika.limits).toEqual({ maxItemQty: 20 });
    expect(settings.locatorOverrides).toEqual({});
    expect(settings.retentionDays).toBe(400);
    expect(lockedPaths.sort()).toEqual(['bridge.secret', 'portals.huiyika.limits.maxItemQty'].sort());
    expect(ignoredPaths.sort()).toEqual(
      [
        'storeCode',
        'maxTicketAgeHours',
        'bridge.baseUrl',
        'portals.huiyika.paymentMethodId',
        'portals.huiyika.limits.maxUnitFen',
        'portals.guohui',
        'locatorOverrides.x.y',
        'retentionDays',
        'surprise',
      ].sort(),
    );
  });

  it('treats a missing or empty policy as no policy', () => {
    const local = withBridge('http://10.0.0.1');
    for (const managed of [undefined, null, {}]) {
      expect(mergeManaged(local, managed)).toEqual({ settings: local, lockedPaths: [], ignoredPaths: [] });
    }
    expect(mergeManaged(local, 'garbage').ignoredPaths).toEqual(['']);
  });

  it('isLocked covers a path and its children', () => {
    const locked = ['bridge', 'portals.ruyitong.limits.maxOrderFen', 'locatorOverrides.ruyitong.searchBox'];
    expect(isLocked('bridge.baseUrl', locked)).toBe(true);
    expect(isLocked('portals.ruyitong.limits.maxOrderFen', locked)).toBe(true);
    expect(isLocked('portals.ruyitong.limits.maxItemQty', locked)).toBe(false);
    expect(isLocked('portals.ruyitong', locked)).toBe(false);
    expect(isLocked('storeCode', locked)).toBe(false);
  });

  it('keepLocalAtLocked puts the hidden local values back before saving', () => {
    const local = withBridge('http://10.0.0.1', 'local');
    local.portals.boming.limits = { maxItemQty: 5 };
    local.locatorOverrides = { 'ruyitong.searchBox': [{ by: 'css', value: '#q' }] };
    const { settings, lockedPaths } = mergeManaged(local, {
      bridge: { secret: 'policy' },
      portals: { boming: { limits: { maxOrderFen: 1000, maxItemQty: 9 } } },
      locatorOverrides: { 'ruyitong.searchBox': [{ by: 'text', value: 'x' }], 'huiyika.pay': [{ by: 'text', value: '结算' }] },
    });
    const edited = structuredClone(settings);
    edited.cashierId = 'C9';
    const toSave = keepLocalAtLocked(edited, local, lockedPaths);
    expect(toSave.cashierId).toBe('C9');
    expect(toSave.bridge.secret).toBe('local');
    expect(toSave.portals.boming.limits).toEqual({ maxItemQty: 5 });
    expect(toSave.locatorOverrides).toEqual({ 'ruyitong.searchBox': [{ by: 'css', value: '#q' }] });
  });
});

describe('storage', () => {
  it('round-trips through storage.local', async () => {
    const s = withBridge('http://192.168.1.10:8080', 'k');
    s.storeCode = 'S001';
    s.portals.ruyitong.limits = { maxOrderFen: 300000, maxOrdersPerDay: 8, maxItemQty: 20, maxUnitFen: 100000 };
    await saveSettings(s);
    const stored = await fakeBrowser.storage.local.get(SETTINGS_STORAGE_KEY);
    expect(stored[SETTINGS_STORAGE_KEY]).toEqual(s);
    const loaded = await loadSettings();
    expect(loaded.settings).toEqual(s);
    expect(loaded.local).toEqual(s);
    expect(loaded.lockedPaths).toEqual([]);
  });

  it('loads defaults from empty storage and migrates v0 in memory', async () => {
    expect((await loadSettings()).settings).toEqual(defaultSettings());
    await fakeBrowser.storage.local.set({ [SETTINGS_STORAGE_KEY]: { store: 'B2', maxAgeHours: 6 } });
    const { settings } = await loadSettings();
    expect(settings).toMatchObject({ version: 1, storeCode: 'B2', maxTicketAgeHours: 6 });
  });

  it('refuses to save invalid settings and writes nothing', async () => {
    const bad = { ...defaultSettings(), maxTicketAgeHours: 0 };
    await expect(saveSettings(bad)).rejects.toThrow();
    expect((await fakeBrowser.storage.local.get(SETTINGS_STORAGE_KEY))[SETTINGS_STORAGE_KEY]).toBeUndefined();
  });

  it('applies storage.managed over storage.local and saves to local only', async () => {
    await saveSettings({ ...defaultSettings(), storeCode: 'LOCAL' });
    await fakeBrowser.storage.managed.set({ storeCode: 'POLICY', pendingAlertMinutes: 5 });
    const loaded = await loadSettings();
    expect(loaded.settings.storeCode).toBe('POLICY');
    expect(loaded.settings.pendingAlertMinutes).toBe(5);
    expect(loaded.local.storeCode).toBe('LOCAL');
    expect(loaded.lockedPaths.sort()).toEqual(['pendingAlertMinutes', 'storeCode']);
    await saveSettings({ ...loaded.local, cashierId: 'C2' });
    expect(await fakeBrowser.storage.managed.get(null)).toEqual({ storeCode: 'POLICY', pendingAlertMinutes: 5 });
    expect((await loadSettings()).settings).toMatchObject({ storeCode: 'POLICY', cashierId: 'C2' });
  });

  it('treats a throwing or missing storage.managed as empty (Firefox without policy)', async () => {
    await saveSettings({ ...defaultSettings(), storeCode: 'S1' });
    vi.spyOn(fakeBrowser.storage.managed, 'get').mockRejectedValue(new Error('Managed storage manifest not found'));
    const loaded = await loadSettings();
    expect(loaded.settings.storeCode).toBe('S1');
    expect(loaded.lockedPaths).toEqual([]);
    vi.restoreAllMocks();
    const storage = fakeBrowser.storage as { managed?: unknown };
    const managed = storage.managed;
    storage.managed = undefined;
    try {
      expect((await loadSettings()).settings.storeCode).toBe('S1');
    } finally {
      storage.managed = managed;
    }
  });

  it('notifies about local and policy changes until unsubscribed', async () => {
    const seen: string[] = [];
    let resolveNext: () => void = () => {};
    const next = () => new Promise<void>((r) => (resolveNext = r));
    const off = onSettingsChanged((loaded) => {
      seen.push(loaded.settings.storeCode);
      resolveNext();
    });
    let wait = next();
    await saveSettings({ ...defaultSettings(), storeCode: 'A1' });
    await wait;
    wait = next();
    await fakeBrowser.storage.managed.set({ storeCode: 'P1' });
    await wait;
    await fakeBrowser.storage.local.set({ unrelated: 1 });
    off();
    await saveSettings({ ...defaultSettings(), storeCode: 'A2' });
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual(['A1', 'P1']);
  });
});

describe('bridgeOrigin', () => {
  it('gives the origin pattern of the bridge, or null without one', () => {
    expect(bridgeOrigin(withBridge('http://192.168.1.10:8080'), { includePort: true })).toBe('http://192.168.1.10:8080/*');
    expect(bridgeOrigin(withBridge('https://yk.example.cn/api/bridge'), { includePort: true })).toBe('https://yk.example.cn/*');
    expect(bridgeOrigin(withBridge('http://yk.local:80'), { includePort: true })).toBe('http://yk.local/*');
    expect(bridgeOrigin(withBridge('http://192.168.1.10:8080'), { includePort: false })).toBe('http://192.168.1.10/*');
    expect(bridgeOrigin(withBridge('http://[fd00::5]:9000'), { includePort: true })).toBe('http://[fd00::5]:9000/*');
    expect(bridgeOrigin(defaultSettings())).toBeNull();
  });

  it('keeps the port by default in Chrome builds', () => {
    expect(bridgeOrigin(withBridge('http://192.168.1.10:8080'))).toBe('http://192.168.1.10:8080/*');
  });
});

describe('money', () => {
  it('parses yuan text into integer fen without float arithmetic', () => {
    expect(parseYuanToFen('12.3')).toBe(1230);
    expect(parseYuanToFen('12.30')).toBe(1230);
    expect(parseYuanToFen('12')).toBe(1200);
    expect(parseYuanToFen('0.29')).toBe(29);
    expect(parseYuanToFen('0.07')).toBe(7);
    expect(parseYuanToFen('1.1')).toBe(110);
    expect(parseYuanToFen('3000')).toBe(300000);
    expect(parseYuanToFen(' 8.05 ')).toBe(805);
    expect(parseYuanToFen('¥19.99')).toBe(1999);
    expect(parseYuanToFen('１２．５')).toBe(1250);
    expect(parseYuanToFen('0')).toBe(0);
    expect(parseYuanToFen('007.5')).toBe(750);
  });

  it('refuses what is not a plain yuan amount', () => {
    for (const bad of ['1.234', '-1', 'abc', '', ' ', '1.', '.5', '1e3', '1,000', '1 000', '+1', '12.3.4', 'NaN', 'Infinity', '99999999999999999']) {
      expect(parseYuanToFen(bad), bad).toBeNull();
    }
  });

  it('formats fen as yuan', () => {
    expect(formatFen(12345)).toBe('123.45');
    expect(formatFen(5)).toBe('0.05');
    expect(formatFen(0)).toBe('0.00');
    expect(formatFen(100)).toBe('1.00');
    expect(formatFen(-150)).toBe('-1.50');
    expect(formatYuan(12345)).toBe('¥123.45');
    expect(formatYuan(-150)).toBe('-¥1.50');
    expect(() => formatFen(1.5)).toThrow(RangeError);
  });

  it('round-trips', () => {
    for (const fen of [0, 1, 9, 10, 99, 100, 101, 1230, 299999, 999999999]) {
      expect(parseYuanToFen(formatFen(fen))).toBe(fen);
    }
  });
});

describe('options form', () => {
  it('shows limits in yuan and stores them in fen', () => {
    const local = withBridge('http://192.168.1.10:8080', 'k');
    local.storeCode = 'S001';
    local.portals.ruyitong.limits = { maxOrderFen: 300000, maxUnitFen: 1250 };
    const form = settingsToForm(local, local);
    expect(form.portals.ruyitong.limits).toEqual({ maxOrderFen: '3000', maxOrdersPerDay: '', maxItemQty: '', maxUnitFen: '12.50' });
    form.portals.ruyitong.limits.maxOrderFen = '2999.9';
    form.portals.ruyitong.limits.maxOrdersPerDay = '8';
    form.portals.boming.limits.maxUnitFen = '12.3';
    form.bridgeBaseUrl = ' http://192.168.1.11:8080/ ';
    form.storeCode = 's002';
    // the secret itself lives in the background's vault: the form is told one is set
    const result = formToSettings(form, local, [], true);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.settings.portals.ruyitong.limits).toEqual({ maxOrderFen: 299990, maxOrdersPerDay: 8, maxUnitFen: 1250 });
    expect(result.settings.portals.boming.limits).toEqual({ maxUnitFen: 1230 });
    expect(result.settings.bridge.baseUrl).toBe('http://192.168.1.11:8080');
    expect(result.settings.storeCode).toBe('S002');
  });

  it('reports errors next to the fields', () => {
    const local = defaultSettings();
    const form = settingsToForm(local, local);
    form.portals.huiyika.limits.maxOrderFen = '1.234';
    form.portals.huiyika.limits.maxItemQty = '-1';
    form.portals.guohui.paymentMethodName = '  ';
    form.maxTicketAgeHours = '0';
    form.bridgeBaseUrl = 'http://10.0.0.2';
    form.locatorOverridesJson = '{"ruyitong.searchBox": [{"by": "xpath", "value": "//input"}]}';
    const result = formToSettings(form, local, []);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(
      [
        'portals.huiyika.limits.maxOrderFen',
        'portals.huiyika.limits.maxItemQty',
        'portals.guohui.paymentMethodName',
        'maxTicketAgeHours',
        'bridge.secret',
        'locatorOverrides',
      ].sort(),
    );
    expect(result.errors['bridge.secret']?.key).toBe('opt_err_bridge_secret_missing');
    form.locatorOverridesJson = '{ not json';
    const again = formToSettings(form, local, []);
    expect(!again.ok && again.errors.locatorOverrides?.key).toBe('opt_err_locator_json');
  });

  it('never puts the bridge secret into the form or into the settings it saves (write-only)', () => {
    const local = withBridge('http://192.168.1.10:8080', 'old-secret');
    const form = settingsToForm(local, local);
    expect(form.bridgeSecret).toBe('');
    form.bridgeSecret = 'new-secret';
    const result = formToSettings(form, local, [], true);
    expect(result.ok && result.settings.bridge).toEqual({ baseUrl: 'http://192.168.1.10:8080', secret: '', unreachableMinutes: 10 });
    // no secret stored yet and none typed: the field says so
    const empty = settingsToForm(withBridge('http://192.168.1.10:8080', ''), defaultSettings());
    const refused = formToSettings(empty, defaultSettings(), [], false);
    expect(!refused.ok && refused.errors['bridge.secret']?.key).toBe('opt_err_bridge_secret_missing');
  });

  it('never saves policy values into local storage', () => {
    const local = defaultSettings();
    local.storeCode = 'MINE';
    const merged = mergeManaged(local, { storeCode: 'POLICY', portals: { boming: { paymentMethodId: 7 } } });
    const form = settingsToForm(merged.settings, local);
    form.cashierId = 'C3';
    const result = formToSettings(form, local, merged.lockedPaths);
    expect(result.ok && result.settings).toMatchObject({ storeCode: 'MINE', cashierId: 'C3' });
    expect(result.ok && result.settings.portals.boming.paymentMethodId).toBe(0);
  });
});

describe('managed_schema.json', () => {
  const schema = JSON.parse(readFileSync(join(ROOT, 'public/managed_schema.json'), 'utf8')) as Record<string, unknown>;

  type Node = { type?: string; properties?: Record<string, Node>; additionalProperties?: Node; items?: Node; [k: string]: unknown };

  // Chrome's policy schema dialect (components/policy/core/common/schema.cc): the attributes each type may carry.
  const ALLOWED: Record<string, string[]> = {
    array: ['description', 'id', 'items', 'sensitiveValue', 'title', 'type'],
    boolean: ['description', 'id', 'sensitiveValue', 'title', 'type'],
    integer: ['description', 'enum', 'id', 'maximum', 'minimum', 'sensitiveValue', 'title', 'type'],
    number: ['description', 'id', 'sensitiveValue', 'title', 'type'],
    object: ['additionalProperties', 'description', 'id', 'patternProperties', 'properties', 'required', 'sensitiveValue', 'title', 'type'],
    string: ['description', 'enum', 'id', 'pattern', 'sensitiveValue', 'title', 'type'],
  };

  function checkNode(node: Node, path: string, root = false) {
    expect(typeof node.type, path).toBe('string');
    const allowed = ALLOWED[node.type as string];
    expect(allowed, path).toBeDefined();
    for (const key of Object.keys(node)) {
      if (root && key === '$schema') continue;
      expect(allowed, `${path}: attribute ${key}`).toContain(key);
    }
    for (const [k, child] of Object.entries(node.properties ?? {})) checkNode(child, path ? `${path}.${k}` : k);
    if (node.additionalProperties) checkNode(node.additionalProperties, `${path}.*`);
    if (node.items) checkNode(node.items, `${path}[]`);
  }

  it('is valid in Chrome’s dialect', () => {
    expect(schema.type).toBe('object');
    expect(schema).not.toHaveProperty('additionalProperties');
    expect(schema).not.toHaveProperty('patternProperties');
    checkNode(schema as Node, '', true);
  });

  it('covers every settings field with the right type', () => {
    const d = defaultSettings();
    for (const path of SETTINGS_LEAF_PATHS) {
      let node = schema as Node;
      let value: unknown = d;
      for (const key of path.split('.')) {
        node = node.properties?.[key] as Node;
        expect(node, path).toBeDefined();
        value = (value as Record<string, unknown> | undefined)?.[key];
      }
      const expected =
        path === 'locatorOverrides'
          ? 'object'
          : path === 'portalPacks'
            ? 'array'
            : typeof value === 'string'
            ? 'string'
            : typeof value === 'boolean'
              ? 'boolean'
              : 'integer'; // numbers, and the limits (absent by default)
      expect(node.type, path).toBe(expected);
    }
    const portals = (schema as Node).properties?.portals?.properties ?? {};
    expect(Object.keys(portals).sort()).toEqual([...PORTAL_IDS].sort());
    const locator = (schema as Node).properties?.locatorOverrides?.additionalProperties;
    expect(locator?.type).toBe('array');
    expect(locator?.items?.properties?.by?.enum).toEqual(['label', 'placeholder', 'text', 'role', 'css', 'name']);
  });

  it('accepts what the settings accept (spot checks of the patterns)', () => {
    const props = (schema as Node).properties ?? {};
    const url = new RegExp(props.bridge?.properties?.baseUrl?.pattern as string);
    for (const ok of ['', 'http://192.168.1.10:8080', 'https://yk.example.cn/bridge/', 'http://[fd00::5]:9000']) expect(url.test(ok), ok).toBe(true);
    for (const bad of ['ftp://x', 'http://x/?a=1', 'javascript:alert(1)', 'http://u:p@x']) expect(url.test(bad), bad).toBe(false);
    const store = new RegExp(props.storeCode?.pattern as string);
    expect(store.test('S001')).toBe(true);
    expect(store.test('S 001')).toBe(false);
  });
});

describe('options locale files', () => {
  const read = (lang: string) =>
    JSON.parse(readFileSync(join(ROOT, 'locales', lang, 'options.json'), 'utf8')) as Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
  const zh = read('zh_CN');
  const en = read('en');

  it('have the same opt_ keys in both languages, each with a message', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
    for (const [key, value] of [...Object.entries(zh), ...Object.entries(en)]) {
      expect(key).toMatch(/^opt_[A-Za-z0-9_]+$/);
      expect(typeof value.message).toBe('string');
      expect(value.message.length).toBeGreaterThan(0);
      for (const [, name] of value.message.matchAll(/\$([A-Za-z0-9_]+)\$/g)) {
        expect(value.placeholders?.[(name as string).toLowerCase()], `${key}: $${name}$`).toBeDefined();
      }
    }
  });

  it('define every opt_ key the options page uses', () => {
    const dir = join(ROOT, 'entrypoints/options');
    const used = new Set<string>();
    for (const file of readdirSync(dir).filter((f) => /\.tsx?$/.test(f))) {
      for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/'(opt_[A-Za-z0-9_]+)'/g)) used.add(m[1] as string);
    }
    expect(used.size).toBeGreaterThan(20);
    for (const key of used) expect(zh, key).toHaveProperty(key);
  });

  it('the defaults match DEFAULT_PAYMENT_METHOD_NAMES', () => {
    expect(DEFAULT_PAYMENT_METHOD_NAMES.yuanfu).toBe('国惠通');
  });
});

describe('docs/settings.md', () => {
  it('documents every field', () => {
    const doc = readFileSync(join(ROOT, 'docs/settings.md'), 'utf8');
    const idPattern = new RegExp(`^portals\\.(${PORTAL_IDS.join('|')})\\.`);
    for (const path of ['version', ...SETTINGS_LEAF_PATHS]) {
      const generic = path.replace(idPattern, 'portals.<id>.');
      expect(doc, generic).toContain(`| \`${generic}\` |`);
    }
  });
});
