/**
 * Yingke ticket barcode (format YK1) parser, per shared/spec/yingke-ticket.md.
 *
 * Pure code: no browser API, so the content script, the background and the tests share it. The
 * zod schemas for the message boundary are in ticket-schema.ts (zod stays out of the content script).
 * Money is integer fen throughout; no floating-point arithmetic touches an amount.
 */
export type TicketItem = { code: string; qty: number; unitFen: number };
/** issuedAt: ISO-8601 store-local time with its +08:00 offset, e.g. "2025-03-28T10:15:00+08:00". */
export type FullTicket = {
  kind: 'full';
  store: string;
  orderNo: string;
  issuedAt: string;
  totalFen: number;
  items: TicketItem[];
};
export type OrderTicket = { kind: 'order'; orderNo: string };
export type Ticket = FullTicket | OrderTicket;

/** In the order the spec checks them: when several faults apply, the first one listed wins. */
export const TICKET_ERROR_CODES = [
  'NOT_A_TICKET',
  'BAD_VERSION',
  'BAD_FORMAT',
  'BAD_CHECKSUM',
  'BAD_ITEM_CODE',
  'BAD_TIME',
  'TOTAL_MISMATCH',
] as const;
export type TicketErrorCode = (typeof TICKET_ERROR_CODES)[number];
export type ParseResult = { ok: true; ticket: Ticket } | { ok: false; error: TicketErrorCode };

export const MAX_SCAN_LENGTH = 1200;
const FIELD_COUNT = 7;
export const MIN_ITEMS = 1;
export const MAX_ITEMS = 50;
export const MAX_QTY = 999;
export const MAX_UNIT_FEN = 99_999_999;
export const MAX_TOTAL_FEN = 999_999_999;
const STORE_UTC_OFFSET_MS = 8 * 60 * 60 * 1000;

/** `YK`, any digits (the version), then `|`: the shape that makes a scan "ours" as a full ticket. */
const FULL_TICKET_PREFIX = /^YK([0-9]*)\|/;
export const BARE_ORDER_NO = /^[A-Z]{1,4}[0-9]{8,28}$/;
const PRINTABLE_ASCII = /^[\x20-\x7E]*$/;
const CRC_FIELD = /^[0-9A-F]{4}$/;
export const STORE = /^[A-Z0-9]{1,16}$/;
export const ORDER_NO = /^[A-Z0-9]{4,32}$/;
const TICKET_TIME = /^([0-9]{4})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})$/;
const TOTAL = /^[1-9][0-9]{0,8}$/;
const GTIN_DIGITS = /^(?:[0-9]{8}|[0-9]{12}|[0-9]{13})$/;
export const GOODS_ID = /^G[0-9]{1,20}$/;
const QTY = /^[1-9][0-9]{0,2}$/;
const UNIT_FEN = /^(?:0|[1-9][0-9]{0,7})$/;
const ISSUED_AT = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})\+08:00$/;

// ---------------------------------------------------------------------------------------------
// Checksums

/** CRC-16/CCITT-FALSE lookup table (poly 0x1021, MSB first), one entry per leading byte. */
const CRC16_TABLE: readonly number[] = Array.from({ length: 256 }, (_, byte) => {
  let crc = byte << 8;
  for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  return crc;
});

/**
 * CRC-16/CCITT-FALSE (init 0xFFFF, no reflection, no final xor) over the ASCII bytes of `text`.
 * Check value: crc16CcittFalse('123456789') === 0x29B1.
 * Throws a RangeError on non-ASCII text: it has no single agreed byte form to checksum.
 */
export function crc16CcittFalse(text: string): number {
  let crc = 0xffff;
  for (let index = 0; index < text.length; index++) {
    const byte = text.charCodeAt(index);
    if (byte > 0x7f) throw new RangeError(`crc16CcittFalse: non-ASCII character at ${index}`);
    crc = ((crc << 8) & 0xffff) ^ (CRC16_TABLE[((crc >> 8) ^ byte) & 0xff] ?? 0);
  }
  return crc;
}

