import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { TenderBridgeDb, type AuditEntry } from '@/shared/db';
import { auditOfDays, streamAuditOfDays } from '@/shared/audit-chain';
import { auditRow, auditSheetHead, exportSheets, packedSheet, StreamedSheet, toXlsx, type Sheet } from '@/shared/export';

/** The parts of a zip, inflated (local headers walked from the start). */
async function unzip(bytes: Uint8Array<ArrayBuffer>): Promise<Map<string, string>> {
  const parts = new Map<string, string>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  while (view.getUint32(at, true) === 0x04034b50) {
    const method = view.getUint16(at + 8, true);
    const size = view.getUint32(at + 18, true);
    const nameLength = view.getUint16(at + 26, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 30, at + 30 + nameLength));
    const body = bytes.subarray(at + 30 + nameLength, at + 30 + nameLength + size);
    const data = method === 8 ? new Uint8Array(await new Response(new Blob([body]).stream().pipeThrough(new DecompressionStream('deflate-raw'))).arrayBuffer()) : body;
    parts.set(name, new TextDecoder().decode(data));
    at += 30 + nameLength + size;
  }
  return parts;
}

function entry(seq: number, day: string, detail: AuditEntry['detail'] = { seq }): AuditEntry {
  return { seq, at: `${day}T10:00:00+08:00`, day, type: 'fill.step', portal: 'boming', orderNo: `XS${seq}`, code: 'goods', detail, prevHash: 'a'.repeat(64), hash: String(seq).padStart(64, '0') };
}

describe('a sheet written as its rows arrive', () => {
  const other: Sheet = { name: 'totals', columns: [{ header: 'n', type: 'int' }], rows: [[1], [2]] };

  it('makes the same workbook, part for part, as the whole sheet written at once (also across the stream flushes, and after a reset)', async () => {
    // ~6 MB of rows: more than one flush into the compression stream
    const entries = Array.from({ length: 30_000 }, (_, i) => entry(i + 1, '2025-03-28', { scanId: `id-${i}`, text: '如医通 <&> "q"', n: i }));
    const whole = await toXlsx([other, { ...auditSheetHead(), rows: entries.map(auditRow) }]);
    const streamed = new StreamedSheet(auditSheetHead());
    // rows that are then taken back: the source started over
    streamed.add(entries.slice(0, 20_000).map(auditRow));
    streamed.reset();
    for (let i = 0; i < entries.length; i += 7_000) streamed.add(entries.slice(i, i + 7_000).map(auditRow));
    expect(streamed.rowCount).toBe(30_000);
    const parts = await unzip(await toXlsx([other], [streamed]));
    const expected = await unzip(whole);
    expect([...parts.keys()]).toEqual([...expected.keys()]);
    for (const [name, xml] of expected) expect(parts.get(name), name).toBe(xml);
    expect(parts.get('xl/worksheets/sheet2.xml')).toContain('"text":"如医通 &lt;&amp;&gt; \\"q\\""}</t>');
  });

  it('sheets packed ahead (packedSheet) and plain ones in one workbook: the same parts as all written at the end', async () => {
    const audit = new StreamedSheet(auditSheetHead());
    audit.add([entry(1, '2025-03-28'), entry(2, '2025-03-28')].map(auditRow));
    const summary: Sheet = { name: 'summary', columns: [{ header: 'item', type: 'text' }], rows: [['head']] };
    const parts = await unzip(await toXlsx([summary, packedSheet(other)], [audit]));
    const expected = await unzip(await toXlsx([summary, other, { ...auditSheetHead(), rows: [entry(1, '2025-03-28'), entry(2, '2025-03-28')].map(auditRow) }]));
    expect([...parts.keys()]).toEqual([...expected.keys()]);
    for (const [name, xml] of expected) expect(parts.get(name), name).toBe(xml);
  });

  it('exportSheets writes the audit sheet with the same head and rows', () => {
    const audit = [entry(1, '2025-03-28'), entry(2, '2025-03-28')];
    const sheets = exportSheets({ from: '2025-03-28', to: '2025-03-28', storeCode: 'S', generatedAt: '2025-03-28T23:00:00+08:00', rows: [], yingke: [], differences: [], totals: [], heads: [], chain: null, audit, methodOf: () => '' });
    expect(sheets.at(-1)).toEqual({ ...auditSheetHead(), rows: audit.map(auditRow) });
  });
});

describe('audit entries of days handed over in parts', () => {
  async function fresh(entries: AuditEntry[]): Promise<TenderBridgeDb> {
    const db = new TenderBridgeDb(`stream-${crypto.randomUUID()}`);
    await db.open();
    await db.audit.bulkPut(entries);
    return db;
  }
  async function collect(db: TenderBridgeDb, from: string, to: string, chunkSize: number): Promise<{ entries: AuditEntry[]; chunks: number; resets: number }> {
    const out = { entries: [] as AuditEntry[], chunks: 0, resets: 0 };
    await streamAuditOfDays(db, from, to, { chunk: (part) => (out.entries.push(...part), (out.chunks += 1)), reset: () => ((out.entries = []), (out.resets += 1)) }, chunkSize);
    return out;
  }

  it('one run of seq: in parts of chunkSize, the same entries as the day index gives', async () => {
    const db = await fresh([entry(1, '2025-03-27'), ...Array.from({ length: 7 }, (_, i) => entry(i + 2, i < 3 ? '2025-03-28' : '2025-03-29')), entry(9, '2025-03-30')]);
    const viaIndex = await db.audit.where('day').between('2025-03-28', '2025-03-29', true, true).toArray();
    const got = await collect(db, '2025-03-28', '2025-03-29', 3);
    expect(got.entries).toEqual(viaIndex);
    expect(got).toMatchObject({ chunks: 3, resets: 0 });
    expect((await collect(db, '2025-04-01', '2025-04-02', 3)).entries).toEqual([]);
  });

  it('the clock went back after some parts were handed over: reset, then the index order', async () => {
    // seqs 1..6 fill the range exactly, but seq 4 belongs to the 27th, after two of the 28th
    const db = await fresh([entry(1, '2025-03-27'), entry(2, '2025-03-28'), entry(3, '2025-03-28'), entry(4, '2025-03-27'), entry(5, '2025-03-28'), entry(6, '2025-03-28')]);
    const viaIndex = await db.audit.where('day').between('2025-03-27', '2025-03-28', true, true).toArray();
    const got = await collect(db, '2025-03-27', '2025-03-28', 1);
    expect(got.resets).toBe(1);
    expect(got.entries).toEqual(viaIndex);
    expect(got.entries.map((e) => e.seq)).toEqual([1, 4, 2, 3, 5, 6]);
    expect(await auditOfDays(db, '2025-03-27', '2025-03-28')).toEqual(viaIndex);
  });
});
