import type { Condition, StepShape } from './flow-schema';
import { CONTROL_SELECTOR, isVisible, normalizeText, searchableDocuments, topDialog, visibleText } from './dom';
import { resolveLocators, scoreOf, searchRoots, type Locator } from './locate';
import { asTextControl, click, fillValue, isDisabled, isPasswordField, pressEnter } from './act';
import { findRow, findTable, someRowMayShow, type TableSpec } from './table';
import type { LexiconAdditions } from './lexicon';
import { currentWizardStep, loginRequired, rowActionButton, seenOnPage, type WizardStep } from './structure';
import { waitFor, WaitTimeoutError } from './wait';
import { forbiddenClickWord } from './forbidden';
import { hitOutcome, notFoundShown, searchSubmitter, type HitOutcome, type HitSpec } from './hits';

/**
 * A portal's flow is data: a list of steps over named targets (ranked locators). This file
 * interprets it. Steps never sleep; each waits explicitly, with a time-out, for what it needs.
 * Safety rules hold whatever the data says: no password field is ever filled, no field or
 * button the provider marks as the cashier's or the customer's is ever touched.
 */

export type { Condition };
export type Step = StepShape;

export interface FlowTargets {
  [name: string]: Locator[];
}

/** Why a flow stopped: everything the overlay needs to tell the cashier exactly what is wrong. */
export class FlowStop extends Error {
  constructor(
    readonly code: string,
    readonly subject: string,
    readonly stepIndex: string,
    /** what the page showed instead, and where the page was: for the cashier's message */
    readonly detail: StopDetail = {},
  ) {
    super(`${code}: ${subject}`);
  }
}

export interface StopDetail {
  seen?: string[];
  seenKind?: 'input' | 'button' | 'column';
  /** the portal's own wizard step when it shows one */
  wizard?: WizardStep | null;
  /** where sales start on this portal, for a stop at the very first step */
  startPage?: string;
}

export interface FlowEvent {
  kind: 'step' | 'fallback' | 'mark';
  path: string;
  step: Step['do'];
  target?: string;
  /** the locator that matched, when it was not the first choice */
  via?: Locator;
  label?: string;
}

export interface FlowContext {
  doc: Document;
  targets: FlowTargets;
  /** template variables: ticket.*, settings.* */
  vars: Record<string, string>;
  lines: Array<Record<string, string>>;
  /** labels/texts the extension must never fill or click (cash amounts, final pay buttons) */
  forbidden: { fill: string[]; click: string[] };
  signal: AbortSignal;
  defaultTimeoutMs: number;
  onEvent?: (event: FlowEvent) => void;
  /**
   * Before a top-level step that may load a new page (navigates: true), the index to resume at
   * on that page is handed here and must be stored durably before the step acts.
   */
  onCheckpoint?: (resumeAt: number) => Promise<void>;
  /** the provider's own extra words per concept */
  lexicon?: LexiconAdditions;
  /** where sales start on this portal (「交易申请」): named when the scan came on another page */
  startPage?: string;
}

/** Per run: has the flow changed anything on the page yet? (a first-step miss = wrong page) */
const acted = new WeakMap<FlowContext, boolean>();
/** Per run resumed after a page load: the path of the first step on the new page. */
const firstOnNewPage = new WeakMap<FlowContext, string>();
/** Per run: the target the step just before found, and how (see `carriedOver`). */
const lastFound = new WeakMap<FlowContext, Found>();

interface Found {
  target: string;
  element: Element;
  via: Locator;
  rank: number;
  score: number;
}

export function expand(template: string, vars: Record<string, string>): string {
  return template.replace(/\{([a-zA-Z0-9_.]+)\}/g, (_, name: string) => {
    const value = vars[name];
    if (value === undefined) throw new FlowStop('TEMPLATE', name, '');
    return value;
  });
}

/** Runs the flow from `startAt` (a top-level index: where a full page load left it). */
export async function runFlow(steps: readonly Step[], context: FlowContext, startAt = 0): Promise<void> {
  acted.set(context, startAt > 0);
  if (startAt > 0) firstOnNewPage.set(context, String(startAt + 1));
  if (loginRequired(context.doc, searchableDocuments(context.doc))) throw new FlowStop('LOGIN_REQUIRED', '', String(startAt + 1));
  if (startAt === 0 && context.startPage && onOrderList(context.doc)) throw new FlowStop('NOT_SALE_PAGE', context.startPage, '1');
  try {
    await runTopSteps(steps, context, startAt);
  } catch (error) {
    throw truthful(error, context);
  }
}

