import { t } from '@/shared/i18n';
import { ClosedHost } from './closed-host';

/**
 * Teach mode's panel: top right (the cashier's overlay keeps the bottom right), in a closed
 * shadow root on a host with `all: initial`, like the overlay, so neither the page's styles nor
 * its scripts reach in. It shows one question at a time and, at the end, the pack.
 */
export interface TeachPanelContent {
  counter: string;
  prompt: string;
  hint?: string;
  feedback?: string;
  /** the pack, shown as text at the end */
  code?: string;
  actions: Array<{ label: string; onClick: () => void }>;
}

const HOST_TAG = 'tenderbridge-teach';

const STYLE = `
:host { all: initial; position: fixed; top: 16px; right: 16px; z-index: 2147483647; }
.panel { font: 17px/1.5 "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", sans-serif; color: #1f2328;
  background: #fff; border-left: 8px solid #8250df; border-radius: 8px; box-shadow: 0 6px 24px rgba(0,0,0,.25);
  padding: 12px 16px; width: 380px; max-width: calc(100vw - 48px); }
header { display: flex; justify-content: space-between; font-size: 14px; color: #59636e; }
h1 { font-size: 21px; margin: 6px 0 8px; }
p { margin: 0 0 6px; }
.hint { font-size: 14px; color: #59636e; }
.feedback { font-size: 15px; color: #1a7f37; }
pre { font: 12px/1.4 ui-monospace, Consolas, monospace; max-height: 240px; overflow: auto; background: #f6f8fa; padding: 8px; white-space: pre-wrap; word-break: break-all; }
.actions { display: flex; gap: 10px; margin-top: 8px; }
button { font: inherit; font-size: 16px; padding: 6px 14px; border-radius: 6px; border: 1px solid #d0d7de; background: #f6f8fa; cursor: pointer; }
`;

export class TeachPanel {
  private readonly shell: ClosedHost;

  constructor(
    private readonly doc: Document,
    signal: AbortSignal,
  ) {
    this.shell = new ClosedHost(doc, HOST_TAG);
    signal.addEventListener('abort', () => this.hide(), { once: true });
  }

  /** True for an event that happened inside the panel (its own buttons are not answers). */
  owns(event: Event): boolean {
    return this.shell.host !== null && event.composedPath().includes(this.shell.host);
  }

  show(content: TeachPanelContent): void {
    const root = this.shell.ensure();
    const panel = this.doc.createElement('section');
    panel.className = 'panel';
    panel.setAttribute('role', 'dialog');
    panel.setAttribute('aria-label', t('tch_title'));
    const header = this.doc.createElement('header');
    header.append(this.text('span', t('tch_title')), this.text('span', content.counter));
    const prompt = this.text('h1', content.prompt);
    prompt.setAttribute('aria-live', 'polite');
    panel.append(header, prompt);
    if (content.feedback) panel.append(this.text('p', content.feedback, 'feedback'));
    if (content.hint) panel.append(this.text('p', content.hint, 'hint'));
    if (content.code) panel.append(this.text('pre', content.code));
    const actions = this.doc.createElement('div');
    actions.className = 'actions';
    for (const action of content.actions) {
      const button = this.text('button', action.label);
      button.setAttribute('type', 'button');
      button.addEventListener('click', action.onClick, { once: true });
      actions.append(button);
    }
    panel.append(actions);
    const style = this.doc.createElement('style');
    style.textContent = STYLE;
    root.replaceChildren(style, panel);
  }

  hide(): void {
    this.shell.remove();
  }


  private text(tag: string, content: string, className?: string): HTMLElement {
    const element = this.doc.createElement(tag);
    element.textContent = content;
    if (className) element.className = className;
    return element;
  }
}
