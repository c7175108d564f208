import type { Capture, LooseCapture } from './engine/capture-schema';
import { CAPTURE_OPTIONAL_FIELDS, captureFieldOk } from './engine/capture-field-checks';
import { isCardMasked, maskCard } from './core/mask';

/**
 * A capture checked field by field. The customer has paid when a success is on screen, so one
 * odd optional field (a card label followed by a sentence, a time with a note after it) must
 * never make the whole capture invalid: such a field is cut to what it plainly starts with, or
 * dropped, and named in `flags` ('FIELD_CUT:cardMasked', 'FIELD_DROPPED:settledAt') so a
 * supervisor looks at the settlement. Runs in the content script (before sending) and again in
 * the background (the message schema is loose on purpose); running it twice changes nothing.
 */
export interface CheckedCapture {
  capture: Capture;
  flags: string[];
}

const NUMBER_FIELDS = ['vendorOrderNo', 'storeOrderNo', 'originalVendorOrderNo'] as const;
const MONEY_FIELDS = ['totalFen', 'cardFen', 'cashFen'] as const;
/** longer than any card (19) or ID (18) number, with room for a prefix */
const MAX_ID_CHARS = 24;
/** a local date-time as portals print it, at the start of the text */
const LEADING_TIME = /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?/;

export function checkCaptureFields(raw: LooseCapture, earlierFlags: readonly string[] = []): CheckedCapture {
  const flags: string[] = [];
  const cut = (name: string) => flags.push(`FIELD_CUT:${name}`);
  const dropped = (name: string) => flags.push(`FIELD_DROPPED:${name}`);
  const capture: Capture = { kind: raw.kind, outcome: raw.outcome, rule: raw.rule.slice(0, 64) };

  for (const name of NUMBER_FIELDS) {
    const value = raw[name]?.trim();
    if (!value) continue;
    // numbers are one word: what follows a space is the page's next text, not the number
    const word = value.split(/\s/)[0] ?? '';
    if (captureFieldOk(name, word) && word) {
      capture[name] = word;
      if (word !== value) cut(name);
    } else dropped(name);
  }

  for (const name of MONEY_FIELDS) {
    const value = raw[name];
    if (value === undefined) continue;
    if (captureFieldOk(name, value)) capture[name] = value;
    else dropped(name);
  }

  const card = raw.cardMasked?.replace(/\s+/g, '');
  if (card) {
    // the number is the leading run of digits, letters and '*'; a sentence glued on is not
    const run = /^[0-9A-Za-z*]+/.exec(card)?.[0] ?? '';
    // No card or ID number is longer than MAX_ID_CHARS: a longer run is the number with the
    // page's next words masked into it (the masking ran over the whole cell): keep its start.
    const leading = run.length > MAX_ID_CHARS ? run.slice(0, MAX_ID_CHARS) : run;
    // never let an unmasked number through, whatever the page showed
    const masked = leading && !isCardMasked(leading) ? maskCard(leading) : leading;
    if (masked && captureFieldOk('cardMasked', masked)) {
      capture.cardMasked = masked;
      if (masked !== card) cut('cardMasked');
    } else dropped('cardMasked');
  }

  const settledAt = raw.settledAt?.trim();
  if (settledAt) {
    if (captureFieldOk('settledAt', settledAt)) capture.settledAt = settledAt;
    else {
      const leading = LEADING_TIME.exec(settledAt)?.[0];
      if (leading) {
        capture.settledAt = leading;
        cut('settledAt');
      } else dropped('settledAt');
    }
  }

  // the whole must now pass; if a field still does not, drop it rather than lose the capture
  // (plain checks equal to CaptureSchema's, field by field: this also runs in the content script, without zod)
  for (const name of CAPTURE_OPTIONAL_FIELDS) {
    if (capture[name] !== undefined && !captureFieldOk(name, capture[name])) {
      delete capture[name];
      dropped(name);
    }
  }
  return { capture, flags: [...new Set([...earlierFlags, ...flags])].slice(0, 20) };
}
