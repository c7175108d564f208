import { z } from 'zod';
import type { TenderBridgeDb } from './db';

/**
 * Audit anchoring (bridge spec revision 2, audit heads): what this till sent away of its audit
 * chain, and the comparison of the local chain with those heads. A chain kept only on the PC it
 * protects can be rewritten there and re-hashed, or cut short; a head held elsewhere (the bridge,
 * an exported file, the supervisor's paper report) cannot. Pure reads: the background writes the
 * records (shared/background/anchor.ts), the log page shows them.
 */

export const ANCHOR_KV_KEY = 'auditAnchors';
/** bridge heads kept locally (the bridge holds them too); export heads are kept far longer: with no
 *  bridge they are the only heads, and bridge heads must not push them out */
const MAX_BRIDGE_RECORDS = 500;
const MAX_EXPORT_RECORDS = 3000;

export const AnchorWhereSchema = z.enum(['bridge', 'export']);
export type AnchorWhere = z.infer<typeof AnchorWhereSchema>;

const HashSchema = z.string().regex(/^[0-9a-f]{64}$/);

export const AnchorRecordSchema = z.object({
  seq: z.number().int().min(1),
  hash: HashSchema,
  /** the entry's own time */
  at: z.string(),
  /** when it was sent or exported */
  sentAt: z.string(),
  where: AnchorWhereSchema,
});
export type AnchorRecord = z.infer<typeof AnchorRecordSchema>;

export const AnchorStateSchema = z.object({
  records: z.array(AnchorRecordSchema).default([]),
  /** the last try to send a head to the bridge, whatever came of it */
  lastAttempt: z
    .object({ at: z.string(), seq: z.number().int(), outcome: z.enum(['created', 'same', 'conflict', 'retry', 'unauthorized']), message: z.string().max(300).optional() })
    .nullable()
    .default(null),
  /** seqs the bridge answered HEAD_CONFLICT for (flagged once each) */
  conflicts: z.array(z.number().int()).default([]),
});
export type AnchorState = z.infer<typeof AnchorStateSchema>;

const EMPTY_STATE: AnchorState = { records: [], lastAttempt: null, conflicts: [] };

export async function readAnchorState(db: TenderBridgeDb): Promise<AnchorState> {
  const row = await db.kv.get(ANCHOR_KV_KEY);
  if (typeof row?.value !== 'string') return { ...EMPTY_STATE };
  try {
    const parsed = AnchorStateSchema.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : { ...EMPTY_STATE };
  } catch {
    return { ...EMPTY_STATE };
  }
}

export async function writeAnchorState(db: TenderBridgeDb, state: AnchorState): Promise<void> {
  const records = [
    ...state.records.filter((r) => r.where === 'export').slice(-MAX_EXPORT_RECORDS),
    ...state.records.filter((r) => r.where === 'bridge').slice(-MAX_BRIDGE_RECORDS),
  ];
  await db.kv.put({ key: ANCHOR_KV_KEY, value: JSON.stringify({ ...state, records, conflicts: state.conflicts.slice(-50) }) });
}

/** The highest seq anchored at `where` (0 when none). */
export function lastAnchoredSeq(state: AnchorState, where: AnchorWhere): number {
  return state.records.reduce((max, r) => (r.where === where && r.seq > max ? r.seq : max), 0);
}

/** What the supervisor writes on the paper report: seq and the first 16 hex characters. */
export function shortHead(head: { seq: number; hash: string }): string {
  return `#${head.seq} ${head.hash.slice(0, 16)}`;
}

// ---------------------------------------------------------------------------------------------
// The comparison

export const HeadSourceSchema = z.enum(['bridge', 'export']);
export interface KnownHead {
  seq: number;
  hash: string;
  source: z.infer<typeof HeadSourceSchema>;
}

export const AnchorFindingSchema = z.discriminatedUnion('kind', [
  /** entries fromSeq..toSeq are gone and no purge explains it; newest: nothing after them is left */
  z.object({ kind: z.literal('deleted'), fromSeq: z.number().int(), toSeq: z.number().int(), newest: z.boolean(), headSeq: z.number().int(), source: HeadSourceSchema }),
  /** the head at headSeq was sent with another hash: some entry in fromSeq..headSeq was rewritten */
  z.object({ kind: z.literal('rewritten'), fromSeq: z.number().int(), headSeq: z.number().int(), source: HeadSourceSchema }),
  /** an export recorded the day's head (exports table, no seq): no entry of that day has that hash now */
  z.object({ kind: z.literal('exportDay'), day: z.string(), hash: z.string(), entriesLeft: z.number().int() }),
  /** entries up to throughSeq were removed by the retention purge recorded at purgeSeq */
  z.object({ kind: z.literal('purged'), throughSeq: z.number().int(), purgeSeq: z.number().int(), purgeAt: z.string(), by: z.string().nullable(), heads: z.number().int() }),
]);
export type AnchorFinding = z.infer<typeof AnchorFindingSchema>;

export interface AnchorComparison {
  /** heads compared (distinct seq + hash) */
  compared: number;
  matched: number;
  findings: AnchorFinding[];
}

export const isTampering = (f: AnchorFinding): boolean => f.kind !== 'purged';

interface PurgeMark {
  throughSeq: number;
  anchorHash: string | null;
  purgeSeq: number;
  at: string;
  by: string | null;
}

/**
 * Compares the local chain with heads held elsewhere. A head whose seq is missing locally means
 * deleted entries, unless a retention purge recorded in the chain removed that seq; a head whose
 * hash differs means rewritten entries — even when every later entry was re-hashed so the local
 * chain checks out.
 */
