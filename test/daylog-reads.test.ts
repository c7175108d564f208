import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { TenderBridgeDb, type AuditEntry } from '@/shared/db';
import type { YingkeTenderRecord } from '@/shared/log-records';
import { loadWindow, reconcileRange, yingkeOfDays } from '@/shared/daylog';
import { auditOfDays } from '@/shared/audit-chain';
import { clock } from '@/shared/export';

let db: TenderBridgeDb;
beforeEach(async () => {
  db = new TenderBridgeDb(`reads-${crypto.randomUUID()}`);
  await db.open();
});

function entry(seq: number, day: string): AuditEntry {
  return { seq, at: `${day}T10:00:00+08:00`, day, type: 'scan.accepted', detail: { seq }, prevHash: '0'.repeat(64), hash: String(seq) };
}

function yingke(day: string, tenderId: string): YingkeTenderRecord {
  return {
    tenderId, kind: 'sale', storeCode: 'S1', cashierId: 'C1', orderNo: `XS${tenderId}`, provider: 'boming', paymentMethodId: 11, paymentMethodName: '博明卡',
    amountFen: 100, cashFen: 0, vendorOrderNo: `V${tenderId}`, settledAt: `${day}T10:00:00+08:00`, voucherNo: `Y${tenderId}`, recordedAt: `${day}T10:00:05+08:00`,
    id: `${day}:${tenderId}`, day, fetchedAt: `${day}T23:00:00+08:00`,
  } as YingkeTenderRecord;
}

describe('reads by primary key range give what the day index gives', () => {
  it('audit entries of days: one run of seq', async () => {
    await db.audit.bulkPut([entry(1, '2025-03-27'), entry(2, '2025-03-28'), entry(3, '2025-03-28'), entry(4, '2025-03-29'), entry(5, '2025-03-30')]);
    const viaIndex = await db.audit.where('day').between('2025-03-28', '2025-03-29', true, true).toArray();
    expect(await auditOfDays(db, '2025-03-28', '2025-03-29')).toEqual(viaIndex);
    expect((await auditOfDays(db, '2025-03-28', '2025-03-29')).map((e) => e.seq)).toEqual([2, 3, 4]);
    expect(await auditOfDays(db, '2025-04-01', '2025-04-02')).toEqual([]);
  });

  it('audit entries of days when the clock went back (days not in seq order, or interleaved)', async () => {
    // seq 3 was written on the 27th after the 28th had begun; seq 5 on the 30th between two of the 29th
    await db.audit.bulkPut([entry(1, '2025-03-27'), entry(2, '2025-03-28'), entry(3, '2025-03-27'), entry(4, '2025-03-29'), entry(5, '2025-03-30'), entry(6, '2025-03-29')]);
    for (const [from, to] of [['2025-03-27', '2025-03-28'], ['2025-03-28', '2025-03-29'], ['2025-03-29', '2025-03-29'], ['2025-03-27', '2025-03-30']] as const) {
      const viaIndex = await db.audit.where('day').between(from, to, true, true).toArray();
      expect(await auditOfDays(db, from, to), `${from}..${to}`).toEqual(viaIndex);
    }
  });

  it("Yingke's tenders of days", async () => {
    await db.yingkeTenders.bulkPut([yingke('2025-03-27', 'b'), yingke('2025-03-28', 'z'), yingke('2025-03-28', 'a'), yingke('2025-03-29', 'c'), yingke('2025-03-30', 'd')]);
    const viaIndex = await db.yingkeTenders.where('day').between('2025-03-28', '2025-03-29', true, true).toArray();
    expect(await yingkeOfDays(db, '2025-03-28', '2025-03-29')).toEqual(viaIndex);
    expect((await yingkeOfDays(db, '2025-03-28', '2025-03-29')).map((y) => y.tenderId)).toEqual(['a', 'z', 'c']);
  });

  it('reconcileRange on a window read beforehand is the same as reading it then', async () => {
    await db.yingkeTenders.bulkPut([yingke('2025-03-28', 'a'), yingke('2025-03-28', 'b')]);
    const now = Date.parse('2025-04-10T00:00:00+08:00');
    const fresh = await reconcileRange(db, '2025-03-28', '2025-03-28', { now });
    const early = await reconcileRange(db, '2025-03-28', '2025-03-28', { now, window: loadWindow(db, '2025-03-28', '2025-03-28') });
    const strip = (r: typeof fresh) => ({ rows: r.rows, yingke: r.yingke, differences: r.differences, matched: r.matched });
    expect(strip(early)).toEqual(strip(fresh));
    expect(fresh.differences.map((d) => d.reason)).toEqual(['no-settlement', 'no-settlement']);
  });
});

describe('export clock text', () => {
  it('is what the replace gave, on the usual shape and others', () => {
    const old = (iso: string | undefined): string => (iso ? iso.replace('T', ' ').replace(/\+08:00$/, '') : '');
    for (const iso of ['2025-03-28T10:15:00+08:00', '2025-03-28T10:15:00.123+08:00', '2025-03-28T02:15:00Z', '2025-03-28 10:15:00', 'T', '', undefined, '2025-03-28T10:15:00+09:00']) {
      expect(clock(iso)).toBe(old(iso));
    }
  });
});

describe('xlsx text cells', () => {
  it('keep quotes as they are, escape & < >, drop what XML cannot hold, and read back the same', async () => {
    const { default: readXlsxFile } = await import('read-excel-file/universal');
    const { toXlsx } = await import('@/shared/export');
    const detail = '{"label":null,"path":"<main>","note":"a & b ]]> c"}';
    const bytes = await toXlsx([{ name: 'audit "x"', columns: [{ header: 'detail', type: 'text' }], rows: [[detail], [`x\u0001y"`]] }]);
    const parsed = await readXlsxFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    expect(parsed[0]?.sheet).toBe('audit "x"');
    expect(parsed[0]?.data).toEqual([['detail'], [detail], ['xy"']]);
  });
});

describe('xlsx parts', () => {
  it('are deflated (the compression stream is written to directly), and read back', async () => {
    const { default: readXlsxFile } = await import('read-excel-file/universal');
    const { toXlsx } = await import('@/shared/export');
    const rows = Array.from({ length: 3000 }, (_, i) => [`XS2503280${String(i).padStart(4, '0')}`, i * 100]);
    const bytes = await toXlsx([{ name: 's', columns: [{ header: 'orderNo', type: 'text' }, { header: 'amount', type: 'yuan' }], rows }]);
    // ~100 bytes of XML a row stored; deflated far less
    expect(bytes.length).toBeLessThan(3000 * 25);
    const parsed = await readXlsxFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    expect(parsed[0]?.data.length).toBe(3001);
    expect(parsed[0]?.data[3000]).toEqual(['XS25032802999', 2999]);
  });
});
