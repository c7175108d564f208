import type { AuditEntry } from './db';
import { stableJson } from './audit-chain';
import { formatFen } from './core/money';
import type { TotalRow } from './log-totals';
import { diffStatus, type Difference, type SettlementRow, type YingkeEntry } from './reconcile';

/**
 * Exports of the daily log: .xlsx and CSV.
 *
 * Identifiers (Yingke order numbers, vendor transaction numbers up to 31 digits, tender ids,
 * vouchers, masked cards) are always written as text: in the .xlsx as string cells formatted "@";
 * in the CSV followed by a tab inside the quotes — what Alipay's and WeChat Pay's bill exports do —
 * so Excel does not turn 1301178801201810190900081161779 into 1.30118E+30. Amounts are yuan
 * numbers with two decimals, written from integer fen by string arithmetic (formatFen).
 *
 * The .xlsx is written here rather than with write-excel-file: that library zips every part over
 * 160 KB in a Web Worker made from a blob: URL, which an MV3 extension page's CSP refuses (and
 * `worker-src blob:` is not allowed in MV3). This writer has no workers: the parts are deflated
 * with the platform's CompressionStream('deflate-raw') when there is one, else stored.
 */

export type ColumnType = 'text' | 'yuan' | 'int';
export interface Column {
  header: string;
  type: ColumnType;
  /** in characters */
  width?: number;
}
/** text for text columns, integer fen for yuan columns, integers for int columns */
export type CellValue = string | number | null;
export interface Sheet {
  name: string;
  columns: Column[];
  rows: CellValue[][];
}
export type SheetHead = Omit<Sheet, 'rows'>;

// ---------------------------------------------------------------------------------------------
// XLSX

