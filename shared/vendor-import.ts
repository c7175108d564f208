import { readSheet } from 'read-excel-file/universal';
import { VendorRowSchema, type VendorRow, type VendorRowStatus } from './log-records';
import { parseYuanToFen } from './core/money';

/**
 * A vendor's exported order list (交易查询 → 导出) for one day: CSV (UTF-8 or GBK, comma or tab)
 * or XLSX → validated rows. The portals' exports are not documented, so columns are found by
 * their Chinese headers (交易流水号, 门店订单号, 交易金额, 交易状态, 交易类型, 交易时间, …), the
 * header row may follow title lines, and 合计 lines are skipped. Amounts become integer fen by
 * string arithmetic (never a float times 100); every row goes through VendorRowSchema (zod).
 */

export type ImportEncoding = 'utf-8' | 'gbk' | 'utf-16' | 'xlsx';

export const IMPORT_PROBLEMS = ['NO_HEADER', 'EMPTY', 'UNREADABLE', 'TOO_MANY', 'BAD_AMOUNT', 'BAD_STATUS', 'BAD_KIND', 'OTHER_DAY', 'DUPLICATE', 'INVALID'] as const;
export type ImportProblemCode = (typeof IMPORT_PROBLEMS)[number];

export interface ImportProblem {
  /** line (CSV) or row (XLSX), 1-based; 0 for the file as a whole */
  line: number;
  code: ImportProblemCode;
  /** the offending text, for the message */
  detail?: string;
}

export const IMPORT_FIELDS = ['vendorOrderNo', 'orderNo', 'amount', 'total', 'cash', 'status', 'kind', 'time', 'original'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

export interface ImportResult {
  encoding: ImportEncoding;
  /** the header's line, 1-based */
  headerLine: number | null;
  /** field → the header text it was read from */
  columns: Partial<Record<ImportField, string>>;
  rows: VendorRow[];
  problems: ImportProblem[];
  /** blank and 合计 lines passed over */
  skipped: number;
}

export const MAX_IMPORT_ROWS = 20_000;

// ---------------------------------------------------------------------------------------------
// Bytes → text

export function isXlsx(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** UTF-8 (with or without BOM), UTF-16 with BOM, else GBK (what Excel in Chinese Windows saves). */
export function decodeText(bytes: Uint8Array): { text: string; encoding: Exclude<ImportEncoding, 'xlsx'> } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gbk').decode(bytes), encoding: 'gbk' };
  }
}

