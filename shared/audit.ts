import type { AuditEntry, TenderBridgeDb } from './db';
import { storeDay, storeIso } from './time';

/**
 * The append-only, tamper-evident audit trail. Each entry carries the SHA-256 of the previous
 * one and its own hash over a stable serialisation, so a changed, removed or reordered entry
 * breaks the chain (verifyAuditChain). Only the background writes it, through one queue, so the
 * chain has a single writer.
 */
export type AuditInput = Omit<AuditEntry, 'seq' | 'at' | 'day' | 'prevHash' | 'hash' | 'detail'> & {
  detail?: AuditEntry['detail'];
};

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level and no undefined members. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function auditEntryHash(entry: Omit<AuditEntry, 'hash'>): Promise<string> {
  return sha256Hex(stableStringify(entry));
}

export class AuditLog {
  private queue: Promise<unknown> = Promise.resolve();
  private head: { seq: number; hash: string } | undefined;

  constructor(
    private readonly db: TenderBridgeDb,
    private readonly now: () => number = Date.now,
  ) {
    const refuse = (): never => {
      throw new Error('the audit trail is append-only');
    };
    db.audit.hook('updating', refuse);
    db.audit.hook('deleting', refuse);
  }

  append(input: AuditInput): Promise<AuditEntry> {
    const next = this.queue.then(() => this.write(input));
    // keep the queue alive after a failure, but let the caller see it
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async write(input: AuditInput): Promise<AuditEntry> {
    if (!this.head) {
      const last = await this.db.audit.orderBy('seq').last();
      this.head = last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
    }
    const ms = this.now();
    const unsigned: Omit<AuditEntry, 'hash'> = {
      ...input,
      detail: input.detail ?? {},
      seq: this.head.seq + 1,
      at: storeIso(ms),
      day: storeDay(ms),
      prevHash: this.head.hash,
    };
    const entry: AuditEntry = { ...unsigned, hash: await auditEntryHash(unsigned) };
    await this.db.audit.add(entry);
    this.head = { seq: entry.seq, hash: entry.hash };
    return entry;
  }
}

export type ChainProblem = 'changed' | 'removed' | 'reordered';
export type ChainCheck = { ok: true; count: number; headHash: string } | { ok: false; seq: number; problem: ChainProblem };

/** Checks entries in seq order (as read from the table). The first entry may follow a purge. */
export async function verifyAuditChain(entries: readonly AuditEntry[]): Promise<ChainCheck> {
  let previous: AuditEntry | undefined;
  for (const entry of entries) {
    const { hash, ...unsigned } = entry;
    if ((await auditEntryHash(unsigned)) !== hash) return { ok: false, seq: entry.seq, problem: 'changed' };
    if (previous) {
      if (entry.seq <= previous.seq || entry.prevHash === previous.prevHash) {
        return { ok: false, seq: entry.seq, problem: 'reordered' };
      }
      if (entry.prevHash !== previous.hash) {
        return { ok: false, seq: entry.seq, problem: entry.seq === previous.seq + 1 ? 'reordered' : 'removed' };
      }
    }
    previous = entry;
  }
  return { ok: true, count: entries.length, headHash: previous?.hash ?? GENESIS_HASH };
}
