/**
 * Code 128 (ISO/IEC 15417) for the manual post-back: the vendor's transaction number as a barcode
 * the cashier scans into Yingke's tender field.
 *
 * Code set B carries printable ASCII (32–126); code set C packs two digits into one symbol. The
 * encoder picks the shortest symbol sequence over B and C (a small dynamic programme), so digit
 * runs go to set C where that saves symbols: a leading or trailing run of 4+ digits, an inner run
 * of 6+ (an inner run of 4 costs the same either way and stays in B), an odd run giving its
 * spare digit to set B. On a tie the encoder keeps the current set (fewer switches).
 *
 * Pure code, no DOM: the popup renders the SVG string.
 */

/**
 * Widths of bar, space, bar, space, bar, space for symbol values 0–105 (11 modules each), and
 * the stop pattern (106: 2331112, 13 modules, ending with the termination bar).
 */
const PATTERNS: readonly string[] = [
  '212222', '222122', '222221', '121223', '121322', '131222', '122213', '122312', '132212', '221213',
  '221312', '231212', '112232', '122132', '122231', '113222', '123122', '123221', '223211', '221132',
  '221231', '213212', '223112', '312131', '311222', '321122', '321221', '312212', '322112', '322211',
  '212123', '212321', '232121', '111323', '131123', '131321', '112313', '132113', '132311', '211313',
  '231113', '231311', '112133', '112331', '132131', '113123', '113321', '133121', '313121', '211331',
  '231131', '213113', '213311', '213131', '311123', '311321', '331121', '312113', '312311', '332111',
  '314111', '221411', '431111', '111224', '111422', '121124', '121421', '141122', '141221', '112214',
  '112412', '122114', '122411', '142112', '142211', '241211', '221114', '413111', '241112', '134111',
  '111242', '121142', '121241', '114212', '124112', '124211', '411212', '421112', '421211', '212141',
  '214121', '412121', '111143', '111341', '131141', '114113', '114311', '411113', '411311', '113141',
  '114131', '311141', '411131', '211412', '211214', '211232', '2331112',
];

export const CODE128 = {
  CODE_C: 99,
  CODE_B: 100,
  START_B: 104,
  START_C: 105,
  STOP: 106,
} as const;

const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;
/** Long enough for any transaction number; a longer barcode would not fit a screen or a scanner. */
export const CODE128_MAX_LENGTH = 80;

type CodeSet = 'B' | 'C';

const isDigit = (text: string, index: number): boolean => {
  const code = text.charCodeAt(index);
  return code >= 48 && code <= 57;
};

/**
 * Symbol values for `text`: start, data (with any CODE B / CODE C switches), check, stop (106).
 * Throws a RangeError on empty text, text over CODE128_MAX_LENGTH characters, or any character
 * outside printable ASCII (32–126).
 */
export function code128Values(text: string): number[] {
  if (text.length === 0) throw new RangeError('code128: empty text');
  if (text.length > CODE128_MAX_LENGTH) throw new RangeError(`code128: text longer than ${CODE128_MAX_LENGTH}`);
  if (!PRINTABLE_ASCII.test(text)) throw new RangeError('code128: only printable ASCII can be encoded');

  const n = text.length;
  const pairAt = (i: number): boolean => i + 1 < n && isDigit(text, i) && isDigit(text, i + 1);
  // cost[set][i]: fewest symbols to encode text[i..] when set `set` is active at i.
  const costB = new Array<number>(n + 1).fill(0);
  const costC = new Array<number>(n + 1).fill(0);
  // A switch is only worth it when the next symbol uses the new set, so "switch + use" is one move.
  const stayB = (i: number): number => 1 + (costB[i + 1] ?? 0);
  const moveToC = (i: number): number => (pairAt(i) ? 2 + (costC[i + 2] ?? 0) : Infinity);
  const stayC = (i: number): number => (pairAt(i) ? 1 + (costC[i + 2] ?? 0) : Infinity);
  const moveToB = (i: number): number => 2 + (costB[i + 1] ?? 0);
  for (let i = n - 1; i >= 0; i--) {
    costB[i] = Math.min(stayB(i), moveToC(i));
    costC[i] = Math.min(stayC(i), moveToB(i));
  }

  // Start in C only when it is strictly shorter.
  let set: CodeSet = pairAt(0) && (costC[0] ?? 0) < (costB[0] ?? 0) ? 'C' : 'B';
  const values: number[] = [set === 'C' ? CODE128.START_C : CODE128.START_B];
  let i = 0;
  while (i < n) {
    if (set === 'B') {
      if (moveToC(i) < stayB(i)) {
        values.push(CODE128.CODE_C);
        set = 'C';
        continue;
      }
      values.push(text.charCodeAt(i) - 32);
      i += 1;
    } else {
      if (stayC(i) <= moveToB(i)) {
        values.push(Number(text.slice(i, i + 2)));
        i += 2;
        continue;
      }
      values.push(CODE128.CODE_B);
      set = 'B';
    }
  }

  let sum = values[0] ?? 0;
  for (let position = 1; position < values.length; position++) sum += position * (values[position] ?? 0);
  values.push(sum % 103, CODE128.STOP);
  return values;
}

