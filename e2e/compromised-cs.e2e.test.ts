import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CDPSession, Page } from 'puppeteer-core';
import { startPortalServer } from './harness/portal-server.mjs';
import { launchBrowser } from './harness/browser.mjs';
import { createRuyitongSimulator } from './sim/ruyitong/server.mjs';
import { startBridgeSimulator } from './bridge-sim/server.mjs';
import { seedSettings } from './support/extension.mjs';
import { fullSettings } from './support/settings.mjs';
import { waitUntil } from './support/cashier';
import { RUYITONG_PORTAL_SETTINGS, nextOrderNo, sellThroughPortal, type Harness } from './support/ruyitong';

/**
 * Issue 12, "a compromised content script": code running in the extension's own isolated world
 * on a portal page — what an exploited portal renderer could do with our content script's
 * powers. The test finds that world through the DevTools protocol (the execution context whose
 * auxData.type is 'isolated' and whose origin is the extension's) and, from there, tries to read
 * the bridge secret and the settings, list settlements, post a tender or mark it manual, change
 * settings and do supervisor work. Everything is refused, nothing changes, and the refusals are
 * on the audit trail.
 */
type AuditRow = { seq: number; type: string; code?: string; detail: Record<string, unknown> };
const SECRET = 'store-secret';

const sim = createRuyitongSimulator({ latency: [10, 40] });
let server: Awaited<ReturnType<typeof startPortalServer>>;
let bridge: Awaited<ReturnType<typeof startBridgeSimulator>>;
let harness: Harness;

async function audit(): Promise<AuditRow[]> {
  return ((await harness.readStore('audit')) as AuditRow[]).sort((a, b) => a.seq - b.seq);
}

/** The extension's isolated world in the page's top frame, as a DevTools execution context. */
async function isolatedWorld(page: Page): Promise<{ cdp: CDPSession; run: <T>(source: string) => Promise<T> }> {
  const cdp = await page.createCDPSession();
  const origin = `chrome-extension://${harness.extensionId}`;
  const contexts: Array<{ id: number; origin: string; auxData?: { type?: string; isDefault?: boolean; frameId?: string } }> = [];
  cdp.on('Runtime.executionContextCreated', (event: { context: (typeof contexts)[number] }) => contexts.push(event.context));
  // enabling reports every existing context
  await cdp.send('Runtime.enable');
  const { frameTree } = await cdp.send('Page.getFrameTree');
  const context = await waitUntil('the extension’s isolated world', async () =>
    contexts.find((c) => c.auxData?.type === 'isolated' && c.origin === origin && c.auxData.frameId === frameTree.frame.id),
  );
  const run = async <T,>(source: string): Promise<T> => {
    const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', { expression: source, contextId: context.id, awaitPromise: true, returnByValue: true });
    if (exceptionDetails) return { threw: exceptionDetails.exception?.description ?? exceptionDetails.text } as T;
    return result.value as T;
  };
  return { cdp, run };
}

beforeAll(async () => {
  bridge = await startBridgeSimulator({ stores: { S0012: SECRET } });
  server = await startPortalServer({ simulators: [sim] });
  harness = await launchBrowser({ portalPort: server.port });
  // as an older build kept it: the secret in storage.local (the background moves it to its vault)
  await seedSettings(harness, { storeCode: 'S0012', cashierId: 'C01', bridge: { baseUrl: bridge.url, secret: SECRET }, portals: RUYITONG_PORTAL_SETTINGS });
}, 60_000);

afterAll(async () => {
  await harness?.close();
  await server?.close();
  await bridge?.close();
});

