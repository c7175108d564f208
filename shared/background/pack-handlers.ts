import { browser } from 'wxt/browser';
import { PORTAL_DEFINITIONS } from '@/providers';
import { portalIdForOrigin, portalMatchPatterns, type PortalId } from '@/providers/registry';
import type { PortalDefinition } from '@/providers/types';
import { checkPack, resolvePacks, type ActivePack, type PackResolution } from '@/shared/packs';
import { loadSettings, type LoadedSettings } from '@/shared/settings';
import {
  DryRunResultSchema,
  TeachBeginAnswerSchema,
  type RequestOf,
  type ResponseOf,
} from '@/shared/messages';
import type { SenderInfo } from './sender';

/**
 * The background's side of portal packs: which pack is in force (policy over settings), the
 * options page's checks and dry runs, and teach mode. Dry runs and teach mode run in the portal
 * tab's top frame, reached with browser.tabs.sendMessage; the content script answers only
 * messages from this extension's own pages (the background included).
 */
export const TEACH_RESULT_KEY = 'teach-result';

/** Packs from settings already loaded: policy's (when it sets portalPacks) and this till's. */
export function packsOf(loaded: LoadedSettings): PackResolution {
  const policy = loaded.lockedPaths.includes('portalPacks') ? loaded.settings.portalPacks : [];
  if (!policy.length && !loaded.local.portalPacks.length) return { active: {}, loaded: [] };
  return resolvePacks({ policy, settings: loaded.local.portalPacks }, PORTAL_DEFINITIONS);
}

export async function currentPacks(): Promise<PackResolution> {
  return packsOf(await loadSettings());
}

export async function activePack(portal: PortalId): Promise<ActivePack | undefined> {
  return (await currentPacks()).active[portal];
}

/** The portal tab IT is looking at: the active one if it is a portal, else the one used last. */
async function portalTab(): Promise<{ id: number; portal: PortalId; title: string } | null> {
  const tabs = await browser.tabs.query({ url: portalMatchPatterns });
  const candidates = tabs
    .flatMap((tab) => {
      const portal = tab.url ? portalIdForOrigin(new URL(tab.url).origin) : undefined;
      return tab.id !== undefined && portal ? [{ id: tab.id, portal, title: tab.title ?? '', active: tab.active, last: (tab as { lastAccessed?: number }).lastAccessed ?? 0 }] : [];
    })
    .sort((a, b) => Number(b.active) - Number(a.active) || b.last - a.last);
  const best = candidates[0];
  return best ? { id: best.id, portal: best.portal, title: best.title.slice(0, 200) } : null;
}

type PackRequest = 'packs.status' | 'packs.check' | 'packs.dryRun' | 'teach.start' | 'teach.finished';
type PackHandlers = { [T in PackRequest]: (request: RequestOf<T>, sender: SenderInfo) => Promise<ResponseOf<T>> };

function extensionOnly(sender: SenderInfo): void {
  if (sender.kind !== 'extension') throw new Error('extension pages only');
}

export function packHandlers(): PackHandlers {
  return {
    'packs.status': async (_request, sender) => {
      extensionOnly(sender);
      const { active, loaded } = await currentPacks();
      return {
        builtInVersion: browser.runtime.getManifest().version,
        active: Object.values(active).map(({ portal, source, version, mode }) => ({ portal, source, version, mode })),
        loaded: loaded.map(({ source, index, check }) => ({
          source,
          index,
          ok: check.ok,
          portal: check.ok ? check.pack.portal : check.portal,
          version: check.ok ? check.pack.version : check.version,
          problems: check.ok ? [] : check.problems,
        })),
      };
    },
    'packs.check': async (request, sender) => {
      extensionOnly(sender);
      const check = checkPack(request.text, PORTAL_DEFINITIONS);
      return check.ok
        ? { ok: true, portal: check.pack.portal, version: check.pack.version, mode: check.pack.mode, problems: [] }
        : { ok: false, portal: check.portal, version: check.version, problems: check.problems };
    },
    'packs.dryRun': async (request, sender) => {
      extensionOnly(sender);
      const tab = await portalTab();
      if (!tab) return { tab: null, reason: 'NO_PORTAL_TAB' as const };
      let definition: PortalDefinition | undefined;
      if (request.text !== undefined) {
        const check = checkPack(request.text, PORTAL_DEFINITIONS);
        if (!check.ok) return { tab: { portal: tab.portal, title: tab.title }, reason: 'PACK_REFUSED' as const };
        definition = check.pack.portal === tab.portal ? check.definition : undefined;
        if (!definition) return { tab: { portal: tab.portal, title: tab.title }, reason: 'PACK_REFUSED' as const };
      } else {
        definition = (await activePack(tab.portal))?.definition ?? PORTAL_DEFINITIONS[tab.portal];
      }
      const answer: unknown = await browser.tabs.sendMessage(tab.id, { type: 'pack.dryRun.run', definition }, { frameId: 0 }).catch(() => null);
      const result = DryRunResultSchema.safeParse(answer);
      return result.success
        ? { tab: { portal: tab.portal, title: tab.title }, result: result.data }
        : { tab: { portal: tab.portal, title: tab.title }, reason: 'NO_ANSWER' as const };
    },
    'teach.start': async (_request, sender) => {
      extensionOnly(sender);
      const tab = await portalTab();
      if (!tab) return { tab: null, started: false };
      // teach what is in force now: a pack taught over a pack keeps what the first one fixed
      const definition = (await activePack(tab.portal))?.definition ?? PORTAL_DEFINITIONS[tab.portal];
      await browser.storage.session.remove(TEACH_RESULT_KEY);
      const answer: unknown = await browser.tabs.sendMessage(tab.id, { type: 'teach.begin', definition }, { frameId: 0 }).catch(() => null);
      const parsed = TeachBeginAnswerSchema.safeParse(answer);
      if (parsed.success && parsed.data.started) await browser.tabs.update(tab.id, { active: true });
      return { tab: { portal: tab.portal, title: tab.title }, started: parsed.success && parsed.data.started };
    },
    'teach.finished': async (request, sender) => {
      if (sender.kind !== 'portal') throw new Error('portal pages only');
      // kept for the options page (which listens to storage.session), never in the database
      await browser.storage.session.set({ [TEACH_RESULT_KEY]: { portal: sender.portal, packText: request.packText, at: Date.now() } });
      // checked here, against what teach.start taught over, so the content script needs no zod
      const taughtOver = (await activePack(sender.portal))?.definition ?? PORTAL_DEFINITIONS[sender.portal];
      return { ok: true, packOk: checkPack(request.packText, { [sender.portal]: taughtOver }).ok };
    },
  };
}
