import { cleanText, labelOf } from '@/shared/teach/locator';

/**
 * 「复制诊断信息」: a redacted outline of the portal page at a stop, for support to turn into a
 * pack remotely. Structure and labels only: frames, dialogs, headings, wizard steps, the fields'
 * labels / placeholders / names / roles, table headers, button texts, and where the flow stopped.
 * Never an input's value, never a table body cell, and any run of 6+ digits (card, ID, phone,
 * order numbers) is blanked even inside a label.
 */
export interface StopContext {
  code?: string;
  title?: string;
  message?: string;
  step?: string;
  target?: string;
}

export interface PageOutline {
  format: 'tenderbridge-diagnostics/1';
  at: string;
  page: { path: string; title: string };
  stop: StopContext;
  frames: FrameOutline[];
}

export interface FrameOutline {
  frame: string;
  sameOrigin: boolean;
  headings: string[];
  steps: string[];
  dialogs: string[];
  fields: Array<{ tag: string; type?: string; label?: string; placeholder?: string; name?: string; role?: string; disabled?: boolean }>;
  tables: string[][];
  buttons: string[];
}

const MAX_ITEMS = 80;

/** Blanks anything that may be someone's number; cuts long text. */
export function redact(text: string | null | undefined): string {
  return cleanText(text)
    .replace(/[0-9Xx][0-9\s-]{4,}[0-9Xx]/g, (run) => (run.replace(/\D/g, '').length >= 6 ? '[#]' : run))
    .slice(0, 60);
}

function list(values: Iterable<string>): string[] {
  const out: string[] = [];
  for (const value of values) if (value && !out.includes(value) && out.length < MAX_ITEMS) out.push(value);
  return out;
}

const CONTROLS = 'input:not([type=hidden]):not([type=button]):not([type=submit]):not([type=reset]), textarea, select, [contenteditable=true], [role=textbox], [role=combobox], [role=spinbutton]';
const BUTTONS = 'button, [role=button], input[type=button], input[type=submit], a.btn, .el-button, .layui-btn';
const DIALOGS = '[role=dialog], [role=alertdialog], dialog, .el-dialog, .el-message-box, .ant-modal, .layui-layer';

function outlineFrame(doc: Document, frame: string): FrameOutline {
  const texts = (selector: string) => list(Array.from(doc.querySelectorAll(selector)).map((el) => redact(el.textContent)));
  const fields = Array.from(doc.querySelectorAll(CONTROLS))
    .slice(0, MAX_ITEMS)
    .map((el) => {
      const type = el.getAttribute('type') ?? undefined;
      return {
        tag: el.tagName.toLowerCase(),
        ...(type ? { type } : {}),
        ...(labelOf(el) ? { label: redact(labelOf(el)) } : {}),
        ...(el.getAttribute('placeholder') ? { placeholder: redact(el.getAttribute('placeholder')) } : {}),
        ...(el.getAttribute('name') ? { name: redact(el.getAttribute('name')) } : {}),
        ...(el.getAttribute('role') ? { role: el.getAttribute('role') ?? '' } : {}),
        ...((el as HTMLInputElement).disabled ? { disabled: true } : {}),
      };
    });
  const tables = Array.from(doc.querySelectorAll('tr'))
    .filter((row) => row.querySelector('th, [role=columnheader]'))
    .map((row) => Array.from(row.querySelectorAll('th, td, [role=columnheader]')).map((cell) => redact(cell.textContent)))
    .filter((headers, i, all) => headers.some(Boolean) && all.findIndex((h) => h.join('|') === headers.join('|')) === i)
    .slice(0, 20);
  const buttons = list(
    Array.from(doc.querySelectorAll(BUTTONS)).map((el) => redact(el instanceof doc.defaultView!.HTMLInputElement ? el.value : el.textContent)),
  );
  const dialogs = list(
    Array.from(doc.querySelectorAll(DIALOGS)).map((el) =>
      redact(el.getAttribute('aria-label') ?? el.querySelector('.el-dialog__title, .el-message-box__title, .ant-modal-title, .layui-layer-title, h1, h2, h3, header')?.textContent ?? ''),
    ),
  );
  return {
    frame,
    sameOrigin: true,
    headings: texts('h1, h2, h3, h4, .el-page-header__content, .ant-page-header-heading-title, .el-breadcrumb, .layui-this'),
    steps: texts('.el-step.is-process .el-step__title, .el-step__title.is-process, .ant-steps-item-active .ant-steps-item-title, [aria-current=step]'),
    dialogs,
    fields,
    tables,
    buttons,
  };
}

export function pageOutline(doc: Document, stop: StopContext, now: Date = new Date()): PageOutline {
  const frames: FrameOutline[] = [];
  const visit = (d: Document, name: string) => {
    frames.push(outlineFrame(d, name));
    Array.from(d.querySelectorAll('iframe, frame')).forEach((frame, i) => {
      const label = `${name}/frame${i + 1}`;
      let inner: Document | null = null;
      try {
        inner = (frame as HTMLIFrameElement).contentDocument;
      } catch {
        inner = null;
      }
      if (inner?.documentElement) visit(inner, label);
      else frames.push({ frame: label, sameOrigin: false, headings: [], steps: [], dialogs: [], fields: [], tables: [], buttons: [] });
    });
  };
  visit(doc, 'top');
  const view = doc.defaultView;
  return {
    format: 'tenderbridge-diagnostics/1',
    at: now.toISOString(),
    page: { path: redact(`${view?.location.pathname ?? ''}${(view?.location.hash ?? '').split('?')[0] ?? ''}`), title: redact(doc.title) },
    stop: {
      ...(stop.code ? { code: stop.code } : {}),
      ...(stop.title ? { title: redact(stop.title) } : {}),
      ...(stop.message ? { message: redact(stop.message) } : {}),
      ...(stop.step ? { step: stop.step } : {}),
      ...(stop.target ? { target: redact(stop.target) } : {}),
    },
    frames,
  };
}

/** Puts the outline on the clipboard (the overlay's button click is the user gesture it needs). */
export async function copyDiagnostics(doc: Document, stop: StopContext): Promise<boolean> {
  const text = JSON.stringify(pageOutline(doc, stop), null, 2);
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // a page that denies clipboard-write: the old way, from a hidden textarea
    const area = doc.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.cssText = 'position:fixed;left:-9999px;top:0';
    (doc.body ?? doc.documentElement).append(area);
    area.select();
    const copied = doc.execCommand('copy');
    area.remove();
    return copied;
  }
}
