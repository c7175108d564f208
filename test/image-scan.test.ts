import { describe, expect, it } from 'vitest';
import { BarcodeFormat, EncodeHintType, QRCodeWriter } from '@zxing/library';
import { decodePixels, decodeSizes, luminanceOf, type Pixels } from '@/shared/image-scan';
import { encodeCode128 } from '@/shared/code128';
import { encodeTicket } from '@/shared/ticket';

/** Pictures drawn in memory: black modules on white, with a quiet zone, as RGBA. */
function blank(width: number, height: number, grey = 255): Pixels {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < data.length; i += 4) data.set([grey, grey, grey, 255], i);
  return { data, width, height };
}

function paint(pixels: Pixels, x0: number, y0: number, w: number, h: number, grey = 0): void {
  for (let y = y0; y < y0 + h; y++) {
    for (let x = x0; x < x0 + w; x++) pixels.data.set([grey, grey, grey, 255], (y * pixels.width + x) * 4);
  }
}

function qrPicture(text: string, scale = 6, quiet = 4): Pixels {
  const hints = new Map([[EncodeHintType.MARGIN, 0]]);
  const matrix = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, hints);
  const size = (matrix.getWidth() + 2 * quiet) * scale;
  const pixels = blank(size, size);
  for (let y = 0; y < matrix.getHeight(); y++) {
    for (let x = 0; x < matrix.getWidth(); x++) {
      if (matrix.get(x, y)) paint(pixels, (x + quiet) * scale, (y + quiet) * scale, scale, scale);
    }
  }
  return pixels;
}

function code128Picture(text: string, moduleWidth = 3, height = 120, quiet = 10): Pixels {
  const widths = encodeCode128(text);
  const modules = widths.reduce((a, b) => a + b, 0) + 2 * quiet;
  const pixels = blank(modules * moduleWidth, height + 40);
  let x = quiet;
  widths.forEach((w, i) => {
    if (i % 2 === 0) paint(pixels, x * moduleWidth, 20, w * moduleWidth, height);
    x += w;
  });
  return pixels;
}

function turnQuarter(p: Pixels): Pixels {
  const out = blank(p.height, p.width);
  for (let y = 0; y < p.height; y++) {
    for (let x = 0; x < p.width; x++) {
      const from = (y * p.width + x) * 4;
      const to = (x * p.height + (p.height - 1 - y)) * 4;
      out.data.set(p.data.subarray(from, from + 4), to);
    }
  }
  return out;
}

const FULL = encodeTicket({
  store: 'S0012',
  orderNo: 'XS250328000123',
  issuedAt: '2025-03-28T10:15:00+08:00',
  totalFen: 16300,
  items: [
    { code: '6901234567892', qty: 2, unitFen: 1750 },
    { code: '6923456789012', qty: 1, unitFen: 2600 },
    { code: '6934567890122', qty: 3, unitFen: 3400 },
  ],
});
const ONE_LINE = encodeTicket({
  store: 'S0012',
  orderNo: 'XS250328000124',
  issuedAt: '2025-03-28T10:15:00+08:00',
  totalFen: 2600,
  items: [{ code: '6923456789012', qty: 1, unitFen: 2600 }],
});

describe('decodePixels', () => {
  it('reads a full ticket from a QR code', () => {
    expect(decodePixels(qrPicture(FULL))).toEqual({ text: FULL, format: 'QR_CODE' });
  });

  it('reads a ticket and a bare order number from Code 128, level or turned a quarter', () => {
    expect(decodePixels(code128Picture(ONE_LINE))).toEqual({ text: ONE_LINE, format: 'CODE_128' });
    expect(decodePixels(code128Picture('XS250328000123'))).toEqual({ text: 'XS250328000123', format: 'CODE_128' });
    expect(decodePixels(turnQuarter(code128Picture('XS250328000123')))).toEqual({ text: 'XS250328000123', format: 'CODE_128' });
  });

  it('reads a QR code on a grey, low-contrast background', () => {
    const qr = qrPicture(FULL);
    for (let i = 0; i < qr.data.length; i += 4) {
      const v = qr.data[i] === 0 ? 70 : 190;
      qr.data.set([v, v, v, 255], i);
    }
    expect(decodePixels(qr)?.text).toBe(FULL);
  });

  it('finds nothing in an empty picture, or in a picture of random noise', () => {
    expect(decodePixels(blank(400, 300))).toBeNull();
    const noise = blank(300, 300);
    let seed = 7;
    for (let i = 0; i < noise.data.length; i += 4) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const v = seed & 1 ? 0 : 255;
      noise.data.set([v, v, v, 255], i);
    }
    expect(decodePixels(noise)).toBeNull();
    expect(decodePixels({ data: new Uint8ClampedArray(0), width: 0, height: 0 })).toBeNull();
  });

  it('takes transparent pixels as white paper', () => {
    const grey = luminanceOf({ data: new Uint8ClampedArray([0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255]), width: 3, height: 1 });
    expect([...grey]).toEqual([255, 0, 255]);
  });
});

describe('decodeSizes', () => {
  it('scales big photos down and tiny images up', () => {
    expect(decodeSizes(4000, 3000)).toEqual([1600, 1000]);
    expect(decodeSizes(1200, 900)).toEqual([1200, 1000]);
    expect(decodeSizes(800, 600)).toEqual([800]);
    expect(decodeSizes(100, 60)).toEqual([100, 800]);
    expect(decodeSizes(0, 0)).toEqual([]);
  });
});
