/**
 * A host element with a closed shadow root for the extension's own panels on a portal page
 * (the overlay, the teach panel): the page gets null from host.shadowRoot, and only the caller
 * holds the root.
 */
export function attachClosedHost(doc: Document, tag: string): { host: HTMLElement; root: ShadowRoot } {
  const host = doc.createElement(tag);
  const root = host.attachShadow({ mode: 'closed' });
  (doc.body ?? doc.documentElement).append(host);
  return { host, root };
}
