/**
 * The options page's form model: every input is text (or a checkbox), converted to and from
 * `Settings` here, without the DOM, so it can be tested. Money limits are typed in yuan and
 * stored in fen (string arithmetic, see shared/money.ts).
 */
import { z } from 'zod';
import { PORTAL_IDS, type PortalId } from '@/providers/registry';
import type { MessageKey } from '@/shared/i18n';
import { LocatorListSchema, type Locator } from '@/shared/engine/locator';
import { formatFen, parseYuanToFen } from '@/shared/core/money';
import {
  BOUNDS,
  PORTAL_LIMIT_KEYS,
  SettingsSchema,
  STORE_CODE_PATTERN,
  isHttpBaseUrl,
  keepLocalAtLocked,
  normalizeBaseUrl,
  normalizeStoreCode,
  type PortalLimitKey,
  type Settings,
} from '@/shared/settings';

export interface PortalForm {
  enabled: boolean;
  paymentMethodId: string;
  paymentMethodName: string;
  goodsName: string;
  /** maxOrderFen and maxUnitFen as yuan text, the counts as integer text; '' = no limit. */
  limits: Record<PortalLimitKey, string>;
}

export interface SettingsForm {
  storeCode: string;
  cashierId: string;
  bridgeBaseUrl: string;
  bridgeSecret: string;
  pendingAlertMinutes: string;
  maxTicketAgeHours: string;
  portals: Record<PortalId, PortalForm>;
  retentionDays: string;
  /** The local overrides only; policy-set keys are listed apart on the page. */
  locatorOverridesJson: string;
}

export interface FieldError {
  key: MessageKey;
  substitutions?: string[];
}

/** Keyed by settings path ("storeCode", "portals.ruyitong.limits.maxOrderFen", "locatorOverrides"). */
export type FormErrors = Record<string, FieldError>;

export type FormResult = { ok: true; settings: Settings } | { ok: false; errors: FormErrors };

export const MONEY_LIMITS: ReadonlySet<PortalLimitKey> = new Set<PortalLimitKey>(['maxOrderFen', 'maxUnitFen']);

/** "300000" fen → "3000", "1250" → "12.50". */
export function fenToYuanInput(fen: number): string {
  return formatFen(fen).replace(/\.00$/, '');
}

export function settingsToForm(effective: Settings, local: Settings): SettingsForm {
  const portals = {} as Record<PortalId, PortalForm>;
  for (const id of PORTAL_IDS) {
    const p = effective.portals[id];
    const limits = {} as Record<PortalLimitKey, string>;
    for (const key of PORTAL_LIMIT_KEYS) {
      const value = p.limits[key];
      limits[key] = value === undefined ? '' : MONEY_LIMITS.has(key) ? fenToYuanInput(value) : String(value);
    }
    portals[id] = {
      enabled: p.enabled,
      paymentMethodId: String(p.paymentMethodId),
      paymentMethodName: p.paymentMethodName,
      goodsName: p.goodsName,
      limits,
    };
  }
  const overrides = local.locatorOverrides;
  return {
    storeCode: effective.storeCode,
    cashierId: effective.cashierId,
    bridgeBaseUrl: effective.bridge.baseUrl,
    // write-only: the form holds a *new* secret being typed, never the stored one
    bridgeSecret: '',
    pendingAlertMinutes: String(effective.pendingAlertMinutes),
    maxTicketAgeHours: String(effective.maxTicketAgeHours),
    portals,
    retentionDays: String(effective.retentionDays),
    locatorOverridesJson: Object.keys(overrides).length === 0 ? '' : JSON.stringify(overrides, null, 2),
  };
}

/** Digits only (full-width digits accepted), no sign, no decimals; null otherwise. */
export function parseIntText(text: string): number | null {
  const normalized = text.trim().replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  if (!/^\d{1,15}$/.test(normalized)) return null;
  return Number(normalized);
}

const LOCATOR_EXAMPLE: Record<string, Locator[]> = {
  'ruyitong.searchBox': [
    { by: 'placeholder', value: '请输入商品条码/拼音码/名称' },
    { by: 'css', value: '.goods-search input' },
  ],
};

const LocatorOverridesInputSchema = z.record(
  z.string().min(1).refine((key) => !['__proto__', 'constructor', 'prototype'].includes(key), 'reserved key'),
  LocatorListSchema,
);

/** The example shown under the locator-overrides box. */
export const LOCATOR_EXAMPLE_JSON = JSON.stringify(LOCATOR_EXAMPLE, null, 2);

function describeZodPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((part) => (typeof part === 'number' ? `[${part}]` : `"${String(part)}"`)).join(' → ');
}

/**
 * Validates the form. Policy-locked fields are not taken from the form: the local values they
 * hide are kept (see keepLocalAtLocked), so a save never copies policy values into storage.
 */
/**
 * `secretSet`: a bridge secret is already stored (in the background's vault, or by policy), so an
 * empty secret field means "keep it". The secret itself never goes into the returned settings
 * (storage.local): the options page hands a new one to the background with 'secret.set'.
 */
