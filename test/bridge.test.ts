import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BridgeError,
  BridgeTenderListSchema,
  createBridgeClient,
  signRequest,
  TenderBodySchema,
  type FetchLike,
  type PostOutcome,
  type TenderBody,
} from '@/shared/bridge';
import { startBridgeSimulator as startUntyped } from '../e2e/bridge-sim/server.mjs';

// ---------------------------------------------------------------------------------------------
// The simulator's surface, typed here (it is plain JS)

type FailMode = 'status500' | 'status503' | 'status429' | 'timeout' | 'loseAnswer' | 'conflict409' | 'unauthorized401' | 'unsigned' | 'impostor' | 'wrongSignature';
interface SimCall {
  method: string;
  path: string;
  status: number;
  idempotencyKey: string | null;
  at: number;
  fault?: string;
  code?: string;
}
type SimTender = TenderBody & { voucherNo: string; recordedAt: string };
interface BridgeSim {
  port: number;
  url: string;
  tenders(): SimTender[];
  calls(): SimCall[];
  failNext(mode: FailMode, count?: number, match?: { method?: string; path?: string; retryAfter?: string }): void;
  setDown(down: boolean): void;
  preflights(): number;
  heads(deviceId: string): Array<{ seq: number; hash: string }>;
  setTicket(orderNo: string, ticket: object | null): void;
  seedTenders(list: Array<Partial<SimTender> & { tenderId: string }>): SimTender[];
  reset(): void;
  close(): Promise<void>;
}
const startBridgeSimulator = startUntyped as (options?: {
  stores?: Record<string, string>;
  port?: number;
  now?: () => number;
}) => Promise<BridgeSim>;

// ---------------------------------------------------------------------------------------------

const STORE = 'S0012';
const SECRET = 'secret';

function sale(overrides: Partial<TenderBody> = {}): TenderBody {
  return {
    tenderId: '3f1c2a9e-5b7d-4c1e-9a2b-7d8e9f0a1b2c',
    kind: 'sale',
    storeCode: STORE,
    cashierId: 'C007',
    orderNo: 'XS20250328000123',
    provider: 'ruyitong',
    paymentMethodId: 31,
    paymentMethodName: '如医通',
    amountFen: 12_850,
    cashFen: 0,
    vendorOrderNo: 'RYT20250328101500123',
    settledAt: '2025-03-28T10:15:00+08:00',
    cardMasked: '510104********1234',
    ...overrides,
  } as TenderBody;
}

function expectKind<K extends PostOutcome['kind']>(outcome: PostOutcome, kind: K): Extract<PostOutcome, { kind: K }> {
  expect(outcome.kind, JSON.stringify(outcome)).toBe(kind);
  return outcome as Extract<PostOutcome, { kind: K }>;
}

function hmacHex(secret: string, message: string): string {
  return createHmac('sha256', secret).update(message, 'utf8').digest('hex');
}

/** Signs an answer as the bridge does (revision 2): `<timestamp>\n<status>\n<request signature>\n<body>`. */
async function signAnswerAs(secret: string, init: RequestInit, response: Response, at = Date.now()): Promise<Response> {
  const text = await response.text();
  const requestSignature = (init.headers as Record<string, string>)['X-TB-Signature'] ?? '';
  const headers = new Headers(response.headers);
  headers.set('X-TB-Timestamp', String(at));
  headers.set('X-TB-Signature', hmacHex(secret, `${at}\n${response.status}\n${requestSignature}\n${text}`));
  return new Response(text === '' ? null : text, { status: response.status, headers });
}

