import type { AuditLog } from '@/shared/audit';
import type { RequestOf, ResponseOf } from '@/shared/messages';
import { keepLocalAtLocked, loadSettings, saveSettings, type LoadedSettings, type Settings } from '@/shared/settings';
import { settingsChanges } from '@/shared/settings-change';
import { PinRefusedError, type SupervisorPins } from './pin';

export interface SettingsSaveDeps {
  audit: AuditLog;
  pins: Pick<SupervisorPins, 'supervisors' | 'require'>;
  load?: () => Promise<LoadedSettings>;
  save?: (next: Settings) => Promise<void>;
  /** the background's own copy, written before storage.local (settings-seal.ts) */
  seal?: (next: Settings) => Promise<void>;
}

/**
 * 'settings.save' (options page only, see permissions.ts). Changing settings is a supervisor
 * action, decided here and not by the page:
 * - no supervisor exists yet (none by policy, none enrolled): refused with NO_SUPERVISOR — the
 *   options page then offers to set up the first supervisor, who signs in and saves. So no
 *   setting is ever changed by nobody in particular, and the first save is already audited under
 *   a name;
 * - the page is not signed in: refused with PIN_REQUIRED (audited by SupervisorPins.require);
 * - signed in: policy-locked fields keep their local values (policy stays authoritative and needs
 *   no PIN), the secret field is blanked (the vault holds it), storage.local is written, and one
 *   'settings.changed' entry says who changed which fields (old → new for plain values, never the
 *   secret, never a pack's text).
 */
export function settingsSaveHandler(deps: SettingsSaveDeps) {
  const load = deps.load ?? loadSettings;
  const save = deps.save ?? saveSettings;
  return async (request: RequestOf<'settings.save'>, pageKey: string): Promise<ResponseOf<'settings.save'>> => {
    const { list } = await deps.pins.supervisors();
    if (list.length === 0) {
      await deps.audit.append({ type: 'supervisor.refused', code: 'NO_SUPERVISOR', detail: { action: 'settings.save' } });
      throw new PinRefusedError('NO_SUPERVISOR: set up the first supervisor before saving settings');
    }
    const by = await deps.pins.require(pageKey, 'settings.save');
    const loaded = await load();
    const wanted: Settings = { ...request.settings, bridge: { ...request.settings.bridge, secret: '' } };
    const next = keepLocalAtLocked(wanted, loaded.local, loaded.lockedPaths);
    const local: Settings = { ...loaded.local, bridge: { ...loaded.local.bridge, secret: '' } };
    const changes = settingsChanges(local, next);
    if (changes.length === 0) return { changed: [], by };
    await deps.seal?.(next);
    await save(next);
    await deps.audit.append({
      type: 'settings.changed',
      detail: {
        by,
        paths: changes.map((c) => c.path).join(','),
        // old → new of plain values only; paths alone for packs and locator overrides
        values: JSON.stringify(Object.fromEntries(changes.filter((c) => 'to' in c).map((c) => [c.path, [c.from, c.to]]))),
      },
    });
    return { changed: changes.map((c) => c.path), by };
  };
}