/**
 * A stop says what really happened: a page that turned into a login form is a session that
 * ended, not a missing field; "network" only when the browser is offline.
 */
function truthful(error: unknown, context: FlowContext): unknown {
  if (!(error instanceof FlowStop) || ['NAVIGATED', 'ABORTED', 'FORBIDDEN', 'GOODS_NOT_FOUND', 'SAME_GOODS_TWO_PRICES'].includes(error.code)) return error;
  if (loginRequired(context.doc, searchableDocuments(context.doc))) return new FlowStop('LOGIN_REQUIRED', '', error.stepIndex);
  const view = context.doc.defaultView;
  if (view && view.navigator.onLine === false) return new FlowStop('NETWORK', '', error.stepIndex);
  return error;
}

/** The active menu item or tab names an order list (交易查询 / 订单查询): sales do not start here. */
function onOrderList(doc: Document): boolean {
  const active = searchableDocuments(doc).flatMap((d) =>
    Array.from(d.querySelectorAll('.el-menu-item.is-active, .ant-menu-item-selected, .layui-this, [aria-current=page], .el-tabs__item.is-active, .nav .active, .menu .active')),
  );
  return active.filter(isVisible).some((el) => /交易查询|订单查询|订单列表|退货查询/.test(visibleText(el)) && visibleText(el).length <= 12);
}

async function runTopSteps(steps: readonly Step[], context: FlowContext, startAt: number): Promise<void> {
  for (let index = startAt; index < steps.length; index += 1) {
    const step = steps[index];
    if (!step) break;
    if (context.signal.aborted) throw new FlowStop('ABORTED', '', String(index + 1));
    const navigates = 'navigates' in step && step.navigates === true;
    if (navigates) await context.onCheckpoint?.(index + 1);
    await runStep(step, context, context.vars, String(index + 1));
    // This page is going away: the next page's content script goes on from the checkpoint.
    if (navigates && (await pageLeaves(context.doc, NAVIGATION_START_MS))) throw new FlowStop('NAVIGATED', '', String(index + 1));
  }
}

/** A form post or link starts its navigation within this time of the click, or not at all. */
const NAVIGATION_START_MS = 3_000;

/** Resolves true if the page starts unloading within `timeoutMs`, false otherwise. */
function pageLeaves(doc: Document, timeoutMs: number): Promise<boolean> {
  const view = doc.defaultView ?? window;
  return new Promise((resolve) => {
    const leaving = (): void => done(true);
    const timer = view.setTimeout(() => done(false), timeoutMs);
    view.addEventListener('beforeunload', leaving);
    view.addEventListener('pagehide', leaving);
    function done(left: boolean): void {
      view.clearTimeout(timer);
      view.removeEventListener('beforeunload', leaving);
      view.removeEventListener('pagehide', leaving);
      resolve(left);
    }
  });
}

async function runSteps(steps: readonly Step[], ctx: FlowContext, vars: Record<string, string>, prefix: string): Promise<void> {
  for (const [index, step] of steps.entries()) {
    if (ctx.signal.aborted) throw new FlowStop('ABORTED', '', prefix);
    const path = `${prefix}${index + 1}`;
    await runStep(step, ctx, vars, path);
  }
}

