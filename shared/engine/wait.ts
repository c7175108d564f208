/**
 * Explicit waits: re-check a condition whenever the DOM changes (MutationObserver) or an
 * animation/transition ends, until it holds or the time-out passes. Never a fixed sleep.
 */
const RECHECK_MS = 250;

export class WaitTimeoutError extends Error {
  constructor(readonly what: string, readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms waiting for ${what}`);
  }
}

export interface WaitOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  what: string;
}

export function waitFor<T>(doc: Document, check: () => T | null | undefined | false, options: WaitOptions): Promise<T> {
  const first = check();
  if (first) return Promise.resolve(first);
  return new Promise<T>((resolve, reject) => {
    const view = doc.defaultView ?? window;
    let scheduled = false;
    const evaluate = (): void => {
      scheduled = false;
      const value = check();
      if (value) finish(() => resolve(value));
    };
    // One check once the page's current task and its microtask chain are done: a framework
    // renders in several microtask rounds (Vue's flush, then a component's nextTick layout), and
    // a check between them would read, and make the browser lay out, a page half-way through a
    // render. A message-channel task has no timer clamping, so it comes right after.
    const channel = new view.MessageChannel();
    channel.port1.onmessage = evaluate;
    const schedule = (): void => {
      if (scheduled) return;
      scheduled = true;
      channel.port2.postMessage(null);
    };
    const observer = new view.MutationObserver(schedule);
    observer.observe(doc, { subtree: true, childList: true, attributes: true, characterData: true });
    const settleEvents = ['transitionend', 'animationend', 'load'] as const;
    for (const type of settleEvents) doc.addEventListener(type, schedule, true);
    const timer = view.setTimeout(() => finish(() => reject(new WaitTimeoutError(options.what, options.timeoutMs))), options.timeoutMs);
    // Safety net: some changes move no DOM node (a style animating to visible, a layout shift).
    const recheck = view.setInterval(schedule, RECHECK_MS);
    const onAbort = (): void => finish(() => reject(options.signal?.reason ?? new Error('aborted')));
    options.signal?.addEventListener('abort', onAbort, { once: true });

    function finish(settle: () => void): void {
      observer.disconnect();
      channel.port1.close();
      for (const type of settleEvents) doc.removeEventListener(type, schedule, true);
      view.clearTimeout(timer);
      view.clearInterval(recheck);
      options.signal?.removeEventListener('abort', onAbort);
      settle();
    }
  });
}

/** Resolves after the page's frameworks have had a turn (their microtasks and one macrotask). */
export function nextTick(doc: Document): Promise<void> {
  const view = doc.defaultView ?? window;
  return new Promise((resolve) => view.setTimeout(resolve, 0));
}
