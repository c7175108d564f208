import type { Settlement, TenderBridgeDb, TenderRecord } from '@/shared/db';

/** Finished for good: the popup stops nagging, the badge and the pending alert stop counting. */
export const FINISHED_STATES: ReadonlySet<string> = new Set(['posted', 'manual']);

export interface Unposted {
  settlement: Settlement;
  tender: TenderRecord | undefined;
}

/**
 * Every successful settlement not yet finished in Yingke, whatever its age (oldest first): the
 * popup, the badge and the pending alert all read this, so nothing unposted drops out of view.
 * Reads keys only for the bulk of the history, then the rows of the few that are open.
 */
export async function unpostedSettlements(db: TenderBridgeDb): Promise<Unposted[]> {
  const [successIds, finishedIds] = await Promise.all([
    db.settlements.where('status').equals('success').primaryKeys(),
    db.tenders.where('state').anyOf([...FINISHED_STATES]).primaryKeys(),
  ]);
  const finished = new Set(finishedIds);
  const openIds = successIds.filter((id) => !finished.has(id));
  const [settlements, tenders] = await Promise.all([db.settlements.bulkGet(openIds), db.tenders.bulkGet(openIds)]);
  const open: Unposted[] = [];
  settlements.forEach((settlement, i) => {
    if (settlement) open.push({ settlement, tender: tenders[i] });
  });
  return open.sort((a, b) => (a.settlement.capturedAt < b.settlement.capturedAt ? -1 : a.settlement.capturedAt > b.settlement.capturedAt ? 1 : 0));
}
