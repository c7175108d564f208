import { describe, expect, it } from 'vitest';
import { acceptRemoteScan } from '@/content-scripts/remote-scan';
import { isTicketCandidate } from '@/content-scripts/scan-feature';
import { choosePortalTab } from '@/entrypoints/popup/ScanPanel';
import { encodeTicket } from '@/shared/ticket';

const ID = 'eobdeocgefloaciaacgmcmnlanfnpgek';
const TICKET = encodeTicket({
  store: 'S0012',
  orderNo: 'XS250328000123',
  issuedAt: '2025-03-28T10:15:00+08:00',
  totalFen: 2600,
  items: [{ code: '6923456789012', qty: 1, unitFen: 2600 }],
});
const popup = { id: ID, url: `chrome-extension://${ID}/popup.html` };
const EXT = { id: ID, base: `chrome-extension://${ID}/` };

describe('acceptRemoteScan (content script side of scan.remote)', () => {
  it('takes a ticket from the extension’s own page, also the popup opened in a tab', () => {
    expect(acceptRemoteScan({ type: 'scan.remote', text: TICKET }, { ...popup, tab: { id: 12 } }, EXT, isTicketCandidate)?.answer).toEqual({ accepted: true });
    // a browser that gives no URL: only without a tab
    expect(acceptRemoteScan({ type: 'scan.remote', text: TICKET }, { id: ID }, EXT, isTicketCandidate)?.answer).toEqual({ accepted: true });
    expect(acceptRemoteScan({ type: 'scan.remote', text: TICKET }, popup, EXT, isTicketCandidate)).toEqual({ text: TICKET, answer: { accepted: true } });
    // garbled tickets are ours too: the gun path refuses them visibly and audits them
    const garbled = `${TICKET.slice(0, -1)}X`;
    expect(acceptRemoteScan({ type: 'scan.remote', text: garbled }, popup, EXT, isTicketCandidate)?.text).toBe(garbled);
  });

  it('answers NOT_A_TICKET for anything the gun path would leave to the page', () => {
    expect(acceptRemoteScan({ type: 'scan.remote', text: '6901234567892' }, popup, EXT, isTicketCandidate)).toEqual({
      text: null,
      answer: { accepted: false, reason: 'NOT_A_TICKET' },
    });
  });

  it('ignores other extensions, content scripts (any tab) and malformed messages', () => {
    const message = { type: 'scan.remote', text: TICKET };
    expect(acceptRemoteScan(message, { id: 'another-extension', url: 'chrome-extension://another-extension/x.html' }, EXT, isTicketCandidate)).toBeNull();
    expect(acceptRemoteScan(message, {}, EXT, isTicketCandidate)).toBeNull();
    // our own content script, on a portal or any page: has the page's URL and a tab
    expect(acceptRemoteScan(message, { id: ID, url: 'https://saas.ringnex.com/#/trade', tab: { id: 4 } }, EXT, isTicketCandidate)).toBeNull();
    expect(acceptRemoteScan(message, { id: ID, tab: { id: 4 } }, EXT, isTicketCandidate)).toBeNull();
    // a look-alike origin
    expect(acceptRemoteScan(message, { id: ID, url: `https://${ID}/popup.html` }, EXT, isTicketCandidate)).toBeNull();
    expect(acceptRemoteScan({ type: 'scan.submit', text: TICKET }, popup, EXT, isTicketCandidate)).toBeNull();
    expect(acceptRemoteScan({ type: 'scan.remote', text: '' }, popup, EXT, isTicketCandidate)).toBeNull();
    expect(acceptRemoteScan({ type: 'scan.remote', text: 'Y'.repeat(2001) }, popup, EXT, isTicketCandidate)).toBeNull();
    expect(acceptRemoteScan('scan.remote', popup, EXT, isTicketCandidate)).toBeNull();
  });
});

describe('choosePortalTab', () => {
  const ruyitong = { id: 7, url: 'https://saas.ringnex.com/#/trade', lastAccessed: 100, index: 1 };
  const huiyika = { id: 8, url: 'https://webpos.huiyika.com/pos', lastAccessed: 200, index: 2 };
  const other = { id: 9, url: 'https://example.com/', lastAccessed: 300, index: 3 };
  const self = { id: 10, url: `chrome-extension://${ID}/popup.html#scan`, lastAccessed: 400, index: 4 };

  it('the toolbar popup: the active tab when it is a portal', () => {
    expect(choosePortalTab(ruyitong, undefined, [])).toEqual({ ok: true, tabId: 7, portal: 'ruyitong' });
  });

  it('the toolbar popup over any other page: says so, never a background tab', () => {
    expect(choosePortalTab(other, undefined, [ruyitong, huiyika, other])).toEqual({ ok: false, reason: 'not-portal' });
    expect(choosePortalTab(undefined, undefined, [])).toEqual({ ok: false, reason: 'not-portal' });
    // a look-alike host is not a portal
    expect(choosePortalTab({ id: 1, url: 'https://saas.ringnex.com.evil.test/' }, undefined, [])).toEqual({ ok: false, reason: 'not-portal' });
  });

  it('opened as a tab: the portal tab of the window used most recently', () => {
    expect(choosePortalTab(self, self, [ruyitong, huiyika, other, self])).toEqual({ ok: true, tabId: 8, portal: 'huiyika' });
    expect(choosePortalTab(self, self, [other, self])).toEqual({ ok: false, reason: 'no-portal-tab' });
  });
});
