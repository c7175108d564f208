import { z } from 'zod';
import type { DayHead, Packed, PackedSheet, SheetHead } from '@/shared/export';

/** What the page asks the audit-sheet worker (audit-sheet-worker.ts), and what it answers. */
export interface AuditSheetRequest {
  from: string;
  to: string;
  /** the sheet's name and column headers, in the page's language (a worker has no i18n) */
  head: SheetHead;
}
export type AuditSheetAnswer = { ok: true; packed: Packed & { size: number }; rows: number; heads: DayHead[] } | { ok: false; error: string };

const AnswerSchema = z.object({
  ok: z.literal(true),
  packed: z.object({ body: z.instanceof(Uint8Array), crc: z.int().min(0), method: z.union([z.literal(0), z.literal(8)]), size: z.int().min(0) }),
  rows: z.int().min(0),
  heads: z.array(z.object({ day: z.string(), seq: z.int(), hash: z.string() })),
});

export interface WorkerAuditSheet {
  sheet: PackedSheet;
  rows: number;
  heads: DayHead[];
}

/**
 * The audit sheet of [from, to], written in a worker; null when there is no worker (or it
 * failed): the caller then writes the sheet itself.
 */
export function auditSheetInWorker(from: string, to: string, head: SheetHead): Promise<WorkerAuditSheet | null> {
  let worker: Worker;
  try {
    // a classic worker: the build writes it as one self-contained script
    worker = new Worker(new URL('./audit-sheet-worker.ts', import.meta.url));
  } catch {
    return Promise.resolve(null);
  }
  return new Promise((resolve) => {
    const done = (value: WorkerAuditSheet | null): void => {
      worker.terminate();
      resolve(value);
    };
    worker.onmessage = (event: MessageEvent<unknown>) => {
      const answer = AnswerSchema.safeParse(event.data);
      if (!answer.success) {
        console.error('log page: the audit sheet was not written in a worker', event.data);
        done(null);
        return;
      }
      const { packed, rows, heads } = answer.data;
      done({ sheet: { sheet: head, finish: () => Promise.resolve(packed) }, rows, heads });
    };
    worker.onerror = (event) => {
      console.error('log page: the audit-sheet worker failed', event.message);
      done(null);
    };
    const request: AuditSheetRequest = { from, to, head };
    worker.postMessage(request);
  });
}
