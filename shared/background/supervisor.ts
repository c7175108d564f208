import { unpostedSettlements } from './unposted';
import { PORTAL_IDS, type PortalId } from '@/providers/registry';
import type { AuditEntry, TenderBridgeDb } from '@/shared/db';
import type { AuditLog } from '@/shared/audit';
import type { Settings } from '@/shared/settings';
import { BridgeError, createBridgeClient, type BridgeClient } from '@/shared/bridge';
import { storeDay, storeIso } from '@/shared/time';
import { addDays } from '@/shared/reconcile';
import { reconcileRange, settlementCounts } from '@/shared/daylog';
import { pageKeyOf, type SenderInfo } from './sender';
import { backgroundPins, type SupervisorPins } from './pin';
import { type ExceptionRecord, type PendingAlertRecord, type VendorRowRecord, type YingkeTenderRecord } from '@/shared/log-records';
import { type AlertCheck, type PurgeReport, type SupervisorRequestOf, type SupervisorRequestType, type SupervisorResponseOf, type YingkeFetchAnswer } from '@/shared/supervisor-messages';

/**
 * The background's writes for the supervisors' daily log. Each takes `{ db, audit, settings, now }`
 * and records what it did on the audit trail (the single writer of the chain). The log page only
 * reads the database; everything it changes comes here through a message.
 */
export interface SupervisorContext {
  db: TenderBridgeDb;
  audit: AuditLog;
  settings: Settings;
  /** epoch ms */
  now: number;
}

