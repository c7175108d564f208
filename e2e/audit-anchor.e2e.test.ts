import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { launchBrowser } from './harness/browser.mjs';
import { startPortalServer } from './harness/portal-server.mjs';
import { createRuyitongSimulator } from './sim/ruyitong/server.mjs';
import { startBridgeSimulator } from './bridge-sim/server.mjs';
import { seedSettings, signInSupervisor } from './support/extension.mjs';
import { waitUntil } from './support/cashier';
import { storeDay } from '../shared/time';
import { addDays } from '../shared/reconcile';

/**
 * Issue 12, audit anchoring (bridge spec revision 2) in the real build: once a head of the audit
 * chain is held by the bridge (simulator), someone with the PC's files who deletes the newest
 * entries, or rewrites one and re-hashes the rest so the chain still checks out locally, is
 * reported by 「核对全部审计记录」 on the log page; a retention purge is reported as a purge.
 * The tampering is done straight in IndexedDB through the service worker (below Dexie's
 * append-only hooks), as a person with the profile's files could.
 */

type Harness = Awaited<ReturnType<typeof launchBrowser>>;
type AuditRow = { seq: number; type: string; day: string; hash: string; prevHash: string; detail: Record<string, unknown> };

let bridge: Awaited<ReturnType<typeof startBridgeSimulator>>;
let harness: Harness | undefined;
let server: Awaited<ReturnType<typeof startPortalServer>>;
const today = storeDay(Date.now());

beforeAll(async () => {
  bridge = await startBridgeSimulator({ stores: { S0012: 'store-secret' } });
  server = await startPortalServer({ simulators: [createRuyitongSimulator({})] });
}, 30_000);

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

afterAll(async () => {
  await bridge?.close();
  await server?.close();
});

/** A fresh profile (its own deviceId and chain) with the bridge configured. */
async function freshTill(): Promise<Harness> {
  harness = await launchBrowser({ portalPort: server.port });
  await seedSettings(harness, { storeCode: 'S0012', cashierId: 'C01', bridge: { baseUrl: bridge.url, secret: 'store-secret' } });
  return harness;
}

