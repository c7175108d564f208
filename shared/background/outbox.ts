import type { Settlement, TenderBridgeDb, TenderRecord } from '@/shared/db';
import type { AuditLog } from '@/shared/audit';
import type { Settings } from '@/shared/settings';
import type { TenderView } from '@/shared/messages';
import { BridgeError, createBridgeClient, TenderBodySchema, type PostOutcome, type TenderBody } from '@/shared/bridge';
import { storeIso } from '@/shared/time';

/**
 * The outbox: every tender goes through it. It lives in IndexedDB, so a queued tender survives a
 * service-worker stop and a browser restart; the tenderId (= the settlement's id, made once at
 * capture) and a body frozen at queue time make every retry the same request, which the bridge
 * answers idempotently. Only 429/5xx/time-outs/network errors are retried; 400/422/409 are
 * flagged for a supervisor, 401 waits until the settings change.
 */
export type BridgeFactory = (settings: Settings) => { postTender(body: TenderBody): Promise<PostOutcome> };

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
}

export class TenderRefusedError extends Error {
  constructor(readonly code: 'NO_PAYMENT_METHOD' | 'NO_ORDER_NO' | 'NOT_POSTABLE' | 'INVALID_TENDER' | 'NO_BRIDGE', message: string) {
    super(message);
  }
}

const RETRY_BASE_MS = 5_000;
const RETRY_MAX_MS = 5 * 60_000;

export function retryDelayMs(attempts: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1));
}

const defaultBridge: BridgeFactory = (settings) =>
  createBridgeClient({ baseUrl: settings.bridge.baseUrl, storeCode: settings.storeCode, secret: settings.bridge.secret });

export class Outbox {
  private running: Promise<void> | null = null;
  private runAgain = false;
  private readonly now: () => number;
  private readonly bridge: BridgeFactory;

  constructor(private readonly options: OutboxOptions) {
    this.now = options.now ?? Date.now;
    this.bridge = options.bridge ?? defaultBridge;
  }

  /** Queues the settlement's tender (once) and tries it right away. */
  async post(settlementId: string): Promise<TenderRecord> {
    const { db } = this.options;
    const settings = await this.options.settings();
    if (!settings.bridge.baseUrl) throw new TenderRefusedError('NO_BRIDGE', 'no bridge configured');
    let tender = await db.tenders.get(settlementId);
    if (!tender) {
      const settlement = await db.settlements.get(settlementId);
      if (!settlement || settlement.status !== 'success') throw new TenderRefusedError('NOT_POSTABLE', 'no such settlement');
      tender = await this.queue(settlement, settings);
    } else if (tender.state === 'unauthorized') {
      // the cashier pressed 下账 again after settings were fixed
      await db.tenders.update(tender.tenderId, { state: 'queued', nextAttemptAt: this.now() });
    }
    await this.drain();
    return (await db.tenders.get(settlementId)) ?? tender;
  }

