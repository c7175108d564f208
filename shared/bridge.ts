/**
 * Client of the Yingke bridge (../shared/spec/yingke-bridge.md): posts tenders (下账), looks up
 * tickets, lists what Yingke holds for a day, and checks health.
 *
 * Runs in the MV3 service worker and in Node 20 (tests): global `fetch`, `crypto.subtle`,
 * `TextEncoder`, `AbortController` only. Money is integer fen throughout.
 *
 * Every request is signed: X-TB-Signature = lowercase hex HMAC-SHA256(secret,
 * `<timestamp>\n<METHOD>\n<path with query>\n<body or empty>`), where the path is the full
 * pathname + search of the URL as sent (a base URL may carry a path prefix).
 *
 * postTender never throws for anything the bridge or the network does: it answers a PostOutcome
 * the outbox can act on. It throws a BridgeError only for a caller's mistake, before anything is
 * sent (a body that fails TenderBodySchema), and createBridgeClient throws one for unusable
 * settings (no secret, a base URL that is not http(s), a store code that cannot be a header).
 */
import { z } from 'zod';
import { PORTAL_IDS } from '@/providers/registry';
import { isMasked } from '@/shared/core/mask';

/** Provider ids the bridge accepts: exactly the portal ids. */
export const PROVIDER_IDS = PORTAL_IDS;

// ---------------------------------------------------------------------------------------------
// Schemas

/** A tenderId goes into the Idempotency-Key header too, so it is visible ASCII without spaces. */
const TENDER_ID = /^[\x21-\x7e]{10,64}$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const CARD_MASKED_MAX_LENGTH = 64;

const nonEmpty = z.string().min(1);
const tenderIdSchema = z.string().regex(TENDER_ID, 'tenderId must be 10–64 visible ASCII characters');
/** ISO-8601 with an offset ("+08:00" or "Z"); a local time without one is refused. */
const isoWithOffset = z.iso.datetime({ offset: true });

/** At most the first 6 and last 4 characters visible, the rest (at least one) '*'. */
const cardMaskedSchema = z
  .string()
  .min(1)
  .max(CARD_MASKED_MAX_LENGTH)
  .refine((value) => value.includes('*') && isMasked(value), {
    message: 'cardMasked must show at most the first 6 and last 4 characters, the rest "*"',
  });

const tenderShape = {
  tenderId: tenderIdSchema,
  kind: z.enum(['sale', 'refund']),
  storeCode: nonEmpty,
  cashierId: nonEmpty,
  orderNo: nonEmpty,
  provider: z.enum(PROVIDER_IDS),
  /** Yingke payment-method id; 0 means "not set" in the settings, so never posted. */
  paymentMethodId: z.int().min(1),
  paymentMethodName: nonEmpty,
  amountFen: z.int().min(1),
  cashFen: z.int().min(0),
  vendorOrderNo: nonEmpty,
  settledAt: isoWithOffset,
  cardMasked: cardMaskedSchema.optional(),
  refundOf: tenderIdSchema.optional(),
  /** which till (browser profile) captured it (revision 2) */
  deviceId: z.string().min(1).max(64).optional(),
};

type RefundFields = { kind: 'sale' | 'refund'; refundOf?: string | undefined };

/** refundOf is required for a refund and refused on a sale. */
function checkRefundOf(value: RefundFields, ctx: z.RefinementCtx): void {
  if (value.kind === 'refund' && value.refundOf === undefined) {
    ctx.addIssue({ code: 'custom', path: ['refundOf'], message: 'refundOf is required when kind is "refund"' });
  }
  if (value.kind === 'sale' && value.refundOf !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['refundOf'], message: 'refundOf is only for kind "refund"' });
  }
}

/** Exactly the POST /api/v1/tenders body: unknown keys are refused. */
export const TenderBodySchema = z.strictObject(tenderShape).superRefine(checkRefundOf);
export type TenderBody = z.infer<typeof TenderBodySchema>;

