import type { Locator } from './locator';
import { findSearchBoxes } from './structure';
import { SCORE, scoreText, wanted, type LexiconAdditions, type WantedWord } from './lexicon';
import { CLICKABLE_SELECTOR, CONTROL_SELECTOR, isVisible, normalizeText, ownText, searchableDocuments, topDialog, visibleText } from './dom';

/**
 * Finding an element the way a cashier does: by its label, placeholder, button text or role, with
 * a CSS selector only as a last resort. A locator list is ranked: the first candidate that finds
 * exactly one visible element wins; one that finds several is ambiguous, and the engine stops
 * rather than guess (a wrong guess is a wrong amount on a customer's card).
 * Locator (locator.ts): { by: label | placeholder | text | role | css | name, value, role? } —
 * with by 'role', `role` is the role and `value` its accessible name ('' = any).
 */
export type { Locator };
export type Resolution =
  | { ok: true; element: Element; via: Locator; rank: number; score: number }
  | { ok: false; reason: 'missing' | 'ambiguous'; ambiguousVia?: Locator; count?: number };

export interface ResolveOptions {
  /** search here instead of the open dialog / whole page */
  root?: Element | Document;
  /** 'auto' (default): inside the top dialog when one is open */
  scope?: 'auto' | 'page';
  /** the provider's own extra words per concept */
  lexicon?: LexiconAdditions;
}

export function searchRoots(doc: Document, options: ResolveOptions = {}): Array<Element | Document> {
  if (options.root) return [options.root];
  if (options.scope !== 'page') {
    const dialog = topDialog(doc);
    if (dialog) return [dialog];
  }
  return searchableDocuments(doc);
}

/** A found element and how well the words matched (lexicon SCORE; selectors score FALLBACK). */
export interface Scored {
  element: Element;
  score: number;
}

/** CSS / name / role-without-a-name: a last resort, below any match by words. */
const FALLBACK_SCORE = 0.5;
/** The most a structure-found element scores (structure.ts findSearchBoxes). */
const STRUCTURE_SCORE = 0.75;

/**
 * Scored, ranked resolution. Grades are tried best first (exact, normalised, contains, synonym,
 * then selectors); within a grade the locators in their order. The first locator that finds
 * exactly one element at the grade wins. A grade where locators find only several equally good
 * elements is ambiguous: the engine stops there and never falls to a weaker grade (a wrong
 * guess is a wrong amount on a customer's card).
 */
export function resolveLocators(doc: Document, locators: readonly Locator[], options: ResolveOptions = {}): Resolution {
  const roots = searchRoots(doc, options);
  const perLocator: Scored[][] = [];
  for (const [rank, locator] of locators.entries()) {
    // an earlier locator found one element at a grade no later locator can beat: it wins (the
    // selector fallbacks, often the costliest to run, are then never run)
    if (rank > 0 && decidedBefore(perLocator, bestPossible(locators.slice(rank)))) break;
    const found = bestPerElement(roots.flatMap((root) => findScored(root, locator, options.lexicon)));
    perLocator.push(found);
    // the words themselves, once, from the first locator that has them: nothing later can do better
    // (the common case, and matching runs on every DOM change while a step waits)
    const [best, ...others] = found.filter((f) => f.score >= SCORE.normalized);
    if (perLocator.length === 1 && best && !others.length && found.every((f) => f === best || f.score < best.score)) {
      return { ok: true, element: best.element, via: locator, rank: 0, score: best.score };
    }
  }
  const grades = [...new Set(perLocator.flatMap((found) => found.map((f) => f.score)))].sort((a, b) => b - a);
  for (const grade of grades) {
    let ambiguous: { via: Locator; count: number } | undefined;
    for (const [rank, found] of perLocator.entries()) {
      const locator = locators[rank];
      if (!locator) continue;
      const atGrade = found.filter((f) => f.score === grade);
      if (atGrade.length === 1 && atGrade[0]) return { ok: true, element: atGrade[0].element, via: locator, rank, score: grade };
      if (atGrade.length > 1) ambiguous ??= { via: locator, count: atGrade.length };
    }
    if (ambiguous) return { ok: false, reason: 'ambiguous', ambiguousVia: ambiguous.via, count: ambiguous.count };
  }
  return { ok: false, reason: 'missing' };
}

