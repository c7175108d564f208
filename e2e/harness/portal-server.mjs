// One local HTTPS server for every portal simulator. The browser maps the real portal hostnames to
// it (see browser.mjs); here requests are routed by their Host header to the simulator registered
// for that host: the simulator's `handle` (its API) first, then its static files.
import { createServer } from 'node:https';
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname, join, resolve, sep } from 'node:path';
import { getPortalCert } from './certs.mjs';
import { PORTAL_HOST, isPortalId } from './portals.mjs';

/** @import { IncomingMessage, ServerResponse } from 'node:http' */

/**
 * What a simulator's `handle` gets besides the request.
 * @typedef {object} SimContext
 * @property {() => Promise<void>} latency Waits the server's configured random API latency
 *   (resolves at once when none is set). Simulators call it in their API handlers.
 * @property {string} host The Host the request was addressed to (no port).
 * @property {PortalServer} server The server, e.g. to read its request log.
 */

/**
 * @callback SimHandler
 * @param {IncomingMessage} req
 * @param {ServerResponse} res
 * @param {URL} url Full request URL (`https://<host><path>`).
 * @param {SimContext} ctx
 * @returns {Promise<boolean> | boolean} true when it answered; false lets static files try.
 */

/**
 * A portal simulator. `host` defaults to the real hostname when `id` is a portal id.
 * @typedef {object} Simulator
 * @property {string} id Portal id (boming, guohui, …) or another name for a non-portal host.
 * @property {string} [host]
 * @property {string} [staticDir] Absolute directory of the simulator's pages and assets.
 * @property {SimHandler} [handle]
 */

/**
 * @typedef {object} Latency
 * @property {number} minMs
 * @property {number} maxMs
 */

/**
 * @typedef {object} RequestRecord
 * @property {number} at Date.now() when it arrived.
 * @property {string} host
 * @property {string} method
 * @property {string} path Path and query.
 * @property {number} status Final status (0 while unanswered).
 */

/**
 * @typedef {object} PortalServerOptions
 * @property {Simulator[]} [simulators]
 * @property {Record<string, string>} [vendor] Extra shared files: name → absolute path, served on
 *   every host as `/__vendor/<name>`.
 * @property {Latency | null} [latency] Random per-API-call latency (see SimContext.latency).
 */

/**
 * @typedef {object} PortalServer
 * @property {number} port Ephemeral port on 127.0.0.1.
 * @property {(hostOrId: string, path?: string) => string} url The URL the browser uses,
 *   e.g. url('boming', '/#/cashier') → `https://bmsy.51fmfit.com/#/cashier`.
 * @property {(id: string, sim: Simulator | null) => void} setSimulator Adds, replaces or (null)
 *   removes the simulator registered under `id`.
 * @property {(latency: Latency | null) => void} setLatency
 * @property {RequestRecord[]} requests Every request received, oldest first.
 * @property {Error[]} errors Exceptions thrown by simulator handlers (answered with 500).
 * @property {() => Promise<void>} close Stops listening and drops open connections.
 */

const require = createRequire(import.meta.url);

/** Shared vendor files every simulator page can load from `/__vendor/`. */
/** @type {Readonly<Record<string, string>>} */
export const DEFAULT_VENDOR = Object.freeze({
  'vue.js': require.resolve('vue/dist/vue.global.prod.js'),
  'element-plus.js': require.resolve('element-plus/dist/index.full.min.js'),
  'element-plus.css': require.resolve('element-plus/dist/index.css'),
});

/** @type {Readonly<Record<string, string>>} */
const CONTENT_TYPES = Object.freeze({
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
});

/**
 * @param {string} path
 * @returns {string}
 */
