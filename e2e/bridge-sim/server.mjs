// Simulator of the Yingke bridge (../../../shared/spec/yingke-bridge.md), for the unit and
// end-to-end tests. Plain Node 20 (node:http, node:crypto), no dependencies, loopback only.
// See README.md next to this file for what it checks, the fault modes and the control endpoints.
import { createServer } from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Providers the bridge accepts (= the portal ids, providers/registry.ts). */
export const PROVIDERS = ['boming', 'guohui', 'yuanfu', 'ruyitong', 'huiyika'];
export const FAIL_MODES = [
  'status500', 'status503', 'status429', 'timeout', 'loseAnswer', 'conflict409', 'unauthorized401',
  // revision 2: answers that cannot be verified
  /** processes the request for real (may record) but answers without a signature */
  'unsigned',
  /** an impostor: answers 201 with a plausible body, unsigned, records nothing */
  'impostor',
  /** answers 201 signed with another key, records nothing */
  'wrongSignature',
];

const MAX_SKEW_MS = 5 * 60 * 1000;
const MAX_BODY_BYTES = 64 * 1024;
const STORE_OFFSET_MS = 8 * 60 * 60 * 1000;
const ALLOWED_HEADERS = 'Content-Type, Idempotency-Key, X-TB-Store, X-TB-Timestamp, X-TB-Signature';

const BODY_FIELDS = [
  'tenderId', 'kind', 'storeCode', 'cashierId', 'orderNo', 'provider', 'paymentMethodId', 'paymentMethodName',
  'amountFen', 'cashFen', 'vendorOrderNo', 'settledAt', 'cardMasked', 'refundOf', 'deviceId',
];
const REQUIRED_STRINGS = ['storeCode', 'cashierId', 'orderNo', 'paymentMethodName', 'vendorOrderNo'];
const ISO_WITH_OFFSET = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/**
 * @typedef {object} TenderBody The POST body (see the spec).
 * @property {string} tenderId
 * @property {'sale'|'refund'} kind
 * @property {string} storeCode
 * @property {string} cashierId
 * @property {string} orderNo
 * @property {string} provider
 * @property {number} paymentMethodId
 * @property {string} paymentMethodName
 * @property {number} amountFen
 * @property {number} cashFen
 * @property {string} vendorOrderNo
 * @property {string} settledAt
 * @property {string} [cardMasked]
 * @property {string} [refundOf]
 * @property {string} [deviceId] the till that posted it (revision 2)
 */
/** @typedef {TenderBody & { voucherNo: string, recordedAt: string }} RecordedTender */
/**
 * @typedef {object} CallRecord
 * @property {string} method
 * @property {string} path Path and query as received.
 * @property {number} status Status answered; 0 when no answer was sent (held, lost, client gone).
 * @property {string|null} idempotencyKey
 * @property {number} at Simulator clock when it arrived.
 * @property {string} [fault] The injected fault mode that handled it.
 * @property {string} [code] The error code answered, if any.
 */
/**
 * @typedef {object} FailMatch Which requests a queued fault applies to (default: POST /api/v1/tenders).
 * @property {string} [method] 'POST', 'GET' or '*'.
 * @property {string} [path] Path prefix, e.g. '/api/v1/tickets/'; '*' for any /api/v1 path.
 */

