import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { code128Svg, code128Values, encodeCode128 } from '@/shared/code128';

/**
 * The Code 128 symbol table in its other common form (1 = bar module, 0 = space module), values
 * 0–106, written independently of the width table in shared/code128.ts. The stop (106) includes
 * the final 2-module termination bar.
 */
const BINARY = [
  '11011001100', '11001101100', '11001100110', '10010011000', '10010001100', '10001001100', '10011001000', '10011000100',
  '10001100100', '11001001000', '11001000100', '11000100100', '10110011100', '10011011100', '10011001110', '10111001100',
  '10011101100', '10011100110', '11001110010', '11001011100', '11001001110', '11011100100', '11001110100', '11101101110',
  '11101001100', '11100101100', '11100100110', '11101100100', '11100110100', '11100110010', '11011011000', '11011000110',
  '11000110110', '10100011000', '10001011000', '10001000110', '10110001000', '10001101000', '10001100010', '11010001000',
  '11000101000', '11000100010', '10110111000', '10110001110', '10001101110', '10111011000', '10111000110', '10001110110',
  '11101110110', '11010001110', '11000101110', '11011101000', '11011100010', '11011101110', '11101011000', '11101000110',
  '11100010110', '11101101000', '11101100010', '11100011010', '11101111010', '11001000010', '11110001010', '10100110000',
  '10100001100', '10010110000', '10010000110', '10000101100', '10000100110', '10110010000', '10110000100', '10011010000',
  '10011000010', '10000110100', '10000110010', '11000010010', '11001010000', '11110111010', '11000010100', '10001111010',
  '10100111100', '10010111100', '10010011110', '10111100100', '10011110100', '10011110010', '11110100100', '11110010100',
  '11110010010', '11011011110', '11011110110', '11110110110', '10101111000', '10100011110', '10001011110', '10111101000',
  '10111100010', '11110101000', '11110100010', '10111011110', '10111101110', '11101011110', '11110101110', '11010000100',
  '11010010000', '11010011100', '1100011101011',
];

/** widths → "1101…" */
function toBinary(widths: number[]): string {
  return widths.map((width, index) => (index % 2 === 0 ? '1' : '0').repeat(width)).join('');
}

/** Splits a module string into symbol values with the independent table (11 modules each, 13 for stop). */
function decodeValues(modules: string): number[] {
  const values: number[] = [];
  let at = 0;
  while (at < modules.length) {
    const size = modules.length - at === 13 ? 13 : 11;
    const value = BINARY.indexOf(modules.slice(at, at + size));
    if (value < 0) throw new Error(`no symbol at module ${at}`);
    values.push(value);
    at += size;
  }
  return values;
}

/** Interprets symbol values (start B/C, CODE B/C switches) back into text, checking the check symbol. */
function decodeText(values: number[]): string {
  expect(values.at(-1)).toBe(106);
  const check = values.at(-2);
  const data = values.slice(0, -2);
  const sum = data.reduce((total, value, position) => total + (position === 0 ? value : position * value), 0);
  expect(check).toBe(sum % 103);
  let set = data[0] === 105 ? 'C' : data[0] === 104 ? 'B' : '?';
  expect(set).not.toBe('?');
  let text = '';
  for (const value of data.slice(1)) {
    if (set === 'B' && value === 99) set = 'C';
    else if (set === 'C' && value === 100) set = 'B';
    else if (set === 'B') text += String.fromCharCode(value + 32);
    else text += String(value).padStart(2, '0');
  }
  return text;
}

const sum = (widths: number[]) => widths.reduce((total, width) => total + width, 0);

