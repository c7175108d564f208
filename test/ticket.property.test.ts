import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { TicketSchema } from '../shared/ticket-schema';
import {
  TICKET_ERROR_CODES,
  crc16CcittFalse,
  encodeTicket,
  issuedAtMs,
  parseTicket,
  type FullTicket,
  type TicketItem,
} from '../shared/ticket';

/**
 * Why the edit properties below are split the way they are.
 *
 * A changed character is always caught: inside the CRC-covered part it is an error burst of at
 * most 8 bits, and CRC-16 detects every burst of up to 16 bits; a change to or from `|` alters
 * the field count; a change in the crc field or the `YK1` prefix breaks those.
 *
 * A dropped or doubled character is NOT always caught. CRC-16/CCITT-FALSE is a 16-bit state
 * machine: dropping character c is invisible when the state before c is a fixed point of "feed c"
 * (and doubling c when the state after c is one). For half the byte values such fixed points
 * exist (2 of 65,536 states), so roughly 1 in 65,536 drops/doubles keeps the CRC. Most of those
 * are still refused by other rules (field lengths, EAN/UPC check digits, the total), but in the
 * store, the order number, a goods id, the qty of a zero-price line, or an EAN-13 losing a digit
 * (or a UPC-A gaining one) with the check digit still right, nothing else checks the text, and the
 * corrupted ticket parses. Measured: 19 of 6.4 million random drops/doubles got through; 0 of 3.2
 * million changes. The format cannot do better; see the pinned example.
 * What does hold, and is asserted: such an edit can never change the amount or the time.
 */

const PRINTABLE_ASCII = Array.from({ length: 0x7f - 0x20 }, (_, index) => String.fromCharCode(0x20 + index));

function checkDigit(payload: string): string {
  let weightedSum = 0;
  for (let fromRight = 0; fromRight < payload.length; fromRight++) {
    weightedSum += Number(payload[payload.length - 1 - fromRight]) * (fromRight % 2 === 0 ? 3 : 1);
  }
  return String((10 - (weightedSum % 10)) % 10);
}

const gtin = (length: 8 | 12 | 13) =>
  fc.stringMatching(new RegExp(`^[0-9]{${length - 1}}$`)).map((payload) => payload + checkDigit(payload));
const itemCode = fc.oneof(gtin(13), gtin(8), gtin(12), fc.stringMatching(/^G[0-9]{1,20}$/));
const qty = fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 999 }));
const unitFen = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 9_999 }), fc.integer({ min: 0, max: 99_999_999 }));

const MAX_TOTAL_FEN = 999_999_999;

/** Lines whose sum fits the total's 1..999,999,999 fen: each unit is capped by its share. */
const items = fc.array(fc.record({ code: itemCode, qty, unitFen }), { minLength: 1, maxLength: 50 }).map((lines) => {
  const capped: TicketItem[] = lines.map((line) => {
    const maxUnit = Math.floor(MAX_TOTAL_FEN / (lines.length * line.qty));
    return { ...line, unitFen: line.unitFen % (maxUnit + 1) };
  });
  const [first, ...rest] = capped;
  // A total of 0 is off-syntax; make the first line cost at least 1 fen.
  return first && capped.every((line) => line.unitFen === 0) ? [{ ...first, unitFen: 1 }, ...rest] : capped;
});

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const daysInMonth = (year: number, month: number) =>
  month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
const pad = (value: number, width = 2) => String(value).padStart(width, '0');

const issuedAt = fc
  .record({
    year: fc.oneof(fc.integer({ min: 2000, max: 2100 }), fc.integer({ min: 0, max: 9999 })),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 59 }),
  })
  .map(({ year, month, day, hour, minute, second }) => {
    const realDay = Math.min(day, daysInMonth(year, month));
    return `${pad(year, 4)}-${pad(month)}-${pad(realDay)}T${pad(hour)}:${pad(minute)}:${pad(second)}+08:00`;
  });

const validTicket: fc.Arbitrary<FullTicket> = fc
  .record({
    store: fc.stringMatching(/^[A-Z0-9]{1,16}$/),
    orderNo: fc.stringMatching(/^[A-Z0-9]{4,32}$/),
    issuedAt,
    items,
  })
  .map((ticket): FullTicket => ({
    kind: 'full',
    ...ticket,
    totalFen: ticket.items.reduce((sum, line) => sum + line.qty * line.unitFen, 0),
  }))
  .filter((ticket) => encodeTicket(ticket).length <= 1200);

type Edit = { kind: 'change'; at: number; to: string } | { kind: 'drop'; at: number } | { kind: 'double'; at: number };

function applyEdit(input: string, edit: Edit): string {
  const before = input.slice(0, edit.at);
  const char = input.charAt(edit.at);
  const after = input.slice(edit.at + 1);
  if (edit.kind === 'change') return before + edit.to + after;
  if (edit.kind === 'drop') return before + after;
  return before + char + char + after;
}

/** Every other printable character for `char`, picked by `choice` (any integer). */
function otherPrintable(char: string, choice: number): string {
  const others = PRINTABLE_ASCII.filter((candidate) => candidate !== char);
  return others[choice % others.length] ?? '?';
}

/**
 * The check for a dropped or doubled character: refused — or, when CRC-16 happens to be blind to
 * this edit, parsed without any change to the amount to collect or the time.
 * Returns whether it got through, so callers can count or pin those cases.
 */
