import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { PORTAL_IDS, type PortalId } from '@/providers/registry';
import { portalNameKey, t, type MessageKey } from '@/shared/i18n';
import { sendToBackground, type DryRunItem, type ResponseOf } from '@/shared/messages';
import { loadSettings } from '@/shared/settings';
import { saveAsSupervisor, saveRefusalText } from './supervisor-save';

/**
 * 网站配置包 (portal packs) on the options page: which definition is in force per portal, a
 * pasted pack checked by the extension's own rules (with the reason when it is refused), a dry
 * run on the open portal tab (which targets resolve, which are missing or ambiguous; nothing is
 * filled or clicked), teach mode (教一教), and export for policy. Packs saved here are this
 * till's; IT's policy packs win over them.
 */
const TEACH_RESULT_KEY = 'teach-result';

type Status = ResponseOf<'packs.status'>;
type Check = ResponseOf<'packs.check'>;
type DryRun = ResponseOf<'packs.dryRun'>;
type Problem = Check['problems'][number];

const PROBLEM_KEYS: Record<string, MessageKey> = {
  NOT_JSON: 'pk_problem_NOT_JSON',
  INVALID: 'pk_problem_INVALID',
  FILLS_PASSWORD: 'pk_problem_FILLS_PASSWORD',
  FILLS_CASH: 'pk_problem_FILLS_CASH',
  CLICKS_PAY: 'pk_problem_CLICKS_PAY',
  UNKNOWN_TARGET: 'pk_problem_UNKNOWN_TARGET',
  TOO_LARGE: 'pk_problem_TOO_LARGE',
};

const STATUS_KEYS: Record<DryRunItem['status'], MessageKey> = {
  found: 'pk_dry_found',
  missing: 'pk_dry_missing',
  ambiguous: 'pk_dry_ambiguous',
};

const KIND_KEYS: Record<DryRunItem['kind'], MessageKey> = {
  target: 'pk_dry_kind_target',
  table: 'pk_dry_kind_table',
  column: 'pk_dry_kind_column',
};

const DRY_REASON_KEYS: Record<NonNullable<DryRun['reason']>, MessageKey> = {
  NO_PORTAL_TAB: 'pk_dry_no_tab',
  PACK_REFUSED: 'pk_dry_refused',
  NO_ANSWER: 'pk_dry_no_answer',
};

function portalName(id: PortalId | undefined): string {
  return id ? t(portalNameKey(id)) : '?';
}

export function problemText(problem: Problem): string {
  return t(PROBLEM_KEYS[problem.code] ?? 'pk_problem_INVALID', [problem.subject || problem.where, problem.detail, problem.where]);
}

