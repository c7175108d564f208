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
  await (handle as ElementHandle<Element>).click();
}

/** Types (as a person) into the visible input with that placeholder, replacing its text. */
export async function typeByPlaceholder(page: Page, placeholder: string, text: string): Promise<void> {
  const input = (await page.waitForFunction(
    (ph: string) => Array.from(document.querySelectorAll<HTMLInputElement>('input, textarea')).find((i) => i.placeholder === ph && i.offsetParent !== null) ?? null,
    { timeout: 15_000, polling: 30 },
    placeholder,
  )) as ElementHandle<HTMLInputElement>;
  await input.click({ count: 3 });
  await page.keyboard.press('Backspace');
  await input.type(text, { delay: 120 });
}

/** Waits for a visible element showing `text`. */
export async function waitForText(page: Page, text: string, timeoutMs = 15_000): Promise<void> {
  await page.waitForFunction((t: string) => document.body.innerText.includes(t), { timeout: timeoutMs, polling: 50 }, text);
}
