// Launches Debian Chromium with the extension loaded and the five portal hostnames mapped to the
// local portal server; everything else fails inside the browser (see shared/notes/toolchain.md).
import { createHash } from 'node:crypto';
import { access, cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { getPortalCert } from './certs.mjs';
import { PORTAL_HOST, PORTAL_HOSTS, isPortalId } from './portals.mjs';

/** @import { Browser, CDPSession, Page, Protocol, Target, WebWorker } from 'puppeteer-core' */
/** @import { PortalId } from './portals.mjs' */

export const CHROMIUM_PATH = '/usr/bin/chromium';
/** The production build the e2e tests load (override with TB_EXTENSION_PATH). */
export const DEFAULT_EXTENSION_PATH =
  process.env.TB_EXTENSION_PATH ?? fileURLToPath(new URL('../../.output/chrome-mv3', import.meta.url));
/** The extension's IndexedDB database (shared/db.ts). */
export const EXTENSION_DB_NAME = 'tenderbridge';

/** Flags the toolchain notes require on every launch (no sandbox in containers, no stray traffic). */
const BASE_ARGS = Object.freeze([
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]);

/**
 * @typedef {object} LaunchOptions
 * @property {number} [portalPort] Port of the portal server (startPortalServer().port).
 * @property {{ port: number }} [server] Or the portal server itself (its port is used).
 * @property {string} [extensionPath] Unpacked extension directory (default: the production build).
 * @property {string} [executablePath] The browser to start (default CHROMIUM_PATH), e.g. a wrapper
 *   that gives Chromium an enterprise policy (e2e/support/policy.mjs).
 * @property {boolean} [snapshot] Load a private copy of the extension (default true), so a
 *   `wxt build` running meanwhile cannot change files under a live browser (Chrome reads content
 *   scripts and pages from disk lazily). The copy is deleted on close.
 * @property {boolean} [headless] Default true.
 * @property {string[]} [extraHosts] More hostnames to map to the portal server (name them
 *   `<x>.tenderbridge.test`: the certificate covers that wildcard).
 * @property {string} [userDataDir] Reuse this profile (browser-restart tests); it is not deleted
 *   on close. Default: a fresh temp profile, deleted on close.
 * @property {string} [lang] Browser language, default 'zh-CN' (sets LANGUAGE for the UI language, --lang and --accept-lang).
 * @property {'spki' | 'all'} [certErrors] How the self-signed portal certificate is accepted:
 *   'spki' (default) trusts exactly that key (--ignore-certificate-errors-spki-list), so the
 *   HTTP cache and secure-context behaviour stay as in production; 'all' is the blunt fallback.
 * @property {string[]} [extraArgs] More Chromium flags.
 * @property {string} [executablePath] The browser to run (default /usr/bin/chromium): e.g. a wrapper
 *   that gives this browser alone an enterprise policy (e2e/teach.e2e.test.ts).
 * @property {number} [protocolTimeout] ms before a CDP call gives up (default 20 s: a call into a
 *   stopped worker otherwise hangs for puppeteer's default 180 s).
 */

/**
 * @typedef {object} PageError
 * @property {string} url
 * @property {string} message
 */

/**
 * @typedef {object} BrowserHandle
 * @property {Browser} browser
 * @property {string} extensionId Read from the service worker's URL at launch.
 * @property {string} userDataDir
 * @property {string} extensionPath The directory Chrome loaded (the snapshot, unless disabled).
 * @property {PageError[]} pageErrors Uncaught exceptions of pages opened through this handle.
 * @property {() => Promise<WebWorker>} serviceWorker The running extension service worker,
 *   started first if it is stopped. Holding it attaches DevTools, which keeps Chrome from
 *   idle-stopping it; after stopServiceWorker() call this again (the old one is dead).
 * @property {() => Promise<boolean>} isServiceWorkerRunning As Chrome reports it right now (its
 *   events lag a real start or stop by a few ms: poll with waitForServiceWorker).
 * @property {(running?: boolean, timeoutMs?: number) => Promise<void>} waitForServiceWorker Waits
 *   until the worker is running (default) or stopped, without causing either; default 5 s.
 * @property {(portalId: PortalId | string, path?: string) => Promise<Page>} openPortal New tab at
 *   `https://<portal host><path>`, loaded.
 * @property {(path: string) => Promise<Page>} openExtensionPage New tab at
 *   `chrome-extension://<id>/<path>`, loaded.
 * @property {() => Promise<void>} stopServiceWorker Really stops the worker (as Chrome's idle
 *   timeout would: global state is lost) and waits until Chrome reports it stopped.
 * @property {(storeName: string, options?: { dbName?: string }) => Promise<unknown[]>} readStore All
 *   records of an object store in the extension's IndexedDB (database 'tenderbridge' unless
 *   dbName says otherwise), JSON round-tripped (Dates become ISO strings); [] when the database
 *   or store does not exist. Does not wake a stopped worker, and never creates the database.
 * @property {() => Promise<void>} close Closes the browser and deletes a temp profile.
 */

/** @type {Set<() => void>} Synchronous last-resort cleanups if the process exits without close(). */
const exitCleanups = new Set();
process.once('exit', () => {
  for (const cleanup of exitCleanups) cleanup();
});

/**
 * @param {number} ms
 * @returns {Promise<void>}
 */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @template T
 * @param {() => Promise<T | undefined | null | false>} probe
 * @param {number} timeoutMs
 * @param {string} what
 * @returns {Promise<T>}
 */
async function waitFor(probe, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * Chrome's id for an extension with this manifest `key`: the first 128 bits of the SHA-256 of
 * the DER public key, as hex digits mapped 0-f → a-p.
 * @param {string} keyBase64
 * @returns {string}
 */
export function extensionIdFromKey(keyBase64) {
  const hex = createHash('sha256').update(Buffer.from(keyBase64, 'base64')).digest('hex').slice(0, 32);
  return [...hex].map((d) => String.fromCharCode(97 + parseInt(d, 16))).join('');
}

/**
 * The manifest's `key`, waiting briefly for a build in progress to write the manifest.
 * @param {string} extensionPath
 * @returns {Promise<string | undefined>}
 */
async function readManifestKey(extensionPath) {
  const manifestPath = join(extensionPath, 'manifest.json');
  // Fail here, clearly: puppeteer reports a bad extension as an unhandled rejection and launches
  // anyway, leaving us to time out waiting for a worker that never comes.
  await waitFor(
    () => access(manifestPath).then(() => true, () => false),
    5_000,
    `${manifestPath} (build the extension first: npx wxt build)`,
  );
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
  return typeof manifest?.key === 'string' ? manifest.key : undefined;
}

/**
 * @param {LaunchOptions} options
 * @returns {Promise<BrowserHandle>}
 */
export async function launchBrowser(options) {
  const {
    portalPort = options.server?.port,
    extensionPath = DEFAULT_EXTENSION_PATH,
    snapshot = true,
    headless = true,
    extraHosts = [],
    lang = 'zh-CN',
    certErrors = 'spki',
    extraArgs = [],
    protocolTimeout = 20_000,
    executablePath = CHROMIUM_PATH,
  } = options;
  if (portalPort === undefined || !Number.isInteger(portalPort) || portalPort <= 0) {
    throw new Error(`launchBrowser needs portalPort (or server): got ${portalPort}`);
  }
  const { spkiHash } = await getPortalCert();
  const sourcePath = resolve(extensionPath);
  // With a manifest key the id is known up front; without one, take the extension's worker.
  const manifestKey = await readManifestKey(sourcePath);
  const expectedId = manifestKey ? extensionIdFromKey(manifestKey) : undefined;
  const snapshotDir = snapshot ? await mkdtemp(join(tmpdir(), 'tb-extension-')) : undefined;
  if (snapshotDir) {
    await cp(sourcePath, snapshotDir, { recursive: true }).catch(async (err) => {
      await rm(snapshotDir, { recursive: true, force: true });
      throw err;
    });
  }
  const ownsProfile = !options.userDataDir;
  const userDataDir = options.userDataDir ?? (await mkdtemp(join(tmpdir(), 'tb-chromium-')));
  const removeTempDirsSync = () => {
    if (ownsProfile) rmSync(userDataDir, { recursive: true, force: true });
    if (snapshotDir) rmSync(snapshotDir, { recursive: true, force: true });
  };

  // MAP * ~NOTFOUND makes every other name (and IP literal) fail inside the browser, without a
  // DNS query; localhost stays reachable for loopback services such as the bridge simulator.
  const hostRules = [
    ...[...PORTAL_HOSTS, ...extraHosts].map((host) => `MAP ${host} 127.0.0.1:${portalPort}`),
    'MAP * ~NOTFOUND',
    'EXCLUDE localhost',
  ].join(', ');
  const args = [
    ...BASE_ARGS,
    `--host-resolver-rules=${hostRules}`,
    certErrors === 'spki' ? `--ignore-certificate-errors-spki-list=${spkiHash}` : '--ignore-certificate-errors',
    // --lang alone does not change navigator.language in headless mode; --accept-lang does.
    // (The extension UI locale stays en-US unless the chromium-l10n .pak files are installed.)
    `--lang=${lang}`,
    `--accept-lang=${lang},${lang.split('-')[0]}`,
    ...extraArgs,
  ];

  /** @type {Browser} */
  let browser;
  try {
    browser = await puppeteer.launch({
      executablePath,
      headless,
      pipe: true, // enableExtensions needs the pipe transport
      enableExtensions: [snapshotDir ?? sourcePath],
      userDataDir,
      args,
      defaultViewport: { width: 1366, height: 768 },
      protocolTimeout,
      // On Linux, Chromium's UI language — what chrome.i18n answers with — comes from LANGUAGE,
      // not from --lang (zh-CN needs Debian's chromium-l10n).
      env: { ...process.env, LANGUAGE: lang.replace('-', '_') },
    });
  } catch (err) {
    removeTempDirsSync();
    throw err;
  }
  const killSync = () => {
    try {
      browser.process()?.kill('SIGKILL');
    } catch {
      // already gone
    }
    removeTempDirsSync();
  };
  exitCleanups.add(killSync);

  /** @param {Target} t */
  const isOurWorker = (t) =>
    t.type() === 'service_worker' && t.url().startsWith(expectedId ? `chrome-extension://${expectedId}/` : 'chrome-extension://');
  let extensionId;
  try {
    const swTarget = await browser.waitForTarget(isOurWorker, { timeout: 10_000 });
    extensionId = new URL(swTarget.url()).host;
  } catch (err) {
    await browser.close().catch(() => undefined);
    exitCleanups.delete(killSync);
    removeTempDirsSync();
    throw new Error(`the service worker of ${sourcePath} did not appear: ${String(err)}`);
  }
  const origin = `chrome-extension://${extensionId}`;
  const scopeURL = `${origin}/`;
  /** @param {Target} t */
  const isThisWorker = (t) => t.type() === 'service_worker' && t.url().startsWith(scopeURL);

  /** @type {PageError[]} */
  const pageErrors = [];
  /** Targets whose puppeteer WebWorker we handed out: their DevTools session must be dropped
   * before a stop, or Chrome keeps the same target across the restart and the cached WebWorker
   * stays bound to the dead context (evaluate then hangs). */
  /** @type {Set<Target>} */
  const attachedWorkerTargets = new Set();

  // A control tab, kept open for the browser's life (re-created if a test closes it):
  //  - the ServiceWorker CDP domain (start/stop/status) exists only on page targets;
  //  - parked on the extension's manifest.json it is same-origin with the extension's IndexedDB,
  //    so readStore works while the worker is stopped. Opening and closing a tab for each read
  //    would wake the worker (tabs.onRemoved is an extension event); merely opening an extension
  //    page does not (no fetch handler).
  // It is the first entry of browser.pages(): tests should open their own tabs.
  const controlUrl = `${origin}/manifest.json`;
  /** @type {{ page: Page, session: CDPSession } | undefined} */
  let control;
  /** @type {Map<string, Protocol.ServiceWorker.ServiceWorkerVersion>} */
  const versions = new Map();
  /** @returns {Promise<{ page: Page, session: CDPSession }>} */
  async function controlTab() {
    if (!control || control.page.isClosed()) {
      const page = (await browser.pages()).find((p) => p.url() === 'about:blank') ?? (await browser.newPage());
      const session = await page.createCDPSession();
      versions.clear();
      session.on('ServiceWorker.workerVersionUpdated', (event) => {
        for (const v of event.versions) versions.set(v.versionId, v);
      });
      await session.send('ServiceWorker.enable'); // replays the current versions
      control = { page, session };
    }
    if (control.page.url() !== controlUrl) await control.page.goto(controlUrl);
    return control;
  }
  /** @returns {Promise<CDPSession>} */
  async function controlSession() {
    return (await controlTab()).session;
  }
  /** @returns {Promise<Protocol.ServiceWorker.ServiceWorkerVersion[]>} live (non-redundant) versions */
  async function ourVersions() {
    await controlSession();
    return [...versions.values()].filter((v) => v.scriptURL.startsWith(scopeURL) && v.status !== 'redundant');
  }

  /** Installed and activated, and not half-way through starting or stopping. */
  async function isSettled() {
    const live = await ourVersions();
    return (
      live.length > 0 &&
      live.every((v) => v.status === 'activated' && (v.runningStatus === 'running' || v.runningStatus === 'stopped'))
    );
  }

  async function isServiceWorkerRunning() {
    const running = (await ourVersions()).some((v) => v.runningStatus === 'running');
    return running && browser.targets().some(isThisWorker);
  }

  /** @returns {Promise<Target>} the running worker's target, starting the worker if needed */
  async function runningWorkerTarget() {
    if (!(await isServiceWorkerRunning())) {
      const session = await controlSession();
      // Chrome starts an extension worker only for events it has listeners for; startWorker wakes
      // it regardless, like DevTools' "start" link.
      await session.send('ServiceWorker.startWorker', { scopeURL });
      await waitFor(isServiceWorkerRunning, 10_000, 'the service worker to start');
    }
    const target = browser.targets().find(isThisWorker);
    if (!target) throw new Error('service worker target vanished');
    return target;
  }

  async function serviceWorker() {
    const target = await runningWorkerTarget();
    const worker = await target.worker();
    if (!worker) throw new Error('service worker target has no worker');
    attachedWorkerTargets.add(target);
    return worker;
  }

  /**
   * @param {boolean} [running]
   * @param {number} [timeoutMs]
   */
  async function waitForServiceWorker(running = true, timeoutMs = 5_000) {
    await waitFor(async () => (await isServiceWorkerRunning()) === running, timeoutMs, `the service worker to be ${running ? 'running' : 'stopped'}`);
  }

  async function stopServiceWorker() {
    // A worker stopped while still installing is restarted by Chrome to finish the install.
    await waitFor(isSettled, 10_000, 'the service worker to finish installing');
    for (const target of attachedWorkerTargets) {
      const worker = await target.worker().catch(() => null);
      await worker?.client.detach().catch(() => undefined);
    }
    attachedWorkerTargets.clear();
    const session = await controlSession();
    for (const v of await ourVersions()) {
      if (v.runningStatus !== 'stopped') await session.send('ServiceWorker.stopWorker', { versionId: v.versionId });
    }
    await waitFor(
      async () => (await ourVersions()).every((v) => v.runningStatus === 'stopped') && !browser.targets().some(isThisWorker),
      10_000,
      'the service worker to stop',
    );
  }

  /**
   * @param {Page} page
   * @returns {Page}
   */
  function watch(page) {
    page.on('pageerror', (err) => {
      pageErrors.push({ url: page.url(), message: err instanceof Error ? err.message : String(err) });
    });
    return page;
  }

  /**
   * @param {PortalId | string} portalId
   * @param {string} [path]
   */
  async function openPortal(portalId, path = '/') {
    const host = isPortalId(portalId) ? PORTAL_HOST[portalId] : portalId;
    const page = watch(await browser.newPage());
    const response = await page.goto(`https://${host}${path.startsWith('/') ? path : `/${path}`}`, { waitUntil: 'load' });
    if (response && !response.ok()) throw new Error(`${page.url()} answered ${response.status()}`);
    return page;
  }

  /** @param {string} path */
  async function openExtensionPage(path) {
    const page = watch(await browser.newPage());
    await page.goto(`${origin}/${path.replace(/^\//, '')}`, { waitUntil: 'load' });
    return page;
  }

  /**
   * Runs in the extension's control tab. Must not create the database: indexedDB.open() on a
   * missing name would make an empty version-1 database that the extension's Dexie then upgrades.
   * @param {string} dbName
   * @param {string} storeName
   * @returns {Promise<string>}
   */
  const readStoreInContext = async (dbName, storeName) => {
    const names = (await indexedDB.databases()).map((d) => d.name);
    if (!names.includes(dbName)) return '[]';
    /** @type {IDBDatabase | null} */
    const db = await new Promise((ok, fail) => {
      const req = indexedDB.open(dbName);
      req.onupgradeneeded = () => req.transaction?.abort(); // deleted meanwhile: do not create it
      req.onsuccess = () => ok(req.result);
      req.onerror = () => (req.error?.name === 'AbortError' ? ok(null) : fail(req.error));
    });
    if (!db) return '[]';
    try {
      if (!db.objectStoreNames.contains(storeName)) return '[]';
      const rows = await new Promise((ok, fail) => {
        const req = db.transaction(storeName, 'readonly').objectStore(storeName).getAll();
        req.onsuccess = () => ok(req.result);
        req.onerror = () => fail(req.error);
      });
      return JSON.stringify(rows);
    } finally {
      db.close();
    }
  };

  /**
   * @param {string} storeName
   * @param {{ dbName?: string }} [opts]
   * @returns {Promise<unknown[]>}
   */
  async function readStore(storeName, opts = {}) {
    const dbName = opts.dbName ?? EXTENSION_DB_NAME;
    // Always from the control tab: same origin as the worker, works whether it runs or not, and
    // leaves its lifetime and any WebWorker a test holds alone.
    const json = await (await controlTab()).page.evaluate(readStoreInContext, dbName, storeName);
    const rows = JSON.parse(json);
    return Array.isArray(rows) ? rows : [];
  }

  let closed = false;
  async function close() {
    if (closed) return;
    closed = true;
    try {
      await Promise.race([browser.close(), sleep(5_000).then(() => browser.process()?.kill('SIGKILL'))]);
    } finally {
      exitCleanups.delete(killSync);
      if (ownsProfile) await rm(userDataDir, { recursive: true, force: true, maxRetries: 3 });
      if (snapshotDir) await rm(snapshotDir, { recursive: true, force: true });
    }
  }

  try {
    // Hand over a settled extension: tests that stop the worker or seed storage right after launch
    // would otherwise race its installation.
    await waitFor(isSettled, 10_000, 'the extension service worker to install and activate');
  } catch (err) {
    await close();
    throw err;
  }

  return {
    browser,
    extensionId,
    userDataDir,
    extensionPath: snapshotDir ?? sourcePath,
    pageErrors,
    serviceWorker,
    isServiceWorkerRunning,
    waitForServiceWorker,
    openPortal,
    openExtensionPage,
    stopServiceWorker,
    readStore,
    close,
  };
}