function expectDropOrDoubleCaught(original: FullTicket, mutated: string): boolean {
  const result = parseTicket(mutated);
  if (!result.ok) return false;
  const signedPart = (text: string) => text.slice(0, text.lastIndexOf('|'));
  const encoded = encodeTicket(original);
  expect(crc16CcittFalse(signedPart(mutated))).toBe(crc16CcittFalse(signedPart(encoded)));
  expect(result.ticket).toMatchObject({ kind: 'full', totalFen: original.totalFen, issuedAt: original.issuedAt });
  return true;
}

describe('valid tickets', () => {
  it('parse back to exactly what was encoded', () => {
    fc.assert(
      fc.property(validTicket, (ticket) => {
        const parsed = parseTicket(encodeTicket(ticket));
        expect(parsed).toEqual({ ok: true, ticket });
        expect(TicketSchema.parse(ticket)).toEqual(ticket);
        expect(issuedAtMs(ticket)).toBe(Date.parse(ticket.issuedAt));
      }),
      { numRuns: 500 },
    );
  });
});

describe('single-character corruption of a valid ticket', () => {
  it('a changed character (to any other printable ASCII) is always refused', () => {
    fc.assert(
      fc.property(validTicket, fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 20 }), (ticket, picks) => {
        const input = encodeTicket(ticket);
        for (const [position, choice] of picks) {
          const at = position % input.length;
          const mutated = applyEdit(input, { kind: 'change', at, to: otherPrintable(input.charAt(at), choice) });
          expect(parseTicket(mutated).ok, mutated).toBe(false);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('a dropped or doubled character is refused, or (CRC-16 blind spot) cannot change amount or time', () => {
    fc.assert(
      fc.property(validTicket, (ticket) => {
        const input = encodeTicket(ticket);
        for (let at = 0; at < input.length; at++) {
          expectDropOrDoubleCaught(ticket, applyEdit(input, { kind: 'drop', at }));
          expectDropOrDoubleCaught(ticket, applyEdit(input, { kind: 'double', at }));
        }
      }),
      { numRuns: 300 },
    );
  });

  const vectorTickets: FullTicket[] = [
    {
      kind: 'full',
      store: 'S0012',
      orderNo: 'XS250328000123',
      issuedAt: '2025-03-28T10:15:00+08:00',
      totalFen: 12345,
      items: [
        { code: '6901234567892', qty: 2, unitFen: 3600 },
        { code: '6923456789012', qty: 1, unitFen: 5145 },
      ],
    },
    {
      kind: 'full',
      store: 'CD01',
      orderNo: 'XS0000000001',
      issuedAt: '2025-12-31T23:59:59+08:00',
      totalFen: 1990,
      items: [
        { code: '69012341', qty: 1, unitFen: 1990 },
        { code: 'G100234', qty: 3, unitFen: 0 },
      ],
    },
  ];
  for (const ticket of vectorTickets) {
    it(`every possible single edit of vector ticket ${ticket.orderNo} is refused (exhaustive)`, () => {
      const input = encodeTicket(ticket);
      for (let at = 0; at < input.length; at++) {
        for (const to of PRINTABLE_ASCII) {
          if (to !== input.charAt(at)) expect(parseTicket(applyEdit(input, { kind: 'change', at, to })).ok).toBe(false);
        }
        expect(parseTicket(applyEdit(input, { kind: 'drop', at })).ok).toBe(false);
        expect(parseTicket(applyEdit(input, { kind: 'double', at })).ok).toBe(false);
      }
    });
  }

  it('KNOWN GAP: CRC-16 misses a dropped or doubled final "5" in order XS250328263695', () => {
    // Found by search: after "YK1|S0012|XS25032826369" the CRC state is a fixed point of feeding
    // '5', so any run of '5's there yields the same CRC (F04F) and the ticket parses with a
    // different order number. Nothing in the format can catch this; the order-number lookup and
    // the double-settlement check downstream are what remain.
    const [twoItems] = vectorTickets;
    if (!twoItems) throw new Error('vector ticket missing');
    const ticket: FullTicket = { ...twoItems, orderNo: 'XS250328263695' };
    const input = encodeTicket(ticket);
    expect(input.endsWith('|F04F')).toBe(true);

    const slippedThrough: string[] = [];
    for (let at = 0; at < input.length; at++) {
      for (const kind of ['drop', 'double'] as const) {
        const mutated = applyEdit(input, { kind, at });
        if (expectDropOrDoubleCaught(ticket, mutated)) {
          const result = parseTicket(mutated);
          if (result.ok && result.ticket.kind === 'full') slippedThrough.push(`${kind}:${result.ticket.orderNo}`);
        }
      }
    }
    expect(slippedThrough).toEqual(['drop:XS25032826369', 'double:XS2503282636955']);
    expect(parseTicket(encodeTicket({ ...ticket, orderNo: 'XS25032826369555555' }))).toMatchObject({ ok: true });
    expect(encodeTicket({ ...ticket, orderNo: 'XS25032826369555555' }).endsWith('|F04F')).toBe(true);
  });
});

describe('arbitrary input', () => {
  it('never throws and always answers with a ticket or a known error code', () => {
    const anyText = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 1500 }),
      fc.string({ unit: fc.constantFrom(...'YK0123456789|;,GABFS'), maxLength: 200 }),
      validTicket.map((ticket) => encodeTicket(ticket)),
    );
    fc.assert(
      fc.property(anyText, (text) => {
        const result = parseTicket(text);
        if (result.ok) expect(TicketSchema.safeParse(result.ticket).success).toBe(true);
        else expect(TICKET_ERROR_CODES).toContain(result.error);
      }),
      { numRuns: 2000 },
    );
  });
});
