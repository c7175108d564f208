import { describe, expect, it } from 'vitest';
import { IMPORT_LIMITS, ImportLimitError, readImportFile, zipDeclaredSize } from '@/shared/import-limits';

/** A zip whose central directory declares these uncompressed sizes (no data is ever inflated). */
function zipDeclaring(sizes: number[]): Blob {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  const central: Uint8Array<ArrayBuffer>[] = [];
  let offset = 0;
  sizes.forEach((size, i) => {
    const name = new TextEncoder().encode(`xl/sheet${i}.xml`);
    const local = new DataView(new ArrayBuffer(30 + name.length));
    local.setUint32(0, 0x04034b50, true);
    local.setUint32(18, 10, true); // compressed
    local.setUint32(22, size, true);
    local.setUint16(26, name.length, true);
    new Uint8Array(local.buffer).set(name, 30);
    const data = new Uint8Array(10);
    const cd = new DataView(new ArrayBuffer(46 + name.length));
    cd.setUint32(0, 0x02014b50, true);
    cd.setUint32(20, 10, true);
    cd.setUint32(24, size, true);
    cd.setUint16(28, name.length, true);
    cd.setUint32(42, offset, true);
    new Uint8Array(cd.buffer).set(name, 46);
    parts.push(new Uint8Array(local.buffer), data);
    central.push(new Uint8Array(cd.buffer));
    offset += local.byteLength + data.length;
  });
  const cdSize = central.reduce((n, c) => n + c.length, 0);
  const eocd = new DataView(new ArrayBuffer(22));
  eocd.setUint32(0, 0x06054b50, true);
  eocd.setUint16(8, sizes.length, true);
  eocd.setUint16(10, sizes.length, true);
  eocd.setUint32(12, cdSize, true);
  eocd.setUint32(16, offset, true);
  return new Blob([...parts, ...central, new Uint8Array(eocd.buffer)]);
}

async function refusal(blob: Blob): Promise<ImportLimitError> {
  const error = await readImportFile(blob).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportLimitError);
  return error as ImportLimitError;
}

describe('vendor import caps', () => {
  it('refuses a file over the size cap before reading it', async () => {
    let read = 0;
    const huge = {
      size: IMPORT_LIMITS.maxBytes + 1,
      slice: () => ({ arrayBuffer: async () => ((read += 1), new ArrayBuffer(0)) }),
    };
    const error = await readImportFile(huge).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TOO_BIG' });
    expect(read).toBe(0);
  });

  it('reads the declared uncompressed size of an XLSX from its central directory, and refuses a zip bomb', async () => {
    expect(await zipDeclaredSize(zipDeclaring([1000, 2000]))).toEqual({ entries: 2, uncompressed: 3000 });
    expect((await refusal(zipDeclaring([40 * 1024 * 1024, 40 * 1024 * 1024]))).code).toBe('ZIP_TOO_BIG');
    expect((await refusal(zipDeclaring([0xffffffff]))).code).toBe('ZIP_TOO_BIG');
    const small = zipDeclaring([1000]);
    expect((await readImportFile(small)).length).toBe(small.size);
  });

  it('refuses a CSV with too many lines while reading it in chunks, with progress', async () => {
    const line = '交易流水号,交易金额\n';
    const tooMany = new Blob([line.repeat(IMPORT_LIMITS.maxRows + 200)]);
    expect((await refusal(tooMany)).code).toBe('TOO_MANY_ROWS');
    const progress: number[] = [];
    const fine = new Blob([line.repeat(5000)]);
    const bytes = await readImportFile(fine, (f) => progress.push(f));
    expect(new TextDecoder().decode(bytes)).toBe(line.repeat(5000));
    expect(progress.at(-1)).toBe(1);
  });

  it('counts lines of a UTF-16 file by whole units (a CJK character’s 0x0A byte is not a line)', async () => {
    // 上 is U+4E0A: its low byte is 0x0A
    const text = '上'.repeat(IMPORT_LIMITS.maxRows + 500) + '\n';
    const units = new Uint8Array(2 + text.length * 2);
    units.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i += 1) {
      const code = text.charCodeAt(i);
      units[2 + i * 2] = code & 0xff;
      units[3 + i * 2] = code >> 8;
    }
    await expect(readImportFile(new Blob([units]))).resolves.toHaveLength(units.length);
  });
});