/** RFC 4180 CSV (quotes, doubled quotes, CR/LF inside quotes); tab-separated when the header says so. */
export function parseCsv(text: string): string[][] {
  const firstLines = text.split(/\r?\n/, 40).filter((l) => l.trim() !== '');
  const tabs = firstLines.reduce((n, l) => n + (l.match(/\t/g)?.length ?? 0), 0);
  const commas = firstLines.reduce((n, l) => n + (l.match(/,/g)?.length ?? 0), 0);
  const sep = tabs > commas ? '\t' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 1;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (ch === sep) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Headers

const SYNONYMS: Record<ImportField, readonly string[]> = {
  orderNo: ['门店订单号', '门店单号', '英克单号', '英克订单号', '销售单号', '零售单号', 'pos单号', '收银单号', '业务单号', 'his流水号', 'storeorderno', 'yingkeorderno'],
  vendorOrderNo: ['交易流水号', '网站流水号', '支付流水号', '流水号', '交易号', '交易单号', '交易编号', '第三方订单号', '平台订单号', '商户订单号', '商户单号', '订单号', '订单编号', '交易凭证号', '凭证号', 'vendororderno', 'transactionno', 'transactionid', 'tradeno'],
  original: ['原交易流水号', '原流水号', '原交易号', '原交易单号', '原订单号', 'originalvendororderno'],
  amount: ['卡支付金额', '卡付金额', '刷卡金额', '卡金额', '保险支付金额', '保险支付', '支付金额', '实付金额', '实收金额', '交易金额', '结算金额', '平台金额', '金额', 'amount'],
  total: ['订单金额', '订单总额', '总金额', '合计金额', '商品金额', 'total'],
  cash: ['现金支付金额', '现金金额', '现金支付', '现金部分', '现金', 'cash'],
  status: ['交易状态', '订单状态', '支付状态', '状态', 'status'],
  kind: ['交易类型', '业务类型', '收支类型', '交易方向', '类型', 'kind', 'type'],
  time: ['交易时间', '支付时间', '结算时间', '付款时间', '下单时间', '创建时间', '时间', '日期', 'time'],
};
/** matched in this order, so 原交易流水号 is not taken for 交易流水号, nor 门店订单号 for 订单号 */
const FIELD_ORDER: readonly ImportField[] = ['original', 'orderNo', 'vendorOrderNo', 'amount', 'total', 'cash', 'status', 'kind', 'time'];

function normalizeHeader(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\s_]/g, '')
    .replace(/[(（[【](元|rmb|￥|¥)?[)）\]】]$/, '')
    .replace(/^[*#]/, '');
}

type ColumnMap = Partial<Record<ImportField, number>>;

function mapHeader(cells: readonly string[]): ColumnMap {
  const normalized = cells.map(normalizeHeader);
  const used = new Set<number>();
  const map: ColumnMap = {};
  for (const field of FIELD_ORDER) {
    for (const synonym of SYNONYMS[field]) {
      const index = normalized.findIndex((h, i) => !used.has(i) && h === synonym);
      if (index >= 0) {
        map[field] = index;
        used.add(index);
        break;
      }
    }
  }
  return map;
}

// ---------------------------------------------------------------------------------------------
// Cells

type RawCell = string | number | boolean | Date | null | undefined;

/** Unwraps what exports do to keep numbers as text: ="…", a leading ` or ', a trailing tab. */
export function cleanCell(cell: RawCell): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return formatDate(cell);
  let text = String(cell).replace(/\u00a0/g, ' ').trim();
  const formula = /^="(.*)"$/.exec(text);
  if (formula) text = formula[1] ?? '';
  return text.replace(/^[`']/, '').trim();
}

const pad = (n: number): string => String(n).padStart(2, '0');
/** Excel dates carry no zone: read-excel-file gives them as UTC wall-clock. */
function formatDate(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}

/** '2025-03-28 10:15:00', '2025/3/28 10:15', '20250328101500', ISO with +08:00 → 'YYYY-MM-DD HH:MM:SS'. */
export function normalizeTime(text: string): string | undefined {
  const t = text.trim();
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?/.exec(t);
  if (!m) m = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?$/.exec(t);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  return `${y}-${pad(Number(mo))}-${pad(Number(d))} ${pad(Number(h ?? 0))}:${mi ?? '00'}:${s ?? '00'}`;
}

/** Yuan text → signed fen: '123.45', '¥1,234.50', '-12.3', '(12.30)'. Floats are refused, not rounded. */
export function parseAmount(text: string): number | null {
  let t = text.replace(/\s/g, '').replace(/元$/, '');
  let negative = false;
  const paren = /^[(（](.*)[)）]$/.exec(t);
  if (paren) {
    negative = true;
    t = paren[1] ?? '';
  }
  if (t.startsWith('-') || t.startsWith('−')) {
    negative = !negative;
    t = t.slice(1);
  } else if (t.startsWith('+')) t = t.slice(1);
  if (/^[¥￥]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) t = t.replace(/,/g, '');
  // spreadsheets may keep trailing zeros ("12.300"): drop them before the two-decimal check
  if (/\.\d*$/.test(t)) t = t.replace(/0+$/, '').replace(/\.$/, '');
  const fen = parseYuanToFen(t);
  if (fen === null) return null;
  return negative ? -fen : fen;
}

const REFUND_WORDS = /退款|退货|退费|退回|refund/i;
const SALE_WORDS = /消费|支付|收费|销售|收款|付款|购买|sale|pay/i;

function kindOf(text: string): 'sale' | 'refund' | null {
  if (!text) return null;
  if (REFUND_WORDS.test(text)) return 'refund';
  if (SALE_WORDS.test(text)) return 'sale';
  return null;
}

function statusOf(text: string, kind: 'sale' | 'refund'): VendorRowStatus | null {
  const t = text.trim().toLowerCase();
  if (!t) return 'success';
  if (/失败|fail/.test(t)) return 'failed';
  if (/撤销|取消|关闭|冲正|作废|cancel|closed|void/.test(t)) return 'cancelled';
  if (kind === 'sale' && /退款|退货|已退|refund/.test(t)) return 'refunded';
  if (/成功|已支付|已付款|已完成|完成|正常|已结算|success|paid|done|ok/.test(t)) return 'success';
  if (kind === 'refund' && /退款|退货|已退|refund/.test(t)) return 'success';
  return null;
}

const SUMMARY_WORDS = /合计|总计|小计|汇总|共计|total/i;

// ---------------------------------------------------------------------------------------------
// Table → rows

export interface ReadOptions {
  /** keep only rows of this day (rows without a time are kept) */
  day?: string;
}

export function rowsFromTable(table: readonly (readonly RawCell[])[], encoding: ImportEncoding, options: ReadOptions = {}): ImportResult {
  const problems: ImportProblem[] = [];
  const result: ImportResult = { encoding, headerLine: null, columns: {}, rows: [], problems, skipped: 0 };
  const cells = table.map((row) => row.map(cleanCell));
  let headerIndex = -1;
  let map: ColumnMap = {};
  for (let i = 0; i < Math.min(cells.length, 40); i += 1) {
    const candidate = mapHeader(cells[i] ?? []);
    if (candidate.vendorOrderNo !== undefined && (candidate.amount !== undefined || candidate.total !== undefined)) {
      headerIndex = i;
      map = candidate;
      break;
    }
  }
  if (headerIndex < 0) {
    problems.push({ line: 0, code: cells.some((r) => r.some((c) => c !== '')) ? 'NO_HEADER' : 'EMPTY' });
    return result;
  }
  result.headerLine = headerIndex + 1;
  const header = cells[headerIndex] ?? [];
  for (const field of IMPORT_FIELDS) {
    const index = map[field];
    if (index !== undefined) result.columns[field] = header[index] ?? '';
  }

  const seen = new Set<string>();
  const get = (row: readonly string[], field: ImportField): string => {
    const index = map[field];
    return index === undefined ? '' : (row[index] ?? '');
  };
  for (let i = headerIndex + 1; i < cells.length; i += 1) {
    const row = cells[i] ?? [];
    const line = i + 1;
    const vendorOrderNo = get(row, 'vendorOrderNo');
    if (!vendorOrderNo) {
      result.skipped += 1;
      continue;
    }
    if (SUMMARY_WORDS.test(vendorOrderNo) || (row.some((c) => SUMMARY_WORDS.test(c)) && !/\d{4}/.test(vendorOrderNo))) {
      result.skipped += 1;
      continue;
    }
    if (result.rows.length >= MAX_IMPORT_ROWS) {
      problems.push({ line, code: 'TOO_MANY', detail: String(MAX_IMPORT_ROWS) });
      break;
    }
    const amountText = get(row, 'amount') || get(row, 'total');
    const amount = parseAmount(amountText);
    if (amount === null) {
      problems.push({ line, code: 'BAD_AMOUNT', detail: amountText });
      continue;
    }
    const cashText = get(row, 'cash');
    const cash = cashText ? parseAmount(cashText) : 0;
    if (cash === null) {
      problems.push({ line, code: 'BAD_AMOUNT', detail: cashText });
      continue;
    }
    const kindText = get(row, 'kind');
    const kind = kindOf(kindText) ?? (kindText && !/^[-—]$/.test(kindText) ? null : amount < 0 ? 'refund' : 'sale');
    if (kind === null) {
      problems.push({ line, code: 'BAD_KIND', detail: kindText });
      continue;
    }
    const statusText = get(row, 'status');
    const status = statusOf(statusText, kind);
    if (status === null) {
      problems.push({ line, code: 'BAD_STATUS', detail: statusText });
      continue;
    }
    // with only an order total, the card part is the total less the cash
    const card = map.amount === undefined && map.total !== undefined ? Math.abs(amount) - Math.abs(cash) : Math.abs(amount);
    const timeText = get(row, 'time');
    const time = timeText ? normalizeTime(timeText) : undefined;
    if (options.day && time && time.slice(0, 10) !== options.day) {
      problems.push({ line, code: 'OTHER_DAY', detail: time.slice(0, 10) });
      continue;
    }
    const key = `${vendorOrderNo}|${kind}`;
    if (seen.has(key)) {
      problems.push({ line, code: 'DUPLICATE', detail: vendorOrderNo });
      continue;
    }
    const orderNo = get(row, 'orderNo');
    const original = get(row, 'original');
    const candidate = {
      line,
      vendorOrderNo,
      kind,
      status,
      amountFen: card,
      ...(map.cash !== undefined ? { cashFen: Math.abs(cash) } : {}),
      ...(orderNo ? { orderNo } : {}),
      ...(time ? { time } : {}),
      ...(original ? { originalVendorOrderNo: original } : {}),
    };
    const parsed = VendorRowSchema.safeParse(candidate);
    if (!parsed.success) {
      problems.push({ line, code: 'INVALID', detail: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') });
      continue;
    }
    seen.add(key);
    result.rows.push(parsed.data);
  }
  return result;
}

/** Reads a vendor file (CSV in UTF-8/GBK/UTF-16, or XLSX: its first sheet). */
export async function readVendorFile(bytes: Uint8Array<ArrayBuffer>, options: ReadOptions = {}): Promise<ImportResult> {
  if (isXlsx(bytes)) {
    let sheet: RawCell[][];
    try {
      // numbers as their exact text, so amounts never pass through a float
      const data = await readSheet<string>(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), { parseNumber: (text) => text, trim: true });
      sheet = data.map((row) => row.map((cell): RawCell => (cell instanceof Date || typeof cell === 'string' || typeof cell === 'number' || typeof cell === 'boolean' ? cell : null)));
    } catch (error) {
      return { encoding: 'xlsx', headerLine: null, columns: {}, rows: [], problems: [{ line: 0, code: 'UNREADABLE', detail: error instanceof Error ? error.message : String(error) }], skipped: 0 };
    }
    return rowsFromTable(sheet, 'xlsx', options);
  }
  const { text, encoding } = decodeText(bytes);
  return rowsFromTable(parseCsv(text), encoding, options);
}

export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
