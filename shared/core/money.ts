/**
 * Money is always an integer number of fen (1/100 yuan). Yuan text typed by a cashier is turned
 * into fen by string arithmetic only (no float multiplication: 0.29 * 100 !== 29), and fen are
 * shown as yuan the same way.
 */

const FULL_WIDTH_DIGITS = /[０-９]/g;

/**
 * Parses a yuan amount typed by a person ("12", "12.3", "12.30", "0.05") into integer fen.
 * Accepts surrounding spaces, a leading ¥/￥, full-width digits and a full-width point (a Chinese
 * IME may be on). Refuses negatives, more than two decimals, exponents, thousands separators,
 * empty text and anything beyond Number.MAX_SAFE_INTEGER fen: returns null.
 */
export function parseYuanToFen(text: string): number | null {
  if (typeof text !== 'string') return null;
  const normalized = text
    .trim()
    .replace(FULL_WIDTH_DIGITS, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/．/g, '.')
    .replace(/^[¥￥]\s*/, '');
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(normalized);
  if (!match) return null;
  const whole = match[1] ?? '0';
  const cents = (match[2] ?? '').padEnd(2, '0');
  // "12" + "30" → "1230": the decimal point is moved in the text, never by multiplying.
  const digits = (whole + cents).replace(/^0+(?=\d)/, '');
  if (digits.length > 16) return null;
  const fen = Number(digits);
  return Number.isSafeInteger(fen) ? fen : null;
}

/** 12345 → "123.45", 5 → "0.05", -150 → "-1.50". Throws on a non-integer (fen are never fractional). */
export function formatFen(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`not an integer number of fen: ${fen}`);
  const sign = fen < 0 ? '-' : '';
  const digits = String(Math.abs(fen)).padStart(3, '0');
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** 12345 → "¥123.45", -150 → "-¥1.50". */
export function formatYuan(fen: number): string {
  const text = formatFen(fen);
  return text.startsWith('-') ? `-¥${text.slice(1)}` : `¥${text}`;
}
