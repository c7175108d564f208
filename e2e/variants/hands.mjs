// The test's hands on the variants: what a cashier or customer does, found the way a person finds
// it (placeholder, button text, a table's column header), in a page or in a frame of it. Plain JS
// (JSDoc) so that scripts/variants-report.mjs can use it without a TypeScript loader.
// Test-side polling is fine here; the product itself never polls.

/** @import { ElementHandle, Frame, Page } from 'puppeteer-core' */

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @template T
 * @param {string} what
 * @param {() => Promise<T | null | undefined | false>} check
 * @param {number} [timeoutMs]
 * @returns {Promise<T>}
 */
export async function until(what, check, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/**
 * Waits until the element has no running finite animation (dialogs zoom in).
 * @param {ElementHandle<Element>} handle
 */
async function settled(handle) {
  await handle.evaluate(async (el) => {
    for (let round = 0; round < 20; round += 1) {
      /** @type {Animation[]} */
      const running = [];
      for (let n = /** @type {Element | null} */ (el); n; n = n.parentElement) {
        for (const a of n.getAnimations()) if (a.playState === 'running' && a.effect?.getComputedTiming().iterations !== Infinity) running.push(a);
      }
      if (running.length === 0) return;
      await Promise.all(running.map((a) => a.finished.catch(() => undefined)));
      await new Promise((r) => requestAnimationFrame(() => r(undefined)));
    }
  });
}

/**
 * Replaces what an input holds with `text`, typed as a person (select all, delete, type).
 * @param {Page} page
 * @param {ElementHandle<Element>} input
 * @param {string} text
 * @param {{ delay?: number, commit?: boolean }} [options] commit: press Tab afterwards (fields that
 *   take their value on blur, e.g. a number stepper)
 */
export async function typeInto(page, input, text, options = {}) {
  for (let attempt = 0; ; attempt += 1) {
    await settled(input);
    await input.click();
    // select what the field holds (as a triple click would), then delete it
    await input.evaluate((el) => /** @type {HTMLInputElement} */ (el).select());
    await page.keyboard.press('Backspace');
    await input.type(text, { delay: options.delay ?? 30 });
    const value = await input.evaluate((el) => /** @type {HTMLInputElement} */ (el).value);
    if (value === text) break;
    if (attempt >= 2) throw new Error(`typed ${JSON.stringify(text)} but the field holds ${JSON.stringify(value)}`);
  }
  if (options.commit) await page.keyboard.press('Tab');
}

/**
 * The visible input with exactly that placeholder.
 * @param {Page | Frame} ctx
 * @param {string} placeholder
 * @returns {Promise<ElementHandle<Element>>}
 */
export async function inputByPlaceholder(ctx, placeholder, timeoutMs = 15_000) {
  const handle = await ctx.waitForFunction(
    (ph) => Array.from(document.querySelectorAll('input, textarea')).find((i) => /** @type {HTMLInputElement} */ (i).placeholder === ph && /** @type {HTMLElement} */ (i).offsetParent !== null) ?? null,
    { timeout: timeoutMs, polling: 50 },
    placeholder,
  );
  return /** @type {ElementHandle<Element>} */ (handle);
}

/**
 * @param {Page} page
 * @param {Page | Frame} ctx
 * @param {string} placeholder
 * @param {string} text
 */
export async function typeByPlaceholder(page, ctx, placeholder, text) {
  await typeInto(page, await inputByPlaceholder(ctx, placeholder), text, { delay: 60 });
}

/**
 * Clicks the visible, enabled, uncovered button/link whose text (spaces removed) is `text`.
 * @param {Page | Frame} ctx
 * @param {string} text
 * @param {string} [selector]
 */
export async function clickText(ctx, text, selector = 'button, a, [role=button], .el-dropdown-menu__item, li', timeoutMs = 15_000) {
  const handle = await ctx.waitForFunction(
    (t, sel) => {
      for (const b of Array.from(document.querySelectorAll(sel))) {
        const el = /** @type {HTMLElement} */ (b);
        if ((el.textContent ?? '').replace(/\s+/g, '') !== t) continue;
        if (el.offsetParent === null && getComputedStyle(el).position !== 'fixed') continue;
        if (/** @type {HTMLButtonElement} */ (el).disabled) continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        if (top && (el.contains(top) || top.contains(el))) return el;
      }
      return null;
    },
    { timeout: timeoutMs, polling: 50 },
    text.replace(/\s+/g, ''),
    selector,
  );
  const el = /** @type {ElementHandle<Element>} */ (handle);
  await settled(el);
  await el.click();
}

/**
 * The input in the cell of the table row that shows `rowText`, under the column headed `header`
 * (header text compared with spaces removed). Works for one table and for the split header/body
 * tables of el-table / ant-table.
 * @param {Page | Frame} ctx
 * @param {string} rowText
 * @param {string} header
 * @returns {Promise<ElementHandle<Element>>}
 */
export async function cellInput(ctx, rowText, header, timeoutMs = 15_000) {
  const handle = await ctx.waitForFunction(
    (rowT, head) => {
      const norm = (/** @type {string} */ s) => s.replace(/\s+/g, '');
      for (const th of Array.from(document.querySelectorAll('th'))) {
        if (norm(th.textContent ?? '') !== norm(head) || /** @type {HTMLElement} */ (th).offsetParent === null) continue;
        const index = Array.from(th.parentElement?.children ?? []).indexOf(th);
        const scope = th.closest('.el-table') ?? th.closest('table');
        for (const tr of Array.from(scope?.querySelectorAll('tbody tr') ?? [])) {
          if (!(tr.textContent ?? '').includes(rowT)) continue;
          const input = tr.children[index]?.querySelector('input');
          if (input) return input;
        }
      }
      return null;
    },
    { timeout: timeoutMs, polling: 50 },
    rowText,
    header,
  );
  return /** @type {ElementHandle<Element>} */ (handle);
}

/**
 * Waits until the text shows in the page (or frame).
 * @param {Page | Frame} ctx
 * @param {string} text
 */
export async function waitText(ctx, text, timeoutMs = 15_000) {
  await ctx.waitForFunction((t) => document.body?.innerText.includes(t), { timeout: timeoutMs, polling: 50 }, text);
}

/**
 * @param {Page | Frame} ctx
 * @param {string} text
 */
export async function hasText(ctx, text) {
  return ctx.evaluate((t) => document.body?.innerText.includes(t) ?? false, text).catch(() => false);
}