/** 201 / 200 answer to a POST. */
export const TenderRecordedSchema = z.object({
  tenderId: tenderIdSchema,
  voucherNo: nonEmpty,
  recordedAt: isoWithOffset,
});
export type TenderRecorded = z.infer<typeof TenderRecordedSchema>;

/** Every 4xx answer: `{"error":{"code","message"}}`. */
export const BridgeErrorSchema = z.object({
  error: z.object({
    code: nonEmpty,
    message: z.string().default(''),
  }),
});
export type BridgeErrorBody = z.infer<typeof BridgeErrorSchema>;

/** GET /api/v1/tickets/{orderNo}: the YK1 ticket's fields plus each goods name. */
export const BridgeTicketSchema = z.object({
  store: nonEmpty,
  orderNo: nonEmpty,
  issuedAt: isoWithOffset,
  totalFen: z.int().min(0),
  items: z.array(
    z.object({
      code: nonEmpty,
      qty: z.int().min(1),
      unitFen: z.int().min(0),
      name: z.string(),
    }),
  ),
});
export type BridgeTicket = z.infer<typeof BridgeTicketSchema>;

/** One entry of GET /api/v1/tenders: the POST body plus what Yingke recorded. */
export const BridgeTenderSchema = z
  .object({ ...tenderShape, voucherNo: nonEmpty, recordedAt: isoWithOffset })
  .superRefine(checkRefundOf);
export type BridgeTender = z.infer<typeof BridgeTenderSchema>;

export const BridgeTenderListSchema = z.object({ tenders: z.array(BridgeTenderSchema) });
export type BridgeTenderList = z.infer<typeof BridgeTenderListSchema>;

// ---------------------------------------------------------------------------------------------
// Outcomes and errors

/**
 * What one POST came to. `recorded`: mark posted. `rejected` (400, 422, or any status the
 * contract does not name): do not retry, flag for a supervisor. `unauthorized` (401): do not
 * retry until the settings change. `conflict` (409): do not retry, flag for a supervisor.
 * `retry` (429, 408, 5xx, time-out, network error, or a 200/201 that is not a valid answer for
 * this tenderId): keep it in the outbox; the Idempotency-Key makes the re-post safe.
 */
export type PostOutcome =
  | { kind: 'recorded'; status: 200 | 201; voucherNo: string; recordedAt: string; durationMs: number }
  | { kind: 'rejected'; status: number; code: string; message: string; durationMs: number }
  | { kind: 'unauthorized'; status: 401; code: string; message: string; durationMs: number }
  | {
      kind: 'conflict';
      status: 409;
      code: 'ORDER_ALREADY_TENDERED' | 'IDEMPOTENCY_MISMATCH' | (string & {});
      message: string;
      durationMs: number;
    }
  | {
      kind: 'retry';
      reason: RetryReason;
      status?: number;
      message: string;
      durationMs: number;
      /** from a Retry-After header (seconds or an HTTP date), when the bridge sent one */
      retryAfterMs?: number;
    };
/** 'unverified': an answer without a valid signature (revision 2) counts as no answer at all. */
export type RetryReason = 'status' | 'timeout' | 'network' | 'bad_answer' | 'unverified';

export type BridgeErrorReason =
  /** unusable client settings (thrown by createBridgeClient) */
  | 'config'
  /** the caller's request was refused before sending (invalid tender body, order number, date) */
  | 'invalid'
  /** 401 */
  | 'unauthorized'
  /** any other unexpected status */
  | 'status'
  | 'timeout'
  | 'network'
  /** a 200 whose body is not what the contract says */
  | 'bad_answer'
  /** an answer unsigned, wrongly signed or signed too far from our clock: no answer at all */
  | 'unverified';

