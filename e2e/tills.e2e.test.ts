import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { startPortalServer } from './harness/portal-server.mjs';
import { launchBrowser } from './harness/browser.mjs';
import { createRuyitongSimulator } from './sim/ruyitong/server.mjs';
import { startBridgeSimulator } from './bridge-sim/server.mjs';
import { seedSettings } from './support/extension.mjs';
import { RUYITONG_PORTAL_SETTINGS, nextOrderNo, postAndWait, sellThroughPortal, type Harness } from './support/ruyitong';

/**
 * Issue 10, two tills in one store: two browser profiles (two deviceIds, two cashiers) sell on
 * 如医通 and post to one bridge. Yingke's list of the day holds both tills' tenders; each till's
 * daily log must show the other till's as 「其他收银台」 — not as Yingke-only differences — and
 * its own reconcile with no difference. What is checked is what the supervisor reads on the
 * page (innerText), and the numbers in it.
 */
type BridgeTender = { tenderId: string; orderNo: string; deviceId?: string; cashierId: string; amountFen: number };
type Settlement = { id: string; orderNo: string; day: string };

const ONE_LINE = [{ code: '6923456789012', qty: 1, unitFen: 2600 }];
const TWO_LINES = [
  { code: '6923456789012', qty: 1, unitFen: 2600 },
  { code: '6934567890122', qty: 2, unitFen: 3400 },
];

const sim = createRuyitongSimulator({ latency: [10, 60] });
let server: Awaited<ReturnType<typeof startPortalServer>>;
let bridge: Awaited<ReturnType<typeof startBridgeSimulator>>;
const tills: Record<'a' | 'b', { harness: Harness; cashierId: string; orders: string[]; ids: string[]; deviceId: string }> = {
  a: { harness: undefined as unknown as Harness, cashierId: 'C01', orders: [], ids: [], deviceId: '' },
  b: { harness: undefined as unknown as Harness, cashierId: 'C02', orders: [], ids: [], deviceId: '' },
};
let day = '';

/** One sale through the portal on that till, then 「下账」 in its popup. */
async function sellAndPost(till: 'a' | 'b', items: typeof ONE_LINE): Promise<void> {
  const { harness } = tills[till];
  const orderNo = nextOrderNo();
  const { page } = await sellThroughPortal(harness, sim, orderNo, items);
  const settlement = ((await harness.readStore('settlements')) as Settlement[]).find((s) => s.orderNo === orderNo);
  if (!settlement) throw new Error(`till ${till}: no settlement for ${orderNo}`);
  await postAndWait(harness, settlement.id);
  await page.close();
  tills[till].orders.push(orderNo);
  tills[till].ids.push(settlement.id);
  day = settlement.day;
}

/** The daily log of that till on the day, Yingke's list fetched, the Yingke table unfolded. */
async function openLog(till: 'a' | 'b'): Promise<Page> {
  const page = await tills[till].harness.openExtensionPage(`log.html?day=${day}`);
  await page.setViewport({ width: 1500, height: 1000 });
  await page.waitForSelector('#day-view[data-ready="true"][data-yingke="fetched"]', { timeout: 30_000 });
  // the supervisor opens Yingke's list (folded when nothing in it needs attention) by its title
  if (!(await page.$eval('#yingke-section', (details) => (details as HTMLDetailsElement).open))) await page.click('#yingke-section > summary');
  await page.waitForSelector('#yingke-tenders tbody tr');
  return page;
}

const textOf = (page: Page, selector: string): Promise<string> => page.$eval(selector, (el) => (el as HTMLElement).innerText);

beforeAll(async () => {
  bridge = await startBridgeSimulator({ stores: { S0012: 'store-secret' } });
  server = await startPortalServer({ simulators: [sim] });
  for (const till of ['a', 'b'] as const) {
    // each its own fresh profile: its own deviceId
    tills[till].harness = await launchBrowser({ portalPort: server.port });
    await seedSettings(tills[till].harness, { storeCode: 'S0012', cashierId: tills[till].cashierId, bridge: { baseUrl: bridge.url, secret: 'store-secret' }, portals: RUYITONG_PORTAL_SETTINGS });
  }
  await sellAndPost('a', ONE_LINE);
  await sellAndPost('b', TWO_LINES);
  await sellAndPost('a', ONE_LINE);
  for (const till of ['a', 'b'] as const) {
    const mine = (bridge.tenders() as BridgeTender[]).filter((t) => tills[till].ids.includes(t.tenderId));
    tills[till].deviceId = mine[0]?.deviceId ?? '';
  }
}, 240_000);

afterAll(async () => {
  for (const till of ['a', 'b'] as const) await tills[till].harness?.close();
  await server?.close();
  await bridge?.close();
});

