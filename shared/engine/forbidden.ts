/**
 * The final pay button is the customer's and the cashier's, never the extension's. A click is
 * forbidden when any text the button shows or announces (its text, value, aria-label, title)
 * *contains* one of these words — 「确认支付 ¥12.00」, 「立即支付」, 「去付款」 all count — whatever
 * the portal definition, a pack or a locator override points at. A portal adds its own words
 * (providers' `forbidden.click`), matched the same way. Pure: no DOM here.
 */
export const FORBIDDEN_CLICK_WORDS: readonly string[] = [
  '确认支付',
  '确定支付',
  '立即支付',
  '支付',
  '付款',
  '结账',
  '结帐',
  '買單',
  '买单',
  '結帳',
  '結賬',
];

/** Latin words, matched as whole words, case-insensitively ("Pay now", "CHECKOUT"). */
const FORBIDDEN_LATIN = /\b(pay|payment|checkout|check out)\b/i;

/** Full-width forms folded, all spaces removed: 「支 付」 and 「支付」 are the same button. */
function fold(text: string): string {
  return text.normalize('NFKC').replace(/[\s\u00a0\u3000\u200b-\u200d\ufeff]+/g, '');
}

/**
 * The word that makes clicking a button with these texts forbidden, or null. `extraWords` are
 * the portal's own (matched as contained words too); empty ones are ignored.
 */
export function forbiddenClickWord(texts: ReadonlyArray<string | null | undefined>, extraWords: readonly string[] = []): string | null {
  const words = [...FORBIDDEN_CLICK_WORDS, ...extraWords].map(fold).filter((w) => w !== '');
  for (const raw of texts) {
    if (!raw) continue;
    const folded = fold(raw);
    const hit = words.find((word) => folded.includes(word));
    if (hit) return hit;
    const latin = FORBIDDEN_LATIN.exec(raw.normalize('NFKC'));
    if (latin) return latin[1]!.toLowerCase();
  }
  return null;
}
