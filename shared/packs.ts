import type { z } from 'zod';
import { PORTAL_IDS, type PortalId } from '@/providers/registry';
import type { PortalDefinition } from '@/providers/types';
import { PortalDefinitionSchema } from '@/providers/definition-schema';
import { PACK_LIMITS, PortalPackSchema, type PackPatch, type PortalPack } from '@/providers/pack-schema';
import type { Step } from './engine/flow';
import { walkSteps } from './engine/walk-steps';
import { saleFlows, shapeTarget } from './engine/sale-shape';

/**
 * Portal packs (providers/pack-schema.ts) turned into the definition a portal page runs:
 * parsing and safety checks at load time, the merge over the built-in provider, and which pack
 * wins per portal (policy over settings, then the highest version).
 *
 * Safety holds whatever a pack says. At load time a pack is refused when it would fill a field
 * described as a password or a cash amount, or click a button described as paying; at run time
 * the engine (shared/engine/flow.ts) still refuses any password field and every word in the
 * definition's `forbidden` lists — and a pack's definition always carries the built-in's words
 * plus BASE_FORBIDDEN, whatever the pack wrote there.
 */

/** Never filled / never clicked by any pack-defined flow, on every portal. */
export const BASE_FORBIDDEN = {
  fill: ['密码', '支付密码', '口令', '现金', '付现'],
  click: ['确认支付', '确定支付', '确认结账', '结账', '支付', '付款', '确认付款'],
} as const;

/** Words that describe a field no pack may fill (also in ASCII: names, ids, CSS). */
const FILL_REFUSED = [...BASE_FORBIDDEN.fill, 'password', 'passwd', 'pwd', 'cash'];
/** Words that describe a button no pack may click. */
const CLICK_REFUSED: readonly string[] = BASE_FORBIDDEN.click;

/** walkSteps lives in engine/walk-steps.ts (no zod there, the content script uses it); kept importable from here. */
export { walkSteps };

export type PackSource = 'policy' | 'settings';

export type PackProblemCode =
  /** not JSON at all */
  | 'NOT_JSON'
  /** JSON, but not a pack (the zod issues are in `detail`) */
  | 'INVALID'
  /** a fill step's field is described as a password */
  | 'FILLS_PASSWORD'
  /** a fill step's field is described as cash */
  | 'FILLS_CASH'
  /** a click step's button is described as paying */
  | 'CLICKS_PAY'
  /** a flow step names a target the definition does not have */
  | 'UNKNOWN_TARGET'
  | 'TOO_LARGE';

export interface PackProblem {
  code: PackProblemCode;
  /** the step path ("3", "2.1.4") or the key that is wrong */
  where: string;
  /** the target / column / button concerned */
  subject: string;
  /** the word that made it refused, or zod's message */
  detail: string;
}

export type PackCheck = { ok: true; pack: PortalPack; definition: PortalDefinition } | { ok: false; problems: PackProblem[]; portal?: PortalId; version?: string };

