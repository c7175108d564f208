import type { AuditLog } from '@/shared/audit';
import type { RequestOf, ResponseOf } from '@/shared/messages';
import { isLocked, loadSettings } from '@/shared/settings';
import { pageKeyOf, type SenderInfo } from './sender';
import { backgroundPins, PinRefusedError } from './pin';
import { settingsSaveHandler } from './settings-save';
import { sealSettings } from './settings-seal';
import { RefusalLimiter, senderKind, type SenderKind } from './permissions';
import { replaceSecret, secretIsSet } from './secret';

type SecurityType = 'security.report' | 'secret.status' | 'secret.set' | 'settings.save' | 'supervisor.status' | 'supervisor.enroll' | 'supervisor.verify';
type SecurityHandlers = { [T in SecurityType]: (request: RequestOf<T>, sender: SenderInfo) => Promise<ResponseOf<T>> };

function extensionPage(sender: SenderInfo): Extract<SenderInfo, { kind: 'extension' }> {
  if (sender.kind !== 'extension') throw new Error('extension pages only');
  return sender;
}

/**
 * Refusals and page-script attempts go on the audit trail, at most a few per minute per kind (see
 * RefusalLimiter): a hostile page cannot flood the trail, and the count of what was left out is
 * written with the next entry.
 */
export function refusalAuditor(audit: AuditLog, now: () => number = Date.now) {
  const limiter = new RefusalLimiter();
  return async (type: string, kind: SenderKind | 'unknown', what: string, detail: Record<string, string | number | boolean | null> = {}): Promise<boolean> => {
    const suppressed = limiter.admit(`${type}|${kind}|${what}`, now());
    if (suppressed === null) return false;
    await audit.append({ type, code: what.slice(0, 60), detail: { sender: kind, ...detail, suppressed } });
    return true;
  };
}

export function securityHandlers(audit: AuditLog, report: ReturnType<typeof refusalAuditor>): SecurityHandlers {
  const pins = backgroundPins(audit);
  const saveSettingsAsSupervisor = settingsSaveHandler({ audit, pins, seal: sealSettings });
  return {
    'security.report': async (request, sender) => ({
      recorded: await report('page.untrusted', senderKind(sender), request.what, { label: request.label }),
    }),
    'secret.status': async () => {
      const { lockedPaths } = await loadSettings();
      const lockedByPolicy = isLocked('bridge.secret', lockedPaths);
      return { set: lockedByPolicy || (await secretIsSet()), lockedByPolicy };
    },
    'secret.set': async (request, sender) => {
      const page = extensionPage(sender);
      const { lockedPaths } = await loadSettings();
      if (isLocked('bridge.secret', lockedPaths)) throw new Error('LOCKED_BY_POLICY: the bridge secret is set by policy');
      // like every settings change: a signed-in supervisor's; on a fresh PC the first supervisor is set up first
      const { list } = await pins.supervisors();
      if (list.length === 0) {
        await audit.append({ type: 'supervisor.refused', code: 'NO_SUPERVISOR', detail: { action: 'secret.set' } });
        throw new PinRefusedError('NO_SUPERVISOR: set up the first supervisor before setting the bridge secret');
      }
      const by = await pins.require(pageKeyOf(page), 'secret.set');
      await replaceSecret(request.secret);
      // never the secret, nor its length
      await audit.append({ type: 'settings.secretChanged', code: request.secret === '' ? 'cleared' : 'replaced', detail: { by } });
      return { set: request.secret.trim() !== '' };
    },
    'settings.save': async (request, sender) => saveSettingsAsSupervisor(request, pageKeyOf(extensionPage(sender))),
    'supervisor.status': async (_request, sender) => pins.status(pageKeyOf(extensionPage(sender))),
    'supervisor.enroll': async (request, sender) => pins.enroll(pageKeyOf(extensionPage(sender)), request.name, request.pin),
    'supervisor.verify': async (request, sender) => pins.verify(pageKeyOf(extensionPage(sender)), request.name, request.pin),
  };
}