async function runStep(step: Step, ctx: FlowContext, vars: Record<string, string>, path: string): Promise<void> {
  const timeoutMs = ('timeoutMs' in step && step.timeoutMs) || ctx.defaultTimeoutMs;
  const emit = (event: Omit<FlowEvent, 'path' | 'step'>): void => ctx.onEvent?.({ path, step: step.do, ...event });
  // what the step just before found is offered to this step only (a mark or the start of the
  // lines acts on nothing and waits on nothing: it passes it on)
  const previous = lastFound.get(ctx);
  if (step.do !== 'mark' && step.do !== 'eachLine') lastFound.delete(ctx);
  const locate = (target: string, require: { enabled?: boolean } = {}): Promise<Element> => locateTarget(ctx, target, path, timeoutMs, emit, require, previous);
  switch (step.do) {
    case 'mark':
      emit({ kind: 'mark', label: step.label });
      return;
    case 'fail':
      throw new FlowStop(step.code, step.subject ? expand(step.subject, vars) : '', path);
    case 'eachLine':
      for (const [index, line] of ctx.lines.entries()) {
        const lineVars = { ...vars, ...Object.fromEntries(Object.entries(line).map(([k, v]) => [`line.${k}`, v])), 'line.index': String(index + 1) };
        await runSteps(step.steps, ctx, lineVars, `${path}.${index + 1}.`);
      }
      return;
    case 'waitFor':
      await locate(step.target);
      emit({ kind: 'step', target: step.target });
      return;
    case 'click': {
      const element = await locate(step.target, { enabled: true });
      assertAllowed(ctx, element, 'click', step.target, path);
      acted.set(ctx, true);
      click(element);
      emit({ kind: 'step', target: step.target });
      return;
    }
    case 'press': {
      const element = await locate(step.target);
      acted.set(ctx, true);
      // Enter submits a search form the way a browser does, never through a pay button
      pressEnter(element, (button) => !forbiddenClickWord([visibleText(button), button.getAttribute('value')], ctx.forbidden.click));
      emit({ kind: 'step', target: step.target });
      return;
    }
    case 'fill': {
      // looked for once, when the step comes: a page without it is not waited on
      if (step.optional && absentNow(ctx, step.target)) {
        emit({ kind: 'step', target: step.target, label: 'absent' });
        return;
      }
      const element = await locate(step.target, { enabled: true });
      assertAllowed(ctx, element, 'fill', step.target, path);
      acted.set(ctx, true);
      const result = await fillValue(element, expand(step.value, vars), { keepFocus: step.keepFocus });
      if (!result.ok) throw new FlowStop(result.reason === 'rejected' ? 'FILL_REJECTED' : 'NOT_EDITABLE', step.target, path);
      emit({ kind: 'step', target: step.target });
      return;
    }
    case 'pickRow': {
      const wanted = expand(step.equals, vars);
      const row = await waitFor(ctx.doc, () => rowIn(ctx, step.table, step.column, wanted), {
        timeoutMs,
        signal: ctx.signal,
        what: `row ${step.column}=${wanted}`,
      }).catch(rethrowAs('ROW_MISSING', wanted, path, () => seenColumns(ctx)));
      if (row === 'ambiguous') throw new FlowStop('ROW_AMBIGUOUS', wanted, path);
      acted.set(ctx, true);
      // a pick list whose rows carry their own 「添加商品」/「选择」: that button, not a page-level one
      const own = step.rowButton ? rowButtonIn(ctx, row, step.rowButton) : null;
      if (own) {
        assertAllowed(ctx, own, 'click', step.rowButton ?? '', path);
        click(own);
        emit({ kind: 'step', label: `${wanted}:${step.rowButton}` });
        return;
      }
      const picker = row.querySelector('input[type=checkbox], input[type=radio], .el-checkbox, .el-radio, .ant-checkbox, .ant-radio, [role=checkbox], [role=radio]') ?? row;
      click(picker);
      emit({ kind: 'step', label: wanted });
      if (step.thenClick) {
        const then = await locate(step.thenClick, { enabled: true });
        assertAllowed(ctx, then, 'click', step.thenClick, path);
        click(then);
        emit({ kind: 'step', target: step.thenClick });
      }
      return;
    }
    case 'fillCell': {
      const rowKey = expand(step.rowEquals, vars);
      const value = expand(step.value, vars);
      const control = await waitFor(
        ctx.doc,
        () => {
          const found = cellControl(ctx, step.table, step.rowColumn, rowKey, step.column);
          return found === null ? null : found;
        },
        { timeoutMs, signal: ctx.signal, what: `cell ${step.column} of ${rowKey}` },
      ).catch(rethrowAs('CELL_MISSING', `${rowKey} ${step.column}`, path, () => seenColumns(ctx)));
      if (control === 'ambiguous') throw new FlowStop('ROW_AMBIGUOUS', rowKey, path);
      assertAllowed(ctx, control, 'fill', step.column, path);
      acted.set(ctx, true);
      const result = await fillValue(control, value);
      if (!result.ok) throw new FlowStop('FILL_REJECTED', `${rowKey} ${step.column}`, path);
      emit({ kind: 'step', label: `${rowKey}:${step.column}` });
      return;
    }
    case 'clickInRow': {
      const rowKey = expand(step.rowEquals, vars);
      const button = await waitFor(
        ctx.doc,
        () => {
          const row = rowIn(ctx, step.table, step.rowColumn, rowKey);
          if (row === null || row === 'ambiguous') return row;
          return rowButtonIn(ctx, row, step.button) ?? (step.orKeyCell ? keyCellLink(ctx, step.table, row, step.rowColumn) : null);
        },
        { timeoutMs, signal: ctx.signal, what: `${step.button} in row ${rowKey}` },
      ).catch(rethrowAs('ROW_MISSING', rowKey, path, () => seenColumns(ctx)));
      if (button === 'ambiguous') throw new FlowStop('ROW_AMBIGUOUS', rowKey, path);
      assertAllowed(ctx, button, 'click', step.button, path);
      acted.set(ctx, true);
      click(button);
      emit({ kind: 'step', label: `${rowKey}:${step.button}` });
      return;
    }
    case 'pickOption': {
      // suggestion lists live in poppers appended to <body>: search the whole page
      const wanted = expand(step.contains, vars);
      const option = await waitFor(
        ctx.doc,
        () => {
          const options = visibleOptions(ctx.doc, wanted);
          return options.length === 1 ? options[0] : options.length > 1 ? 'ambiguous' : null;
        },
        { timeoutMs, signal: ctx.signal, what: `option ${wanted}` },
      ).catch(rethrowAs('OPTION_MISSING', wanted, path));
      if (option === 'ambiguous' || !option) throw new FlowStop('OPTION_AMBIGUOUS', wanted, path);
      click(option);
      emit({ kind: 'step', label: wanted });
      return;
    }
    case 'addGoods': {
      const spec: HitSpec = {
        code: step.code ? expand(step.code, vars) : undefined,
        name: step.name ? expand(step.name, vars) : undefined,
        cart: step.cart,
        cartColumn: step.cartColumn,
        notFound: step.notFound,
        lexicon: ctx.lexicon,
      };
      await addGoods(ctx, spec, { navigates: step.navigates === true, submit: step.submit }, timeoutMs, path, emit, locate);
      return;
    }
    case 'branch': {
      const chosen = await waitFor(
        ctx.doc,
        () => step.cases.find((c) => conditionHolds(ctx, c.when, vars)),
        { timeoutMs, signal: ctx.signal, what: 'one of the expected outcomes' },
      ).catch(
        // cases that are all "this target shows" (the credential step, or the button that opens it): name the first
        step.cases.every((c) => 'visible' in c.when)
          ? rethrowAs('MISSING', (step.cases[0]?.when as { visible: string }).visible, path, () => ({ seen: seenOnPage(searchRoots(ctx.doc), 'input'), seenKind: 'input', wizard: currentWizardStep(ctx.doc) }))
          : rethrowAs('NO_OUTCOME', outcomeSubject(step, vars), path),
      );
      emit({ kind: 'step', label: `case ${step.cases.indexOf(chosen) + 1}` });
      await runSteps(chosen.steps, ctx, vars, `${path}.`);
      return;
    }
  }
}

