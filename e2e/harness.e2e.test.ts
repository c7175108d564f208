// Self-test of the e2e harness: the portal server, the browser wiring (host mapping, certificate,
// extension, service-worker control, IndexedDB reads) and the typists. Asserts no extension
// behaviour; the typed text is a goods barcode and plain words, which the scanner leaves alone.
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORTAL_IDS as APP_PORTAL_IDS, PORTAL_ORIGINS } from '../providers/registry';
import {
  MINIMAL_SIM_DIR,
  PORTAL_IDS,
  getPortalCert,
  gunScan,
  humanType,
  imeGunScan,
  launchBrowser,
  minimalSimulators,
  portalOrigin,
  readPageLog,
  sendJson,
  startPortalServer,
  type BrowserHandle,
  type PortalServer,
} from './harness/index.mjs';

const FIXED_EXTENSION_ID = 'eobdeocgefloaciaacgmcmnlanfnpgek';
/** The one extension API the test calls from an extension page. */
type ChromeGlobal = { chrome: { runtime: { sendMessage(message: unknown): Promise<unknown> } } };

let server: PortalServer;
let handle: BrowserHandle;
const timings: Record<string, number> = {};

async function timed<T>(name: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    timings[name] = Math.round(performance.now() - start);
  }
}

beforeAll(async () => {
  server = await timed('portal server start', () => startPortalServer({ simulators: minimalSimulators() }));
  handle = await timed('browser launch (extension activated)', () => launchBrowser({ portalPort: server.port }));
});

afterAll(async () => {
  await handle?.close();
  await server?.close();
  console.info('harness timings (ms):', timings);
});

