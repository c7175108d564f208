import { describe, expect, it } from 'vitest';
import { MESSAGE_PERMISSIONS, RefusalLimiter, SENDER_KINDS, mayRequest, senderKind } from '@/shared/background/permissions';
import { requestSchemas, type RequestType } from '@/shared/messages';

const EXT = 'chrome-extension://eobdeocgefloaciaacgmcmnlanfnpgek';
const top = { kind: 'portal', portal: 'ruyitong', tabId: 1, frameId: 0, url: 'https://saas.ringnex.com/' } as const;
const frame = { ...top, frameId: 3 } as const;

describe('who may send what', () => {
  it('knows every sender kind', () => {
    expect(senderKind(top)).toBe('portal-top');
    expect(senderKind(frame)).toBe('portal-frame');
    expect(senderKind({ kind: 'extension', url: `${EXT}/popup.html` })).toBe('popup');
    expect(senderKind({ kind: 'extension', url: `${EXT}/options.html#x` })).toBe('options');
    expect(senderKind({ kind: 'extension', url: `${EXT}/log.html?tab=day` })).toBe('log');
    expect(senderKind({ kind: 'extension', url: `${EXT}/background.js` })).toBe('worker');
    expect(senderKind({ kind: 'extension', url: `${EXT}/other.html` })).toBe('extension-other');
  });

  it('has an entry for every message type and names only known kinds', () => {
    expect(Object.keys(MESSAGE_PERMISSIONS).sort()).toEqual(Object.keys(requestSchemas).sort());
    for (const kinds of Object.values(MESSAGE_PERMISSIONS)) for (const k of kinds) expect(SENDER_KINDS).toContain(k);
  });

  it('keeps the popup’s and the supervisors’ requests away from portal pages', () => {
    for (const type of ['tenders.list', 'tender.post', 'tender.manual', 'secret.set', 'secret.status', 'exception.handle', 'vendor.import', 'retention.purge', 'supervisor.verify'] as RequestType[]) {
      expect(mayRequest(type, 'portal-top'), type).toBe(false);
      expect(mayRequest(type, 'portal-frame'), type).toBe(false);
    }
    expect(mayRequest('tender.post', 'popup')).toBe(true);
    expect(mayRequest('tender.post', 'options')).toBe(false);
    expect(mayRequest('exception.handle', 'log')).toBe(true);
    expect(mayRequest('exception.handle', 'popup')).toBe(false);
  });

  it('lets a sub-frame scan, fill (an iframe work area) and capture, but only the top frame resume a fill', () => {
    expect(mayRequest('scan.submit', 'portal-frame')).toBe(true);
    expect(mayRequest('settlement.capture', 'portal-frame')).toBe(true);
    expect(mayRequest('fill.started', 'portal-frame')).toBe(true);
    expect(mayRequest('fill.resume', 'portal-frame')).toBe(false);
    expect(mayRequest('tender.post', 'portal-frame')).toBe(false);
    expect(mayRequest('fill.started', 'portal-top')).toBe(true);
    expect(mayRequest('scan.submit', 'popup')).toBe(false);
    expect(mayRequest('scan.submit', 'extension-other')).toBe(false);
  });
});

describe('RefusalLimiter', () => {
  it('writes a burst per window, then counts what it leaves out into the next entry', () => {
    const limiter = new RefusalLimiter(3, 1000);
    const answers = Array.from({ length: 10 }, () => limiter.admit('k', 0));
    expect(answers).toEqual([0, 0, 0, null, null, null, null, null, null, null]);
    expect(limiter.admit('other', 10)).toBe(0);
    expect(limiter.admit('k', 1000)).toBe(7);
    expect(limiter.admit('k', 1001)).toBe(0);
  });
});
