/**
 * Keyboard-wedge scan detection, as a pure state machine (no DOM), so it can be tested with
 * controlled timestamps. The DOM side lives in keyboard-wedge.ts.
 *
 * The problem: a USB gun types like a keyboard, and by the time we know a burst is a Yingke
 * ticket its first characters would already be in the page's input. So we *hold* keys that could
 * start a ticket and decide later:
 *  - a ticket always starts with an uppercase letter (`YK…|` or `[A-Z]{1,4}` + digits), so a
 *    burst that starts with anything else (a goods barcode, lowercase pinyin) is never touched;
 *  - held keys stay held while they arrive fast and still form a viable ticket prefix;
 *  - at the terminator (Enter/Tab) the held text goes to the caller's classifier: a ticket (even a
 *    malformed one) is consumed; anything else is given back to the page before the terminator;
 *  - when the burst stops being viable, or goes quiet for longer than the gap limit (a person
 *    typing a capital letter), the held text is given back to the page unchanged.
 */

/** Slowest gap between two gun keys we accept. Guns: 2–60 ms; people: ≥ ~80 ms; test jitter on
 * 2 busy cores reaches ~52 ms. 100 ms keeps scans whole under jitter; a person's capital letter
 * is merely delayed by at most this much. */
export const DEFAULT_MAX_GAP_MS = 100;
/**
 * Once a burst has shown it is a ticket (`YK…|`, or letters followed by 6+ digits), a busy page
 * may delay key events (a React re-render, a GC pause): gaps up to this long keep it whole. A
 * person does not type `YK1|` faster than the strict limit, so this never catches typing.
 */
export const COMMITTED_MAX_GAP_MS = 400;
/** The spec caps a scan at 1,200 characters; beyond that we stop holding. */
const MAX_HELD = 1300;

export interface KeyInput {
  /** KeyboardEvent.key */
  key: string;
  /** KeyboardEvent.code, used to recover the character when an IME reports 'Process' */
  code: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  /** ms, same clock for every event (KeyboardEvent.timeStamp) */
  timeStamp: number;
}

export type KeyDecision =
  /** let the page have this key */
  | { action: 'pass' }
  /** the key is ours; keep it from the page */
  | { action: 'hold' }
  /** give `text` to the page first (it was held), then let this key through */
  | { action: 'release-then-pass'; text: string }
  /** a complete scan ended by this terminator key: keep the key from the page */
  | { action: 'scan'; text: string };

export interface DetectorOptions {
  maxGapMs?: number;
  committedMaxGapMs?: number;
  /** true when the text is one of ours (a ticket, well formed or not); false gives it back */
  isTicketCandidate: (text: string) => boolean;
}

const SHIFTED_DIGITS = ')!@#$%^&*(';
const CODE_CHARS: Record<string, [string, string]> = {
  Minus: ['-', '_'],
  Equal: ['=', '+'],
  BracketLeft: ['[', '{'],
  BracketRight: [']', '}'],
  Backslash: ['\\', '|'],
  IntlBackslash: ['\\', '|'],
  Semicolon: [';', ':'],
  Quote: ["'", '"'],
  Comma: [',', '<'],
  Period: ['.', '>'],
  Slash: ['/', '?'],
  Backquote: ['`', '~'],
  Space: [' ', ' '],
  NumpadDecimal: ['.', '.'],
  NumpadAdd: ['+', '+'],
  NumpadSubtract: ['-', '-'],
  NumpadMultiply: ['*', '*'],
  NumpadDivide: ['/', '/'],
};

/**
 * The printable character a key event stands for. With a Chinese IME on, Chrome reports
 * `key === 'Process'` (keyCode 229): the character is then recovered from the physical key and
 * the shift state (a gun sends Shift for capitals and for `|`).
 */
export function characterOf(input: Pick<KeyInput, 'key' | 'code' | 'shiftKey'>): string | null {
  const { key, code, shiftKey } = input;
  if (key.length === 1) return key;
  if (key !== 'Process' && key !== 'Unidentified') return null;
  const letter = /^Key([A-Z])$/.exec(code);
  if (letter?.[1]) return shiftKey ? letter[1] : letter[1].toLowerCase();
  const digit = /^Digit([0-9])$/.exec(code);
  if (digit?.[1]) return shiftKey ? SHIFTED_DIGITS[Number(digit[1])] ?? null : digit[1];
  const numpad = /^Numpad([0-9])$/.exec(code);
  if (numpad?.[1]) return numpad[1];
  const pair = CODE_CHARS[code];
  return pair ? pair[shiftKey ? 1 : 0] : null;
}

