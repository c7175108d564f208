// Typing into the focused element of a page the way the hardware does, for scanner tests:
// a USB gun (fast real key events), the same gun with a Chinese IME on (Chrome then reports
// key 'Process' / keyCode 229 on keydown), and a person (slow keys).
// Events go through CDP Input.dispatchKeyEvent, so they are trusted and reach the page like real
// keys. Real gaps on 2 busy cores run 14–52 ms for a nominal 10 ms (toolchain.md); pass
// `exactTimestamps` to stamp every event at exactly the nominal spacing instead.

/** @import { CDPSession, KeyInput, Page, Protocol } from 'puppeteer-core' */
/** @typedef {Protocol.Input.DispatchKeyEventRequest} KeyEventRequest */

/** CDP modifier bit for Shift. */
export const SHIFT = 8;

/**
 * A physical key on a US layout (what a keyboard-wedge gun emulates).
 * @typedef {object} KeyDef
 * @property {string} key KeyboardEvent.key for the character.
 * @property {string} code KeyboardEvent.code (physical key).
 * @property {number} keyCode Windows virtual key code.
 * @property {boolean} shift Whether Shift is held for it.
 * @property {string} [text] What it inserts (none for Tab).
 */

/** @type {Readonly<Record<string, [code: string, keyCode: number]>>} unshifted punctuation */
const PUNCTUATION = Object.freeze({
  '-': ['Minus', 189],
  '=': ['Equal', 187],
  '[': ['BracketLeft', 219],
  ']': ['BracketRight', 221],
  '\\': ['Backslash', 220],
  ';': ['Semicolon', 186],
  "'": ['Quote', 222],
  ',': ['Comma', 188],
  '.': ['Period', 190],
  '/': ['Slash', 191],
  '`': ['Backquote', 192],
  ' ': ['Space', 32],
});
/** @type {Readonly<Record<string, string>>} shifted punctuation → the same key unshifted */
const SHIFTED_PUNCTUATION = Object.freeze({
  _: '-', '+': '=', '{': '[', '}': ']', '|': '\\', ':': ';', '"': "'", '<': ',', '>': '.', '?': '/', '~': '`',
});
const SHIFTED_DIGITS = ')!@#$%^&*(';

/** @type {Readonly<Record<'Enter' | 'Tab', KeyDef>>} */
export const TERMINATOR_KEYS = Object.freeze({
  Enter: { key: 'Enter', code: 'Enter', keyCode: 13, shift: false, text: '\r' },
  Tab: { key: 'Tab', code: 'Tab', keyCode: 9, shift: false },
});

/**
 * The US-layout key that types `char`, or undefined for characters no key types (CJK, …).
 * @param {string} char
 * @returns {KeyDef | undefined}
 */
export function keyDefFor(char) {
  if (/^[a-z]$/.test(char)) return { key: char, code: `Key${char.toUpperCase()}`, keyCode: char.toUpperCase().charCodeAt(0), shift: false, text: char };
  if (/^[A-Z]$/.test(char)) return { key: char, code: `Key${char}`, keyCode: char.charCodeAt(0), shift: true, text: char };
  if (/^[0-9]$/.test(char)) return { key: char, code: `Digit${char}`, keyCode: char.charCodeAt(0), shift: false, text: char };
  const shiftedDigit = SHIFTED_DIGITS.indexOf(char);
  if (shiftedDigit >= 0) return { key: char, code: `Digit${shiftedDigit}`, keyCode: 48 + shiftedDigit, shift: true, text: char };
  const plain = PUNCTUATION[char];
  if (plain) return { key: char, code: plain[0], keyCode: plain[1], shift: false, text: char };
  const base = SHIFTED_PUNCTUATION[char];
  const shifted = base === undefined ? undefined : PUNCTUATION[base];
  if (shifted) return { key: char, code: shifted[0], keyCode: shifted[1], shift: true, text: char };
  return undefined;
}

/**
 * @typedef {object} ScanOptions
 * @property {number} [gapMs] A pace: pause after each key (person default 120 ms; a gun without one
 *   queues its keys at once, see gunBurst). Real gaps between keydowns are this plus the CDP round trip.
 * @property {'Enter' | 'Tab' | null} [terminator] Key sent after the text (default 'Enter'; null: none).
 * @property {boolean} [shiftEvents] Also press/release Shift around shifted characters, as a real
 *   gun does (default false: shift only as a modifier on the character's events).
 * @property {boolean} [exactTimestamps] Stamp events (KeyboardEvent.timeStamp) at exactly gapMs
 *   apart, starting now, whatever the real delivery jitter. Real timers in the page still see the
 *   real timing, so keep gapMs well under any idle timeout the page runs.
 */

