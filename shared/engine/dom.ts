/**
 * DOM facts the engine relies on, the way a cashier sees the page: what is visible, what text
 * it shows, which dialog is on top. Works across same-origin iframes (each frame's own window).
 */

/** Collapses white space and drops the decorations labels carry ("* 门店订单号：" → "门店订单号"). */
export function normalizeText(text: string | null | undefined): string {
  return (text ?? '')
    .replace(/[\s\u00a0\u3000]+/g, ' ')
    .trim()
    .replace(/^[*＊]\s*/, '')
    .replace(/\s*[:：]$/, '')
    .trim();
}

export function viewOf(node: Node): (Window & typeof globalThis) | null {
  return (node.ownerDocument ?? (node as Document)).defaultView as (Window & typeof globalThis) | null;
}

export function isVisible(element: Element): boolean {
  const view = viewOf(element);
  if (!view || !element.isConnected) return false;
  // One native call that needs the page's styles but not its layout: getClientRects() forces a
  // layout, and this runs on every DOM change while a step waits (a layout mid-render is a cost
  // the page itself would not pay). Same rules: no box, an ancestor faded to opacity 0, or
  // visibility hidden/collapse. Both spellings of the options (older engines know only the first).
  if (typeof element.checkVisibility === 'function') {
    return element.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true, opacityProperty: true, visibilityProperty: true });
  }
  if (element.getClientRects().length === 0) return false;
  const style = view.getComputedStyle(element);
  if (style.visibility === 'hidden' || style.visibility === 'collapse') return false;
  // Element Plus fades dialogs out by opacity before display:none; treat a faded one as gone.
  for (let node: Element | null = element; node; node = node.parentElement) {
    const own = view.getComputedStyle(node);
    // display:none on an ancestor (layout engines already give no rects; DOM-only ones do not)
    if (own.opacity === '0' || own.display === 'none') return false;
  }
  return true;
}

/** What a person reads on an element: its text, or for inputs the value/placeholder shown. */
export function visibleText(element: Element): string {
  const view = viewOf(element);
  if (view && element instanceof view.HTMLInputElement) {
    return ['button', 'submit', 'reset'].includes(element.type) ? normalizeText(element.value) : '';
  }
  const plain = plainText(element, view);
  if (plain !== null) return plain;
  return normalizeText((element as HTMLElement).innerText ?? element.textContent);
}

/** Text that innerText does not read as the text shown (a textarea's value, options, scripts, SVG, frames). */
const NOT_PLAIN_TEXT = 'textarea, select, option, optgroup, datalist, script, style, noscript, template, svg, math, iframe, object, canvas, video, audio';

/**
 * What innerText would read, without the layout it forces, for the common shape of a header,
 * cell, label or button: at most one text node with anything but white space in it (a page in
 * the middle of a render would otherwise be laid out on every reading while a step waits).
 * None: ''. One: its text, when the element holding it is shown with its styles (visibility,
 * no display:none) and its letters are not transformed by CSS. Anything else (two texts, whose
 * spacing depends on the layout, a hidden holder, text-transform): null, and innerText decides.
 */
function plainText(element: Element, view: (Window & typeof globalThis) | null): string | null {
  if (!view || typeof element.checkVisibility !== 'function') return null;
  let only: Text | null = null;
  const walker = element.ownerDocument.createTreeWalker(element, 4 /* NodeFilter.SHOW_TEXT */);
  for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
    if (!/\S/.test(node.data)) continue;
    if (only) return null;
    only = node;
  }
  if (!only) return '';
  const holder = only.parentElement;
  if (!holder || holder.closest(NOT_PLAIN_TEXT)) return null;
  if (!holder.checkVisibility({ checkVisibilityCSS: true, visibilityProperty: true })) return null;
  const transform = view.getComputedStyle(holder).textTransform;
  if (transform && transform !== 'none') return null;
  return normalizeText(only.data);
}

export const CONTROL_SELECTOR =
  'input:not([type=hidden]), textarea, select, [contenteditable=""], [contenteditable=true], [role=textbox], [role=combobox], [role=spinbutton]';

export const CLICKABLE_SELECTOR =
  'button, a[href], a[role=button], [role=button], [role=tab], [role=menuitem], [role=option], [role=radio], [role=checkbox], input[type=button], input[type=submit], input[type=radio], input[type=checkbox], label, li';

export const DIALOG_SELECTOR = '[role=dialog], [role=alertdialog], dialog[open], .el-dialog, .el-message-box, .el-drawer, .modal.show, .ant-modal';

/** Documents to search: this one and its same-origin iframes (a cross-origin one throws). */
export function searchableDocuments(doc: Document): Document[] {
  const documents = [doc];
  for (const frame of Array.from(doc.querySelectorAll('iframe, frame'))) {
    try {
      const inner = (frame as HTMLIFrameElement).contentDocument;
      if (inner && isVisible(frame)) documents.push(...searchableDocuments(inner));
    } catch {
      // cross-origin frame: not ours to touch
    }
  }
  return documents;
}

/**
 * The dialog on top, if one is open: dialogs are appended to <body>, so the last visible one in
 * document order is the one the cashier sees. Nested dialog parts (el-dialog inside its
 * overlay) collapse to the outermost match.
 */
export function topDialog(doc: Document): Element | null {
  const open = searchableDocuments(doc)
    .flatMap((d) => Array.from(d.querySelectorAll(DIALOG_SELECTOR)))
    .filter((el) => isVisible(el))
    .filter((el, _, all) => !all.some((other) => other !== el && other.contains(el)));
  return open.at(-1) ?? null;
}

export function ownText(element: Element): string {
  let text = '';
  for (const child of Array.from(element.childNodes)) if (child.nodeType === 3) text += child.textContent ?? '';
  return normalizeText(text);
}