export class BridgeError extends Error {
  override readonly name = 'BridgeError';
  constructor(
    readonly reason: BridgeErrorReason,
    message: string,
    readonly status?: number,
    /** the bridge's error code, or INVALID_TENDER / CONFIG for local refusals */
    readonly code?: string,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------
// Signing

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

export interface SignInput {
  secret: string;
  /** Unix time in milliseconds, as sent in X-TB-Timestamp */
  timestamp: number | string;
  method: string;
  /** the URL's pathname + search exactly as sent, e.g. "/yk/api/v1/tenders?date=2025-03-28" */
  pathWithQuery: string;
  /** the exact body string sent; '' (or undefined) when none */
  body?: string;
}

/** Lowercase hex HMAC-SHA256 of `${timestamp}\n${METHOD}\n${pathWithQuery}\n${body}` (UTF-8). */
export async function signRequest({ secret, timestamp, method, pathWithQuery, body = '' }: SignInput): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const message = `${timestamp}\n${method.toUpperCase()}\n${pathWithQuery}\n${body}`;
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(message)));
  let hex = '';
  for (const byte of mac) hex += HEX[byte];
  return hex;
}

/** The bridge's answer signature (revision 2): `<timestamp>\n<status>\n<request signature>\n<body>`. */
export async function signAnswer(input: { secret: string; timestamp: number | string; status: number; requestSignature: string; body: string }): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', encoder.encode(input.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const message = `${input.timestamp}\n${input.status}\n${input.requestSignature}\n${input.body}`;
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(message)));
  let hex = '';
  for (const byte of mac) hex += HEX[byte];
  return hex;
}

/** How far an answer's timestamp may be from our clock. */
export const ANSWER_MAX_SKEW_MS = 5 * 60_000;

// ---------------------------------------------------------------------------------------------
// Client

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface BridgeClientOptions {
  /** e.g. "http://192.168.1.10:8080" or "https://bridge.example/yk/" (prefix and trailing slash allowed) */
  baseUrl: string;
  storeCode: string;
  secret: string;
  fetch?: FetchLike;
  /** clock for X-TB-Timestamp and durations (ms) */
  now?: () => number;
  /** per request, including reading the answer; the spec's 10 s by default */
  timeoutMs?: number;
}

/** GET /api/v1/tenders/{tenderId}: the tender as recorded, 'absent' (a signed 404), or why we cannot tell. */
export type TenderLookup =
  | { kind: 'found'; tender: BridgeTender }
  | { kind: 'absent' }
  | { kind: 'unknown'; reason: RetryReason | 'unauthorized' | 'rejected'; message: string };

export const AuditHeadSchema = z.object({
  deviceId: z.string().min(1).max(64),
  seq: z.int().min(1),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  at: isoWithOffset,
});
export type AuditHead = z.infer<typeof AuditHeadSchema>;
export const AuditHeadListSchema = z.object({
  heads: z.array(AuditHeadSchema.extend({ receivedAt: isoWithOffset })),
});
export type AuditHeadPost = { kind: 'created' | 'same' } | { kind: 'conflict'; message: string };

export interface BridgeClient {
  postTender(body: TenderBody): Promise<PostOutcome>;
  /** Posts a frozen body byte for byte (the outbox's retries): the text must be a valid tender. */
  postTenderText(text: string): Promise<PostOutcome>;
  /** Was this tender recorded? Never throws for what the bridge or network does. */
  getTender(tenderId: string): Promise<TenderLookup>;
  /** POST /api/v1/audit-heads. Throws BridgeError when it cannot tell. */
  postAuditHead(head: AuditHead): Promise<AuditHeadPost>;
  /** GET /api/v1/audit-heads?deviceId=…, newest first. Throws BridgeError on failure. */
  listAuditHeads(deviceId: string): Promise<z.infer<typeof AuditHeadListSchema>['heads']>;
  /** The ticket, or null when the bridge answers 404. Throws BridgeError otherwise. */
  getTicket(orderNo: string): Promise<BridgeTicket | null>;
  /** What Yingke holds for this store on `date` (YYYY-MM-DD). Throws BridgeError on failure. */
  listTenders(date: string): Promise<BridgeTender[]>;
  /** true only for a signed 200 {"ok":true}; false for anything else (never throws). */
  health(): Promise<boolean>;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** A header value: visible ASCII (fetch refuses anything else). */
const HEADER_SAFE = /^[\x21-\x7e]+$/;

type Exchange =
  | { ok: true; status: number; text: string; headers: Headers; durationMs: number; verified: boolean }
  | { ok: false; reason: 'timeout' | 'network'; message: string; durationMs: number };

function parseJson(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    return value;
  } catch {
    return undefined;
  }
}

