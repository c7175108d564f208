import type { TenderBridgeDb } from '@/shared/db';
import type { AuditLog } from '@/shared/audit';
import type { Settings } from '@/shared/settings';
import { BridgeError, createBridgeClient, type BridgeClient } from '@/shared/bridge';
import { getDeviceId } from '@/shared/device';
import { storeIso } from '@/shared/time';
import {
  compareExportDays,
  compareWithHeads,
  isTampering,
  lastAnchoredSeq,
  readAnchorState,
  writeAnchorState,
  type AnchorCheckAnswer,
  type AnchorRecord,
  type KnownHead,
} from '@/shared/anchor';

/**
 * Sends the newest audit head to the bridge (spec revision 2) from an alarm and at each export,
 * and remembers what went where. Never in the cashier's way: a failure is kept for the log page
 * and tried again at the next tick; only a HEAD_CONFLICT (the chain was rewritten) is flagged.
 */

/** the alarm's period: heads go out at least every 15 minutes while there are new entries */
export const ANCHOR_PERIOD_MINUTES = 5;

export type AnchorBridge = Pick<BridgeClient, 'postAuditHead' | 'listAuditHeads'>;

export interface AnchorDeps {
  db: TenderBridgeDb;
  audit: AuditLog;
  settings: () => Promise<Settings>;
  now?: () => number;
  bridge?: (settings: Settings) => AnchorBridge;
  /** a HEAD_CONFLICT: the supervisor's alert (the entry is on the trail already) */
  onConflict?: (seq: number) => void;
}

export type AnchorOutcome = 'no-entries' | 'up-to-date' | 'no-bridge' | 'created' | 'same' | 'conflict' | 'retry' | 'unauthorized';

const defaultBridge = (settings: Settings): AnchorBridge =>
  createBridgeClient({ baseUrl: settings.bridge.baseUrl, storeCode: settings.storeCode, secret: settings.bridge.secret });

const bridgeOn = (settings: Settings): boolean => settings.bridge.baseUrl !== '' && settings.bridge.secret !== '';

