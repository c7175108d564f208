import { loadWindow, type WindowData } from '@/shared/daylog';
import { logDb } from './data';

/**
 * The day's (or month's) records are read as soon as the page's script runs, while the settings
 * load and the page renders its frame: the view that asks for the same days first takes this read
 * instead of starting its own. Taken once; later loads (another day, a reload) read afresh.
 */
let early: { from: string; to: string; window: Promise<WindowData> } | undefined;

export function prefetchWindow(from: string, to: string): void {
  const window = loadWindow(logDb(), from, to);
  // a failure is reported by the view that takes it
  window.then(() => performance.mark('tb:window'), () => undefined);
  early = { from, to, window };
}

export function takePrefetched(from: string, to: string): { window: Promise<WindowData> } | Record<string, never> {
  const found = early;
  early = undefined;
  return found && found.from === from && found.to === to ? { window: found.window } : {};
}
