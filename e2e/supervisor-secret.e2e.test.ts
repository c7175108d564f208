import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { startPortalServer } from './harness/portal-server.mjs';
import { launchBrowser } from './harness/browser.mjs';
import { createRuyitongSimulator } from './sim/ruyitong/server.mjs';
import { signInSupervisor } from './support/extension.mjs';
import { fullSettings } from './support/settings.mjs';
import { waitUntil } from './support/cashier';
import type { Harness } from './support/ruyitong';

/**
 * Issue 12: the bridge secret is write-only (typed once on the options page, never shown again,
 * never in any DOM, never in a storage a content script can read), and supervisor actions need a
 * supervisor's PIN: without it they are refused (audited); with it they are audited under that
 * supervisor, whatever name the page sends.
 */
type AuditRow = { seq: number; type: string; code?: string; detail: Record<string, unknown> };
const SECRET = 'Sq9-secret-ONLY-IT-knows-7731';

const sim = createRuyitongSimulator({ latency: [10, 40] });
let server: Awaited<ReturnType<typeof startPortalServer>>;
let harness: Harness;

async function audit(): Promise<AuditRow[]> {
  return ((await harness.readStore('audit')) as AuditRow[]).sort((a, b) => a.seq - b.seq);
}

/** Everything of a page a script could see: its markup, every field's value, its text. */
async function pageDump(page: Page): Promise<string> {
  return page.evaluate(() => {
    const values = Array.from(document.querySelectorAll('input, textarea, select')).map((el) => (el as HTMLInputElement).value);
    return [document.documentElement.outerHTML, document.body.innerText, ...values].join('\n');
  });
}

/** A message as the page would send it (runtime messaging of the extension page itself). */
async function send(page: Page, message: unknown): Promise<unknown> {
  return page.evaluate((m) => (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage(m), message);
}

beforeAll(async () => {
  server = await startPortalServer({ simulators: [sim] });
  harness = await launchBrowser({ portalPort: server.port });
}, 60_000);

afterAll(async () => {
  await harness?.close();
  await server?.close();
});

/** The settings as stored in storage.local (what every context reads), as text. */
async function storedSettings(): Promise<string> {
  const worker = await harness.serviceWorker();
  return worker.evaluate(async () =>
    JSON.stringify((await (globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } } }).chrome.storage.local.get('settings')).settings ?? null),
  );
}

/** The options page's status line after 「保存」. */
async function saveAndReadStatus(options: Page, expected: string): Promise<string> {
  await options.click('button.save-button');
  await options.waitForFunction((text: string) => document.querySelector('.statuses')?.textContent?.includes(text), { timeout: 10_000 }, expected);
  return options.$eval('.statuses', (el) => (el as HTMLElement).innerText);
}

describe('settings on a PC with no supervisor yet', () => {
  it('the first save is refused by the background, says to set up the first supervisor, and stores nothing', async () => {
    const before = await storedSettings();
    const options = await harness.openExtensionPage('options.html');
    await options.waitForSelector('#supervisor-enroll');
    expect(await options.$eval('#supervisor', (el) => (el as HTMLElement).innerText)).toContain('首次使用：由信息部门设置第一位主管');
    await options.type('#f-storeCode', 'S0012');
    const status = await saveAndReadStatus(options, '这台电脑还没有主管');
    expect(status).toContain('请先在上方「主管身份」中设置第一位主管（姓名和 PIN）');
    expect(await storedSettings()).toBe(before);
    expect(before).not.toContain('S0012');
    // the message straight from the page (as a script on it would send it): the same refusal
    expect(await send(options, { type: 'settings.save', settings: fullSettings({ storeCode: 'S0099' }) })).toMatchObject({
      refused: true,
      reason: expect.stringMatching(/^NO_SUPERVISOR/),
    });
    expect(await storedSettings()).toBe(before);
    const refused = (await audit()).filter((e) => e.type === 'supervisor.refused' && e.detail.action === 'settings.save');
    expect(refused.map((e) => e.code)).toEqual(['NO_SUPERVISOR', 'NO_SUPERVISOR']);
    await options.close();
  });
});

