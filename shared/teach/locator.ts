import type { Locator } from '@/shared/engine/locator';
import { normalizeText as cleanText } from '@/shared/engine/dom';

/**
 * Teach mode's eyes (pure DOM reading, no visibility or layout: unit-tested on happy-dom).
 * From the element a person clicked, the most robust ways to find it again, best first: what a
 * cashier reads (label, placeholder, button text, role and name) before the page's internals
 * (name attribute, id, CSS). Only structure and labels are read — never an input's value, and
 * no text that looks like a number a customer or an order carries.
 */

const CONTROL = 'input:not([type=hidden]), textarea, select, [contenteditable=""], [contenteditable=true], [role=textbox], [role=combobox], [role=spinbutton]';
const CLICKABLE = 'button, a, [role=button], [role=tab], [role=menuitem], [role=option], [role=radio], [role=checkbox], input[type=button], input[type=submit], li';
const LABEL_HOLDERS = 'label, .el-form-item__label, .ant-form-item-label, .layui-form-label, .control-label, th, dt';
const FORM_ROW = '.el-form-item, .ant-form-item, .ant-row, .layui-form-item, .form-group, .form-item, tr, dl, li';

/**
 * Text that may be recorded: short, and not a number someone's data carries (a card, an ID, an
 * order: 6 or more digits in a row), not an amount.
 */
export function isRecordableText(text: string): boolean {
  if (!text || text.length > 30) return false;
  if (/\d{6,}/.test(text.replace(/[\s-]/g, ''))) return false;
  if (/^[¥￥]?\s*-?\d+(\.\d+)?\s*(元)?$/.test(text)) return false;
  return true;
}

function textOf(element: Element): string {
  return cleanText(element.textContent);
}

/** An id or class a framework generated (el-id-1024-7, ant-input-3, data-v hashes) is no anchor. */
function isStableIdent(value: string): boolean {
  return /^[A-Za-z][\w-]*$/.test(value) && !/\d{2,}/.test(value) && !/^(el|ant|vue|v|rc|react|mui|layui)-?id/i.test(value);
}

/** The control the click meant: the input itself, or the one inside the wrapper clicked. */
export function controlFor(element: Element): Element | null {
  if (element.matches(CONTROL)) return element;
  const inside = element.querySelectorAll(CONTROL);
  if (inside.length === 1) return inside[0] ?? null;
  const wrapper = element.closest('.el-input, .el-input-number, .el-select, .ant-input-affix-wrapper, .ant-select, .layui-input-block');
  const wrapped = wrapper?.querySelectorAll(CONTROL);
  return wrapped?.length === 1 ? (wrapped[0] ?? null) : null;
}

/** What names a control, the way a person reads the form: its label(s), aria, the row's label. */
export function labelOf(control: Element): string {
  const aria = cleanText(control.getAttribute('aria-label'));
  if (aria) return aria;
  const doc = control.ownerDocument;
  const labelledBy = control.getAttribute('aria-labelledby');
  if (labelledBy) {
    const text = cleanText(labelledBy.split(/\s+/).map((id) => doc.getElementById(id)?.textContent ?? '').join(' '));
    if (text) return text;
  }
  const id = control.getAttribute('id');
  if (id) {
    const label = Array.from(doc.querySelectorAll('label[for]')).find((l) => l.getAttribute('for') === id);
    if (label && textOf(label)) return textOf(label);
  }
  const wrappingLabel = control.closest('label');
  if (wrappingLabel) {
    const own = cleanText(Array.from(wrappingLabel.childNodes).filter((n) => n.nodeType === 3).map((n) => n.textContent).join(''));
    if (own) return own;
  }
  // a form row holding this one control: its label element
  for (let row = control.closest(FORM_ROW); row; row = row.parentElement?.closest(FORM_ROW) ?? null) {
    if (row.querySelectorAll(CONTROL).length !== 1) break;
    const label = Array.from(row.querySelectorAll(LABEL_HOLDERS)).find((el) => !el.contains(control) && textOf(el));
    if (label) return textOf(label);
  }
  // a table form: the cell before the control's cell
  const cell = control.closest('td');
  const before = cell?.previousElementSibling;
  if (before && before.querySelectorAll(CONTROL).length === 0 && textOf(before)) return textOf(before);
  return '';
}

/** The clickable element a click landed in (the <button>, not its <span>). */
export function clickableFor(element: Element): Element | null {
  return element.closest(CLICKABLE);
}