/** A request straight to the portal server as `host`, verifying its certificate for that name. */
async function get(host: string, path: string): Promise<{ status: number; type: string; body: string }> {
  const { cert } = await getPortalCert();
  return new Promise((ok, fail) => {
    const req = httpsRequest(
      { host: '127.0.0.1', port: server.port, path, servername: host, headers: { host }, ca: cert },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => ok({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
      },
    );
    req.on('error', fail);
    req.end();
  });
}

describe('portal server (no browser)', () => {
  it('routes by Host: API first, then static files with SPA fallback', async () => {
    const host = 'harness.tenderbridge.test';
    let apiCalls = 0;
    server.setSimulator('harness-test', {
      id: 'harness-test',
      host,
      staticDir: MINIMAL_SIM_DIR,
      handle: async (_req, res, url, ctx) => {
        if (!url.pathname.startsWith('/api/')) return false;
        apiCalls += 1;
        await ctx.latency();
        sendJson(res, 200, { path: url.pathname, host: ctx.host });
        return true;
      },
    });
    try {
      expect(await get(host, '/api/ping')).toMatchObject({ status: 200, type: 'application/json; charset=utf-8', body: '{"path":"/api/ping","host":"harness.tenderbridge.test"}' });
      const index = await get(host, '/');
      expect(index).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
      expect(index.body).toContain('搜索商品');
      expect((await get(host, '/cashier/checkout')).body).toBe(index.body); // history-routing fallback
      expect((await get(host, '/missing.js')).status).toBe(404);
      expect((await get(host, '/..%2f..%2f..%2fpackage.json')).status).toBe(403);
      expect((await get('unregistered.tenderbridge.test', '/')).status).toBe(421);

      server.setLatency({ minMs: 60, maxMs: 80 });
      const started = performance.now();
      await get(host, '/api/slow');
      expect(performance.now() - started).toBeGreaterThanOrEqual(55);
      server.setLatency(null);
      expect(apiCalls).toBe(2);
    } finally {
      server.setSimulator('harness-test', null);
    }
    expect((await get(host, '/')).status).toBe(421);
  });
});

describe('portal server and host mapping', () => {
  it('knows the same five portals as the extension', () => {
    expect([...PORTAL_IDS]).toEqual([...APP_PORTAL_IDS]);
    for (const id of PORTAL_IDS) expect(portalOrigin(id)).toBe(PORTAL_ORIGINS[id]);
  });

  it('serves the minimal page over https at each real portal hostname', async () => {
    await timed('open 5 portals', async () => {
      for (const id of PORTAL_IDS) {
        const page = await handle.openPortal(id);
        const seen = await page.evaluate(() => ({
          origin: location.origin,
          secure: window.isSecureContext,
          title: document.title,
          placeholder: document.querySelector<HTMLInputElement>('#search')?.placeholder,
          hasNotes: document.querySelector('textarea#notes') !== null,
          hasLog: Array.isArray((window as unknown as { __pageLog?: unknown }).__pageLog),
        }));
        expect(seen).toEqual({
          origin: PORTAL_ORIGINS[id],
          secure: true,
          title: '门店收银（最小模拟页）',
          placeholder: '搜索商品',
          hasNotes: true,
          hasLog: true,
        });
        await page.close();
      }
    });
    const hosts = new Set(server.requests.map((r) => r.host));
    for (const id of PORTAL_IDS) expect(hosts).toContain(new URL(PORTAL_ORIGINS[id]).host);
    expect(server.errors).toEqual([]);
  });

  it('serves the shared vendor files with utf-8 content types', async () => {
    const page = await handle.openPortal('yuanfu');
    const types = await page.evaluate(async () => {
      const out: Record<string, string | null> = {};
      for (const name of ['vue.js', 'element-plus.js', 'element-plus.css', 'nope.js']) {
        const res = await fetch(`/__vendor/${name}`, { method: 'HEAD' });
        out[name] = res.ok ? res.headers.get('content-type') : String(res.status);
      }
      return out;
    });
    expect(types).toEqual({
      'vue.js': 'text/javascript; charset=utf-8',
      'element-plus.js': 'text/javascript; charset=utf-8',
      'element-plus.css': 'text/css; charset=utf-8',
      'nope.js': '404',
    });
    await page.close();
  });

  it('fails every other host inside the browser, and reaches loopback services as localhost', async () => {
    // One tab per failing navigation: after two failed loads in a row the tab sits on
    // chrome-error://chromewebdata and puppeteer's page.close() never returns (measured).
    const failing = async (url: string) => {
      const page = await handle.browser.newPage();
      try {
        await page.goto(url);
      } finally {
        await page.close();
      }
    };
    const started = performance.now();
    // No network: the resolver rules answer NOTFOUND without a DNS query, so this fails at once.
    await expect(failing('https://example.com/')).rejects.toThrow(/ERR_NAME_NOT_RESOLVED/);
    expect(performance.now() - started).toBeLessThan(2_000);
    // IP literals are caught by the catch-all too (the notes' reason for using localhost).
    await expect(failing(`https://127.0.0.1:${server.port}/`)).rejects.toThrow(/net::ERR_/);
    expect(server.requests.some((r) => r.host === 'example.com' || r.host === '127.0.0.1')).toBe(false);

    const loopback: Server = createServer((_req, res) => res.end('loopback ok'));
    await new Promise<void>((ok) => loopback.listen(0, '127.0.0.1', ok));
    const loopbackPage = await handle.browser.newPage();
    try {
      const { port } = loopback.address() as AddressInfo;
      const response = await loopbackPage.goto(`http://localhost:${port}/`);
      expect(await response?.text()).toBe('loopback ok');
    } finally {
      await loopbackPage.close();
      // close() first (no new sockets), then drop the browser's keep-alive ones it waits for.
      const closed = new Promise((ok) => loopback.close(ok));
      loopback.closeAllConnections();
      await closed;
    }
  });
});

describe('extension service worker', () => {
  it('is found, with the fixed extension id', async () => {
    expect(handle.extensionId).toBe(FIXED_EXTENSION_ID);
    const worker = await handle.serviceWorker();
    expect(await worker.evaluate(() => self.location.href)).toMatch(`chrome-extension://${FIXED_EXTENSION_ID}/`);
    expect(await handle.isServiceWorkerRunning()).toBe(true);
  });

  it('stopServiceWorker really stops it (state lost), and serviceWorker() brings it back', async () => {
    const before = await handle.serviceWorker();
    await before.evaluate(() => {
      (globalThis as unknown as { __harnessMarker?: number }).__harnessMarker = 42;
    });
    await timed('stop service worker', () => handle.stopServiceWorker());
    expect(await handle.isServiceWorkerRunning()).toBe(false);
    expect(handle.browser.targets().some((t) => t.type() === 'service_worker' && t.url().includes(handle.extensionId))).toBe(false);

    const after = await timed('restart service worker', () => handle.serviceWorker());
    expect(after).not.toBe(before);
    expect(await after.evaluate(() => (globalThis as unknown as { __harnessMarker?: number }).__harnessMarker ?? 'fresh')).toBe('fresh');
    expect(await handle.isServiceWorkerRunning()).toBe(true);
  });

  it('opens extension pages; a stopped worker stays stopped until an event restarts it', async () => {
    await handle.stopServiceWorker();
    const page = await handle.openExtensionPage('manifest.json');
    expect(page.url()).toBe(`chrome-extension://${FIXED_EXTENSION_ID}/manifest.json`);
    expect(JSON.parse((await page.evaluate(() => document.body.innerText)) as string)).toMatchObject({ manifest_version: 3 });
    expect(await handle.isServiceWorkerRunning()).toBe(false);
    // Any runtime message is an event for the background's onMessage listener; its answer is not
    // this test's business, only that Chrome starts the stopped worker to deliver it.
    const delivery = await page.evaluate(() =>
      (globalThis as unknown as ChromeGlobal).chrome.runtime.sendMessage({ type: 'harness-self-test' }).then(
        () => 'answered',
        (error: unknown) => String(error),
      ),
    );
    expect(delivery).toBe('answered');
    await handle.waitForServiceWorker(true, 2_000);
    await page.close();
  });
});

describe('readStore', () => {
  it('returns [] for a missing store or database, without creating the database', async () => {
    expect(await handle.readStore('no-such-store')).toEqual([]);
    expect(await handle.readStore('rows', { dbName: 'tb-harness-missing' })).toEqual([]);
    const worker = await handle.serviceWorker();
    const names = await worker.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
    expect(names).not.toContain('tb-harness-missing');
  });

  it('reads records while the worker runs and while it is stopped, without waking it', async () => {
    const worker = await handle.serviceWorker();
    await worker.evaluate(
      () =>
        new Promise<void>((ok, fail) => {
          const req = indexedDB.open('tb-harness-selftest', 1);
          req.onupgradeneeded = () => req.result.createObjectStore('rows', { keyPath: 'id' });
          req.onerror = () => fail(req.error);
          req.onsuccess = () => {
            const tx = req.result.transaction('rows', 'readwrite');
            tx.objectStore('rows').put({ id: 1, text: '小票', at: new Date(Date.UTC(2026, 0, 2)) });
            tx.objectStore('rows').put({ id: 2, text: 'b', at: null });
            tx.oncomplete = () => {
              req.result.close();
              ok();
            };
            tx.onerror = () => fail(tx.error);
          };
        }),
    );
    const expected = [
      { id: 1, text: '小票', at: '2026-01-02T00:00:00.000Z' },
      { id: 2, text: 'b', at: null },
    ];
    expect(await handle.readStore('rows', { dbName: 'tb-harness-selftest' })).toEqual(expected);
    await handle.stopServiceWorker();
    expect(await handle.readStore('rows', { dbName: 'tb-harness-selftest' })).toEqual(expected);
    expect(await handle.readStore('missing', { dbName: 'tb-harness-selftest' })).toEqual([]);
    await new Promise((r) => setTimeout(r, 200)); // Chrome's status events lag a start slightly
    expect(await handle.isServiceWorkerRunning()).toBe(false); // reading did not wake it
  });
});

describe('typists', () => {
  it('gunScan, humanType and imeGunScan reach the focused field as real key events', async () => {
    const page = await handle.openPortal('ruyitong');

    await page.focus('#search');
    const gun = await gunScan(page, '6901234567892');
    expect(await page.$eval('#search', (el) => (el as HTMLInputElement).value)).toBe('6901234567892');
    timings['gunScan 13 chars + Enter'] = gun.durationMs;
    timings['gunScan max real gap'] = Math.max(...gun.gapsMs);

    await page.focus('#notes');
    const human = await humanType(page, 'Hi 你好', { gapMs: 40 });
    expect(await page.$eval('#notes', (el) => (el as HTMLTextAreaElement).value)).toBe('Hi 你好');
    expect(human.gapsMs.every((gap) => gap >= 40)).toBe(true);

    await page.$eval('#search', (el) => {
      (el as HTMLInputElement).value = '';
    });
    await page.focus('#search');
    await page.evaluate(() => {
      (window as unknown as { __pageLog: unknown[] }).__pageLog.length = 0;
    });
    await imeGunScan(page, '69A|', { terminator: null });
    // The IME model inserts nothing; the page sees 'Process' keydowns carrying code and shift.
    expect(await page.$eval('#search', (el) => (el as HTMLInputElement).value)).toBe('');
    const keydowns = (await readPageLog(page)).filter((e) => e.type === 'keydown');
    expect(keydowns.map((e) => [e.key, e.code, e.keyCode, e.shiftKey])).toEqual([
      ['Process', 'Digit6', 229, false],
      ['Process', 'Digit9', 229, false],
      ['Process', 'KeyA', 229, true],
      ['Process', 'Backslash', 229, true],
    ]);

    // exactTimestamps: KeyboardEvent.timeStamp spaced exactly, whatever the delivery jitter.
    await page.evaluate(() => {
      (window as unknown as { __pageLog: unknown[] }).__pageLog.length = 0;
    });
    await gunScan(page, '12345', { gapMs: 6, exactTimestamps: true, terminator: null });
    const stamps = (await readPageLog(page)).filter((e) => e.type === 'keydown').map((e) => e.t);
    expect(stamps.slice(1).map((t, i) => Math.round(t - (stamps[i] ?? 0)))).toEqual([6, 6, 6, 6]);
    await page.close();
    expect(handle.pageErrors).toEqual([]);
  });
});

describe('close', () => {
  it('ends the browser process and deletes the temp profile and extension copy', async () => {
    const proc = handle.browser.process();
    const dirs = [handle.userDataDir, handle.extensionPath];
    for (const dir of dirs) expect(existsSync(dir)).toBe(true);
    await timed('browser close', () => handle.close());
    expect(proc?.exitCode !== null || proc?.signalCode !== null).toBe(true);
    for (const dir of dirs) expect(existsSync(dir)).toBe(false);
  });
});
