import type { Settlement, TenderBridgeDb, TenderRecord, TenderState } from '@/shared/db';
import type { AuditLog } from '@/shared/audit';
import type { Settings } from '@/shared/settings';
import type { TenderView } from '@/shared/messages';
import {
  BridgeError,
  createBridgeClient,
  TenderBodySchema,
  type PostOutcome,
  type TenderBody,
  type TenderLookup,
} from '@/shared/bridge';
import { getDeviceId } from '@/shared/device';
import { storeIso } from '@/shared/time';

/**
 * The outbox: every tender goes through it. It lives in IndexedDB, so a queued tender survives a
 * service-worker stop and a browser restart; the tenderId (= the settlement's id, made once at
 * capture) and the body frozen at queue time — stored as the exact text sent, and sent as that
 * text on every retry — make every retry the same request, which the bridge answers idempotently.
 *
 * The state machine (TenderRecord.state; "new" = a settlement with no row yet):
 *
 * | state            | meaning                                                          | goes to                                                         |
 * | ---------------- | ---------------------------------------------------------------- | --------------------------------------------------------------- |
 * | new              | captured, nothing queued                                         | queued (下账); manual (hand: never sent)                          |
 * | queued           | waits for nextAttemptAt; `sent` = a request may have reached the bridge | sending; manual (never sent, or GET 404); manual-to-verify (sent, bridge unreachable > the store's minutes); posted (GET found it); rejected (stored body no longer parses) |
 * | sending          | one request in flight from this worker                           | posted, queued, rejected, conflict, unauthorized; a row still `sending` when a worker starts was cut off mid-send: queued, outcome unknown (`sent`) |
 * | posted           | the bridge recorded it (signed 201/200, or GET 200)              | final                                                           |
 * | rejected         | 400/422, or a stored body that fails the schema: supervisor     | final (supervisor)                                              |
 * | conflict         | 409: supervisor                                                  | final (supervisor)                                              |
 * | unauthorized     | 401: waits for a settings change                                 | queued (settings changed, or 下账 again)                         |
 * | manual           | made up by hand in Yingke; the bridge does not hold it           | final                                                           |
 * | manual-to-verify | made up by hand while the bridge could not be reached            | manual (GET 404), double (GET 200)                              |
 * | double           | made up by hand AND recorded by the bridge: supervisor reverses one | final (supervisor)                                           |
 *
 * Every transition is a Dexie transaction that re-reads the row and moves only from the state it
 * expects, so a stale snapshot can never overwrite a newer state (e.g. `manual` with `posted`).
 * One sender at a time: all network work (posts, look-ups, verification) runs under one lock per
 * worker, whoever asks (popup, alarm, start-up, timer); a new worker first turns rows left in
 * `sending` by a dead one into "outcome unknown".
 *
 * An answer that is not signed by the bridge is no answer at all: the tender stays queued; after
 * three such answers in a row the cashier (popup) and the supervisor (audit + alert) are told.
 * Without a bridge configured nothing is scheduled.
 */
export type BridgeFactory = (settings: Settings) => {
  postTenderText(text: string): Promise<PostOutcome>;
  getTender(tenderId: string): Promise<TenderLookup>;
};

export interface OutboxOptions {
  db: TenderBridgeDb;
  audit: AuditLog;
  settings: () => Promise<Settings>;
  now?: () => number;
  bridge?: BridgeFactory;
  /** called with the epoch ms of the next due retry (alarms + a timer), or null when none */
  schedule?: (at: number | null) => void;
  /** the pending count changed (badge) */
  onChange?: () => void;
  /** something a supervisor must see now: answers that cannot be verified, a double tender */
  onFlag?: (flag: OutboxFlag) => void;
}

export type OutboxFlag =
  | { kind: 'unverified-answers'; count: number }
  | { kind: 'double'; tenderId: string; voucherNo: string };

export type RefusalCode =
  | 'NO_PAYMENT_METHOD'
  | 'NO_ORDER_NO'
  | 'NOT_POSTABLE'
  | 'INVALID_TENDER'
  | 'NO_BRIDGE'
  | 'HELD'
  | 'SUPERVISOR_ONLY'
  | 'OUTCOME_UNKNOWN'
  | 'OUTCOME_UNKNOWN_NO_BRIDGE'
  | 'IN_FLIGHT'
  | 'DONE';

