/**
 * The host element of one of the extension's own panels on a portal page (the overlay, the teach
 * panel), with a closed shadow root: the page gets null from host.shadowRoot, and only this object
 * holds the root. Made on first use, and again if the page removed it.
 */
export class ClosedHost {
  private element: HTMLElement | null = null;
  private root: ShadowRoot | null = null;

  constructor(
    private readonly doc: Document,
    private readonly tag: string,
  ) {}

  get host(): HTMLElement | null {
    return this.element;
  }

  ensure(): ShadowRoot {
    if (this.root && this.element?.isConnected) return this.root;
    const element = this.doc.createElement(this.tag);
    const root = element.attachShadow({ mode: 'closed' });
    (this.doc.body ?? this.doc.documentElement).append(element);
    this.element = element;
    this.root = root;
    return root;
  }

  remove(): void {
    this.element?.remove();
    this.element = null;
    this.root = null;
  }
}
