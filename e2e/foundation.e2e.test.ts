import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { startPortalServer } from './harness/portal-server.mjs';
import { launchBrowser } from './harness/browser.mjs';
import { gunScan, humanType, imeGunScan } from './harness/keys.mjs';
import { minimalSimulators } from './harness/minimal.mjs';
import { readPageLog } from './harness/page-log.mjs';
import { PORTAL_IDS } from './harness/portals.mjs';
import { encodeTicket } from '../shared/ticket';
import { storeIso } from '../shared/time';
import { clickOverlayButton, overlayState, seedSettings, waitForOverlay } from './support/extension.mjs';

/**
 * Issue 2's promise on every one of the five portal origins: a gun scan of a Yingke ticket is
 * taken whole (nothing reaches the page's input), checked, shown and audited; a malformed one
 * shows its error; a goods barcode and a person's typing reach the page unchanged; the IME does
 * not break it; and the page's own scripts cannot forge a scan.
 */
type Harness = Awaited<ReturnType<typeof launchBrowser>>;
let server: Awaited<ReturnType<typeof startPortalServer>>;
let browser: Harness;

function freshTicket(orderNo: string): string {
  return encodeTicket({
    store: 'S0012',
    orderNo,
    issuedAt: storeIso(Date.now() - 60_000),
    totalFen: 12345,
    items: [
      { code: '6901234567892', qty: 2, unitFen: 3600 },
      { code: '6923456789012', qty: 1, unitFen: 5145 },
    ],
  });
}

async function auditOf(orderNo: string) {
  const entries = (await browser.readStore('audit')) as Array<{ type: string; orderNo?: string; code?: string; portal?: string }>;
  return entries.filter((e) => e.orderNo === orderNo);
}

/** The overlay's state once a ticket was read: shown, filling, or a fill that started and stopped. */
function readTicket(code: string | null | undefined): boolean {
  return code === 'TICKET_READ' || code === 'FILLING' || Boolean(code?.startsWith('FILL_'));
}

async function openSearch(portal: string): Promise<Page> {
  const page = await browser.openPortal(portal, '/');
  await page.waitForSelector('#search');
  await page.focus('#search');
  return page;
}