// XML 1.0 allows tab, LF, CR and everything from U+0020 (but U+FFFE/U+FFFF); the rest is dropped.
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
/** ASCII only, so V8 keeps it on its fast path: this test runs once per cell */
const XML_SPECIAL = /[&<>"\x00-\x08\x0b\x0c\x0e-\x1f]/;
function xmlText(text: string): string {
  // most cells (numbers, names) need nothing: one test instead of five replaces
  if (!XML_SPECIAL.test(text) && text.indexOf('\ufffe') < 0 && text.indexOf('\uffff') < 0) return text;
  return text.replace(XML_INVALID, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Element text: only & and < need escaping there (> too, for "]]>"); quotes stay as they are.
 * An audit detail is JSON full of quotes: as &quot; each made the sheet bigger and slower to write. */
const CONTENT_SPECIAL = /[&<>\x00-\x08\x0b\x0c\x0e-\x1f]/;
const CONTENT_ESCAPE = /[&<>]/g;
const escapeContentChar = (c: string): string => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;');
function xmlContent(text: string): string {
  if (!CONTENT_SPECIAL.test(text) && text.indexOf('\ufffe') < 0 && text.indexOf('\uffff') < 0) return text;
  return text.replace(XML_INVALID, '').replace(CONTENT_ESCAPE, escapeContentChar);
}

export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** Excel sheet names: ≤ 31 characters, none of []:*?/\ , unique. */
function sheetNames(sheets: readonly SheetHead[]): string[] {
  const used = new Set<string>();
  return sheets.map((sheet, i) => {
    let name = sheet.name.replace(/[[\]:*?/\\]/g, ' ').trim().slice(0, 31) || `Sheet${i + 1}`;
    while (used.has(name.toLowerCase())) name = `${name.slice(0, 28)}~${i + 1}`;
    used.add(name.toLowerCase());
    return name;
  });
}

// cellXfs: 0 default, 1 text "@", 2 yuan "0.00", 3 header (bold, text), 4 integer
const STYLE = { text: 1, yuan: 2, header: 3, int: 4 } as const;
const STYLES_XML =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
  '<numFmts count="1"><numFmt numFmtId="164" formatCode="0.00"/></numFmts>' +
  '<fonts count="2"><font><sz val="11"/><name val="等线"/></font><font><b/><sz val="11"/><name val="等线"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="5">' +
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyNumberFormat="1"/>' +
  '<xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '</cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  '</styleSheet>';

/**
 * The sheet XML is written straight into UTF-8 bytes: a year is ~100 MB of XML, and building it
 * as one string (UTF-16 as soon as one Chinese character is in it) then encoding it took seconds.
 */
class ByteWriter {
  private buf = new Uint8Array(1 << 20);
  private len = 0;
  private readonly encoder = new TextEncoder();

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + extra));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  /** markup: ASCII only */
  ascii(text: string): void {
    this.ensure(text.length);
    for (let i = 0; i < text.length; i += 1) this.buf[this.len++] = text.charCodeAt(i);
  }

  text(text: string): void {
    this.ensure(text.length * 3);
    this.len += this.encoder.encodeInto(text, this.buf.subarray(this.len)).written;
  }

  bytes(): Uint8Array<ArrayBuffer> {
    return this.buf.slice(0, this.len);
  }

  get length(): number {
    return this.len;
  }

  /** The bytes so far, emptying the writer. */
  take(): Uint8Array<ArrayBuffer> {
    const out = this.bytes();
    this.len = 0;
    return out;
  }
}

const SHEET_HEAD =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
  '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>';

function textCell(ref: string, text: string, style: number): string {
  // spaces at either end are kept only when the text says so
  const keep = text.length > 0 && (text.charCodeAt(0) <= 32 || text.charCodeAt(text.length - 1) <= 32);
  return `<c r="${ref}" t="inlineStr" s="${style}"><is>${keep ? '<t xml:space="preserve">' : '<t>'}${xmlContent(text)}</t></is></c>`;
}

/** A sheet's XML up to and including its header row. */
function sheetHead(sheet: SheetHead): string {
  let xml = SHEET_HEAD;
  if (sheet.columns.length) {
    xml += '<cols>';
    sheet.columns.forEach((c, i) => (xml += `<col min="${i + 1}" max="${i + 1}" width="${c.width ?? (c.type === 'text' ? 20 : 12)}" customWidth="1"/>`));
    xml += '</cols>';
  }
  const letters = sheet.columns.map((_, i) => columnLetter(i));
  return `${xml}<sheetData><row r="1">${sheet.columns.map((c, i) => textCell(`${letters[i]}1`, c.header, STYLE.header)).join('')}</row>`;
}
const SHEET_TAIL = '</sheetData></worksheet>';

/** One data row's XML (rowNo from 2: row 1 is the header). */
function rowXml(row: readonly CellValue[], columns: readonly Column[], letters: readonly string[], rowNo: number): string {
  let line = `<row r="${rowNo}">`;
  for (let i = 0; i < columns.length; i += 1) {
    const value = row[i];
    const column = columns[i];
    if (value === null || value === undefined || value === '' || !column) continue;
    const ref = `${letters[i]}${rowNo}`;
    if (column.type === 'text' || typeof value === 'string') line += textCell(ref, String(value), STYLE.text);
    else if (column.type === 'yuan') line += `<c r="${ref}" s="${STYLE.yuan}"><v>${formatFen(value)}</v></c>`;
    else line += `<c r="${ref}" s="${STYLE.int}"><v>${Number.isFinite(value) ? String(value) : '0'}</v></c>`;
  }
  return `${line}</row>`;
}

function sheetBytes(sheet: Sheet): Uint8Array<ArrayBuffer> {
  const out = new ByteWriter();
  out.text(sheetHead(sheet));
  const letters = sheet.columns.map((_, i) => columnLetter(i));
  // one small string per row, encoded once: no giant string, no per-cell encoder call
  for (let r = 0; r < sheet.rows.length; r += 1) out.text(rowXml(sheet.rows[r] ?? [], sheet.columns, letters, r + 2));
  out.ascii(SHEET_TAIL);
  return out.bytes();
}

/**
 * A sheet written and compressed while its rows arrive (a month's audit entries, ~90,000, as the
 * database hands them over): the XML of each part of the rows goes into the compression stream
 * at once, so the database reads the next part while this one is written. Its bytes are the same
 * as toXlsx would write for the whole sheet.
 */
export class StreamedSheet implements PackedSheet {
  private readonly letters: string[];
  private out = new ByteWriter();
  private packer: StreamPacker | null = null;
  private nextRow = 2;
  private flushed = false;

  constructor(readonly sheet: SheetHead) {
    this.letters = sheet.columns.map((_, i) => columnLetter(i));
    this.start();
  }

  private start(): void {
    this.packer = StreamPacker.create();
    this.out = new ByteWriter();
    this.nextRow = 2;
    this.flushed = false;
    this.out.text(sheetHead(this.sheet));
  }

  get rowCount(): number {
    return this.nextRow - 2;
  }

  add(rows: readonly (readonly CellValue[])[]): void {
    for (const row of rows) this.out.text(rowXml(row, this.sheet.columns, this.letters, this.nextRow++));
    // ~4 MB at a time into the stream (without one, the bytes wait for finish)
    if (this.packer && this.out.length >= STREAM_FLUSH_BYTES) {
      this.packer.write(this.out.take());
      this.flushed = true;
    }
  }

  /** Forget the rows so far (their source starts over). */
  reset(): void {
    this.packer?.abort();
    this.start();
  }

  async finish(): Promise<Packed & { size: number }> {
    this.out.ascii(SHEET_TAIL);
    const packer = this.packer;
    if (packer) {
      packer.write(this.out.take());
      const packed = await packer.finish();
      if (packed) return packed;
      if (this.flushed) throw new Error('the sheet could not be compressed');
    }
    // no compression stream: the sheet is stored, whole
    const data = this.out.bytes();
    return { body: data, crc: crc32(data), method: 0, size: data.length };
  }
}
const STREAM_FLUSH_BYTES = 4 << 20;

function workbookParts(sheets: readonly SheetHead[]): Array<[string, string]> {
  const names = sheetNames(sheets);
  const n = names.length;
  const contentTypes =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
    names.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('') +
    '</Types>';
  const rootRels =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
    '</Relationships>';
  const workbook =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>' +
    names.map((name, i) => `<sheet name="${xmlText(name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') +
    '</sheets></workbook>';
  const workbookRels =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    names.map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('') +
    `<Relationship Id="rId${n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
    '</Relationships>';
  // the workbook's frame; toXlsx adds the sheets' parts
  return [
    ['[Content_Types].xml', contentTypes],
    ['_rels/.rels', rootRels],
    ['xl/workbook.xml', workbook],
    ['xl/_rels/workbook.xml.rels', workbookRels],
    ['xl/styles.xml', STYLES_XML],
  ];
}

/** A sheet whose part is written and packed elsewhere (a StreamedSheet, or one made in a worker). */
export interface PackedSheet {
  sheet: SheetHead;
  finish(): Promise<Packed & { size: number }>;
}

/** A sheet written and compressed now (while the caller waits for something else); toXlsx takes it as it is. */
export function packedSheet(sheet: Sheet): PackedSheet {
  const data = sheetBytes(sheet);
  const packed = pack(data).then((p) => ({ ...p, size: data.length }));
  packed.catch(() => undefined);
  return { sheet: { name: sheet.name, columns: sheet.columns }, finish: () => packed };
}

/**
 * The .xlsx file's bytes. A sheet may come already packed (packedSheet, a StreamedSheet, one made
 * in a worker); `streamed` sheets come after `sheets`.
 */
export async function toXlsx(sheets: readonly (Sheet | PackedSheet)[], streamed: readonly PackedSheet[] = []): Promise<Uint8Array<ArrayBuffer>> {
  const encoder = new TextEncoder();
  const all = [...sheets, ...streamed];
  const plain = (s: Sheet | PackedSheet): s is Sheet => 'rows' in s;
  const files: ZipInput[] = workbookParts(all.map((s) => (plain(s) ? s : s.sheet))).map(([name, xml]) => ({ name, data: encoder.encode(xml) }));
  for (const [i, s] of all.entries()) {
    const name = `xl/worksheets/sheet${i + 1}.xml`;
    files.push(plain(s) ? { name, data: sheetBytes(s) } : { name, packed: await s.finish() });
  }
  return zip(files);
}

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// ---------------------------------------------------------------------------------------------
// ZIP (no workers)

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i += 1) crc = (CRC_TABLE[(crc ^ (data[i] ?? 0)) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export interface Packed {
  body: Uint8Array;
  crc: number;
  /** 8 deflate, 0 stored */
  method: 0 | 8;
}

/**
 * Deflates with the platform's gzip CompressionStream: native code, and the gzip trailer carries
 * the CRC-32 of the input, so the zip needs no pass over the bytes in JS. The input is written
 * straight into the stream (a Blob of a part — tens of MB for a month's audit sheet — would first
 * be copied out to the browser's blob store and streamed back), in as many writes as the caller has
 * parts, while the output is read.
 */
class StreamPacker {
  private readonly writer: WritableStreamDefaultWriter<BufferSource>;
  private readonly output: Promise<ArrayBuffer>;
  private readonly writes: Promise<void>[] = [];
  private size = 0;

  private constructor(compressor: CompressionStream) {
    this.writer = compressor.writable.getWriter();
    this.output = new Response(compressor.readable).arrayBuffer();
    this.output.catch(() => undefined);
  }

  /** null where there is no CompressionStream */
  static create(): StreamPacker | null {
    try {
      return typeof CompressionStream === 'function' ? new StreamPacker(new CompressionStream('gzip')) : null;
    } catch {
      return null;
    }
  }

  /** not awaited: the writes complete as the output is read */
  write(data: Uint8Array<ArrayBuffer>): void {
    if (!data.length) return;
    this.size += data.length;
    const written = this.writer.write(data);
    written.catch(() => undefined);
    this.writes.push(written);
  }

  abort(): void {
    this.writer.abort().catch(() => undefined);
  }

  /** the deflated bytes with the CRC-32 and size from the gzip trailer; null if the stream failed */
  async finish(): Promise<(Packed & { size: number }) | null> {
    try {
      const closed = this.writer.close();
      closed.catch(() => undefined);
      const gz = new Uint8Array(await this.output);
      await Promise.all([...this.writes, closed]);
      // RFC 1952: a 10-byte header (FLG 0: no optional fields), the deflate data, CRC-32, ISIZE
      if (gz.length >= 18 && gz[0] === 0x1f && gz[1] === 0x8b && gz[2] === 8 && gz[3] === 0) {
        const view = new DataView(gz.buffer, gz.byteOffset, gz.byteLength);
        if (view.getUint32(gz.length - 4, true) === this.size >>> 0) return { body: gz.subarray(10, gz.length - 8), crc: view.getUint32(gz.length - 8, true), method: 8, size: this.size };
      }
    } catch {
      // the caller stores the part instead
    }
    return null;
  }
}

/** A part deflated when that makes it smaller, else stored. */
async function pack(data: Uint8Array<ArrayBuffer>): Promise<Packed> {
  if (data.length > 64) {
    const packer = StreamPacker.create();
    if (packer) {
      packer.write(data);
      const packed = await packer.finish();
      if (packed) return packed.body.length < data.length ? packed : { body: data, crc: packed.crc, method: 0 };
    }
  }
  return { body: data, crc: crc32(data), method: 0 };
}

/** 1980-01-01 00:00 in MS-DOS format: the files carry no time (the same day exports the same bytes). */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/** a part to zip: its bytes, or already packed (with its uncompressed size) */
export type ZipInput = { name: string; data: Uint8Array<ArrayBuffer> } | { name: string; packed: Packed & { size: number } };

export async function zip(files: ReadonlyArray<ZipInput>): Promise<Uint8Array<ArrayBuffer>> {
  const encoder = new TextEncoder();
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const file of files) {
    const name = encoder.encode(file.name);
    const { body, crc, method } = 'packed' in file ? file.packed : await pack(file.data);
    const size = 'packed' in file ? file.packed.size : file.data.length;

    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(6, 0x0800, true); // names are UTF-8
    lv.setUint16(8, method, true);
    lv.setUint16(10, DOS_TIME, true);
    lv.setUint16(12, DOS_DATE, true);
    lv.setUint32(14, crc, true);
    lv.setUint32(18, body.length, true);
    lv.setUint32(22, size, true);
    lv.setUint16(26, name.length, true);
    lv.setUint16(28, 0, true);
    local.set(name, 30);

    const central = new Uint8Array(46 + name.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(8, 0x0800, true);
    cv.setUint16(10, method, true);
    cv.setUint16(12, DOS_TIME, true);
    cv.setUint16(14, DOS_DATE, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, body.length, true);
    cv.setUint32(24, size, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    central.set(name, 46);

    locals.push(local, body);
    centrals.push(central);
    offset += local.length + body.length;
  }
  const centralSize = centrals.reduce((sum, c) => sum + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, files.length, true);
  ev.setUint16(10, files.length, true);
  ev.setUint32(12, centralSize, true);
  ev.setUint32(16, offset, true);
  const out = new Uint8Array(offset + centralSize + end.length);
  let at = 0;
  for (const part of [...locals, ...centrals, end]) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// CSV

/** Digits Excel would mangle: long numbers (it keeps 15 significant digits), leading zeros. */
const LONG_NUMBER = /^(\d{12,}|0\d+)$/;
/** A cell starting like a formula is neutralised (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: CellValue, type: ColumnType): string {
  if (value === null || value === '') return '';
  let text: string;
  if (typeof value === 'number') text = type === 'yuan' ? formatFen(value) : String(value);
  else {
    text = value;
    if (LONG_NUMBER.test(text)) text = `${text}\t`;
    else if (FORMULA_START.test(text)) text = `'${text}`;
  }
  return /[",\r\n\t]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * One CSV file (UTF-8 with BOM, CRLF) holding the sheets one after the other: a `[name]` line,
 * the header, the rows, a blank line. `preamble` lines come first (title, store, head hash).
 */
export function toCsv(sheets: readonly Sheet[], preamble: readonly CellValue[][] = []): string {
  const lines: string[] = [];
  for (const row of preamble) lines.push(row.map((v) => csvField(v, 'text')).join(','));
  if (preamble.length) lines.push('');
  for (const sheet of sheets) {
    lines.push(csvField(`[${sheet.name}]`, 'text'));
    lines.push(sheet.columns.map((c) => csvField(c.header, 'text')).join(','));
    for (const row of sheet.rows) lines.push(sheet.columns.map((c, i) => csvField(row[i] ?? null, c.type)).join(','));
    lines.push('');
  }
  return `\ufeff${lines.join('\r\n')}`;
}

// ---------------------------------------------------------------------------------------------
// The daily log as sheets

export const EXPORT_SHEETS = ['summary', 'totals', 'settlements', 'tenders', 'yingke', 'differences', 'audit'] as const;
export type ExportSheetKey = (typeof EXPORT_SHEETS)[number];

export const EXPORT_COLUMNS = [
  'day', 'time', 'portal', 'method', 'kind', 'state', 'orderNo', 'vendorOrderNo', 'amount', 'cash', 'card',
  'refundOf', 'settlementId', 'tenderId', 'voucherNo', 'yingkeState', 'diffs', 'tenderState', 'attempts',
  'recordedAt', 'manualBy', 'manualAt', 'lastError', 'matched', 'diffKind', 'reason', 'status', 'pending',
  'captured', 'yingke', 'file', 'delta', 'basis', 'remark', 'handledBy', 'handledAt', 'note', 'diffId',
  'sales', 'salesAmount', 'cashPart', 'refunds', 'refundAmount', 'net', 'failed', 'seq', 'type', 'code',
  'detail', 'prevHash', 'hash', 'item', 'value',
] as const;
export type ExportColumnKey = (typeof EXPORT_COLUMNS)[number];

export type ExportValueKind = 'state' | 'kind' | 'diffKind' | 'reason' | 'portal' | 'diffStatus' | 'basis' | 'pending' | 'tenderState' | 'summary';

/** Labels for headers and coded values (the page passes t(); tests pass the codes back). */
export interface ExportText {
  sheet(key: ExportSheetKey): string;
  column(key: ExportColumnKey): string;
  value(kind: ExportValueKind, code: string): string;
  /** between the items of a list in one cell */
  separator?: string;
}

export const CODES_AS_TEXT: ExportText = { sheet: (k) => k, column: (k) => k, value: (_kind, code) => code };

export interface DayHead {
  day: string;
  seq: number;
  hash: string;
}

export interface ExportInput {
  from: string;
  to: string;
  storeCode: string;
  /** ISO +08:00 */
  generatedAt: string;
  rows: readonly SettlementRow[];
  yingke: readonly YingkeEntry[];
  differences: readonly Difference[];
  totals: readonly TotalRow[];
  /** the audit chain's head at the end of each day exported */
  heads: readonly DayHead[];
  /** the chain check as the page showed it */
  chain: { ok: boolean; text: string } | null;
  /** the days' audit entries (day exports; left out of long ranges) */
  audit?: readonly AuditEntry[];
  methodOf: (row: SettlementRow) => string;
}

/** '2025-03-28T10:15:00+08:00' → '2025-03-28 10:15:00' (a month's export calls this ~100,000 times) */
export function clock(iso: string | undefined): string {
  if (!iso) return '';
  // the usual shape: slices instead of a replace and a regular expression
  if (iso.length === 25 && iso.indexOf('T') === 10 && iso.endsWith('+08:00')) return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  return iso.replace('T', ' ').replace(/\+08:00$/, '');
}

/** The first sheet: the range, the store, when, the chain check and each day's head. */
export function summarySheet(input: Pick<ExportInput, 'from' | 'to' | 'storeCode' | 'generatedAt' | 'chain' | 'heads'>, text: ExportText = CODES_AS_TEXT): Sheet {
  const v = text.value;
  const rows: CellValue[][] = [
    [text.column('day'), input.from === input.to ? input.from : `${input.from} ~ ${input.to}`],
    [v('summary', 'store'), input.storeCode],
    [v('summary', 'generatedAt'), clock(input.generatedAt)],
    [v('summary', 'chain'), input.chain ? input.chain.text : ''],
    ...input.heads.map((h): CellValue[] => [`${v('summary', 'head')} ${h.day}`, `${h.hash} (#${h.seq})`]),
  ];
  return { name: text.sheet('summary'), columns: [{ header: text.column('item'), type: 'text', width: 24 }, { header: text.column('value'), type: 'text', width: 80 }], rows };
}

export function exportSheets(input: ExportInput, text: ExportText = CODES_AS_TEXT): Sheet[] {
  const c = (key: ExportColumnKey, type: ColumnType = 'text', width?: number): Column => ({ header: text.column(key), type, ...(width ? { width } : {}) });
  const v = text.value;

  const summary = summarySheet(input, text);

  const totals: Sheet = {
    name: text.sheet('totals'),
    columns: [c('portal'), c('method'), c('sales', 'int'), c('salesAmount', 'yuan'), c('cashPart', 'yuan'), c('refunds', 'int'), c('refundAmount', 'yuan'), c('net', 'yuan'), c('failed', 'int')],
    rows: input.totals.map((t) => [v('portal', t.portal), t.method, t.sales, t.cardFen, t.cashFen, t.refunds, t.refundFen, t.netFen, t.failed]),
  };

  const settlements: Sheet = {
    name: text.sheet('settlements'),
    columns: [
      c('day', 'text', 11), c('time', 'text', 20), c('portal', 'text', 10), c('method', 'text', 10), c('kind', 'text', 8), c('state', 'text', 10),
      c('orderNo', 'text', 22), c('vendorOrderNo', 'text', 34), c('card', 'yuan'), c('cash', 'yuan'), c('refundOf', 'text', 38),
      c('settlementId', 'text', 38), c('voucherNo', 'text', 16), c('yingkeState', 'text', 14), c('diffs', 'text', 24),
    ],
    rows: input.rows.map((row) => {
      const s = row.settlement;
      return [
        s.day, clock(s.settledAt), v('portal', s.portal), input.methodOf(row), v('kind', s.kind), v('state', row.displayState),
        s.orderNo, s.status === 'failed' ? '' : s.vendorOrderNo, s.amountFen, s.cashFen, s.refundOf ?? '',
        s.id, row.tender?.voucherNo ?? row.yingke?.voucherNo ?? '', row.yingke ? `${row.yingke.day} ${row.matchedBy ?? ''}` : '',
        row.diffKinds.map((k) => v('diffKind', k)).join(text.separator ?? ', '),
      ];
    }),
  };

  const tenders: Sheet = {
    name: text.sheet('tenders'),
    columns: [c('tenderId', 'text', 38), c('orderNo', 'text', 22), c('portal'), c('kind'), c('card', 'yuan'), c('tenderState'), c('attempts', 'int'), c('voucherNo'), c('recordedAt', 'text', 20), c('manualBy'), c('manualAt', 'text', 20), c('lastError', 'text', 40)],
    rows: input.rows.filter((row) => row.tender).map((row) => {
      const tender = row.tender;
      const s = row.settlement;
      return [tender?.tenderId ?? '', s.orderNo, v('portal', s.portal), v('kind', s.kind), s.amountFen, v('tenderState', tender?.state ?? ''), tender?.attempts ?? 0, tender?.voucherNo ?? '', clock(tender?.recordedAt), tender?.manualBy ?? '', clock(tender?.manualAt), tender?.lastError ?? ''];
    }),
  };

  const claimed = new Set(input.rows.map((row) => row.yingke).filter((y) => y !== undefined));
  const yingke: Sheet = {
    name: text.sheet('yingke'),
    columns: [c('day', 'text', 11), c('tenderId', 'text', 38), c('kind'), c('orderNo', 'text', 22), c('portal'), c('method'), c('card', 'yuan'), c('cash', 'yuan'), c('vendorOrderNo', 'text', 34), c('time', 'text', 20), c('voucherNo'), c('recordedAt', 'text', 20), c('refundOf', 'text', 38), c('matched')],
    rows: input.yingke.map((y) => [y.day, y.tenderId, v('kind', y.kind), y.orderNo, v('portal', y.provider), y.paymentMethodName, y.amountFen, y.cashFen, y.vendorOrderNo, clock(y.settledAt), y.voucherNo, clock(y.recordedAt), y.refundOf ?? '', claimed.has(y) ? '✓' : '']),
  };

  const differences: Sheet = {
    name: text.sheet('differences'),
    columns: [
      c('day', 'text', 11), c('diffKind', 'text', 14), c('reason', 'text', 28), c('status', 'text', 10), c('pending', 'text', 14), c('portal'), c('orderNo', 'text', 22),
      c('vendorOrderNo', 'text', 34), c('captured', 'yuan'), c('yingke', 'yuan'), c('file', 'yuan'), c('delta', 'yuan'), c('time', 'text', 20),
      c('basis'), c('remark', 'text', 30), c('handledBy'), c('handledAt', 'text', 20), c('note', 'text', 20), c('diffId', 'text', 50),
    ],
    rows: input.differences.map((d) => [
      d.day, v('diffKind', d.kind), v('reason', d.reason), v('diffStatus', diffStatus(d)), d.pending ? v('pending', d.pending) : '', d.portal ? v('portal', d.portal) : '', d.orderNo ?? '',
      d.vendorOrderNo ?? '', d.capturedFen, d.yingkeFen, d.fileFen, d.deltaFen === 0 ? null : d.deltaFen, clock(d.at),
      d.handled ? v('basis', d.handled.basis) : '', d.handled?.remark ?? '', d.handled?.by ?? '', clock(d.handled?.at), d.note ?? '', d.id,
    ]),
  };

  const sheets = [summary, totals, settlements, tenders, yingke, differences];
  if (input.audit) sheets.push({ ...auditSheetHead(text), rows: input.audit.map(auditRow) });
  return sheets;
}

/** The audit sheet's name and columns (exportSheets, or a StreamedSheet fed with auditRow). */
export function auditSheetHead(text: ExportText = CODES_AS_TEXT): SheetHead {
  const c = (key: ExportColumnKey, type: ColumnType = 'text', width?: number): Column => ({ header: text.column(key), type, ...(width ? { width } : {}) });
  return {
    name: text.sheet('audit'),
    columns: [c('seq', 'int'), c('time', 'text', 20), c('type', 'text', 20), c('portal'), c('orderNo', 'text', 22), c('code', 'text', 16), c('detail', 'text', 60), c('prevHash', 'text', 66), c('hash', 'text', 66)],
  };
}

export function auditRow(e: AuditEntry): CellValue[] {
  return [e.seq, clock(e.at), e.type, e.portal ?? '', e.orderNo ?? '', e.code ?? '', stableJson(e.detail), e.prevHash, e.hash];
}

/** Rows in the sheets (without headers), for the export record. */
export function rowCount(sheets: readonly Sheet[]): number {
  return sheets.reduce((sum, s) => sum + s.rows.length, 0);
}

export function exportFileName(from: string, to: string, storeCode: string, ext: 'xlsx' | 'csv'): string {
  const range = from === to ? from : `${from}_${to}`;
  return `下账日志_${storeCode || 'store'}_${range}.${ext}`;
}

export async function sha256OfBytes(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