/** The best score a locator can give: words up to an exact match, selectors only FALLBACK (structure a little more). */
function bestPossible(locators: readonly Locator[]): number {
  let best = 0;
  for (const locator of locators) {
    const wordsCount = locator.by === 'placeholder' || locator.by === 'text' || locator.by === 'label' || (locator.by === 'role' && Boolean(locator.role));
    best = Math.max(best, wordsCount ? SCORE.exact : STRUCTURE_SCORE);
  }
  return best;
}

/**
 * Would the ranked grades below already pick a winner from these locators, whatever the rest
 * find (each at most `laterBest`)? Yes when the best grade found so far is above `laterBest` and
 * one of these locators found exactly one element at it.
 */
function decidedBefore(perLocator: readonly Scored[][], laterBest: number): boolean {
  let top = 0;
  for (const found of perLocator) for (const f of found) top = Math.max(top, f.score);
  if (top <= laterBest) return false;
  return perLocator.some((found) => found.filter((f) => f.score === top).length === 1);
}

/** One entry per element, at its best score. */
function bestPerElement(found: Scored[]): Scored[] {
  const best = new Map<Element, number>();
  for (const f of found) best.set(f.element, Math.max(best.get(f.element) ?? 0, f.score));
  return [...best].map(([element, score]) => ({ element, score }));
}

/** Keeps the innermost of nested matches (the <button>, not the toolbar around it). */
function innermost(elements: Scored[]): Scored[] {
  return elements.filter((el) => !elements.some((other) => other.element !== el.element && el.element.contains(other.element) && other.score >= el.score));
}

function query(root: Element | Document, selector: string): Element[] {
  return queryAll(root, selector).filter(isVisible);
}

/** Without the visibility check: for candidates filtered by their words first (cheaper). */
function queryAll(root: Element | Document, selector: string): Element[] {
  const all = Array.from(root.querySelectorAll(selector));
  if (root.nodeType === 1 && (root as Element).matches(selector)) all.unshift(root as Element);
  return all;
}

/**
 * How well `locator` finds this one element now, read on the element alone (0: it no longer
 * does). null for a label: the label is outside its field, only a look at the page can tell.
 */
export function scoreOf(element: Element, locator: Locator, lexicon?: LexiconAdditions): number | null {
  if (locator.by === 'label') return null;
  return findScored(element, locator, lexicon).find((f) => f.element === element)?.score ?? 0;
}

/** Elements a locator finds, exact or not (kept for callers that want all of them). */
export function findAll(root: Element | Document, locator: Locator, lexicon?: LexiconAdditions): Element[] {
  return findScored(root, locator, lexicon).map((f) => f.element);
}

export function findScored(root: Element | Document, locator: Locator, lexicon: LexiconAdditions = {}): Scored[] {
  const want = wanted(locator.value, lexicon);
  // words first, visibility only for the elements whose words match
  const scored = (elements: Element[], text: (el: Element) => string | null, loose = true): Scored[] =>
    elements.map((element) => ({ element, score: scoreText(text(element), want, { loose }) })).filter((f) => f.score > 0 && isVisible(f.element));
  switch (locator.by) {
    case 'css':
      return query(root, locator.value).map((element) => ({ element, score: FALLBACK_SCORE }));
    case 'name':
      return query(root, `[name="${cssEscape(locator.value)}"]`).map((element) => ({ element, score: FALLBACK_SCORE }));
    case 'placeholder':
      return scored(queryAll(root, '[placeholder]'), (el) => el.getAttribute('placeholder'));
    case 'text':
      return innermost(
        scored(
          queryAll(root, CLICKABLE_SELECTOR).filter((el) => !isInsideLabelFor(el)),
          (el) => {
            // textContent first (no layout): an element whose text cannot match is skipped
            const raw = el.textContent ?? '';
            if (el.tagName !== 'INPUT' && raw.length > 200) return null;
            const text = visibleText(el);
            // a menu or list item holding a whole block of text is not a button labelled by it
            return text.length <= 24 ? text : null;
          },
          false,
        ),
      );
    case 'label':
      return findByLabel(root, want);
    case 'role':
      return findByRole(root, locator.role ?? locator.value, locator.role ? want : null);
  }
}

/** A <label> wrapping a radio is clickable by its text; the radio itself is what we want then. */
function isInsideLabelFor(el: Element): boolean {
  return el.tagName === 'LABEL' && el.querySelector('input') === null && el.hasAttribute('for');
}