/** Check digit of an EAN-13, EAN-8 or UPC-A code (GTIN-13/8/12). Anything else is false. */
export function isValidGtin(code: string): boolean {
  if (!GTIN_DIGITS.test(code)) return false;
  // Weights 3,1,3,… run leftwards from the digit before the check digit: one rule for all three
  // lengths (a UPC-A is an EAN-13 with a leading 0, which weighs nothing).
  let weightedSum = 0;
  for (let index = code.length - 2, weight = 3; index >= 0; index--, weight = 4 - weight) {
    weightedSum += (code.charCodeAt(index) - 48) * weight;
  }
  const expectedCheckDigit = (10 - (weightedSum % 10)) % 10;
  return code.charCodeAt(code.length - 1) - 48 === expectedCheckDigit;
}

// ---------------------------------------------------------------------------------------------
// Time

type CivilTime = { year: number; month: number; day: number; hour: number; minute: number; second: number };

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Six captured digit groups (year, month, day, hour, minute, second) → numbers, or null. */
function civilTimeFromMatch(match: RegExpExecArray | null): CivilTime | null {
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  if (
    year === undefined ||
    month === undefined ||
    day === undefined ||
    hour === undefined ||
    minute === undefined ||
    second === undefined
  ) {
    return null;
  }
  return { year, month, day, hour, minute, second };
}

/** A real Gregorian date and a time of day; leap seconds are not real for a till. */
function isRealCivilTime(t: CivilTime): boolean {
  return (
    t.month >= 1 &&
    t.month <= 12 &&
    t.day >= 1 &&
    t.day <= daysInMonth(t.year, t.month) &&
    t.hour <= 23 &&
    t.minute <= 59 &&
    t.second <= 59
  );
}

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

function issuedAtFromCivilTime(t: CivilTime): string {
  const date = `${String(t.year).padStart(4, '0')}-${twoDigits(t.month)}-${twoDigits(t.day)}`;
  return `${date}T${twoDigits(t.hour)}:${twoDigits(t.minute)}:${twoDigits(t.second)}+08:00`;
}

export function isRealIssuedAt(issuedAt: string): boolean {
  const civil = civilTimeFromMatch(ISSUED_AT.exec(issuedAt));
  return civil !== null && isRealCivilTime(civil);
}

/** Epoch milliseconds of the ticket's issuedAt (store-local UTC+08:00). */
export function issuedAtMs(t: FullTicket): number {
  const civil = civilTimeFromMatch(ISSUED_AT.exec(t.issuedAt));
  if (!civil || !isRealCivilTime(civil)) throw new RangeError(`issuedAtMs: not a YK1 issuedAt: ${t.issuedAt}`);
  const utc = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  utc.setUTCFullYear(civil.year, civil.month - 1, civil.day);
  utc.setUTCHours(civil.hour, civil.minute, civil.second, 0);
  return utc.getTime() - STORE_UTC_OFFSET_MS;
}

// ---------------------------------------------------------------------------------------------
// Parsing

function refuse(error: TicketErrorCode): ParseResult {
  return { ok: false, error };
}

/** Items field → items, or null when any item is off its syntax (BAD_FORMAT). */
function parseItemsField(field: string): TicketItem[] | null {
  const lines = field.split(';');
  if (lines.length < MIN_ITEMS || lines.length > MAX_ITEMS) return null;
  const items: TicketItem[] = [];
  for (const line of lines) {
    const parts = line.split(',');
    if (parts.length !== 3) return null;
    const [code = '', qty = '', unit = ''] = parts;
    // Only the shape here; EAN/UPC check digits are a later, separate error (BAD_ITEM_CODE).
    if (!(GTIN_DIGITS.test(code) || GOODS_ID.test(code)) || !QTY.test(qty) || !UNIT_FEN.test(unit)) return null;
    items.push({ code, qty: Number(qty), unitFen: Number(unit) });
  }
  return items;
}

/** Σ qty × unit in fen. At most 50 × 999 × 99,999,999 ≈ 5.0e12, well inside exact integers (2^53). */
export function itemsTotalFen(items: readonly TicketItem[]): number {
  return items.reduce((sum, item) => sum + item.qty * item.unitFen, 0);
}

