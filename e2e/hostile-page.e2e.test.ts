import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { startPortalServer } from './harness/portal-server.mjs';
import { launchBrowser } from './harness/browser.mjs';
import { gunScan } from './harness/keys.mjs';
import { createRuyitongSimulator } from './sim/ruyitong/server.mjs';
import { encodeTicket } from '../shared/ticket';
import { storeIso } from '../shared/time';
import { onOverlayRoot, overlayState, seedSettings, waitForOverlay } from './support/extension.mjs';
import { waitUntil } from './support/cashier';
import { RUYITONG_PORTAL_SETTINGS, appState, nextOrderNo, openTrade, ticketFor, type Harness } from './support/ruyitong';

/**
 * Issue 12, "a hostile page": the 如医通 page's own scripts (page.evaluate runs in the page's main
 * world, where the vendor's scripts, its ads and anything injected into it run) try to read and
 * press the overlay, forge a scan with synthetic keys, talk to the extension by postMessage and
 * runtime messages, and show a fake 交易成功. Each attempt changes nothing — no fill, no
 * settlement, the overlay as it was — and what the extension sees is on the audit trail.
 */
type AuditRow = { seq: number; type: string; code?: string; orderNo?: string; detail: Record<string, unknown> };

const sim = createRuyitongSimulator({ latency: [10, 40] });
let server: Awaited<ReturnType<typeof startPortalServer>>;
let harness: Harness;

async function audit(): Promise<AuditRow[]> {
  return ((await harness.readStore('audit')) as AuditRow[]).sort((a, b) => a.seq - b.seq);
}

/** A stale ticket: the overlay asks 「继续」 / 「取消」 and waits for the cashier. */
function staleTicket(orderNo: string): string {
  return encodeTicket({ store: 'S0012', orderNo, issuedAt: storeIso(Date.now() - 48 * 3_600_000), totalFen: 2600, items: [{ code: '6923456789012', qty: 1, unitFen: 2600 }] });
}

/** A scan the extension sees and refuses (a broken check code): a sentinel that it was listening. */
function garbledTicket(): string {
  const good = ticketFor(nextOrderNo(), [{ code: '6923456789012', qty: 1, unitFen: 2600 }]);
  return good.endsWith('|0000') ? good.replace(/\|0000$/, '|0001') : good.replace(/\|[0-9A-F]{4}$/, '|0000');
}

/** The stale-ticket question on screen, for `orderNo`. */
async function staleQuestion(page: Page, orderNo: string) {
  await gunScan(page, staleTicket(orderNo));
  return waitForOverlay(page, (s) => s.code === 'STALE_TICKET');
}

beforeAll(async () => {
  server = await startPortalServer({ simulators: [sim] });
  harness = await launchBrowser({ portalPort: server.port });
  await seedSettings(harness, { storeCode: 'S0012', cashierId: 'C01', portals: RUYITONG_PORTAL_SETTINGS });
}, 60_000);

afterAll(async () => {
  await harness?.close();
  await server?.close();
});

