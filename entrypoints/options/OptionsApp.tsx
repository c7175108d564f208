import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { PORTAL_IDS, perPortal, type PortalId } from '@/providers/registry';
import { portalNameKey, t, type MessageKey } from '@/shared/i18n';
import { sendToBackground } from '@/shared/messages';
import {
  BOUNDS,
  isLocked,
  loadSettings,
  onSettingsChanged,
  type LoadedSettings,
  type PortalLimitKey,
} from '@/shared/settings';
import {
  LOCATOR_EXAMPLE_JSON,
  MONEY_LIMITS,
  formToSettings,
  settingsToForm,
  type FieldError,
  type FormErrors,
  type SettingsForm,
} from './form';
import { PacksPanel } from './PacksPanel';
import { SupervisorBar } from '../log/SupervisorBar';
import { saveAsSupervisor, saveRefusalText } from './supervisor-save';

type Tone = 'ok' | 'warn' | 'error';
interface Status {
  tone: Tone;
  text: string;
}

const PORTAL_NAME_KEYS: Readonly<Record<PortalId, MessageKey>> = perPortal((_, id) => portalNameKey(id));

const LIMIT_LABEL_KEYS: Record<PortalLimitKey, MessageKey> = {
  maxOrderFen: 'opt_limit_max_order_label',
  maxOrdersPerDay: 'opt_limit_max_orders_per_day_label',
  maxItemQty: 'opt_limit_max_item_qty_label',
  maxUnitFen: 'opt_limit_max_unit_label',
};

const LIMIT_ORDER: readonly PortalLimitKey[] = ['maxOrderFen', 'maxOrdersPerDay', 'maxItemQty', 'maxUnitFen'];