describe('code128Values', () => {
  it('RYT20250328: set B for the letters, set C for the trailing 8 digits', () => {
    // Start B 104; R=82-32=50, Y=57, T=52; CODE C 99; 20, 25, 03, 28.
    // check = 104 + 1·50 + 2·57 + 3·52 + 4·99 + 5·20 + 6·25 + 7·3 + 8·28
    //       = 104 + 50 + 114 + 156 + 396 + 100 + 150 + 21 + 224 = 1315; 1315 mod 103 = 79
    expect(code128Values('RYT20250328')).toEqual([104, 50, 57, 52, 99, 20, 25, 3, 28, 79, 106]);
  });

  it('PJJ123C: a 3-digit run stays in set B', () => {
    // P=48, J=42, J=42, 1=17, 2=18, 3=19, C=35
    // check = 104 + 48 + 84 + 126 + 68 + 90 + 114 + 245 = 879; 879 mod 103 = 55
    expect(code128Values('PJJ123C')).toEqual([104, 48, 42, 42, 17, 18, 19, 35, 55, 106]);
  });

  it('all digits, even: start C', () => {
    // check = 105 + 1·12 + 2·34 + 3·56 + 4·78 = 105 + 12 + 68 + 168 + 312 = 665; 665 mod 103 = 47
    expect(code128Values('12345678')).toEqual([105, 12, 34, 56, 78, 47, 106]);
    // 105 + 12 = 117; 117 mod 103 = 14
    expect(code128Values('12')).toEqual([105, 12, 14, 106]);
  });

  it('all digits, odd: the spare digit in set B, the rest in C', () => {
    // 104 + 17 + 2·99 + 3·23 + 4·45 = 104 + 17 + 198 + 69 + 180 = 568; 568 mod 103 = 53
    expect(code128Values('12345')).toEqual([104, 17, 99, 23, 45, 53, 106]);
    // single digit: B. 104 + 21 = 125; 125 mod 103 = 22
    expect(code128Values('5')).toEqual([104, 21, 22, 106]);
  });

  it('a leading run of 4 digits starts in C and switches to B', () => {
    // 105 + 12 + 2·34 + 3·100 + 4·33 + 5·34 = 105 + 12 + 68 + 300 + 132 + 170 = 787; 787 mod 103 = 66
    expect(code128Values('1234AB')).toEqual([105, 12, 34, 100, 33, 34, 66, 106]);
  });

  it('an inner run of 4 stays in B (same length), an inner run of 6 goes to C', () => {
    expect(code128Values('AB1234CD').slice(0, -2)).toEqual([104, 33, 34, 17, 18, 19, 20, 35, 36]);
    expect(code128Values('AB123456CD').slice(0, -2)).toEqual([104, 33, 34, 99, 12, 34, 56, 100, 35, 36]);
  });

  it('refuses what set B cannot carry', () => {
    expect(() => code128Values('')).toThrow(RangeError);
    expect(() => code128Values('博明卡123')).toThrow(RangeError);
    expect(() => code128Values('AB\tC')).toThrow(RangeError);
    expect(() => code128Values('1'.repeat(81))).toThrow(RangeError);
  });
});