export function contentTypeFor(path) {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Answers with JSON (utf-8, no caching).
 * @param {ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
export function sendJson(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/**
 * Reads the whole request body as utf-8 text.
 * @param {IncomingMessage} req
 * @returns {Promise<string>}
 */
export async function readBody(req) {
  /** @type {Buffer[]} */
  const chunks = [];
  for await (const chunk of req) chunks.push(/** @type {Buffer} */ (chunk));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Reads a JSON body (`undefined` when empty). Form bodies are the simulator's business.
 * @param {IncomingMessage} req
 * @returns {Promise<unknown>}
 */
export async function readJson(req) {
  const text = await readBody(req);
  return text === '' ? undefined : JSON.parse(text);
}

/**
 * @param {Simulator} sim
 * @returns {string}
 */
function hostOf(sim) {
  if (sim.host) return sim.host.toLowerCase();
  if (isPortalId(sim.id)) return PORTAL_HOST[sim.id];
  throw new Error(`simulator "${sim.id}" is not a portal id and has no host`);
}

/**
 * @param {Latency | null | undefined} latency
 * @returns {Latency | null}
 */
function checkLatency(latency) {
  if (!latency) return null;
  const { minMs, maxMs } = latency;
  if (!(minMs >= 0 && maxMs >= minMs)) throw new Error(`bad latency ${JSON.stringify(latency)}`);
  return { minMs, maxMs };
}

/**
 * Starts the HTTPS server on 127.0.0.1 with an ephemeral port.
 * @param {PortalServerOptions} [options]
 * @returns {Promise<PortalServer>}
 */
export async function startPortalServer(options = {}) {
  const { key, cert } = await getPortalCert();
  /** @type {Map<string, Simulator>} id → simulator */
  const byId = new Map();
  /** @type {Map<string, Simulator>} host → simulator */
  const byHost = new Map();
  const vendor = { ...DEFAULT_VENDOR, ...options.vendor };
  /** Vendor files are big (element-plus ~1 MB) and never change during a run: read once. */
  /** @type {Map<string, Promise<Buffer>>} */
  const vendorCache = new Map();
  let latency = checkLatency(options.latency);

  /** @param {string} id @param {Simulator | null} sim */
  function setSimulator(id, sim) {
    const old = byId.get(id);
    if (old) {
      byId.delete(id);
      byHost.delete(hostOf(old));
    }
    if (!sim) return;
    if (sim.id !== id) throw new Error(`setSimulator("${id}") given simulator "${sim.id}"`);
    const host = hostOf(sim);
    const clash = byHost.get(host);
    if (clash) throw new Error(`host ${host} already served by simulator "${clash.id}"`);
    byId.set(id, sim);
    byHost.set(host, sim);
  }
  for (const sim of options.simulators ?? []) setSimulator(sim.id, sim);

  /** @type {RequestRecord[]} */
  const requests = [];
  /** @type {Error[]} */
  const errors = [];

  /** @type {SimContext['latency']} */
  function waitLatency() {
    if (!latency) return Promise.resolve();
    const ms = latency.minMs + Math.random() * (latency.maxMs - latency.minMs);
    return new Promise((r) => setTimeout(r, ms));
  }

  const httpsServer = createServer({ key, cert }, (req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    /** @type {RequestRecord} */
    const record = { at: Date.now(), host, method: req.method ?? 'GET', path: req.url ?? '/', status: 0 };
    requests.push(record);
    res.on('finish', () => {
      record.status = res.statusCode;
    });
    route(req, res, host).catch((err) => {
      const error = err instanceof Error ? err : new Error(String(err));
      errors.push(error);
      if (!res.headersSent) sendJson(res, 500, { error: error.message });
      else res.destroy(error);
    });
  });

  /**
   * @param {IncomingMessage} req
   * @param {ServerResponse} res
   * @param {string} host
   */
  async function route(req, res, host) {
    const url = new URL(req.url ?? '/', `https://${host || 'unknown.invalid'}`);
    if (url.pathname.startsWith('/__vendor/')) {
      await serveVendor(req, res, decodeURIComponent(url.pathname.slice('/__vendor/'.length)));
      return;
    }
    const sim = byHost.get(host);
    if (!sim) {
      // 421: this server is not authoritative for that host (only mapped hosts should arrive).
      sendJson(res, 421, { error: `no simulator for host "${host}"` });
      return;
    }
    if (sim.handle && (await sim.handle(req, res, url, { latency: waitLatency, host, server }))) return;
    if (res.headersSent || res.writableEnded) return;
    if (sim.staticDir && (req.method === 'GET' || req.method === 'HEAD')) {
      await serveStatic(req, res, sim.staticDir, url.pathname);
      return;
    }
    sendJson(res, 404, { error: `not found: ${req.method} ${url.pathname}` });
  }

  /**
   * @param {IncomingMessage} req
   * @param {ServerResponse} res
   * @param {string} name
   */
  async function serveVendor(req, res, name) {
    const path = Object.hasOwn(vendor, name) ? vendor[name] : undefined;
    if (!path) {
      sendJson(res, 404, { error: `no vendor file "${name}"` });
      return;
    }
    let body = vendorCache.get(path);
    if (!body) {
      body = readFile(path);
      vendorCache.set(path, body);
    }
    // Cacheable: with the SPKI allow-list the certificate counts as valid, so Chromium's HTTP cache
    // keeps these across page loads within a browser run.
    send(req, res, 200, contentTypeFor(path), await body, 'public, max-age=3600');
  }

  /**
   * Static files; `/` and extension-less unknown paths get index.html (SPA / history routing).
   * @param {IncomingMessage} req
   * @param {ServerResponse} res
   * @param {string} staticDir
   * @param {string} pathname
   */
  async function serveStatic(req, res, staticDir, pathname) {
    const root = resolve(staticDir);
    let rel;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      sendJson(res, 400, { error: 'bad path encoding' });
      return;
    }
    const target = resolve(root, `.${rel}`);
    if (target !== root && !target.startsWith(root + sep)) {
      sendJson(res, 403, { error: 'outside the simulator directory' });
      return;
    }
    /** @type {string | undefined} */
    let file;
    const st = await stat(target).catch(() => undefined);
    if (st?.isFile()) file = target;
    else if (st?.isDirectory()) file = join(target, 'index.html');
    else if (extname(target) === '') file = join(root, 'index.html');
    const body = file ? await readFile(file).catch(() => undefined) : undefined;
    if (!file || !body) {
      sendJson(res, 404, { error: `not found: ${pathname}` });
      return;
    }
    send(req, res, 200, contentTypeFor(file), body, 'no-store');
  }

  /**
   * @param {IncomingMessage} req
   * @param {ServerResponse} res
   * @param {number} status
   * @param {string} contentType
   * @param {Buffer} body
   * @param {string} cacheControl
   */
  function send(req, res, status, contentType, body, cacheControl) {
    res.writeHead(status, {
      'content-type': contentType,
      'content-length': body.length,
      'cache-control': cacheControl,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  await new Promise((/** @type {(v?: unknown) => void} */ ok, fail) => {
    httpsServer.once('error', fail);
    httpsServer.listen(0, '127.0.0.1', () => ok());
  });
  const address = httpsServer.address();
  if (!address || typeof address === 'string') throw new Error('portal server has no TCP address');

  /** @type {PortalServer} */
  const server = {
    port: address.port,
    url(hostOrId, path = '/') {
      const host = isPortalId(hostOrId) ? PORTAL_HOST[hostOrId] : (byId.get(hostOrId)?.host ?? hostOrId);
      return `https://${host}${path.startsWith('/') ? path : `/${path}`}`;
    },
    setSimulator,
    setLatency(l) {
      latency = checkLatency(l);
    },
    requests,
    errors,
    close() {
      return new Promise((ok) => {
        httpsServer.close(() => ok());
        // Keep-alive sockets from the browser would hold close() open otherwise.
        httpsServer.closeAllConnections();
      });
    },
  };
  return server;
}
