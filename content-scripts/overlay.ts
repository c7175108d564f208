import { t } from '@/shared/i18n';
import { ClosedHost } from './closed-host';

/**
 * The in-page feedback panel: a host element with its own *closed* shadow root. `all: initial` on
 * the host stops the page's styles from reaching in; the shadow root keeps ours from leaking out.
 * Closed, because the portal page shares this DOM: with an open root a page script could read the
 * order and amounts, or press 「仍然填写」 for the cashier. The root is held only here (in the
 * content script's isolated world); `host.shadowRoot` is null for the page. Actions run only on
 * trusted clicks (a person's mouse or keyboard); a script's click is refused and reported.
 * The host carries data-kind / data-code (state codes only, no customer data) so tests and
 * support can read its state.
 */
export type OverlayKind = 'busy' | 'info' | 'success' | 'warning' | 'error';

export interface OverlayAction {
  label: string;
  primary?: boolean;
  onClick: () => void;
}

export interface OverlayContent {
  kind: OverlayKind;
  /** machine-readable state, e.g. an error code */
  code?: string;
  title: string;
  lines?: ReadonlyArray<readonly [label: string, value: string]>;
  message?: string;
  actions?: OverlayAction[];
  /** for support's diagnostics: the flow step reached and the target that failed */
  stop?: { step?: string; target?: string };
}

const HOST_TAG = 'tenderbridge-overlay';

/** Called when something that is not a person (a page script's click) tried an overlay button. */
export type UntrustedClickReport = (label: string) => void;

const STYLE = `
:host { all: initial; position: fixed; bottom: 16px; right: 16px; z-index: 2147483647; }
.panel { font: 18px/1.5 "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", sans-serif; color: #1f2328;
  background: #fff; border-left: 8px solid #409eff; border-radius: 8px; box-shadow: 0 6px 24px rgba(0,0,0,.25);
  padding: 14px 18px; width: 360px; max-width: calc(100vw - 48px); }
.panel[data-kind=success] { border-color: #2da44e; }
.panel[data-kind=warning] { border-color: #e6a23c; }
.panel[data-kind=error] { border-color: #d1242f; }
header { display: flex; justify-content: space-between; align-items: center; font-size: 14px; color: #59636e; }
.close { all: unset; cursor: pointer; font-size: 14px; padding: 2px 6px; }
h1 { font-size: 22px; margin: 4px 0 8px; }
dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 12px; margin: 0 0 8px; }
dt { color: #59636e; } dd { margin: 0; font-weight: 600; word-break: break-all; }
p { margin: 0 0 8px; }
.actions { display: flex; gap: 10px; margin-top: 8px; }
button.act { font: inherit; font-size: 18px; padding: 8px 16px; border-radius: 6px; border: 1px solid #d0d7de;
  background: #f6f8fa; cursor: pointer; }
button.act.primary { background: #409eff; border-color: #409eff; color: #fff; }
.panel[data-kind=warning] button.act.primary { background: #e6a23c; border-color: #e6a23c; }
`;

/** Good news steps aside by itself (it sits over the portal's page); problems stay until read. */
const AUTO_HIDE_MS = 10_000;

export class Overlay {
  private readonly shell: ClosedHost;
  private hideTimer: ReturnType<typeof setTimeout> | undefined;
  /** set by the portal page: every stop of a fill then offers 「复制诊断信息」 (content-scripts/diagnostics.ts) */
  onDiagnostics?: (content: OverlayContent) => void;

  constructor(
    private readonly doc: Document,
    signal: AbortSignal,
    private readonly onUntrustedClick: UntrustedClickReport = () => {},
  ) {
    this.shell = new ClosedHost(doc, HOST_TAG);
    signal.addEventListener('abort', () => this.hide(), { once: true });
  }

  show(content: OverlayContent): void {
    const root = this.shell.ensure();
    const host = this.shell.host;
    if (!host) return;
    host.dataset.kind = content.kind;
    if (content.code) host.dataset.code = content.code;
    else delete host.dataset.code;

    const panel = this.el('section', { class: 'panel', role: content.kind === 'error' ? 'alert' : 'status' });
    panel.dataset.kind = content.kind;
    const header = this.el('header');
    header.append(this.text('span', t('ov_title')));
    const close = this.el('button', { class: 'close', type: 'button', 'aria-label': t('ov_close') });
    close.textContent = '✕';
    this.onTrustedClick(close, t('ov_close'), () => this.hide());
    header.append(close);
    panel.append(header, this.text('h1', content.title));

    if (content.lines?.length) {
      const list = this.el('dl');
      for (const [label, value] of content.lines) list.append(this.text('dt', label), this.text('dd', value));
      panel.append(list);
    }
    if (content.message) panel.append(this.text('p', content.message));
    const onDiagnostics = this.onDiagnostics;
    const allActions =
      content.kind === 'error' && content.stop && onDiagnostics ? [...(content.actions ?? []), { label: t('ov_copy_diagnostics'), onClick: () => onDiagnostics(content) }] : content.actions;
    if (allActions?.length) {
      const actions = this.el('div', { class: 'actions' });
      for (const action of allActions) {
        const button = this.el('button', { class: action.primary ? 'act primary' : 'act', type: 'button' });
        button.textContent = action.label;
        this.onTrustedClick(button, action.label, action.onClick, { once: true });
        actions.append(button);
      }
      panel.append(actions);
    }
    root.replaceChildren(this.styleElement(), panel);
    clearTimeout(this.hideTimer);
    if ((content.kind === 'success' || content.kind === 'info') && !content.actions?.length) {
      this.hideTimer = setTimeout(() => this.hide(), AUTO_HIDE_MS);
    }
  }

  hide(): void {
    clearTimeout(this.hideTimer);
    this.shell.remove();
  }


  /**
   * Runs `act` on a person's click only. A synthetic click (element.click(), dispatchEvent) has
   * isTrusted false: it is refused and reported, and does not use up a once-only action.
   */
  private onTrustedClick(button: HTMLElement, label: string, act: () => void, options: { once?: boolean } = {}): void {
    let done = false;
    button.addEventListener('click', (event) => {
      if (!event.isTrusted) {
        event.stopImmediatePropagation();
        this.onUntrustedClick(label);
        return;
      }
      if (done) return;
      if (options.once) done = true;
      act();
    });
  }

  private styleElement(): HTMLStyleElement {
    const style = this.doc.createElement('style');
    style.textContent = STYLE;
    return style;
  }

  private el(tag: string, attributes: Record<string, string> = {}): HTMLElement {
    const element = this.doc.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    return element;
  }

  private text(tag: string, content: string): HTMLElement {
    const element = this.doc.createElement(tag);
    element.textContent = content;
    return element;
  }
}
