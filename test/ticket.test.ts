import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { z } from 'zod';
import { FullTicketSchema, OrderTicketSchema, TicketErrorCodeSchema, TicketItemSchema, TicketSchema } from '../shared/ticket-schema';
import {
  TICKET_ERROR_CODES,
  crc16CcittFalse,
  encodeTicket,
  isValidGtin,
  issuedAtMs,
  parseTicket,
  type FullTicket,
  type TicketItem,
} from '../shared/ticket';

// The shared contract's vectors live beside the repo (/work/shared locally, shared/ in CI).
const VECTORS_URL = new URL('../../shared/spec/vectors/tickets.json', import.meta.url);

const VectorFileSchema = z.object({
  format: z.literal('YK1'),
  cases: z
    .array(
      z.union([
        z.object({ name: z.string(), input: z.string(), valid: z.literal(true), expected: TicketSchema }),
        z.object({ name: z.string(), input: z.string(), valid: z.literal(false), error: TicketErrorCodeSchema }),
      ]),
    )
    .min(1),
});
const vectors = VectorFileSchema.parse(JSON.parse(readVectors()));

/** The spec's vectors live beside the project (../shared), never copied in: say so when missing. */
function readVectors(): string {
  try {
    return readFileSync(VECTORS_URL, 'utf8');
  } catch (error) {
    throw new Error(`the ticket spec's test vectors are read from ${VECTORS_URL.pathname} (../shared beside this checkout): ${String(error)}`);
  }
}

/** The "two items" vector, as a ticket to vary. */
const SAMPLE: Omit<FullTicket, 'kind'> = {
  store: 'S0012',
  orderNo: 'XS250328000123',
  issuedAt: '2025-03-28T10:15:00+08:00',
  totalFen: 12345,
  items: [
    { code: '6901234567892', qty: 2, unitFen: 3600 },
    { code: '6923456789012', qty: 1, unitFen: 5145 },
  ],
};
const SAMPLE_INPUT =
  'YK1|S0012|XS250328000123|20250328101500|12345|6901234567892,2,3600;6923456789012,1,5145|FAEB';

/** A ticket with a correct CRC whatever its content, so checks after the CRC can be reached. */
function withTicket(changes: Partial<Omit<FullTicket, 'kind'>>): string {
  return encodeTicket({ ...SAMPLE, ...changes });
}

/** Re-signs a hand-written body (everything before the crc) with a correct CRC. */
function signed(body: string): string {
  return `${body}|${crc16CcittFalse(body).toString(16).toUpperCase().padStart(4, '0')}`;
}

function errorOf(input: string): string | undefined {
  const result = parseTicket(input);
  return result.ok ? undefined : result.error;
}

describe('shared vectors (yingke-ticket.md)', () => {
  for (const vector of vectors.cases) {
    it(vector.name, () => {
      if (vector.valid) expect(parseTicket(vector.input)).toEqual({ ok: true, ticket: vector.expected });
      else expect(parseTicket(vector.input)).toEqual({ ok: false, error: vector.error });
    });
  }
});

describe('crc16CcittFalse', () => {
  it('has the CRC-16/CCITT-FALSE check value 0x29B1 for "123456789"', () => {
    expect(crc16CcittFalse('123456789')).toBe(0x29b1);
  });
  it('is the initial value 0xFFFF for empty text', () => {
    expect(crc16CcittFalse('')).toBe(0xffff);
  });
  it('matches the vector ticket', () => {
    expect(crc16CcittFalse(SAMPLE_INPUT.slice(0, SAMPLE_INPUT.lastIndexOf('|')))).toBe(0xfaeb);
  });
  it('refuses non-ASCII text rather than guess its bytes', () => {
    expect(() => crc16CcittFalse('S００12')).toThrow(RangeError);
  });
});

