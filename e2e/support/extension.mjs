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

/** @type {WeakMap<import('puppeteer-core').Page, import('puppeteer-core').CDPSession>} */
const cdpSessions = new WeakMap();

/**
 * Runs `fn` on the overlay's *closed* shadow root, found through the DevTools protocol (DOM with
 * pierce: true sees closed roots; a page script cannot). What a person sees, read the way
 * support would read it in DevTools; the page's own scripts get null from host.shadowRoot.
 * @template T
 * @param {import('puppeteer-core').Page} page
 * @param {(root: ShadowRoot, arg: any) => T} fn
 * @param {unknown} [arg]
 * @returns {Promise<T | null>}
 */
export async function onOverlayRoot(page, fn, arg = null) {
  // a Frame is read through its page's session: the overlay in the first same-origin iframe
  // document is the frame's (the tests that pass a frame have one work-area iframe)
  const inFrame = !('createCDPSession' in page);
  const owner = inFrame ? /** @type {import('puppeteer-core').Frame} */ (/** @type {unknown} */ (page)).page() : page;
  let cdp = cdpSessions.get(owner);
  if (!cdp) {
    cdp = await owner.createCDPSession();
    cdpSessions.set(owner, cdp);
  }
  // a small look, then DOM tracking off again: a DOM agent left on slows every mutation of the
  // page (and with it the page's key events), which the scanner's timing must not feel
  let object;
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    const shadow = findOverlayShadow(root, inFrame);
    if (!shadow) return null;
    ({ object } = await cdp.send('DOM.resolveNode', { backendNodeId: shadow.backendNodeId }));
  } finally {
    await cdp.send('DOM.disable').catch(() => undefined);
  }
  if (!object?.objectId) return null;
  try {
    const { result, exceptionDetails } = await cdp.send('Runtime.callFunctionOn', {
      objectId: object.objectId,
      functionDeclaration: fn.toString(),
      arguments: [{ objectId: object.objectId }, { value: arg }],
      returnByValue: true,
    });
    if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
    return /** @type {T} */ (result.value);
  } finally {
    await cdp.send('Runtime.releaseObject', { objectId: object.objectId }).catch(() => undefined);
  }
}

/**
 * The overlay's shadow root in a pierced DOM tree: the top document's own first, then one in an
 * iframe's document (`framesOnly`: only those).
 * @param {any} root
 * @param {boolean} framesOnly
 * @returns {any}
 */
function findOverlayShadow(root, framesOnly) {
  /** @type {any[]} */
  const found = [];
  /** @param {any} node @param {boolean} inIframe */
  const walk = (node, inIframe) => {
    if (node.nodeName === 'TENDERBRIDGE-OVERLAY' && node.shadowRoots?.[0]) found.push({ shadow: node.shadowRoots[0], inIframe });
    for (const child of node.children ?? []) walk(child, inIframe);
    if (node.contentDocument) walk(node.contentDocument, true);
  };
  walk(root, false);
  const pick = framesOnly ? found.find((f) => f.inIframe) : (found.find((f) => !f.inIframe) ?? found[0]);
  return pick?.shadow ?? null;
}

/**
 * @param {import('puppeteer-core').Page} page
 * @returns {Promise<OverlayState | null>}
 */
export async function overlayState(page) {
  // a full page load in between destroys the document: there is no overlay to read just then
  return onOverlayRoot(page, (root) => {
    const host = /** @type {Element} */ (root.host);
    return {
      kind: host.getAttribute('data-kind') ?? '',
      code: host.getAttribute('data-code'),
      text: root.querySelector('section')?.textContent ?? '',
      buttons: Array.from(root.querySelectorAll('button.act')).map((b) => b.textContent ?? ''),
    };
  }).catch((error) => {
    if (process.env.TB_DEBUG_OVERLAY) console.error('overlayState', error);
    return null;
  });
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
  const host = await page.evaluate(() => document.querySelectorAll('tenderbridge-overlay').length).catch(() => 'no page');
  throw new Error(`overlay did not reach the expected state; last: ${JSON.stringify(last)} (overlay hosts in the page: ${host}, url ${page.url()})`);
}

/**
 * Clicks a button in the overlay by its label, as a person does: a real mouse click at the
 * button (Input.dispatchMouseEvent, isTrusted), since the overlay refuses script clicks.
 * @param {import('puppeteer-core').Page} page
 * @param {string | { primary: true } | { close: true }} which
 */
export async function clickOverlayButton(page, which) {
  const point = await onOverlayRoot(
    page,
    (root, want) => {
      const buttons = Array.from(root.querySelectorAll('button'));
      const button =
        typeof want === 'string'
          ? buttons.find((b) => b.classList.contains('act') && b.textContent === want)
          : want.primary
            ? root.querySelector('button.act.primary')
            : root.querySelector('button.close');
      if (!button) return null;
      const box = button.getBoundingClientRect();
      return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
    },
    which,
  );
  if (!point) throw new Error(`no overlay button ${JSON.stringify(which)}`);
  await page.mouse.click(point.x, point.y);
}

/**
 * Closes the overlay with its ✕, as a cashier does when it sits over something they need.
 * @param {import('puppeteer-core').Page} page
 */
export async function closeOverlay(page) {
  await clickOverlayButton(page, { close: true }).catch(() => undefined);
}

/**
 * Signs the log page in as a supervisor, as IT and the supervisor do by hand: on first use the
 * enrolment form sets the supervisor (name + PIN); then the PIN is entered. Waits until the page
 * shows 「当前主管：<name>」.
 * @param {import('puppeteer-core').Page} page the log page
 * @param {string} name
 * @param {string} pin
 */
export async function signInSupervisor(page, name, pin) {
  await page.waitForSelector('#supervisor', { timeout: 10_000 });
  if (await page.$('#supervisor-enroll')) {
    await page.type('#supervisor-enroll-name', name);
    await page.type('#supervisor-enroll-pin', pin);
    await page.click('#supervisor-enroll button[type="submit"]');
    await page.waitForSelector('#supervisor-sign-in', { timeout: 10_000 });
  }
  if (!(await page.$('#supervisor-current'))) {
    await page.select('#supervisor-name', name);
    await page.type('#supervisor-pin', pin);
    await page.click('#supervisor-sign-in button[type="submit"]');
  }
  await page.waitForFunction((n) => document.querySelector('#supervisor-current')?.textContent?.includes(n), { timeout: 10_000 }, name);
}

/**
 * Writes settlement rows into the extension's own IndexedDB, as the capture stores them, from the
 * service worker (a test's shortcut past the portal flow; the rows' shape is shared/db.ts's
 * Settlement). Waits until the background has created the database, then opens it at its version.
 * @param {{ serviceWorker(): Promise<import('puppeteer-core').WebWorker> }} harness
 * @param {readonly object[]} rows
 */
export async function seedSettlements(harness, rows) {
  const worker = await harness.serviceWorker();
  await worker.evaluate(async (list) => {
    for (let i = 0; i < 100 && !(await indexedDB.databases()).some((d) => d.name === 'tenderbridge'); i++) await new Promise((r) => setTimeout(r, 50));
    const db = await new Promise((ok, fail) => {
      const open = indexedDB.open('tenderbridge');
      open.onsuccess = () => ok(open.result);
      open.onerror = () => fail(open.error);
    });
    await new Promise((ok, fail) => {
      const tx = db.transaction('settlements', 'readwrite');
      for (const row of list) tx.objectStore('settlements').put(row);
      tx.oncomplete = () => ok(undefined);
      tx.onerror = () => fail(tx.error);
    });
    db.close();
  }, rows);
}
