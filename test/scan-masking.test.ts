import { beforeEach, describe, expect, it } from 'vitest';
import 'fake-indexeddb/auto';
import { TenderBridgeDb } from '@/shared/db';
import { checkScan } from '@/shared/background/scan-checks';
import { isTicketCandidate } from '@/content-scripts/scan-feature';
import { isCardShapedOrderNo, maskScanText } from '@/shared/core/mask';
import { defaultSettings, type Settings } from '@/shared/settings';

/**
 * Issue 12: a scan that is not a ticket — a card number, an ID number, or a card number behind a
 * letter prefix that fits the bare-order syntax — never leaves the content script, and whatever
 * reaches the background anyway (another sender) is refused and kept masked on the trail.
 * (Luhn-valid test numbers: 6222021234567890128 (19), 621700123456789011 (18), 6228480012345671 (16).)
 */
describe('isCardShapedOrderNo', () => {
  it('takes 16–19 Luhn-valid digits behind 1–4 letters as a card', () => {
    expect(isCardShapedOrderNo('CP6228480012345671')).toBe(true);
    expect(isCardShapedOrderNo('HYKA621700123456789011')).toBe(true);
    expect(isCardShapedOrderNo('M6222021234567890128')).toBe(true);
  });

  it('leaves Yingke order numbers alone: short digit runs, Luhn failures, 20+ digits, no letters, lower case', () => {
    expect(isCardShapedOrderNo('XS250328263695')).toBe(false);
    expect(isCardShapedOrderNo('XS250328000123')).toBe(false);
    // one digit changed: the Luhn check fails, so it stays an order number as the spec says
    expect(isCardShapedOrderNo('CP6228480012345672')).toBe(false);
    // 15 digits (below card length), 20 digits (above)
    expect(isCardShapedOrderNo('CP622848001234567')).toBe(false);
    expect(isCardShapedOrderNo('CP62220212345678901280')).toBe(false);
    expect(isCardShapedOrderNo('6228480012345671')).toBe(false);
    expect(isCardShapedOrderNo('cp6228480012345671')).toBe(false);
    expect(isCardShapedOrderNo('CPABC6228480012345671')).toBe(false);
  });
});

describe('what the content script keeps to itself (isTicketCandidate)', () => {
  it('never takes a card or ID number, in any spelling', () => {
    for (const text of [
      '6222021234567890128',
      '6222 0212 3456 7890 128',
      '６２２２０２１２３４５６７８９０１２８',
      '51010219900101123X',
      '51010219900101123x',
      '510102900101123',
      'CP6228480012345671',
      'HYKA621700123456789011',
    ]) {
      expect(isTicketCandidate(text), text).toBe(false);
    }
  });

  it('still takes bare order numbers and malformed tickets (they are the cashier\'s)', () => {
    expect(isTicketCandidate('XS250328263695')).toBe(true);
    expect(isTicketCandidate('CP6228480012345672')).toBe(true);
    expect(isTicketCandidate('YK1|garbled')).toBe(true);
  });
});

describe('what reaches the trail when another sender submits such a scan (checkScan)', () => {
  let db: TenderBridgeDb;
  let settings: Settings;
  beforeEach(() => {
    db = new TenderBridgeDb(`scan-masking-${Math.random()}`);
    settings = defaultSettings();
    settings.storeCode = 'S0012';
  });
  const scan = (text: string) =>
    checkScan({ text, portal: 'ruyitong', settings, db, now: Date.now(), scanId: 'scan-1', lookUp: async () => ({ ticket: null, reason: 'not-found' }) });

  it('refuses a card behind a letter prefix as not a ticket: no order number, the excerpt masked 6/4', async () => {
    const { verdict, audit } = await scan('CP6228480012345671');
    expect(verdict).toMatchObject({ ok: false, code: 'NOT_A_TICKET' });
    expect(audit.orderNo).toBeUndefined();
    expect(audit.detail).toMatchObject({ excerpt: 'CP6228********5671', length: 18 });
    expect(JSON.stringify(audit)).not.toContain('6228480012345671');
  });

  it('masks card and ID numbers however they are written (spaces, full-width digits, 19 digits, X)', async () => {
    const cases: Array<[string, string]> = [
      ['6222021234567890128', '622202*********0128'],
      ['6222 0212 3456 7890 128', '622202*********0128'],
      ['６２２２０２１２３４５６７８９０１２８', '622202*********0128'],
      ['51010219900101123X', '510102********123X'],
    ];
    for (const [text, excerpt] of cases) {
      const { verdict, audit } = await scan(text);
      expect(verdict, text).toMatchObject({ ok: false, code: 'NOT_A_TICKET' });
      expect(audit.detail?.excerpt, text).toBe(excerpt);
      expect(maskScanText(text)).toBe(excerpt);
    }
  });

  it('keeps a real bare order number (not a card) as the order it is', async () => {
    const { verdict, audit } = await scan('XS250328263695');
    expect(verdict).toMatchObject({ ok: true, ticket: { kind: 'order', orderNo: 'XS250328263695' } });
    expect(audit).toMatchObject({ type: 'scan.accepted', orderNo: 'XS250328263695' });
  });
});
