import { viewOf } from './dom';
import { nextTick } from './wait';

/**
 * Acting on the page so that frameworks see it: values go through the prototype's native setter
 * (React tracks the instance setter) followed by bubbling input/change events; the value is read
 * back after the framework's next tick, since a controlled input may reject or reformat it.
 */
export type FillResult = { ok: true } | { ok: false; reason: 'not-editable' | 'rejected'; actual?: string };

type TextControl = HTMLInputElement | HTMLTextAreaElement;

export function asTextControl(element: Element): TextControl | null {
  const view = viewOf(element);
  if (!view) return null;
  if (element instanceof view.HTMLTextAreaElement) return element;
  if (element instanceof view.HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'file', 'hidden'].includes(element.type)) {
    return element;
  }
  // a wrapper (el-input's div) around the one real input
  const inner = element.querySelector('input:not([type=hidden]), textarea');
  return inner ? asTextControl(inner) : null;
}

export function isPasswordField(element: Element): boolean {
  const control = asTextControl(element);
  if (!control) return false;
  const hint = `${control.name} ${control.id} ${control.autocomplete} ${control.getAttribute('aria-label') ?? ''}`.toLowerCase();
  // by tag, not instanceof: the field may live in another frame (another realm's HTMLInputElement)
  return (control.tagName === 'INPUT' && (control as HTMLInputElement).type === 'password') || /password|passwd|pwd|密码/.test(hint);
}

function setNative(control: TextControl, value: string): void {
  const view = viewOf(control) ?? window;
  const proto = control instanceof view.HTMLTextAreaElement ? view.HTMLTextAreaElement.prototype : view.HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(control, value);
}

/** Compares what the field shows with what we meant, allowing a framework's number formatting. */
export function sameValue(actual: string, wanted: string): boolean {
  if (actual === wanted) return true;
  const number = /^-?\d+(\.\d+)?$/;
  if (number.test(actual) && number.test(wanted)) {
    const strip = (s: string): string => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
    return strip(actual) === strip(wanted);
  }
  return false;
}

/** `keepFocus`: no blur/change (a search-as-you-type box closes its suggestions on blur). */
export async function fillValue(element: Element, value: string, options: { keepFocus?: boolean } = {}): Promise<FillResult> {
  const control = asTextControl(element);
  if (!control || control.disabled || control.readOnly) return { ok: false, reason: 'not-editable' };
  // no scrolling on the way (scrolling lays the page out on every field); a field that refuses
  // the value is brought into view below, for the cashier to see
  control.focus({ preventScroll: true });
  control.dispatchEvent(new FocusEvent('focusin', { bubbles: true }));
  setNative(control, value);
  control.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: value }));
  if (!options.keepFocus) {
    control.dispatchEvent(new Event('change', { bubbles: true }));
    // el-input-number and similar commit on blur.
    control.dispatchEvent(new FocusEvent('blur'));
    control.dispatchEvent(new FocusEvent('focusout', { bubbles: true }));
  }
  await nextTick(control.ownerDocument);
  const current = asTextControl(element) ?? control;
  if (sameValue(current.value, value)) return { ok: true };
  current.scrollIntoView?.({ block: 'nearest' });
  return { ok: false, reason: 'rejected', actual: current.value };
}

/** `mayPress`: may this form's submit button be pressed (never a final pay button)? */
export function pressEnter(element: Element, mayPress: (button: Element) => boolean = () => true): void {
  const control = asTextControl(element) ?? element;
  const init = { key: 'Enter', code: 'Enter', keyCode: 13, which: 13, bubbles: true, cancelable: true } as KeyboardEventInit;
  const down = control.dispatchEvent(new KeyboardEvent('keydown', init));
  const press = control.dispatchEvent(new KeyboardEvent('keypress', init));
  // a script's key event has no default action: do the browser's own (a search form submits)
  if (down && press) submitImplicitly(control, mayPress);
  control.dispatchEvent(new KeyboardEvent('keyup', init));
}

/** Input types whose Enter submits their form (HTML "implicit submission"). */
const BLOCKS_IMPLICIT_SUBMISSION = new Set(['text', 'search', 'url', 'tel', 'email', 'password', 'number', 'date', 'month', 'week', 'time', 'datetime-local']);

/**
 * What a browser does on Enter in a form's text field: press the form's first submit button, or,
 * without one, submit a form that has this single text field.
 */
function submitImplicitly(control: Element, mayPress: (button: Element) => boolean): void {
  if (control.tagName !== 'INPUT' || !BLOCKS_IMPLICIT_SUBMISSION.has((control as HTMLInputElement).type)) return;
  const form = (control as HTMLInputElement).form;
  if (!form) return;
  const submitter = Array.from(form.elements).find(
    (el) => (el.tagName === 'BUTTON' && ((el as HTMLButtonElement).type || 'submit') === 'submit') || (el.tagName === 'INPUT' && ['submit', 'image'].includes((el as HTMLInputElement).type)),
  );
  if (submitter) {
    if (!(submitter as HTMLButtonElement).disabled && mayPress(submitter)) (submitter as HTMLElement).click();
    return;
  }
  const fields = Array.from(form.elements).filter((el) => el.tagName === 'INPUT' && BLOCKS_IMPLICIT_SUBMISSION.has((el as HTMLInputElement).type));
  if (fields.length === 1) form.requestSubmit();
}

export function isDisabled(element: Element): boolean {
  return (
    (element as HTMLButtonElement).disabled === true ||
    element.getAttribute('aria-disabled') === 'true' ||
    element.classList.contains('is-disabled') ||
    element.closest('fieldset[disabled]') !== null
  );
}

export function click(element: Element): void {
  (element as HTMLElement).scrollIntoView?.({ block: 'nearest' });
  const view = viewOf(element) ?? window;
  for (const type of ['pointerdown', 'mousedown', 'pointerup', 'mouseup'] as const) {
    const EventType = type.startsWith('pointer') && 'PointerEvent' in view ? view.PointerEvent : view.MouseEvent;
    element.dispatchEvent(new EventType(type, { bubbles: true, cancelable: true, view }));
  }
  (element as HTMLElement).click();
}