export function isTerminator(input: Pick<KeyInput, 'key' | 'code'>): boolean {
  return input.key === 'Enter' || input.key === 'Tab' || input.code === 'Enter' || input.code === 'NumpadEnter' || input.code === 'Tab';
}

/** Could `text` still grow into something parseTicket would not call NOT_A_TICKET? */
export function isViableTicketPrefix(text: string): boolean {
  if (text.length === 0 || text.length > MAX_HELD) return false;
  // Full form (any version, so that a wrong version is reported, not leaked): YK<digits>|…
  if (/^Y(K\d*)?$/.test(text) || /^YK\d*\|/.test(text)) return true;
  // Bare order number: [A-Z]{1,4}[0-9]{8,28}
  return /^[A-Z]{1,4}\d{0,28}$/.test(text);
}

export class ScanDetector {
  private held = '';
  private lastKeyAt = Number.NEGATIVE_INFINITY;
  /** inside a fast burst the page already owns (e.g. a goods barcode) */
  private passingBurst = false;
  private readonly maxGapMs: number;
  private readonly committedMaxGapMs: number;

  constructor(private readonly options: DetectorOptions) {
    this.maxGapMs = options.maxGapMs ?? DEFAULT_MAX_GAP_MS;
    this.committedMaxGapMs = Math.max(this.maxGapMs, options.committedMaxGapMs ?? COMMITTED_MAX_GAP_MS);
  }

  /** The gap allowed after what is held now: strict until the burst looks like a ticket. */
  private gapLimit(): number {
    return /^YK\d*\|/.test(this.held) || /^[A-Z]{1,4}\d{6,}$/.test(this.held) ? this.committedMaxGapMs : this.maxGapMs;
  }

  get isHolding(): boolean {
    return this.held.length > 0;
  }

  /** When held text must be given back if no key comes (for the caller's timer). */
  get releaseDeadline(): number | null {
    return this.held ? this.lastKeyAt + this.gapLimit() : null;
  }

  onKeyDown(input: KeyInput): KeyDecision {
    const gap = input.timeStamp - this.lastKeyAt;
    const fast = gap <= (this.held ? this.gapLimit() : this.maxGapMs);

    if (input.ctrlKey || input.altKey || input.metaKey) return this.endBurst(input.timeStamp);

    if (isTerminator(input)) {
      const text = this.held;
      this.reset(input.timeStamp);
      if (!text) return { action: 'pass' };
      if (fast && this.options.isTicketCandidate(text)) return { action: 'scan', text };
      return { action: 'release-then-pass', text };
    }

    const char = characterOf(input);
    if (char === null) {
      // Shift alone is part of how a gun types capitals: it changes nothing.
      if (input.key === 'Shift') return this.held ? { action: 'hold' } : { action: 'pass' };
      return this.endBurst(input.timeStamp);
    }

    if (this.held) {
      if (fast && isViableTicketPrefix(this.held + char)) {
        this.held += char;
        this.lastKeyAt = input.timeStamp;
        return { action: 'hold' };
      }
      const text = this.held;
      this.held = '';
      this.passingBurst = fast;
      this.lastKeyAt = input.timeStamp;
      return { action: 'release-then-pass', text };
    }

    const continuesPassingBurst = this.passingBurst && fast;
    this.lastKeyAt = input.timeStamp;
    if (!continuesPassingBurst && isViableTicketPrefix(char)) {
      this.passingBurst = false;
      this.held = char;
      return { action: 'hold' };
    }
    this.passingBurst = true;
    return { action: 'pass' };
  }

  /** The timer fired: if the burst went quiet, hand the held text back to the page. */
  onIdle(now: number): string | null {
    if (!this.held || now - this.lastKeyAt < this.gapLimit()) return null;
    const text = this.held;
    this.reset(this.lastKeyAt);
    return text;
  }

  private endBurst(now: number): KeyDecision {
    const text = this.held;
    this.reset(now);
    return text ? { action: 'release-then-pass', text } : { action: 'pass' };
  }

  private reset(now: number): void {
    this.held = '';
    this.passingBurst = false;
    this.lastKeyAt = now;
  }
}