/** The target is not on the page at all (found twice is not absent: the step then stops on it). */
function absentNow(ctx: FlowContext, target: string): boolean {
  const found = resolveLocators(ctx.doc, ctx.targets[target] ?? [], { lexicon: ctx.lexicon });
  return !found.ok && found.reason === 'missing';
}

/** Acts on what the page offers for one goods line until it is in the order (a few rounds: an option may open a pick list). */
async function addGoods(
  ctx: FlowContext,
  spec: HitSpec,
  options: { navigates: boolean; submit?: string },
  timeoutMs: number,
  path: string,
  emit: (event: Omit<FlowEvent, 'path' | 'step'>) => void,
  locate: (target: string) => Promise<Element>,
): Promise<void> {
  const { navigates } = options;
  const subject = spec.code ?? spec.name ?? '';
  const pressed = new Set<Element>();
  // the search was just sent: a "nothing found" already showing is the previous search's
  // (unless the search loaded this very page)
  const stale = new Set(firstOnNewPage.get(ctx) === path ? [] : notFoundShown(ctx.doc, spec));
  if (options.submit) {
    const box = await locate(options.submit);
    // a search-as-you-type box has no such button: its list shows by itself
    const button = searchSubmitter(box, ctx.lexicon);
    if (button) {
      assertAllowed(ctx, button, 'click', options.submit, path);
      acted.set(ctx, true);
      click(button);
    }
  }
  for (let round = 0; round < 3; round += 1) {
    const outcome = await waitFor<HitOutcome>(
      ctx.doc,
      () => {
        const now = hitOutcome(ctx.doc, spec, stale);
        // the button just pressed, still on screen while the page works: not a new outcome
        return now && 'element' in now && pressed.has(now.element) ? null : now;
      },
      { timeoutMs, signal: ctx.signal, what: `goods ${subject}` },
    ).catch(rethrowAs('NO_OUTCOME', subject, path, () => seenColumns(ctx)));
    switch (outcome.kind) {
      case 'inCart':
        emit({ kind: 'step', label: subject });
        return;
      case 'notFound':
        throw new FlowStop('GOODS_NOT_FOUND', subject, path);
      case 'ambiguous':
        throw new FlowStop('ROW_AMBIGUOUS', subject, path);
      case 'option':
      case 'hit':
        assertAllowed(ctx, outcome.element, 'click', subject, path);
        acted.set(ctx, true);
        pressed.add(outcome.element);
        click(outcome.element);
        emit({ kind: 'step', label: `${subject}:${outcome.kind === 'hit' ? outcome.via : 'option'}` });
        // a full page load follows: the next page goes on (runTopSteps), and shows the cart
        if (navigates) return;
    }
  }
  throw new FlowStop('NO_OUTCOME', subject, path, seenColumns(ctx));
}

