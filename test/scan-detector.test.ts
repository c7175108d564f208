import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { characterOf, ScanDetector, type KeyInput } from '@/content-scripts/scan-detector';
import { parseTicket } from '@/shared/ticket';

const TICKET =
  'YK1|S0012|XS250328000123|20250328101500|12345|6901234567892,2,3600;6923456789012,1,5145|FAEB';

const isTicketCandidate = (text: string): boolean => {
  const result = parseTicket(text);
  return result.ok || result.error !== 'NOT_A_TICKET';
};

interface Keystroke {
  key: string;
  code?: string;
  shiftKey?: boolean;
  at: number;
}

/** Replays keystrokes through the detector and returns what the page saw and what was scanned. */
function replay(strokes: Keystroke[], idleCheckAt?: number): { page: string; scans: string[] } {
  const detector = new ScanDetector({ isTicketCandidate });
  let page = '';
  const scans: string[] = [];
  for (const stroke of strokes) {
    // A timer would fire between keys when the gap is long: model it.
    const idle = detector.onIdle(stroke.at);
    if (idle) page += idle;
    const input: KeyInput = {
      key: stroke.key,
      code: stroke.code ?? '',
      shiftKey: stroke.shiftKey ?? false,
      ctrlKey: false,
      altKey: false,
      metaKey: false,
      timeStamp: stroke.at,
    };
    const decision = detector.onKeyDown(input);
    const visible = stroke.key.length === 1 ? stroke.key : stroke.key === 'Enter' ? '⏎' : stroke.key === 'Tab' ? '⇥' : '';
    if (decision.action === 'pass') page += visible;
    if (decision.action === 'release-then-pass') page += decision.text + visible;
    if (decision.action === 'scan') scans.push(decision.text);
  }
  const tail = detector.onIdle(idleCheckAt ?? Number.MAX_SAFE_INTEGER);
  if (tail) page += tail;
  return { page, scans };
}

function typed(text: string, gaps: number | number[], terminator: 'Enter' | 'Tab' | null = 'Enter', start = 1000): Keystroke[] {
  let at = start;
  const strokes: Keystroke[] = [...text].map((key, index) => {
    at += Array.isArray(gaps) ? (gaps[index % gaps.length] ?? 10) : gaps;
    return { key, at };
  });
  if (terminator) strokes.push({ key: terminator, at: at + (Array.isArray(gaps) ? (gaps[0] ?? 10) : gaps) });
  return strokes;
}

describe('ScanDetector', () => {
  it('takes a full ticket whole and leaves nothing for the page', () => {
    expect(replay(typed(TICKET, 8))).toEqual({ page: '', scans: [TICKET] });
  });

  it('takes a bare order number ended by Tab', () => {
    expect(replay(typed('XS250328000123', 15, 'Tab'))).toEqual({ page: '', scans: ['XS250328000123'] });
  });

  it('takes a malformed ticket too, so its error can be shown instead of leaking it', () => {
    const broken = TICKET.replace('|FAEB', '|faeb');
    expect(replay(typed(broken, 8))).toEqual({ page: '', scans: [broken] });
  });

  it('lets a goods barcode scan through untouched, Enter included', () => {
    expect(replay(typed('6901234567892', 8))).toEqual({ page: '6901234567892⏎', scans: [] });
  });

  it('gives back a letter-led code that is not a ticket, before its Enter', () => {
    expect(replay(typed('ABCDE12345', 8))).toEqual({ page: 'ABCDE12345⏎', scans: [] });
    expect(replay(typed('XS123', 8))).toEqual({ page: 'XS123⏎', scans: [] });
    expect(replay(typed('G100234X', 8))).toEqual({ page: 'G100234X⏎', scans: [] });
  });

  it('lets a person type, capitals included, in order', () => {
    expect(replay(typed('Hello World', 130))).toEqual({ page: 'Hello World⏎', scans: [] });
    expect(replay(typed('XS250328000123', 120))).toEqual({ page: 'XS250328000123⏎', scans: [] });
  });

  it('gives back a held capital when the person stops typing', () => {
    expect(replay(typed('A', 10, null), 2000)).toEqual({ page: 'A', scans: [] });
  });

  it('tolerates gun jitter up to the gap limit', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 95 }), { minLength: 1, maxLength: 40 }), (gaps) => {
        expect(replay(typed(TICKET, gaps))).toEqual({ page: '', scans: [TICKET] });
      }),
      { numRuns: 200 },
    );
  });

  it('never loses or reorders what a person types', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'abcXYZ019 |,;K'.split('')), maxLength: 30 }),
        fc.array(fc.integer({ min: 101, max: 400 }), { minLength: 1, maxLength: 10 }),
        (text, gaps) => {
          expect(replay(typed(text, gaps)).page).toBe(`${text}⏎`);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("keeps a ticket whole through a busy page's pause once it is clearly a ticket", () => {
    const gaps = [...TICKET].map((_, i) => (i === 30 ? 320 : 12));
    expect(replay(typed(TICKET, gaps))).toEqual({ page: '', scans: [TICKET] });
  });

  it('but not a pause before the burst shows it is a ticket', () => {
    const gaps = [...'XS250328000123'].map((_, i) => (i === 2 ? 250 : 10));
    expect(replay(typed('XS250328000123', gaps)).scans).toEqual([]);
  });

  it('reads a scan typed through a Chinese IME (key "Process")', () => {
    const strokes: Keystroke[] = [];
    let at = 0;
    for (const char of 'YK1|S0') {
      at += 9;
      const code = /[A-Z]/.test(char) ? `Key${char}` : char === '|' ? 'Backslash' : `Digit${char}`;
      strokes.push({ key: 'Process', code, shiftKey: /[A-Z|]/.test(char), at });
    }
    const detector = new ScanDetector({ isTicketCandidate });
    const decisions = strokes.map((s) =>
      detector.onKeyDown({ key: s.key, code: s.code ?? '', shiftKey: s.shiftKey ?? false, ctrlKey: false, altKey: false, metaKey: false, timeStamp: s.at }),
    );
    expect(decisions.every((d) => d.action === 'hold')).toBe(true);
  });

  it('ignores Shift pressed between gun keys', () => {
    const strokes: Keystroke[] = [];
    let at = 0;
    for (const key of 'XS250328000123') {
      at += 5;
      if (/[A-Z]/.test(key)) strokes.push({ key: 'Shift', at });
      at += 5;
      strokes.push({ key, at });
    }
    strokes.push({ key: 'Enter', at: at + 5 });
    expect(replay(strokes)).toEqual({ page: '', scans: ['XS250328000123'] });
  });
});

describe('characterOf', () => {
  it('recovers characters from code and shift when the IME hides the key', () => {
    expect(characterOf({ key: 'Process', code: 'KeyY', shiftKey: true })).toBe('Y');
    expect(characterOf({ key: 'Process', code: 'KeyY', shiftKey: false })).toBe('y');
    expect(characterOf({ key: 'Process', code: 'Backslash', shiftKey: true })).toBe('|');
    expect(characterOf({ key: 'Process', code: 'Digit7', shiftKey: false })).toBe('7');
    expect(characterOf({ key: 'Process', code: 'Comma', shiftKey: false })).toBe(',');
    expect(characterOf({ key: 'Process', code: 'Semicolon', shiftKey: false })).toBe(';');
    expect(characterOf({ key: 'Process', code: 'Numpad4', shiftKey: false })).toBe('4');
    expect(characterOf({ key: 'Shift', code: 'ShiftLeft', shiftKey: true })).toBeNull();
  });
});