function download(text: string, name: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function PacksPanel() {
  const [status, setStatus] = useState<Status | null>(null);
  const [text, setText] = useState('');
  const [check, setCheck] = useState<Check | null>(null);
  const [dry, setDry] = useState<DryRun | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [localPacks, setLocalPacks] = useState<string[]>([]);

  const refresh = async () => {
    setStatus(await sendToBackground({ type: 'packs.status' }));
    setLocalPacks((await loadSettings()).local.portalPacks);
  };

  const runCheck = async (value: string): Promise<Check> => {
    const answer = await sendToBackground({ type: 'packs.check', text: value });
    setCheck(answer);
    return answer;
  };

  useEffect(() => {
    void refresh();
    const adoptTaught = (value: unknown) => {
      const packText = (value as { packText?: unknown } | undefined)?.packText;
      if (typeof packText !== 'string') return;
      setText(packText);
      setDry(null);
      setNote(t('pk_teach_received'));
      void runCheck(packText);
    };
    void browser.storage.session.get(TEACH_RESULT_KEY).then((stored) => adoptTaught(stored[TEACH_RESULT_KEY]));
    const listener = (changes: Record<string, { newValue?: unknown }>, area: string) => {
      if (area === 'session' && changes[TEACH_RESULT_KEY]) adoptTaught(changes[TEACH_RESULT_KEY].newValue);
      if (area === 'local' || area === 'managed') void refresh();
    };
    browser.storage.onChanged.addListener(listener);
    return () => browser.storage.onChanged.removeListener(listener);
  }, []);

  const save = async () => {
    const answer = await runCheck(text);
    if (!answer.ok) return;
    const local = (await loadSettings()).local;
    // one pack per portal here: the new one replaces this till's earlier one for that portal
    const others = local.portalPacks.filter((p) => {
      try {
        return (JSON.parse(p) as { portal?: unknown }).portal !== answer.portal;
      } catch {
        return true;
      }
    });
    try {
      await saveAsSupervisor({ ...local, portalPacks: [...others, text] });
    } catch (error) {
      setNote(saveRefusalText(error));
      return;
    }
    setNote(t('pk_saved', [portalName(answer.portal), answer.version ?? '']));
    await refresh();
  };

  const remove = async (index: number) => {
    const local = (await loadSettings()).local;
    try {
      await saveAsSupervisor({ ...local, portalPacks: local.portalPacks.filter((_, i) => i !== index) });
    } catch (error) {
      setNote(saveRefusalText(error));
      return;
    }
    await refresh();
  };

  const dryRun = async (withText: boolean) => {
    setDry(null);
    if (withText && !(await runCheck(text)).ok) return;
    setDry(await sendToBackground({ type: 'packs.dryRun', ...(withText ? { text } : {}) }));
  };

  const teach = async () => {
    const answer = await sendToBackground({ type: 'teach.start' });
    setNote(answer.started && answer.tab ? t('pk_teach_started', portalName(answer.tab.portal)) : t('pk_dry_no_tab'));
  };

  const copyText = (value: string) => void navigator.clipboard.writeText(value).then(() => setNote(t('pk_copied')), () => setNote(t('pk_copy_failed')));
  const copy = () => copyText(text);
  /** the policy value to merge into the extension's managed settings: packs travel as JSON text */
  const copyForPolicy = () => copyText(JSON.stringify({ portalPacks: [JSON.stringify(JSON.parse(text) as unknown)] }, null, 2));

  return (
    <section class="section packs" aria-labelledby="packs-title">
      <h2 id="packs-title">{t('pk_title')}</h2>
      <p class="section-intro">{t('pk_intro')}</p>
      <div class="section-body">
        <table class="packs-active">
          <thead>
            <tr>
              <th>{t('pk_col_portal')}</th>
              <th>{t('pk_col_in_force')}</th>
            </tr>
          </thead>
          <tbody>
            {PORTAL_IDS.map((id) => {
              const active = status?.active.find((a) => a.portal === id);
              return (
                <tr key={id} data-portal={id}>
                  <td>{portalName(id)}</td>
                  <td>
                    {active
                      ? t(active.source === 'policy' ? 'pk_active_policy' : 'pk_active_settings', [active.version, active.mode])
                      : t('pk_active_builtin', status?.builtInVersion ?? '')}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {status?.loaded
          .filter((l) => !l.ok)
          .map((l) => (
            <p class="banner banner-warn" key={`${l.source}-${l.index}`}>
              {t(l.source === 'policy' ? 'pk_refused_policy' : 'pk_refused_settings', [portalName(l.portal), l.version ?? '?'])} {l.problems.map(problemText).join(t('list_separator'))}
            </p>
          ))}
        {localPacks.length > 0 && (
          <ul class="packs-local">
            {localPacks.map((p, i) => {
              let label = p.slice(0, 40);
              try {
                const parsed = JSON.parse(p) as { portal?: PortalId; version?: string };
                label = `${portalName(parsed.portal)} v${parsed.version ?? '?'}`;
              } catch {
                // shown as its first characters
              }
              return (
                <li key={i}>
                  {label}{' '}
                  <button type="button" onClick={() => void remove(i)}>
                    {t('pk_remove')}
                  </button>
                </li>
              );
            })}
          </ul>
        )}

        <div class="field field-wide">
          <label for="pack-text">{t('pk_paste_label')}</label>
          <p class="hint">{t('pk_paste_hint')}</p>
          <textarea
            id="pack-text"
            class="mono"
            rows={12}
            spellcheck={false}
            value={text}
            onInput={(e) => {
              setText((e.currentTarget as HTMLTextAreaElement).value);
              setCheck(null);
              setDry(null);
            }}
          />
        </div>
        <div class="packs-actions">
          <button type="button" onClick={() => void runCheck(text)} disabled={!text.trim()}>
            {t('pk_check')}
          </button>
          <button type="button" onClick={() => void dryRun(true)} disabled={!text.trim()}>
            {t('pk_dry_run')}
          </button>
          <button type="button" onClick={() => void dryRun(false)}>
            {t('pk_dry_run_active')}
          </button>
          <button type="button" onClick={() => void save()} disabled={!text.trim()}>
            {t('pk_save')}
          </button>
          <button type="button" onClick={copy} disabled={!text.trim()}>
            {t('pk_copy')}
          </button>
          <button type="button" onClick={() => download(text, 'tenderbridge-pack.json')} disabled={!text.trim()}>
            {t('pk_download')}
          </button>
          <button type="button" onClick={() => check?.ok && copyForPolicy()} disabled={!check?.ok}>
            {t('pk_copy_policy')}
          </button>
          <button type="button" class="teach-button" onClick={() => void teach()}>
            {t('pk_teach')}
          </button>
        </div>
        <div role="status" aria-live="polite" class="packs-status">
          {note && <p class="status status-ok">{note}</p>}
          {check && (
            <div class={check.ok ? 'status status-ok' : 'status status-error'} data-pack-check={check.ok ? 'ok' : 'refused'}>
              {check.ok ? (
                <p>{t('pk_check_ok', [portalName(check.portal), check.version ?? '', check.mode ?? ''])}</p>
              ) : (
                <>
                  <p>{t('pk_check_refused')}</p>
                  <ul>
                    {check.problems.map((p, i) => (
                      <li key={i}>{problemText(p)}</li>
                    ))}
                  </ul>
                </>
              )}
            </div>
          )}
          {dry && (
            <div class="dry-run" data-dry-run={dry.result ? 'done' : dry.reason}>
              {dry.reason && <p class="status status-warn">{t(DRY_REASON_KEYS[dry.reason])}</p>}
              {dry.result && dry.tab && (
                <>
                  <p>{t('pk_dry_on', [portalName(dry.tab.portal), dry.result.page.title || dry.result.page.path])}</p>
                  <p class="hint">{t('pk_dry_hint')}</p>
                  <table class="dry-run-table">
                    <thead>
                      <tr>
                        <th>{t('pk_dry_col_what')}</th>
                        <th>{t('pk_dry_col_status')}</th>
                        <th>{t('pk_dry_col_via')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {dry.result.items.map((item, i) => (
                        <tr key={i} data-status={item.status} data-name={item.name}>
                          <td>
                            {t(KIND_KEYS[item.kind])} {item.describe ?? item.name}
                          </td>
                          <td>{t(STATUS_KEYS[item.status], String(item.count ?? ''))}</td>
                          <td class="mono">{item.via ?? ''}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </>
              )}
            </div>
          )}
        </div>
      </div>
    </section>
  );
}
