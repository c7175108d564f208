import { describe, expect, it } from 'vitest';
import readXlsxFile from 'read-excel-file/universal';
import type { Settlement, TenderRecord } from '@/shared/db';
import { reconcile, type YingkeEntry } from '@/shared/reconcile';
import { totalsOf } from '@/shared/log-totals';
import { columnLetter, crc32, csvField, exportFileName, exportSheets, rowCount, toCsv, toXlsx, zip, type Sheet } from '@/shared/export';

const LONG = '1301178801201810190900081161779';

function blobOf(bytes: Uint8Array<ArrayBuffer>): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

describe('zip and xlsx', () => {
  it('computes the standard CRC-32 and column letters', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect([0, 25, 26, 27, 51, 52, 701, 702].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
  });

  it('writes a zip whose entries carry the right sizes', async () => {
    const data = new TextEncoder().encode('x'.repeat(10_000));
    const bytes = await zip([{ name: 'a.txt', data }]);
    const view = new DataView(bytes.buffer);
    expect(view.getUint32(0, true)).toBe(0x04034b50);
    expect(view.getUint16(8, true)).toBe(8); // deflated
    expect(view.getUint32(22, true)).toBe(10_000);
    expect(view.getUint32(bytes.length - 22, true)).toBe(0x06054b50);
    // the CRC taken from the gzip trailer is the CRC of the data
    expect(view.getUint32(14, true)).toBe(crc32(data));
    const small = await zip([{ name: 'b.txt', data: new TextEncoder().encode('tiny') }]);
    const smallView = new DataView(small.buffer);
    expect(smallView.getUint16(8, true)).toBe(0); // stored
    expect(smallView.getUint32(14, true)).toBe(crc32(new TextEncoder().encode('tiny')));
  });

  it('keeps long numbers as text, amounts as yuan numbers, and reads back', async () => {
    const sheets: Sheet[] = [
      {
        name: '结算',
        columns: [
          { header: '流水号', type: 'text' },
          { header: '金额', type: 'yuan' },
          { header: '次数', type: 'int' },
          { header: '备注', type: 'text' },
        ],
        rows: [
          [LONG, 12_345, 3, '<&"> 特殊字符\u0001'],
          ['007', -150, 0, null],
          ['=SUM(A1)', 5, 1, ''],
        ],
      },
      { name: 'a/b:c*d?[e]', columns: [{ header: 'x', type: 'text' }], rows: [['1']] },
    ];
    const bytes = await toXlsx(sheets);
    const parsed = await readXlsxFile(blobOf(bytes));
    expect(parsed.map((s) => s.sheet)).toEqual(['结算', 'a b c d  e']);
    const data = parsed[0]?.data ?? [];
    expect(data[0]).toEqual(['流水号', '金额', '次数', '备注']);
    expect(data[1]).toEqual([LONG, 123.45, 3, '<&"> 特殊字符']);
    expect(data[2]).toEqual(['007', -1.5, 0, null]);
    expect(data[3]?.[0]).toBe('=SUM(A1)');
  });

  it('writes 20,000 rows quickly', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => [`${LONG}${i}`, i * 101, i, '如医通']);
    const started = performance.now();
    const bytes = await toXlsx([{ name: 's', columns: [{ header: 'n', type: 'text' }, { header: 'a', type: 'yuan' }, { header: 'i', type: 'int' }, { header: 'p', type: 'text' }], rows }]);
    const ms = performance.now() - started;
    expect(bytes.length).toBeGreaterThan(10_000);
    expect(ms).toBeLessThan(5_000);
    const back = await readXlsxFile(blobOf(bytes));
    expect(back[0]?.data).toHaveLength(20_001);
    expect(back[0]?.data[20_000]?.[0]).toBe(`${LONG}19999`);
  });
});