export async function compareWithHeads(db: TenderBridgeDb, heads: readonly KnownHead[]): Promise<AnchorComparison> {
  const distinct = new Map<string, KnownHead>();
  // the bridge's word first: it is the one the PC's files cannot change
  for (const head of [...heads].sort((a, b) => (a.source === b.source ? 0 : a.source === 'bridge' ? -1 : 1))) {
    const key = `${head.seq}:${head.hash}`;
    if (!distinct.has(key)) distinct.set(key, head);
  }
  const ordered = [...distinct.values()].sort((a, b) => a.seq - b.seq);
  const purges: PurgeMark[] = (await db.audit.where('type').equals('retention.purged').toArray())
    .filter((p) => typeof p.detail.throughSeq === 'number')
    .map((p) => ({
      throughSeq: p.detail.throughSeq as number,
      anchorHash: typeof p.detail.anchorHash === 'string' ? p.detail.anchorHash : null,
      purgeSeq: p.seq,
      at: p.at,
      by: typeof p.detail.by === 'string' ? p.detail.by : null,
    }))
    .sort((a, b) => a.throughSeq - b.throughSeq);
  const purgedThrough = purges.reduce((max, p) => Math.max(max, p.throughSeq), 0);

  const findings: AnchorFinding[] = [];
  const purgeFindings = new Map<number, Extract<AnchorFinding, { kind: 'purged' }>>();
  let matched = 0;
  let lastGoodSeq = purgedThrough;
  let inRewrite = false;
  for (const head of ordered) {
    const local = await db.audit.get(head.seq);
    if (!local) {
      const purge = purges.find((p) => p.throughSeq >= head.seq);
      // the head the purge stopped at must be the one the bridge holds; otherwise it was rewritten first
      if (purge && !(head.seq === purge.throughSeq && purge.anchorHash !== null && purge.anchorHash !== head.hash)) {
        const known = purgeFindings.get(purge.purgeSeq);
        if (known) known.heads += 1;
        else purgeFindings.set(purge.purgeSeq, { kind: 'purged', throughSeq: purge.throughSeq, purgeSeq: purge.purgeSeq, purgeAt: purge.at, by: purge.by, heads: 1 });
        continue;
      }
      if (purge) {
        findings.push({ kind: 'rewritten', fromSeq: 1, headSeq: head.seq, source: head.source });
        continue;
      }
      const [before, after] = await Promise.all([db.audit.where('seq').below(head.seq).last(), db.audit.where('seq').above(head.seq).first()]);
      const fromSeq = Math.max(before ? before.seq + 1 : 1, purgedThrough + 1);
      const toSeq = after ? after.seq - 1 : head.seq;
      const same = findings.find((f): f is Extract<AnchorFinding, { kind: 'deleted' }> => f.kind === 'deleted' && f.fromSeq === fromSeq);
      if (same) {
        same.toSeq = Math.max(same.toSeq, toSeq);
        same.headSeq = Math.max(same.headSeq, head.seq);
      } else {
        findings.push({ kind: 'deleted', fromSeq, toSeq, newest: !after, headSeq: head.seq, source: head.source });
      }
      continue;
    }
    if (local.hash !== head.hash) {
      // after one rewritten entry every later head differs too (the chain carries it): one finding
      if (!inRewrite) findings.push({ kind: 'rewritten', fromSeq: lastGoodSeq + 1, headSeq: head.seq, source: head.source });
      inRewrite = true;
      continue;
    }
    matched += 1;
    lastGoodSeq = head.seq;
    inRewrite = false;
  }
  return { compared: ordered.length, matched, findings: [...findings, ...purgeFindings.values()] };
}

/**
 * The day heads each export recorded (supervisors' exports table: a hash, no seq): the entry must
 * still be among that day's entries. A day whose entries are all gone is explained by a retention
 * purge that covered it; otherwise it is a deletion like any other.
 */
export async function compareExportDays(db: TenderBridgeDb): Promise<AnchorFinding[]> {
  let exported;
  try {
    exported = await db.exports.toArray();
  } catch {
    return []; // no supervisor tables yet: nothing was ever exported
  }
  const purgedTo = (await db.audit.where('type').equals('retention.purged').toArray())
    .map((p) => (typeof p.detail.to === 'string' && typeof p.detail.throughSeq === 'number' ? p.detail.to : ''))
    .reduce((max, d) => (d > max ? d : max), '');
  const findings: AnchorFinding[] = [];
  for (const record of exported) {
    if (!record.auditHeadHash) continue;
    const entries = await db.audit.where('day').equals(record.day).toArray();
    if (entries.some((e) => e.hash === record.auditHeadHash)) continue;
    if (entries.length === 0 && record.day <= purgedTo) continue;
    findings.push({ kind: 'exportDay', day: record.day, hash: record.auditHeadHash, entriesLeft: entries.length });
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// The log page's message (log → background): the bridge's heads are fetched with the secret,
// which only the background holds.

const HeadSchema = z.object({ seq: z.number().int(), hash: z.string(), at: z.string() });

export const AnchorCheckAnswerSchema = z.object({
  bridge: z.enum(['checked', 'none', 'failed']),
  bridgeMessage: z.string().max(300).optional(),
  bridgeHeads: z.number().int(),
  exportHeads: z.number().int(),
  compared: z.number().int(),
  matched: z.number().int(),
  findings: z.array(AnchorFindingSchema),
  newest: HeadSchema.nullable(),
  lastAnchored: AnchorRecordSchema.nullable(),
});
export type AnchorCheckAnswer = z.infer<typeof AnchorCheckAnswerSchema>;

export const anchorRequestSchemas = {
  /** 「核对全部审计记录」: the local chain against the bridge's audit heads and the export heads */
  'audit.anchorCheck': {
    request: z.object({ type: z.literal('audit.anchorCheck') }),
    response: AnchorCheckAnswerSchema,
  },
} as const;
