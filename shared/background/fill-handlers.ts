import type { AuditLog } from '@/shared/audit';
import type { RequestOf } from '@/shared/messages';
import type { PortalId } from '@/providers/registry';
import { RESUME_WINDOW_MS, type FillSessions } from './fill-session';
import type { HandlersFor } from './router';

export interface FillHandlerDeps {
  audit: AuditLog;
  sessions: FillSessions;
}

/** A fill in progress on a portal page: its session (what ties a capture to the ticket) and its trail. */
export function fillHandlers({ audit, sessions }: FillHandlerDeps): HandlersFor<'fill.started' | 'fill.checkpoint' | 'fill.resume' | 'fill.report'> {
  async function auditSteps(steps: RequestOf<'fill.report'>['steps'], scanId: string, orderNo: string, portal: PortalId | undefined): Promise<void> {
    for (const step of steps) {
      await audit.append({
        type: step.kind === 'fallback' ? 'fill.fallback' : 'fill.step',
        portal,
        orderNo,
        code: step.step,
        detail: { scanId, path: step.path, target: step.target ?? null, label: step.label ?? null, via: step.via ? `${step.via.by}:${step.via.value}` : null },
      });
    }
  }

  return {
    'fill.started': async (request, sender) => {
      if (sender.kind !== 'portal') throw new Error('fills happen on portal pages');
      await sessions.start(sender.tabId, { scanId: request.scanId, ticket: request.ticket, portal: sender.portal }, Date.now());
      await audit.append({ type: 'fill.started', portal: sender.portal, orderNo: request.ticket.orderNo, detail: { scanId: request.scanId } });
      return { ok: true };
    },
    'fill.checkpoint': async (request, sender) => {
      if (sender.kind !== 'portal') throw new Error('fills happen on portal pages');
      await sessions.update(sender.tabId, { resumeAt: request.resumeAt, at: Date.now() });
      await auditSteps(request.steps, request.scanId, request.orderNo, sender.portal);
      return { ok: true };
    },
    'fill.resume': async (_request, sender) => {
      if (sender.kind !== 'portal' || sender.frameId !== 0) return { resume: null };
      const session = await sessions.get(sender.tabId);
      if (!session || session.resumeAt === undefined || session.portal !== sender.portal || Date.now() - session.at > RESUME_WINDOW_MS) {
        return { resume: null };
      }
      // resumed once: a later reload of the same page must not run the steps again
      await sessions.update(sender.tabId, { resumeAt: undefined });
      await audit.append({ type: 'fill.resumed', portal: sender.portal, orderNo: session.ticket.orderNo, detail: { scanId: session.scanId, resumeAt: session.resumeAt } });
      return { resume: { scanId: session.scanId, ticket: session.ticket, resumeAt: session.resumeAt } };
    },
    'fill.report': async (request, sender) => {
      const portal = sender.kind === 'portal' ? sender.portal : undefined;
      if (sender.kind === 'portal') await sessions.update(sender.tabId, { resumeAt: undefined });
      await auditSteps(request.steps, request.scanId, request.orderNo, portal);
      await audit.append({
        type: request.outcome === 'ready' ? 'fill.ready' : 'fill.stopped',
        portal,
        orderNo: request.orderNo,
        code: request.code,
        detail: { scanId: request.scanId, subject: request.subject ?? null, overrides: request.overrides.join(',') || null },
      });
      return { ok: true };
    },
  };
}