async function send(page: Page, message: unknown): Promise<unknown> {
  return page.evaluate((m) => (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage(m), message);
}

async function auditRows(h: Harness): Promise<AuditRow[]> {
  return ((await h.readStore('audit')) as AuditRow[]).sort((a, b) => a.seq - b.seq);
}

async function deviceIdOf(h: Harness): Promise<string> {
  return waitUntil('the till’s deviceId', async () => {
    const kv = (await h.readStore('kv')) as Array<{ key: string; value: unknown }>;
    const id = kv.find((e) => e.key === 'deviceId')?.value;
    return typeof id === 'string' ? id : null;
  });
}

/** Entries on the trail: each 「获取英克」 of the log page is one ('bridge.listTenders'). */
async function addEntries(page: Page, n: number): Promise<void> {
  for (let i = 0; i < n; i += 1) await send(page, { type: 'reconcile.fetchYingke', day: today });
}

/** Wakes the anchoring alarm now (as its period would) and waits until the bridge holds the newest head. */
async function anchorNow(h: Harness): Promise<AuditRow> {
  const newest = (await auditRows(h)).at(-1);
  if (!newest) throw new Error('no audit entries');
  const worker = await h.serviceWorker();
  await worker.evaluate(() => {
    void (globalThis as unknown as { chrome: { alarms: { create(n: string, i: { when: number }): Promise<void> } } }).chrome.alarms.create('tenderbridge-anchor', { when: Date.now() });
  });
  const deviceId = await deviceIdOf(h);
  await waitUntil(`head #${newest.seq} at the bridge`, async () => bridge.heads(deviceId).some((x: { seq: number }) => x.seq === newest.seq), 60_000);
  const held = bridge.heads(deviceId).find((x: { seq: number }) => x.seq === newest.seq) as { hash: string };
  expect(held.hash).toBe(newest.hash);
  return newest;
}

/** 「核对全部审计记录」 on the day view; the anchor panel's findings as the supervisor reads them. */
async function verifyAll(page: Page): Promise<{ local: string; localOk: string | null; summary: string; findings: Array<{ kind: string; text: string }> }> {
  // no reload: a reload would fetch Yingke's list again, one more entry on the trail
  await page.waitForSelector('#verify-chain:not([disabled])');
  const run = Number(await page.$eval('#anchor', (el) => el.getAttribute('data-run'))) + 1;
  await page.click('#verify-chain');
  // data-run: the check this answer is from (an older answer may still be on screen)
  await page.waitForSelector(`#anchor[data-run="${run}"][data-state="ok"], #anchor[data-run="${run}"][data-state="tampered"]`, { timeout: 20_000 });
  return page.evaluate(() => ({
    local: document.querySelector('#chain-status')?.textContent ?? '',
    localOk: document.querySelector('#chain-status')?.getAttribute('data-ok') ?? null,
    summary: document.querySelector('#anchor-status')?.textContent ?? '',
    findings: [...document.querySelectorAll('#anchor-findings li')].map((li) => ({ kind: li.getAttribute('data-kind') ?? '', text: li.textContent ?? '' })),
  }));
}

async function openLog(h: Harness): Promise<Page> {
  const page = await h.openExtensionPage(`log.html?day=${today}`);
  // its automatic fetch of Yingke's list is on the trail before anything is anchored
  await page.waitForSelector('#day-view[data-ready="true"][data-yingke="fetched"]', { timeout: 20_000 });
  return page;
}

describe('audit heads anchored at the bridge', () => {
  it('reports the newest audit entries deleted in IndexedDB', async () => {
    const h = await freshTill();
    const page = await openLog(h);
    await addEntries(page, 5);
    const head = await anchorNow(h);
    const before = await verifyAll(page);
    expect(before.findings).toEqual([]);
    expect(before.summary).toContain('没有审计记录被删除或改写');

    // the last three entries, gone from the profile's files
    const worker = await h.serviceWorker();
    const from = head.seq - 2;
    await worker.evaluate(
      (lo: number, hi: number) =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('tenderbridge');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const tx = open.result.transaction('audit', 'readwrite');
            tx.objectStore('audit').delete(IDBKeyRange.bound(lo, hi));
            tx.oncomplete = () => {
              open.result.close();
              resolve();
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
      from,
      head.seq,
    );
    expect((await auditRows(h)).at(-1)?.seq).toBe(from - 1);

    const shown = await verifyAll(page);
    // what is left is a perfect chain, but the local check remembers the head it verified last
    // (its checkpoint, shared/audit-chain.ts) and finds it gone …
    expect(shown.localOk).toBe('false');
    expect(shown.local).toContain('✗ 审计记录被删除');
    // … and the bridge's head says which entries
    expect(shown.findings).toHaveLength(1);
    expect(shown.findings[0]?.kind).toBe('deleted');
    expect(shown.findings[0]?.text).toContain(`最新的审计记录被删除：第 ${from}–${head.seq} 条在本机已不存在，但桥接里记有第 ${head.seq} 条`);
    expect(shown.findings[0]?.text).toContain('请立即告知财务和IT');
  }, 180_000);

  it('reports an entry rewritten and the rest re-hashed, at that seq', async () => {
    const h = await freshTill();
    const page = await openLog(h);
    await addEntries(page, 3);
    await anchorNow(h);
    await addEntries(page, 1);
    const target = await anchorNow(h);
    await addEntries(page, 2);
    await anchorNow(h);

    // seq `target` "corrected", every later entry re-hashed so the local chain checks out again
    const worker = await h.serviceWorker();
    await worker.evaluate(async (seq: number) => {
      const stable = (value: unknown): string => {
        if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
        if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
        const entries = Object.entries(value as Record<string, unknown>)
          .filter(([, v]) => v !== undefined)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stable(v)}`).join(',')}}`;
      };
      const sha = async (text: string): Promise<string> =>
        [...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))].map((b) => b.toString(16).padStart(2, '0')).join('');
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('tenderbridge');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const all = await new Promise<Array<Record<string, unknown> & { seq: number; hash: string }>>((resolve, reject) => {
        const req = db.transaction('audit').objectStore('audit').getAll();
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      all.sort((a, b) => a.seq - b.seq);
      let prevHash = all.find((e) => e.seq === seq - 1)?.hash ?? '0'.repeat(64);
      const rewritten: Array<Record<string, unknown>> = [];
      for (const entry of all.filter((e) => e.seq >= seq)) {
        const { hash: _old, ...rest } = entry;
        const changed = entry.seq === seq ? { ...rest, code: 'forged', detail: { ...(rest.detail as object), count: 99 } } : rest;
        const unsigned = { ...changed, prevHash };
        const hash = await sha(stable(unsigned));
        rewritten.push({ ...unsigned, hash });
        prevHash = hash;
      }
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction('audit', 'readwrite');
        for (const e of rewritten) tx.objectStore('audit').put(e);
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    }, target.seq);
    expect((await auditRows(h)).find((e) => e.seq === target.seq)?.hash).not.toBe(target.hash);

    const shown = await verifyAll(page);
    expect(shown.localOk).toBe('true');
    expect(shown.findings).toHaveLength(1);
    expect(shown.findings[0]?.kind).toBe('rewritten');
    expect(shown.findings[0]?.text).toContain(`审计记录被改写：桥接里记下的第 ${target.seq} 条与本机不一致，第 ${target.seq} 条中有记录被改过并重新计算了哈希`);
    expect(shown.findings[0]?.text).toContain('请立即告知财务和IT');
  }, 180_000);

  it('reports a retention purge as a purge, not as tampering', async () => {
    const h = await freshTill();
    // a day 500 days back, its entries the first of this till's chain (as if the till were that old)
    const oldDay = addDays(today, -500);
    const worker = await h.serviceWorker();
    await worker.evaluate(async (day: string) => {
      const stable = (value: unknown): string => {
        if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
        if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
        const entries = Object.entries(value as Record<string, unknown>)
          .filter(([, v]) => v !== undefined)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stable(v)}`).join(',')}}`;
      };
      const sha = async (text: string): Promise<string> =>
        [...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))].map((b) => b.toString(16).padStart(2, '0')).join('');
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('tenderbridge');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      let prevHash = '0'.repeat(64);
      const rows: Array<Record<string, unknown>> = [];
      for (let seq = 1; seq <= 3; seq += 1) {
        const unsigned = { type: 'bridge.listTenders', code: 'ok', detail: { day, status: 200, durationMs: 5, count: 0 }, seq, at: `${day}T10:0${seq}:00+08:00`, day, prevHash };
        const hash = await sha(stable(unsigned));
        rows.push({ ...unsigned, hash });
        prevHash = hash;
      }
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction('audit', 'readwrite');
        for (const r of rows) tx.objectStore('audit').add(r);
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    }, oldDay);
    const oldHead = await anchorNow(h);
    expect(oldHead.seq).toBe(3);

    const page = await openLog(h);
    await addEntries(page, 2);
    // the old day exported (with its audit entries), so it may be purged
    expect(await send(page, { type: 'export.record', format: 'xlsx', fileName: 'old.xlsx', rowCount: 3, days: [{ day: oldDay, settlementCount: 0, withAudit: true, auditHeadHash: oldHead.hash }] })).toEqual({ recorded: 1 });
    // the export's head is kept as an export head
    await waitUntil('the export head', async () => {
      const kv = (await h.readStore('kv')) as Array<{ key: string; value: unknown }>;
      const anchors = kv.find((e) => e.key === 'auditAnchors')?.value;
      return typeof anchors === 'string' && (JSON.parse(anchors) as { records: Array<{ where: string }> }).records.some((r) => r.where === 'export');
    });
    await anchorNow(h);
    await signInSupervisor(page, '王主管', '246810');
    const purged = (await send(page, { type: 'retention.purge', dryRun: false })) as { auditThroughSeq: number | null; purgedDays: string[] };
    expect(purged).toMatchObject({ auditThroughSeq: 3, purgedDays: [oldDay] });
    expect((await auditRows(h))[0]?.seq).toBe(4);

    const shown = await verifyAll(page);
    expect(shown.localOk).toBe('true');
    expect(shown.findings).toHaveLength(1);
    expect(shown.findings[0]?.kind).toBe('purged');
    expect(shown.findings[0]?.text).toContain('保留期清理，不是篡改：第 3 条及以前的审计记录已按保留期清理');
    expect(shown.findings[0]?.text).toContain('王主管');
    expect(shown.summary).toContain('没有审计记录被删除或改写');
  }, 180_000);
});