describe('isValidGtin', () => {
  it.each(['6901234567892', '6923456789012', '4006381333931', '69012341', '96385074', '036000291452', '012345678905'])(
    'accepts %s',
    (code) => expect(isValidGtin(code)).toBe(true),
  );
  it.each([
    ['6901234567893', 'EAN-13 wrong check digit'],
    ['69012342', 'EAN-8 wrong check digit'],
    ['036000291453', 'UPC-A wrong check digit'],
    ['06901234567892', '14 digits'],
    ['6901234', '7 digits'],
    ['03600029145', '11 digits'],
    ['G100234', 'goods id has no check digit'],
    ['690123456789X', 'not digits'],
    ['', 'empty'],
  ])('refuses %s (%s)', (code) => expect(isValidGtin(code)).toBe(false));
});

describe('encodeTicket', () => {
  it('reproduces the vector string byte for byte', () => {
    expect(encodeTicket(SAMPLE)).toBe(SAMPLE_INPUT);
  });
  it('round-trips through parseTicket', () => {
    const ticket: Omit<FullTicket, 'kind'> = {
      store: 'CD01',
      orderNo: 'XS0000000001',
      issuedAt: '2024-02-29T00:00:00+08:00',
      totalFen: 1990,
      items: [
        { code: '69012341', qty: 1, unitFen: 1990 },
        { code: 'G100234', qty: 3, unitFen: 0 },
        { code: '036000291452', qty: 999, unitFen: 0 },
      ],
    };
    expect(parseTicket(encodeTicket(ticket))).toEqual({ ok: true, ticket: { kind: 'full', ...ticket } });
  });
  it('refuses fractional money (money is integer fen)', () => {
    expect(() => withTicket({ totalFen: 123.45 })).toThrow(RangeError);
    expect(() => withTicket({ items: [{ code: '6901234567892', qty: 1, unitFen: 0.5 }] })).toThrow(RangeError);
  });
  it('needs issuedAt in the +08:00 shape', () => {
    expect(() => withTicket({ issuedAt: '2025-03-28T02:15:00Z' })).toThrow(RangeError);
  });
});

describe('issuedAtMs', () => {
  it('reads store-local time as UTC+08:00', () => {
    const parsed = parseTicket(SAMPLE_INPUT);
    if (!parsed.ok || parsed.ticket.kind !== 'full') throw new Error('sample must parse');
    expect(issuedAtMs(parsed.ticket)).toBe(Date.UTC(2025, 2, 28, 2, 15, 0));
  });
  it('does not mistake years 0–99 for 1900–1999', () => {
    const ticket: FullTicket = { kind: 'full', ...SAMPLE, issuedAt: '0050-01-01T08:00:00+08:00' };
    expect(issuedAtMs(ticket)).toBe(Date.parse('0050-01-01T00:00:00Z'));
  });
});

describe('time (BAD_TIME)', () => {
  it.each([
    '2024-02-29T12:00:00+08:00', // leap year
    '2000-02-29T12:00:00+08:00', // divisible by 400: leap
    '2025-12-31T23:59:59+08:00',
    '2025-01-01T00:00:00+08:00',
    '2025-04-30T00:00:00+08:00',
  ])('accepts %s', (issuedAt) => {
    expect(parseTicket(withTicket({ issuedAt }))).toEqual({ ok: true, ticket: { kind: 'full', ...SAMPLE, issuedAt } });
  });
  it.each([
    '2025-02-29T12:00:00+08:00', // not a leap year
    '1900-02-29T12:00:00+08:00', // divisible by 100, not 400
    '2100-02-29T12:00:00+08:00',
    '2024-02-30T12:00:00+08:00',
    '2025-04-31T12:00:00+08:00',
    '2025-00-10T12:00:00+08:00',
    '2025-13-10T12:00:00+08:00',
    '2025-03-00T12:00:00+08:00',
    '2025-03-28T24:00:00+08:00',
    '2025-03-28T10:60:00+08:00',
    '2025-03-28T10:15:60+08:00', // no leap seconds
  ])('refuses %s', (issuedAt) => {
    expect(errorOf(withTicket({ issuedAt }))).toBe('BAD_TIME');
  });
  it('treats a time field that is not 14 digits as BAD_FORMAT', () => {
    expect(errorOf(signed('YK1|S0012|XS250328000123|2025032810150|3600|6901234567892,1,3600'))).toBe('BAD_FORMAT');
    expect(errorOf(signed('YK1|S0012|XS250328000123|2025032810150X|3600|6901234567892,1,3600'))).toBe('BAD_FORMAT');
  });
});

