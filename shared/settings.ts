/**
 * Versioned extension settings (docs/settings.md documents every field).
 *
 * - Stored in `chrome.storage.local` under `settings`, as one object validated by `SettingsSchema`.
 * - Older or damaged stored values are migrated / repaired field by field (`migrateSettings`): one
 *   bad field falls back to its default, the rest is kept.
 * - Enterprise policy (`chrome.storage.managed`, schema in public/managed_schema.json) wins over
 *   local values, field by field (`mergeManaged`); the fields it sets are reported as locked.
 * - Money is integer fen everywhere.
 */
import { browser } from 'wxt/browser';
import { z } from 'zod';
import { PORTAL_IDS, perPortal, type PortalId } from '../providers/registry';
import { LocatorListSchema } from './engine/locator';

export const SETTINGS_STORAGE_KEY = 'settings';
export const SETTINGS_VERSION = 1;

// ---------------------------------------------------------------------------------------------
// Schema


/**
 * Portal packs (docs/packs.md), each the JSON text of one pack: kept as text so the options page
 * shows exactly what IT pasted or policy delivered; parsed and safety-checked in shared/packs.ts.
 * (Policy schemas cannot describe arbitrary nested objects, hence text; bounds: see PACK_LIMITS.)
 */
export const PortalPacksSchema = z.array(z.string().min(1).max(200_000)).max(20);

/** Yingke payment-method (下账方式) names per portal, from portals.md. */
export const DEFAULT_PAYMENT_METHOD_NAMES: Readonly<Record<PortalId, string>> = perPortal((p) => p.paymentMethodName);

/** Upper bounds follow the YK1 ticket syntax (total ≤ 9 digits, unit ≤ 8 digits, qty ≤ 3 digits). */
export const BOUNDS = {
  maxTicketAgeHours: { min: 1, max: 720, default: 24 },
  pendingAlertMinutes: { min: 1, max: 1440, default: 30 },
  retentionDays: { min: 400, max: 3650, default: 400 },
  unreachableMinutes: { min: 1, max: 1440, default: 10 },
  paymentMethodId: { min: 0, max: 2_147_483_647 },
  maxOrderFen: { min: 1, max: 999_999_999 },
  maxOrdersPerDay: { min: 1, max: 9_999 },
  maxItemQty: { min: 1, max: 999 },
  maxUnitFen: { min: 1, max: 99_999_999 },
  cashierIdLength: 32,
  paymentMethodNameLength: 32,
  goodsNameLength: 40,
  secretLength: 256,
  baseUrlLength: 2048,
} as const;

export const PORTAL_LIMIT_KEYS = ['maxOrderFen', 'maxOrdersPerDay', 'maxItemQty', 'maxUnitFen'] as const;
export type PortalLimitKey = (typeof PORTAL_LIMIT_KEYS)[number];

export const STORE_CODE_PATTERN = /^[A-Z0-9]{1,16}$/;
const NO_CONTROL_CHARS = /^[^\u0000-\u001f\u007f]*$/;
const TRIMMED_NON_EMPTY = /^\S(?:.*\S)?$/;

