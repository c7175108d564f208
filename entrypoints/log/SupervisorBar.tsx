import { useEffect, useState } from 'preact/hooks';
import { t } from '@/shared/i18n';
import { MessageRefusedError, sendToBackground, type SupervisorStatus } from '@/shared/messages';
import { storeIso } from '@/shared/time';
import { clockText } from './data';

/**
 * Who the supervisor is, for this page: a name from the list (policy's, or enrolled here by IT
 * on first use) and a PIN, checked and counted by the background. The page's supervisor actions
 * are then done — and audited — as that supervisor; the background never takes "by" from here.
 */
export function SupervisorBar({ onSupervisor, hint }: { onSupervisor: (name: string) => void; hint?: string }) {
  const [status, setStatus] = useState<SupervisorStatus | null>(null);
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const adopt = (next: SupervisorStatus): void => {
    setStatus(next);
    onSupervisor(next.current ?? '');
    setName((current) => (current && next.supervisors.includes(current) ? current : (next.supervisors[0] ?? current)));
  };
  const refresh = (): Promise<void> => sendToBackground({ type: 'supervisor.status' }).then(adopt, () => setStatus(null));

  useEffect(() => void refresh(), []);

  const run = async (work: () => Promise<void>): Promise<void> => {
    if (busy) return;
    setBusy(true);
    setMessage(null);
    try {
      await work();
    } catch (error) {
      setMessage(error instanceof MessageRefusedError ? error.message : String(error));
    } finally {
      setPin('');
      setBusy(false);
    }
  };

  const signIn = (event: Event): void => {
    event.preventDefault();
    void run(async () => {
      const answer = await sendToBackground({ type: 'supervisor.verify', name, pin });
      if (!answer.ok) {
        setMessage(answer.lockedUntil !== undefined ? t('sec_locked', clockText(storeIso(answer.lockedUntil), true)) : t('sec_wrong_pin', String(answer.attemptsLeft ?? 0)));
      }
      await refresh();
    });
  };

  const enroll = (event: Event): void => {
    event.preventDefault();
    void run(async () => adopt(await sendToBackground({ type: 'supervisor.enroll', name: name.trim(), pin })));
  };

  if (!status) return null;
  const enrolling = status.supervisors.length === 0 && !status.byPolicy;
  return (
    <div class="supervisor" id="supervisor" data-current={status.current ?? ''}>
      <strong>{t('sec_sign_in_title')}</strong>
      {status.current && <span id="supervisor-current">{t('sec_signed_in_as', status.current)}</span>}
      {!status.current && enrolling && (
        <form id="supervisor-enroll" onSubmit={enroll}>
          <span class="hint">{t('sec_enroll_title')}</span>
          <input id="supervisor-enroll-name" type="text" maxLength={32} placeholder={t('sec_enroll_name')} aria-label={t('sec_enroll_name')} value={name} onInput={(e) => setName(e.currentTarget.value)} />
          <input id="supervisor-enroll-pin" type="password" inputMode="numeric" maxLength={12} autocomplete="new-password" placeholder={t('sec_enroll_pin')} aria-label={t('sec_enroll_pin')} value={pin} onInput={(e) => setPin(e.currentTarget.value)} />
          <button type="submit" class="primary" disabled={busy}>{t('sec_enroll')}</button>
        </form>
      )}
      {!status.current && !enrolling && (
        <form id="supervisor-sign-in" onSubmit={signIn}>
          <select id="supervisor-name" aria-label={t('sec_supervisor')} value={name} onChange={(e) => setName(e.currentTarget.value)}>
            {status.supervisors.map((n) => (
              <option key={n} value={n}>{n}</option>
            ))}
          </select>
          <input id="supervisor-pin" type="password" inputMode="numeric" maxLength={12} autocomplete="off" placeholder={t('sec_pin')} aria-label={t('sec_pin')} value={pin} onInput={(e) => setPin(e.currentTarget.value)} />
          <button type="submit" class="primary" disabled={busy || status.lockedUntil !== null}>{t('sec_sign_in')}</button>
        </form>
      )}
      {status.byPolicy && <span class="hint">{t('sec_by_policy')}</span>}
      {!status.current && <span class="hint">{hint ?? t('sec_sign_in_hint')}</span>}
      {message && <span class="field-error" id="supervisor-message" role="alert">{message}</span>}
    </div>
  );
}