export function formToSettings(form: SettingsForm, local: Settings, lockedPaths: readonly string[], secretSet = false): FormResult {
  const errors: FormErrors = {};
  const fail = (path: string, key: MessageKey, substitutions?: string[]) => {
    if (!errors[path]) errors[path] = substitutions ? { key, substitutions } : { key };
  };
  const intField = (path: string, text: string, min: number, max: number, fallback: number): number => {
    const value = parseIntText(text);
    if (value === null || value < min || value > max) {
      fail(path, 'opt_err_int_range', [String(min), String(max)]);
      return fallback;
    }
    return value;
  };

  const storeCode = normalizeStoreCode(form.storeCode);
  if (storeCode !== '' && !STORE_CODE_PATTERN.test(storeCode)) fail('storeCode', 'opt_err_store_code');

  const cashierId = form.cashierId.trim();
  if (cashierId.length > BOUNDS.cashierIdLength || /[\u0000-\u001f\u007f]/.test(cashierId)) {
    fail('cashierId', 'opt_err_cashier_id', [String(BOUNDS.cashierIdLength)]);
  }

  const baseUrl = normalizeBaseUrl(form.bridgeBaseUrl);
  if (baseUrl !== '' && !isHttpBaseUrl(baseUrl)) fail('bridge.baseUrl', 'opt_err_bridge_url');
  const secret = form.bridgeSecret.trim();
  if (secret.length > BOUNDS.secretLength || /[\u0000-\u001f\u007f]/.test(secret)) {
    fail('bridge.secret', 'opt_err_bridge_secret');
  } else if (baseUrl !== '' && secret === '' && !secretSet) {
    fail('bridge.secret', 'opt_err_bridge_secret_missing');
  }

  const pendingAlertMinutes = intField(
    'pendingAlertMinutes',
    form.pendingAlertMinutes,
    BOUNDS.pendingAlertMinutes.min,
    BOUNDS.pendingAlertMinutes.max,
    local.pendingAlertMinutes,
  );
  const maxTicketAgeHours = intField(
    'maxTicketAgeHours',
    form.maxTicketAgeHours,
    BOUNDS.maxTicketAgeHours.min,
    BOUNDS.maxTicketAgeHours.max,
    local.maxTicketAgeHours,
  );
  const retentionDays = intField(
    'retentionDays',
    form.retentionDays,
    BOUNDS.retentionDays.min,
    BOUNDS.retentionDays.max,
    local.retentionDays,
  );

  const portals = {} as Settings['portals'];
  for (const id of PORTAL_IDS) {
    const p = form.portals[id];
    const base = `portals.${id}`;
    const paymentMethodId = intField(
      `${base}.paymentMethodId`,
      p.paymentMethodId,
      BOUNDS.paymentMethodId.min,
      BOUNDS.paymentMethodId.max,
      local.portals[id].paymentMethodId,
    );
    const paymentMethodName = p.paymentMethodName.trim();
    if (paymentMethodName === '' || paymentMethodName.length > BOUNDS.paymentMethodNameLength) {
      fail(`${base}.paymentMethodName`, 'opt_err_payment_name', [String(BOUNDS.paymentMethodNameLength)]);
    }
    const limits: Settings['portals'][PortalId]['limits'] = {};
    for (const key of PORTAL_LIMIT_KEYS) {
      const text = p.limits[key].trim();
      if (text === '') continue;
      const path = `${base}.limits.${key}`;
      const bounds = BOUNDS[key];
      if (MONEY_LIMITS.has(key)) {
        const fen = parseYuanToFen(text);
        if (fen === null || fen < bounds.min || fen > bounds.max) {
          fail(path, 'opt_err_limit_yuan', [fenToYuanInput(bounds.max)]);
          continue;
        }
        limits[key] = fen;
      } else {
        const count = parseIntText(text);
        if (count === null || count < bounds.min || count > bounds.max) {
          fail(path, 'opt_err_limit_count', [String(bounds.max)]);
          continue;
        }
        limits[key] = count;
      }
    }
    portals[id] = {
      enabled: p.enabled,
      paymentMethodId,
      paymentMethodName: errors[`${base}.paymentMethodName`] ? local.portals[id].paymentMethodName : paymentMethodName,
      goodsName: p.goodsName.trim().slice(0, BOUNDS.goodsNameLength),
      limits,
    };
  }

  let locatorOverrides: Settings['locatorOverrides'] = {};
  const json = form.locatorOverridesJson.trim();
  if (json !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (err) {
      fail('locatorOverrides', 'opt_err_locator_json', [err instanceof Error ? err.message : String(err)]);
    }
    if (!errors.locatorOverrides) {
      const result = LocatorOverridesInputSchema.safeParse(parsed);
      if (result.success) {
        locatorOverrides = result.data;
      } else {
        const issue = result.error.issues[0];
        fail('locatorOverrides', 'opt_err_locator_schema', [
          issue ? `${describeZodPath(issue.path) || '{}'}: ${issue.message}` : '',
        ]);
      }
    }
  }

  const relevant = Object.keys(errors).filter((path) => !lockedPaths.includes(path));
  if (relevant.length > 0) {
    const onlyRelevant: FormErrors = {};
    for (const path of relevant) onlyRelevant[path] = errors[path] as FieldError;
    return { ok: false, errors: onlyRelevant };
  }

  const candidate: Settings = {
    version: 1,
    storeCode: errors.storeCode ? local.storeCode : storeCode,
    cashierId: errors.cashierId ? local.cashierId : cashierId,
    bridge: {
      baseUrl: errors['bridge.baseUrl'] ? local.bridge.baseUrl : baseUrl,
      secret: '',
      // not on the form: kept as stored (policy or default)
      unreachableMinutes: local.bridge.unreachableMinutes,
    },
    maxTicketAgeHours,
    portals,
    locatorOverrides,
    pendingAlertMinutes,
    retentionDays,
    // packs are edited in their own panel (PacksPanel.tsx): this form keeps them as stored
    portalPacks: local.portalPacks,
  };
  const settings = keepLocalAtLocked(candidate, local, lockedPaths);
  const checked = SettingsSchema.safeParse(settings);
  if (!checked.success) {
    const out: FormErrors = {};
    for (const issue of checked.error.issues) {
      out[issue.path.map(String).join('.')] = { key: 'opt_err_generic', substitutions: [issue.message] };
    }
    return { ok: false, errors: out };
  }
  return { ok: true, settings: checked.data };
}
