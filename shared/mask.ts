/**
 * Card and ID numbers leave the content script masked: at most the first 6 and last 4
 * characters visible, the rest '*'. Short values keep proportionally less.
 */
export function maskIdentifier(raw: string): string {
  const value = raw.replace(/\s+/g, '');
  if (value.length === 0) return '';
  if (value.length <= 4) return '*'.repeat(value.length);
  // Card and ID numbers (16+ characters) show the usual first 6 / last 4; shorter values show at
  // most half, so a short number is not effectively disclosed.
  const visible = value.length >= 16 ? 10 : Math.floor(value.length / 2);
  const tail = value.length >= 16 ? 4 : Math.min(4, Math.floor(visible / 2));
  const head = Math.min(6, visible - tail);
  return value.slice(0, head) + '*'.repeat(value.length - head - tail) + (tail > 0 ? value.slice(-tail) : '');
}

/** True when no run of visible characters could reveal more than first-6/last-4. */
export function isMasked(value: string): boolean {
  const match = /^([^*]{0,6})(\*+)([^*]{0,4})$/.exec(value);
  return match !== null || /^\**$/.test(value);
}