/**
 * The module pattern of `text`: widths (in modules) of alternating bars and spaces, starting with
 * a bar: start, data, check symbol and stop (the stop's 7 widths end with the termination bar).
 * Every symbol is 11 modules, the stop 13. Quiet zones are not included.
 */
export function encodeCode128(text: string): number[] {
  const widths: number[] = [];
  for (const value of code128Values(text)) {
    for (const digit of PATTERNS[value] ?? '') widths.push(Number(digit));
  }
  return widths;
}

export interface Code128SvgOptions {
  /** width of one module in SVG user units (px); 2 by default */
  moduleWidth?: number;
  /** bar height in px; 60 by default */
  height?: number;
  /** quiet zone on each side, in modules; 10 (the standard minimum) by default */
  quietZone?: number;
}

const formatNumber = (value: number): string => String(Math.round(value * 1000) / 1000);

/**
 * An SVG of the barcode: a white background (the quiet zones included) and one black rect per
 * bar. No text: the popup shows the number beside it. Throws a RangeError like code128Values, or
 * for a non-positive size.
 */
export function code128Svg(text: string, options: Code128SvgOptions = {}): string {
  const { moduleWidth = 2, height = 60, quietZone = 10 } = options;
  if (!(moduleWidth > 0) || !(height > 0) || !(quietZone >= 0) || ![moduleWidth, height, quietZone].every(Number.isFinite)) {
    throw new RangeError('code128Svg: sizes must be positive numbers');
  }
  const widths = encodeCode128(text);
  const modules = widths.reduce((total, width) => total + width, 0);
  const totalWidth = (modules + 2 * quietZone) * moduleWidth;
  const rects: string[] = [];
  let x = quietZone;
  widths.forEach((width, index) => {
    if (index % 2 === 0) {
      rects.push(
        `<rect x="${formatNumber(x * moduleWidth)}" y="0" width="${formatNumber(width * moduleWidth)}" height="${formatNumber(height)}" fill="#000"/>`,
      );
    }
    x += width;
  });
  const w = formatNumber(totalWidth);
  const h = formatNumber(height);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" shape-rendering="crispEdges">` +
    `<rect x="0" y="0" width="${w}" height="${h}" fill="#fff"/>` +
    rects.join('') +
    `</svg>`
  );
}

/** True when `text` can be drawn as Code 128 (non-empty printable ASCII, not too long). */
export function canEncodeCode128(text: string): boolean {
  return text.length > 0 && text.length <= CODE128_MAX_LENGTH && PRINTABLE_ASCII.test(text);
}

/**
 * The barcode SVG, or null when the text cannot be encoded (e.g. a vendor number with Chinese
 * characters): the popup then shows the number as text to type, never throws while rendering.
 */
export function code128SvgOrNull(text: string, options: Code128SvgOptions = {}): string | null {
  if (!canEncodeCode128(text)) return null;
  try {
    return code128Svg(text, options);
  } catch {
    return null;
  }
}
