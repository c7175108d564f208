import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TenderBridgeDb, type Settlement } from '@/shared/db';
import { AuditLog } from '@/shared/audit';
import { defaultSettings, type Settings } from '@/shared/settings';
import { Outbox } from '@/shared/background/outbox';
import type { BridgeTender, PostOutcome, TenderBody, TenderLookup } from '@/shared/bridge';

/**
 * Model-based test of the money path: the real Outbox (fake-indexeddb, the real Dexie schema and
 * audit chain) against a model of the Yingke bridge, through random interleavings of faults,
 * worker and browser restarts (rows left in 'sending'), the bridge URL cleared and restored, the
 * bridge down for hours (a fake clock), and the cashier's 下账 and 已在英克下账 clicks at any moment.
 *
 * Invariant, for every captured sale: it ends recorded exactly once in Yingke — by the bridge, or
 * by the cashier's hand make-up (each 'tender.manual' audit entry is one hand record) — or it is
 * flagged for a supervisor with a reason; nothing is lost; never two records for one sale, except
 * a double the spec allows (hand make-up while unreachable) and that is then flagged.
 *
 * MODEL_RUNS sets the number of runs (default 10,000; scripts/money-model-long.mjs runs 1,000,000).
 */
const RUNS = Number(process.env.MODEL_RUNS ?? 10_000);
const SEED = process.env.MODEL_SEED === undefined ? undefined : Number(process.env.MODEL_SEED);

type Fault = 'ok' | '500' | '429' | 'timeout' | 'lost' | 'unsigned' | '409' | 'down';
type Step =
  | { t: 'capture' }
  | { t: 'post'; k: number }
  | { t: 'manual'; k: number }
  | { t: 'drain' }
  | { t: 'deliver'; fault: Fault; retryAfterS: number }
  | { t: 'restart'; landed: boolean; browser: boolean }
  | { t: 'clearUrl' }
  | { t: 'restoreUrl' }
  | { t: 'advance'; minutes: number }
  | { t: 'outage'; hours: number }
  | { t: 'impostor'; answers: number };

const FAULTS: Fault[] = ['ok', '500', '429', 'timeout', 'lost', 'unsigned', '409', 'down'];

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<Step>({ t: 'capture' }) },
  { weight: 4, arbitrary: fc.nat(2).map<Step>((k) => ({ t: 'post', k })) },
  { weight: 4, arbitrary: fc.nat(2).map<Step>((k) => ({ t: 'manual', k })) },
  { weight: 2, arbitrary: fc.constant<Step>({ t: 'drain' }) },
  { weight: 8, arbitrary: fc.record({ fault: fc.constantFrom(...FAULTS), retryAfterS: fc.integer({ min: 1, max: 900 }) }).map<Step>(({ fault, retryAfterS }) => ({ t: 'deliver', fault, retryAfterS })) },
  { weight: 2, arbitrary: fc.record({ landed: fc.boolean(), browser: fc.boolean() }).map<Step>(({ landed, browser }) => ({ t: 'restart', landed, browser })) },
  { weight: 1, arbitrary: fc.constant<Step>({ t: 'clearUrl' }) },
  { weight: 1, arbitrary: fc.constant<Step>({ t: 'restoreUrl' }) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 30 }).map<Step>((minutes) => ({ t: 'advance', minutes })) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 6 }).map<Step>((hours) => ({ t: 'outage', hours })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 4 }).map<Step>((answers) => ({ t: 'impostor', answers })) },
);

interface Pending {
  gen: number;
  kind: 'post' | 'get';
  tenderId: string;
  body?: TenderBody;
  resolve: (answer: PostOutcome | TenderLookup) => void;
}