describe('supervisor actions', () => {
  it('are refused without a PIN, and audited under the supervisor with it', async () => {
    const log = await harness.openExtensionPage('log.html');
    await log.waitForSelector('#supervisor');
    const importRequest = (by: string) => ({
      type: 'vendor.import',
      day: '2026-12-01',
      portal: 'ruyitong',
      fileName: '如医通.csv',
      sha256: 'a'.repeat(64),
      by,
      rows: [{ line: 2, vendorOrderNo: 'RYT1', kind: 'sale', status: 'success', amountFen: 2600 }],
    });
    const before = (await audit()).length;

    // no supervisor yet, no PIN: refused, and on the trail
    expect(await send(log, importRequest('王店长'))).toMatchObject({ refused: true, reason: expect.stringMatching(/PIN_REQUIRED/) });
    expect(await send(log, { type: 'retention.purge', dryRun: false })).toMatchObject({ refused: true });
    const refusals = (await audit()).filter((e) => e.seq > before && e.type === 'supervisor.refused');
    expect(refusals.map((e) => e.detail.action)).toEqual(['vendor.import', 'retention.purge']);

    // IT sets the first supervisor on first use; a wrong PIN is refused and counted
    await log.type('#supervisor-enroll-name', '王店长');
    await log.type('#supervisor-enroll-pin', '246810');
    await log.click('#supervisor-enroll button[type="submit"]');
    await log.waitForSelector('#supervisor-sign-in');
    await log.type('#supervisor-pin', '999999');
    await log.click('#supervisor-sign-in button[type="submit"]');
    await log.waitForFunction(() => document.querySelector('#supervisor-message')?.textContent?.includes('PIN 不正确'), { timeout: 10_000 });
    expect(await send(log, importRequest('王店长'))).toMatchObject({ refused: true });

    // with the PIN, the import goes through — as 王店长, whatever name the page sends
    await signInSupervisor(log, '王店长', '246810');
    expect(await send(log, importRequest('冒名顶替'))).toMatchObject({ stored: 1 });
    const imported = await waitUntil('the import on the trail', async () => (await audit()).find((e) => e.seq > before && e.type === 'vendor.imported'));
    expect(imported.detail.by).toBe('王店长');
    const trail = (await audit()).filter((e) => e.seq > before).map((e) => `${e.type}${e.code ? `:${e.code}` : ''}`);
    expect(trail).toEqual(
      expect.arrayContaining(['supervisor.refused:PIN_REQUIRED', 'supervisor.enrolled', 'supervisor.pinWrong:WRONG_PIN', 'supervisor.signedIn', 'vendor.imported']),
    );
    // the PIN is nowhere on the trail, nor in the page
    expect(JSON.stringify(await audit())).not.toContain('246810');
    expect(await pageDump(log)).not.toContain('246810');

    // another log page (another document) is not signed in
    const other = await harness.openExtensionPage('log.html');
    await other.waitForSelector('#supervisor-sign-in');
    expect(await send(other, importRequest('王店长'))).toMatchObject({ refused: true });
    await other.close();
    await log.close();
  });

});