  private async queue(settlement: Settlement, settings: Settings): Promise<TenderRecord> {
    const { db, audit } = this.options;
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
    };
    const parsed = TenderBodySchema.safeParse(candidate);
    if (!parsed.success) throw new TenderRefusedError('INVALID_TENDER', parsed.error.issues.map((i) => i.message).join('; '));
    const stamp = storeIso(this.now());
    const tender: TenderRecord = {
      tenderId: settlement.id,
      settlementId: settlement.id,
      state: 'queued',
      body: JSON.stringify(parsed.data),
      attempts: 0,
      nextAttemptAt: this.now(),
      createdAt: stamp,
      updatedAt: stamp,
    };
    // add, not put: a second 下账 click racing the first must not replace a frozen body
    const added = await db.tenders.add(tender).then(
      () => true,
      async (error: unknown) => {
        if (!(await db.tenders.get(tender.tenderId))) throw error;
        return false;
      },
    );
    if (added) await audit.append({ type: 'tender.queued', portal: settlement.portal, orderNo: settlement.orderNo, detail: { tenderId: tender.tenderId, amountFen: settlement.amountFen } });
    this.options.onChange?.();
    return (await db.tenders.get(tender.tenderId)) ?? tender;
  }

  /** Posts every due tender, one at a time; concurrent calls share one run. */
  drain(): Promise<void> {
    if (this.running) {
      this.runAgain = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.runAgain = false;
          const due = await this.options.db.tenders
            .where('state')
            .equals('queued')
            .filter((t) => t.nextAttemptAt <= this.now())
            .toArray();
          for (const tender of due) await this.attempt(tender);
        } while (this.runAgain);
      } finally {
        this.running = null;
        await this.scheduleNext();
      }
    })();
    return this.running;
  }

  /** After the settings change: tenders refused for a bad signature may go again. */
  async settingsChanged(): Promise<void> {
    const stuck = await this.options.db.tenders.where('state').equals('unauthorized').toArray();
    for (const tender of stuck) await this.options.db.tenders.update(tender.tenderId, { state: 'queued', nextAttemptAt: this.now() });
    if (stuck.length) await this.drain();
  }

  private async scheduleNext(): Promise<void> {
    const next = await this.options.db.tenders.where('state').equals('queued').sortBy('nextAttemptAt');
    this.options.schedule?.(next[0]?.nextAttemptAt ?? null);
  }

  private async attempt(tender: TenderRecord): Promise<void> {
    const { db, audit } = this.options;
    const settings = await this.options.settings();
    if (!settings.bridge.baseUrl) return;
    const attempts = tender.attempts + 1;
    // Count the try before sending: if the worker dies mid-request it is simply tried again.
    await db.tenders.update(tender.tenderId, { attempts, nextAttemptAt: this.now() + retryDelayMs(attempts), updatedAt: storeIso(this.now()) });
    const body = TenderBodySchema.parse(JSON.parse(tender.body));
    let outcome: PostOutcome;
    try {
      outcome = await this.bridge(settings).postTender(body);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // A tender or a configuration the client refuses to send is not a passing fault: retrying
      // would loop for ever. Flag it; a settings change (config) puts it back in the queue.
      if (error instanceof BridgeError && (error.reason === 'invalid' || error.reason === 'config')) {
        outcome = error.reason === 'config'
          ? { kind: 'unauthorized', status: 401, code: error.code ?? 'CONFIG', message, durationMs: 0 }
          : { kind: 'rejected', status: 422, code: error.code ?? 'INVALID_TENDER', message, durationMs: 0 };
      } else {
        outcome = { kind: 'retry', reason: 'network', message, durationMs: 0 };
      }
    }
    const changes: Partial<TenderRecord> = { updatedAt: storeIso(this.now()) };
    switch (outcome.kind) {
      case 'recorded':
        Object.assign(changes, { state: 'posted', voucherNo: outcome.voucherNo, recordedAt: outcome.recordedAt, lastStatus: outcome.status, lastError: undefined });
        break;
      case 'retry':
        Object.assign(changes, { lastStatus: outcome.status, lastError: outcome.message });
        break;
      case 'rejected':
      case 'conflict':
      case 'unauthorized':
        Object.assign(changes, { state: outcome.kind, lastStatus: outcome.status, lastError: `${outcome.code}: ${outcome.message}` });
        break;
    }
    await db.tenders.update(tender.tenderId, changes);
    await audit.append({
      type: 'tender.attempt',
      portal: body.provider,
      orderNo: body.orderNo,
      code: outcome.kind === 'retry' ? `retry:${outcome.reason}` : outcome.kind,
      detail: {
        tenderId: tender.tenderId,
        attempt: attempts,
        status: 'status' in outcome && outcome.status !== undefined ? outcome.status : null,
        durationMs: outcome.durationMs,
        voucherNo: outcome.kind === 'recorded' ? outcome.voucherNo : null,
      },
    });
    this.options.onChange?.();
  }

  /** 「已在英克下账」: recorded by hand, with who and when. Never for a tender already posted. */
  async confirmManual(settlementId: string): Promise<TenderRecord> {
    const { db, audit } = this.options;
    const settings = await this.options.settings();
    const settlement = await db.settlements.get(settlementId);
    if (!settlement || settlement.status !== 'success') throw new TenderRefusedError('NOT_POSTABLE', 'no such settlement');
    const existing = await db.tenders.get(settlementId);
    if (existing?.state === 'posted' || existing?.state === 'manual') return existing;
    const stamp = storeIso(this.now());
    const record: TenderRecord = {
      ...(existing ?? { tenderId: settlementId, settlementId, body: '', attempts: 0, nextAttemptAt: 0, createdAt: stamp }),
      state: 'manual',
      manualBy: settings.cashierId || '(未设置收银员)',
      manualAt: stamp,
      updatedAt: stamp,
    };
    await db.tenders.put(record);
    await audit.append({
      type: 'tender.manual',
      portal: settlement.portal,
      orderNo: settlement.orderNo,
      detail: { tenderId: settlementId, by: record.manualBy ?? '', amountFen: settlement.amountFen, paymentMethod: settings.portals[settlement.portal].paymentMethodName },
    });
    this.options.onChange?.();
    return record;
  }
}

/** What the popup shows for one settlement. */
export function tenderView(settlement: Settlement, tender: TenderRecord | undefined, settings: Settings): TenderView {
  const portal = settings.portals[settlement.portal];
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
  };
}

export const DONE_STATES = new Set(['posted', 'manual']);