function cssEscape(value: string): string {
  return value.replace(/["\\]/g, '\\$&');
}

/** A label pairs with a control inside its own form row, not across a table, form or page. */
const LABEL_BLOCK_LIMIT = 'body, form, table, thead, tbody, main, section, [role=dialog], .el-dialog, .ant-modal';

/** Label-like texts: short, as a label is. */
const LABEL_TEXT_MAX = 24;

/**
 * The control a visible label names: via `for`, by containing it, via aria-label(ledby), or as the
 * single control in the closest block around the label (how form layouts such as el-form-item,
 * table rows and definition lists pair them).
 */
function findByLabel(root: Element | Document, want: WantedWord): Scored[] {
  const controls: Scored[] = [];
  for (const control of query(root, CONTROL_SELECTOR)) {
    const aria = scoreText(control.getAttribute('aria-label'), want);
    if (aria) controls.push({ element: control, score: aria });
    const labelledBy = control.getAttribute('aria-labelledby');
    if (labelledBy) {
      const text = labelledBy
        .split(/\s+/)
        .map((id) => control.ownerDocument.getElementById(id)?.textContent ?? '')
        .join(' ');
      const score = scoreText(text, want);
      if (score) controls.push({ element: control, score });
    }
  }
  const labels: Scored[] = [];
  for (const el of queryAll(root, 'label, th, dt, td, span, div, p, b, strong, legend')) {
    if (el.childElementCount > 2) continue;
    const own = ownText(el);
    const text = own || (el.childElementCount === 0 ? normalizeText(el.textContent) : '');
    if (!text || text.length > LABEL_TEXT_MAX) continue;
    const score = scoreText(text, want);
    if (score && isVisible(el)) labels.push({ element: el, score });
  }
  for (const { element: labelElement, score } of labels) {
    const htmlFor = labelElement.getAttribute('for');
    if (htmlFor) {
      const target = labelElement.ownerDocument.getElementById(htmlFor);
      if (target && isVisible(target)) {
        controls.push({ element: target.matches(CONTROL_SELECTOR) ? target : (query(target, CONTROL_SELECTOR)[0] ?? target), score });
        continue;
      }
    }
    const inside = query(labelElement, CONTROL_SELECTOR);
    if (inside.length === 1 && inside[0]) {
      controls.push({ element: inside[0], score });
      continue;
    }
    // a header or term cell labels the cell beside it, never whatever is near the table
    if (labelElement.matches('th, td, dt')) {
      const next = labelElement.nextElementSibling;
      const beside = next ? query(next, CONTROL_SELECTOR) : [];
      if (beside.length === 1 && beside[0]) controls.push({ element: beside[0], score });
      continue;
    }
    let block: Element | null = labelElement.parentElement;
    for (let depth = 0; block && depth < 4 && !block.matches(LABEL_BLOCK_LIMIT); depth += 1, block = block.parentElement) {
      const near = query(block, CONTROL_SELECTOR);
      if (near.length === 1 && near[0]) {
        controls.push({ element: near[0], score });
        break;
      }
      if (near.length > 1) break;
    }
  }
  return controls;
}

const IMPLICIT_ROLES: Record<string, string> = {
  button: 'button, input[type=button], input[type=submit]',
  searchbox: 'input[type=search], [role=searchbox]',
  textbox: 'input:not([type]), input[type=text], input[type=search], input[type=tel], input[type=number], textarea',
  dialog: 'dialog[open]',
  table: 'table',
  link: 'a[href]',
  checkbox: 'input[type=checkbox]',
  radio: 'input[type=radio]',
  combobox: 'select',
};

function findByRole(root: Element | Document, role: string, want: WantedWord | null): Scored[] {
  if (role === 'searchbox' && !want) return findSearchBoxes(root);
  const selector = [`[role="${cssEscape(role)}"]`, IMPLICIT_ROLES[role]].filter(Boolean).join(', ');
  const matches = query(root, selector);
  if (!want) return matches.map((element) => ({ element, score: FALLBACK_SCORE }));
  return matches
    .map((el) => {
      const accessibleName = normalizeText(el.getAttribute('aria-label')) || visibleText(el) || normalizeText(el.getAttribute('placeholder'));
      return { element: el, score: scoreText(accessibleName, want) };
    })
    .filter((f) => f.score > 0);
}
