import { afterEach, beforeEach, vi } from 'vitest';

/** Puts `html` in the test document's body and returns the document (happy-dom). */
export function page(html: string): Document {
  document.body.innerHTML = html;
  return document;
}

/** An empty body before each test and no spy left after it. */
export function freshDomEachTest(): void {
  beforeEach(() => {
    document.body.innerHTML = '';
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
}