describe('encodeCode128', () => {
  it('is the module pattern of start, data, check and stop', () => {
    const widths = encodeCode128('RYT20250328');
    // 10 symbols of 11 modules (start, 8 data, check) + stop 13
    expect(sum(widths)).toBe(10 * 11 + 13);
    expect(widths).toHaveLength(10 * 6 + 7);
    expect(decodeValues(toBinary(widths))).toEqual([104, 50, 57, 52, 99, 20, 25, 3, 28, 79, 106]);
    // starts with Start B (211214), ends with the stop and its termination bar (2331112)
    expect(widths.slice(0, 6)).toEqual([2, 1, 1, 2, 1, 4]);
    expect(widths.slice(-7)).toEqual([2, 3, 3, 1, 1, 1, 2]);
  });

  it('every symbol is 11 modules with an even number of bar modules; the stop is 13', () => {
    const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');
    for (const text of [printable.slice(0, 40), printable.slice(40), '0123456789'.repeat(3)]) {
      const widths = encodeCode128(text);
      const symbols = (widths.length - 7) / 6;
      expect(Number.isInteger(symbols)).toBe(true);
      for (let s = 0; s < symbols; s++) {
        const symbol = widths.slice(s * 6, s * 6 + 6);
        expect(sum(symbol)).toBe(11);
        expect((symbol[0] ?? 0) + (symbol[2] ?? 0) + (symbol[4] ?? 0)).toSatisfy((bars: number) => bars % 2 === 0);
        expect(symbol.every((w) => w >= 1 && w <= 4)).toBe(true);
      }
      expect(sum(widths.slice(-7))).toBe(13);
    }
  });

  it('round-trips any printable ASCII text, never longer than set B alone', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: fc.constantFrom(...'0123456789'.split('')), minLength: 1, maxLength: 30 }),
          fc.string({ unit: fc.constantFrom(...'0123456789-ABRYTx'.split('')), minLength: 1, maxLength: 40 }),
          fc.string({ unit: fc.integer({ min: 32, max: 126 }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 40 }),
        ),
        (text) => {
          const widths = encodeCode128(text);
          const values = decodeValues(toBinary(widths));
          expect(values).toEqual(code128Values(text));
          expect(decodeText(values)).toBe(text);
          // start + data + check + stop: set B alone would need text.length data symbols
          expect(values.length - 3).toBeLessThanOrEqual(text.length);
          expect(sum(widths)).toBe(11 * (values.length - 1) + 13);
        },
      ),
    );
  });

  it('uses set C where it saves symbols: a 16-digit number is 8 data symbols', () => {
    expect(code128Values('6222021234567890')).toHaveLength(1 + 8 + 2);
    // start, R Y T, the spare '2' in B, CODE C, 8 pairs, check, stop
    expect(code128Values('RYT20250328101500123').slice(0, 6)).toEqual([104, 50, 57, 52, 18, 99]);
    expect(code128Values('RYT20250328101500123')).toHaveLength(1 + 3 + 1 + 1 + 8 + 2);
  });
});

describe('code128Svg', () => {
  it('draws one black rect per bar on a white background, with quiet zones', () => {
    const widths = encodeCode128('RYT20250328');
    const modules = sum(widths);
    const svg = code128Svg('RYT20250328');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain(`width="${(modules + 20) * 2}" height="60"`);
    expect(svg).not.toContain('<text');
    const bars = [...svg.matchAll(/<rect x="([\d.]+)" y="0" width="([\d.]+)" height="60" fill="#000"\/>/g)];
    expect(bars).toHaveLength(Math.ceil(widths.length / 2));
    // first bar right after the 10-module quiet zone, 2 px per module
    expect(bars[0]?.[1]).toBe('20');
    expect(bars[0]?.[2]).toBe(String((widths[0] ?? 0) * 2));
    expect(svg).toContain('fill="#fff"');
  });

  it('takes module width, height and quiet zone', () => {
    const modules = sum(encodeCode128('A1'));
    const svg = code128Svg('A1', { moduleWidth: 1.5, height: 40, quietZone: 12 });
    expect(svg).toContain(`width="${(modules + 24) * 1.5}" height="40"`);
    expect(svg).toContain('<rect x="18" y="0"');
    expect(() => code128Svg('A1', { moduleWidth: 0 })).toThrow(RangeError);
  });
});

describe('code128SvgOrNull (the popup never throws on a vendor number)', () => {
  it('answers null for text Code 128 cannot carry, an SVG otherwise', async () => {
    const { code128SvgOrNull, canEncodeCode128 } = await import('@/shared/code128');
    for (const text of ['RYT流水001', '', 'x'.repeat(81), 'tab\there', 'ＲＹＴ001']) {
      expect(canEncodeCode128(text)).toBe(false);
      expect(code128SvgOrNull(text)).toBeNull();
    }
    expect(code128SvgOrNull('RYT20250328101500123')).toMatch(/^<svg /);
  });
});