function rethrowAs(code: string, subject: string, path: string, seen?: () => StopDetail) {
  return (error: unknown): never => {
    if (error instanceof FlowStop) throw error;
    if (error instanceof WaitTimeoutError) throw new FlowStop(code, subject, path, seen?.() ?? {});
    throw error;
  };
}

/** What a branch waited for, in words: the goods it expected to see in the order. */
function outcomeSubject(step: Extract<Step, { do: 'branch' }>, vars: Record<string, string>): string {
  for (const c of step.cases) {
    if ('row' in c.when) {
      try {
        return expand(c.when.row.equals, vars);
      } catch {
        return '';
      }
    }
  }
  return '';
}

/** The column headers visible now (a stop message's "seen instead"). */
function seenColumns(ctx: FlowContext): StopDetail {
  const seen = new Set<string>();
  for (const root of searchRoots(ctx.doc)) {
    for (const cell of Array.from(root.querySelectorAll('th, [role=columnheader]'))) {
      const text = visibleText(cell);
      if (text && text.length <= 12 && isVisible(cell)) seen.add(text);
    }
  }
  return { seen: [...seen].slice(0, 10), seenKind: 'column', wizard: currentWizardStep(ctx.doc) };
}

/** A row's own button for `word` (in the row or its fixed-column copies). */
function rowButtonIn(ctx: FlowContext, row: Element, word: string): Element | null {
  const table = rowTable.get(row);
  const parts = table?.parts ?? [row];
  const found = parts.map((part) => rowActionButton(part, word, ctx.lexicon)).filter((b): b is Element => b !== null);
  return found.length === 1 && found[0] ? found[0] : null;
}

/** The single link or button inside the row's key cell (a goods name that selects the goods). */
function keyCellLink(ctx: FlowContext, spec: TableSpec, row: Element, column: string): Element | null {
  for (const root of searchRoots(ctx.doc)) {
    const table = findTable(root, spec, ctx.lexicon);
    const found = table?.rows().find((r) => r.row === row);
    const cell = found?.cell(column);
    if (!cell) continue;
    const links = Array.from(cell.querySelectorAll('a, button, [role=button], [role=link]')).filter(isVisible);
    return links.length === 1 && links[0] ? links[0] : null;
  }
  return null;
}