/** DOM id for the input of a settings path. */
function fieldId(path: string): string {
  return `f-${path.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

function errorText(error: FieldError): string {
  return t(error.key, error.substitutions);
}

export function OptionsApp() {
  const [loaded, setLoaded] = useState<LoadedSettings | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [form, setForm] = useState<SettingsForm | null>(null);
  const [errors, setErrors] = useState<FormErrors>({});
  const [statuses, setStatuses] = useState<Status[]>([]);
  const [saving, setSaving] = useState(false);
  const [changedElsewhere, setChangedElsewhere] = useState(false);
  /** the bridge secret is write-only: the page learns whether one is set, never what it is */
  const [secret, setSecret] = useState<{ set: boolean; lockedByPolicy: boolean } | null>(null);
  const [replacingSecret, setReplacingSecret] = useState(false);
  const dirty = useRef(false);
  const focusFirstError = useRef(false);
  const refreshSecret = () =>
    sendToBackground({ type: 'secret.status' }).then(
      (status) => setSecret(status),
      () => setSecret(null),
    );

  const adopt = (next: LoadedSettings) => {
    setLoaded(next);
    setForm(settingsToForm(next.settings, next.local));
    dirty.current = false;
    setChangedElsewhere(false);
  };

  useEffect(() => void refreshSecret(), []);

  useEffect(() => {
    let alive = true;
    loadSettings().then(
      (next) => alive && adopt(next),
      (err: unknown) => alive && setLoadError(err instanceof Error ? err.message : String(err)),
    );
    const unsubscribe = onSettingsChanged((next) => {
      if (!alive) return;
      if (dirty.current) {
        // Keep what the cashier is typing; locks and local values are refreshed for the save.
        setLoaded(next);
        setChangedElsewhere(true);
      } else {
        adopt(next);
      }
    });
    return () => {
      alive = false;
      unsubscribe();
    };
  }, []);

  // The locked fields always show the values in force, even if policy changed while editing.
  const effectiveForm = useMemo(() => (loaded ? settingsToForm(loaded.settings, loaded.local) : null), [loaded]);
  const lockedPaths = loaded?.lockedPaths ?? [];
  const locked = (path: string) => isLocked(path, lockedPaths);


  useEffect(() => {
    if (!focusFirstError.current) return;
    focusFirstError.current = false;
    const first = document.querySelector<HTMLElement>('[aria-invalid="true"]');
    first?.focus();
    first?.scrollIntoView({ block: 'center' });
  }, [errors]);

  if (loadError) {
    return (
      <main class="page">
        <h1>{t('opt_heading')}</h1>
        <p class="banner banner-error" role="alert">
          {t('opt_load_failed', [loadError])}
        </p>
      </main>
    );
  }
  if (!loaded || !form || !effectiveForm) {
    return (
      <main class="page">
        <h1>{t('opt_heading')}</h1>
        <p>{t('opt_loading')}</p>
      </main>
    );
  }

  const update = (mutate: (draft: SettingsForm) => void) => {
    const draft = structuredClone(form);
    mutate(draft);
    dirty.current = true;
    setForm(draft);
  };

  const handleSave = (event: Event) => {
    event.preventDefault();
    if (saving) return;
    const result = formToSettings(form, loaded.local, loaded.lockedPaths, secret?.set ?? false);
    if (!result.ok) {
      focusFirstError.current = true;
      setErrors(result.errors);
      setStatuses([{ tone: 'error', text: t('opt_status_fix_errors', [String(Object.keys(result.errors).length)]) }]);
      return;
    }
    setErrors({});
    // No host permission is asked for: the bridge answers CORS (bridge spec revision 2).
    const newSecret = locked('bridge.secret') ? '' : form.bridgeSecret.trim();

    setSaving(true);
    setStatuses([]);
    void (async () => {
      let by = '';
      try {
        // the background refuses without a signed-in supervisor; nothing is stored then
        ({ by } = await saveAsSupervisor(result.settings));
        // handed to the background and forgotten here: it never comes back to this page
        if (newSecret) {
          await sendToBackground({ type: 'secret.set', secret: newSecret });
          setReplacingSecret(false);
          await refreshSecret();
        }
        adopt(await loadSettings());
      } catch (err) {
        setStatuses([{ tone: 'error', text: saveRefusalText(err) }]);
        return;
      } finally {
        setSaving(false);
      }
      setStatuses([{ tone: 'ok', text: by ? t('sec_settings_saved_by', by) : t('opt_status_saved') }]);
    })();
  };

  /** Value shown for a path: the policy's when locked, the form's otherwise. */
  const valueOf = (path: string, pick: (f: SettingsForm) => string) => pick(locked(path) ? effectiveForm : form);

  const policyLocatorKeys = lockedPaths
    .filter((p) => p.startsWith('locatorOverrides.'))
    .map((p) => p.slice('locatorOverrides.'.length));

  return (
    <main class="page">
      <header class="page-header">
        <h1>{t('opt_heading')}</h1>
        <a class="daily-log-link" href={browser.runtime.getURL('/log.html')} target="_blank" rel="noopener">
          {t('pp_daily_log')}
        </a>
        <p class="intro">{t('opt_intro')}</p>
      </header>

      {loaded.settings.storeCode === '' && <p class="banner banner-warn">{t('opt_banner_store_missing')}</p>}
      {lockedPaths.length > 0 && <p class="banner banner-info">{t('opt_banner_policy')}</p>}
      {loaded.ignoredPaths.length > 0 && (
        <p class="banner banner-warn">{t('opt_banner_policy_ignored', [loaded.ignoredPaths.join(t('list_separator'))])}</p>
      )}
      {changedElsewhere && <p class="banner banner-warn">{t('opt_banner_changed_elsewhere')}</p>}
      <section class="section supervisor-section">
        <SupervisorBar onSupervisor={() => undefined} hint={t('sec_settings_hint')} />
      </section>

      <form onSubmit={handleSave} noValidate>
        <Section title={t('opt_section_store')}>
          <TextField
            path="storeCode"
            label={t('opt_store_code_label')}
            hint={t('opt_store_code_hint')}
            value={valueOf('storeCode', (f) => f.storeCode)}
            onInput={(v) => update((d) => (d.storeCode = v.toUpperCase()))}
            locked={locked('storeCode')}
            error={errors.storeCode}
            mono
            maxLength={16}
            size={18}
          />
          <TextField
            path="cashierId"
            label={t('opt_cashier_id_label')}
            hint={t('opt_cashier_id_hint')}
            value={valueOf('cashierId', (f) => f.cashierId)}
            onInput={(v) => update((d) => (d.cashierId = v))}
            locked={locked('cashierId')}
            error={errors.cashierId}
            maxLength={BOUNDS.cashierIdLength}
            size={18}
          />
        </Section>

        <Section title={t('opt_section_bridge')} intro={t('opt_bridge_intro')}>
          <TextField
            path="bridge.baseUrl"
            label={t('opt_bridge_url_label')}
            hint={t('opt_bridge_url_hint')}
            value={valueOf('bridge.baseUrl', (f) => f.bridgeBaseUrl)}
            onInput={(v) => update((d) => (d.bridgeBaseUrl = v))}
            locked={locked('bridge.baseUrl')}
            error={errors['bridge.baseUrl']}
            mono
            inputMode="url"
            placeholder="http://192.168.1.10:8080"
            size={40}
          />
          <SecretField
            state={secret}
            lockedByPolicy={locked('bridge.secret')}
            replacing={replacingSecret}
            onReplace={() => setReplacingSecret(true)}
            value={form.bridgeSecret}
            onInput={(v) => update((d) => (d.bridgeSecret = v))}
            error={errors['bridge.secret']}
          />
          <TextField
            path="pendingAlertMinutes"
            label={t('opt_pending_alert_label')}
            hint={t('opt_pending_alert_hint')}
            value={valueOf('pendingAlertMinutes', (f) => f.pendingAlertMinutes)}
            onInput={(v) => update((d) => (d.pendingAlertMinutes = v))}
            locked={locked('pendingAlertMinutes')}
            error={errors.pendingAlertMinutes}
            inputMode="numeric"
            size={6}
          />
        </Section>

        <Section title={t('opt_section_portals')} intro={t('opt_portals_intro')}>
          <div class="portal-list">
            {PORTAL_IDS.map((id) => (
              <PortalCard
                key={id}
                id={id}
                form={form.portals[id]}
                effective={effectiveForm.portals[id]}
                locked={locked}
                errors={errors}
                update={update}
              />
            ))}
          </div>
        </Section>

        <Section title={t('opt_section_ticket')}>
          <TextField
            path="maxTicketAgeHours"
            label={t('opt_max_ticket_age_label')}
            hint={t('opt_max_ticket_age_hint')}
            value={valueOf('maxTicketAgeHours', (f) => f.maxTicketAgeHours)}
            onInput={(v) => update((d) => (d.maxTicketAgeHours = v))}
            locked={locked('maxTicketAgeHours')}
            error={errors.maxTicketAgeHours}
            inputMode="numeric"
            size={6}
          />
        </Section>

        <Section title={t('opt_section_advanced')} intro={t('opt_advanced_intro')}>
          <TextField
            path="retentionDays"
            label={t('opt_retention_days_label')}
            hint={t('opt_retention_days_hint')}
            value={valueOf('retentionDays', (f) => f.retentionDays)}
            onInput={(v) => update((d) => (d.retentionDays = v))}
            locked={locked('retentionDays')}
            error={errors.retentionDays}
            inputMode="numeric"
            size={6}
          />
          <div class="field field-wide">
            <label for={fieldId('locatorOverrides')}>{t('opt_locators_label')}</label>
            <p class="hint" id={`${fieldId('locatorOverrides')}-hint`}>
              {t('opt_locators_hint')}
            </p>
            <textarea
              id={fieldId('locatorOverrides')}
              class="mono"
              rows={12}
              spellcheck={false}
              value={form.locatorOverridesJson}
              onInput={(e) => {
                const value = (e.currentTarget as HTMLTextAreaElement).value;
                update((d) => (d.locatorOverridesJson = value));
              }}
              aria-invalid={errors.locatorOverrides ? 'true' : 'false'}
              aria-describedby={`${fieldId('locatorOverrides')}-hint${errors.locatorOverrides ? ` ${fieldId('locatorOverrides')}-error` : ''}`}
            />
            {errors.locatorOverrides && (
              <p class="field-error" id={`${fieldId('locatorOverrides')}-error`}>
                {errorText(errors.locatorOverrides)}
              </p>
            )}
            {policyLocatorKeys.length > 0 && (
              <p class="locked-note">{t('opt_locators_policy_keys', [policyLocatorKeys.join(t('list_separator'))])}</p>
            )}
            <details class="example">
              <summary>{t('opt_locators_example')}</summary>
              <pre class="mono">{LOCATOR_EXAMPLE_JSON}</pre>
            </details>
          </div>
        </Section>

        <footer class="save-bar">
          <button type="submit" class="save-button" disabled={saving}>
            {saving ? t('opt_saving') : t('opt_save')}
          </button>
          <div class="statuses" role="status" aria-live="polite">
            {statuses.map((s, i) => (
              <p key={i} class={`status status-${s.tone}`}>
                {s.text}
              </p>
            ))}
          </div>
        </footer>
      </form>
      <PacksPanel />
    </main>
  );
}

function Section(props: { title: string; intro?: string; children: ComponentChildren }) {
  return (
    <section class="section">
      <h2>{props.title}</h2>
      {props.intro && <p class="section-intro">{props.intro}</p>}
      <div class="section-body">{props.children}</div>
    </section>
  );
}

function LockedNote() {
  return <p class="locked-note">🔒 {t('opt_locked_by_policy')}</p>;
}

interface TextFieldProps {
  path: string;
  label: string;
  hint?: string;
  value: string;
  onInput: (value: string) => void;
  locked: boolean;
  error?: FieldError;
  mono?: boolean;
  type?: 'text' | 'password';
  inputMode?: 'text' | 'numeric' | 'decimal' | 'url';
  placeholder?: string;
  maxLength?: number;
  size?: number;
  children?: ComponentChildren;
}

/**
 * The bridge secret, write-only: 「已设置」 and 「更换」, or an empty box to type a new one. The
 * stored secret — local or set by policy — is never put into this page's DOM.
 */
function SecretField(props: {
  state: { set: boolean; lockedByPolicy: boolean } | null;
  lockedByPolicy: boolean;
  replacing: boolean;
  onReplace: () => void;
  value: string;
  onInput: (value: string) => void;
  error?: FieldError | undefined;
}) {
  const id = fieldId('bridge.secret');
  const isSet = props.state?.set ?? false;
  const showBox = !props.lockedByPolicy && (!isSet || props.replacing);
  return (
    <div class={`field${props.lockedByPolicy ? ' field-locked' : ''}`} id="bridge-secret-field">
      <label for={showBox ? id : undefined}>{t('opt_bridge_secret_label')}</label>
      {!showBox && (
        <p class="secret-state" id="bridge-secret-state">
          {isSet ? t('sec_secret_is_set') : t('sec_secret_not_set')}
          {!props.lockedByPolicy && (
            <button type="button" class="secondary" id="bridge-secret-replace" onClick={props.onReplace}>
              {t('sec_secret_replace')}
            </button>
          )}
        </p>
      )}
      {showBox && (
        <input
          type="password"
          id={id}
          class="mono"
          autocomplete="new-password"
          spellcheck={false}
          size={40}
          maxLength={BOUNDS.secretLength}
          value={props.value}
          aria-invalid={props.error ? 'true' : 'false'}
          aria-describedby={`${id}-hint`}
          onInput={(e) => props.onInput((e.currentTarget as HTMLInputElement).value)}
        />
      )}
      {props.lockedByPolicy && <LockedNote />}
      <p class="hint" id={`${id}-hint`}>
        {t('opt_bridge_secret_hint')} {t('sec_secret_write_only')}
      </p>
      {props.error && (
        <p class="field-error" id={`${id}-error`}>
          {errorText(props.error)}
        </p>
      )}
    </div>
  );
}

function TextField(props: TextFieldProps) {
  const id = fieldId(props.path);
  const described = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const common = {
    id,
    class: props.mono ? 'mono' : undefined,
    inputMode: props.inputMode,
    autocomplete: 'off',
    spellcheck: false,
    placeholder: props.placeholder,
    maxLength: props.maxLength,
    size: props.size,
    value: props.value,
    disabled: props.locked,
    'aria-invalid': props.error ? ('true' as const) : ('false' as const),
    'aria-describedby': described || undefined,
    onInput: (e: Event) => props.onInput((e.currentTarget as HTMLInputElement).value),
  };
  return (
    <div class={`field${props.locked ? ' field-locked' : ''}`}>
      <label for={id}>{props.label}</label>
      {props.type === 'password' ? <input type="password" {...common} /> : <input type="text" {...common} />}
      {props.locked && <LockedNote />}
      {props.hint && (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p class="field-error" id={`${id}-error`}>
          {errorText(props.error)}
        </p>
      )}
      {props.children}
    </div>
  );
}

function PortalCard(props: {
  id: PortalId;
  form: SettingsForm['portals'][PortalId];
  effective: SettingsForm['portals'][PortalId];
  locked: (path: string) => boolean;
  errors: FormErrors;
  update: (mutate: (draft: SettingsForm) => void) => void;
}) {
  const { id, locked, errors, update } = props;
  const base = `portals.${id}`;
  const pick = (path: string) => (locked(path) ? props.effective : props.form);
  const enabledPath = `${base}.enabled`;
  const enabled = pick(enabledPath).enabled;
  return (
    <fieldset class={`portal${enabled ? '' : ' portal-off'}`}>
      <legend>{t(PORTAL_NAME_KEYS[id])}</legend>
      <div class="field">
        <label class="inline-check big-check">
          <input
            id={fieldId(enabledPath)}
            type="checkbox"
            checked={enabled}
            disabled={locked(enabledPath)}
            onChange={(e) => {
              const checked = (e.currentTarget as HTMLInputElement).checked;
              update((d) => (d.portals[id].enabled = checked));
            }}
          />
          {t('opt_portal_enabled')}
        </label>
        {locked(enabledPath) && <LockedNote />}
      </div>
      <div class="portal-grid">
        <TextField
          path={`${base}.paymentMethodName`}
          label={t('opt_payment_method_name_label')}
          value={pick(`${base}.paymentMethodName`).paymentMethodName}
          onInput={(v) => update((d) => (d.portals[id].paymentMethodName = v))}
          locked={locked(`${base}.paymentMethodName`)}
          error={errors[`${base}.paymentMethodName`]}
          maxLength={BOUNDS.paymentMethodNameLength}
          size={12}
        />
        <TextField
          path={`${base}.goodsName`}
          label={t('opt_goods_name_label')}
          value={pick(`${base}.goodsName`).goodsName}
          onInput={(v) => update((d) => (d.portals[id].goodsName = v))}
          locked={locked(`${base}.goodsName`)}
          error={errors[`${base}.goodsName`]}
          maxLength={BOUNDS.goodsNameLength}
          size={12}
        />
        <TextField
          path={`${base}.paymentMethodId`}
          label={t('opt_payment_method_id_label')}
          hint={t('opt_payment_method_id_hint')}
          value={pick(`${base}.paymentMethodId`).paymentMethodId}
          onInput={(v) => update((d) => (d.portals[id].paymentMethodId = v))}
          locked={locked(`${base}.paymentMethodId`)}
          error={errors[`${base}.paymentMethodId`]}
          inputMode="numeric"
          size={10}
        />
      </div>
      <h3 class="limits-title">{t('opt_limits_title')}</h3>
      <div class="portal-grid">
        {LIMIT_ORDER.map((key) => {
          const path = `${base}.limits.${key}`;
          return (
            <TextField
              key={key}
              path={path}
              label={t(LIMIT_LABEL_KEYS[key])}
              value={pick(path).limits[key]}
              onInput={(v) => update((d) => (d.portals[id].limits[key] = v))}
              locked={locked(path)}
              error={errors[path]}
              inputMode={MONEY_LIMITS.has(key) ? 'decimal' : 'numeric'}
              placeholder={t('opt_limit_placeholder')}
              size={10}
            />
          );
        })}
      </div>
    </fieldset>
  );
}