/** 50 goods-id lines whose ids grow one digit at a time until the scan is exactly `length` long. */
function ticketOfLength(length: number): string {
  const idDigits = Array.from({ length: 50 }, () => 1);
  const build = () =>
    withTicket({
      totalFen: 50,
      items: idDigits.map((digits) => ({ code: `G${'7'.repeat(digits)}`, qty: 1, unitFen: 1 })),
    });
  for (let next = 0; build().length < length; next = (next + 1) % 50) {
    const current = idDigits[next] ?? 20;
    if (idDigits.every((digits) => digits === 20)) throw new Error(`cannot reach ${length}`);
    if (current < 20) idDigits[next] = current + 1;
  }
  return build();
}

describe('limits', () => {
  it('accepts a scan of exactly 1,200 characters', () => {
    const input = ticketOfLength(1200);
    expect(input).toHaveLength(1200);
    expect(parseTicket(input).ok).toBe(true);
  });
  it('refuses 1,201 characters as BAD_FORMAT even when everything else is right', () => {
    const input = ticketOfLength(1201);
    expect(input).toHaveLength(1201);
    expect(errorOf(input)).toBe('BAD_FORMAT');
  });

  const line: TicketItem = { code: 'G1', qty: 1, unitFen: 1 };
  it('accepts 50 items', () => {
    const items = Array.from({ length: 50 }, () => line);
    const parsed = parseTicket(withTicket({ totalFen: 50, items }));
    expect(parsed.ok && parsed.ticket.kind === 'full' && parsed.ticket.items).toHaveLength(50);
  });
  it('refuses 51 items as BAD_FORMAT', () => {
    expect(errorOf(withTicket({ totalFen: 51, items: Array.from({ length: 51 }, () => line) }))).toBe('BAD_FORMAT');
  });

  it('adds the largest amounts exactly', () => {
    const items = [{ code: 'G1', qty: 10, unitFen: 99_999_999 }];
    expect(parseTicket(withTicket({ totalFen: 999_999_990, items })).ok).toBe(true);
    // 999 × 99,999,999 is beyond the largest total: a mismatch, not an overflow.
    expect(errorOf(withTicket({ totalFen: 999_999_999, items: [{ code: 'G1', qty: 999, unitFen: 99_999_999 }] }))).toBe(
      'TOTAL_MISMATCH',
    );
  });
});

describe('bare order numbers', () => {
  it.each(['XS250328000123', 'X12345678', 'ABCD1234567890123456789012345678', 'YK12345678'])('%s is an order number', (input) => {
    expect(parseTicket(input)).toEqual({ ok: true, ticket: { kind: 'order', orderNo: input } });
  });
  it.each([
    ['', 'empty'],
    ['X1234567', '7 digits'],
    ['ABCDE12345678', '5 letters'],
    ['X12345678901234567890123456789', '29 digits'],
    ['xs250328000123', 'lowercase'],
    ['XS250328000123\n', 'terminator left on'],
    [' XS250328000123', 'leading space'],
    ['XS25032800012A', 'letter at the end'],
    ['YK1', 'version without separator'],
    ['yk1|S0012', 'lowercase prefix'],
    ['6901234567892', 'goods barcode'],
  ])('%j is NOT_A_TICKET (%s)', (input) => {
    expect(errorOf(input)).toBe('NOT_A_TICKET');
  });
});