/** Lower-cased, spaces and common decorations removed: how a word is looked for in a description. */
function squash(text: string): string {
  return text.toLowerCase().replace(/[\s\u3000*＊:：()（）「」"'`[\]]/g, '');
}

function containsAny(description: string, words: readonly string[]): string | undefined {
  const text = squash(description);
  return words.find((word) => text.includes(squash(word)));
}

/**
 * All the words a target is known by: its locators' values and what the cashier calls it (not
 * its name in the data: guohui's 「去收款」 is called payButton and only opens the member check).
 */
function targetWords(definition: PortalDefinition, target: string): string {
  const locators = definition.targets[target] ?? [];
  return [definition.describe[target] ?? '', ...locators.map((l) => `${l.value} ${l.role ?? ''}`)].join(' | ');
}

/**
 * The load-time safety rules: what a definition's flow would fill or click, checked against the
 * words that describe a password, a cash amount or a pay button.
 */
export function safetyProblems(definition: PortalDefinition): PackProblem[] {
  const problems: PackProblem[] = [];
  const fillCheck = (where: string, subject: string, words: string) => {
    const password = containsAny(words, ['密码', '支付密码', '口令', 'password', 'passwd', 'pwd']);
    if (password) return problems.push({ code: 'FILLS_PASSWORD', where, subject, detail: password });
    const cash = containsAny(words, FILL_REFUSED);
    if (cash) problems.push({ code: 'FILLS_CASH', where, subject, detail: cash });
  };
  const clickCheck = (where: string, subject: string, words: string) => {
    const pay = containsAny(words, CLICK_REFUSED);
    if (pay) problems.push({ code: 'CLICKS_PAY', where, subject, detail: pay });
  };
  const known = (where: string, target: string) => {
    if (!definition.targets[target]?.length) problems.push({ code: 'UNKNOWN_TARGET', where, subject: target, detail: '' });
  };
  // every shape of the sale, alternatives included: a pack cannot hide a pay click in one
  const flows = saleFlows(definition.sale);
  for (const flow of flows) {
    const shaped = shapeTarget(flow.when);
    if (shaped) known(flow.where ? `${flow.where}.when` : 'when', shaped);
  }
  const allSteps = flows.flatMap((flow) => walkSteps(flow.steps, flow.where ? `${flow.where}.` : ''));
  for (const { path, step } of allSteps) {
    switch (step.do) {
      case 'fill':
        known(path, step.target);
        fillCheck(path, step.target, targetWords(definition, step.target));
        break;
      // Enter in a field submits it: the same rules as typing into it
      case 'press':
        known(path, step.target);
        fillCheck(path, step.target, targetWords(definition, step.target));
        break;
      case 'fillCell':
        fillCheck(path, step.column, step.column);
        break;
      case 'click':
        known(path, step.target);
        clickCheck(path, step.target, targetWords(definition, step.target));
        break;
      case 'clickInRow':
        clickCheck(path, step.button, step.button);
        break;
      // a hit row's own button, or the page's button clicked after ticking the row
      case 'pickRow':
        if (step.rowButton) clickCheck(path, step.rowButton, step.rowButton);
        if (step.thenClick) {
          known(path, step.thenClick);
          clickCheck(path, step.thenClick, targetWords(definition, step.thenClick));
        }
        break;
      case 'pickOption':
        clickCheck(path, step.contains, step.contains);
        break;
      case 'waitFor':
        known(path, step.target);
        break;
      // the search box whose own 查询 button is pressed (checked against pay words when pressed)
      case 'addGoods':
        if (step.submit) known(path, step.submit);
        break;
      default:
        break;
    }
  }
  // one problem per thing refused (a target clicked twice is one refusal)
  return problems.filter((p, i) => problems.findIndex((q) => q.code === p.code && q.subject === p.subject) === i);
}

/** Built-in forbidden words, the pack's own, and the base list: a pack can add words, never drop one. */
function saferForbidden(builtIn: PortalDefinition | undefined, own: { fill: string[]; click: string[] }): PortalDefinition['forbidden'] {
  const merge = (...lists: ReadonlyArray<readonly string[]>) => [...new Set(lists.flat())];
  return {
    fill: merge(builtIn?.forbidden.fill ?? [], own.fill, BASE_FORBIDDEN.fill),
    click: merge(builtIn?.forbidden.click ?? [], own.click, BASE_FORBIDDEN.click),
  };
}

function mergeWords(base: Readonly<Record<string, string[]>>, added: Readonly<Record<string, string[]>>): Record<string, string[]> {
  const out: Record<string, string[]> = { ...base };
  for (const [concept, words] of Object.entries(added)) out[concept] = [...new Set([...(base[concept] ?? []), ...words])];
  return out;
}

function mergeById<T extends { id: string }>(base: readonly T[], changes: readonly T[], remove: readonly string[] = []): T[] {
  const out = base.filter((item) => !remove.includes(item.id)).map((item) => changes.find((c) => c.id === item.id) ?? item);
  for (const change of changes) if (!out.some((item) => item.id === change.id)) out.push(change);
  return out;
}

/** A 'patch' pack's definition over the built-in one. */
export function applyPatch(builtIn: PortalDefinition, patch: PackPatch): PortalDefinition {
  const merged = {
    ...builtIn,
    name: patch.name ?? builtIn.name,
    targets: { ...builtIn.targets, ...patch.targets },
    defaults: { ...builtIn.defaults, ...patch.defaults },
    describe: { ...builtIn.describe, ...patch.describe },
    // words are only ever added to a concept: a pack teaches new words, it cannot unlearn the built-in ones
    lexicon: mergeWords(builtIn.lexicon, patch.lexicon ?? {}),
    startPage: patch.startPage ?? builtIn.startPage,
    sale: {
      lines: patch.sale?.lines ?? builtIn.sale.lines,
      steps: patch.sale?.steps ?? builtIn.sale.steps,
      name: patch.sale?.name ?? builtIn.sale.name,
      when: patch.sale?.when ?? builtIn.sale.when,
      alternatives: patch.sale?.alternatives ?? builtIn.sale.alternatives,
    },
    capture: mergeById(builtIn.capture, patch.capture ?? [], patch.removeCapture),
    guards: mergeById(builtIn.guards, patch.guards ?? []),
    stepTimeoutMs: patch.stepTimeoutMs ?? builtIn.stepTimeoutMs,
    forbidden: builtIn.forbidden,
  };
  return PortalDefinitionSchema.parse(merged);
}

/** The definition a pack makes, with the forbidden words made safe. */
export function packDefinition(pack: PortalPack, builtIn: PortalDefinition | undefined): PortalDefinition {
  if (pack.mode === 'replace') {
    return { ...pack.definition, id: pack.portal, forbidden: saferForbidden(builtIn, pack.definition.forbidden) };
  }
  if (!builtIn) throw new Error(`no built-in definition for ${pack.portal} to patch`);
  const merged = applyPatch(builtIn, pack.definition);
  return { ...merged, forbidden: saferForbidden(builtIn, pack.definition.forbidden ?? { fill: [], click: [] }) };
}

function zodProblems(error: z.ZodError): PackProblem[] {
  return error.issues.slice(0, 20).map((issue) => ({ code: 'INVALID' as const, where: issue.path.join('.'), subject: '', detail: issue.message }));
}

/** Parses and checks one pack (text as pasted or delivered, or an already parsed object). */
export function checkPack(input: unknown, builtIns: Partial<Record<PortalId, PortalDefinition>>): PackCheck {
  let raw: unknown = input;
  if (typeof input === 'string') {
    if (input.length > PACK_LIMITS.maxTextLength) return { ok: false, problems: [{ code: 'TOO_LARGE', where: '', subject: '', detail: String(input.length) }] };
    try {
      raw = JSON.parse(input);
    } catch (error) {
      return { ok: false, problems: [{ code: 'NOT_JSON', where: '', subject: '', detail: error instanceof Error ? error.message : String(error) }] };
    }
  }
  const header = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const portal = PORTAL_IDS.find((id) => id === header.portal);
  const version = typeof header.version === 'string' ? header.version : undefined;
  const parsed = PortalPackSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, problems: zodProblems(parsed.error), portal, version };
  const pack = parsed.data;
  if (pack.mode === 'replace' && pack.definition.id !== pack.portal) {
    return { ok: false, problems: [{ code: 'INVALID', where: 'definition.id', subject: pack.definition.id, detail: pack.portal }], portal, version };
  }
  let definition: PortalDefinition;
  try {
    definition = packDefinition(pack, builtIns[pack.portal]);
  } catch (error) {
    const problems = error instanceof Error && 'issues' in error ? zodProblems(error as z.ZodError) : [{ code: 'INVALID' as const, where: '', subject: '', detail: String(error) }];
    return { ok: false, problems, portal, version };
  }
  const problems = safetyProblems(definition);
  if (problems.length) return { ok: false, problems, portal, version };
  return { ok: true, pack, definition };
}

/** "2026.12.10" > "2026.12.9"; digits compare as numbers, the rest as text. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.split(/[._-]/);
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    if (x === y) continue;
    if (/^\d+$/.test(x) && /^\d+$/.test(y)) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return 0;
}

export interface LoadedPack {
  source: PackSource;
  /** position in its list (for the options page) */
  index: number;
  check: PackCheck;
}

