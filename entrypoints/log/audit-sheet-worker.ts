/// <reference lib="webworker" />
import { database } from '@/shared/db';
import { streamAuditOfDays } from '@/shared/audit-chain';
import { auditRow, StreamedSheet, type DayHead } from '@/shared/export';
import type { AuditSheetAnswer, AuditSheetRequest } from './audit-sheet';

/**
 * The export's audit sheet, off the page's thread: a month's ~90,000 entries are read from the
 * database, written into the sheet and compressed here while the page reads and reconciles the
 * settlements and writes the other sheets. Only the compressed part goes back (transferred).
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = (event: MessageEvent<AuditSheetRequest>) => {
  void build(event.data).then(
    (answer) => scope.postMessage(answer, answer.ok ? [answer.packed.body.buffer] : []),
    (error: unknown) => scope.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) } satisfies AuditSheetAnswer),
  );
};

async function build({ from, to, head }: AuditSheetRequest): Promise<AuditSheetAnswer> {
  const sheet = new StreamedSheet(head);
  const heads = new Map<string, DayHead>();
  await streamAuditOfDays(database(), from, to, {
    chunk: (entries) => {
      for (const e of entries) heads.set(e.day, { day: e.day, seq: e.seq, hash: e.hash });
      sheet.add(entries.map(auditRow));
    },
    reset: () => {
      heads.clear();
      sheet.reset();
    },
  });
  const packed = await sheet.finish();
  return { ok: true, packed, rows: sheet.rowCount, heads: [...heads.values()] };
}