/** http(s) URL with a host, no user info, no query or fragment, no trailing slash. */
export function isHttpBaseUrl(text: string): boolean {
  if (text.length > BOUNDS.baseUrlLength || text !== text.trim() || /[?#]/.test(text) || text.endsWith('/')) {
    return false;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.hostname !== '' &&
    url.username === '' &&
    url.password === ''
  );
}

const int = (min: number, max: number) => z.int().min(min).max(max);

const StoreCodeSchema = z.union([z.literal(''), z.string().regex(STORE_CODE_PATTERN)]);
const CashierIdSchema = z.string().max(BOUNDS.cashierIdLength).regex(NO_CONTROL_CHARS);
const BridgeBaseUrlSchema = z.union([z.literal(''), z.string().refine(isHttpBaseUrl, 'not an http(s) base URL')]);
const BridgeSecretSchema = z.string().max(BOUNDS.secretLength).regex(NO_CONTROL_CHARS);
const PaymentMethodNameSchema = z.string().max(BOUNDS.paymentMethodNameLength).regex(TRIMMED_NON_EMPTY);
const GoodsNameSchema = z.string().max(BOUNDS.goodsNameLength).refine((v) => v === v.trim(), 'no leading or trailing spaces');

const LIMIT_SCHEMAS = {
  maxOrderFen: int(BOUNDS.maxOrderFen.min, BOUNDS.maxOrderFen.max),
  maxOrdersPerDay: int(BOUNDS.maxOrdersPerDay.min, BOUNDS.maxOrdersPerDay.max),
  maxItemQty: int(BOUNDS.maxItemQty.min, BOUNDS.maxItemQty.max),
  maxUnitFen: int(BOUNDS.maxUnitFen.min, BOUNDS.maxUnitFen.max),
} as const;

export const PortalLimitsSchema = z.object({
  /** Most one order may charge to the card, in fen. */
  maxOrderFen: LIMIT_SCHEMAS.maxOrderFen.optional(),
  /** Most orders per store per day on this portal. */
  maxOrdersPerDay: LIMIT_SCHEMAS.maxOrdersPerDay.optional(),
  /** Most quantity on one line. */
  maxItemQty: LIMIT_SCHEMAS.maxItemQty.optional(),
  /** Highest unit price of one line, in fen. */
  maxUnitFen: LIMIT_SCHEMAS.maxUnitFen.optional(),
});
export type PortalLimits = z.infer<typeof PortalLimitsSchema>;

export const PortalSettingsSchema = z.object({
  enabled: z.boolean(),
  /** Yingke payment-method id; 0 = not set yet. */
  paymentMethodId: int(BOUNDS.paymentMethodId.min, BOUNDS.paymentMethodId.max),
  paymentMethodName: PaymentMethodNameSchema,
  /** goods to enter on portals that take one line at the collected amount (慧医卡); '' = the provider's default */
  goodsName: GoodsNameSchema,
  limits: PortalLimitsSchema,
});
export type PortalSettings = z.infer<typeof PortalSettingsSchema>;

export const SettingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION),
  /** Yingke store code; '' = not configured. */
  storeCode: StoreCodeSchema,
  cashierId: CashierIdSchema,
  bridge: z.object({
    /** '' = no bridge: manual post-back. */
    baseUrl: BridgeBaseUrlSchema,
    secret: BridgeSecretSchema,
    /** how long the bridge may be unreachable before the cashier may make a sent tender up by hand ("to verify") */
    unreachableMinutes: int(BOUNDS.unreachableMinutes.min, BOUNDS.unreachableMinutes.max).default(BOUNDS.unreachableMinutes.default),
  }),
  maxTicketAgeHours: int(BOUNDS.maxTicketAgeHours.min, BOUNDS.maxTicketAgeHours.max),
  portals: z.record(z.enum(PORTAL_IDS), PortalSettingsSchema),
  /** Keyed "<portal>.<element>", e.g. "ruyitong.searchBox". */
  locatorOverrides: z.record(z.string(), LocatorListSchema),
  pendingAlertMinutes: int(BOUNDS.pendingAlertMinutes.min, BOUNDS.pendingAlertMinutes.max),
  retentionDays: int(BOUNDS.retentionDays.min, BOUNDS.retentionDays.max),
  /** whole-portal definitions that patch or replace a built-in provider */
  portalPacks: PortalPacksSchema.default([]),
});
export type Settings = z.infer<typeof SettingsSchema>;

export function defaultSettings(): Settings {
  const portals = {} as Record<PortalId, PortalSettings>;
  for (const id of PORTAL_IDS) {
    portals[id] = { enabled: true, paymentMethodId: 0, paymentMethodName: DEFAULT_PAYMENT_METHOD_NAMES[id], goodsName: '', limits: {} };
  }
  return {
    version: SETTINGS_VERSION,
    storeCode: '',
    cashierId: '',
    bridge: { baseUrl: '', secret: '', unreachableMinutes: BOUNDS.unreachableMinutes.default },
    maxTicketAgeHours: BOUNDS.maxTicketAgeHours.default,
    portals,
    locatorOverrides: {},
    pendingAlertMinutes: BOUNDS.pendingAlertMinutes.default,
    retentionDays: BOUNDS.retentionDays.default,
    portalPacks: [],
  };
}

// ---------------------------------------------------------------------------------------------
// Normalizers (applied before validation to migrated and managed values, and by the options page)

/** Trims and drops trailing slashes: " http://10.0.0.5:8080/ " → "http://10.0.0.5:8080". */
export function normalizeBaseUrl(text: string): string {
  return text.trim().replace(/\/+$/, '');
}

