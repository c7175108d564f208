import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPortalServer } from './harness/portal-server.mjs';
import { launchBrowser } from './harness/browser.mjs';
import { minimalSimulators } from './harness/minimal.mjs';
import { gunScan } from './harness/keys.mjs';
import { waitForOverlay } from './support/extension.mjs';
import { encodeTicket } from '../shared/ticket';
import { mergedMessages } from '../scripts/locales.mjs';

/**
 * The browser's language decides the extension's: an English Chromium shows the English UI
 * (popup, 「扫码」 panel, options page, the overlay on a portal page), a Chinese one the Chinese UI.
 *
 * Measured here: Chromium on Linux takes its UI language — the one chrome.i18n uses — from the
 * LANGUAGE environment variable, not from --lang (which only sets navigator.language and
 * Accept-Language). launchBrowser passes only --lang, so this test sets LANGUAGE around each launch.
 */
type Harness = Awaited<ReturnType<typeof launchBrowser>>;
type Messages = Record<string, { message: string }>;

const en = mergedMessages('en') as Messages;
const zh = mergedMessages('zh_CN') as Messages;
const text = (messages: Messages, key: string): string => {
  const found = messages[key]?.message;
  if (!found) throw new Error(`no message ${key}`);
  return found;
};

let server: Awaited<ReturnType<typeof startPortalServer>>;

/** Launches with `lang` as both the UI language (LANGUAGE) and --lang/--accept-lang. */
async function launchIn(lang: 'en-US' | 'zh-CN'): Promise<Harness> {
  const saved = process.env.LANGUAGE;
  process.env.LANGUAGE = lang.replace('-', '_');
  try {
    return await launchBrowser({ portalPort: server.port, lang });
  } finally {
    if (saved === undefined) delete process.env.LANGUAGE;
    else process.env.LANGUAGE = saved;
  }
}

/** A full ticket whose check digits were garbled in transit: refused with BAD_CHECKSUM. */
function garbledTicket(): string {
  const good = encodeTicket({ store: 'S0012', orderNo: 'XS250328000123', issuedAt: '2025-03-28T10:15:00+08:00', totalFen: 2600, items: [{ code: '6923456789012', qty: 1, unitFen: 2600 }] });
  return `${good.slice(0, -4)}${good.endsWith('0000') ? '0001' : '0000'}`;
}

beforeAll(async () => {
  server = await startPortalServer({ simulators: minimalSimulators() });
}, 30_000);

afterAll(async () => {
  await server?.close();
});

describe('the UI follows the browser language', () => {
  describe('English browser (en-US)', () => {
    let harness: Harness;
    beforeAll(async () => {
      harness = await launchIn('en-US');
    }, 60_000);
    afterAll(async () => harness?.close());

    it('the popup, its 「扫码」 panel and its title are in English', async () => {
      const popup = await harness.openExtensionPage('popup.html');
      expect(await popup.evaluate(() => chrome.i18n.getUILanguage())).toBe('en-US');
      const scan = await popup.waitForSelector('a[data-action="scan"]', { timeout: 10_000 });
      expect(await scan!.evaluate((a) => a.textContent)).toBe(text(en, 'sc_button'));
      expect(await popup.evaluate(() => document.querySelector('header nav')?.textContent ?? '')).toContain(text(en, 'pp_settings'));
      expect(await popup.title()).toBe(text(en, 'extName'));
      await scan!.click();
      const camera = await popup.waitForSelector('.scan-panel button[data-action="camera"]', { timeout: 5_000 });
      expect(await camera!.evaluate((b) => b.textContent)).toBe(text(en, 'sc_camera'));
      expect(await popup.evaluate(() => document.querySelector('.scan-panel')?.textContent ?? '')).not.toMatch(/[\u4e00-\u9fff]/);
      await popup.close();
    });

    it('the options page is in English', async () => {
      const options = await harness.openExtensionPage('options.html');
      await options.waitForFunction((title: string) => document.title === title, { timeout: 10_000 }, text(en, 'opt_page_title'));
      await options.close();
    });

    it('the overlay on a portal page speaks English', async () => {
      const page = await harness.openPortal('ruyitong', '/');
      // This test is about the language, not scan timing: on a machine so busy that the keys came
      // too slowly to be a scan (they then reach the field), clear the field and scan again.
      let shown = null;
      for (let attempt = 0; attempt < 3 && !shown; attempt++) {
        await page.$eval('#search', (input) => ((input as HTMLInputElement).value = ''));
        await page.focus('#search');
        await gunScan(page, garbledTicket());
        shown = await waitForOverlay(page, (s) => s.kind === 'error', 8_000).catch(() => null);
      }
      if (!shown) throw new Error('no overlay after three scans');
      expect(shown.code).toBe('BAD_CHECKSUM');
      expect(shown.text).toContain(text(en, 'ov_err_BAD_CHECKSUM'));
      await page.close();
    });
  });

  describe('Chinese browser (zh-CN)', () => {
    let harness: Harness;
    beforeAll(async () => {
      harness = await launchIn('zh-CN');
    }, 60_000);
    afterAll(async () => harness?.close());

    it('the popup is in Chinese', async () => {
      const popup = await harness.openExtensionPage('popup.html');
      expect(await popup.evaluate(() => chrome.i18n.getUILanguage())).toBe('zh-CN');
      const scan = await popup.waitForSelector('a[data-action="scan"]', { timeout: 10_000 });
      expect(await scan!.evaluate((a) => a.textContent)).toBe(text(zh, 'sc_button'));
      await popup.close();
    });
  });
});

declare const chrome: { i18n: { getUILanguage(): string } };
