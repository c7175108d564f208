// Test-side helpers that talk to the loaded extension the way a person or IT would see it:
// its settings in chrome.storage.local, its in-page overlay, its popup.

/** @typedef {{ kind: string, code: string | null, text: string, buttons: string[] }} OverlayState */

/**
 * Writes settings as the options page would (partial values are completed by the migration).
 * @param {{ serviceWorker(): Promise<import('puppeteer-core').WebWorker> }} harness
 * @param {Record<string, unknown>} values
 */
export async function seedSettings(harness, values) {
  const worker = await harness.serviceWorker();
  await worker.evaluate(async (v) => {
    const current = (await chrome.storage.local.get('settings')).settings ?? { version: 1 };
    await chrome.storage.local.set({ settings: { ...current, version: 1, ...v } });
  }, values);
}

/**
 * @param {import('puppeteer-core').Page} page
 * @returns {Promise<OverlayState | null>}
 */
export async function overlayState(page) {
  // a full page load in between destroys the context: there is no overlay to read just then
  return page.evaluate(() => {
    const host = document.querySelector('tenderbridge-overlay');
    if (!host || !host.shadowRoot) return null;
    return {
      kind: host.getAttribute('data-kind') ?? '',
      code: host.getAttribute('data-code'),
      text: host.shadowRoot.querySelector('section')?.textContent ?? '',
      buttons: Array.from(host.shadowRoot.querySelectorAll('button.act')).map((b) => b.textContent ?? ''),
    };
  }).catch(() => null);
}

/**
 * Polls the overlay until `predicate` holds (test-side waiting; the product never polls).
 * @param {import('puppeteer-core').Page} page
 * @param {(state: OverlayState) => boolean} predicate
 * @param {number} [timeoutMs]
 * @returns {Promise<OverlayState>}
 */
export async function waitForOverlay(page, predicate, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  let last = null;
  while (Date.now() < deadline) {
    last = await overlayState(page);
    if (last && predicate(last)) return last;
    await new Promise((r) => setTimeout(r, 40));
  }
  throw new Error(`overlay did not reach the expected state; last: ${JSON.stringify(last)}`);
}

/**
 * Clicks a button in the overlay by its label.
 * @param {import('puppeteer-core').Page} page
 * @param {string} label
 */
export async function clickOverlayButton(page, label) {
  const clicked = await page.evaluate((text) => {
    const host = document.querySelector('tenderbridge-overlay');
    const button = Array.from(host?.shadowRoot?.querySelectorAll('button.act') ?? []).find((b) => b.textContent === text);
    if (button instanceof HTMLElement) button.click();
    return Boolean(button);
  }, label);
  if (!clicked) throw new Error(`no overlay button ${label}`);
}

/**
 * Closes the overlay with its ✕, as a cashier does when it sits over something they need.
 * @param {import('puppeteer-core').Page} page
 */
export async function closeOverlay(page) {
  await page.evaluate(() => {
    const close = document.querySelector('tenderbridge-overlay')?.shadowRoot?.querySelector('button.close');
    if (close instanceof HTMLElement) close.click();
  });
}