/**
 * @typedef {object} ImeScanOptions
 * @property {number} [gapMs]
 * @property {'Enter' | 'Tab' | null} [terminator]
 * @property {boolean} [shiftEvents]
 * @property {boolean} [exactTimestamps]
 * @property {boolean} [imeTerminator] Whether the terminator's keydown is also reported as
 *   'Process' (default true: with a composition open the IME takes Enter too).
 */

/**
 * @typedef {object} TypingReport
 * @property {number} keys Key presses dispatched (characters, Shift presses, terminator).
 * @property {number} durationMs Wall time of the whole burst.
 * @property {number[]} gapsMs Real wall-clock gaps between successive character keydowns.
 */

/** One CDP session per page, reused across calls. */
/** @type {WeakMap<Page, Promise<CDPSession>>} */
const sessions = new WeakMap();

/**
 * @param {Page} page
 * @returns {Promise<CDPSession>}
 */
function sessionFor(page) {
  let session = sessions.get(page);
  if (!session) {
    session = page.createCDPSession();
    sessions.set(page, session);
  }
  return session;
}

/**
 * @param {number} ms
 * @returns {Promise<void>}
 */
const sleep = (ms) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

/**
 * Drives one burst. `pressChar` dispatches one character; the rest (Shift, timing, terminator,
 * report) is shared by the three typists.
 * @param {Page} page
 * @param {string} text
 * @param {{ gapMs: number, terminator: 'Enter' | 'Tab' | null, shiftEvents: boolean, exactTimestamps: boolean, burst?: boolean,
 *   defFor: (char: string) => KeyDef | undefined,
 *   pressChar: (send: (req: KeyEventRequest) => Promise<void>, def: KeyDef, char: string) => Promise<void>,
 *   pressTerminator: (send: (req: KeyEventRequest) => Promise<void>, def: KeyDef) => Promise<void>,
 *   fallback?: (session: CDPSession, char: string) => Promise<void> }} how
 * @returns {Promise<TypingReport>}
 */
async function drive(page, text, how) {
  const session = await sessionFor(page);
  const startedWall = Date.now();
  const started = performance.now();
  let step = 0;
  let keys = 0;
  /** @type {Promise<unknown>[]} */
  const inFlight = [];
  /** @param {KeyEventRequest} req */
  const send = async (req) => {
    // CDP timestamps are seconds since the epoch; Chrome maps them onto the event's timeStamp.
    const stamped = how.exactTimestamps ? { ...req, timestamp: (startedWall + step * how.gapMs) / 1000 } : req;
    const sent = session.send('Input.dispatchKeyEvent', stamped);
    // a burst queues every event in order (CDP keeps a session's commands in order) and waits at the end
    if (how.burst) inFlight.push(sent);
    else await sent;
  };
  /** @param {KeyDef} def @param {'down' | 'up'} dir */
  const shiftKey = (def, dir) =>
    send({
      type: dir === 'down' ? 'rawKeyDown' : 'keyUp',
      key: 'Shift',
      code: 'ShiftLeft',
      windowsVirtualKeyCode: 16,
      nativeVirtualKeyCode: 16,
      location: 1,
      modifiers: dir === 'down' ? SHIFT : 0,
    });
  /** @type {number[]} */
  const downs = [];
  for (const char of text) {
    const def = how.defFor(char);
    downs.push(performance.now());
    if (!def) {
      if (!how.fallback) throw new Error(`no key types ${JSON.stringify(char)} on a US layout`);
      await how.fallback(session, char);
      keys += 1;
    } else {
      if (how.shiftEvents && def.shift) await shiftKey(def, 'down');
      await how.pressChar(send, def, char);
      if (how.shiftEvents && def.shift) await shiftKey(def, 'up');
      keys += def.shift && how.shiftEvents ? 2 : 1;
    }
    step += 1;
    if (!how.burst) await sleep(how.gapMs);
  }
  if (how.terminator) {
    downs.push(performance.now());
    await how.pressTerminator(send, TERMINATOR_KEYS[how.terminator]);
    keys += 1;
  }
  await Promise.all(inFlight);
  return {
    keys,
    durationMs: Math.round(performance.now() - started),
    gapsMs: downs.slice(1).map((t, i) => Math.round(t - (downs[i] ?? t))),
  };
}