const BRIDGE_URL = 'http://bridge.model';
const IDLE_TICKS = Number(process.env.MODEL_IDLE ?? 12);
const MAX_STEPS = Number(process.env.MODEL_STEPS ?? 14);
/** One database for all runs, emptied between them (opening a fresh one per run costs more than the run). */
const sharedDb = new TenderBridgeDb(`money-model-${process.pid}`);
let clockNow = 0;
let finalRounds = 0;
const timing = { empty: 0, steps: 0, final: 0 };
/** how the runs ended (printed, so a reader sees the faults really bite) */
const endStates: Record<string, number> = {};
/** One audit log too: its hooks refuse deletes (append-only), so the tables are emptied below Dexie. */
const sharedAudit = new AuditLog(sharedDb, () => clockNow);
async function emptyDb(): Promise<TenderBridgeDb> {
  await sharedDb.open();
  const idb = sharedDb.backendDB();
  const names = [...idb.objectStoreNames];
  await new Promise<void>((resolve, reject) => {
    const tx = idb.transaction(names, 'readwrite');
    for (const name of names) tx.objectStore(name).clear();
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('clear failed'));
  });
  // the shared audit log caches its head: start its chain again on the empty table
  (sharedAudit as unknown as { head: undefined }).head = undefined;
  return sharedDb;
}

class World {
  readonly db: TenderBridgeDb;
  private now = Date.parse('2026-12-07T02:00:00Z');
  get clock(): number {
    return this.now;
  }
  set clock(value: number) {
    this.now = value;
    clockNow = value;
  }
  readonly audit: AuditLog = sharedAudit;
  settings: Settings;
  /** the bridge model: what Yingke holds through the bridge */
  readonly recorded = new Map<string, { body: TenderBody; voucherNo: string }>();
  readonly pending: Pending[] = [];
  readonly settlements: string[] = [];
  gen = 0;
  down = false;
  outbox: Outbox;
  running = 0;
  progress = 0;
  vouchers = 0;
  readonly trace: string[] = [];

  constructor(db: TenderBridgeDb) {
    this.db = db;
    const settings = defaultSettings();
    settings.storeCode = 'S0012';
    settings.cashierId = 'C01';
    settings.bridge = { baseUrl: BRIDGE_URL, secret: 'secret', unreachableMinutes: 10 };
    settings.portals.ruyitong.paymentMethodId = 27;
    this.settings = settings;
    this.clock = this.now;
    this.outbox = this.newOutbox();
  }

  newOutbox(): Outbox {
    const gen = this.gen;
    const request = (kind: 'post' | 'get', tenderId: string, body?: TenderBody) =>
      new Promise<PostOutcome | TenderLookup>((resolve) => {
        this.pending.push({ gen, kind, tenderId, ...(body ? { body } : {}), resolve });
        this.progress += 1;
      });
    return new Outbox({
      db: this.db,
      audit: this.audit,
      settings: async () => structuredClone(this.settings),
      now: () => this.clock,
      bridge: () => ({
        postTenderText: async (text) => {
          const body = JSON.parse(text) as TenderBody;
          return (await request('post', body.tenderId, body)) as PostOutcome;
        },
        getTender: async (tenderId) => (await request('get', tenderId)) as TenderLookup,
      }),
    });
  }

  /** Starts an operation the way a click, timer or alarm would: not awaited. */
  start(label: string, op: () => Promise<unknown>): void {
    const gen = this.gen;
    this.running += 1;
    void op()
      .catch((error: unknown) => this.trace.push(`${label} refused: ${error instanceof Error ? error.message.slice(0, 60) : String(error)}`))
      .finally(() => {
        // a dead worker's operations do not count (they cannot finish anyway: see restart)
        if (gen !== this.gen) return;
        this.running -= 1;
        this.progress += 1;
      });
  }