export class Anchoring {
  /** one at a time: the alarm and an export must not interleave their state writes */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: AnchorDeps) {}

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** The alarm: the newest head, if the bridge has not got it yet. */
  tick(): Promise<AnchorOutcome> {
    return this.serial(async () => {
      const newest = await this.deps.db.audit.orderBy('seq').last();
      if (!newest) return 'no-entries';
      const state = await readAnchorState(this.deps.db);
      if (lastAnchoredSeq(state, 'bridge') >= newest.seq) return 'up-to-date';
      return this.send({ seq: newest.seq, hash: newest.hash, at: newest.at });
    });
  }

  /** An export was recorded: its head is kept as an export head and sent to the bridge. */
  exported(): Promise<AnchorOutcome> {
    return this.serial(async () => {
      const newest = await this.deps.db.audit.orderBy('seq').last();
      if (!newest) return 'no-entries';
      await this.remember({ seq: newest.seq, hash: newest.hash, at: newest.at, sentAt: storeIso(this.now()), where: 'export' });
      const state = await readAnchorState(this.deps.db);
      if (lastAnchoredSeq(state, 'bridge') >= newest.seq) return 'up-to-date';
      return this.send({ seq: newest.seq, hash: newest.hash, at: newest.at });
    });
  }

  private async remember(record: AnchorRecord): Promise<void> {
    const state = await readAnchorState(this.deps.db);
    const known = state.records.some((r) => r.where === record.where && r.seq === record.seq && r.hash === record.hash);
    if (!known) await writeAnchorState(this.deps.db, { ...state, records: [...state.records, record] });
  }

  private async attempt(seq: number, outcome: NonNullable<Awaited<ReturnType<typeof readAnchorState>>['lastAttempt']>['outcome'], message?: string): Promise<void> {
    const state = await readAnchorState(this.deps.db);
    await writeAnchorState(this.deps.db, { ...state, lastAttempt: { at: storeIso(this.now()), seq, outcome, ...(message ? { message: message.slice(0, 300) } : {}) } });
  }

  private async send(head: { seq: number; hash: string; at: string }): Promise<AnchorOutcome> {
    const settings = await this.deps.settings();
    if (!bridgeOn(settings)) return 'no-bridge';
    const deviceId = await getDeviceId(this.deps.db);
    let answer;
    try {
      answer = await (this.deps.bridge ?? defaultBridge)(settings).postAuditHead({ deviceId, ...head });
    } catch (error) {
      // unsigned, unreachable, refused: not believed, tried again at the next tick
      const unauthorized = error instanceof BridgeError && error.reason === 'unauthorized';
      await this.attempt(head.seq, unauthorized ? 'unauthorized' : 'retry', error instanceof Error ? error.message : String(error));
      return unauthorized ? 'unauthorized' : 'retry';
    }
    if (answer.kind === 'conflict') {
      const state = await readAnchorState(this.deps.db);
      await this.attempt(head.seq, 'conflict', answer.message);
      if (!state.conflicts.includes(head.seq)) {
        const after = await readAnchorState(this.deps.db);
        await writeAnchorState(this.deps.db, { ...after, conflicts: [...after.conflicts, head.seq] });
        await this.deps.audit.append({ type: 'audit.headConflict', code: 'HEAD_CONFLICT', detail: { seq: head.seq, hash: head.hash, message: answer.message.slice(0, 200) } });
        this.deps.onConflict?.(head.seq);
      }
      return 'conflict';
    }
    await this.remember({ ...head, sentAt: storeIso(this.now()), where: 'bridge' });
    await this.attempt(head.seq, answer.kind);
    return answer.kind;
  }

  /** The log page's check: the local chain against the bridge's heads and the export heads. */
  async check(): Promise<AnchorCheckAnswer> {
    const { db } = this.deps;
    const settings = await this.deps.settings();
    const state = await readAnchorState(db);
    const heads: KnownHead[] = [];
    let bridge: AnchorCheckAnswer['bridge'] = 'none';
    let bridgeMessage: string | undefined;
    let bridgeHeads = 0;
    if (bridgeOn(settings)) {
      try {
        const listed = await (this.deps.bridge ?? defaultBridge)(settings).listAuditHeads(await getDeviceId(db));
        heads.push(...listed.map((h) => ({ seq: h.seq, hash: h.hash, source: 'bridge' as const })));
        bridgeHeads = listed.length;
        bridge = 'checked';
      } catch (error) {
        bridge = 'failed';
        bridgeMessage = (error instanceof Error ? error.message : String(error)).slice(0, 300);
      }
    }
    // what this till sent (bridge) or wrote into export files: kept locally, compared too
    const exportRecords = state.records.filter((r) => r.where === 'export');
    heads.push(...exportRecords.map((r) => ({ seq: r.seq, hash: r.hash, source: 'export' as const })));
    if (bridge !== 'checked') heads.push(...state.records.filter((r) => r.where === 'bridge').map((r) => ({ seq: r.seq, hash: r.hash, source: 'bridge' as const })));
    const byHead = await compareWithHeads(db, heads);
    const comparison = { ...byHead, findings: [...byHead.findings, ...(await compareExportDays(db))] };
    const tampered = comparison.findings.filter(isTampering);
    if (tampered.length) {
      await this.deps.audit.append({
        type: 'audit.anchorCheck',
        code: 'TAMPERED',
        detail: { findings: tampered.map((f) => `${f.kind}:${f.kind === 'deleted' ? `${f.fromSeq}-${f.toSeq}` : f.kind === 'rewritten' ? `${f.fromSeq}-${f.headSeq}` : f.kind === 'exportDay' ? f.day : ''}`).join(',') },
      });
    }
    const newest = await db.audit.orderBy('seq').last();
    const lastAnchored = [...state.records].filter((r) => r.where === 'bridge').sort((a, b) => b.seq - a.seq)[0] ?? null;
    return {
      bridge,
      ...(bridgeMessage ? { bridgeMessage } : {}),
      bridgeHeads,
      exportHeads: exportRecords.length,
      ...comparison,
      newest: newest ? { seq: newest.seq, hash: newest.hash, at: newest.at } : null,
      lastAnchored,
    };
  }
}

