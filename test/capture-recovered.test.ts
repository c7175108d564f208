import { beforeEach, describe, expect, it } from 'vitest';
import { TenderBridgeDb } from '@/shared/db';
import { AuditLog } from '@/shared/audit';
import { storeCapture } from '@/shared/background/settlements';
import { CaptureJournal, type JournalArea } from '@/shared/background/capture-journal';
import type { Capture } from '@/shared/engine/capture-schema';

/**
 * Issue 10: a worker that committed a settlement and died before its audit entry. The page sends
 * the same capture again (still open in the journal): it is stored once, and the trail gets the
 * capture's entry then — once, marked recovered — instead of only "seen again".
 */
let db: TenderBridgeDb;
let audit: AuditLog;
const now = Date.parse('2025-03-28T02:16:00Z');
const sale: Capture = { kind: 'sale', outcome: 'success', rule: 'ruyitong.sale', vendorOrderNo: 'RYT001', storeOrderNo: 'XS250328000123', totalFen: 2600 };
const ctx = () => ({ db, audit, portal: 'ruyitong' as const, sessionOrderNo: 'XS250328000123', captureId: 'capture-1', now });

function memoryArea(): JournalArea {
  const map = new Map<string, unknown>();
  return {
    get: async (key) => (key === null ? Object.fromEntries(map) : map.has(key) ? { [key]: map.get(key) } : {}),
    set: async (items) => void Object.entries(items).forEach(([k, v]) => map.set(k, v)),
    remove: async (key) => void map.delete(key),
  };
}

beforeEach(() => {
  db = new TenderBridgeDb(`recovered-${crypto.randomUUID()}`);
  audit = new AuditLog(db, () => now);
});

const capturedEntries = () => db.audit.where('type').equals('settlement.captured').toArray();

describe('a capture re-sent after its worker died', () => {
  it('the journal says whether a capture is still open', async () => {
    const journal = new CaptureJournal(memoryArea());
    expect(await journal.has('capture-1')).toBe(false);
    await journal.open({ captureId: 'capture-1', tabId: 7, portal: 'ruyitong', capture: sale, reviewFlags: [] }, now);
    expect(await journal.has('capture-1')).toBe(true);
    await journal.close('capture-1');
    expect(await journal.has('capture-1')).toBe(false);
  });

  it('stored but its entry never written: the re-send writes it once, marked recovered', async () => {
    // the first worker: the write commits, `after` never runs (killed)
    const first = await storeCapture(sale, ctx());
    expect(first.answer.stored).toBe('new');
    expect(await capturedEntries()).toHaveLength(0);
    const again = await storeCapture(sale, { ...ctx(), resent: true });
    expect(again.answer).toMatchObject({ stored: 'duplicate', settlementId: first.answer.stored === 'new' ? first.answer.settlementId : '' });
    await again.after();
    const entries = await capturedEntries();
    expect(entries).toHaveLength(1);
    const [stored] = await db.settlements.toArray();
    expect(entries[0]?.detail).toMatchObject({ settlementId: stored?.id, recovered: true, amountFen: 2600, captureId: 'capture-1' });
    expect(await db.settlements.count()).toBe(1);
    // a further re-send finds the entry: "seen again", no second capture entry
    const third = await storeCapture(sale, { ...ctx(), resent: true });
    await third.after();
    expect(await capturedEntries()).toHaveLength(1);
    expect(await db.audit.where('type').equals('settlement.seen-again').count()).toBe(1);
  });

  it('stored with its entry (only the answer was lost): the re-send adds no capture entry', async () => {
    const first = await storeCapture(sale, ctx());
    await first.after();
    const again = await storeCapture(sale, { ...ctx(), resent: true });
    await again.after();
    expect(await capturedEntries()).toHaveLength(1);
    expect((await capturedEntries())[0]?.detail.recovered).toBeUndefined();
  });

  it('the same result seen again without a re-send (a re-render) is "seen again" as before', async () => {
    const first = await storeCapture(sale, ctx());
    const again = await storeCapture(sale, { ...ctx(), captureId: 'capture-2' });
    await again.after();
    expect(await capturedEntries()).toHaveLength(0);
    expect(await db.audit.where('type').equals('settlement.seen-again').count()).toBe(1);
    expect(first.answer.stored).toBe('new');
  });
});
