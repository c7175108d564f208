import type { Locator } from '@/shared/settings';
import { CLICKABLE_SELECTOR, CONTROL_SELECTOR, isVisible, normalizeText, ownText, searchableDocuments, topDialog, visibleText } from './dom';

/**
 * Finding an element the way a cashier does: by its label, placeholder, button text or role, with
 * a CSS selector only as a last resort. A locator list is ranked: the first candidate that finds
 * exactly one visible element wins; one that finds several is ambiguous, and the engine stops
 * rather than guess (a wrong guess is a wrong amount on a customer's card).
 * Locator (settings.ts): { by: label | placeholder | text | role | css | name, value, role? } —
 * with by 'role', `role` is the role and `value` its accessible name ('' = any).
 */
export type { Locator };
export type Resolution =
  | { ok: true; element: Element; via: Locator; rank: number }
  | { ok: false; reason: 'missing' | 'ambiguous'; ambiguousVia?: Locator; count?: number };

export interface ResolveOptions {
  /** search here instead of the open dialog / whole page */
  root?: Element | Document;
  /** 'auto' (default): inside the top dialog when one is open */
  scope?: 'auto' | 'page';
}

export function searchRoots(doc: Document, options: ResolveOptions = {}): Array<Element | Document> {
  if (options.root) return [options.root];
  if (options.scope !== 'page') {
    const dialog = topDialog(doc);
    if (dialog) return [dialog];
  }
  return searchableDocuments(doc);
}

export function resolveLocators(doc: Document, locators: readonly Locator[], options: ResolveOptions = {}): Resolution {
  const roots = searchRoots(doc, options);
  let ambiguous: { via: Locator; count: number } | undefined;
  for (const [rank, locator] of locators.entries()) {
    const found = unique(roots.flatMap((root) => findAll(root, locator)));
    if (found.length === 1 && found[0]) return { ok: true, element: found[0], via: locator, rank };
    if (found.length > 1) ambiguous ??= { via: locator, count: found.length };
  }
  return ambiguous
    ? { ok: false, reason: 'ambiguous', ambiguousVia: ambiguous.via, count: ambiguous.count }
    : { ok: false, reason: 'missing' };
}

function unique(elements: Element[]): Element[] {
  return [...new Set(elements)];
}

/** Keeps the innermost of nested matches (the <button>, not the toolbar around it). */
function innermost(elements: Element[]): Element[] {
  return elements.filter((el) => !elements.some((other) => other !== el && el.contains(other)));
}

function query(root: Element | Document, selector: string): Element[] {
  const all = Array.from(root.querySelectorAll(selector));
  if (root instanceof Element && root.matches(selector)) all.unshift(root);
  return all.filter(isVisible);
}

export function findAll(root: Element | Document, locator: Locator): Element[] {
  const value = normalizeText(locator.value);
  switch (locator.by) {
    case 'css':
      return query(root, locator.value);
    case 'name':
      return query(root, `[name="${cssEscape(locator.value)}"]`);
    case 'placeholder':
      return query(root, '[placeholder]').filter((el) => normalizeText(el.getAttribute('placeholder')).includes(value));
    case 'text':
      return innermost(query(root, CLICKABLE_SELECTOR).filter((el) => visibleText(el) === value && !isInsideLabelFor(el)));
    case 'label':
      return findByLabel(root, value);
    case 'role':
      return findByRole(root, locator.role ?? locator.value, locator.role ? value : '');
  }
}

/** A <label> wrapping a radio is clickable by its text; the radio itself is what we want then. */
function isInsideLabelFor(el: Element): boolean {
  return el.tagName === 'LABEL' && el.querySelector('input') === null && el.hasAttribute('for');
}

function cssEscape(value: string): string {
  return value.replace(/["\\]/g, '\\$&');
}

/**
 * The control a visible label names: via `for`, by containing it, via aria-label(ledby), or as the
 * single control in the closest block around the label (how form layouts such as el-form-item,
 * table rows and definition lists pair them).
 */
function findByLabel(root: Element | Document, label: string): Element[] {
  const controls: Element[] = [];
  for (const control of query(root, CONTROL_SELECTOR)) {
    if (normalizeText(control.getAttribute('aria-label')) === label) controls.push(control);
    const labelledBy = control.getAttribute('aria-labelledby');
    if (labelledBy) {
      const text = labelledBy
        .split(/\s+/)
        .map((id) => control.ownerDocument.getElementById(id)?.textContent ?? '')
        .join(' ');
      if (normalizeText(text) === label) controls.push(control);
    }
  }
  const labels = query(root, 'label, th, dt, td, span, div, p, b, strong').filter(
    (el) => el.childElementCount <= 2 && (ownText(el) === label || (el.childElementCount === 0 && visibleText(el) === label)),
  );
  for (const labelElement of labels) {
    const htmlFor = labelElement.getAttribute('for');
    if (htmlFor) {
      const target = labelElement.ownerDocument.getElementById(htmlFor);
      if (target && isVisible(target)) {
        controls.push(target.matches(CONTROL_SELECTOR) ? target : (query(target, CONTROL_SELECTOR)[0] ?? target));
        continue;
      }
    }
    const inside = query(labelElement, CONTROL_SELECTOR);
    if (inside.length === 1 && inside[0]) {
      controls.push(inside[0]);
      continue;
    }
    let block: Element | null = labelElement.parentElement;
    for (let depth = 0; block && depth < 4; depth += 1, block = block.parentElement) {
      const near = query(block, CONTROL_SELECTOR);
      if (near.length === 1 && near[0]) {
        controls.push(near[0]);
        break;
      }
      if (near.length > 1) break;
    }
  }
  return unique(controls);
}

const IMPLICIT_ROLES: Record<string, string> = {
  button: 'button, input[type=button], input[type=submit]',
  textbox: 'input:not([type]), input[type=text], input[type=search], input[type=tel], input[type=number], textarea',
  dialog: 'dialog[open]',
  table: 'table',
  link: 'a[href]',
  checkbox: 'input[type=checkbox]',
  radio: 'input[type=radio]',
  combobox: 'select',
};

function findByRole(root: Element | Document, role: string, name: string): Element[] {
  const selector = [`[role="${cssEscape(role)}"]`, IMPLICIT_ROLES[role]].filter(Boolean).join(', ');
  const matches = query(root, selector);
  if (!name) return matches;
  return matches.filter((el) => {
    const accessibleName = normalizeText(el.getAttribute('aria-label')) || visibleText(el) || normalizeText(el.getAttribute('placeholder'));
    return accessibleName === name;
  });
}