beforeAll(async () => {
  server = await startPortalServer({ simulators: minimalSimulators() });
  browser = await launchBrowser({ portalPort: server.port });
  await seedSettings(browser, { storeCode: 'S0012', cashierId: 'C01' });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe.each(PORTAL_IDS)('on %s', (portal) => {
  it('takes a scanned ticket whole, shows it and audits it', async () => {
    const orderNo = `XS${portal.length}${Date.now()}`.slice(0, 20);
    const page = await openSearch(portal);
    await gunScan(page, freshTicket(orderNo));
    const shown = await waitForOverlay(page, (s) => s.text.includes(orderNo));
    // where the portal's flow finds this bare page's search box (如医通, 员福好管家) the fill starts
    // right away and soon stops on it (FILL_…); the ticket is what the overlay shows either way
    expect(readTicket(shown.code)).toBe(true);
    expect(shown.text).toContain('123.45');
    // Nothing of the scan reached the page: no key, no input event carrying it.
    const log = await readPageLog(page);
    expect(log.filter((e) => e.type === 'keydown' && e.key.length === 1)).toEqual([]);
    expect(log.filter((e) => e.type === 'input' && /YK|\|/.test(e.value ?? ''))).toEqual([]);
    // The box holds nothing of the scan: empty, or (where the portal's flow finds this page's
    // search box: 如医通, 员福好管家's goods shape) the first goods' barcode the engine searched for.
    expect(['', '6901234567892']).toContain(await page.$eval('#search', (el) => (el as HTMLInputElement).value));
    const audit = (await auditOf(orderNo)).filter((e) => e.type.startsWith('scan.'));
    expect(audit).toEqual([expect.objectContaining({ type: 'scan.accepted', portal })]);
    await page.close();
  });

  it('shows a malformed scan as an error and leaves the page untouched', async () => {
    const page = await openSearch(portal);
    const broken = freshTicket('XS250328000999').replace(/\|[0-9A-F]{4}$/, '|0000');
    await gunScan(page, broken);
    const shown = await waitForOverlay(page, (s) => s.kind === 'error');
    expect(shown.code).toBe('BAD_CHECKSUM');
    expect(await page.$eval('#search', (el) => (el as HTMLInputElement).value)).toBe('');
    const audit = (await browser.readStore('audit')) as Array<{ type: string; code?: string; portal?: string }>;
    expect(audit.some((e) => e.type === 'scan.refused' && e.code === 'BAD_CHECKSUM' && e.portal === portal)).toBe(true);
    await page.close();
  });

  it('lets a goods barcode scan and a person typing reach the focused input intact', async () => {
    const page = await openSearch(portal);
    await gunScan(page, '6901234567892');
    expect(await page.$eval('#search', (el) => (el as HTMLInputElement).value)).toBe('6901234567892');
    await page.$eval('#search', (el) => ((el as HTMLInputElement).value = ''));
    await humanType(page, 'Ganmao XS12');
    expect(await page.$eval('#search', (el) => (el as HTMLInputElement).value)).toBe('Ganmao XS12');
    expect(await overlayState(page)).toBeNull();
    await page.close();
  });

  it('reads a scan typed through a Chinese IME', async () => {
    const orderNo = `YKIME${portal.length}${Date.now()}`.slice(0, 20).replace(/[^A-Z0-9]/g, '0');
    const page = await openSearch(portal);
    await imeGunScan(page, freshTicket(orderNo));
    const shown = await waitForOverlay(page, (s) => s.text.includes(orderNo) || s.kind === 'error');
    expect(readTicket(shown.code)).toBe(true);
    await page.close();
  });

  it("does not accept the page's own scripts as a scan or a settlement", async () => {
    const orderNo = `XSFORGE${portal.length}${Date.now()}`.slice(0, 22);
    const ticket = freshTicket(orderNo);
    const page = await openSearch(portal);
    await page.evaluate((text) => {
      // synthetic keys, a posted message, and a direct runtime call: all must be ignored
      const target = document.getElementById('search');
      for (const key of [...text, 'Enter']) {
        target?.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
        target?.dispatchEvent(new KeyboardEvent('keyup', { key, bubbles: true }));
      }
      window.postMessage({ type: 'scan.submit', text }, '*');
      window.postMessage({ type: 'settlement.capture', capture: { kind: 'sale', outcome: 'success', vendorOrderNo: 'FORGED', totalFen: 1, rule: 'x' } }, '*');
      const runtime = (globalThis as { chrome?: { runtime?: { sendMessage?: (id: string, m: unknown) => void } } }).chrome?.runtime;
      try {
        runtime?.sendMessage?.('eobdeocgefloaciaacgmcmnlanfnpgek', { type: 'scan.submit', text });
      } catch {
        // expected: pages cannot message the extension
      }
    }, ticket);
    // Then a real scan proves the extension was listening all along.
    const proof = `${orderNo}R`.slice(0, 32);
    await gunScan(page, freshTicket(proof));
    await waitForOverlay(page, (s) => s.text.includes(proof));
    expect(await auditOf(orderNo)).toEqual([]);
    const settlements = (await browser.readStore('settlements')) as Array<{ vendorOrderNo: string }>;
    expect(settlements.some((s) => s.vendorOrderNo === 'FORGED')).toBe(false);
    await page.close();
  });
});

describe('business checks', () => {
  it("refuses another store's ticket", async () => {
    const page = await openSearch('ruyitong');
    const other = encodeTicket({ store: 'S9999', orderNo: 'XS250328000777', issuedAt: storeIso(Date.now()), totalFen: 3600, items: [{ code: '6901234567892', qty: 1, unitFen: 3600 }] });
    await gunScan(page, other);
    const shown = await waitForOverlay(page, (s) => s.kind === 'error');
    expect(shown.code).toBe('WRONG_STORE');
    expect(shown.text).toContain('S9999');
    await page.close();
  });

  it('warns about a stale ticket and lets the cashier go on', async () => {
    const page = await openSearch('ruyitong');
    const stale = encodeTicket({ store: 'S0012', orderNo: 'XS250101000001', issuedAt: storeIso(Date.now() - 48 * 3_600_000), totalFen: 3600, items: [{ code: '6901234567892', qty: 1, unitFen: 3600 }] });
    await gunScan(page, stale);
    const shown = await waitForOverlay(page, (s) => s.code === 'STALE_TICKET');
    expect(shown.buttons).toHaveLength(2);
    // a person's click (the overlay refuses script clicks)
    await clickOverlayButton(page, { primary: true });
    await waitForOverlay(page, (s) => s.code === 'TICKET_READ' || s.code === 'FILLING');
    const audit = await auditOf('XS250101000001');
    expect(audit.map((e) => e.type).filter((type) => type.startsWith('scan.'))).toEqual(['scan.accepted']);
    await page.close();
  });
});