/** 'YYYY-MM-DDTHH:mm:ss+08:00' (store time, as Yingke speaks it). */
function storeIso(ms) {
  const d = new Date(ms + STORE_OFFSET_MS);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}T${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}+08:00`;
}

/** The +08:00 calendar day of an ISO-8601 time with offset. */
function storeDayOf(iso) {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? '' : storeIso(ms).slice(0, 10);
}

/** The same rule as shared/mask.ts isMasked, plus "at least one '*'". */
function isMasked(value) {
  return /^[^*]{0,6}\*+[^*]{0,4}$/.test(value);
}

const isText = (value) => typeof value === 'string' && value.length > 0;
const isInt = (value) => typeof value === 'number' && Number.isSafeInteger(value);
const isTenderId = (value) => typeof value === 'string' && /^[\x21-\x7e]{10,64}$/.test(value);

/** Canonical JSON (sorted keys) of the body fields: "the same body" whatever the key order. */
function canonical(body) {
  const out = {};
  for (const key of [...BODY_FIELDS].sort()) if (body[key] !== undefined) out[key] = body[key];
  return JSON.stringify(out);
}

/**
 * Validates a POST body per the spec. Returns null when valid, or { code, message } for a 422.
 * @param {unknown} body
 */
export function validateTenderBody(body) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { code: 'INVALID_BODY', message: 'body must be a JSON object' };
  const b = /** @type {Record<string, unknown>} */ (body);
  const unknown = Object.keys(b).find((key) => !BODY_FIELDS.includes(key));
  if (unknown) return { code: 'UNKNOWN_FIELD', message: `unknown field: ${unknown}` };
  const missing = ['tenderId', 'kind', 'provider', 'paymentMethodId', 'amountFen', 'cashFen', 'settledAt', ...REQUIRED_STRINGS].find((key) => b[key] === undefined);
  if (missing) return { code: 'MISSING_FIELD', message: `missing field: ${missing}` };
  if (!isTenderId(b.tenderId)) return { code: 'INVALID_TENDER_ID', message: 'tenderId must be a string of 10–64 characters' };
  if (b.kind !== 'sale' && b.kind !== 'refund') return { code: 'INVALID_KIND', message: 'kind must be "sale" or "refund"' };
  for (const key of REQUIRED_STRINGS) if (!isText(b[key])) return { code: 'INVALID_FIELD', message: `${key} must be a non-empty string` };
  if (!PROVIDERS.includes(/** @type {string} */ (b.provider))) return { code: 'UNKNOWN_PROVIDER', message: `unknown provider: ${String(b.provider)}` };
  if (!isInt(b.paymentMethodId)) return { code: 'INVALID_PAYMENT_METHOD', message: 'paymentMethodId must be an integer' };
  if (!isInt(b.amountFen) || b.amountFen < 1) return { code: 'INVALID_AMOUNT', message: 'amountFen must be an integer ≥ 1' };
  if (!isInt(b.cashFen) || b.cashFen < 0) return { code: 'INVALID_AMOUNT', message: 'cashFen must be an integer ≥ 0' };
  if (typeof b.settledAt !== 'string' || !ISO_WITH_OFFSET.test(b.settledAt) || Number.isNaN(Date.parse(b.settledAt))) {
    return { code: 'INVALID_TIME', message: 'settledAt must be ISO-8601 with an offset' };
  }
  if (b.cardMasked !== undefined && (typeof b.cardMasked !== 'string' || !isMasked(b.cardMasked))) {
    return { code: 'CARD_NOT_MASKED', message: 'cardMasked may show at most the first 6 and last 4 characters, the rest "*"' };
  }
  if (b.kind === 'refund' && b.refundOf === undefined) return { code: 'REFUND_OF_REQUIRED', message: 'refundOf is required for a refund' };
  if (b.kind === 'sale' && b.refundOf !== undefined) return { code: 'REFUND_OF_NOT_ALLOWED', message: 'refundOf is only for a refund' };
  if (b.refundOf !== undefined && !isTenderId(b.refundOf)) return { code: 'INVALID_REFUND_OF', message: 'refundOf must be a tenderId' };
  if (b.deviceId !== undefined && (typeof b.deviceId !== 'string' || b.deviceId.length < 1 || b.deviceId.length > 64)) {
    return { code: 'INVALID_DEVICE_ID', message: 'deviceId must be 1–64 characters' };
  }
  return null;
}

/**
 * Starts the simulator on 127.0.0.1 (reached as http://localhost:PORT).
 * @param {{ stores?: Record<string, string>, port?: number, now?: () => number }} [options]
 *   stores: store code → secret; now: the simulator's clock (for skew tests).
 */
export async function startBridgeSimulator({ stores = { S0012: 'secret' }, port = 0, now = Date.now } = {}) {
  /** @type {Map<string, { body: TenderBody, canonical: string, voucherNo: string, recordedAt: string }>} */
  const tenders = new Map();
  /** @type {CallRecord[]} */
  let calls = [];
  /** @type {{ mode: string, method: string, path: string, retryAfter?: string }[]} */
  let faults = [];
  /** deviceId → seq → head (revision 2 audit heads) */
  const heads = new Map();
  /** 'down': every /api/v1 connection is dropped before an answer (the bridge cannot be reached) */
  let down = false;
  /** @type {Map<string, object>} */
  const tickets = new Map();
  /** held ('timeout') requests, released on reset/close */
  const held = new Set();
  let sequence = 0;
  let preflights = 0;

  const nextVoucher = () => `YKV${String(++sequence).padStart(8, '0')}`;

  function record(body, voucherNo, recordedAt) {
    const entry = { body: { ...body }, canonical: canonical(body), voucherNo, recordedAt };
    tenders.set(body.tenderId, entry);
    return entry;
  }

  const publicTender = (entry) => ({ ...entry.body, voucherNo: entry.voucherNo, recordedAt: entry.recordedAt });

  function takeFault(method, path) {
    const index = faults.findIndex(
      (f) => (f.method === '*' || f.method === method) && (f.path === '*' ? path.startsWith('/api/v1/') : path.startsWith(f.path)),
    );
    if (index < 0) return undefined;
    const [fault] = faults.splice(index, 1);
    return fault;
  }

  function releaseHeld() {
    for (const res of held) res.socket?.destroy();
    held.clear();
  }

  /** CORS per revision 2: the request's Origin (or *), and the answer signature readable by the extension. */
  function setCors(req, res, preflight) {
    const origin = req.headers.origin;
    res.setHeader('Access-Control-Allow-Origin', typeof origin === 'string' && origin !== '' ? origin : '*');
    if (typeof origin === 'string' && origin !== '') res.setHeader('Vary', 'Origin');
    if (preflight) {
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', '600');
      if (req.headers['access-control-request-private-network'] === 'true') res.setHeader('Access-Control-Allow-Private-Network', 'true');
    } else {
      res.setHeader('Access-Control-Expose-Headers', 'X-TB-Timestamp, X-TB-Signature');
    }
  }

  /**
   * Answers; signed (revision 2) when the request named a known store and carried a signature,
   * unless `call.signing` says otherwise ('none' for unsigned faults, 'wrong' for an impostor's key).
   */
  function send(res, call, status, payload, extraHeaders = {}) {
    call.status = status;
    if (payload && typeof payload === 'object' && 'error' in payload) call.code = payload.error.code;
    const text = payload === undefined ? '' : JSON.stringify(payload);
    const signHeaders = {};
    if (call.secret !== undefined && call.requestSignature !== undefined && call.signing !== 'none') {
      const timestamp = String(Math.floor(now()));
      const key = call.signing === 'wrong' ? `${call.secret}-impostor` : call.secret;
      signHeaders['X-TB-Timestamp'] = timestamp;
      signHeaders['X-TB-Signature'] = createHmac('sha256', key)
        .update(Buffer.concat([Buffer.from(`${timestamp}\n${status}\n${call.requestSignature}\n`, 'utf8'), Buffer.from(text, 'utf8')]))
        .digest('hex');
    }
    res.writeHead(status, {
      ...(payload === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8' }),
      'Cache-Control': 'no-store',
      ...signHeaders,
      ...extraHeaders,
    });
    res.end(text);
  }

  const fail = (code, message) => ({ error: { code, message } });

  function readBody(req) {
    return new Promise((resolve, reject) => {
      const chunks = [];
      let size = 0;
      req.on('data', (chunk) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          reject(Object.assign(new Error('body too large'), { tooLarge: true }));
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });
  }

  /** null when the request is signed right; otherwise the 401 code and message. */
  function authenticate(req, method, rawPath, rawBody) {
    const store = req.headers['x-tb-store'];
    const timestamp = req.headers['x-tb-timestamp'];
    const signature = req.headers['x-tb-signature'];
    if (typeof store !== 'string' || !Object.hasOwn(stores, store)) return { code: 'UNKNOWN_STORE', message: 'unknown store' };
    if (typeof timestamp !== 'string' || !/^\d{1,16}$/.test(timestamp)) return { code: 'BAD_TIMESTAMP', message: 'X-TB-Timestamp must be Unix milliseconds' };
    if (Math.abs(now() - Number(timestamp)) > MAX_SKEW_MS) return { code: 'CLOCK_SKEW', message: 'clock differs from the bridge by more than 5 minutes' };
    if (typeof signature !== 'string' || !/^[0-9a-f]{64}$/.test(signature)) return { code: 'BAD_SIGNATURE', message: 'signature missing or malformed' };
    const expected = createHmac('sha256', stores[store])
      .update(Buffer.concat([Buffer.from(`${timestamp}\n${method}\n${rawPath}\n`, 'utf8'), rawBody]))
      .digest('hex');
    if (!timingSafeEqual(Buffer.from(expected, 'ascii'), Buffer.from(signature, 'ascii'))) return { code: 'BAD_SIGNATURE', message: 'signature does not match' };
    return null;
  }

  /** POST /api/v1/tenders after authentication. `lose`: record, then drop the connection. */
  function postTender(req, res, call, store, rawBody, lose) {
    let body;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return send(res, call, 400, fail('BAD_JSON', 'body is not JSON'));
    }
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || key === '') return send(res, call, 400, fail('MISSING_IDEMPOTENCY_KEY', 'Idempotency-Key header is required'));
    const invalid = validateTenderBody(body);
    if (invalid) return send(res, call, 422, fail(invalid.code, invalid.message));
    if (key !== body.tenderId) return send(res, call, 400, fail('IDEMPOTENCY_KEY_MISMATCH', 'Idempotency-Key must equal tenderId'));
    if (body.storeCode !== store) return send(res, call, 422, fail('STORE_MISMATCH', 'storeCode differs from X-TB-Store'));

    const existing = tenders.get(body.tenderId);
    let status;
    let entry;
    if (existing) {
      if (existing.canonical !== canonical(body)) {
        return send(res, call, 409, fail('IDEMPOTENCY_MISMATCH', 'this tenderId was recorded with a different body'));
      }
      status = 200;
      entry = existing;
    } else {
      if (body.kind === 'sale') {
        const other = [...tenders.values()].find(
          (t) => t.body.kind === 'sale' && t.body.storeCode === body.storeCode && t.body.orderNo === body.orderNo,
        );
        if (other) return send(res, call, 409, fail('ORDER_ALREADY_TENDERED', `order ${body.orderNo} already has a sale tender (${other.voucherNo})`));
      }
      status = 201;
      entry = record(body, nextVoucher(), storeIso(now()));
    }
    if (lose) {
      call.status = 0;
      res.socket?.destroy();
      return;
    }
    send(res, call, status, { tenderId: entry.body.tenderId, voucherNo: entry.voucherNo, recordedAt: entry.recordedAt });
  }

  async function handleControl(req, res, call, url, rawBody) {
    let input = {};
    if (req.method === 'POST' && rawBody.length > 0) {
      try {
        input = JSON.parse(rawBody.toString('utf8'));
      } catch {
        return send(res, call, 400, fail('BAD_JSON', 'body is not JSON'));
      }
    }
    try {
      switch (`${req.method} ${url.pathname}`) {
        case 'GET /__control/state':
          return send(res, call, 200, { tenders: api.tenders(), calls: api.calls(), pendingFaults: faults.map((f) => ({ ...f })), preflights, down });
        case 'POST /__control/fail':
          api.failNext(input.mode, input.count ?? 1, { method: input.method, path: input.path, retryAfter: input.retryAfter });
          return send(res, call, 200, { ok: true, pendingFaults: faults.length });
        case 'POST /__control/down':
          api.setDown(input.down === true);
          return send(res, call, 200, { ok: true, down });
        case 'POST /__control/reset':
          api.reset();
          return send(res, call, 200, { ok: true });
        case 'POST /__control/ticket':
          api.setTicket(input.orderNo, input.ticket ?? null);
          return send(res, call, 200, { ok: true });
        case 'POST /__control/seed':
          return send(res, call, 200, { tenders: api.seedTenders(input.tenders ?? []) });
        default:
          return send(res, call, 404, fail('NOT_FOUND', 'no such control endpoint'));
      }
    } catch (error) {
      return send(res, call, 400, fail('BAD_CONTROL', error instanceof Error ? error.message : String(error)));
    }
  }

  async function handle(req, res) {
    const method = req.method ?? 'GET';
    const rawPath = req.url ?? '/';
    const url = new URL(rawPath, 'http://localhost');
    const key = req.headers['idempotency-key'];
    /** @type {CallRecord} */
    const call = { method, path: rawPath, status: 0, idempotencyKey: typeof key === 'string' ? key : null, at: now() };
    setCors(req, res, method === 'OPTIONS');

    if (method === 'OPTIONS') {
      // preflight (the X-TB-* headers are not CORS-safelisted); Chrome's private-network check too
      preflights += 1;
      return send(res, call, 204, undefined);
    }

    let rawBody;
    try {
      rawBody = await readBody(req);
    } catch (error) {
      calls.push(call);
      if (error && typeof error === 'object' && 'tooLarge' in error) return send(res, call, 413, fail('TOO_LARGE', 'body too large'));
      return;
    }

    if (url.pathname.startsWith('/__control/')) return handleControl(req, res, call, url, rawBody);

    calls.push(call);
    if (!url.pathname.startsWith('/api/v1/')) return send(res, call, 404, fail('NOT_FOUND', 'no such endpoint'));
    if (down) {
      call.fault = 'down';
      res.socket?.destroy();
      return;
    }
    // who would sign the answer: the store's secret and the request's signature (revision 2)
    const storeHeader = req.headers['x-tb-store'];
    const signatureHeader = req.headers['x-tb-signature'];
    if (typeof storeHeader === 'string' && Object.hasOwn(stores, storeHeader) && typeof signatureHeader === 'string') {
      call.secret = stores[storeHeader];
      call.requestSignature = signatureHeader;
    }

    const queued = takeFault(method, url.pathname);
    const fault = queued?.mode;
    if (fault) call.fault = fault;
    switch (fault) {
      case 'status500':
        return send(res, call, 500, fail('INTERNAL', 'simulated internal error'));
      case 'status503':
        return send(res, call, 503, fail('UNAVAILABLE', 'simulated: Yingke unavailable'), { 'Retry-After': queued?.retryAfter ?? '1' });
      case 'status429':
        return send(res, call, 429, fail('TOO_MANY_REQUESTS', 'simulated rate limit'), { 'Retry-After': queued?.retryAfter ?? '1' });
      case 'impostor':
      case 'wrongSignature': {
        call.signing = fault === 'impostor' ? 'none' : 'wrong';
        const tenderId = typeof key === 'string' ? key : 'unknown-tender';
        return send(res, call, 201, { tenderId, voucherNo: 'FAKE00000001', recordedAt: storeIso(now()) });
      }
      case 'unsigned':
        call.signing = 'none';
        break;
      case 'timeout':
        held.add(res);
        res.on('close', () => held.delete(res));
        return;
      case 'unauthorized401':
        return send(res, call, 401, fail('BAD_SIGNATURE', 'simulated: signature refused'));
      default:
        break;
    }

    const denied = authenticate(req, method, rawPath, rawBody);
    if (denied) {
      // UNKNOWN_STORE: the bridge has no secret to sign with
      if (denied.code === 'UNKNOWN_STORE') call.signing = 'none';
      return send(res, call, 401, fail(denied.code, denied.message));
    }
    const store = /** @type {string} */ (req.headers['x-tb-store']);

    if (fault === 'conflict409') return send(res, call, 409, fail('ORDER_ALREADY_TENDERED', 'simulated: order already tendered'));
    const tenderPost = method === 'POST' && url.pathname === '/api/v1/tenders';
    if (fault === 'loseAnswer' && !tenderPost) {
      res.socket?.destroy();
      return;
    }

    if (url.pathname === '/api/v1/tenders') {
      if (tenderPost) return postTender(req, res, call, store, rawBody, fault === 'loseAnswer');
      if (method === 'GET') {
        const date = url.searchParams.get('date') ?? '';
        if (!DATE.test(date)) return send(res, call, 400, fail('BAD_DATE', 'date must be YYYY-MM-DD'));
        const list = [...tenders.values()]
          .filter((t) => t.body.storeCode === store && storeDayOf(t.recordedAt) === date)
          .sort((a, b) => Date.parse(a.recordedAt) - Date.parse(b.recordedAt) || (a.voucherNo < b.voucherNo ? -1 : 1))
          .map(publicTender);
        return send(res, call, 200, { tenders: list });
      }
      return send(res, call, 405, fail('METHOD_NOT_ALLOWED', 'GET or POST'), { Allow: 'GET, POST, OPTIONS' });
    }
    if (url.pathname.startsWith('/api/v1/tenders/')) {
      if (method !== 'GET') return send(res, call, 405, fail('METHOD_NOT_ALLOWED', 'GET only'), { Allow: 'GET, OPTIONS' });
      const tenderId = decodeURIComponent(url.pathname.slice('/api/v1/tenders/'.length));
      const entry = tenders.get(tenderId);
      return entry && entry.body.storeCode === store
        ? send(res, call, 200, publicTender(entry))
        : send(res, call, 404, fail('TENDER_NOT_FOUND', `no tender ${tenderId}`));
    }
    if (url.pathname === '/api/v1/audit-heads') {
      if (method === 'POST') {
        let head;
        try {
          head = JSON.parse(rawBody.toString('utf8'));
        } catch {
          return send(res, call, 400, fail('BAD_JSON', 'body is not JSON'));
        }
        const valid = head && typeof head === 'object' && typeof head.deviceId === 'string' && head.deviceId.length >= 1 && head.deviceId.length <= 64
          && Number.isSafeInteger(head.seq) && head.seq >= 1 && typeof head.hash === 'string' && /^[0-9a-f]{64}$/.test(head.hash)
          && typeof head.at === 'string' && ISO_WITH_OFFSET.test(head.at);
        if (!valid) return send(res, call, 422, fail('INVALID_HEAD', 'deviceId, seq ≥ 1, hash (hex SHA-256) and at (ISO-8601 with offset) are required'));
        const perDevice = heads.get(head.deviceId) ?? new Map();
        heads.set(head.deviceId, perDevice);
        const existing = perDevice.get(head.seq);
        if (existing) {
          if (existing.hash !== head.hash) return send(res, call, 409, fail('HEAD_CONFLICT', `seq ${head.seq} was sent with another hash`));
          return send(res, call, 200, { deviceId: head.deviceId, seq: head.seq, receivedAt: existing.receivedAt });
        }
        const receivedAt = storeIso(now());
        perDevice.set(head.seq, { deviceId: head.deviceId, seq: head.seq, hash: head.hash, at: head.at, receivedAt, store });
        return send(res, call, 201, { deviceId: head.deviceId, seq: head.seq, receivedAt });
      }
      if (method === 'GET') {
        const deviceId = url.searchParams.get('deviceId') ?? '';
        const list = [...(heads.get(deviceId)?.values() ?? [])]
          .filter((h) => h.store === store)
          .sort((a, b) => b.seq - a.seq)
          .slice(0, 100)
          .map(({ store: _store, ...head }) => head);
        return send(res, call, 200, { heads: list });
      }
      return send(res, call, 405, fail('METHOD_NOT_ALLOWED', 'GET or POST'), { Allow: 'GET, POST, OPTIONS' });
    }
    if (url.pathname.startsWith('/api/v1/tickets/')) {
      if (method !== 'GET') return send(res, call, 405, fail('METHOD_NOT_ALLOWED', 'GET only'), { Allow: 'GET, OPTIONS' });
      let orderNo;
      try {
        orderNo = decodeURIComponent(url.pathname.slice('/api/v1/tickets/'.length));
      } catch {
        return send(res, call, 400, fail('BAD_ORDER_NO', 'order number is not valid percent-encoding'));
      }
      const ticket = tickets.get(orderNo);
      return ticket ? send(res, call, 200, ticket) : send(res, call, 404, fail('TICKET_NOT_FOUND', `no ticket ${orderNo}`));
    }
    if (url.pathname === '/api/v1/health') {
      if (method !== 'GET') return send(res, call, 405, fail('METHOD_NOT_ALLOWED', 'GET only'), { Allow: 'GET, OPTIONS' });
      return send(res, call, 200, { ok: true });
    }
    return send(res, call, 404, fail('NOT_FOUND', 'no such endpoint'));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8', 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'X-TB-Timestamp, X-TB-Signature' });
        res.end(JSON.stringify(fail('SIMULATOR_BUG', error instanceof Error ? error.message : String(error))));
      } else {
        res.destroy();
      }
    });
  });
  server.keepAliveTimeout = 1000;

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(undefined);
    });
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;

  const api = {
    port: boundPort,
    url: `http://localhost:${boundPort}`,
    /** @returns {RecordedTender[]} in the order they were recorded (seeded ones included) */
    tenders: () => [...tenders.values()].map(publicTender),
    /** @returns {CallRecord[]} every request but preflights and control calls, oldest first */
    calls: () => calls.map((c) => ({ ...c })),
    /**
     * Queues `count` faults of `mode` for the next matching requests (default POST /api/v1/tenders).
     * @param {string} mode one of FAIL_MODES
     * @param {number} [count]
     * @param {FailMatch & { retryAfter?: string }} [match] retryAfter: the Retry-After of a 429/503
     */
    failNext(mode, count = 1, match = {}) {
      if (!FAIL_MODES.includes(mode)) throw new Error(`unknown fail mode: ${mode}`);
      if (!Number.isInteger(count) || count < 1) throw new Error('count must be a positive integer');
      const method = (match.method ?? 'POST').toUpperCase();
      const path = match.path ?? '/api/v1/tenders';
      for (let i = 0; i < count; i++) faults.push({ mode, method, path, ...(match.retryAfter !== undefined ? { retryAfter: String(match.retryAfter) } : {}) });
    },
    /** Drops the faults still queued; keeps everything recorded (a test that needs the bridge's memory). */
    clearFaults() {
      faults = [];
    },
    /** down = true: every /api/v1 connection is dropped until set back (the bridge is unreachable). */
    setDown(value) {
      down = value === true;
    },
    /** how many CORS preflights were answered */
    preflights: () => preflights,
    /** audit heads held for a device, newest first */
    heads: (deviceId) => [...(heads.get(deviceId)?.values() ?? [])].sort((a, b) => b.seq - a.seq),
    /** Sets (or with null removes) the ticket GET /api/v1/tickets/{orderNo} answers. */
    setTicket(orderNo, ticket) {
      if (typeof orderNo !== 'string' || orderNo === '') throw new Error('orderNo required');
      if (ticket === null || ticket === undefined) tickets.delete(orderNo);
      else tickets.set(orderNo, { ...ticket, orderNo });
    },
    /**
     * Tenders Yingke already holds (e.g. recorded by hand): a body plus optional voucherNo and
     * recordedAt (default: a new voucher, now). Not validated beyond a tenderId, on purpose.
     * @param {(Partial<RecordedTender> & { tenderId: string })[]} list
     * @returns {RecordedTender[]}
     */
    seedTenders(list) {
      if (!Array.isArray(list)) throw new Error('seedTenders takes an array');
      return list.map((item) => {
        if (!item || typeof item.tenderId !== 'string') throw new Error('each seeded tender needs a tenderId');
        const body = {};
        for (const key of BODY_FIELDS) if (item[key] !== undefined) body[key] = item[key];
        return publicTender(record(body, item.voucherNo ?? nextVoucher(), item.recordedAt ?? storeIso(now())));
      });
    },
    /** Forgets tenders, calls, faults and tickets; releases held requests. */
    reset() {
      tenders.clear();
      tickets.clear();
      calls = [];
      faults = [];
      heads.clear();
      down = false;
      preflights = 0;
      sequence = 0;
      releaseHeld();
    },
    /** Releases held requests and stops the server. */
    close() {
      releaseHeld();
      return new Promise((resolve) => {
        server.close(() => resolve(undefined));
        server.closeAllConnections();
      });
    },
  };
  return api;
}

// `node e2e/bridge-sim/server.mjs [port]` runs it standalone (store S0012, secret "secret").
if (import.meta.url === `file://${process.argv[1]}`) {
  const sim = await startBridgeSimulator({ port: Number(process.argv[2] ?? 8787) });
  console.log(`bridge simulator on ${sim.url} (store S0012, secret "secret")`);
}