  /**
   * Lets every started operation run until it is done or waits on the bridge (a pending request,
   * or the one-sender lock behind it): no progress for a stretch of macrotasks.
   */
  async settle(): Promise<void> {
    let idle = 0;
    let seen = this.progress;
    while (this.running > 0 && idle < IDLE_TICKS) {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.progress !== seen) {
        seen = this.progress;
        idle = 0;
      } else if (this.pending.some((p) => p.gen === this.gen)) {
        idle += 1;
      }
    }
  }

  /** The bridge answers the oldest request of the living worker. */
  deliver(fault: Fault, retryAfterS: number): void {
    const index = this.pending.findIndex((p) => p.gen === this.gen);
    if (index < 0) return;
    const [request] = this.pending.splice(index, 1);
    if (!request) return;
    const effective: Fault = this.down || this.settings.bridge.baseUrl === '' ? 'down' : fault;
    this.trace.push(`deliver ${request.kind} ${request.tenderId.slice(-4)} ${effective}`);
    if (request.kind === 'post') request.resolve(this.answerPost(request, effective, retryAfterS));
    else request.resolve(this.answerGet(request.tenderId, effective));
  }

  private record(body: TenderBody): { status: 200 | 201; voucherNo: string } {
    const existing = this.recorded.get(body.tenderId);
    if (existing) return { status: 200, voucherNo: existing.voucherNo };
    const voucherNo = `YKV${++this.vouchers}`;
    this.recorded.set(body.tenderId, { body, voucherNo });
    return { status: 201, voucherNo };
  }

  private answerPost(request: Pending, fault: Fault, retryAfterS: number): PostOutcome {
    const body = request.body as TenderBody;
    const recordedAt = '2026-12-07T10:00:00+08:00';
    switch (fault) {
      case 'ok': {
        const { status, voucherNo } = this.record(body);
        return { kind: 'recorded', status, voucherNo, recordedAt, durationMs: 1 };
      }
      case '500':
        return { kind: 'retry', reason: 'status', status: 500, message: 'internal', durationMs: 1 };
      case '429':
        return { kind: 'retry', reason: 'status', status: 429, message: 'slow down', durationMs: 1, retryAfterMs: retryAfterS * 1000 };
      case 'timeout':
        return { kind: 'retry', reason: 'timeout', message: 'no answer within 10000 ms', durationMs: 10_000 };
      case 'lost':
        this.record(body);
        return { kind: 'retry', reason: 'network', message: 'connection reset', durationMs: 1 };
      case 'unsigned':
        // an impostor answers 201 unsigned: the client reports it as no answer
        return { kind: 'retry', reason: 'unverified', status: 201, message: 'not signed', durationMs: 1 };
      case '409': {
        // a consistent bridge answers 200 for a tender it holds; 409 only for one it does not
        if (this.recorded.has(body.tenderId)) return this.answerPost(request, 'ok', retryAfterS);
        return { kind: 'conflict', status: 409, code: 'ORDER_ALREADY_TENDERED', message: 'order already tendered', durationMs: 1 };
      }
      case 'down':
        return { kind: 'retry', reason: 'network', message: 'ECONNREFUSED', durationMs: 1 };
    }
  }

  private answerGet(tenderId: string, fault: Fault): TenderLookup {
    switch (fault) {
      case 'ok':
      case '409': {
        const held = this.recorded.get(tenderId);
        if (!held) return { kind: 'absent' };
        const tender: BridgeTender = { ...held.body, voucherNo: held.voucherNo, recordedAt: '2026-12-07T10:00:00+08:00' };
        return { kind: 'found', tender };
      }
      case '500':
      case '429':
        return { kind: 'unknown', reason: 'status', message: 'busy' };
      case 'unsigned':
        return { kind: 'unknown', reason: 'unverified', message: 'not signed' };
      case 'timeout':
        return { kind: 'unknown', reason: 'timeout', message: 'slow' };
      case 'lost':
      case 'down':
        return { kind: 'unknown', reason: 'network', message: 'reset' };
    }
  }

  /** The worker (or the whole browser) dies: its requests may or may not have reached the bridge. */
  restart(landed: boolean): void {
    for (const request of this.pending.filter((p) => p.gen === this.gen)) {
      if (landed && request.kind === 'post' && !this.down && this.settings.bridge.baseUrl !== '') this.record(request.body as TenderBody);
    }
    // the dead worker's operations never resume (their requests stay unanswered for ever)
    this.gen += 1;
    this.running = 0;
    this.outbox = this.newOutbox();
  }

  async capture(): Promise<void> {
    if (this.settlements.length >= 3) return;
    const n = this.settlements.length + 1;
    const id = `settlement-${String(n).padStart(4, '0')}-model`;
    const settlement: Settlement = {
      id,
      kind: 'sale',
      status: 'success',
      portal: 'ruyitong',
      orderNo: `XS2612070000${n}`,
      vendorOrderNo: `RYT00${n}`,
      amountFen: 1000 * n,
      cashFen: 0,
      settledAt: '2026-12-07T10:00:00+08:00',
      day: '2026-12-07',
      capturedAt: '2026-12-07T10:00:00+08:00',
    };
    await this.db.settlements.add(settlement);
    this.settlements.push(id);
  }

  /** How often the cashier was told to record it in Yingke by hand. */
  async handRecords(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    const entries = await this.db.audit.where('type').equals('tender.manual').toArray();
    for (const entry of entries) {
      const id = String(entry.detail.tenderId);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  }

  async run(step: Step): Promise<void> {
    this.trace.push(JSON.stringify(step));
    const id = (k: number) => this.settlements[k % Math.max(1, this.settlements.length)];
    switch (step.t) {
      case 'capture':
        await this.capture();
        break;
      case 'post': {
        const target = id(step.k);
        if (target) this.start('post', () => this.outbox.post(target));
        break;
      }
      case 'manual': {
        const target = id(step.k);
        if (target) this.start('manual', () => this.outbox.confirmManual(target));
        break;
      }
      case 'drain':
        this.start('drain', () => this.outbox.drain());
        break;
      case 'deliver':
        this.deliver(step.fault, step.retryAfterS);
        break;
      case 'restart':
        await this.settle();
        this.restart(step.landed);
        // browser start-up (and any message) wakes the new worker: it picks up where it was
        if (step.browser) this.start('startup', () => this.outbox.drain());
        break;
      case 'clearUrl':
        this.settings.bridge.baseUrl = '';
        this.start('settings', () => this.outbox.settingsChanged());
        break;
      case 'restoreUrl':
        this.settings.bridge.baseUrl = BRIDGE_URL;
        this.start('settings', () => this.outbox.settingsChanged());
        break;
      case 'advance':
        this.clock += step.minutes * 60_000;
        this.start('timer', () => this.outbox.drain());
        break;
      case 'outage':
        // the bridge is down for hours; the alarm keeps trying; every answer is a network error
        this.down = true;
        for (let hour = 0; hour < step.hours; hour++) {
          this.clock += 60 * 60_000;
          this.start('alarm', () => this.outbox.drain());
          await this.settle();
          while (this.pending.some((p) => p.gen === this.gen)) {
            this.deliver('down', 1);
            await this.settle();
          }
        }
        this.down = false;
        break;
      case 'impostor':
        // someone else answers in the bridge's place, unsigned, for a while
        for (let i = 0; i < step.answers; i++) {
          this.clock += 5 * 60_000;
          this.start('timer', () => this.outbox.drain());
          await this.settle();
          this.deliver('unsigned', 1);
          await this.settle();
        }
        break;
    }
    await this.settle();
    await this.checkSafety();
  }

  /** Must hold at every moment: never two records unless the row says 'double' or may be one ('manual-to-verify'). */
  async checkSafety(): Promise<void> {
    const hands = await this.handRecords();
    for (const id of this.settlements) {
      const hand = hands.get(id) ?? 0;
      const bridge = this.recorded.has(id) ? 1 : 0;
      if (hand > 1) throw new Error(`${id}: told to record by hand ${hand} times`);
      if (hand + bridge > 1) {
        const state = (await this.db.tenders.get(id))?.state;
        if (state !== 'double' && state !== 'manual-to-verify') throw new Error(`${id}: recorded twice but the row says ${state}`);
      }
    }
  }

  /** The cashier comes back to a working bridge and keeps pressing 下账 until nothing moves. */
  async settleForGood(): Promise<void> {
    this.down = false;
    this.settings.bridge.baseUrl = BRIDGE_URL;
    for (let round = 0; round < 60; round++) {
      finalRounds += 1;
      while (this.pending.some((p) => p.gen === this.gen)) {
        this.deliver('ok', 1);
        await this.settle();
      }
      const open: string[] = [];
      for (const id of this.settlements) {
        const state = (await this.db.tenders.get(id))?.state;
        if (state === undefined || state === 'queued' || state === 'sending' || state === 'unauthorized' || state === 'manual-to-verify') open.push(id);
      }
      if (open.length === 0 && this.running === 0) return;
      this.clock += 10 * 60_000;
      for (const id of open) this.start('final-post', () => this.outbox.post(id));
      this.start('final-drain', () => this.outbox.drain());
      await this.settle();
    }
  }

  async checkEnd(): Promise<void> {
    const hands = await this.handRecords();
    for (const id of this.settlements) {
      const row = await this.db.tenders.get(id);
      const hand = hands.get(id) ?? 0;
      const bridge = this.recorded.has(id) ? 1 : 0;
      const where = `${id}: state ${row?.state}, bridge ${bridge}, hand ${hand}`;
      switch (row?.state) {
        case 'posted':
          if (bridge !== 1 || hand !== 0) throw new Error(`posted but ${where}`);
          if (row.voucherNo !== this.recorded.get(id)?.voucherNo) throw new Error(`posted with a voucher the bridge never gave: ${where}`);
          break;
        case 'manual':
          if (bridge !== 0 || hand !== 1) throw new Error(`manual but ${where}`);
          break;
        case 'double':
          if (bridge !== 1 || hand !== 1 || !row.flagReason) throw new Error(`double but ${where}`);
          break;
        case 'conflict':
        case 'rejected':
          // a supervisor's, with the reason; never also recorded twice
          if (!row.flagReason || bridge + hand > 1) throw new Error(`flagged but ${where}`);
          break;
        default:
          throw new Error(`never settled: ${where}`);
      }
    }
  }
}