export class TenderRefusedError extends Error {
  constructor(readonly code: RefusalCode, message: string) {
    super(`${code}: ${message}`);
  }
}

const RETRY_BASE_MS = 5_000;
const RETRY_MAX_MS = 5 * 60_000;
/** how often a hand make-up "to verify" is looked up while the bridge does not answer */
const VERIFY_EVERY_MS = 60_000;
/** three unverifiable answers in a row: tell the cashier and the supervisor */
export const UNVERIFIED_ALERT_AFTER = 3;

const KV_UNREACHABLE_SINCE = 'bridge.unreachableSince';
const KV_UNVERIFIED_IN_ROW = 'bridge.unverifiedInRow';

export function retryDelayMs(attempts: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1));
}

export const DONE_STATES: ReadonlySet<string> = new Set<TenderState>(['posted', 'manual', 'manual-to-verify']);
/** states a supervisor must resolve */
export const SUPERVISOR_STATES: ReadonlySet<string> = new Set<TenderState>(['rejected', 'conflict', 'double']);

const defaultBridge: BridgeFactory = (settings) =>
  createBridgeClient({ baseUrl: settings.bridge.baseUrl, storeCode: settings.storeCode, secret: settings.bridge.secret });

const bridgeOn = (settings: Settings): boolean => settings.bridge.baseUrl !== '' && settings.bridge.secret !== '';

/** What the hand make-up rule allows for a tender right now (shown by the popup, enforced here). */
export type ManualRule =
  | { allowed: 'now' }
  /** sent: the bridge is asked first (GET); 404 → manual, found → posted */
  | { allowed: 'after-lookup' }
  | { allowed: 'no'; reason: 'DONE' | 'SUPERVISOR_ONLY' | 'OUTCOME_UNKNOWN_NO_BRIDGE' | 'HELD' | 'IN_FLIGHT' };

