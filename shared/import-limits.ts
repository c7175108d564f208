import { MAX_IMPORT_ROWS } from './vendor-import';

/**
 * Caps on a vendor file, checked before it is read whole or parsed, so a huge CSV or a zip bomb
 * dressed as .xlsx cannot hang the log page: the file's size first; for an XLSX the uncompressed
 * size its zip central directory declares (read from the file's tail, nothing inflated); for a
 * CSV its line count, counted while the file is read in chunks (with progress).
 * A day's export of one store is a few hundred rows and well under 1 MB.
 */
export const IMPORT_LIMITS = {
  maxBytes: 10 * 1024 * 1024,
  maxRows: MAX_IMPORT_ROWS,
  maxXlsxUncompressed: 64 * 1024 * 1024,
  maxZipEntries: 2_000,
  chunkBytes: 512 * 1024,
} as const;

export type ImportLimitCode = 'TOO_BIG' | 'TOO_MANY_ROWS' | 'ZIP_TOO_BIG' | 'ZIP_UNREADABLE';

export class ImportLimitError extends Error {
  constructor(
    readonly code: ImportLimitCode,
    /** the measured size (bytes) or line count, and the limit */
    readonly measured: number,
    readonly limit: number,
  ) {
    super(`${code}: ${measured} > ${limit}`);
  }
}

/** What the page's File is to this module (a Blob: tests pass one). */
export interface BlobLike {
  readonly size: number;
  slice(start?: number, end?: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

const EOCD_SIGNATURE = 0x06054b50;
const CD_SIGNATURE = 0x02014b50;
/** the end-of-central-directory record is 22 bytes plus a comment of at most 65,535 */
const EOCD_MAX_SPAN = 22 + 0xffff;

/**
 * The total uncompressed size and entry count a zip's central directory declares. ZIP64 sizes
 * (0xFFFFFFFF) count as too big: no vendor export needs 4 GB.
 */
export async function zipDeclaredSize(blob: BlobLike): Promise<{ entries: number; uncompressed: number }> {
  const tailStart = Math.max(0, blob.size - EOCD_MAX_SPAN);
  const tail = new DataView(await blob.slice(tailStart, blob.size).arrayBuffer());
  let eocd = -1;
  for (let i = tail.byteLength - 22; i >= 0; i -= 1) {
    if (tail.getUint32(i, true) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ImportLimitError('ZIP_UNREADABLE', 0, 0);
  const entries = tail.getUint16(eocd + 10, true);
  const cdSize = tail.getUint32(eocd + 12, true);
  const cdOffset = tail.getUint32(eocd + 16, true);
  if (entries === 0xffff || cdOffset === 0xffffffff || cdOffset + cdSize > blob.size) throw new ImportLimitError('ZIP_UNREADABLE', 0, 0);
  if (entries > IMPORT_LIMITS.maxZipEntries) throw new ImportLimitError('ZIP_TOO_BIG', entries, IMPORT_LIMITS.maxZipEntries);
  const cd = new DataView(await blob.slice(cdOffset, cdOffset + cdSize).arrayBuffer());
  let uncompressed = 0;
  let at = 0;
  for (let n = 0; n < entries; n += 1) {
    if (at + 46 > cd.byteLength || cd.getUint32(at, true) !== CD_SIGNATURE) throw new ImportLimitError('ZIP_UNREADABLE', 0, 0);
    const size = cd.getUint32(at + 24, true);
    if (size === 0xffffffff) return { entries, uncompressed: Number.POSITIVE_INFINITY };
    uncompressed += size;
    at += 46 + cd.getUint16(at + 28, true) + cd.getUint16(at + 30, true) + cd.getUint16(at + 32, true);
  }
  return { entries, uncompressed };
}

function looksLikeZip(head: Uint8Array): boolean {
  return head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
}

/** Lets the page paint (progress) between chunks. */
const breathe = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Reads a vendor file within the caps, in chunks, reporting progress (0–1). Throws an
 * ImportLimitError before reading what would be too much.
 */
export async function readImportFile(blob: BlobLike, onProgress: (fraction: number) => void = () => {}): Promise<Uint8Array<ArrayBuffer>> {
  if (blob.size > IMPORT_LIMITS.maxBytes) throw new ImportLimitError('TOO_BIG', blob.size, IMPORT_LIMITS.maxBytes);
  const head = new Uint8Array(await blob.slice(0, 4).arrayBuffer());
  const zip = looksLikeZip(head);
  if (zip) {
    const { uncompressed } = await zipDeclaredSize(blob);
    if (uncompressed > IMPORT_LIMITS.maxXlsxUncompressed) throw new ImportLimitError('ZIP_TOO_BIG', uncompressed, IMPORT_LIMITS.maxXlsxUncompressed);
  }
  const utf16 = head[0] === 0xff && head[1] === 0xfe ? 'le' : head[0] === 0xfe && head[1] === 0xff ? 'be' : null;
  const out = new Uint8Array(blob.size);
  let lines = 0;
  for (let offset = 0; offset < blob.size; offset += IMPORT_LIMITS.chunkBytes) {
    const chunk = new Uint8Array(await blob.slice(offset, Math.min(blob.size, offset + IMPORT_LIMITS.chunkBytes)).arrayBuffer());
    out.set(chunk, offset);
    if (!zip) {
      // LF: one byte 0x0A in UTF-8 and GBK (no multi-byte character contains it); in UTF-16
      // only a whole, aligned 0x000A unit is one (chunks have an even size). A little slack for
      // title and 合计 lines.
      if (utf16 === null) {
        for (const byte of chunk) if (byte === 0x0a) lines += 1;
      } else {
        for (let i = utf16 === 'le' ? 0 : 1; i + 1 < chunk.length + (utf16 === 'le' ? 0 : 1); i += 2) {
          const lf = utf16 === 'le' ? chunk[i] === 0x0a && chunk[i + 1] === 0 : chunk[i] === 0x0a && chunk[i - 1] === 0;
          if (lf) lines += 1;
        }
      }
      if (lines > IMPORT_LIMITS.maxRows + 100) throw new ImportLimitError('TOO_MANY_ROWS', lines, IMPORT_LIMITS.maxRows);
    }
    onProgress(Math.min(1, (offset + chunk.length) / Math.max(1, blob.size)));
    await breathe();
  }
  return out;
}
