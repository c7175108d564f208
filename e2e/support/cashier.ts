import type { ElementHandle, Page } from 'puppeteer-core';

/**
 * What the test's cashier and customer do with their own hands: type into a field found by its
 * placeholder, click a button by its text, wait for a dialog. Test-side polling is fine here;
 * the product itself never polls.
 */
export async function waitUntil<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Waits until the element and its ancestors have no running (finite) CSS animation: a dialog
 * zooming in moves its inputs, and a click computed mid-flight can land beside them (the
 * guohui self-test's password then went nowhere, on CI and here, until the hands waited).
 */
export async function untilSettled(handle: ElementHandle<Element>): Promise<void> {
  await handle.evaluate(async (el) => {
    for (let round = 0; round < 20; round += 1) {
      const running: Animation[] = [];
      for (let n: Element | null = el; n; n = n.parentElement) {
        for (const a of n.getAnimations()) if (a.playState === 'running' && a.effect?.getComputedTiming().iterations !== Infinity) running.push(a);
      }
      if (running.length === 0) return;
      await Promise.all(running.map((a) => a.finished.catch(() => undefined)));
      await new Promise((r) => requestAnimationFrame(() => r(undefined)));
    }
  });
}

/**
 * Types as a person into an input (clicked three times to select what is there, then replaced)
 * and checks the field took it: typed again once when a re-render swallowed the keys.
 */
export async function typeAsPerson(page: Page, input: ElementHandle<Element>, text: string, options: { delay?: number; check?: boolean } = {}): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    await untilSettled(input);
    await input.click({ count: 3 });
    await page.keyboard.press('Backspace');
    await input.type(text, { delay: options.delay ?? 0 });
    // (check: false where the field is meant to refuse some keys, e.g. a third decimal)
    const value = await input.evaluate((el) => (el as HTMLInputElement).value);
    if (value === text || options.check === false) return;
    if (attempt >= 1) throw new Error(`typed ${JSON.stringify(text)} but the field holds ${JSON.stringify(value)}`);
  }
}

/** Clicks the visible, enabled, uncovered button whose text (spaces removed) is `text`. */
export async function clickButton(page: Page, text: string, selector = 'button, .el-dropdown-menu__item, a, [role=button]'): Promise<void> {
  const handle = await page.waitForFunction(
    (t: string, sel: string) => {
      for (const b of Array.from(document.querySelectorAll<HTMLElement>(sel))) {
        if ((b.textContent ?? '').replace(/\s+/g, '') !== t) continue;
        if (b.offsetParent === null || (b as HTMLButtonElement).disabled) continue;
        const r = b.getBoundingClientRect();
        const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        if (top && b.contains(top)) return b;
      }
      return null;
    },
    { timeout: 15_000, polling: 30 },
    text.replace(/\s+/g, ''),
    selector,
  );
  await untilSettled(handle as ElementHandle<Element>);
  await (handle as ElementHandle<Element>).click();
}

/** Types (as a person) into the visible input with that placeholder, replacing its text. */
export async function typeByPlaceholder(page: Page, placeholder: string, text: string): Promise<void> {
  const input = (await page.waitForFunction(
    (ph: string) => Array.from(document.querySelectorAll<HTMLInputElement>('input, textarea')).find((i) => i.placeholder === ph && i.offsetParent !== null) ?? null,
    { timeout: 15_000, polling: 30 },
    placeholder,
  )) as ElementHandle<HTMLInputElement>;
  await typeAsPerson(page, input, text, { delay: 120 });
}

/** Waits for a visible element showing `text`. */
export async function waitForText(page: Page, text: string, timeoutMs = 15_000): Promise<void> {
  await page.waitForFunction((t: string) => document.body.innerText.includes(t), { timeout: timeoutMs, polling: 50 }, text);
}

/**
 * Waits until the popup's card for one settlement reads `text` (what the cashier sees, e.g.
 * 「已下账，凭证号」) and returns the card's whole visible text, opening the 「今天已完成下账」 fold
 * as the cashier would when the card sits in it.
 */
export async function waitForCardText(popup: Page, settlementId: string, text: string, timeoutMs = 15_000): Promise<string> {
  const handle = await popup.waitForFunction(
    (id: string, wanted: string) => {
      const card = Array.from(document.querySelectorAll<HTMLElement>('section[data-settlement]')).find((s) => s.dataset['settlement'] === id);
      if (!card) return false;
      // finished cards are folded under 「今天已完成下账」: the cashier opens the fold to read them
      const fold = card.closest('details');
      if (fold && !fold.open) fold.open = true;
      return card.innerText.includes(wanted) ? card.innerText : false;
    },
    { timeout: timeoutMs },
    settlementId,
    text,
  );
  return (await handle.jsonValue()) as string;
}