describe('no bridge configured', () => {
  it('shows the newest head (seq + 16 hex) for the daily paper report, and sends nothing', async () => {
    harness = await launchBrowser({ portalPort: server.port });
    const h = harness;
    await seedSettings(h, { storeCode: 'S0012', cashierId: 'C01' });
    let page = await h.openExtensionPage(`log.html?day=${today}`);
    await page.waitForSelector('#day-view[data-ready="true"]', { timeout: 20_000 });
    await addEntries(page, 3);
    const newest = (await auditRows(h)).at(-1);
    expect(newest?.seq).toBeGreaterThanOrEqual(3);
    await page.close();
    page = await h.openExtensionPage(`log.html?day=${today}`);
    await page.waitForSelector('#day-view[data-ready="true"]', { timeout: 20_000 });
    await page.waitForSelector(`#anchor-head[data-seq="${newest?.seq}"]`, { timeout: 10_000 });
    const headText = await page.$eval('#anchor-head', (el) => el.textContent ?? '');
    expect(headText).toContain('请抄在每日纸质日报上');
    expect(headText).toContain(`#${newest?.seq} ${newest?.hash.slice(0, 16)}`);
    expect(headText).not.toContain(newest?.hash.slice(0, 17));
    const shown = await verifyAll(page);
    expect(shown.findings).toEqual([]);
    expect(shown.summary).toContain('还没有可核对的审计头');
    // nothing was sent: the kv table holds no anchored head
    const kv = (await h.readStore('kv')) as Array<{ key: string; value: unknown }>;
    const anchors = kv.find((e) => e.key === 'auditAnchors')?.value;
    expect(typeof anchors === 'string' ? (JSON.parse(anchors) as { records: unknown[] }).records : []).toEqual([]);
  }, 120_000);
});