export class SupervisorError extends Error {
  constructor(
    readonly code: 'DIFF_NOT_FOUND' | 'NOT_HANDLED' | 'FUTURE_DAY' | 'EMPTY_IMPORT',
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

function paymentMethodIds(settings: Settings): Partial<Record<PortalId, number>> {
  return Object.fromEntries(PORTAL_IDS.map((p) => [p, settings.portals[p].paymentMethodId]));
}

// ---------------------------------------------------------------------------------------------
// Exceptions

type HandleRequest = Omit<SupervisorRequestOf<'exception.handle'>, 'type'>;
type ReopenRequest = Omit<SupervisorRequestOf<'exception.reopen'>, 'type'>;

/**
 * Marks a difference handled. The difference is recomputed here from the database (the page's
 * copy is not trusted): a difference that no longer exists cannot be marked.
 */
export async function handleException(ctx: SupervisorContext, request: HandleRequest): Promise<ExceptionRecord> {
  const { db, audit, settings, now } = ctx;
  const result = await reconcileRange(db, request.day, request.day, { now, paymentMethodIds: paymentMethodIds(settings) });
  const diff = result.differences.find((d) => d.id === request.diffId);
  if (!diff) throw new SupervisorError('DIFF_NOT_FOUND', `no difference ${request.diffId} on ${request.day}`);
  const entry = await audit.append({
    type: 'exception.handled',
    ...(diff.portal ? { portal: diff.portal } : {}),
    ...(diff.orderNo ? { orderNo: diff.orderNo } : {}),
    code: `${diff.kind}:${diff.reason}`,
    detail: {
      diffId: diff.id,
      day: diff.day,
      basis: request.basis,
      remark: request.remark,
      by: request.by,
      cashierId: settings.cashierId,
      vendorOrderNo: diff.vendorOrderNo ?? null,
      capturedFen: diff.capturedFen,
      yingkeFen: diff.yingkeFen,
      fileFen: diff.fileFen,
      pending: diff.pending,
    },
  });
  const record: ExceptionRecord = {
    id: diff.id,
    day: diff.day,
    kind: diff.kind,
    reason: diff.reason,
    state: 'handled',
    ...(diff.portal ? { portal: diff.portal } : {}),
    ...(diff.orderNo ? { orderNo: diff.orderNo } : {}),
    ...(diff.vendorOrderNo ? { vendorOrderNo: diff.vendorOrderNo } : {}),
    ...(diff.settlementId ? { settlementId: diff.settlementId } : {}),
    ...(diff.tenderId ? { tenderId: diff.tenderId } : {}),
    capturedFen: diff.capturedFen,
    yingkeFen: diff.yingkeFen,
    fileFen: diff.fileFen,
    basis: request.basis,
    remark: request.remark,
    by: request.by,
    at: entry.at,
    auditSeq: entry.seq,
  };
  await db.exceptions.put(record);
  return record;
}

/** Takes a handled mark back (the mark and its undoing both stay on the audit trail). */
export async function reopenException(ctx: SupervisorContext, request: ReopenRequest): Promise<ExceptionRecord> {
  const { db, audit } = ctx;
  const table = db.exceptions;
  const existing = await table.get(request.diffId);
  if (!existing || existing.state !== 'handled') throw new SupervisorError('NOT_HANDLED', `${request.diffId} is not marked handled`);
  const entry = await audit.append({
    type: 'exception.reopened',
    ...(existing.portal ? { portal: existing.portal } : {}),
    ...(existing.orderNo ? { orderNo: existing.orderNo } : {}),
    code: `${existing.kind}:${existing.reason}`,
    detail: { diffId: existing.id, day: existing.day, remark: request.remark, by: request.by, handledSeq: existing.auditSeq },
  });
  const record: ExceptionRecord = { ...existing, state: 'reopened', remark: request.remark, by: request.by, at: entry.at, auditSeq: entry.seq };
  await table.put(record);
  return record;
}

// ---------------------------------------------------------------------------------------------
// Yingke's tenders of a day

export type BridgeListFactory = (settings: Settings) => Pick<BridgeClient, 'listTenders'>;

const defaultBridge: BridgeListFactory = (settings) =>
  createBridgeClient({ baseUrl: settings.bridge.baseUrl, storeCode: settings.storeCode, secret: settings.bridge.secret });

/**
 * GET /api/v1/tenders?date=day (answers validated by the bridge client's zod schema), stored as
 * that day's snapshot; the call — what, status, duration — goes on the audit trail, which is the
 * page's bridge call log.
 */
export async function fetchYingkeDay(
  ctx: SupervisorContext & { bridge?: BridgeListFactory; clock?: () => number },
  day: string,
): Promise<YingkeFetchAnswer> {
  const { db, audit, settings, now } = ctx;
  const clock = ctx.clock ?? Date.now;
  if (day > storeDay(now)) throw new SupervisorError('FUTURE_DAY', `${day} has not begun`);
  const t = db;
  const stamp = storeIso(now);
  const previous = await t.yingkeFetches.get(day);

  const fail = async (code: string, message: string, status: number | null, durationMs: number): Promise<YingkeFetchAnswer> => {
    await t.yingkeFetches.put({ ...(previous ?? { day }), day, lastAttemptAt: stamp, lastOk: false, lastError: `${code}: ${message}`, durationMs });
    await audit.append({ type: 'bridge.listTenders', code, detail: { day, status, durationMs, count: null, message: message.slice(0, 200) } });
    return { day, ok: false, count: 0, durationMs, status, code, message };
  };

  if (!settings.bridge.baseUrl) return fail('NO_BRIDGE', 'no bridge configured', null, 0);
  const started = clock();
  let tenders;
  try {
    tenders = await (ctx.bridge ?? defaultBridge)(settings).listTenders(day);
  } catch (error) {
    const durationMs = Math.max(0, Math.round(clock() - started));
    if (error instanceof BridgeError) return fail(error.code ?? error.reason, error.message, error.status ?? null, durationMs);
    return fail('network', error instanceof Error ? error.message : String(error), null, durationMs);
  }
  const durationMs = Math.max(0, Math.round(clock() - started));
  const records: YingkeTenderRecord[] = tenders.map((tender) => ({ ...tender, id: `${day}:${tender.tenderId}`, day, fetchedAt: stamp }));
  await db.transaction('rw', [t.yingkeTenders, t.yingkeFetches], async () => {
    await t.yingkeTenders.where('day').equals(day).delete();
    await t.yingkeTenders.bulkPut(records);
    await t.yingkeFetches.put({ day, okAtMs: now, okAt: stamp, count: records.length, lastAttemptAt: stamp, lastOk: true, durationMs });
  });
  await audit.append({ type: 'bridge.listTenders', code: 'ok', detail: { day, status: 200, durationMs, count: records.length } });
  return { day, ok: true, count: records.length, durationMs, status: 200 };
}

// ---------------------------------------------------------------------------------------------
// Vendor order lists

type ImportRequest = Omit<SupervisorRequestOf<'vendor.import'>, 'type'>;

/** Stores a vendor's order list for one day and portal, replacing an earlier import of it. */
export async function importVendorRows(ctx: SupervisorContext, request: ImportRequest): Promise<{ importId: string; stored: number }> {
  const { db, audit, now } = ctx;
  if (request.rows.length === 0) throw new SupervisorError('EMPTY_IMPORT', 'the file has no order lines');
  const t = db;
  const importId = crypto.randomUUID();
  const records = new Map<string, VendorRowRecord>();
  for (const row of request.rows) {
    const id = `${request.day}:${request.portal}:${row.vendorOrderNo}:${row.kind}`;
    records.set(id, { ...row, id, day: request.day, portal: request.portal, importId });
  }
  const entry = await audit.append({
    type: 'vendor.imported',
    portal: request.portal,
    detail: { day: request.day, importId, fileName: request.fileName, sha256: request.sha256, rows: request.rows.length, distinct: records.size, by: request.by },
  });
  await db.transaction('rw', [t.vendorRows, t.vendorImports], async () => {
    await t.vendorRows.where('[day+portal]').equals([request.day, request.portal]).delete();
    await t.vendorRows.bulkPut([...records.values()]);
    await t.vendorImports.put({ id: importId, day: request.day, portal: request.portal, fileName: request.fileName, sha256: request.sha256, rowCount: records.size, at: entry.at || storeIso(now), by: request.by });
  });
  return { importId, stored: records.size };
}

// ---------------------------------------------------------------------------------------------
// Exports and retention

type ExportRequest = Omit<SupervisorRequestOf<'export.record'>, 'type'>;

export async function recordExport(ctx: SupervisorContext, request: ExportRequest): Promise<{ recorded: number }> {
  const { db, audit, now } = ctx;
  const t = db;
  const days = [...request.days].sort((a, b) => (a.day < b.day ? -1 : 1));
  const entry = await audit.append({
    type: 'export.recorded',
    code: request.format,
    detail: { fileName: request.fileName, rowCount: request.rowCount, days: days.length, from: days[0]?.day ?? null, to: days[days.length - 1]?.day ?? null },
  });
  await t.exports.bulkPut(
    days.map((d) => ({ day: d.day, at: entry.at, atMs: now, format: request.format, fileName: request.fileName, settlementCount: d.settlementCount, withAudit: d.withAudit, auditHeadHash: d.auditHeadHash })),
  );
  return { recorded: days.length };
}

async function uniqueDaysBelow(table: { where(index: string): { below(key: string): { uniqueKeys(): Promise<unknown[]> } } }, cutoff: string): Promise<string[]> {
  return (await table.where('day').below(cutoff).uniqueKeys()).filter((k): k is string => typeof k === 'string');
}

/** Deletes audit entries seq ≤ throughSeq below Dexie (its hooks refuse any delete of the trail). */
function deleteAuditPrefix(db: TenderBridgeDb, throughSeq: number): Promise<void> {
  const idb = db.backendDB();
  return new Promise((resolve, reject) => {
    const tx = idb.transaction('audit', 'readwrite');
    tx.objectStore('audit').delete(IDBKeyRange.upperBound(throughSeq));
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('audit purge failed'));
    tx.onabort = () => reject(tx.error ?? new Error('audit purge aborted'));
  });
}

/**
 * Removes the days older than the retention period (settings.retentionDays, at least 400), but
 * only days that were exported — with their audit entries, and with as many settlements as the
 * day has now. Audit entries go as a prefix of the chain (oldest first, up to the first day that
 * must stay), and a `retention.purged` entry carrying the last removed seq and its hash is
 * appended first, so the chain check can tell this purge from a deletion.
 */
export async function purgeRetention(ctx: SupervisorContext, options: { dryRun: boolean; by?: string }): Promise<PurgeReport> {
  const { db, audit, settings, now } = ctx;
  const t = db;
  const cutoff = addDays(storeDay(now), -settings.retentionDays);
  const [sDays, aDays, yDays, vDays, eDays, exported] = await Promise.all([
    uniqueDaysBelow(db.settlements, cutoff),
    uniqueDaysBelow(db.audit, cutoff),
    uniqueDaysBelow(t.yingkeTenders, cutoff),
    uniqueDaysBelow(t.vendorRows, cutoff),
    uniqueDaysBelow(t.exceptions, cutoff),
    t.exports.where('day').below(cutoff).toArray(),
  ]);
  const days = [...new Set([...sDays, ...aDays, ...yDays, ...vDays, ...eDays])].sort();
  const exportOf = new Map(exported.map((e) => [e.day, e]));
  const counts = days.length ? await settlementCounts(db, days[0] ?? cutoff, addDays(cutoff, -1)) : new Map<string, number>();
  const auditDays = new Set(aDays);
  const purgeable = (day: string): boolean => {
    const e = exportOf.get(day);
    return e !== undefined && e.settlementCount === (counts.get(day) ?? 0) && (!auditDays.has(day) || e.withAudit);
  };
  const purgedDays = days.filter(purgeable);
  const blockedDays = days.filter((d) => !purgeable(d));

  // the audit prefix: up to the first audit day that must stay (or the cutoff)
  const boundary = [...aDays].sort().find((d) => !purgeable(d)) ?? cutoff;
  const firstKept = await db.audit.where('day').aboveOrEqual(boundary).first();
  const firstEntry = await db.audit.orderBy('seq').first();
  let throughSeq: number | null = null;
  let anchor: AuditEntry | undefined;
  if (firstEntry && aDays.some(purgeable)) {
    const candidate = firstKept ? firstKept.seq - 1 : ((await db.audit.orderBy('seq').last())?.seq ?? 0);
    anchor = await db.audit.where('seq').belowOrEqual(candidate).last();
    if (anchor && anchor.seq >= firstEntry.seq) throughSeq = anchor.seq;
  }
  const auditEntries = throughSeq === null ? 0 : await db.audit.where('seq').belowOrEqual(throughSeq).count();
  const settlementIds = purgedDays.length ? ((await db.settlements.where('day').anyOf(purgedDays).primaryKeys()) as string[]) : [];
  const tenderIds = settlementIds.length ? (await db.tenders.bulkGet(settlementIds)).filter((x) => x !== undefined).map((x) => x.tenderId) : [];

  const report: PurgeReport = {
    dryRun: options.dryRun,
    cutoffDay: cutoff,
    retentionDays: settings.retentionDays,
    purgedDays,
    blockedDays,
    settlements: settlementIds.length,
    tenders: tenderIds.length,
    auditEntries,
    auditThroughSeq: throughSeq,
  };
  if (options.dryRun || (purgedDays.length === 0 && throughSeq === null)) return report;

  // written before anything is removed: the anchor the chain check needs
  await audit.append({
    type: 'retention.purged',
    detail: {
      cutoffDay: cutoff,
      retentionDays: settings.retentionDays,
      days: purgedDays.length,
      from: purgedDays[0] ?? null,
      to: purgedDays[purgedDays.length - 1] ?? null,
      settlements: settlementIds.length,
      throughSeq,
      anchorHash: anchor && throughSeq !== null ? anchor.hash : null,
      auditEntries,
      by: options.by ?? null,
    },
  });
  if (purgedDays.length) {
    await db.transaction('rw', [db.settlements, db.tenders, t.yingkeTenders, t.yingkeFetches, t.vendorRows, t.vendorImports, t.exceptions, t.alerts], async () => {
      await db.tenders.bulkDelete(tenderIds);
      await db.settlements.bulkDelete(settlementIds);
      await t.yingkeTenders.where('day').anyOf(purgedDays).delete();
      await t.yingkeFetches.bulkDelete(purgedDays);
      await t.vendorRows.where('day').anyOf(purgedDays).delete();
      await t.vendorImports.where('day').anyOf(purgedDays).delete();
      await t.exceptions.where('day').anyOf(purgedDays).delete();
      await t.alerts.where('day').anyOf(purgedDays).delete();
    });
  }
  if (throughSeq !== null) await deleteAuditPrefix(db, throughSeq);
  return report;
}

// ---------------------------------------------------------------------------------------------
// Pending alert

/**
 * Settlements charged on the vendor but not in Yingke (no tender, queued, or refused) for longer
 * than settings.pendingAlertMinutes. Each is alerted once (audited); the caller turns `newly` into
 * a notification and `overdue > 0` into the red badge.
 */
export async function checkPendingAlerts(ctx: SupervisorContext): Promise<AlertCheck> {
  const { db, audit, settings, now } = ctx;
  const t = db;
  const thresholdMinutes = settings.pendingAlertMinutes;
  // every unposted settlement, whatever its age (as the popup's list)
  const open = await unpostedSettlements(db);
  const overdue: PendingAlertRecord[] = [];
  open.forEach(({ settlement: s }) => {
    const captured = Date.parse(s.capturedAt);
    const minutes = Number.isNaN(captured) ? 0 : Math.floor((now - captured) / 60_000);
    if (minutes >= thresholdMinutes) {
      overdue.push({ settlementId: s.id, day: s.day, portal: s.portal, orderNo: s.orderNo, amountFen: s.amountFen, at: storeIso(now), minutes });
    }
  });
  const known = await t.alerts.bulkGet(overdue.map((o) => o.settlementId));
  const newly = overdue.filter((_, i) => !known[i]);
  for (const alert of newly) {
    await audit.append({ type: 'alert.pending', portal: alert.portal, orderNo: alert.orderNo, detail: { settlementId: alert.settlementId, minutes: alert.minutes, thresholdMinutes } });
  }
  if (newly.length) await t.alerts.bulkPut(newly);
  return {
    thresholdMinutes,
    overdue: overdue.length,
    oldestMinutes: overdue.length ? Math.max(...overdue.map((o) => o.minutes)) : null,
    newly: newly.map(({ settlementId, portal, orderNo, amountFen, minutes }) => ({ settlementId, portal, orderNo, amountFen, minutes })),
  };
}

// ---------------------------------------------------------------------------------------------
// Message handlers (main.ts spreads these into its handlers once messages.ts spreads
// supervisorRequestSchemas into requestSchemas)

export interface SupervisorDeps {
  db: TenderBridgeDb;
  audit: AuditLog;
  settings: () => Promise<Settings>;
  now?: () => number;
  bridge?: BridgeListFactory;
  /** after every pending-alert check: badge colour and a notification for `newly` */
  onAlert?: (check: AlertCheck) => Promise<void> | void;
  /** supervisor PINs (default: the background's, policy + vault + storage.session) */
  pins?: SupervisorPins;
}

type SupervisorHandler<T extends SupervisorRequestType> = (request: SupervisorRequestOf<T>, sender: SenderInfo) => Promise<SupervisorResponseOf<T>>;
export type SupervisorHandlers = { [T in SupervisorRequestType]: SupervisorHandler<T> };

/** Only the extension's own pages (the log page) may ask for these writes. */
function fromExtensionPage(sender: SenderInfo): void {
  if (sender.kind !== 'extension') throw new Error('supervisor actions come from the extension’s own pages');
}

async function contextOf(deps: SupervisorDeps): Promise<SupervisorContext> {
  return { db: deps.db, audit: deps.audit, settings: await deps.settings(), now: (deps.now ?? Date.now)() };
}

/** The pending-alert check, then deps.onAlert: run it from an alarm every minute. */
export async function pendingAlertTick(deps: SupervisorDeps): Promise<AlertCheck> {
  const check = await checkPendingAlerts(await contextOf(deps));
  await deps.onAlert?.(check);
  return check;
}

/**
 * The supervisor signed in on the sending page (PIN entered there), or a refusal, audited. "by"
 * is that supervisor, never the page's free text.
 */
async function signedInSupervisor(deps: SupervisorDeps, sender: SenderInfo, action: string): Promise<string> {
  if (sender.kind !== 'extension') throw new Error('supervisor actions come from the extension’s own pages');
  return (deps.pins ?? backgroundPins(deps.audit)).require(pageKeyOf(sender), action);
}

export function supervisorHandlers(deps: SupervisorDeps): SupervisorHandlers {
  const context = (): Promise<SupervisorContext> => contextOf(deps);
  return {
    'exception.handle': async ({ type: _type, ...request }, sender) => {
      fromExtensionPage(sender);
      const by = await signedInSupervisor(deps, sender, 'exception.handle');
      return handleException(await context(), { ...request, by });
    },
    'exception.reopen': async ({ type: _type, ...request }, sender) => {
      fromExtensionPage(sender);
      const by = await signedInSupervisor(deps, sender, 'exception.reopen');
      return reopenException(await context(), { ...request, by });
    },
    'reconcile.fetchYingke': async (request, sender) => {
      fromExtensionPage(sender);
      return fetchYingkeDay({ ...(await context()), ...(deps.bridge ? { bridge: deps.bridge } : {}) }, request.day);
    },
    'vendor.import': async ({ type: _type, ...request }, sender) => {
      fromExtensionPage(sender);
      const by = await signedInSupervisor(deps, sender, 'vendor.import');
      return importVendorRows(await context(), { ...request, by });
    },
    'export.record': async ({ type: _type, ...request }, sender) => {
      fromExtensionPage(sender);
      return recordExport(await context(), request);
    },
    'retention.purge': async (request, sender) => {
      fromExtensionPage(sender);
      // looking is free; removing needs a supervisor
      const by = request.dryRun ? undefined : await signedInSupervisor(deps, sender, 'retention.purge');
      return purgeRetention(await context(), { dryRun: request.dryRun, ...(by ? { by } : {}) });
    },
    'alerts.check': async (_request, sender) => {
      fromExtensionPage(sender);
      return pendingAlertTick(deps);
    },
  };
}