describe('field syntax (BAD_FORMAT after the CRC)', () => {
  const item = '6901234567892,1,3600';
  const body = (store: string, order: string, total: string, items: string) =>
    `YK1|${store}|${order}|20250328101500|${total}|${items}`;
  it('accepts the extremes of each field', () => {
    expect(parseTicket(signed(body('ABCDEFGHIJ123456', 'XS12', '3600', item))).ok).toBe(true);
    expect(parseTicket(signed(body('S', 'A'.repeat(32), '3600', item))).ok).toBe(true);
    expect(parseTicket(signed(body('S', 'XS12', '1', 'G12345678901234567890,1,1'))).ok).toBe(true);
    expect(parseTicket(signed(body('S', 'XS12', '99999999', 'G1,1,99999999'))).ok).toBe(true);
    expect(parseTicket(signed(body('S', 'XS12', '999', 'G1,999,1'))).ok).toBe(true);
  });
  it.each([
    ['store empty', body('', 'XS12', '3600', item)],
    ['store 17 chars', body('ABCDEFGHIJ1234567', 'XS12', '3600', item)],
    ['store lowercase', body('s0012', 'XS12', '3600', item)],
    ['order 3 chars', body('S', 'XS1', '3600', item)],
    ['order 33 chars', body('S', 'A'.repeat(33), '3600', item)],
    ['order with dash', body('S', 'XS-12', '3600', item)],
    ['total 0', body('S', 'XS12', '0', 'G1,1,0')],
    ['total leading zero', body('S', 'XS12', '03600', item)],
    ['total 10 digits', body('S', 'XS12', '1000000000', 'G1,10,100000000')],
    ['total negative', body('S', 'XS12', '-3600', item)],
    ['no items', body('S', 'XS12', '3600', '')],
    ['trailing semicolon', body('S', 'XS12', '3600', `${item};`)],
    ['empty line between items', body('S', 'XS12', '3600', `${item};;G1,1,0`)],
    ['item with 2 parts', body('S', 'XS12', '3600', '6901234567892,3600')],
    ['item with 4 parts', body('S', 'XS12', '3600', `${item},1`)],
    ['code of 10 digits', body('S', 'XS12', '3600', '6901234567,1,3600')],
    ['code of 14 digits', body('S', 'XS12', '3600', '06901234567892,1,3600')],
    ['goods id without digits', body('S', 'XS12', '3600', 'G,1,3600')],
    ['goods id of 21 digits', body('S', 'XS12', '3600', 'G123456789012345678901,1,3600')],
    ['lowercase goods id', body('S', 'XS12', '3600', 'g1,1,3600')],
    ['qty 0', body('S', 'XS12', '3600', '6901234567892,0,3600')],
    ['qty 1000', body('S', 'XS12', '3600', 'G1,1000,3')],
    ['qty leading zero', body('S', 'XS12', '3600', '6901234567892,01,3600')],
    ['unit 00', body('S', 'XS12', '3600', `${item};G1,1,00`)],
    ['unit leading zero', body('S', 'XS12', '3600', '6901234567892,1,03600')],
    ['unit 9 digits', body('S', 'XS12', '100000000', 'G1,1,100000000')],
    ['unit with decimals', body('S', 'XS12', '3600', '6901234567892,1,36.00')],
    ['space in a field', body('S 12', 'XS12', '3600', item)],
  ])('%s', (_name, ticketBody) => {
    expect(errorOf(signed(ticketBody))).toBe('BAD_FORMAT');
  });
});

describe('framing (BAD_FORMAT before the CRC)', () => {
  it.each([
    ['6 fields', 'YK1|S0012|20250328101500|3600|6901234567892,1,3600|AB2F'],
    ['8 fields', `${SAMPLE_INPUT.slice(0, -5)}|X|FAEB`],
    ['crc lowercase', `${SAMPLE_INPUT.slice(0, -4)}faeb`],
    ['crc 3 digits', `${SAMPLE_INPUT.slice(0, -4)}FAE`],
    ['crc 5 digits', `${SAMPLE_INPUT.slice(0, -4)}FAEB0`],
    ['crc not hex', `${SAMPLE_INPUT.slice(0, -4)}FAEG`],
    ['tab inside', SAMPLE_INPUT.replace('S0012', 'S0\t12')],
    ['newline at the end', `${SAMPLE_INPUT}\n`],
    ['DEL character', SAMPLE_INPUT.replace('S0012', 'S0\x7F12')],
    ['full-width digits', SAMPLE_INPUT.replace('S0012', 'S００12')],
  ])('%s', (_name, input) => {
    expect(errorOf(input)).toBe('BAD_FORMAT');
  });
});