/** A fetch double: records what was sent, answers with `answer`, signed with the store secret. */
function fakeFetch(answer: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const sent: Array<{ url: string; init: RequestInit; headers: Record<string, string> }> = [];
  const fetch: FetchLike = async (url, init) => {
    sent.push({ url, init, headers: { ...(init.headers as Record<string, string>) } });
    // answered "at once": the answer's time is the request's
    return signAnswerAs(SECRET, init, await answer(url, init), Number((init.headers as Record<string, string>)['X-TB-Timestamp']));
  };
  return { fetch, sent };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

// ---------------------------------------------------------------------------------------------

describe('signRequest', () => {
  it('is the lowercase hex HMAC-SHA256 of timestamp, METHOD, path with query and body', async () => {
    const body = JSON.stringify(sale());
    const input = { secret: 's3cr3t-密钥', timestamp: 1743128100000, method: 'post', pathWithQuery: '/yk/api/v1/tenders', body };
    const expected = hmacHex('s3cr3t-密钥', `1743128100000\nPOST\n/yk/api/v1/tenders\n${body}`);
    expect(await signRequest(input)).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });

  it('signs an empty body for a GET', async () => {
    const signature = await signRequest({ secret: 'k', timestamp: '1', method: 'GET', pathWithQuery: '/api/v1/tenders?date=2025-03-28' });
    expect(signature).toBe(hmacHex('k', '1\nGET\n/api/v1/tenders?date=2025-03-28\n'));
  });

  it('matches fixed known answers (computed with Python hmac), UTF-8 secret and body included', async () => {
    expect(await signRequest({ secret: 'secret', timestamp: 1743128100000, method: 'GET', pathWithQuery: '/api/v1/health' })).toBe(
      '8fdb3f17a93809fc917ecfe78afea3288ee5e807db5276d28b0e815f05015683',
    );
    const body = '{"paymentMethodName":"博明卡"}';
    expect(await signRequest({ secret: '密钥', timestamp: '1743128100000', method: 'POST', pathWithQuery: '/api/v1/tenders', body })).toBe(
      '92b56989fd5f084bb4a222fb6acfdf45168961c9b07c7c8df17e62a11216829f',
    );
  });
});

describe('TenderBodySchema', () => {
  it('accepts a well-formed sale and refund', () => {
    expect(TenderBodySchema.safeParse(sale()).success).toBe(true);
    expect(TenderBodySchema.safeParse(sale({ kind: 'refund', refundOf: 'aaaaaaaaaa-sale', cardMasked: undefined })).success).toBe(true);
    expect(TenderBodySchema.safeParse(sale({ settledAt: '2025-03-28T02:15:00Z' })).success).toBe(true);
  });

  it.each([
    ['a float amount', { amountFen: 128.5 }],
    ['a zero amount', { amountFen: 0 }],
    ['a negative cash part', { cashFen: -1 }],
    ['a float cash part', { cashFen: 0.5 }],
    ['a float payment-method id', { paymentMethodId: 3.1 }],
    ['an unknown provider', { provider: 'alipay' }],
    ['a short tenderId', { tenderId: 'abc' }],
    ['a tenderId over 64 characters', { tenderId: 'x'.repeat(65) }],
    ['a time without offset', { settledAt: '2025-03-28T10:15:00' }],
    ['a time that is not ISO-8601', { settledAt: '2025-03-28 10:15:00' }],
    ['a full card number', { cardMasked: '6222021234567890' }],
    ['an ID number with 7 leading digits shown', { cardMasked: '5101041*******1234' }],
    ['5 trailing characters shown', { cardMasked: '510104*******01234' }],
    ['a visible run in the middle', { cardMasked: '510104***90***1234' }],
    ['refundOf on a sale', { refundOf: 'aaaaaaaaaa-sale' }],
    ['a refund without refundOf', { kind: 'refund' }],
    ['an empty order number', { orderNo: '' }],
    ['an unknown field', { note: 'x' }],
  ] as const)('refuses %s', (_name, overrides) => {
    const result = TenderBodySchema.safeParse({ ...sale(), ...overrides });
    expect(result.success).toBe(false);
  });

  it('accepts masks with fewer characters shown', () => {
    for (const cardMasked of ['510104********1234', '****1234', '622202******', '**********', '12****78']) {
      expect(TenderBodySchema.safeParse(sale({ cardMasked })).success, cardMasked).toBe(true);
    }
  });
});

describe('createBridgeClient (fetch double)', () => {
  it('refuses an invalid body before sending anything', async () => {
    const { fetch, sent } = fakeFetch(() => json(201, {}));
    const client = createBridgeClient({ baseUrl: 'http://bridge.local', storeCode: STORE, secret: SECRET, fetch });
    const error = await client.postTender({ ...sale(), amountFen: 128.5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BridgeError);
    expect(error).toMatchObject({ reason: 'invalid', code: 'INVALID_TENDER' });
    expect(sent).toHaveLength(0);
  });

  it('signs the exact body it sends, under a base URL with a path prefix and trailing slash', async () => {
    const body = sale();
    const { fetch, sent } = fakeFetch(() => json(201, { tenderId: body.tenderId, voucherNo: 'YKV1', recordedAt: '2025-03-28T10:15:02+08:00' }));
    const client = createBridgeClient({ baseUrl: 'https://bridge.local:8443/yk/bridge/', storeCode: STORE, secret: SECRET, fetch, now: () => 1_743_128_100_000 });
    const outcome = await client.postTender(body);
    expect(expectKind(outcome, 'recorded')).toMatchObject({ status: 201, voucherNo: 'YKV1' });

    const [request] = sent;
    expect(request?.url).toBe('https://bridge.local:8443/yk/bridge/api/v1/tenders');
    expect(request?.init.method).toBe('POST');
    const sentBody = request?.init.body;
    expect(typeof sentBody).toBe('string');
    expect(JSON.parse(sentBody as string)).toEqual(body);
    expect(request?.headers).toEqual({
      'X-TB-Store': STORE,
      'X-TB-Timestamp': '1743128100000',
      'X-TB-Signature': hmacHex(SECRET, `1743128100000\nPOST\n/yk/bridge/api/v1/tenders\n${sentBody as string}`),
      'Idempotency-Key': body.tenderId,
      'Content-Type': 'application/json',
    });
  });

  it('signs the query of a GET and percent-encodes the order number', async () => {
    const { fetch, sent } = fakeFetch((url) => (url.includes('/tickets/') ? json(404, { error: { code: 'TICKET_NOT_FOUND', message: '' } }) : json(200, { tenders: [] })));
    const client = createBridgeClient({ baseUrl: 'http://bridge.local/p', storeCode: STORE, secret: SECRET, fetch, now: () => 5 });
    await client.listTenders('2025-03-28');
    expect(sent[0]?.url).toBe('http://bridge.local/p/api/v1/tenders?date=2025-03-28');
    expect(sent[0]?.headers['X-TB-Signature']).toBe(hmacHex(SECRET, '5\nGET\n/p/api/v1/tenders?date=2025-03-28\n'));
    expect(sent[0]?.headers['Content-Type']).toBeUndefined();

    expect(await client.getTicket('XS 1/2')).toBeNull();
    expect(sent[1]?.url).toBe('http://bridge.local/p/api/v1/tickets/XS%201%2F2');
    expect(sent[1]?.headers['X-TB-Signature']).toBe(hmacHex(SECRET, '5\nGET\n/p/api/v1/tickets/XS%201%2F2\n'));
  });

  it('never marks posted on an answer for another tenderId or an unreadable 2xx', async () => {
    const body = sale();
    const answers = [
      json(201, { tenderId: 'someone-elses-tender', voucherNo: 'YKV9', recordedAt: '2025-03-28T10:15:02+08:00' }),
      new Response('<html>proxy</html>', { status: 200 }),
      json(200, { tenderId: body.tenderId }),
    ];
    const { fetch } = fakeFetch(() => answers.shift() ?? json(500, {}));
    const client = createBridgeClient({ baseUrl: 'http://bridge.local', storeCode: STORE, secret: SECRET, fetch });
    for (let i = 0; i < 3; i++) {
      const outcome = expectKind(await client.postTender(body), 'retry');
      expect(outcome.reason).toBe('bad_answer');
    }
  });

  it('maps statuses to outcomes', async () => {
    const cases: Array<[Response, PostOutcome['kind'], Record<string, unknown>]> = [
      [json(400, { error: { code: 'BAD_JSON', message: 'nope' } }), 'rejected', { status: 400, code: 'BAD_JSON', message: 'nope' }],
      [json(422, { error: { code: 'CARD_NOT_MASKED', message: 'mask it' } }), 'rejected', { status: 422, code: 'CARD_NOT_MASKED' }],
      [new Response('forbidden', { status: 403 }), 'rejected', { status: 403, code: 'HTTP_403' }],
      [new Response(null, { status: 302, headers: { Location: '/elsewhere' } }), 'rejected', { status: 302 }],
      [new Response(null, { status: 204 }), 'rejected', { status: 204 }],
      [json(401, { error: { code: 'CLOCK_SKEW', message: 'skew' } }), 'unauthorized', { status: 401, code: 'CLOCK_SKEW' }],
      [json(409, { error: { code: 'IDEMPOTENCY_MISMATCH', message: 'm' } }), 'conflict', { status: 409, code: 'IDEMPOTENCY_MISMATCH' }],
      [new Response('', { status: 409 }), 'conflict', { status: 409, code: 'HTTP_409' }],
      [json(429, { error: { code: 'SLOW_DOWN', message: 's' } }, { 'Retry-After': '3' }), 'retry', { status: 429, reason: 'status', retryAfterMs: 3000 }],
      [new Response('bad gateway', { status: 502 }), 'retry', { status: 502, reason: 'status' }],
      [new Response('', { status: 503 }), 'retry', { status: 503, reason: 'status' }],
    ];
    for (const [response, kind, fields] of cases) {
      const client = createBridgeClient({ baseUrl: 'http://bridge.local', storeCode: STORE, secret: SECRET, fetch: async (_url, init) => signAnswerAs(SECRET, init, response) });
      const outcome = await client.postTender(sale());
      expect(outcome.kind, `${response.status}`).toBe(kind);
      expect(outcome).toMatchObject(fields);
    }
  });

  it('reports a thrown fetch as a network retry', async () => {
    const client = createBridgeClient({
      baseUrl: 'http://bridge.local',
      storeCode: STORE,
      secret: SECRET,
      fetch: async () => {
        throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 10.0.0.5:8080') });
      },
    });
    const outcome = expectKind(await client.postTender(sale()), 'retry');
    expect(outcome).toMatchObject({ reason: 'network', message: 'fetch failed: connect ECONNREFUSED 10.0.0.5:8080' });
    expect(outcome.status).toBeUndefined();
  });

  it('refuses unusable settings', () => {
    const make = (baseUrl: string, storeCode = STORE, secret = SECRET) => () => createBridgeClient({ baseUrl, storeCode, secret });
    expect(make('')).toThrow(BridgeError);
    expect(make('ftp://bridge.local')).toThrow(BridgeError);
    expect(make('http://bridge.local/?x=1')).toThrow(BridgeError);
    expect(make('http://bridge.local', '')).toThrow(BridgeError);
    expect(make('http://bridge.local', STORE, '')).toThrow(BridgeError);
    expect(make('http://bridge.local')).not.toThrow();
  });
});

describe('createBridgeClient against the bridge simulator', () => {
  let sim: BridgeSim;

  beforeAll(async () => {
    sim = await startBridgeSimulator({ stores: { [STORE]: SECRET, S0099: 'other-secret' } });
  });
  afterEach(() => sim.reset());
  afterAll(async () => {
    await sim.close();
  });

  const client = (options: { secret?: string; now?: () => number; timeoutMs?: number; storeCode?: string } = {}) =>
    createBridgeClient({ baseUrl: sim.url, storeCode: options.storeCode ?? STORE, secret: options.secret ?? SECRET, ...options });

  /** A request signed by hand, for bodies the client itself would refuse. */
  async function rawPost(body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
    const text = JSON.stringify(body);
    const timestamp = String(Date.now());
    const signature = hmacHex(SECRET, `${timestamp}\nPOST\n/api/v1/tenders\n${text}`);
    const key = typeof body === 'object' && body !== null && 'tenderId' in body ? String(body.tenderId) : 'none';
    const response = await fetch(`${sim.url}/api/v1/tenders`, {
      method: 'POST',
      headers: { 'X-TB-Store': STORE, 'X-TB-Timestamp': timestamp, 'X-TB-Signature': signature, 'Idempotency-Key': key, 'Content-Type': 'application/json', ...headers },
      body: text,
    });
    return { status: response.status, json: await response.json() };
  }

  it('is reached as http://localhost and answers health', async () => {
    expect(sim.url).toBe(`http://localhost:${sim.port}`);
    expect(await client().health()).toBe(true);
    expect(await client({ secret: 'wrong' }).health()).toBe(false);
  });

  it('records with 201, then answers an identical retry with 200 and the same voucher', async () => {
    const first = expectKind(await client().postTender(sale()), 'recorded');
    expect(first.status).toBe(201);
    expect(first.voucherNo).toMatch(/^YKV\d+$/);
    expect(first.recordedAt).toMatch(/\+08:00$/);
    const again = expectKind(await client().postTender(sale()), 'recorded');
    expect(again).toMatchObject({ status: 200, voucherNo: first.voucherNo, recordedAt: first.recordedAt });
    expect(sim.tenders()).toHaveLength(1);
    expect(sim.calls().map((c) => [c.status, c.idempotencyKey])).toEqual([
      [201, sale().tenderId],
      [200, sale().tenderId],
    ]);
  });

  it('after a lost answer, the retry lands on the one tender recorded', async () => {
    sim.failNext('loseAnswer');
    const lost = expectKind(await client().postTender(sale()), 'retry');
    expect(lost.reason).toBe('network');
    expect(sim.tenders()).toHaveLength(1);

    const retried = expectKind(await client().postTender(sale()), 'recorded');
    expect(retried.status).toBe(200);
    expect(sim.tenders()).toHaveLength(1);
    expect(retried.voucherNo).toBe(sim.tenders()[0]?.voucherNo);
    expect(sim.calls().map((c) => c.status)).toEqual([0, 200]);
  });

  it('500, 503 and 429 are retries, and nothing is recorded until one succeeds', async () => {
    sim.failNext('status500');
    sim.failNext('status503');
    sim.failNext('status429');
    expect(expectKind(await client().postTender(sale()), 'retry')).toMatchObject({ reason: 'status', status: 500 });
    expect(expectKind(await client().postTender(sale()), 'retry')).toMatchObject({ reason: 'status', status: 503, retryAfterMs: 1000 });
    expect(expectKind(await client().postTender(sale()), 'retry')).toMatchObject({ reason: 'status', status: 429, retryAfterMs: 1000 });
    expect(sim.tenders()).toHaveLength(0);
    expect(expectKind(await client().postTender(sale()), 'recorded').status).toBe(201);
  });

  it('a bridge that does not answer in time is a timeout retry', async () => {
    sim.failNext('timeout');
    const started = Date.now();
    const outcome = expectKind(await client({ timeoutMs: 150 }).postTender(sale()), 'retry');
    expect(outcome.reason).toBe('timeout');
    expect(outcome.durationMs).toBeGreaterThanOrEqual(140);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(sim.tenders()).toHaveLength(0);
    expect(expectKind(await client({ timeoutMs: 2000 }).postTender(sale()), 'recorded').status).toBe(201);
  });

  it('a wrong secret, an unknown store and a skewed clock are 401', async () => {
    const badSecret = expectKind(await client({ secret: 'wrong' }).postTender(sale()), 'unauthorized');
    expect(badSecret.code).toBe('BAD_SIGNATURE');

    const sixMinutes = 6 * 60 * 1000;
    const behind = expectKind(await client({ now: () => Date.now() - sixMinutes }).postTender(sale()), 'unauthorized');
    expect(behind.code).toBe('CLOCK_SKEW');
    const ahead = expectKind(await client({ now: () => Date.now() + sixMinutes }).postTender(sale()), 'unauthorized');
    expect(ahead.code).toBe('CLOCK_SKEW');
    // four minutes off is within the bridge's tolerance
    expectKind(await client({ now: () => Date.now() - 4 * 60 * 1000 }).postTender(sale()), 'recorded');

    const unknown = expectKind(await client({ storeCode: 'S9999' }).postTender(sale({ storeCode: 'S9999' })), 'unauthorized');
    expect(unknown.code).toBe('UNKNOWN_STORE');

    sim.failNext('unauthorized401');
    expectKind(await client().postTender(sale({ tenderId: 'another-tender-0001', orderNo: 'XS2' })), 'unauthorized');
    expect(sim.tenders()).toHaveLength(1);
  });

  it('409 IDEMPOTENCY_MISMATCH for the same tenderId with another body', async () => {
    expectKind(await client().postTender(sale()), 'recorded');
    const conflict = expectKind(await client().postTender(sale({ amountFen: 12_860 })), 'conflict');
    expect(conflict.code).toBe('IDEMPOTENCY_MISMATCH');
    expect(sim.tenders()).toHaveLength(1);
    expect(sim.tenders()[0]?.amountFen).toBe(12_850);
  });

  it('409 ORDER_ALREADY_TENDERED for another sale tender of the same order, including one recorded by hand', async () => {
    expectKind(await client().postTender(sale()), 'recorded');
    const second = expectKind(await client().postTender(sale({ tenderId: 'second-capture-0002', vendorOrderNo: 'RYT-2' })), 'conflict');
    expect(second.code).toBe('ORDER_ALREADY_TENDERED');

    sim.seedTenders([{ ...sale({ tenderId: 'by-hand-0000000003', orderNo: 'XS3' }), voucherNo: 'YKM1', recordedAt: '2025-03-28T11:00:00+08:00' }]);
    const third = expectKind(await client().postTender(sale({ tenderId: 'extension-000000003', orderNo: 'XS3' })), 'conflict');
    expect(third.code).toBe('ORDER_ALREADY_TENDERED');

    // a refund of the order is not a second sale
    const refund = sale({ tenderId: 'refund-000000000001', kind: 'refund', refundOf: sale().tenderId, cardMasked: undefined });
    expectKind(await client().postTender(refund), 'recorded');

    sim.failNext('conflict409');
    expect(expectKind(await client().postTender(sale({ tenderId: 'fresh-000000000004', orderNo: 'XS4' })), 'conflict').code).toBe('ORDER_ALREADY_TENDERED');
    expect(sim.tenders().map((t) => t.tenderId)).toEqual([sale().tenderId, 'by-hand-0000000003', 'refund-000000000001']);
  });

  it('the simulator answers 422 for an unmasked card, a missing refundOf and a float amount', async () => {
    const unmasked = await rawPost({ ...sale(), cardMasked: '510104199001011234' });
    expect(unmasked).toEqual({ status: 422, json: { error: { code: 'CARD_NOT_MASKED', message: expect.any(String) } } });
    const noRefundOf = await rawPost({ ...sale(), kind: 'refund' });
    expect(noRefundOf.status).toBe(422);
    expect(noRefundOf.json).toMatchObject({ error: { code: 'REFUND_OF_REQUIRED' } });
    const float = await rawPost({ ...sale(), amountFen: 128.5 });
    expect(float.json).toMatchObject({ error: { code: 'INVALID_AMOUNT' } });
    const key = await rawPost(sale(), { 'Idempotency-Key': 'not-the-tender-id' });
    expect(key).toMatchObject({ status: 400, json: { error: { code: 'IDEMPOTENCY_KEY_MISMATCH' } } });
    expect(sim.tenders()).toHaveLength(0);
  });

  it('a 422 from the bridge is a rejection the client passes on', async () => {
    // the client's schema and the bridge agree, so make them disagree on the store: the bridge
    // records a store's tenders only under that store's secret
    const outcome = expectKind(await client({ storeCode: 'S0099', secret: 'other-secret' }).postTender(sale()), 'rejected');
    expect(outcome).toMatchObject({ status: 422, code: 'STORE_MISMATCH' });
  });

  it('looks up tickets: found, missing (null), and 401 as a BridgeError', async () => {
    const ticket = {
      store: STORE,
      orderNo: 'XS20250328000123',
      issuedAt: '2025-03-28T10:12:00+08:00',
      totalFen: 12_850,
      items: [{ code: '6901234567892', qty: 2, unitFen: 6_425, name: '感冒灵颗粒' }],
    };
    sim.setTicket(ticket.orderNo, ticket);
    expect(await client().getTicket(ticket.orderNo)).toEqual(ticket);
    expect(await client().getTicket('XS404')).toBeNull();
    const error = await client({ secret: 'wrong' }).getTicket(ticket.orderNo).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BridgeError);
    expect(error).toMatchObject({ reason: 'unauthorized', status: 401, code: 'BAD_SIGNATURE' });

    sim.failNext('status500', 1, { method: 'GET', path: '/api/v1/tickets/' });
    await expect(client().getTicket(ticket.orderNo)).rejects.toMatchObject({ reason: 'status', status: 500 });
  });

  it('lists what Yingke holds for the store on a +08:00 day of recordedAt', async () => {
    const body = (tenderId: string, orderNo: string, storeCode = STORE) => sale({ tenderId, orderNo, storeCode });
    sim.seedTenders([
      { ...body('late-on-the-28th', 'XS1'), recordedAt: '2025-03-28T23:59:59+08:00' },
      { ...body('early-on-the-29th', 'XS2'), recordedAt: '2025-03-29T00:00:00+08:00' },
      { ...body('utc-still-the-28th', 'XS3'), recordedAt: '2025-03-28T15:00:00Z' }, // 23:00 +08:00
      { ...body('other-store-tender', 'XS4', 'S0099'), recordedAt: '2025-03-28T12:00:00+08:00' },
    ]);
    const list = await client().listTenders('2025-03-28');
    expect(list.map((t) => t.tenderId)).toEqual(['utc-still-the-28th', 'late-on-the-28th']);
    expect(BridgeTenderListSchema.safeParse({ tenders: list }).success).toBe(true);
    expect((await client().listTenders('2025-03-29')).map((t) => t.tenderId)).toEqual(['early-on-the-29th']);
    await expect(client().listTenders('28/03/2025')).rejects.toMatchObject({ reason: 'invalid' });
  });

  it('answers CORS preflights with the request origin, and exposes the answer signature', async () => {
    const preflight = await fetch(`${sim.url}/api/v1/tenders`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'chrome-extension://eobdeocgefloaciaacgmcmnlanfnpgek',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,idempotency-key,x-tb-signature,x-tb-store,x-tb-timestamp',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('chrome-extension://eobdeocgefloaciaacgmcmnlanfnpgek');
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('Content-Type, Idempotency-Key, X-TB-Store, X-TB-Timestamp, X-TB-Signature');
    expect(preflight.headers.get('access-control-allow-private-network')).toBeNull();
    const privateNetwork = await fetch(`${sim.url}/api/v1/tenders`, {
      method: 'OPTIONS',
      headers: { Origin: 'chrome-extension://x', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Private-Network': 'true' },
    });
    expect(privateNetwork.headers.get('access-control-allow-private-network')).toBe('true');
    const allowed = (preflight.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    for (const header of ['x-tb-store', 'x-tb-timestamp', 'x-tb-signature', 'idempotency-key', 'content-type']) expect(allowed).toContain(header);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');

    const health = await fetch(`${sim.url}/api/v1/health`);
    expect(health.status).toBe(401);
    expect(health.headers.get('access-control-allow-origin')).toBe('*');
    expect(health.headers.get('access-control-expose-headers')).toBe('X-TB-Timestamp, X-TB-Signature');
  });

  it('can be driven over HTTP from another process', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${sim.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post('/__control/fail', { mode: 'status503', count: 2 })).status).toBe(200);
    expect((await post('/__control/fail', { mode: 'nonsense' })).status).toBe(400);
    expectKind(await client().postTender(sale()), 'retry');
    expectKind(await client().postTender(sale()), 'retry');
    expectKind(await client().postTender(sale()), 'recorded');
    const state = (await (await fetch(`${sim.url}/__control/state`)).json()) as { tenders: SimTender[]; calls: SimCall[] };
    expect(state.tenders.map((t) => t.tenderId)).toEqual([sale().tenderId]);
    expect(state.calls.map((c) => c.status)).toEqual([503, 503, 201]);
    await post('/__control/reset', {});
    expect(sim.tenders()).toHaveLength(0);
  });

  it('an unreachable bridge is a network retry and an unhealthy one', async () => {
    const gone = await startBridgeSimulator();
    const url = gone.url;
    await gone.close();
    const offline = createBridgeClient({ baseUrl: url, storeCode: STORE, secret: SECRET, timeoutMs: 2000 });
    expect(expectKind(await offline.postTender(sale()), 'retry').reason).toBe('network');
    expect(await offline.health()).toBe(false);
  });

  // ------------------------------------------------------------------------------------------
  // Revision 2

  it('signs every answer; the client believes only answers signed with the store secret, within 5 minutes', async () => {
    const body = sale({ deviceId: 'till-a' } as Partial<TenderBody>);
    expect(expectKind(await client().postTender(body), 'recorded').status).toBe(201);
    // the same bridge, a client with another secret: the bridge refuses it (401), and 401 is believed unsigned
    expect(expectKind(await client({ secret: 'wrong' }).postTender(body), 'unauthorized').code).toBe('BAD_SIGNATURE');
    // the bridge's clock is fine, ours is 6 minutes ahead: the bridge refuses the request (skew)
    expect(expectKind(await client({ now: () => Date.now() + 6 * 60_000 }).postTender(body), 'unauthorized').code).toBe('CLOCK_SKEW');
    expect(sim.tenders().map((t) => t.deviceId)).toEqual(['till-a']);
  });

  it('an impostor (unsigned 201), a wrong key and an unsigned real answer are all "no answer": retried', async () => {
    sim.failNext('impostor');
    sim.failNext('wrongSignature');
    sim.failNext('unsigned');
    for (let i = 0; i < 3; i++) {
      const outcome = expectKind(await client().postTender(sale()), 'retry');
      expect(outcome).toMatchObject({ reason: 'unverified', status: 201 });
    }
    // the unsigned one was real: the next (signed) answer is the idempotent 200
    expect(expectKind(await client().postTender(sale()), 'recorded').status).toBe(200);
    expect(sim.tenders()).toHaveLength(1);
  });

  it('an answer replayed for another request does not verify (it is tied to the request signature)', async () => {
    let replay: Response | undefined;
    const recordingFetch: FetchLike = async (url, init) => {
      const answer = await fetch(url, init);
      if (!replay) {
        replay = answer.clone();
        return answer;
      }
      return replay.clone();
    };
    const c = createBridgeClient({ baseUrl: sim.url, storeCode: STORE, secret: SECRET, fetch: recordingFetch });
    expect(expectKind(await c.postTender(sale()), 'recorded').status).toBe(201);
    expect(expectKind(await c.postTender(sale({ tenderId: 'another-tender-0001' })), 'retry').reason).toBe('unverified');
  });

  it('GET /api/v1/tenders/{id}: found, absent (404), unknown when down or unsigned', async () => {
    const body = sale();
    expect(await client().getTender(body.tenderId)).toEqual({ kind: 'absent' });
    await client().postTender(body);
    const found = await client().getTender(body.tenderId);
    expect(found).toMatchObject({ kind: 'found', tender: { tenderId: body.tenderId, voucherNo: 'YKV00000001' } });
    sim.failNext('impostor', 1, { method: 'GET', path: '/api/v1/tenders/' });
    expect(await client().getTender(body.tenderId)).toMatchObject({ kind: 'unknown', reason: 'unverified' });
    sim.setDown(true);
    expect(await client().getTender(body.tenderId)).toMatchObject({ kind: 'unknown', reason: 'network' });
    expect(expectKind(await client().postTender(sale({ tenderId: 'while-down-0001' })), 'retry').reason).toBe('network');
    sim.setDown(false);
    // another store never sees this store's tender
    expect(await client({ storeCode: 'S0099', secret: 'other-secret' }).getTender(body.tenderId)).toEqual({ kind: 'absent' });
  });

  it('429 carries the Retry-After the test asks for', async () => {
    sim.failNext('status429', 1, { retryAfter: '120' });
    expect(expectKind(await client().postTender(sale()), 'retry')).toMatchObject({ status: 429, retryAfterMs: 120_000 });
  });

  it('audit heads: 201 new, 200 same, 409 another hash, lower seq kept; listed newest first', async () => {
    const head = (seq: number, hash = 'a'.repeat(64)) => ({ deviceId: 'till-a', seq, hash, at: '2026-12-07T10:00:00+08:00' });
    expect(await client().postAuditHead(head(5))).toEqual({ kind: 'created' });
    expect(await client().postAuditHead(head(5))).toEqual({ kind: 'same' });
    expect(await client().postAuditHead(head(5, 'b'.repeat(64)))).toMatchObject({ kind: 'conflict', message: expect.stringContaining('HEAD_CONFLICT') });
    expect(await client().postAuditHead(head(3))).toEqual({ kind: 'created' });
    const heads = await client().listAuditHeads('till-a');
    expect(heads.map((h) => h.seq)).toEqual([5, 3]);
    expect(heads[0]).toMatchObject({ deviceId: 'till-a', hash: 'a'.repeat(64) });
    expect(await client({ storeCode: 'S0099', secret: 'other-secret' }).listAuditHeads('till-a')).toEqual([]);
  });
});