describe('a compromised content script', () => {
  it('can read neither the secret nor any setting, and cannot change them', async () => {
    const { page } = await sellThroughPortal(harness, sim, nextOrderNo(), [{ code: '6923456789012', qty: 1, unitFen: 2600 }]);
    const { run } = await isolatedWorld(page);
    // it is our world: the content script's own API is there
    expect(await run<string>('typeof chrome.runtime.sendMessage')).toBe('function');

    const reads = await run<Record<string, string>>(`(async () => {
      const out = {};
      for (const area of ['local', 'session', 'sync', 'managed']) {
        try { out[area] = JSON.stringify(await chrome.storage[area].get(null)); }
        catch (e) { out[area] = 'refused: ' + String(e && e.message || e).slice(0, 80); }
      }
      try { await chrome.storage.local.set({ settings: { version: 1, bridge: { baseUrl: 'http://evil.example', secret: 'mine' } } }); out.write = 'written'; }
      catch (e) { out.write = 'refused: ' + String(e && e.message || e).slice(0, 80); }
      return out;
    })()`);
    for (const [area, text] of Object.entries(reads)) expect(text, area).not.toContain(SECRET);
    expect(reads.local).toMatch(/^refused/);
    expect(reads.session).toMatch(/^refused/);
    expect(reads.write).toMatch(/^refused/);

    // the settings are as they were, and the secret is in the vault, not in storage
    const worker = await harness.serviceWorker();
    const stored = await worker.evaluate(async () => JSON.stringify(await (globalThis as unknown as { chrome: { storage: { local: { get(k: null): Promise<unknown> } } } }).chrome.storage.local.get(null)));
    expect(stored).toContain(bridge.url);
    expect(stored).not.toContain(SECRET);
    expect(stored).not.toContain('evil.example');
    expect(JSON.stringify(await harness.readStore('kv', { dbName: 'tenderbridge-vault' }))).toContain(SECRET);
    await page.close();
  });

  it('cannot list settlements, post a tender, write one off as manual, or do supervisor work', async () => {
    const orderNo = nextOrderNo();
    const { page } = await sellThroughPortal(harness, sim, orderNo, [{ code: '6923456789012', qty: 1, unitFen: 2600 }]);
    const settlement = await waitUntil('the settlement', async () =>
      ((await harness.readStore('settlements')) as Array<{ id: string; orderNo: string }>).find((s) => s.orderNo === orderNo),
    );
    const before = (await audit()).length;
    const { run } = await isolatedWorld(page);
    const answers = await run<Record<string, unknown>>(`(async () => {
      const id = ${JSON.stringify(settlement.id)};
      const tries = {
        'tenders.list': { type: 'tenders.list' },
        'tender.post': { type: 'tender.post', settlementId: id },
        'tender.manual': { type: 'tender.manual', settlementId: id },
        'secret.status': { type: 'secret.status' },
        'secret.set': { type: 'secret.set', secret: 'mine' },
        'supervisor.enroll': { type: 'supervisor.enroll', name: '冒名', pin: '123456' },
        'exception.handle': { type: 'exception.handle', day: '2026-12-07', diffId: 'x', basis: 'vendor', remark: 'x', by: '冒名' },
        'retention.purge': { type: 'retention.purge', dryRun: false },
        'settings.save': { type: 'settings.save', settings: ${JSON.stringify(fullSettings({ storeCode: 'S0012', baseUrl: 'http://evil.example' }))} },
      };
      const out = {};
      for (const [name, message] of Object.entries(tries)) out[name] = await chrome.runtime.sendMessage(message);
      return out;
    })()`);
    for (const [type, answer] of Object.entries(answers)) {
      expect(answer, type).toEqual({ refused: true, reason: `${type} is not accepted from portal-top` });
    }
    // nothing changed: no tender for it, on the bridge or in the database
    expect((bridge.tenders() as Array<{ orderNo: string }>).filter((t) => t.orderNo === orderNo)).toEqual([]);
    expect(JSON.stringify(await harness.readStore('tenders'))).not.toContain(settlement.id);
    // and the refusals are on the trail, by sender kind and message type
    const refused = await waitUntil('the refusals on the audit trail', async () => {
      const rows = (await audit()).filter((e) => e.seq > before && e.type === 'message.refused');
      return rows.length >= Object.keys(answers).length ? rows : null;
    });
    expect(refused.map((e) => [e.code, e.detail.sender]).sort()).toEqual(Object.keys(answers).map((type) => [type, 'portal-top']).sort());
    await page.close();
  });

  it('cannot flood the audit trail with refused messages', async () => {
    const page = await harness.openPortal('ruyitong', '/#/login');
    const before = (await audit()).length;
    const { run } = await isolatedWorld(page);
    await run(`(async () => { for (let i = 0; i < 200; i++) await chrome.runtime.sendMessage({ type: 'tenders.list' }); })()`);
    // one more, answered after the 200: every refusal before it has been handled
    expect(await run(`chrome.runtime.sendMessage({ type: 'tenders.list' })`)).toMatchObject({ refused: true });
    const rows = await waitUntil('the first refusals on the trail', async () => {
      const found = (await audit()).filter((e) => e.seq > before && e.type === 'message.refused');
      return found.length > 0 ? found : null;
    });
    // the trail takes a few per minute per sender kind and message type, not 201
    expect(rows.length).toBeLessThanOrEqual(5);
    await page.close();
  });
});