describe('precedence: the first error in the spec table wins', () => {
  it('NOT_A_TICKET over everything when the prefix is not YK<digits>|', () => {
    expect(errorOf('XK1|S0012|garbage')).toBe('NOT_A_TICKET');
    expect(errorOf('YKA|S0012|XS12|20250328101500|1|G1,1,1|0000')).toBe('NOT_A_TICKET');
  });
  it('BAD_VERSION over BAD_FORMAT', () => {
    expect(errorOf('YK|')).toBe('BAD_VERSION');
    expect(errorOf('YK10|')).toBe('BAD_VERSION');
    expect(errorOf('YK01|S0012')).toBe('BAD_VERSION');
    expect(errorOf(`YK2|S００12|${'X'.repeat(2000)}`)).toBe('BAD_VERSION');
  });
  it('BAD_FORMAT (framing) over BAD_CHECKSUM', () => {
    expect(errorOf(`${SAMPLE_INPUT.slice(0, -4)}0000`.replace('|12345|', '|12345||'))).toBe('BAD_FORMAT');
    expect(errorOf(`${ticketOfLength(1201).slice(0, -4)}0000`)).toBe('BAD_FORMAT');
    expect(errorOf(`${SAMPLE_INPUT.slice(0, -4)}0000`.replace('S0012', 'S\x0012'))).toBe('BAD_FORMAT');
  });
  it('BAD_CHECKSUM over field syntax, item codes, time and total', () => {
    // Every later fault at once, with a wrong crc: a garbled scan is reported as garbled.
    const everythingWrong = 'YK1|s0012|X|20250230101500|0|6901234567893,0,3600';
    const correctCrc = crc16CcittFalse(everythingWrong);
    const wrongCrc = ((correctCrc + 1) & 0xffff).toString(16).toUpperCase().padStart(4, '0');
    expect(errorOf(`${everythingWrong}|${wrongCrc}`)).toBe('BAD_CHECKSUM');
    expect(errorOf(signed(everythingWrong))).toBe('BAD_FORMAT');
  });
  it('BAD_FORMAT (field syntax) over BAD_ITEM_CODE, BAD_TIME and TOTAL_MISMATCH', () => {
    // Bad check digit in the first item, a syntax fault only in a later field or item.
    expect(errorOf(signed('YK1|S0012|XS12|20250230101500|1|6901234567893,1,3600;G1,0,1'))).toBe('BAD_FORMAT');
    expect(errorOf(signed('YK1|s0012|XS12|20250230101500|1|6901234567893,1,3600'))).toBe('BAD_FORMAT');
  });
  it('BAD_ITEM_CODE over BAD_TIME and TOTAL_MISMATCH', () => {
    const items = [
      { code: 'G1', qty: 1, unitFen: 1 },
      { code: '036000291453', qty: 1, unitFen: 1 },
    ];
    expect(errorOf(withTicket({ items, issuedAt: '2025-02-30T10:15:00+08:00', totalFen: 7 }))).toBe('BAD_ITEM_CODE');
  });
  it('BAD_TIME over TOTAL_MISMATCH', () => {
    expect(errorOf(withTicket({ issuedAt: '2025-02-30T10:15:00+08:00', totalFen: 1 }))).toBe('BAD_TIME');
  });
  it('TOTAL_MISMATCH last', () => {
    expect(errorOf(withTicket({ totalFen: SAMPLE.totalFen + 1 }))).toBe('TOTAL_MISMATCH');
    expect(errorOf(withTicket({ totalFen: SAMPLE.totalFen - 1 }))).toBe('TOTAL_MISMATCH');
  });
  it('every error code is reachable', () => {
    const reached = new Set(
      [
        '',
        'YK2|',
        'YK1|',
        `${SAMPLE_INPUT.slice(0, -4)}0000`,
        withTicket({ items: [{ code: '6901234567893', qty: 1, unitFen: 12345 }] }),
        withTicket({ issuedAt: '2025-02-29T00:00:00+08:00' }),
        withTicket({ totalFen: 1 }),
      ].map(errorOf),
    );
    expect([...reached].sort()).toEqual([...TICKET_ERROR_CODES].sort());
  });
});