export function manualRule(settlement: Settlement, tender: TenderRecord | undefined, settings: Settings): ManualRule {
  if (settlement.hold) return { allowed: 'no', reason: 'HELD' };
  if (!tender) return { allowed: 'now' };
  if (DONE_STATES.has(tender.state)) return { allowed: 'no', reason: 'DONE' };
  if (tender.state === 'rejected' || tender.state === 'conflict' || tender.state === 'double') return { allowed: 'no', reason: 'SUPERVISOR_ONLY' };
  if (tender.state === 'sending') return { allowed: 'no', reason: 'IN_FLIGHT' };
  if (!tender.sent) return { allowed: 'now' };
  return bridgeOn(settings) ? { allowed: 'after-lookup' } : { allowed: 'no', reason: 'OUTCOME_UNKNOWN_NO_BRIDGE' };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class Outbox {
  private lock: Promise<unknown> = Promise.resolve();
  private recovered = false;
  private drainQueued: Promise<void> | null = null;
  private readonly now: () => number;
  private readonly bridge: BridgeFactory;

  constructor(private readonly options: OutboxOptions) {
    this.now = options.now ?? Date.now;
    this.bridge = options.bridge ?? defaultBridge;
  }

  /** Runs `task` alone: one sender at a time in this worker. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.lock.then(async () => {
      await this.recover();
      return task();
    });
    this.lock = run.catch(() => undefined);
    return run;
  }

  /** Rows a dead worker left in `sending`: the request may or may not have been recorded. */
  private async recover(): Promise<void> {
    if (this.recovered) return;
    const { db, audit } = this.options;
    const stuck = await db.tenders.where('state').equals('sending').toArray();
    for (const row of stuck) {
      const moved = await this.transition(row.tenderId, ['sending'], () => ({ state: 'queued', sent: true, sendingSince: undefined, nextAttemptAt: this.now() }));
      if (moved) await audit.append({ type: 'tender.unknown', code: 'worker-restart', detail: { tenderId: row.tenderId, attempt: row.attempts } });
    }
    this.recovered = true;
  }

  /**
   * One transition: re-reads the row inside a transaction and changes it only if it is still in
   * one of `from`. Returns the new row, or null when the row had moved on (nothing written).
   */
  private async transition(
    tenderId: string,
    from: readonly TenderState[],
    change: (row: TenderRecord) => Partial<TenderRecord>,
  ): Promise<TenderRecord | null> {
    const { db } = this.options;
    return db.transaction('rw', db.tenders, async () => {
      const row = await db.tenders.get(tenderId);
      if (!row || !from.includes(row.state)) return null;
      const next: TenderRecord = { ...row, ...change(row), updatedAt: storeIso(this.now()) };
      await db.tenders.put(next);
      return next;
    });
  }

  private async kvNumber(key: string): Promise<number | null> {
    const entry = await this.options.db.kv.get(key);
    return typeof entry?.value === 'number' ? entry.value : null;
  }

  /** How many answers in a row could not be verified (the popup's warning). */
  unverifiedInRow(): Promise<number> {
    return this.kvNumber(KV_UNVERIFIED_IN_ROW).then((n) => n ?? 0);
  }

  /** Since when the bridge has given no verifiable answer (epoch ms), or null. */
  unreachableSince(): Promise<number | null> {
    return this.kvNumber(KV_UNREACHABLE_SINCE);
  }

  /** Bookkeeping after each exchange: reachability, and the unverified-answers alarm. */
  private async noteAnswer(kind: 'verified' | 'unreachable' | 'unverified'): Promise<void> {
    const { db, audit } = this.options;
    const alert = await db.transaction('rw', db.kv, async () => {
      if (kind === 'verified') {
        // written only when it changes: most answers are verified and change nothing
        const [since, inRow] = await db.kv.bulkGet([KV_UNREACHABLE_SINCE, KV_UNVERIFIED_IN_ROW]);
        if ((since?.value ?? null) !== null || (inRow?.value ?? 0) !== 0) {
          await db.kv.bulkPut([
            { key: KV_UNREACHABLE_SINCE, value: null },
            { key: KV_UNVERIFIED_IN_ROW, value: 0 },
          ]);
        }
        return 0;
      }
      const since = await db.kv.get(KV_UNREACHABLE_SINCE);
      if (typeof since?.value !== 'number') await db.kv.put({ key: KV_UNREACHABLE_SINCE, value: this.now() });
      if (kind === 'unreachable') return 0;
      const count = ((await db.kv.get(KV_UNVERIFIED_IN_ROW))?.value as number | null | undefined) ?? 0;
      await db.kv.put({ key: KV_UNVERIFIED_IN_ROW, value: count + 1 });
      return count + 1 === UNVERIFIED_ALERT_AFTER ? count + 1 : 0;
    });
    if (alert) {
      await audit.append({ type: 'bridge.unverified', code: 'ANSWERS_UNVERIFIED', detail: { inRow: alert } });
      this.options.onFlag?.({ kind: 'unverified-answers', count: alert });
    }
  }

  private async noteOutcome(outcome: PostOutcome): Promise<void> {
    if (outcome.kind !== 'retry') return this.noteAnswer('verified');
    if (outcome.reason === 'unverified') return this.noteAnswer('unverified');
    if (outcome.reason === 'network' || outcome.reason === 'timeout') return this.noteAnswer('unreachable');
    return this.noteAnswer('verified');
  }

  private async noteLookup(lookup: TenderLookup): Promise<void> {
    if (lookup.kind !== 'unknown') return this.noteAnswer('verified');
    if (lookup.reason === 'unverified') return this.noteAnswer('unverified');
    if (lookup.reason === 'network' || lookup.reason === 'timeout') return this.noteAnswer('unreachable');
    return this.noteAnswer('verified');
  }

  /** 「下账」: queues the settlement's tender (once) and tries it right away. */
  async post(settlementId: string): Promise<TenderRecord> {
    const { db } = this.options;
    const settings = await this.options.settings();
    if (!bridgeOn(settings)) throw new TenderRefusedError('NO_BRIDGE', 'no bridge configured');
    const settlement = await db.settlements.get(settlementId);
    if (!settlement || settlement.status !== 'success') throw new TenderRefusedError('NOT_POSTABLE', 'no such settlement');
    if (settlement.hold) throw new TenderRefusedError('HELD', `settlement is held (${settlement.hold})`);
    const existing = await db.tenders.get(settlementId);
    if (!existing) await this.queue(settlement, settings);
    else if (existing.state === 'unauthorized') {
      // the cashier pressed 下账 again after settings were fixed
      await this.transition(settlementId, ['unauthorized'], () => ({ state: 'queued', nextAttemptAt: this.now() }));
    }
    await this.drain();
    const row = await db.tenders.get(settlementId);
    if (!row) throw new TenderRefusedError('NOT_POSTABLE', 'tender vanished');
    return row;
  }

  /** The frozen body of a settlement's tender (with this till's deviceId). */
  private async bodyFor(settlement: Settlement, settings: Settings): Promise<string> {
    const portal = settings.portals[settlement.portal];
    if (portal.paymentMethodId <= 0) {
      throw new TenderRefusedError('NO_PAYMENT_METHOD', `payment method id for ${settlement.portal} is not set`);
    }
    if (!settlement.orderNo) throw new TenderRefusedError('NO_ORDER_NO', 'the Yingke order number is unknown');
    const candidate: TenderBody = {
      tenderId: settlement.id,
      kind: settlement.kind,
      storeCode: settings.storeCode,
      cashierId: settings.cashierId,
      orderNo: settlement.orderNo,
      provider: settlement.portal,
      paymentMethodId: portal.paymentMethodId,
      paymentMethodName: portal.paymentMethodName,
      amountFen: settlement.amountFen,
      cashFen: settlement.cashFen,
      vendorOrderNo: settlement.vendorOrderNo,
      settledAt: settlement.settledAt,
      ...(settlement.cardMasked ? { cardMasked: settlement.cardMasked } : {}),
      ...(settlement.refundOf ? { refundOf: settlement.refundOf } : {}),
      deviceId: await getDeviceId(this.options.db),
    };
    const parsed = TenderBodySchema.safeParse(candidate);
    if (!parsed.success) throw new TenderRefusedError('INVALID_TENDER', parsed.error.issues.map((i) => i.message).join('; '));
    return JSON.stringify(parsed.data);
  }

  private async queue(settlement: Settlement, settings: Settings): Promise<void> {
    const { db, audit } = this.options;
    const body = await this.bodyFor(settlement, settings);
    const stamp = storeIso(this.now());
    const tender: TenderRecord = {
      tenderId: settlement.id,
      settlementId: settlement.id,
      state: 'queued',
      body,
      attempts: 0,
      nextAttemptAt: this.now(),
      createdAt: stamp,
      updatedAt: stamp,
      sent: false,
    };
    // only when no row exists: a second 下账 (or a hand make-up) racing this one keeps its row
    const added = await db.transaction('rw', db.tenders, async () => {
      if (await db.tenders.get(tender.tenderId)) return false;
      await db.tenders.add(tender);
      return true;
    });
    if (added) await audit.append({ type: 'tender.queued', portal: settlement.portal, orderNo: settlement.orderNo, detail: { tenderId: tender.tenderId, amountFen: settlement.amountFen } });
    this.options.onChange?.();
  }

  /**
   * Posts every due tender and verifies hand make-ups, one request at a time. Calls while a run
   * is waiting to start share it. Without a bridge it does nothing and clears the schedule.
   */
  drain(): Promise<void> {
    if (this.drainQueued) return this.drainQueued;
    const run = this.exclusive(async () => {
      this.drainQueued = null;
      const settings = await this.options.settings();
      if (bridgeOn(settings)) {
        const due = await this.options.db.tenders
          .where('state')
          .anyOf(['queued', 'manual-to-verify'])
          .filter((t) => t.nextAttemptAt <= this.now())
          .toArray();
        due.sort((a, b) => a.nextAttemptAt - b.nextAttemptAt);
        for (const tender of due) {
          if (tender.state === 'queued') await this.attempt(tender.tenderId, settings);
          else await this.verify(tender.tenderId, settings);
        }
      }
      await this.scheduleNext(settings);
    });
    this.drainQueued = run;
    return run;
  }

  /** After the settings change: tenders refused for a bad signature may go again. */
  async settingsChanged(): Promise<void> {
    const stuck = await this.options.db.tenders.where('state').equals('unauthorized').toArray();
    for (const tender of stuck) await this.transition(tender.tenderId, ['unauthorized'], () => ({ state: 'queued', nextAttemptAt: this.now() }));
    await this.drain();
  }

  private async scheduleNext(settings: Settings): Promise<void> {
    if (!bridgeOn(settings)) {
      this.options.schedule?.(null);
      return;
    }
    const waiting = await this.options.db.tenders.where('state').anyOf(['queued', 'manual-to-verify']).toArray();
    const next = waiting.reduce<number | null>((min, t) => (min === null || t.nextAttemptAt < min ? t.nextAttemptAt : min), null);
    // never a time in the past: a due row that could not go now (e.g. it moved on) waits a beat
    this.options.schedule?.(next === null ? null : Math.max(next, this.now() + 1_000));
  }

  private async attempt(tenderId: string, settings: Settings): Promise<void> {
    const { db, audit } = this.options;
    // A stored body is checked before it is sent; one that no longer parses is a supervisor's.
    const current = await db.tenders.get(tenderId);
    if (!current || current.state !== 'queued') return;
    let body: TenderBody;
    try {
      body = TenderBodySchema.parse(JSON.parse(current.body));
    } catch (error) {
      const flagReason = `STORED_BODY_INVALID: ${describe(error).slice(0, 300)}`;
      const moved = await this.transition(tenderId, ['queued'], () => ({ state: 'rejected', flagReason, lastError: flagReason }));
      if (moved) await audit.append({ type: 'tender.flagged', code: 'STORED_BODY_INVALID', detail: { tenderId } });
      this.options.onChange?.();
      return;
    }
    // Counted and marked `sending` (and `sent`) before the request leaves: if the worker dies
    // mid-request, the next one knows the bridge may hold it.
    const sending = await this.transition(tenderId, ['queued'], (row) => ({
      state: 'sending',
      sent: true,
      attempts: row.attempts + 1,
      sendingSince: this.now(),
      nextAttemptAt: this.now() + retryDelayMs(row.attempts + 1),
    }));
    if (!sending) return;
    let outcome: PostOutcome;
    try {
      outcome = await this.bridge(settings).postTenderText(sending.body);
    } catch (error) {
      const message = describe(error);
      // A tender or a configuration the client refuses to send is not a passing fault.
      if (error instanceof BridgeError && (error.reason === 'invalid' || error.reason === 'config')) {
        outcome = error.reason === 'config'
          ? { kind: 'unauthorized', status: 401, code: error.code ?? 'CONFIG', message, durationMs: 0 }
          : { kind: 'rejected', status: 422, code: error.code ?? 'INVALID_TENDER', message, durationMs: 0 };
      } else {
        outcome = { kind: 'retry', reason: 'network', message, durationMs: 0 };
      }
    }
    const after = await this.transition(tenderId, ['sending'], (row) => {
      switch (outcome.kind) {
        case 'recorded':
          return { state: 'posted', sendingSince: undefined, voucherNo: outcome.voucherNo, recordedAt: outcome.recordedAt, lastStatus: outcome.status, lastError: undefined };
        case 'retry': {
          const wait = Math.max(retryDelayMs(row.attempts), outcome.retryAfterMs ?? 0);
          return { state: 'queued', sendingSince: undefined, nextAttemptAt: this.now() + wait, lastStatus: outcome.status, lastError: outcome.message };
        }
        case 'rejected':
        case 'conflict':
        case 'unauthorized': {
          const reason = `${outcome.code}: ${outcome.message}`;
          return {
            state: outcome.kind,
            sendingSince: undefined,
            lastStatus: outcome.status,
            lastError: reason,
            ...(outcome.kind === 'unauthorized' ? {} : { flagReason: reason }),
          };
        }
      }
    });
    await this.noteOutcome(outcome);
    await audit.append({
      type: 'tender.attempt',
      portal: body.provider,
      orderNo: body.orderNo,
      code: outcome.kind === 'retry' ? `retry:${outcome.reason}` : outcome.kind,
      detail: {
        tenderId,
        attempt: sending.attempts,
        status: 'status' in outcome && outcome.status !== undefined ? outcome.status : null,
        durationMs: outcome.durationMs,
        voucherNo: outcome.kind === 'recorded' ? outcome.voucherNo : null,
        applied: after !== null,
      },
    });
    this.options.onChange?.();
  }

  /** A hand make-up "to verify": does the bridge hold it too? */
  private async verify(tenderId: string, settings: Settings): Promise<void> {
    const { audit } = this.options;
    const lookup = await this.lookup(tenderId, settings);
    await this.noteLookup(lookup);
    if (lookup.kind === 'found') {
      const flagReason = `DOUBLE: made up by hand and recorded by the bridge (${lookup.tender.voucherNo})`;
      const moved = await this.transition(tenderId, ['manual-to-verify'], () => ({ state: 'double', flagReason, voucherNo: lookup.tender.voucherNo }));
      if (moved) {
        await audit.append({ type: 'tender.double', orderNo: lookup.tender.orderNo, code: 'DOUBLE', detail: { tenderId, voucherNo: lookup.tender.voucherNo, manualBy: moved.manualBy ?? '' } });
        this.options.onFlag?.({ kind: 'double', tenderId, voucherNo: lookup.tender.voucherNo });
      }
    } else if (lookup.kind === 'absent') {
      const moved = await this.transition(tenderId, ['manual-to-verify'], () => ({ state: 'manual' }));
      if (moved) await audit.append({ type: 'tender.verified', code: 'NOT_IN_BRIDGE', detail: { tenderId } });
    } else {
      await this.transition(tenderId, ['manual-to-verify'], () => ({ nextAttemptAt: this.now() + VERIFY_EVERY_MS }));
    }
    this.options.onChange?.();
  }

  private async lookup(tenderId: string, settings: Settings): Promise<TenderLookup> {
    try {
      return await this.bridge(settings).getTender(tenderId);
    } catch (error) {
      return { kind: 'unknown', reason: 'network', message: describe(error) };
    }
  }

  /**
   * 「已在英克下账」: the cashier recorded it in Yingke by hand. The spec's rule: never sent → at
   * once; sent (outcome unknown) → only after the bridge answers 404 for it (found → posted, no
   * hand make-up); bridge unreachable longer than the store allows → allowed, "to verify"; refused
   * (409/422/400) → the supervisor's, never the cashier's.
   */
  confirmManual(settlementId: string): Promise<TenderRecord> {
    return this.exclusive(() => this.confirmManualAlone(settlementId));
  }

  private async confirmManualAlone(settlementId: string): Promise<TenderRecord> {
    const { db, audit } = this.options;
    const settings = await this.options.settings();
    const settlement = await db.settlements.get(settlementId);
    if (!settlement || settlement.status !== 'success') throw new TenderRefusedError('NOT_POSTABLE', 'no such settlement');
    const existing = await db.tenders.get(settlementId);
    const rule = manualRule(settlement, existing, settings);
    if (rule.allowed === 'no') {
      if (rule.reason === 'DONE' && existing) return existing;
      throw new TenderRefusedError(rule.reason, 'this tender cannot be recorded by hand now');
    }
    const by = settings.cashierId || '(未设置收银员)';
    const stamp = storeIso(this.now());
    const audited = async (row: TenderRecord, code: string): Promise<TenderRecord> => {
      await audit.append({
        type: 'tender.manual',
        portal: settlement.portal,
        orderNo: settlement.orderNo,
        code,
        detail: { tenderId: settlementId, by, amountFen: settlement.amountFen, paymentMethod: settings.portals[settlement.portal].paymentMethodName, state: row.state },
      });
      this.options.onChange?.();
      return row;
    };

    if (rule.allowed === 'now') {
      const marked = { state: 'manual' as const, manualBy: by, manualAt: stamp };
      const row = await db.transaction('rw', db.tenders, async () => {
        const row = await db.tenders.get(settlementId);
        if (row && (row.sent || row.state !== 'queued')) return null; // it moved on meanwhile
        const next: TenderRecord = row
          ? { ...row, ...marked, updatedAt: stamp }
          : { tenderId: settlementId, settlementId, body: '', attempts: 0, nextAttemptAt: 0, createdAt: stamp, updatedAt: stamp, sent: false, ...marked };
        await db.tenders.put(next);
        return next;
      });
      if (!row) throw new TenderRefusedError('IN_FLIGHT', 'the tender changed meanwhile; look again');
      return audited(row, 'never-sent');
    }

    // Sent before: ask the bridge first.
    const lookup = await this.lookup(settlementId, settings);
    await this.noteLookup(lookup);
    const from: TenderState[] = ['queued', 'unauthorized'];
    if (lookup.kind === 'found') {
      const row = await this.transition(settlementId, from, () => ({ state: 'posted', voucherNo: lookup.tender.voucherNo, recordedAt: lookup.tender.recordedAt, lastError: undefined }));
      await audit.append({ type: 'tender.lookup', orderNo: settlement.orderNo, code: 'FOUND', detail: { tenderId: settlementId, voucherNo: lookup.tender.voucherNo } });
      this.options.onChange?.();
      return row ?? (await db.tenders.get(settlementId)) ?? Promise.reject(new Error('tender vanished'));
    }
    if (lookup.kind === 'absent') {
      const row = await this.transition(settlementId, from, () => ({ state: 'manual', manualBy: by, manualAt: stamp }));
      if (!row) throw new TenderRefusedError('IN_FLIGHT', 'the tender changed meanwhile; look again');
      return audited(row, 'bridge-404');
    }
    const since = await this.unreachableSince();
    const allowance = settings.bridge.unreachableMinutes * 60_000;
    if (since !== null && this.now() - since >= allowance) {
      const row = await this.transition(settlementId, from, () => ({ state: 'manual-to-verify', manualBy: by, manualAt: stamp, nextAttemptAt: this.now() + VERIFY_EVERY_MS }));
      if (!row) throw new TenderRefusedError('IN_FLIGHT', 'the tender changed meanwhile; look again');
      await this.scheduleNext(settings);
      return audited(row, 'unreachable-to-verify');
    }
    throw new TenderRefusedError('OUTCOME_UNKNOWN', lookup.message);
  }
}

/** What the popup shows for one settlement. */
export function tenderView(settlement: Settlement, tender: TenderRecord | undefined, settings: Settings, nowMs: number = Date.now()): TenderView {
  const portal = settings.portals[settlement.portal];
  const rule = manualRule(settlement, tender, settings);
  const captured = Date.parse(settlement.capturedAt);
  return {
    settlementId: settlement.id,
    kind: settlement.kind,
    portal: settlement.portal,
    paymentMethodName: portal.paymentMethodName,
    paymentMethodId: portal.paymentMethodId,
    orderNo: settlement.orderNo,
    vendorOrderNo: settlement.vendorOrderNo,
    amountFen: settlement.amountFen,
    cashFen: settlement.cashFen,
    settledAt: settlement.settledAt,
    refundOf: settlement.refundOf,
    state: tender?.state ?? 'new',
    attempts: tender?.attempts ?? 0,
    lastError: tender?.lastError,
    voucherNo: tender?.voucherNo,
    manualBy: tender?.manualBy,
    manualAt: tender?.manualAt,
    sent: tender?.sent ?? false,
    manual: rule.allowed === 'no' ? rule.reason : rule.allowed,
    ...(settlement.hold ? { hold: settlement.hold, holdReasons: settlement.holdReasons ?? [] } : {}),
    ...(tender?.flagReason ? { flagReason: tender.flagReason } : {}),
    ageMinutes: Number.isNaN(captured) ? 0 : Math.max(0, Math.floor((nowMs - captured) / 60_000)),
  };
}