export function normalizeStoreCode(text: string): string {
  return text.trim().toUpperCase();
}

const ifString = (fn: (s: string) => string) => (value: unknown) => (typeof value === 'string' ? fn(value) : value);
const trim = ifString((s) => s.trim());

// ---------------------------------------------------------------------------------------------
// Field-by-field walking (shared by migration repair and the managed-policy merge)

interface Leaf {
  path: string;
  keys: readonly string[];
  schema: z.ZodType;
  normalize?: (value: unknown) => unknown;
}

function leaf(path: string, schema: z.ZodType, normalize?: (value: unknown) => unknown): Leaf {
  return { path, keys: path.split('.'), schema, normalize };
}

const LEAVES: readonly Leaf[] = [
  leaf('storeCode', StoreCodeSchema, ifString(normalizeStoreCode)),
  leaf('cashierId', CashierIdSchema, trim),
  leaf('bridge.baseUrl', BridgeBaseUrlSchema, ifString(normalizeBaseUrl)),
  leaf('bridge.secret', BridgeSecretSchema, trim),
  leaf('bridge.unreachableMinutes', int(BOUNDS.unreachableMinutes.min, BOUNDS.unreachableMinutes.max)),
  leaf('maxTicketAgeHours', SettingsSchema.shape.maxTicketAgeHours),
  ...PORTAL_IDS.flatMap((id) => [
    leaf(`portals.${id}.enabled`, PortalSettingsSchema.shape.enabled),
    leaf(`portals.${id}.paymentMethodId`, PortalSettingsSchema.shape.paymentMethodId),
    leaf(`portals.${id}.paymentMethodName`, PaymentMethodNameSchema, trim),
    leaf(`portals.${id}.goodsName`, GoodsNameSchema, trim),
    ...PORTAL_LIMIT_KEYS.map((key) => leaf(`portals.${id}.limits.${key}`, LIMIT_SCHEMAS[key])),
  ]),
  leaf('pendingAlertMinutes', SettingsSchema.shape.pendingAlertMinutes),
  leaf('retentionDays', SettingsSchema.shape.retentionDays),
  leaf('portalPacks', PortalPacksSchema),
];

/**
 * Every fixed setting path below `version` (locatorOverrides is a map: its paths are
 * "locatorOverrides.<key>"). The managed schema and docs/settings.md cover each of these.
 */
export const SETTINGS_LEAF_PATHS: readonly string[] = [...LEAVES.map((l) => l.path), 'locatorOverrides'];

/** Objects that hold settings, with the keys each may contain. */
const CONTAINERS: ReadonlyArray<{ path: string; keys: readonly string[]; known: ReadonlySet<string> | null }> = [
  {
    path: '',
    keys: [],
    // `supervisors` is policy-only and read by the background's PIN keeper (shared/background/pin.ts), not a setting
    known: new Set(['version', 'storeCode', 'cashierId', 'bridge', 'maxTicketAgeHours', 'portals', 'locatorOverrides', 'pendingAlertMinutes', 'retentionDays', 'supervisors', 'portalPacks']),
  },
  { path: 'bridge', keys: ['bridge'], known: new Set(['baseUrl', 'secret', 'unreachableMinutes']) },
  { path: 'portals', keys: ['portals'], known: new Set(PORTAL_IDS) },
  ...PORTAL_IDS.flatMap((id) => [
    { path: `portals.${id}`, keys: ['portals', id], known: new Set(['enabled', 'paymentMethodId', 'paymentMethodName', 'goodsName', 'limits']) },
    { path: `portals.${id}.limits`, keys: ['portals', id, 'limits'], known: new Set<string>(PORTAL_LIMIT_KEYS) },
  ]),
  { path: 'locatorOverrides', keys: ['locatorOverrides'], known: null },
];

const LOCATOR_PREFIX = 'locatorOverrides.';
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function getAt(root: unknown, keys: readonly string[]): unknown {
  let node: unknown = root;
  for (const key of keys) {
    if (!isPlainObject(node) || !Object.hasOwn(node, key)) return undefined;
    node = node[key];
  }
  return node;
}

