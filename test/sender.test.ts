import { describe, expect, it } from 'vitest';
import { classifySender } from '@/shared/background/sender';

const ID = 'eobdeocgefloaciaacgmcmnlanfnpgek';
const EXT = `chrome-extension://${ID}`;

describe('classifySender', () => {
  it('accepts our content script on a portal origin and derives the portal from the origin', () => {
    expect(
      classifySender({ id: ID, url: 'https://saas.ringnex.com/#/trade', origin: 'https://saas.ringnex.com', tab: { id: 7 }, frameId: 0 }, ID, EXT),
    ).toEqual({ kind: 'portal', portal: 'ruyitong', tabId: 7, frameId: 0, url: 'https://saas.ringnex.com/#/trade' });
  });

  it('accepts the extension pages, even opened in a tab', () => {
    expect(classifySender({ id: ID, url: `${EXT}/popup.html`, origin: EXT, tab: { id: 3 } }, ID, EXT)).toEqual({
      kind: 'extension',
      url: `${EXT}/popup.html`,
    });
  });

  it('refuses other origins, other extensions, http look-alikes and sub-domains', () => {
    expect(classifySender({ id: ID, url: 'https://example.com/', tab: { id: 1 } }, ID, EXT)).toBeNull();
    expect(classifySender({ id: 'other', url: 'https://saas.ringnex.com/', tab: { id: 1 } }, ID, EXT)).toBeNull();
    expect(classifySender({ id: ID, url: 'http://saas.ringnex.com/', tab: { id: 1 } }, ID, EXT)).toBeNull();
    expect(classifySender({ id: ID, url: 'https://evil.saas.ringnex.com/', tab: { id: 1 } }, ID, EXT)).toBeNull();
    expect(classifySender({ id: ID }, ID, EXT)).toBeNull();
  });
});
