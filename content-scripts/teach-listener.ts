import { browser } from 'wxt/browser';
import type { DryRunResult } from '@/shared/messages';
import { asPackCommand } from './inbound-commands';
import { isOwnExtensionPage, type RemoteScanSender } from './remote-scan';
import { dryRun } from './teach-dry-run';
import { startTeachMode, type TeachSession } from './teach-mode';

/**
 * The portal tab's top frame answers the options page's dry runs and starts teach mode, on
 * messages from this extension's own pages only (the background relays them); anything else is
 * ignored without an answer.
 */
export function listenForPackCommands(options: { signal: AbortSignal }): void {
  if (options.signal.aborted) return;
  const extension = { id: browser.runtime.id, base: browser.runtime.getURL('/') };
  let session: TeachSession | undefined;
  const listener = (message: unknown, sender: RemoteScanSender, sendResponse: (answer: DryRunResult | { started: boolean }) => void): false => {
    if (!isOwnExtensionPage(sender, extension.id, extension.base)) return false;
    const command = asPackCommand(message);
    if (command?.type === 'pack.dryRun.run') {
      sendResponse(dryRun(document, command.definition));
      return false;
    }
    if (command?.type === 'teach.begin') {
      session?.stop();
      session = startTeachMode({ definition: command.definition, signal: options.signal });
      sendResponse({ started: true });
    }
    return false;
  };
  browser.runtime.onMessage.addListener(listener);
  options.signal.addEventListener('abort', () => browser.runtime.onMessage.removeListener(listener), { once: true });
}