describe('two tills in one store, one bridge', () => {
  it('each tender is on the bridge once, with its own till’s deviceId', () => {
    const all = bridge.tenders() as BridgeTender[];
    expect(all).toHaveLength(3);
    expect(tills.a.deviceId).toMatch(/^till-/);
    expect(tills.b.deviceId).toMatch(/^till-/);
    expect(tills.a.deviceId).not.toBe(tills.b.deviceId);
    for (const till of ['a', 'b'] as const) {
      for (const id of tills[till].ids) {
        const sent = all.filter((t) => t.tenderId === id);
        expect(sent).toHaveLength(1);
        expect(sent[0]).toMatchObject({ deviceId: tills[till].deviceId, cashierId: tills[till].cashierId });
      }
    }
  });

  it('till A’s log: B’s tender is 「其他收银台」, not a difference; A’s own two reconcile with none', async () => {
    const page = await openLog('a');
    // the cards: nothing open, nothing waiting in the pool
    expect(await textOf(page, '#count-open')).toMatch(/^0\s*未处理差异$/);
    expect(await textOf(page, '#count-pool')).toMatch(/^0\s/);
    // the differences: none, and nothing of B's there
    const differences = await textOf(page, '#differences');
    expect(differences).toContain('没有差异');
    expect(differences).not.toContain(tills.b.orders[0]!);
    expect(differences).not.toContain('无对应结算');
    // Yingke's list of the day holds all three: B's marked as the other till's, A's matched
    const theirs = await textOf(page, `#yingke-tenders tr[data-tender-id="${tills.b.ids[0]}"]`);
    expect(theirs).toContain(tills.b.orders[0]!);
    expect(theirs).toContain('其他收银台');
    expect(theirs).not.toContain('无对应结算');
    for (const id of tills.a.ids) expect(await textOf(page, `#yingke-tenders tr[data-tender-id="${id}"]`)).toContain('✓');
    // per till and for the store, in words and numbers
    const mine = await textOf(page, '#tills tr[data-till="mine"]');
    expect(mine).toContain('本收银台');
    expect(await textOf(page, '#tills tr[data-till="mine"] td[data-field="count"]')).toBe('2');
    expect(mine).toContain('¥52.00');
    expect(mine).toContain('差异 0 项');
    const other = await textOf(page, `#tills tr[data-till="other"][data-device-id="${tills.b.deviceId}"]`);
    expect(other).toContain('其他收银台');
    expect(other).toContain('C02');
    expect(await textOf(page, `#tills tr[data-device-id="${tills.b.deviceId}"] td[data-field="count"]`)).toBe('1');
    expect(other).toContain('¥94.00');
    expect(other).toContain('不计为差异');
    const store = await textOf(page, '#tills tr[data-till="store"]');
    expect(store).toContain('全店合计');
    expect(await textOf(page, '#tills tr[data-till="store"] td[data-field="count"]')).toBe('3');
    expect(store).toContain('¥146.00');
    expect(tills.a.harness.pageErrors).toEqual([]);
    await page.close();
  });

  it('till B’s log: the mirror image — A’s two are 「其他收银台」, B’s own reconciles with none', async () => {
    const page = await openLog('b');
    expect(await textOf(page, '#count-open')).toMatch(/^0\s*未处理差异$/);
    expect(await textOf(page, '#count-pool')).toMatch(/^0\s/);
    const differences = await textOf(page, '#differences');
    expect(differences).toContain('没有差异');
    for (const orderNo of tills.a.orders) expect(differences).not.toContain(orderNo);
    for (const id of tills.a.ids) {
      const row = await textOf(page, `#yingke-tenders tr[data-tender-id="${id}"]`);
      expect(row).toContain('其他收银台');
      expect(row).not.toContain('无对应结算');
    }
    expect(await textOf(page, `#yingke-tenders tr[data-tender-id="${tills.b.ids[0]}"]`)).toContain('✓');
    const mine = await textOf(page, '#tills tr[data-till="mine"]');
    expect(mine).toContain('本收银台');
    expect(mine).toContain('¥94.00');
    expect(mine).toContain('差异 0 项');
    const other = await textOf(page, `#tills tr[data-till="other"][data-device-id="${tills.a.deviceId}"]`);
    expect(other).toContain('其他收银台');
    expect(other).toContain('C01');
    expect(await textOf(page, `#tills tr[data-device-id="${tills.a.deviceId}"] td[data-field="count"]`)).toBe('2');
    expect(other).toContain('¥52.00');
    expect(await textOf(page, '#tills tr[data-till="store"]')).toContain('¥146.00');
    expect(tills.b.harness.pageErrors).toEqual([]);
    await page.close();
  });
});
