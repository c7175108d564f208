// Reading what a simulator page recorded in window.__pageLog (see e2e/sim/minimal/index.html).

/** @import { Page } from 'puppeteer-core' */

/**
 * @typedef {{ type: 'keydown', key: string, code: string, keyCode: number, shiftKey: boolean, target: string, t: number }
 *   | { type: 'input', target: string, value: string | null, inputType: string | null, t: number }
 *   | { type: 'message', origin: string, data: unknown, t: number }} PageLogEntry
 */

/**
 * Everything the page has logged so far ([] when the page has no log).
 * @param {Page} page
 * @returns {Promise<PageLogEntry[]>}
 */
export async function readPageLog(page) {
  const entries = await page.evaluate(() => {
    const log = /** @type {{ __pageLog?: unknown[] }} */ (/** @type {unknown} */ (window)).__pageLog;
    return Array.isArray(log) ? log.slice() : [];
  });
  return /** @type {PageLogEntry[]} */ (entries);
}

/**
 * Empties the page's log (e.g. after setting a field up).
 * @param {Page} page
 */
export async function clearPageLog(page) {
  await page.evaluate(() => {
    const log = /** @type {{ __pageLog?: unknown[] }} */ (/** @type {unknown} */ (window)).__pageLog;
    if (Array.isArray(log)) log.length = 0;
  });
}