describe('csv', () => {
  it('keeps long numbers as text with a trailing tab and neutralises formulas', () => {
    expect(csvField(LONG, 'text')).toBe(`"${LONG}\t"`);
    expect(csvField('0012', 'text')).toBe('"0012\t"');
    expect(csvField('XS250328000123', 'text')).toBe('XS250328000123');
    expect(csvField('=HYPERLINK("x")', 'text')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('a,b', 'text')).toBe('"a,b"');
    expect(csvField(12_345, 'yuan')).toBe('123.45');
    expect(csvField(-5, 'yuan')).toBe('-0.05');
    expect(csvField(null, 'yuan')).toBe('');
  });

  it('writes sections after a preamble, UTF-8 with BOM and CRLF', () => {
    const csv = toCsv([{ name: '结算', columns: [{ header: '流水号', type: 'text' }, { header: '金额', type: 'yuan' }], rows: [[LONG, 100]] }], [['下账日志', '2025-03-28']]);
    expect(csv.startsWith('\ufeff下账日志,2025-03-28\r\n\r\n[结算]\r\n流水号,金额\r\n')).toBe(true);
    expect(csv).toContain(`"${LONG}\t",1.00`);
  });
});

describe('the day as sheets', () => {
  it('exports settlements, tenders, Yingke tenders and differences with the head hash', async () => {
    const s: Settlement = { id: 'settlement-0001', kind: 'sale', status: 'success', portal: 'ruyitong', orderNo: 'XS250328000123', vendorOrderNo: LONG, amountFen: 12_345, cashFen: 500, settledAt: '2025-03-28T10:15:00+08:00', day: '2025-03-28', capturedAt: '2025-03-28T10:15:02+08:00' };
    const lonely: Settlement = { ...s, id: 'settlement-0002', vendorOrderNo: 'RYT2', orderNo: 'XS2' };
    const tender: TenderRecord = { tenderId: s.id, settlementId: s.id, state: 'posted', body: '{"paymentMethodName":"如医通"}', attempts: 1, nextAttemptAt: 0, voucherNo: 'YKV00000001', recordedAt: '2025-03-28T10:15:05+08:00', createdAt: s.capturedAt, updatedAt: s.capturedAt };
    const y: YingkeEntry = { tenderId: s.id, kind: 'sale', storeCode: 'S0012', cashierId: 'C01', orderNo: s.orderNo, provider: 'ruyitong', paymentMethodId: 27, paymentMethodName: '如医通', amountFen: 12_345, cashFen: 500, vendorOrderNo: LONG, settledAt: s.settledAt, voucherNo: 'YKV00000001', recordedAt: '2025-03-28T10:15:05+08:00', day: '2025-03-28' };
    const result = reconcile({ from: '2025-03-28', to: '2025-03-28', settlements: [s, lonely], tenders: new Map([[s.id, tender]]), yingke: [y], yingkeFetchedAt: new Map(), now: Date.parse('2025-03-28T12:00:00+08:00'), poolDays: 1 });
    const methodOf = (): string => '如医通';
    const sheets = exportSheets({
      from: '2025-03-28',
      to: '2025-03-28',
      storeCode: 'S0012',
      generatedAt: '2025-03-28T18:00:00+08:00',
      rows: result.rows,
      yingke: result.yingke,
      differences: result.differences,
      totals: totalsOf(result.rows, methodOf),
      heads: [{ day: '2025-03-28', seq: 42, hash: 'ab'.repeat(32) }],
      chain: { ok: true, text: 'ok' },
      audit: [],
      methodOf,
    });
    expect(sheets.map((x) => x.name)).toEqual(['summary', 'totals', 'settlements', 'tenders', 'yingke', 'differences', 'audit']);
    expect(rowCount(sheets.slice(2, 6))).toBe(2 + 1 + 1 + 1);
    const parsed = await readXlsxFile(blobOf(await toXlsx(sheets)));
    const byName = new Map(parsed.map((p) => [p.sheet, p.data]));
    expect(byName.get('summary')?.some((row) => String(row[1]).startsWith('ab'.repeat(32)))).toBe(true);
    const settlements = byName.get('settlements') ?? [];
    const vendorCol = settlements[0]?.indexOf('vendorOrderNo') ?? -1;
    expect(settlements[1]?.[vendorCol]).toBe(LONG);
    expect(settlements[1]?.[settlements[0]?.indexOf('card') ?? -1]).toBe(123.45);
    const differences = byName.get('differences') ?? [];
    expect(differences).toHaveLength(2);
    expect(differences[1]?.[differences[0]?.indexOf('diffKind') ?? -1]).toBe('vendor-only');
    expect(byName.get('totals')?.[1]).toEqual(['ruyitong', '如医通', 2, 246.9, 10, 0, 0, 246.9, 0]);
    expect(exportFileName('2025-03-28', '2025-03-28', 'S0012', 'xlsx')).toBe('下账日志_S0012_2025-03-28.xlsx');
  });
});