describe('settings changes and the bridge secret', () => {
  it('a save without the PIN is refused by the background: the person reads why, the stored settings stay as they were', async () => {
    const before = await storedSettings();
    const options = await harness.openExtensionPage('options.html');
    await options.waitForSelector('#supervisor-sign-in');
    expect(await options.$eval('#supervisor', (el) => (el as HTMLElement).innerText)).toContain('修改并保存设置需要主管确认身份');
    await options.type('#f-storeCode', 'S0012');
    await options.type('#f-cashierId', 'C01');
    const status = await saveAndReadStatus(options, '没有保存：修改设置需要主管 PIN');
    expect(status).toContain('请在上方「主管身份」中选择姓名、输入 PIN 并点「确认身份」');
    expect(await storedSettings()).toBe(before);
    // hiding the button would not be enough: the background itself refuses the page's message
    expect(await send(options, { type: 'settings.save', settings: fullSettings({ storeCode: 'S0012', baseUrl: 'http://localhost:9' }) })).toMatchObject({
      refused: true,
      reason: expect.stringMatching(/^PIN_REQUIRED/),
    });
    // and so is the secret
    expect(await send(options, { type: 'secret.set', secret: 'x' })).toMatchObject({ refused: true, reason: expect.stringMatching(/^PIN_REQUIRED/) });
    expect(await storedSettings()).toBe(before);
    const refused = (await audit()).filter((e) => e.type === 'supervisor.refused' && e.code === 'PIN_REQUIRED').map((e) => e.detail.action);
    expect(refused).toEqual(expect.arrayContaining(['settings.save', 'secret.set']));
    await options.close();
  });

  it('with the PIN the save is accepted and audited under the supervisor; the secret is typed once and never comes back: not in the DOM, not in storage a content script can read', async () => {
    const options = await harness.openExtensionPage('options.html');
    await options.waitForSelector('#bridge-secret-field');
    // the PIN once, for this page
    await signInSupervisor(options, '王店长', '246810');
    const before = (await audit()).length;
    await options.type('#f-storeCode', 'S0012');
    await options.type('#f-bridge-baseUrl', 'http://localhost:9');
    await options.type('#bridge-secret-field input[type="password"]', SECRET);
    expect(await saveAndReadStatus(options, '已保存（主管：王店长）')).toContain('已保存（主管：王店长）');
    const saved = JSON.parse(await storedSettings()) as { storeCode: string; bridge: { baseUrl: string; secret: string } };
    expect(saved).toMatchObject({ storeCode: 'S0012', bridge: { baseUrl: 'http://localhost:9', secret: '' } });
    // who changed what, on the trail: the supervisor's name, the fields, old → new (never the secret)
    const changed = await waitUntil('the settings change on the trail', async () => (await audit()).find((e) => e.seq > before && e.type === 'settings.changed'));
    expect(changed.detail.by).toBe('王店长');
    expect(String(changed.detail.paths).split(',')).toEqual(expect.arrayContaining(['storeCode', 'bridge.baseUrl']));
    expect(JSON.parse(String(changed.detail.values))).toMatchObject({ storeCode: ['', 'S0012'], 'bridge.baseUrl': ['', 'http://localhost:9'] });
    // saved: the box is gone, 「已设置」 and 「更换」 are shown instead
    await options.waitForFunction(() => document.querySelector('#bridge-secret-state')?.textContent?.includes('已设置'), { timeout: 10_000 });
    expect(await pageDump(options)).not.toContain(SECRET);
    await options.reload({ waitUntil: 'load' });
    await options.waitForFunction(() => document.querySelector('#bridge-secret-state')?.textContent?.includes('已设置'));
    expect(await pageDump(options)).not.toContain(SECRET);
    // 「更换」 opens an empty box: the old secret is not put back in
    await options.click('#bridge-secret-replace');
    await options.waitForSelector('#bridge-secret-field input[type="password"]');
    expect(await options.$eval('#bridge-secret-field input[type="password"]', (el) => (el as HTMLInputElement).value)).toBe('');
    expect(await pageDump(options)).not.toContain(SECRET);

    // storage: none of the areas a content script could be given holds it; the vault does
    const worker = await harness.serviceWorker();
    const areas = await worker.evaluate(async () => {
      const chrome = (globalThis as unknown as { chrome: { storage: Record<string, { get(k: null): Promise<unknown> }> } }).chrome;
      const out: Record<string, string> = {};
      for (const area of ['local', 'sync', 'session', 'managed']) out[area] = JSON.stringify(await chrome.storage[area]!.get(null).catch(() => ({})));
      return out;
    });
    for (const [area, text] of Object.entries(areas)) expect(text, area).not.toContain(SECRET);
    expect(JSON.stringify(await harness.readStore('kv', { dbName: 'tenderbridge-vault' }))).toContain(SECRET);
    // the change is audited, without the secret
    const secretChanged = (await audit()).filter((e) => e.type === 'settings.secretChanged');
    expect(secretChanged.map((e) => [e.code, e.detail.by])).toEqual([['replaced', '王店长']]);
    expect(JSON.stringify(await audit())).not.toContain(SECRET);
    await options.close();
  });
});

describe('PIN entry', () => {
  it('locks PIN entry after five wrong PINs, counted in the background', async () => {
    const log = await harness.openExtensionPage('log.html');
    await log.waitForSelector('#supervisor-sign-in');
    for (let i = 0; i < 5; i += 1) {
      const answer = (await send(log, { type: 'supervisor.verify', name: '王店长', pin: '000000' })) as { ok: boolean; lockedUntil?: number };
      expect(answer.ok).toBe(false);
      if (i === 4) expect(answer.lockedUntil).toBeGreaterThan(Date.now());
    }
    // now even the right PIN is not taken
    expect(await send(log, { type: 'supervisor.verify', name: '王店长', pin: '246810' })).toMatchObject({ ok: false, lockedUntil: expect.any(Number) });
    await log.reload({ waitUntil: 'load' });
    await log.waitForFunction(() => (document.querySelector('#supervisor-sign-in button[type="submit"]') as HTMLButtonElement | null)?.disabled === true, { timeout: 10_000 });
    await log.close();
  });
});