/**
 * Classifies a scan: a full YK1 ticket, a bare order number, or the first error in the spec's order
 * (NOT_A_TICKET, BAD_VERSION, BAD_FORMAT, BAD_CHECKSUM, BAD_FORMAT on field syntax, BAD_ITEM_CODE,
 * BAD_TIME, TOTAL_MISMATCH).
 */
export function parseTicket(input: string): ParseResult {
  const prefix = FULL_TICKET_PREFIX.exec(input);
  if (!prefix) {
    return BARE_ORDER_NO.test(input) ? { ok: true, ticket: { kind: 'order', orderNo: input } } : refuse('NOT_A_TICKET');
  }
  if (prefix[1] !== '1') return refuse('BAD_VERSION');

  // Framing, checked before the CRC because the CRC cannot even be located or read without it.
  if (input.length > MAX_SCAN_LENGTH || !PRINTABLE_ASCII.test(input)) return refuse('BAD_FORMAT');
  const fields = input.split('|');
  if (fields.length !== FIELD_COUNT) return refuse('BAD_FORMAT');
  const [, store = '', orderNo = '', time = '', total = '', itemsField = '', crc = ''] = fields;
  if (!CRC_FIELD.test(crc)) return refuse('BAD_FORMAT');

  // CRC before field syntax: a scan garbled in transit is reported as such ("scan again"),
  // not as a malformed ticket.
  if (crc16CcittFalse(input.slice(0, input.lastIndexOf('|'))) !== Number.parseInt(crc, 16)) {
    return refuse('BAD_CHECKSUM');
  }

  const civilTime = civilTimeFromMatch(TICKET_TIME.exec(time));
  const items = parseItemsField(itemsField);
  if (!STORE.test(store) || !ORDER_NO.test(orderNo) || !civilTime || !TOTAL.test(total) || !items) {
    return refuse('BAD_FORMAT');
  }
  if (items.some((item) => !GOODS_ID.test(item.code) && !isValidGtin(item.code))) return refuse('BAD_ITEM_CODE');
  if (!isRealCivilTime(civilTime)) return refuse('BAD_TIME');
  const totalFen = Number(total);
  if (itemsTotalFen(items) !== totalFen) return refuse('TOTAL_MISMATCH');

  return {
    ok: true,
    ticket: { kind: 'full', store, orderNo, issuedAt: issuedAtFromCivilTime(civilTime), totalFen, items },
  };
}

// ---------------------------------------------------------------------------------------------
// Encoding (tests, demo and benchmark make tickets with it)

function integerField(name: string, value: number): string {
  // A fractional fen is always a bug upstream; out-of-range integers are allowed so that tests
  // can build deliberately off-syntax tickets.
  if (!Number.isSafeInteger(value)) throw new RangeError(`encodeTicket: ${name} is not an integer: ${value}`);
  return String(value);
}

/**
 * Builds a YK1 string with its CRC (4 uppercase hex digits). It serialises without validating
 * store/order/items/total, so tests can also build tickets that must be refused; issuedAt must have
 * the shape "yyyy-MM-ddTHH:mm:ss+08:00" (the date itself may be impossible).
 */
export function encodeTicket(t: Omit<FullTicket, 'kind'>): string {
  const civil = civilTimeFromMatch(ISSUED_AT.exec(t.issuedAt));
  if (!civil) throw new RangeError(`encodeTicket: issuedAt is not yyyy-MM-ddTHH:mm:ss+08:00: ${t.issuedAt}`);
  const time = t.issuedAt.slice(0, 19).replace(/[-T:]/g, '');
  const items = t.items
    .map((item) => `${item.code},${integerField('qty', item.qty)},${integerField('unitFen', item.unitFen)}`)
    .join(';');
  const body = ['YK1', t.store, t.orderNo, time, integerField('totalFen', t.totalFen), items].join('|');
  return `${body}|${crc16CcittFalse(body).toString(16).toUpperCase().padStart(4, '0')}`;
}