function setAt(root: Record<string, unknown>, keys: readonly string[], value: unknown): void {
  let node = root;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (isPlainObject(next)) {
      node = next;
    } else {
      const created: Record<string, unknown> = {};
      node[key] = created;
      node = created;
    }
  }
  const last = keys[keys.length - 1];
  if (last === undefined) return;
  if (value === undefined) delete node[last];
  else node[last] = value;
}

/** Splits a settings path; "locatorOverrides.<key>" keeps a dotted key whole. */
export function splitSettingsPath(path: string): string[] {
  return path.startsWith(LOCATOR_PREFIX) ? ['locatorOverrides', path.slice(LOCATOR_PREFIX.length)] : path.split('.');
}

/**
 * Copies every valid field of `source` (a v1-shaped object, possibly partial) onto `target`.
 * Missing or null fields are skipped; invalid ones and unknown keys are reported and skipped.
 */
function applyFields(
  target: Record<string, unknown>,
  source: unknown,
  applied: (path: string) => void,
  invalid: (path: string) => void,
): void {
  if (!isPlainObject(source)) {
    if (source !== undefined && source !== null) invalid('');
    return;
  }
  const brokenContainers = new Set<string>();
  for (const container of CONTAINERS) {
    const value = container.path === '' ? source : getAt(source, container.keys);
    if (value === undefined || value === null) continue;
    if (!isPlainObject(value)) {
      invalid(container.path);
      brokenContainers.add(container.path);
      continue;
    }
    if (container.known) {
      for (const key of Object.keys(value)) {
        if (!container.known.has(key)) invalid(container.path ? `${container.path}.${key}` : key);
      }
    }
  }
  for (const { path, keys, schema, normalize } of LEAVES) {
    let value = getAt(source, keys);
    if (value === undefined || value === null) continue;
    if (normalize) value = normalize(value);
    const result = schema.safeParse(value);
    if (result.success) {
      setAt(target, keys, result.data);
      applied(path);
    } else {
      invalid(path);
    }
  }
  const overrides = getAt(source, ['locatorOverrides']);
  if (isPlainObject(overrides) && !brokenContainers.has('locatorOverrides')) {
    for (const [key, list] of Object.entries(overrides)) {
      const path = LOCATOR_PREFIX + key;
      const result = LocatorListSchema.safeParse(list);
      if (key === '' || FORBIDDEN_KEYS.has(key) || !result.success) {
        invalid(path);
        continue;
      }
      setAt(target, ['locatorOverrides', key], result.data);
      applied(path);
    }
  }
}