/** The fixed-column copies of a row found by rowIn (Element / Ant fixed columns). */
const rowTable = new WeakMap<Element, { parts: Element[] }>();

function rowIn(ctx: FlowContext, spec: TableSpec, column: string, equals: string, where?: 'dialog' | 'page'): Element | 'ambiguous' | null {
  const roots = where === 'dialog' ? dialogRoots(ctx.doc) : where === 'page' ? searchRoots(ctx.doc, { scope: 'page' }) : searchRoots(ctx.doc);
  for (const root of roots) {
    // while no row shows the key anywhere (most DOM changes of a running search), no layout-bound reading
    if (!someRowMayShow(root, equals)) continue;
    const table = findTable(root, spec, ctx.lexicon);
    if (!table) continue;
    const rows = findRow(table, column, equals);
    if (rows.length > 1) return 'ambiguous';
    if (rows[0]) {
      rowTable.set(rows[0].row, { parts: rows[0].parts });
      return rows[0].row;
    }
  }
  return null;
}

function dialogRoots(doc: Document): Element[] {
  const dialog = topDialog(doc);
  return dialog ? [dialog] : [];
}

function cellControl(ctx: FlowContext, spec: TableSpec, rowColumn: string, rowKey: string, column: string): Element | 'ambiguous' | null {
  for (const root of searchRoots(ctx.doc)) {
    if (!someRowMayShow(root, rowKey)) continue;
    const table = findTable(root, spec, ctx.lexicon);
    if (!table) continue;
    const rows = findRow(table, rowColumn, rowKey);
    if (rows.length > 1) return 'ambiguous';
    const cell = rows[0]?.cell(column);
    const control = cell ? asTextControl(cell) : null;
    if (control && isVisible(control) && !isDisabled(control)) return control;
  }
  return null;
}

function conditionHolds(ctx: FlowContext, condition: Condition, vars: Record<string, string>): boolean {
  if ('visible' in condition) return resolveLocators(ctx.doc, ctx.targets[condition.visible] ?? [], { lexicon: ctx.lexicon }).ok;
  if ('text' in condition) return pageShowsText(ctx.doc, condition.text);
  if ('option' in condition) return visibleOptions(ctx.doc, expand(condition.option, vars)).length > 0;
  const found = rowIn(ctx, condition.row.table, condition.row.column, expand(condition.row.equals, vars), condition.row.in);
  return found !== null;
}

const OPTION_SELECTOR = '[role=option], .el-autocomplete-suggestion li, .el-select-dropdown__item';

function visibleOptions(doc: Document, containing: string): Element[] {
  return searchableDocuments(doc)
    .flatMap((d) => Array.from(d.querySelectorAll(OPTION_SELECTOR)))
    .filter((el) => isVisible(el) && visibleText(el).includes(containing));
}

/** Is this text visible anywhere (dialogs, toasts, the page)? */
export function pageShowsText(doc: Document, text: string): boolean {
  const wanted = normalizeText(text);
  for (const d of searchableDocuments(doc)) {
    // a text node cannot show what the whole page's text lacks (checked without layout first)
    if (!/\s/.test(wanted) && !(d.body ?? d.documentElement)?.textContent?.includes(wanted)) continue;
    const walker = d.createTreeWalker(d.body ?? d.documentElement, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!normalizeText(node.textContent).includes(wanted)) continue;
      const parent = node.parentElement;
      if (parent && isVisible(parent)) return true;
    }
  }
  return false;
}

/**
 * The element the step just before found for the same target (the search box filled, then its
 * Enter), taken again without looking at the whole page when nothing can have made another
 * element the answer: only that step ran in between, and the element is still on the page,
 * shown, where a fresh look would search (inside a dialog that opened meanwhile, if one did),
 * enabled when it must be, and its winning locator still finds it at least as well.
 */
function carriedOver(ctx: FlowContext, previous: Found | undefined, target: string, require: { enabled?: boolean }): Found | null {
  if (!previous || previous.target !== target) return null;
  const { element } = previous;
  if (!element.isConnected || !isVisible(element)) return null;
  if (require.enabled && isDisabled(element)) return null;
  if (!searchRoots(ctx.doc).some((root) => root.contains(element))) return null;
  const score = scoreOf(element, previous.via, ctx.lexicon);
  return score !== null && score >= previous.score ? previous : null;
}