/** "fetch failed: connect ECONNREFUSED 10.0.0.5:8080" rather than just "fetch failed". */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  return cause instanceof Error && cause.message && cause.message !== error.message ? `${error.message}: ${cause.message}` : error.message;
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
}

/** code + message of a 4xx answer; a body that is not the contract's error shape still yields something. */
function errorOf(status: number, text: string): { code: string; message: string } {
  const parsed = BridgeErrorSchema.safeParse(parseJson(text));
  if (parsed.success) return { code: parsed.data.error.code, message: parsed.data.error.message || parsed.data.error.code };
  return { code: `HTTP_${status}`, message: text.trim().slice(0, 200) || `HTTP ${status}` };
}

function retryAfterMs(headers: Headers, now: number): number | undefined {
  const value = headers.get('Retry-After');
  if (value === null) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || (status >= 500 && status <= 599);
}

export function createBridgeClient(options: BridgeClientOptions): BridgeClient {
  const { storeCode, secret } = options;
  const fetchImpl: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  let base: URL;
  try {
    base = new URL(options.baseUrl);
  } catch {
    throw new BridgeError('config', `bridge base URL is not a URL: ${options.baseUrl}`, undefined, 'CONFIG');
  }
  if ((base.protocol !== 'http:' && base.protocol !== 'https:') || base.search !== '' || base.hash !== '') {
    throw new BridgeError('config', 'bridge base URL must be http(s) without query or fragment', undefined, 'CONFIG');
  }
  if (!HEADER_SAFE.test(storeCode)) throw new BridgeError('config', 'store code is not set', undefined, 'CONFIG');
  if (secret === '') throw new BridgeError('config', 'bridge secret is not set', undefined, 'CONFIG');
  if (!(timeoutMs > 0)) throw new BridgeError('config', 'timeoutMs must be positive', undefined, 'CONFIG');
  const prefix = base.pathname.replace(/\/+$/, '');

  /** Resolves "/api/v1/…" under the base URL's path prefix. */
  function urlFor(path: string): URL {
    return new URL(`${base.origin}${prefix}${path}`);
  }

  /** Only the bridge knows the store secret: an answer not signed with it may be anyone's. */
  async function answerIsSigned(status: number, headers: Headers, requestSignature: string, text: string): Promise<boolean> {
    const timestamp = headers.get('X-TB-Timestamp');
    const signature = headers.get('X-TB-Signature');
    if (timestamp === null || signature === null || !/^\d{1,16}$/.test(timestamp)) return false;
    if (Math.abs(now() - Number(timestamp)) > ANSWER_MAX_SKEW_MS) return false;
    const expected = await signAnswer({ secret, timestamp, status, requestSignature, body: text });
    if (expected.length !== signature.length) return false;
    let diff = 0;
    for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ signature.charCodeAt(i);
    return diff === 0;
  }

  async function exchange(method: 'GET' | 'POST', url: URL, body?: string, extraHeaders: Record<string, string> = {}): Promise<Exchange> {
    const started = now();
    const pathWithQuery = url.pathname + url.search;
    const timestamp = String(Math.floor(now()));
    const signature = await signRequest({ secret, timestamp, method, pathWithQuery, body: body ?? '' });
    const headers: Record<string, string> = {
      'X-TB-Store': storeCode,
      'X-TB-Timestamp': timestamp,
      'X-TB-Signature': signature,
      ...extraHeaders,
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    try {
      const response = await fetchImpl(url.href, {
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        signal: controller.signal,
        // a redirected POST would silently turn into a GET: see it as the status it is
        redirect: 'manual',
        cache: 'no-store',
        credentials: 'omit',
      });
      const text = await response.text();
      const verified = await answerIsSigned(response.status, response.headers, signature, text);
      return { ok: true, status: response.status, text, headers: response.headers, durationMs: now() - started, verified };
    } catch (error) {
      const durationMs = now() - started;
      if (timedOut) return { ok: false, reason: 'timeout', message: `no answer within ${timeoutMs} ms`, durationMs };
      return { ok: false, reason: 'network', message: describeError(error), durationMs };
    } finally {
      clearTimeout(timer);
    }
  }

  async function postTender(input: TenderBody): Promise<PostOutcome> {
    const parsed = TenderBodySchema.safeParse(input);
    if (!parsed.success) {
      throw new BridgeError('invalid', `invalid tender: ${describeIssues(parsed.error)}`, undefined, 'INVALID_TENDER');
    }
    return postTenderText(JSON.stringify(parsed.data));
  }

  async function postTenderText(body: string): Promise<PostOutcome> {
    const parsed = TenderBodySchema.safeParse(parseJson(body));
    if (!parsed.success) {
      throw new BridgeError('invalid', `invalid tender: ${describeIssues(parsed.error)}`, undefined, 'INVALID_TENDER');
    }
    const tender = parsed.data;
    const answer = await exchange('POST', urlFor('/api/v1/tenders'), body, { 'Idempotency-Key': tender.tenderId });
    if (!answer.ok) return { kind: 'retry', reason: answer.reason, message: answer.message, durationMs: answer.durationMs };

    const { status, text, durationMs } = answer;
    // 401 UNKNOWN_STORE cannot be signed, and any 401 only stops us sending: safe to believe.
    if (!answer.verified && status !== 401) {
      return { kind: 'retry', reason: 'unverified', status, message: `answer ${status} is not signed by the bridge`, durationMs };
    }
    if (status === 200 || status === 201) {
      const recorded = TenderRecordedSchema.safeParse(parseJson(text));
      if (!recorded.success) {
        return { kind: 'retry', reason: 'bad_answer', status, message: `unexpected answer: ${describeIssues(recorded.error)}`, durationMs };
      }
      if (recorded.data.tenderId !== tender.tenderId) {
        return {
          kind: 'retry',
          reason: 'bad_answer',
          status,
          message: `answer is for tender ${recorded.data.tenderId}, not ${tender.tenderId}`,
          durationMs,
        };
      }
      return { kind: 'recorded', status, voucherNo: recorded.data.voucherNo, recordedAt: recorded.data.recordedAt, durationMs };
    }
    if (isRetryableStatus(status)) {
      const after = retryAfterMs(answer.headers, now());
      const { message } = errorOf(status, text);
      return { kind: 'retry', reason: 'status', status, message, durationMs, ...(after !== undefined ? { retryAfterMs: after } : {}) };
    }
    const { code, message } = errorOf(status, text);
    if (status === 401) return { kind: 'unauthorized', status, code, message, durationMs };
    if (status === 409) return { kind: 'conflict', status, code, message, durationMs };
    // 400, 422, and anything the contract does not name (3xx, 403, 404, 413, 2xx other than 200/201…)
    return { kind: 'rejected', status, code, message, durationMs };
  }

  /** GET with the common failure handling; `null` for 404 when allowed. */
  async function getJson(url: URL, allowNotFound: boolean): Promise<unknown> {
    const answer = await exchange('GET', url);
    if (!answer.ok) throw new BridgeError(answer.reason, answer.message);
    if (!answer.verified && answer.status !== 401) throw new BridgeError('unverified', `answer ${answer.status} is not signed by the bridge`, answer.status);
    if (answer.status === 404 && allowNotFound) return null;
    if (answer.status !== 200) {
      const { code, message } = errorOf(answer.status, answer.text);
      throw new BridgeError(answer.status === 401 ? 'unauthorized' : 'status', message, answer.status, code);
    }
    const json = parseJson(answer.text);
    if (json === undefined) throw new BridgeError('bad_answer', 'answer is not JSON', answer.status);
    return json;
  }

  async function getTicket(orderNo: string): Promise<BridgeTicket | null> {
    if (orderNo === '') throw new BridgeError('invalid', 'order number is empty', undefined, 'INVALID_ORDER_NO');
    const json = await getJson(urlFor(`/api/v1/tickets/${encodeURIComponent(orderNo)}`), true);
    if (json === null) return null;
    const ticket = BridgeTicketSchema.safeParse(json);
    if (!ticket.success) throw new BridgeError('bad_answer', `unexpected ticket: ${describeIssues(ticket.error)}`, 200);
    if (ticket.data.orderNo !== orderNo) {
      throw new BridgeError('bad_answer', `asked for ticket ${orderNo}, got ${ticket.data.orderNo}`, 200);
    }
    return ticket.data;
  }

  async function listTenders(date: string): Promise<BridgeTender[]> {
    if (!DATE.test(date)) throw new BridgeError('invalid', `not a YYYY-MM-DD date: ${date}`, undefined, 'INVALID_DATE');
    const json = await getJson(urlFor(`/api/v1/tenders?date=${date}`), false);
    const list = BridgeTenderListSchema.safeParse(json);
    if (!list.success) throw new BridgeError('bad_answer', `unexpected tender list: ${describeIssues(list.error)}`, 200);
    return list.data.tenders;
  }

  async function getTender(tenderId: string): Promise<TenderLookup> {
    if (!TENDER_ID.test(tenderId)) throw new BridgeError('invalid', 'not a tenderId', undefined, 'INVALID_TENDER_ID');
    const answer = await exchange('GET', urlFor(`/api/v1/tenders/${encodeURIComponent(tenderId)}`));
    if (!answer.ok) return { kind: 'unknown', reason: answer.reason, message: answer.message };
    if (!answer.verified) return { kind: 'unknown', reason: answer.status === 401 ? 'unauthorized' : 'unverified', message: `answer ${answer.status} is not signed by the bridge` };
    if (answer.status === 404) return { kind: 'absent' };
    if (answer.status === 200) {
      const tender = BridgeTenderSchema.safeParse(parseJson(answer.text));
      if (!tender.success || tender.data.tenderId !== tenderId) return { kind: 'unknown', reason: 'bad_answer', message: 'unexpected tender answer' };
      return { kind: 'found', tender: tender.data };
    }
    const { code, message } = errorOf(answer.status, answer.text);
    if (answer.status === 401) return { kind: 'unknown', reason: 'unauthorized', message: `${code}: ${message}` };
    if (isRetryableStatus(answer.status)) return { kind: 'unknown', reason: 'status', message: `${code}: ${message}` };
    return { kind: 'unknown', reason: 'rejected', message: `${code}: ${message}` };
  }

  async function postAuditHead(head: AuditHead): Promise<AuditHeadPost> {
    const body = JSON.stringify(AuditHeadSchema.parse(head));
    const answer = await exchange('POST', urlFor('/api/v1/audit-heads'), body);
    if (!answer.ok) throw new BridgeError(answer.reason, answer.message);
    if (!answer.verified) throw new BridgeError('unverified', `answer ${answer.status} is not signed by the bridge`, answer.status);
    if (answer.status === 201) return { kind: 'created' };
    if (answer.status === 200) return { kind: 'same' };
    const { code, message } = errorOf(answer.status, answer.text);
    if (answer.status === 409) return { kind: 'conflict', message: `${code}: ${message}` };
    throw new BridgeError(answer.status === 401 ? 'unauthorized' : 'status', message, answer.status, code);
  }

  async function listAuditHeads(deviceId: string) {
    const json = await getJson(urlFor(`/api/v1/audit-heads?deviceId=${encodeURIComponent(deviceId)}`), false);
    const list = AuditHeadListSchema.safeParse(json);
    if (!list.success) throw new BridgeError('bad_answer', `unexpected audit heads: ${describeIssues(list.error)}`, 200);
    return list.data.heads;
  }

  async function health(): Promise<boolean> {
    const answer = await exchange('GET', urlFor('/api/v1/health'));
    if (!answer.ok || !answer.verified || answer.status !== 200) return false;
    const json = parseJson(answer.text);
    return typeof json === 'object' && json !== null && 'ok' in json && json.ok === true;
  }

  return { postTender, postTenderText, getTender, postAuditHead, listAuditHeads, getTicket, listTenders, health };
}
