/**
 * Store-local time. The chain's stores are all in Sichuan (UTC+08:00, no daylight saving), and
 * Yingke, the portals and the bridge all speak that time, so the extension does too, whatever the
 * computer's time zone is set to.
 */
const STORE_OFFSET_MS = 8 * 60 * 60 * 1000;

function storeClock(ms: number): Date {
  return new Date(ms + STORE_OFFSET_MS);
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** 'YYYY-MM-DD' of the store's calendar day. */
export function storeDay(ms: number): string {
  const d = storeClock(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** ISO-8601 with the +08:00 offset, e.g. 2025-03-28T10:15:00+08:00. */
export function storeIso(ms: number): string {
  const d = storeClock(ms);
  return `${storeDay(ms)}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+08:00`;
}

/** 'YYYY-MM' of the store's calendar month. */
export function storeMonth(ms: number): string {
  return storeDay(ms).slice(0, 7);
}