/**
 * keyDown (with text: Chrome derives the keypress/char from it), then keyUp.
 * @param {(req: KeyEventRequest) => Promise<void>} send
 * @param {KeyDef} def
 */
async function pressReal(send, def) {
  const modifiers = def.shift ? SHIFT : 0;
  const common = { key: def.key, code: def.code, windowsVirtualKeyCode: def.keyCode, nativeVirtualKeyCode: def.keyCode, modifiers };
  await send(def.text === undefined ? { type: 'rawKeyDown', ...common } : { type: 'keyDown', ...common, text: def.text, unmodifiedText: def.text });
  await send({ type: 'keyUp', ...common });
}

/**
 * What Chrome delivers with a Chinese IME on: keydown is key 'Process' / keyCode 229 with the
 * physical code and shift state, no text is inserted, keyup carries the real key.
 * @param {(req: KeyEventRequest) => Promise<void>} send
 * @param {KeyDef} def
 */
async function pressIme(send, def) {
  const modifiers = def.shift ? SHIFT : 0;
  await send({ type: 'rawKeyDown', key: 'Process', code: def.code, windowsVirtualKeyCode: 229, nativeVirtualKeyCode: 229, modifiers });
  await send({ type: 'keyUp', key: def.key, code: def.code, windowsVirtualKeyCode: def.keyCode, nativeVirtualKeyCode: def.keyCode, modifiers });
}

/**
 * A USB keyboard-wedge gun: each character one keyDown (+char) and keyUp, then the terminator;
 * queued at once (see gunBurst), or `gapMs` apart when a test gives a pace.
 * @param {Page} page Keys go to its focused element.
 * @param {string} text ASCII only (what a gun can type).
 * @param {ScanOptions} [options]
 * @returns {Promise<TypingReport>}
 */
export function gunScan(page, text, options = {}) {
  const { gapMs = 8, terminator = 'Enter', shiftEvents = false, exactTimestamps = false } = options;
  const burst = gunBurst(options);
  return drive(page, text, { gapMs, terminator, shiftEvents, exactTimestamps, burst, defFor: keyDefFor, pressChar: pressReal, pressTerminator: pressReal });
}

/**
 * A gun's timing does not depend on the CPU: the hardware types at its own pace and the OS queues
 * the keys in order. Awaiting a CDP round trip per key instead lets a busy test machine open gaps
 * of 90–110 ms between keys (measured with two busy loops on 2 cores), longer than any gun's. So
 * unless a test asks for a pace (`gapMs`) or exact stamps, the gun's keys are queued at once, in
 * order, as a busy PC hands a gun's burst to the browser.
 * @param {ScanOptions} options
 */
function gunBurst(options) {
  return options.gapMs === undefined && !options.exactTimestamps;
}

/**
 * The same gun with a Chinese IME active: keydowns arrive as 'Process' (229), nothing is typed.
 * @param {Page} page
 * @param {string} text ASCII only.
 * @param {ImeScanOptions} [options]
 * @returns {Promise<TypingReport>}
 */
export function imeGunScan(page, text, options = {}) {
  const { gapMs = 8, terminator = 'Enter', shiftEvents = false, exactTimestamps = false, imeTerminator = true } = options;
  return drive(page, text, {
    gapMs,
    terminator,
    shiftEvents,
    exactTimestamps,
    burst: gunBurst(options),
    defFor: keyDefFor,
    pressChar: pressIme,
    pressTerminator: imeTerminator ? pressIme : pressReal,
  });
}

/**
 * A person typing: real key events `gapMs` apart (default 120 ms), no terminator unless asked.
 * Characters no US key types (e.g. 中文) are inserted as committed IME text (Input.insertText).
 * @param {Page} page
 * @param {string} text
 * @param {ScanOptions} [options]
 * @returns {Promise<TypingReport>}
 */
export function humanType(page, text, options = {}) {
  const { gapMs = 120, terminator = null, shiftEvents = true, exactTimestamps = false } = options;
  return drive(page, text, {
    gapMs,
    terminator,
    shiftEvents,
    exactTimestamps,
    defFor: keyDefFor,
    pressChar: pressReal,
    pressTerminator: pressReal,
    fallback: async (session, char) => {
      await session.send('Input.insertText', { text: char });
    },
  });
}

/**
 * Presses one named key (Enter, Tab, Escape, Backspace, ArrowDown…) with real events.
 * @param {Page} page
 * @param {KeyInput} key
 */
export async function pressKey(page, key) {
  await page.keyboard.press(key);
}
