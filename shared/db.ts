import Dexie, { type EntityTable } from 'dexie';
import type { PortalId } from '@/providers/registry';
import type { ExceptionRecord, ExportRecord, PendingAlertRecord, VendorImport, VendorRowRecord, YingkeFetch, YingkeTenderRecord } from './log-records';

/**
 * The extension's one database. It lives in the extension origin only (background and extension
 * pages); content scripts never open it — that would write into the vendor's origin.
 */
export const DB_NAME = 'tenderbridge';

export interface AuditEntry {
  seq: number;
  /** ISO time with +08:00 */
  at: string;
  /** store day, YYYY-MM-DD */
  day: string;
  type: string;
  portal?: PortalId;
  orderNo?: string;
  /** an error or outcome code */
  code?: string;
  /** small, already masked facts */
  detail: Record<string, string | number | boolean | null>;
  prevHash: string;
  hash: string;
}

export type SettlementKind = 'sale' | 'refund';
export type SettlementStatus = 'success' | 'failed';

export interface Settlement {
  /** also the tenderId posted to the bridge: made once, at capture */
  id: string;
  kind: SettlementKind;
  status: SettlementStatus;
  portal: PortalId;
  orderNo: string;
  vendorOrderNo: string;
  amountFen: number;
  cashFen: number;
  cardMasked?: string;
  settledAt: string;
  day: string;
  /** the sale this refund reverses */
  refundOf?: string;
  capturedAt: string;
  /** a captured settlement that cannot become a tender yet: 'unmatched' = no fill in progress
   *  (the cashier attaches it by scanning the ticket); 'confirm' = order number or amount
   *  differs from the ticket (the cashier confirms in the popup) */
  hold?: 'unmatched' | 'confirm';
  /** why it is held / why it needs review (stable codes, e.g. 'AMOUNT_DIFFERS', 'FIELD_DROPPED:cardMasked') */
  holdReasons?: string[];
  /** captured with an optional field dropped or cut: a supervisor should look */
  reviewFlags?: string[];
  /** which till (browser profile) captured it (see deviceId in the bridge spec) */
  deviceId?: string;
}

/**
 * A tender on its way to Yingke. The body is frozen when it is queued, so every retry sends the
 * very same bytes under the same Idempotency-Key (= tenderId = the settlement's id). The state
 * machine and its transitions are in shared/background/outbox.ts (the table at the top).
 */
export type TenderState =
  | 'queued'
  | 'sending'
  | 'posted'
  | 'rejected'
  | 'conflict'
  | 'unauthorized'
  | 'manual'
  | 'manual-to-verify'
  | 'double';

export interface TenderRecord {
  tenderId: string;
  settlementId: string;
  state: TenderState;
  /** the exact JSON posted */
  body: string;
  attempts: number;
  /** epoch ms of the next try, for queued ones */
  nextAttemptAt: number;
  lastStatus?: number;
  lastError?: string;
  voucherNo?: string;
  recordedAt?: string;
  /** who confirmed a manual post-back, and when */
  manualBy?: string;
  manualAt?: string;
  createdAt: string;
  updatedAt: string;
  /** a request for it left the extension at least once: the bridge may hold it (outcome unknown) */
  sent?: boolean;
  /** epoch ms the current send began (state 'sending') */
  sendingSince?: number;
  /** why a supervisor must look (rejected, conflict, double, a stored body that no longer parses) */
  flagReason?: string;
}

/** Small facts of this profile (deviceId, bridge reachability) — schema version 3. */
export interface KvEntry {
  key: string;
  value: string | number | boolean | null;
}

export class TenderBridgeDb extends Dexie {
  audit!: EntityTable<AuditEntry, 'seq'>;
  settlements!: EntityTable<Settlement, 'id'>;
  tenders!: EntityTable<TenderRecord, 'tenderId'>;
  kv!: EntityTable<KvEntry, 'key'>;
  // the supervisors' daily log (log-records.ts), version 2
  exceptions!: EntityTable<ExceptionRecord, 'id'>;
  yingkeTenders!: EntityTable<YingkeTenderRecord, 'id'>;
  yingkeFetches!: EntityTable<YingkeFetch, 'day'>;
  vendorRows!: EntityTable<VendorRowRecord, 'id'>;
  vendorImports!: EntityTable<VendorImport, 'id'>;
  exports!: EntityTable<ExportRecord, 'day'>;
  alerts!: EntityTable<PendingAlertRecord, 'settlementId'>;

  constructor(name = DB_NAME) {
    super(name);
    this.version(1).stores({
      audit: '++seq, day, type, orderNo',
      // one settlement per vendor transaction: a success page shown twice cannot make two
      settlements: 'id, &[portal+vendorOrderNo+kind], orderNo, day, status',
      tenders: 'tenderId, &settlementId, state, nextAttemptAt',
    });
    // The supervisors' daily log (shared/log-records.ts), and the indexes its day and month views
    // read by: audit [type+day] (a month's bridge calls are an index range, not a scan of a
    // million entries), tenders createdAt (a month's tenders are one range, not 9,000 look-ups).
    this.version(2).stores({
      audit: '++seq, day, type, orderNo, [type+day]',
      tenders: 'tenderId, &settlementId, state, nextAttemptAt, createdAt',
      /** a difference marked handled: key = the difference id (stable across recomputations) */
      exceptions: 'id, day, kind, at, orderNo, vendorOrderNo',
      /** what GET /api/v1/tenders?date= answered, per day: key = `${day}:${tenderId}` */
      yingkeTenders: 'id, day, tenderId, orderNo, vendorOrderNo',
      /** when each day's Yingke list was last fetched (completeness for the pending pool) */
      yingkeFetches: 'day',
      /** a vendor's exported order list, imported for one day and portal */
      vendorRows: 'id, day, [day+portal], vendorOrderNo, orderNo',
      vendorImports: 'id, day',
      /** days exported (the retention purge only removes exported days) */
      exports: 'day',
      /** settlements already alerted as pending too long (one notification each) */
      alerts: 'settlementId, day',
    });
    // Revision 2 of the bridge contract: the till's deviceId and the outbox's reachability facts.
    this.version(3).stores({ kv: 'key' });
  }
}

let shared: TenderBridgeDb | undefined;
export function database(): TenderBridgeDb {
  shared ??= new TenderBridgeDb();
  return shared;
}
