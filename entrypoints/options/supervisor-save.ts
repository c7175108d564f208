import { t } from '@/shared/i18n';
import { MessageRefusedError, sendToBackground } from '@/shared/messages';
import type { Settings } from '@/shared/settings';

/**
 * The options page never writes settings itself: the background checks that this page is signed
 * in as a supervisor, keeps policy-locked fields, saves and audits (shared/background/settings-save.ts).
 */
export function saveAsSupervisor(settings: Settings): Promise<{ changed: string[]; by: string }> {
  return sendToBackground({ type: 'settings.save', settings });
}

/** What the person reads when a save was refused: what to do next, in their language. */
export function saveRefusalText(error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  if (error instanceof MessageRefusedError && reason.startsWith('NO_SUPERVISOR')) return t('sec_settings_no_supervisor');
  if (error instanceof MessageRefusedError && reason.startsWith('PIN_REQUIRED')) return t('sec_settings_need_pin');
  return t('opt_status_save_failed', [reason]);
}