function toMutable(settings: Settings): Record<string, unknown> {
  return structuredClone(settings) as unknown as Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// Migrations

/**
 * Version 0 (the 2024 pilot build) stored flat fields:
 * `{ version?: 0, store, cashier, bridgeUrl, bridgeSecret, maxAgeHours, paymentMethods: { <portal>: { id, name } } }`.
 */
export interface SettingsV0 {
  version?: 0;
  store?: string;
  cashier?: string;
  bridgeUrl?: string;
  bridgeSecret?: string;
  maxAgeHours?: number;
  paymentMethods?: Partial<Record<PortalId, { id?: number | string; name?: string }>>;
}

const V0_KEYS = ['store', 'cashier', 'bridgeUrl', 'bridgeSecret', 'maxAgeHours', 'paymentMethods'] as const;

function v0ToV1Shape(raw: Record<string, unknown>): Record<string, unknown> {
  const portals: Record<string, unknown> = {};
  const methods = raw.paymentMethods;
  if (isPlainObject(methods)) {
    for (const id of PORTAL_IDS) {
      const method = methods[id];
      if (!isPlainObject(method)) continue;
      const entry: Record<string, unknown> = {};
      // v0 edited the id in a text box and sometimes saved it as a string.
      entry.paymentMethodId = typeof method.id === 'string' && /^\d{1,10}$/.test(method.id.trim()) ? Number(method.id.trim()) : method.id;
      entry.paymentMethodName = method.name;
      portals[id] = entry;
    }
  }
  return {
    storeCode: raw.store,
    cashierId: raw.cashier,
    bridge: { baseUrl: raw.bridgeUrl, secret: raw.bridgeSecret },
    maxTicketAgeHours: raw.maxAgeHours,
    portals,
  };
}

export type MigratedFrom = 'empty' | 'garbage' | 0 | 1 | 'unversioned' | 'newer';

export interface MigrationResult {
  settings: Settings;
  /** Which stored shape was found. */
  from: MigratedFrom;
  /** Stored fields that were invalid (reset to their default) or unknown (dropped). */
  resetPaths: string[];
}

/** Like `migrateSettings`, and says what it found and what it had to reset. */
export function migrateSettingsDetailed(raw: unknown): MigrationResult {
  if (raw === undefined || raw === null) return { settings: defaultSettings(), from: 'empty', resetPaths: [] };
  if (!isPlainObject(raw)) return { settings: defaultSettings(), from: 'garbage', resetPaths: [''] };

  let from: MigratedFrom;
  let shape: Record<string, unknown>;
  const version = raw.version;
  if (version === 0 || (version === undefined && V0_KEYS.some((k) => Object.hasOwn(raw, k)))) {
    from = 0;
    shape = v0ToV1Shape(raw);
  } else if (version === SETTINGS_VERSION) {
    from = 1;
    shape = raw;
  } else if (typeof version === 'number' && version > SETTINGS_VERSION) {
    // Written by a newer build (then downgraded): keep whatever still fits version 1.
    from = 'newer';
    shape = { ...raw, version: undefined };
  } else {
    from = 'unversioned';
    shape = { ...raw, version: undefined };
  }

  const resetPaths: string[] = [];
  const target = toMutable(defaultSettings());
  applyFields(target, shape, () => {}, (path) => resetPaths.push(path));
  const checked = SettingsSchema.safeParse(target);
  if (!checked.success) return { settings: defaultSettings(), from, resetPaths: [''] };
  return { settings: checked.data, from, resetPaths };
}

/**
 * Turns whatever is stored under `settings` into valid version-1 settings: nothing or garbage →
 * defaults; version 0 → version 1; version 1 with missing or invalid fields → those fields
 * from the defaults, every valid field kept. Never throws.
 */
export function migrateSettings(raw: unknown): Settings {
  return migrateSettingsDetailed(raw).settings;
}

// ---------------------------------------------------------------------------------------------
// Enterprise policy

export interface EffectiveSettings {
  settings: Settings;
  /** Paths set by enterprise policy ("bridge.baseUrl", "portals.ruyitong.limits.maxOrderFen", "locatorOverrides.ruyitong.searchBox"). */
  lockedPaths: string[];
  /** Managed values that were invalid or unknown, hence ignored. */
  ignoredPaths: string[];
}

/**
 * Applies enterprise policy over local settings. `managed` has the settings' shape without
 * `version` (what `chrome.storage.managed.get()` returns). Each managed field is validated on
 * its own: a valid one replaces the local value and is locked; an invalid one is ignored and
 * listed in `ignoredPaths`. Locator overrides merge per key. Pure.
 */
export function mergeManaged(local: Settings, managed: unknown): EffectiveSettings {
  const lockedPaths: string[] = [];
  const ignoredPaths: string[] = [];
  const target = toMutable(local);
  applyFields(
    target,
    managed,
    (path) => lockedPaths.push(path),
    (path) => ignoredPaths.push(path),
  );
  const checked = SettingsSchema.safeParse(target);
  if (!checked.success) {
    return { settings: local, lockedPaths: [], ignoredPaths: [...ignoredPaths, ...lockedPaths] };
  }
  return { settings: checked.data, lockedPaths, ignoredPaths };
}

/** True when `path` or one of its parents is set by policy. */
export function isLocked(path: string, lockedPaths: readonly string[]): boolean {
  return lockedPaths.some((p) => p === path || path.startsWith(`${p}.`));
}

/**
 * For saving: the policy-locked fields of `next` are replaced by the local values they hide, so
 * that saving never copies policy values into local storage (they come back if policy is lifted).
 */
export function keepLocalAtLocked(next: Settings, local: Settings, lockedPaths: readonly string[]): Settings {
  const target = toMutable(next);
  for (const path of lockedPaths) {
    const keys = splitSettingsPath(path);
    setAt(target, keys, structuredClone(getAt(local, keys)));
  }
  return SettingsSchema.parse(target);
}

// ---------------------------------------------------------------------------------------------
// Storage

export interface LoadedSettings extends EffectiveSettings {
  /** What storage.local holds (after migration), before policy. */
  local: Settings;
}

/**
 * Where the background reads local settings from when storage.local cannot be closed to content
 * scripts (Firefox): the copy sealed at the last supervised save (shared/background/settings-seal.ts).
 * Unset everywhere else; undefined from the source means "nothing sealed yet".
 */
let localSettingsSource: (() => Promise<unknown>) | null = null;
export function useLocalSettingsSource(source: () => Promise<unknown>): void {
  localSettingsSource = source;
}

/** Local settings, migrated in memory (storage is only written by `saveSettings`). */
export async function loadLocalSettings(): Promise<Settings> {
  const sealed = localSettingsSource ? await localSettingsSource() : undefined;
  if (sealed !== undefined) return migrateSettings(sealed);
  const stored = await browser.storage.local.get(SETTINGS_STORAGE_KEY);
  return migrateSettings(stored[SETTINGS_STORAGE_KEY]);
}

/** Enterprise policy values, or {} when there is none or the area is unavailable (Firefox without policy throws). */
export async function readManagedPolicy(): Promise<unknown> {
  try {
    const area = browser.storage?.managed;
    if (!area) return {};
    return (await area.get(null)) ?? {};
  } catch {
    return {};
  }
}

/**
 * Where the bridge secret really lives. Only the background registers one (its IndexedDB vault,
 * shared/background/secret.ts); in every other context the secret is '' unless policy sets it,
 * so no extension page or content script ever holds a locally set secret.
 */
let secretSource: (() => Promise<string>) | null = null;
export function useSecretSource(source: () => Promise<string>): void {
  secretSource = source;
}
/** storage.local key touched when the secret changes, so onSettingsChanged fires without exposing it */
export const SECRET_CHANGED_KEY = 'secretChangedAt';

/** Effective settings: storage.local, migrated, with enterprise policy applied on top. */
export async function loadSettings(): Promise<LoadedSettings> {
  const [local, managed] = await Promise.all([loadLocalSettings(), readManagedPolicy()]);
  const merged = mergeManaged(local, managed);
  if (secretSource && !isLocked('bridge.secret', merged.lockedPaths)) {
    merged.settings.bridge.secret = await secretSource();
  }
  return { ...merged, local };
}

/** Validates (throws a ZodError when invalid) and writes storage.local only. */
export async function saveSettings(next: Settings): Promise<void> {
  const valid = SettingsSchema.parse(next);
  await browser.storage.local.set({ [SETTINGS_STORAGE_KEY]: valid });
}

/**
 * Calls `cb` with freshly loaded effective settings whenever local settings or policy change.
 * Returns the unsubscribe function. Only the newest load is delivered.
 */
export function onSettingsChanged(cb: (next: LoadedSettings) => void): () => void {
  let active = true;
  let seq = 0;
  const listener = (changes: Record<string, unknown>, areaName: string) => {
    const localChange = areaName === 'local' && (Object.hasOwn(changes, SETTINGS_STORAGE_KEY) || Object.hasOwn(changes, SECRET_CHANGED_KEY));
    if (areaName !== 'managed' && !localChange) return;
    const mine = ++seq;
    loadSettings().then(
      (loaded) => {
        if (active && mine === seq) cb(loaded);
      },
      () => {},
    );
  };
  browser.storage.onChanged.addListener(listener);
  return () => {
    active = false;
    browser.storage.onChanged.removeListener(listener);
  };
}

// ---------------------------------------------------------------------------------------------
// Derived values

/** True when both a bridge URL and a secret are set (otherwise post-back is manual). */
export function bridgeConfigured(settings: Settings): boolean {
  return settings.bridge.baseUrl !== '' && settings.bridge.secret !== '';
}

/**
 * Host-permission pattern for the bridge, e.g. "http://192.168.1.10:8080/*"; null without a bridge.
 * Firefox match patterns cannot carry a port, so its builds get "http://192.168.1.10/*".
 */
export function bridgeOrigin(settings: Settings, options: { includePort?: boolean } = {}): string | null {
  return bridgeOriginForUrl(settings.bridge.baseUrl, options);
}

/** `bridgeOrigin` for a bare base URL (the options page asks before the settings are saved). */
export function bridgeOriginForUrl(baseUrl: string, options: { includePort?: boolean } = {}): string | null {
  if (!baseUrl) return null;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return null;
  const includePort = options.includePort ?? !import.meta.env?.FIREFOX;
  return `${url.protocol}//${includePort ? url.host : url.hostname}/*`;
}
