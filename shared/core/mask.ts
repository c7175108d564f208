/**
 * Card and ID numbers leave the content script masked: at most the first 6 and last 4
 * characters visible, the rest '*'. Shorter values keep much less (see `visibleSpan`), so a short
 * member number or a 6-digit code is not effectively disclosed.
 */

/** How many leading / trailing characters of an `n`-character value may stay visible. */
export function visibleSpan(n: number): { head: number; tail: number } {
  // card and ID numbers: the usual first 6 / last 4
  if (n >= 16) return { head: 6, tail: 4 };
  // shorter: at most a third, split between both ends; 5 characters or fewer: nothing
  const visible = n >= 6 ? Math.floor(n / 3) : 0;
  const tail = Math.floor(visible / 2);
  return { head: visible - tail, tail };
}

/** Full-width digits and letters (０-９, Ｘ) to ASCII; every kind of space removed. */
function normalize(raw: string): string {
  return raw.normalize('NFKC').replace(/[\s\u200b-\u200d\u2060\ufeff]+/g, '');
}

/** Masks by position: outside the visible head/tail every character becomes '*'; '*' stays '*'. */
function maskPositions(value: string): string {
  const { head, tail } = visibleSpan(value.length);
  let out = '';
  for (let i = 0; i < value.length; i += 1) out += i < head || i >= value.length - tail ? value[i] : '*';
  return out;
}

/** A card or ID number as text: spaces and full-width digits normalised, then masked. */
export function maskIdentifier(raw: string): string {
  return maskPositions(normalize(raw));
}

/**
 * What a portal shows as the card / ID: "张三 6222 0212 3456 7890 123", "卡号：６２２２…",
 * "5101****1234X（李四）". Keeps only digits, the ID check letter X and mask stars (a name, a
 * label or any other text is dropped), then masks by position — a value the page masked already
 * is never unmasked, and one it masked too little is masked further.
 */
export function maskCard(shown: string): string {
  return maskPositions(cardNumberIn(shown).number);
}

/**
 * The number a card cell shows: the first run of digits and stars (an ID's X at its end), and
 * whether a sentence follows it — more than a short name in brackets — which a supervisor should
 * see (the capture is flagged, never refused).
 */
export function cardNumberIn(shown: string): { number: string; sentenceAfter: boolean } {
  const text = normalize(shown).replace(/[xＸ]/g, 'X').replace(/＊/g, '*');
  const match = /[0-9*]+X?/.exec(text);
  if (!match) return { number: '', sentenceAfter: false };
  const after = text.slice(match.index + match[0].length).replace(/^[(（][^)）]{0,6}[)）]/, '');
  return { number: match[0], sentenceAfter: after.length > 4 };
}

/**
 * Any scanned or typed text that is not a valid ticket (a customer's pay code, a card number, a
 * credential scanned by mistake), before it goes anywhere stored: normalised and masked by
 * position, letters included.
 */
export function maskScanText(text: string): string {
  return maskPositions(normalize(text).slice(0, 64));
}

/** True when no run of visible characters could reveal more than first-6/last-4. */
export function isMasked(value: string): boolean {
  const match = /^([^*]{0,6})(\*+)([^*]{0,4})$/.exec(value);
  return match !== null || /^\**$/.test(value);
}

/**
 * The stricter check for what a content script sends as `cardMasked`: only digits, X and '*', and
 * nothing visible beyond what `maskCard` would leave.
 */
export function isCardMasked(value: string): boolean {
  return /^[0-9X*]*$/.test(value) && maskPositions(value) === value;
}

/** The Luhn check that bank and health card numbers carry in their last digit. */
function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * True for a scan that is shaped like a bare Yingke order number (1–4 letters, then digits) but
 * whose digits are a card number: 16–19 digits passing the Luhn check (Chinese bank and health
 * cards). Yingke's own order numbers carry 8–12 digits (the seeds and the simulators), so a real
 * order is not mistaken for a card unless Yingke ever issues 16+-digit ones — then 1 in 10 of them
 * would be left to the page (typed into the field, not filled), never stored.
 */
export function isCardShapedOrderNo(text: string): boolean {
  const match = /^[A-Z]{1,4}([0-9]{16,19})$/.exec(text);
  return match !== null && passesLuhn(match[1]!);
}
