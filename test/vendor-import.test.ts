import { describe, expect, it } from 'vitest';
import { toXlsx } from '@/shared/export';
import { cleanCell, decodeText, normalizeTime, parseAmount, parseCsv, readVendorFile } from '@/shared/vendor-import';

const utf8 = (text: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(text);

/** GBK bytes of a few known characters (the test writes GBK by hand: TextEncoder only does UTF-8). */
const GBK: Record<string, number[]> = {
  交: [0xbd, 0xbb], 易: [0xd2, 0xd7], 流: [0xc1, 0xf7], 水: [0xcb, 0xae], 号: [0xba, 0xc5],
  金: [0xbd, 0xf0], 额: [0xb6, 0xee], 状: [0xd7, 0xb4], 态: [0xcc, 0xac], 成: [0xb3, 0xc9], 功: [0xb9, 0xa6],
};
function gbk(text: string): Uint8Array<ArrayBuffer> {
  const bytes: number[] = [];
  for (const ch of text) {
    const code = GBK[ch];
    if (code) bytes.push(...code);
    else bytes.push(ch.charCodeAt(0));
  }
  return new Uint8Array(bytes);
}

describe('cells', () => {
  it('parses amounts to fen without floats, refusing more than two decimals', () => {
    expect(parseAmount('123.45')).toBe(12_345);
    expect(parseAmount('¥1,234.50')).toBe(123_450);
    expect(parseAmount('-12.3')).toBe(-1_230);
    expect(parseAmount('(5.00)')).toBe(-500);
    expect(parseAmount('12.300')).toBe(1_230);
    expect(parseAmount('0.29')).toBe(29);
    expect(parseAmount('12.345')).toBeNull();
    expect(parseAmount('1.2e3')).toBeNull();
    expect(parseAmount('')).toBeNull();
  });

  it('normalises times and unwraps numbers kept as text', () => {
    expect(normalizeTime('2025/3/28 9:05')).toBe('2025-03-28 09:05:00');
    expect(normalizeTime('20250328101500')).toBe('2025-03-28 10:15:00');
    expect(normalizeTime('2025-03-28T10:15:00+08:00')).toBe('2025-03-28 10:15:00');
    expect(normalizeTime('昨天')).toBeUndefined();
    expect(cleanCell('="1301178801201810190900081161779"')).toBe('1301178801201810190900081161779');
    expect(cleanCell('`4200000123')).toBe('4200000123');
    expect(cleanCell('1301178801\t')).toBe('1301178801');
  });

  it('decodes UTF-8 with and without BOM, and GBK', () => {
    expect(decodeText(utf8('\ufeff交易')).encoding).toBe('utf-8');
    expect(decodeText(utf8('交易')).text).toBe('交易');
    const g = decodeText(gbk('交易流水号'));
    expect(g).toEqual({ text: '交易流水号', encoding: 'gbk' });
  });

  it('parses quoted CSV and tab-separated text', () => {
    expect(parseCsv('a,"b,c","d""e"\r\n1,2,3\n')).toEqual([['a', 'b,c', 'd"e'], ['1', '2', '3']]);
    expect(parseCsv('a\tb\n1\t2')).toEqual([['a', 'b'], ['1', '2']]);
    expect(parseCsv('"line\nbreak",x')).toEqual([['line\nbreak', 'x']]);
  });
});

describe('vendor files', () => {
  const CSV = [
    '如医通交易明细',
    '导出时间：2025-03-28 18:00',
    '交易时间,交易流水号,门店订单号,交易类型,交易金额(元),现金,交易状态',
    '2025-03-28 09:00:26,="1301178801201810190900081161779",XS001,消费,500.00,0.00,交易成功',
    '2025-03-28 10:15:00,RYT002,XS002,消费,"1,200.50",100.00,已退款',
    '2025-03-28 11:00:00,RYT003,XS002,退货,-1200.50,100.00,退款成功',
    '2025-03-28 12:00:00,RYT004,XS004,消费,30.00,,支付失败',
    '2025-03-27 23:59:00,RYT005,XS005,消费,30.00,,交易成功',
    '2025-03-28 13:00:00,RYT006,XS006,消费,12.345,,交易成功',
    '2025-03-28 13:00:00,RYT002,XS002,消费,1.00,,交易成功',
    '2025-03-28 14:00:00,RYT007,XS007,奇怪,1.00,,交易成功',
    '',
    '合计,,,,1730.50,,',
  ].join('\r\n');

  it('reads a UTF-8 CSV after title lines, with problems per line', async () => {
    const result = await readVendorFile(utf8(CSV), { day: '2025-03-28' });
    expect(result.encoding).toBe('utf-8');
    expect(result.headerLine).toBe(3);
    expect(result.columns).toMatchObject({ vendorOrderNo: '交易流水号', orderNo: '门店订单号', amount: '交易金额(元)', cash: '现金', status: '交易状态', kind: '交易类型', time: '交易时间' });
    expect(result.rows.map((r) => [r.line, r.vendorOrderNo, r.kind, r.status, r.amountFen, r.cashFen])).toEqual([
      [4, '1301178801201810190900081161779', 'sale', 'success', 50_000, 0],
      [5, 'RYT002', 'sale', 'refunded', 120_050, 10_000],
      [6, 'RYT003', 'refund', 'success', 120_050, 10_000],
      [7, 'RYT004', 'sale', 'failed', 3_000, 0],
    ]);
    expect(result.problems).toEqual([
      { line: 8, code: 'OTHER_DAY', detail: '2025-03-27' },
      { line: 9, code: 'BAD_AMOUNT', detail: '12.345' },
      { line: 10, code: 'DUPLICATE', detail: 'RYT002' },
      { line: 11, code: 'BAD_KIND', detail: '奇怪' },
    ]);
    expect(result.skipped).toBe(2);
  });

  it('reads a GBK CSV (what Excel saves on Chinese Windows)', async () => {
    const result = await readVendorFile(gbk('交易流水号,交易金额,状态\r\nRYT1,10.00,成功\r\n'));
    expect(result.encoding).toBe('gbk');
    expect(result.rows).toEqual([{ line: 2, vendorOrderNo: 'RYT1', kind: 'sale', status: 'success', amountFen: 1_000 }]);
  });

  it('takes the card part as total less cash when there is only an order total', async () => {
    const result = await readVendorFile(utf8('订单号,订单金额,现金部分\nA1,100.00,30.00\n'));
    expect(result.rows[0]).toMatchObject({ vendorOrderNo: 'A1', amountFen: 7_000, cashFen: 3_000 });
  });

  it('says when there is no header it knows', async () => {
    expect((await readVendorFile(utf8('a,b\n1,2\n'))).problems).toEqual([{ line: 0, code: 'NO_HEADER' }]);
    expect((await readVendorFile(utf8(''))).problems).toEqual([{ line: 0, code: 'EMPTY' }]);
  });

  it('reads an XLSX, numbers from their exact text', async () => {
    const bytes = await toXlsx([
      {
        name: '订单',
        columns: [
          { header: '交易流水号', type: 'text' },
          { header: '支付金额', type: 'yuan' },
          { header: '交易状态', type: 'text' },
          { header: '交易时间', type: 'text' },
        ],
        rows: [
          ['1301178801201810190900081161779', 12_345, '交易成功', '2025-03-28 10:15:00'],
          ['RYT2', 29, '已退款', '2025-03-28 11:00:00'],
        ],
      },
    ]);
    const result = await readVendorFile(bytes, { day: '2025-03-28' });
    expect(result.encoding).toBe('xlsx');
    expect(result.problems).toEqual([]);
    expect(result.rows.map((r) => [r.vendorOrderNo, r.amountFen, r.status, r.time])).toEqual([
      ['1301178801201810190900081161779', 12_345, 'success', '2025-03-28 10:15:00'],
      ['RYT2', 29, 'refunded', '2025-03-28 11:00:00'],
    ]);
  });

  it('reports a damaged XLSX as unreadable', async () => {
    const broken = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]);
    const result = await readVendorFile(broken);
    expect(result.problems[0]?.code).toBe('UNREADABLE');
  });
});