export interface ActivePack {
  portal: PortalId;
  source: PackSource;
  version: string;
  mode: PortalPack['mode'];
  definition: PortalDefinition;
}

export interface PackResolution {
  /** per portal: the pack in force (none = the built-in provider) */
  active: Partial<Record<PortalId, ActivePack>>;
  /** every pack seen, valid or refused, for the options page */
  loaded: LoadedPack[];
}

/**
 * Which pack is in force per portal. Policy packs win over settings packs for the portal they
 * name (IT's word beats a till's); among one source's packs the highest version wins. A refused
 * pack never wins: the next valid one does, or the built-in provider.
 */
export function resolvePacks(
  lists: { policy: readonly unknown[]; settings: readonly unknown[] },
  builtIns: Partial<Record<PortalId, PortalDefinition>>,
): PackResolution {
  const loaded: LoadedPack[] = [];
  for (const source of ['policy', 'settings'] as const) {
    lists[source].slice(0, PACK_LIMITS.maxPacks).forEach((input, index) => loaded.push({ source, index, check: checkPack(input, builtIns) }));
  }
  const active: Partial<Record<PortalId, ActivePack>> = {};
  for (const portal of PORTAL_IDS) {
    for (const source of ['policy', 'settings'] as const) {
      const candidates = loaded.flatMap((l) => (l.source === source && l.check.ok && l.check.pack.portal === portal ? [l.check] : []));
      const best = candidates.sort((a, b) => compareVersions(b.pack.version, a.pack.version))[0];
      if (!best) continue;
      active[portal] = { portal, source, version: best.pack.version, mode: best.pack.mode, definition: best.definition };
      break;
    }
  }
  return { active, loaded };
}