async function locateTarget(
  ctx: FlowContext,
  target: string,
  path: string,
  timeoutMs: number,
  emit: (event: Omit<FlowEvent, 'path' | 'step'>) => void,
  require: { enabled?: boolean } = {},
  previous?: Found,
): Promise<Element> {
  const locators = ctx.targets[target];
  if (!locators?.length) throw new FlowStop('NO_LOCATOR', target, path);
  const carried = carriedOver(ctx, previous, target, require);
  if (carried) {
    if (carried.rank > 0) emit({ kind: 'fallback', target, via: carried.via });
    lastFound.set(ctx, carried);
    return carried.element;
  }
  let last: ReturnType<typeof resolveLocators> | undefined;
  const found = await waitFor(
    ctx.doc,
    () => {
      last = resolveLocators(ctx.doc, locators, { lexicon: ctx.lexicon });
      if (!last.ok) return null;
      return require.enabled && isDisabled(last.element) ? null : last;
    },
    { timeoutMs, signal: ctx.signal, what: target },
  ).catch((error: unknown) => {
    if (error instanceof WaitTimeoutError) {
      const code = last && !last.ok && last.reason === 'ambiguous' ? 'AMBIGUOUS' : last?.ok ? 'DISABLED' : 'MISSING';
      // nothing done yet and the first thing is not there: the scan came on the wrong page
      const seenKind = locators.every((l) => l.by === 'text') ? 'button' : 'input';
      const detail: StopDetail = { seen: seenOnPage(searchRoots(ctx.doc), seenKind), seenKind, wizard: currentWizardStep(ctx.doc) };
      if (code === 'MISSING' && !acted.get(ctx) && ctx.startPage) throw new FlowStop('WRONG_PAGE', target, path, { ...detail, startPage: ctx.startPage });
      throw new FlowStop(code, target, path, detail);
    }
    throw error;
  });
  if (found.rank > 0) emit({ kind: 'fallback', target, via: found.via });
  lastFound.set(ctx, { target, element: found.element, via: found.via, rank: found.rank, score: found.score });
  return found.element;
}

/**
 * What a cashier reads as this field's name: its own label(s), placeholder and aria-label, and in
 * a form row the cell just before it, or a wrapper's text when that wrapper holds this field
 * only. Never the neighbours' labels (a 员工卡号 next to the amount does not make the amount a
 * card field).
 */
function fieldLabel(element: Element): string {
  const control = asTextControl(element) ?? element;
  const parts = [control.getAttribute('placeholder'), control.getAttribute('aria-label')];
  const labels = (control as HTMLInputElement).labels;
  if (labels) for (const label of Array.from(labels)) parts.push(visibleText(label));
  const cell = control.closest('td, th');
  if (cell?.previousElementSibling) parts.push(visibleText(cell.previousElementSibling));
  let block = control.parentElement;
  for (let depth = 0; block && depth < 4; depth += 1, block = block.parentElement) {
    if (block.querySelectorAll(CONTROL_SELECTOR).length > 1) break;
    const text = visibleText(block);
    if (text.length <= 40) parts.push(text);
  }
  return parts.filter(Boolean).join(' ');
}

function assertAllowed(ctx: FlowContext, element: Element, action: 'fill' | 'click', target: string, path: string): void {
  if (action === 'fill' && isPasswordField(element)) throw new FlowStop('FORBIDDEN', target, path);
  if (action === 'click') {
    // contained words, in any text the button shows or announces (shared/engine/forbidden.ts)
    const texts = [visibleText(element), element.getAttribute('aria-label'), element.getAttribute('title'), element.getAttribute('value')];
    if (forbiddenClickWord(texts, ctx.forbidden.click)) throw new FlowStop('FORBIDDEN', target, path);
    return;
  }
  const words = ctx.forbidden.fill;
  const description = fieldLabel(element);
  if (words.some((word) => description.includes(word))) {
    throw new FlowStop('FORBIDDEN', target, path);
  }
}