async function runOnce(steps: Step[]): Promise<void> {
  const t0 = performance.now();
  const world = new World(await emptyDb());
  const t1 = performance.now();
  try {
    await world.capture();
    for (const step of steps) await world.run(step);
    const t2 = performance.now();
    await world.settleForGood();
    timing.empty += t1 - t0;
    timing.steps += t2 - t1;
    timing.final += performance.now() - t2;
    for (const row of await world.db.tenders.toArray()) endStates[row.state] = (endStates[row.state] ?? 0) + 1;
    if ((await world.db.audit.where('type').equals('bridge.unverified').count()) > 0) endStates['(unverified alert)'] = (endStates['(unverified alert)'] ?? 0) + 1;
    if ((await world.db.audit.where('type').equals('tender.unknown').count()) > 0) endStates['(restart mid-send)'] = (endStates['(restart mid-send)'] ?? 0) + 1;
    if ((await world.db.audit.where('type').equals('tender.lookup').count()) > 0) endStates['(found by lookup)'] = (endStates['(found by lookup)'] ?? 0) + 1;
    if ((await world.db.audit.where('type').equals('tender.verified').count()) > 0) endStates['(to-verify cleared)'] = (endStates['(to-verify cleared)'] ?? 0) + 1;
    await world.checkSafety();
    await world.checkEnd();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}\ntrace:\n${world.trace.slice(-60).join('\n')}`);
  }
}

describe('money model: capture → outbox → bridge under every fault', () => {
  it(
    `every sale ends recorded exactly once, or flagged for a supervisor (${RUNS} runs)`,
    async () => {
      const started = Date.now();
      await fc.assert(
        fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: MAX_STEPS }), (steps) => runOnce(steps)),
        { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}) },
      );
      process.stdout.write(`money model: ${RUNS} runs in ${((Date.now() - started) / 1000).toFixed(1)} s (end states ${JSON.stringify(endStates)}; final rounds ${finalRounds})\n`);
    },
    // a ceiling, not a target: 10,000 runs take about a minute on 2 idle cores, much longer under load
    Math.max(600_000, RUNS * 200),
  );

  it('the model can fail: a bridge that forgets what it recorded is caught', async () => {
    // the same checks over a run where the bridge model loses its record after answering 201
    const world = new World(await emptyDb());
    await world.capture();
    const id = world.settlements[0] as string;
    world.start('post', () => world.outbox.post(id));
    await world.settle();
    world.deliver('ok', 1);
    await world.settle();
    world.recorded.delete(id);
    await expect(world.checkEnd()).rejects.toThrow(/posted but/);
  });
});