describe('a hostile portal page', () => {
  it('cannot read the overlay: the shadow root is closed, and patching attachShadow catches nothing', async () => {
    const trade = await openTrade(harness);
    // a page that wants the root patches attachShadow before the overlay first shows: the content
    // script runs in its own world, with its own Element.prototype, and is not fooled
    await trade.evaluate(() => {
      const original = Element.prototype.attachShadow;
      const w = window as unknown as { __caught: ShadowRoot[] };
      w.__caught = [];
      Element.prototype.attachShadow = function (init: ShadowRootInit) {
        const root = original.call(this, { ...init, mode: 'open' });
        w.__caught.push(root);
        return root;
      };
    });
    const orderNo = nextOrderNo();
    const shown = await staleQuestion(trade, orderNo);
    expect(shown.text).toContain(orderNo);

    const seenByPage = await trade.evaluate((order) => {
      const host = document.querySelector('tenderbridge-overlay');
      let reattach = 'none';
      try {
        host?.attachShadow({ mode: 'open' });
        reattach = 'attached';
      } catch (error) {
        reattach = (error as Error).name;
      }
      return {
        hostFound: host !== null,
        shadowRoot: host?.shadowRoot === null ? 'null' : typeof host?.shadowRoot,
        // the order number and the buttons are nowhere the page can see
        textLeaks: (document.body.innerText + document.body.textContent).includes(order),
        buttons: Array.from(document.querySelectorAll('button')).filter((b) => b.textContent?.includes('继续')).length,
        reattach,
        caught: (window as unknown as { __caught: ShadowRoot[] }).__caught.length,
        composedPathTarget: (() => {
          let seen = '';
          document.addEventListener('click', (e) => (seen = (e.composedPath()[0] as Element | undefined)?.nodeName ?? ''), { once: true, capture: true });
          (host as HTMLElement | null)?.click();
          return seen;
        })(),
      };
    }, orderNo);
    expect(seenByPage).toEqual({ hostFound: true, shadowRoot: 'null', textLeaks: false, buttons: 0, reattach: 'NotSupportedError', caught: 0, composedPathTarget: 'TENDERBRIDGE-OVERLAY' });
    // the question is still there, unanswered
    expect(await overlayState(trade)).toMatchObject({ code: 'STALE_TICKET', buttons: shown.buttons, text: shown.text });
    await trade.close();
  });

  it('cannot answer the overlay: a script click on 「继续」 is refused, audited, and the cashier’s click still works', async () => {
    const page = await openTrade(harness);
    const orderNo = nextOrderNo();
    const shown = await staleQuestion(page, orderNo);
    const before = (await audit()).length;

    // the strongest page: as if it held the button itself (it cannot — the root is closed — so
    // the DevTools protocol plays that part), it calls click() and dispatches a click event
    const clicked = await onOverlayRoot(page, (root: ShadowRoot) => {
      const button = Array.from(root.querySelectorAll('button.act')).find((b) => b.textContent === '继续') as HTMLButtonElement | undefined;
      if (!button) return false;
      button.click();
      button.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
      (root.querySelector('button.close') as HTMLButtonElement | null)?.click();
      return true;
    });
    expect(clicked).toBe(true);

    // what the extension saw goes on the trail: the refused clicks, nothing else for this order
    await waitUntil('the refused clicks on the audit trail', async () => (await audit()).some((e) => e.seq > before && e.type === 'page.untrusted'), 10_000);
    const after = (await audit()).filter((e) => e.seq > before);
    expect(after.filter((e) => e.type === 'page.untrusted').map((e) => [e.code, e.detail.label, e.detail.sender])).toEqual(
      expect.arrayContaining([
        ['overlay.click', '继续', 'portal-top'],
        ['overlay.click', '关闭', 'portal-top'],
      ]),
    );
    expect(after.filter((e) => e.orderNo === orderNo || e.type === 'scan.decided' || e.type.startsWith('fill.'))).toEqual([]);
    expect(await overlayState(page)).toMatchObject({ code: 'STALE_TICKET', buttons: shown.buttons });
    expect((await appState(page)).cart).toEqual([]);

    // a person's click goes through
    const { clickOverlayButton } = await import('./support/extension.mjs');
    await clickOverlayButton(page, '继续');
    await waitUntil('the cashier’s answer on the audit trail', async () => (await audit()).some((e) => e.type === 'scan.decided' && e.code === 'stale:proceed'), 10_000);
    await page.close();
  });

  it('cannot forge a scan with synthetic key events, nor with postMessage or runtime messages', async () => {
    const page = await openTrade(harness);
    const orderNo = nextOrderNo();
    const ticket = ticketFor(orderNo, [{ code: '6923456789012', qty: 1, unitFen: 2600 }]);
    const before = (await audit()).length;
    const tried = await page.evaluate(
      (text, extensionId) => {
        const target = document.activeElement ?? document.body;
        let t = performance.now();
        for (const ch of `${text}\n`) {
          const key = ch === '\n' ? 'Enter' : ch;
          const init = { key, code: ch === '\n' ? 'Enter' : `Key${ch.toUpperCase()}`, bubbles: true, cancelable: true, composed: true };
          target.dispatchEvent(new KeyboardEvent('keydown', init));
          target.dispatchEvent(new KeyboardEvent('keypress', init));
          target.dispatchEvent(new KeyboardEvent('keyup', init));
          t += 5;
        }
        // what a page can post: to itself (our content script listens to runtime messages only)
        window.postMessage({ type: 'scan.remote', text }, '*');
        window.postMessage({ type: 'scan.submit', text }, '*');
        // a page has no extension messaging unless the extension opts in (externally_connectable)
        const runtime = (window as unknown as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome?.runtime;
        let external = 'absent';
        if (runtime && typeof runtime.sendMessage === 'function') {
          try {
            (runtime.sendMessage as (id: string, m: unknown) => unknown)(extensionId, { type: 'tender.manual', settlementId: 'x' });
            external = 'sent';
          } catch (error) {
            external = (error as Error).message.slice(0, 60);
          }
        }
        return { external, elapsed: t };
      },
      ticket,
      harness.extensionId,
    );
    expect(tried.external).not.toBe('sent');

    // a sentinel the extension does see (a real gun scan of garbage): once it is audited, the
    // synthetic burst — sent earlier — would have been too
    await gunScan(page, garbledTicket());
    await waitForOverlay(page, (s) => s.kind === 'error', 30_000);
    await waitUntil('the sentinel scan on the audit trail', async () => (await audit()).some((e) => e.seq > before && e.type === 'scan.refused'), 10_000);
    const after = (await audit()).filter((e) => e.seq > before);
    expect(after.map((e) => e.type)).toEqual(['scan.refused']);
    expect(after.some((e) => e.orderNo === orderNo)).toBe(false);
    expect((await appState(page)).cart).toEqual([]);
    await page.close();
  });

  it('cannot get a fake 交易成功 posted: no tender, no fill', async () => {
    const page = await openTrade(harness);
    const vendorOrderNo = `RYT${Date.now()}`;
    const before = (await audit()).length;
    await showFakeSuccess(page, vendorOrderNo);
    // the extension has seen the fake block when it says so (held, unmatched: the next test); only
    // then the sentinel, so a late capture cannot replace the sentinel's message on a busy machine
    await waitForOverlay(page, (s) => s.code === 'CAPTURED_UNMATCHED', 30_000);
    // the sentinel: a real scan the extension audits after it has seen the fake block
    await gunScan(page, garbledTicket());
    await waitForOverlay(page, (s) => s.kind === 'error' && s.code === 'BAD_CHECKSUM', 30_000);
    await waitUntil('the sentinel scan on the audit trail', async () => (await audit()).some((e) => e.seq > before && e.type === 'scan.refused'), 10_000);
    const after = (await audit()).filter((e) => e.seq > before);
    expect(after.filter((e) => e.type.startsWith('fill.') || e.type.startsWith('tender.'))).toEqual([]);
    const tenders = (await harness.readStore('tenders')) as unknown[];
    expect(JSON.stringify(tenders)).not.toContain(vendorOrderNo);
    await page.close();
  });

  // A page script can draw a result dialog the extension cannot tell from the vendor's own. With no
  // fill in progress it is held as 'unmatched': no order, no 「下账」, until the cashier scans the
  // ticket it belongs to (and the ticket's total must then match).
  it('a fake 交易成功 with no fill in progress is held as unmatched: never ready for posting', async () => {
    const page = await openTrade(harness);
    const vendorOrderNo = `RYT${Date.now()}F`;
    await showFakeSuccess(page, vendorOrderNo);
    const stored = await waitUntil('the fake block’s capture', async () => {
      const settlements = (await harness.readStore('settlements')) as Array<{ id: string; vendorOrderNo: string; status: string; hold?: string; orderNo: string }>;
      const found = settlements.filter((s) => s.vendorOrderNo === vendorOrderNo);
      return found.length ? found : null;
    });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ hold: 'unmatched', orderNo: '' });
    const tenders = (await harness.readStore('tenders')) as Array<{ settlementId: string }>;
    expect(tenders.filter((t) => t.settlementId === stored[0]?.id)).toEqual([]);
    await page.close();
  });
});

/** A page script draws the vendor's result dialog, labels and all, with nothing paid. */
async function showFakeSuccess(page: Page, vendorOrderNo: string): Promise<void> {
  await page.evaluate((vendorNo) => {
    const dialog = document.createElement('div');
    dialog.className = 'el-dialog';
    const title = document.createElement('span');
    title.className = 'el-dialog__title';
    title.textContent = '交易成功';
    const table = document.createElement('table');
    const rows: Array<[string, string]> = [
      ['交易流水号', vendorNo],
      ['门店订单号', 'XS999999999999'],
      ['交易金额', '¥9,999.00'],
      ['卡支付', '¥9,999.00'],
      ['现金支付', '¥0.00'],
      ['交易时间', '2026-12-07 10:00:00'],
    ];
    for (const [label, value] of rows) {
      const tr = table.insertRow();
      const th = document.createElement('th');
      th.textContent = label;
      tr.append(th);
      tr.insertCell().textContent = value;
    }
    dialog.append(title, table);
    document.body.append(dialog);
  }, vendorOrderNo);
}
