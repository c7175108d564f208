import {
  BarcodeFormat,
  BinaryBitmap,
  Code128Reader,
  DecodeHintType,
  Exception as ZXingException,
  GlobalHistogramBinarizer,
  HybridBinarizer,
  QRCodeReader,
  RGBLuminanceSource,
  type Reader,
  type Result,
} from '@zxing/library';

/**
 * Reading a Yingke ticket barcode (QR code, or Code 128) out of a picture: a photo of the ticket,
 * a screenshot, a scanned page. @zxing/library does the decoding; this module only prepares the
 * pixels (grey levels, transparency over white, both orientations, a sensible size) and says
 * which of the two formats it found. The text is not interpreted here: the caller sends it down
 * the same path as a gun scan (parseTicket, the background's checks and audit).
 *
 * decodePixels is pure (no DOM) so unit tests run it in node; decodeImageBlob needs a browser.
 */

/** The two symbologies a Yingke ticket carries. Anything else in the picture is ignored. */
export const TICKET_BARCODE_FORMATS: readonly BarcodeFormat[] = [BarcodeFormat.QR_CODE, BarcodeFormat.CODE_128];

export type TicketBarcodeFormat = 'QR_CODE' | 'CODE_128';

export interface DecodedBarcode {
  text: string;
  format: TicketBarcodeFormat;
}

/** RGBA pixels, as in ImageData. */
export interface Pixels {
  data: Uint8ClampedArray | Uint8Array;
  width: number;
  height: number;
}

/** Hints for every reader we make: try harder (slower, finds more), only our two formats. */
export function ticketDecodeHints(): Map<DecodeHintType, unknown> {
  const hints = new Map<DecodeHintType, unknown>();
  hints.set(DecodeHintType.TRY_HARDER, true);
  hints.set(DecodeHintType.POSSIBLE_FORMATS, [...TICKET_BARCODE_FORMATS]);
  return hints;
}

/** Grey level per pixel (ITU-R BT.601 weights), transparent pixels taken as white paper. */
export function luminanceOf({ data, width, height }: Pixels): Uint8ClampedArray {
  const size = width * height;
  if (data.length < size * 4) throw new RangeError(`luminanceOf: ${data.length} bytes for ${width}×${height} RGBA`);
  const grey = new Uint8ClampedArray(size);
  for (let i = 0, p = 0; i < size; i++, p += 4) {
    const r = data[p] ?? 255;
    const g = data[p + 1] ?? 255;
    const b = data[p + 2] ?? 255;
    const a = data[p + 3] ?? 255;
    const y = (r * 299 + g * 587 + b * 114) / 1000;
    grey[i] = (y * a + 255 * (255 - a)) / 255;
  }
  return grey;
}

/** The grey image turned a quarter clockwise (a Code 128 photographed upright). */
function rotateQuarter(grey: Uint8ClampedArray, width: number, height: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(width * height);
  // new width = height; (x, y) → (height - 1 - y, x)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) out[x * height + (height - 1 - y)] = grey[y * width + x] ?? 255;
  }
  return out;
}

/**
 * One binarized picture through the QR and the Code 128 reader (with TRY_HARDER), used directly
 * rather than through MultiFormatReader: that one logs a warning for every miss in this version,
 * which a camera would do several times a second. The zxing Result, or null.
 */
export function readTicketBarcode(bitmap: BinaryBitmap, formats: readonly TicketBarcodeFormat[] = ['QR_CODE', 'CODE_128']): Result | null {
  const hints = ticketDecodeHints();
  const readers: Array<[Reader, TicketBarcodeFormat]> = [
    [new QRCodeReader(), 'QR_CODE'],
    [new Code128Reader(), 'CODE_128'],
  ];
  for (const [reader, format] of readers) {
    if (!formats.includes(format)) continue;
    try {
      return reader.decode(bitmap, hints);
    } catch (error) {
      // NotFound / Checksum / Format: nothing readable this way. Anything else is a real bug.
      if (!(error instanceof ZXingException)) throw error;
    } finally {
      reader.reset();
    }
  }
  return null;
}

/** readTicketBarcode's text and format. */
export function decodeBinaryBitmap(bitmap: BinaryBitmap, formats?: readonly TicketBarcodeFormat[]): DecodedBarcode | null {
  const result = readTicketBarcode(bitmap, formats);
  if (!result) return null;
  const format = result.getBarcodeFormat() === BarcodeFormat.QR_CODE ? 'QR_CODE' : 'CODE_128';
  return { text: result.getText(), format };
}

/**
 * The first ticket barcode found in the picture, or null when there is none (or none readable).
 * Tries the picture as it is, then (Code 128 only: a QR code reads in any orientation) turned a
 * quarter, since 1D readers scan rows; each with the local (hybrid) binarizer and then the
 * global one, which copes better with flat, even light.
 */
export function decodePixels(pixels: Pixels): DecodedBarcode | null {
  const { width, height } = pixels;
  if (!(width > 0 && height > 0)) return null;
  const grey = luminanceOf(pixels);
  const orientations: Array<[Uint8ClampedArray, number, number, TicketBarcodeFormat[]]> = [
    [grey, width, height, ['QR_CODE', 'CODE_128']],
    [rotateQuarter(grey, width, height), height, width, ['CODE_128']],
  ];
  for (const [lum, w, h, formats] of orientations) {
    const source = new RGBLuminanceSource(lum, w, h);
    for (const binarizer of [new HybridBinarizer(source), new GlobalHistogramBinarizer(source)]) {
      const found = decodeBinaryBitmap(new BinaryBitmap(binarizer), formats);
      if (found) return found;
    }
  }
  return null;
}

/** The picture could not be opened as an image at all (not a picture, or a format the browser lacks). */
export class NotAnImageError extends Error {
  constructor(cause: unknown) {
    super('not an image', { cause });
    this.name = 'NotAnImageError';
  }
}

/** Long sides to try, largest first: big photos are scaled down (faster, and zxing prefers it), tiny images up. */
export function decodeSizes(width: number, height: number): number[] {
  const long = Math.max(width, height);
  if (long <= 0) return [];
  if (long < 400) return [long, Math.min(1200, long * Math.ceil(800 / long))];
  if (long <= 1600) return [long, ...(long > 1000 ? [1000] : [])];
  return [1600, 1000];
}

/**
 * Decodes a picture (a File from the file input, or an image pasted from the clipboard).
 * Throws NotAnImageError when the browser cannot open it; null when it holds no ticket barcode.
 */
export async function decodeImageBlob(blob: Blob, doc: Document = document): Promise<DecodedBarcode | null> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob);
  } catch (error) {
    throw new NotAnImageError(error);
  }
  try {
    const canvas = doc.createElement('canvas');
    for (const size of decodeSizes(bitmap.width, bitmap.height)) {
      const scale = size / Math.max(bitmap.width, bitmap.height);
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      const context = canvas.getContext('2d', { willReadFrequently: true });
      if (!context) throw new Error('no 2d canvas');
      // Enlarged, a sharp code must stay sharp; reduced, smoothing averages the noise away.
      context.imageSmoothingEnabled = scale < 1;
      context.fillStyle = '#fff';
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      const found = decodePixels(context.getImageData(0, 0, canvas.width, canvas.height));
      if (found) return found;
      // give the popup a frame to breathe between attempts
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    return null;
  } finally {
    bitmap.close();
  }
}