describe('schemas', () => {
  it('accept every valid vector result', () => {
    for (const vector of vectors.cases) if (vector.valid) expect(TicketSchema.parse(vector.expected)).toEqual(vector.expected);
  });
  it('know every error code', () => {
    for (const code of TICKET_ERROR_CODES) expect(TicketErrorCodeSchema.parse(code)).toBe(code);
    expect(TicketErrorCodeSchema.safeParse('BAD_CRC').success).toBe(false);
  });
  const full: FullTicket = { kind: 'full', ...SAMPLE };
  it.each<[string, unknown]>([
    ['total that does not add up', { ...full, totalFen: 12346 }],
    ['fractional fen', { ...full, totalFen: 12345.5 }],
    ['bad check digit', { ...full, items: [{ code: '6901234567893', qty: 1, unitFen: 12345 }] }],
    ['impossible time', { ...full, issuedAt: '2025-02-29T10:15:00+08:00' }],
    ['UTC time', { ...full, issuedAt: '2025-03-28T02:15:00Z' }],
    ['no items', { ...full, items: [] }],
    ['unknown kind', { ...full, kind: 'partial' }],
    ['string amount', { ...full, totalFen: '12345' }],
  ])('FullTicketSchema refuses %s', (_name, value) => {
    expect(FullTicketSchema.safeParse(value).success).toBe(false);
    expect(TicketSchema.safeParse(value).success).toBe(false);
  });
  it('FullTicketSchema refuses kind "order" (TicketSchema then reads it as an order ticket)', () => {
    expect(FullTicketSchema.safeParse({ ...full, kind: 'order' }).success).toBe(false);
    expect(TicketSchema.parse({ ...full, kind: 'order' })).toEqual({ kind: 'order', orderNo: full.orderNo });
  });
  it('FullTicketSchema refuses a ticket that would not fit in a scan', () => {
    const items = Array.from({ length: 50 }, () => ({ code: 'G12345678901234567890', qty: 1, unitFen: 1 }));
    expect(FullTicketSchema.safeParse({ ...full, totalFen: 50, items }).success).toBe(false);
  });
  it('FullTicketSchema draws the 1,200-character line where parseTicket does', () => {
    const parsed = parseTicket(ticketOfLength(1200));
    if (!parsed.ok || parsed.ticket.kind !== 'full') throw new Error('1,200 characters must parse');
    expect(FullTicketSchema.safeParse(parsed.ticket).success).toBe(true);
    const [first, ...rest] = parsed.ticket.items;
    if (!first) throw new Error('has items');
    const oneLonger: FullTicket = { ...parsed.ticket, items: [{ ...first, code: `${first.code}7` }, ...rest] };
    expect(encodeTicket(oneLonger)).toHaveLength(1201);
    expect(FullTicketSchema.safeParse(oneLonger).success).toBe(false);
  });
  it('TicketItemSchema accepts goods ids and GTINs only', () => {
    expect(TicketItemSchema.safeParse({ code: 'G1', qty: 1, unitFen: 0 }).success).toBe(true);
    expect(TicketItemSchema.safeParse({ code: '69012341', qty: 999, unitFen: 99_999_999 }).success).toBe(true);
    expect(TicketItemSchema.safeParse({ code: '1234', qty: 1, unitFen: 0 }).success).toBe(false);
    expect(TicketItemSchema.safeParse({ code: 'G1', qty: 0, unitFen: 0 }).success).toBe(false);
    expect(TicketItemSchema.safeParse({ code: 'G1', qty: 1, unitFen: -1 }).success).toBe(false);
  });
  it('OrderTicketSchema takes bare order numbers only', () => {
    expect(OrderTicketSchema.safeParse({ kind: 'order', orderNo: 'YK12345678' }).success).toBe(true);
    expect(OrderTicketSchema.safeParse({ kind: 'order', orderNo: 'XS12' }).success).toBe(false);
  });
});
