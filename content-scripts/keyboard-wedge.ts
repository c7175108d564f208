import { ScanDetector, type KeyInput } from './scan-detector';

/**
 * The DOM side of scan detection: listens first (window, capture phase, document_start), keeps
 * held keys away from the page, and hands text back when it was not a ticket.
 *
 * Only trusted events count: a page script can dispatch KeyboardEvents, and those must neither be
 * read as a scan nor be swallowed.
 */
export interface KeyboardWedgeOptions {
  signal: AbortSignal;
  isTicketCandidate: (text: string) => boolean;
  onScan: (text: string) => void;
  maxGapMs?: number;
  target?: Window;
}

export function listenForScans(options: KeyboardWedgeOptions): void {
  const win = options.target ?? window;
  const doc = win.document;
  const detector = new ScanDetector({ isTicketCandidate: options.isTicketCandidate, maxGapMs: options.maxGapMs });
  // keyup of a key we kept from the page is kept too: Element UI inputs search on keyup.enter.
  const heldKeyCodes = new Set<string>();
  let guard: ValueGuard | null = null;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;

  const stop = (event: Event): void => {
    event.preventDefault();
    event.stopImmediatePropagation();
  };

  const scheduleRelease = (): void => {
    clearTimeout(idleTimer);
    const deadline = detector.releaseDeadline;
    if (deadline === null) return;
    idleTimer = setTimeout(() => {
      const text = detector.onIdle(win.performance.now());
      if (text) giveBack(doc, text);
      else scheduleRelease();
    }, Math.max(0, deadline - win.performance.now()) + 1);
  };

  const onKeyDown = (event: KeyboardEvent): void => {
    if (!event.isTrusted) return;
    const decision = detector.onKeyDown(toKeyInput(event));
    switch (decision.action) {
      case 'pass':
        break;
      case 'hold':
        guard ??= ValueGuard.capture(doc);
        heldKeyCodes.add(event.code);
        stop(event);
        break;
      case 'release-then-pass':
        guard = null;
        giveBack(doc, decision.text);
        break;
      case 'scan':
        heldKeyCodes.add(event.code);
        stop(event);
        guard?.restoreIfComposed();
        guard = null;
        options.onScan(decision.text);
        break;
    }
    scheduleRelease();
  };

  const onKeyUp = (event: KeyboardEvent): void => {
    if (event.isTrusted && heldKeyCodes.delete(event.code)) stop(event);
  };

  // While keys are held an IME may still compose them into the field: keep those events from the
  // page's handlers, and undo the text when the scan completes (ValueGuard).
  const onTextEvent = (event: Event): void => {
    if (!event.isTrusted || !detector.isHolding) return;
    if (event.type === 'compositionstart' || event.type === 'compositionupdate') guard?.markComposed();
    event.stopImmediatePropagation();
  };

  const listenerOptions = { capture: true, signal: options.signal } as const;
  win.addEventListener('keydown', onKeyDown, listenerOptions);
  win.addEventListener('keyup', onKeyUp, listenerOptions);
  for (const type of ['keypress', 'beforeinput', 'input', 'compositionstart', 'compositionupdate', 'compositionend']) {
    win.addEventListener(type, onTextEvent, listenerOptions);
  }
  options.signal.addEventListener('abort', () => clearTimeout(idleTimer), { once: true });
}

function toKeyInput(event: KeyboardEvent): KeyInput {
  return {
    key: event.key,
    code: event.code,
    shiftKey: event.shiftKey,
    ctrlKey: event.ctrlKey,
    altKey: event.altKey,
    metaKey: event.metaKey,
    timeStamp: event.timeStamp,
  };
}

type EditableField = HTMLInputElement | HTMLTextAreaElement;

/** The element that really has focus, through open shadow roots. */
export function deepActiveElement(doc: Document): Element | null {
  let active: Element | null = doc.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

function editableField(element: Element | null): EditableField | null {
  const view = element?.ownerDocument.defaultView;
  if (!element || !view) return null;
  if (element instanceof view.HTMLTextAreaElement) return element;
  if (element instanceof view.HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'file'].includes(element.type)) {
    return element;
  }
  return null;
}

/**
 * Give held characters back to the page as if they had been typed: insertText goes through the
 * browser's editing pipeline (caret, selection, undo, trusted input events frameworks listen to).
 */
function giveBack(doc: Document, text: string): void {
  const active = deepActiveElement(doc);
  const field = editableField(active);
  const isContentEditable = active instanceof HTMLElement && active.isContentEditable;
  if ((field || isContentEditable) && doc.execCommand('insertText', false, text)) return;
  if (field) {
    const start = field.selectionStart ?? field.value.length;
    const end = field.selectionEnd ?? field.value.length;
    setNativeValue(field, field.value.slice(0, start) + text + field.value.slice(end));
    return;
  }
  // Nothing editable has focus: the page may listen for keys globally. Replay as plain events.
  const target = active ?? doc.body;
  for (const char of text) {
    for (const type of ['keydown', 'keypress', 'keyup'] as const) {
      target?.dispatchEvent(new KeyboardEvent(type, { key: char, bubbles: true, cancelable: true }));
    }
  }
}

/** Sets a field's value the way frameworks notice (the prototype's setter, then input/change). */
export function setNativeValue(field: EditableField, value: string): void {
  const view = field.ownerDocument.defaultView ?? window;
  const proto = field instanceof view.HTMLTextAreaElement ? view.HTMLTextAreaElement.prototype : view.HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(field, value);
  field.dispatchEvent(new Event('input', { bubbles: true }));
  field.dispatchEvent(new Event('change', { bubbles: true }));
}

/** Snapshot of the focused field at the start of a held burst, to undo what an IME typed. */
class ValueGuard {
  private composed = false;
  private constructor(
    private readonly field: EditableField,
    private readonly value: string,
  ) {}

  static capture(doc: Document): ValueGuard | null {
    const field = editableField(deepActiveElement(doc));
    return field ? new ValueGuard(field, field.value) : null;
  }

  markComposed(): void {
    this.composed = true;
  }

  restoreIfComposed(): void {
    if (this.composed && this.field.value !== this.value) setNativeValue(this.field, this.value);
  }
}