function cssFor(element: Element): string | null {
  const id = element.getAttribute('id');
  if (id && isStableIdent(id)) return `#${id}`;
  const tag = element.tagName.toLowerCase();
  const classes = Array.from(element.classList).filter((c) => isStableIdent(c) && !/^(is-|el-input__inner$|active|focus|hover)/.test(c));
  const parent = element.parentElement?.closest('[class]');
  const parentClass = parent ? Array.from(parent.classList).find(isStableIdent) : undefined;
  if (!classes.length && !parentClass) return null;
  return `${parentClass ? `.${parentClass} ` : ''}${tag}${classes.slice(0, 2).map((c) => `.${c}`).join('')}`;
}

const IMPLICIT_ROLE: Record<string, string> = { BUTTON: 'button', A: 'link' };

/**
 * Ranked locator candidates for the element clicked, best first. The teach recorder keeps only
 * those that find exactly this element on the live page (the engine's own resolver decides).
 */
export function deriveLocators(clicked: Element, want: 'control' | 'clickable' | 'any' = 'any'): Locator[] {
  const out: Locator[] = [];
  const add = (locator: Locator) => {
    if (!locator.value || out.some((l) => l.by === locator.by && l.value === locator.value && l.role === locator.role)) return;
    out.push(locator);
  };
  const control = want !== 'clickable' ? controlFor(clicked) : null;
  if (control) {
    const label = labelOf(control);
    if (label && isRecordableText(label)) add({ by: 'label', value: label });
    const placeholder = cleanText(control.getAttribute('placeholder'));
    if (placeholder && placeholder.length <= 60) add({ by: 'placeholder', value: placeholder });
    const name = control.getAttribute('name');
    if (name && isStableIdent(name)) add({ by: 'name', value: name });
    const css = cssFor(control);
    if (css) add({ by: 'css', value: css });
    return out;
  }
  if (want === 'control') return out;
  const clickable = clickableFor(clicked) ?? clicked;
  const text = textOf(clickable);
  if (isRecordableText(text)) {
    add({ by: 'text', value: text });
    const role = clickable.getAttribute('role') ?? IMPLICIT_ROLE[clickable.tagName];
    if (role) add({ by: 'role', role, value: text });
  }
  const aria = cleanText(clickable.getAttribute('aria-label'));
  if (aria && isRecordableText(aria)) add({ by: 'role', role: clickable.getAttribute('role') ?? IMPLICIT_ROLE[clickable.tagName] ?? 'button', value: aria });
  const css = cssFor(clickable);
  if (css) add({ by: 'css', value: css });
  return out;
}

const HEADER_CELL = 'th, [role=columnheader]';

/** The header texts of the first row holding a header cell inside `container` (as the engine reads tables). */
function headerRow(container: Element): string[] {
  const row = container.querySelector(HEADER_CELL)?.closest('tr, [role=row]');
  if (!row) return [];
  return Array.from(row.querySelectorAll(':scope > th, :scope > td, :scope > [role=columnheader]')).map((cell) => textOf(cell));
}

/**
 * For a click inside a table's body cell: that column's header, and all the table's headers
 * (component tables split header and body into separate tables: the closest block holding
 * both is the table). Null outside a table.
 */
export function columnOfCell(clicked: Element): { column: string; headers: string[] } | null {
  const cell = clicked.closest('td, [role=cell], [role=gridcell]');
  const row = cell?.parentElement;
  if (!cell || !row) return null;
  const index = Array.from(row.children).indexOf(cell);
  for (let node: Element | null = row.parentElement; node; node = node.parentElement) {
    const headers = headerRow(node);
    if (headers.length) {
      const column = headers[index];
      return column && isRecordableText(column) ? { column, headers: headers.filter(isRecordableText) } : null;
    }
  }
  return null;
}

/**
 * For a click on a result line ("交易流水号：RYT2026…", a <dt>/<dd> pair, a label cell and a
 * value cell): the label, never the value.
 */
export function labelOfValueLine(clicked: Element): string | null {
  const candidates: Element[] = [clicked];
  if (clicked.parentElement) candidates.push(clicked.parentElement);
  for (const element of candidates) {
    const text = textOf(element);
    const colon = /^([^:：]{1,20})[:：]/.exec(text);
    if (colon?.[1] && isRecordableText(cleanText(colon[1]))) return cleanText(colon[1]);
  }
  // a value element: its label is the element before it (dt/dd, th/td, label/span)
  for (const element of candidates) {
    const before = element.previousElementSibling;
    if (before && isRecordableText(textOf(before))) return textOf(before);
  }
  // a line of two parts: the first is the label
  for (const element of candidates) {
    const first = element.firstElementChild;
    if (element.childElementCount === 2 && first && isRecordableText(textOf(first))) return textOf(first);
  }
  return null;
}

/** For a click on a result message ("交易成功", "收款完成"): its text, when it is a short phrase. */
export function markerText(clicked: Element): string | null {
  const text = textOf(clicked);
  return text.length <= 16 && isRecordableText(text) && !/\d{3,}/.test(text) ? text : null;
}

export { cleanText };
