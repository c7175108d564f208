import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import readXlsxFile from 'read-excel-file/node';
import { startPortalServer } from './harness/portal-server.mjs';
import { launchBrowser } from './harness/browser.mjs';
import { createRuyitongSimulator } from './sim/ruyitong/server.mjs';
import { startBridgeSimulator } from './bridge-sim/server.mjs';
import { seedSettings, signInSupervisor } from './support/extension.mjs';
import { waitUntil } from './support/cashier';
import { readTable, rowWith, type ReadRow } from './support/read-table';
import { RUYITONG_PORTAL_SETTINGS, nextOrderNo, postAndWait, refundOnPortal, sellThroughPortal, type Harness } from './support/ruyitong';
import { storeIso } from '../shared/time';
import { addDays } from '../shared/reconcile';

/**
 * Issue 6 in the real build: a day made through the 如医通 simulator's real flows (scan, fill,
 * the customer pays, 「下账」 in the popup, a 退货 on 交易查询) plus tenders seeded straight into
 * the bridge simulator as if typed by hand in Yingke. The supervisors' page must show each entry
 * for what it is, audit a 「处理」 mark, export an .xlsx that parses back to the same rows, and
 * report an audit row edited behind its back.
 */
type Settlement = { id: string; kind: string; status: string; day: string; orderNo: string; vendorOrderNo: string; amountFen: number; refundOf?: string };
type AuditRow = { seq: number; day: string; type: string; detail: Record<string, unknown>; hash: string };

const ONE_LINE = [{ code: '6923456789012', qty: 1, unitFen: 2600 }];
const TWO_LINES = [
  { code: '6923456789012', qty: 1, unitFen: 2600 },
  { code: '6934567890122', qty: 2, unitFen: 3400 },
];

const sim = createRuyitongSimulator({ latency: [10, 60] });
let server: Awaited<ReturnType<typeof startPortalServer>>;
let bridge: Awaited<ReturnType<typeof startBridgeSimulator>>;
let harness: Harness;
let downloads: string;

/** The day's cast: which order number plays which part. */
const cast = { posted: nextOrderNo(), oneSided: nextOrderNo(), mismatched: nextOrderNo(), refunded: nextOrderNo(), yingkeOnly: nextOrderNo() };
let day = '';
const ids: Record<'posted' | 'oneSided' | 'mismatched' | 'refunded' | 'refund', string> = { posted: '', oneSided: '', mismatched: '', refunded: '', refund: '' };
let mismatchedVendorNo = '';

async function settlements(): Promise<Settlement[]> {
  return (await harness.readStore('settlements')) as Settlement[];
}

async function only(orderNo: string, kind = 'sale'): Promise<Settlement> {
  const found = (await settlements()).filter((s) => s.orderNo === orderNo && s.kind === kind);
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** Opens the log on `day` and waits until Yingke's list is fetched and the table is on screen. */
async function openLog(query = ''): Promise<Page> {
  const page = await harness.openExtensionPage(`log.html?day=${day}${query}`);
  await page.setViewport({ width: 1500, height: 1000 });
  // the Yingke fetch reloads the day once it is in: wait for the table that includes it
  await page.waitForSelector('#day-view[data-ready="true"][data-yingke="fetched"]', { timeout: 20_000 });
  return page;
}

const attr = (page: Page, selector: string, name: string): Promise<string | null> =>
  page.$eval(selector, (el, n) => el.getAttribute(n), name).catch(() => null);

beforeAll(async () => {
  downloads = await mkdtemp(join(tmpdir(), 'tb-downloads-'));
  bridge = await startBridgeSimulator({ stores: { S0012: 'store-secret' } });
  server = await startPortalServer({ simulators: [sim] });
  harness = await launchBrowser({ portalPort: server.port });
  await seedSettings(harness, { storeCode: 'S0012', cashierId: 'C01', bridge: { baseUrl: bridge.url, secret: 'store-secret' }, portals: RUYITONG_PORTAL_SETTINGS });

  // posted: sold and 「下账」 from the popup
  const posted = await sellThroughPortal(harness, sim, cast.posted, ONE_LINE);
  ({ id: ids.posted, day } = await only(cast.posted));
  await postAndWait(harness, ids.posted);
  await posted.page.close();

  // one-sided: the card was charged, nobody posted it
  const oneSided = await sellThroughPortal(harness, sim, cast.oneSided, TWO_LINES);
  ids.oneSided = (await only(cast.oneSided)).id;
  await oneSided.page.close();

  // mismatched: not posted by the extension, typed by hand in Yingke with ¥1.00 too much
  const mismatched = await sellThroughPortal(harness, sim, cast.mismatched, ONE_LINE);
  ids.mismatched = (await only(cast.mismatched)).id;
  mismatchedVendorNo = mismatched.order.vendorOrderNo;
  await mismatched.page.close();

  // refunded: sold, posted, then 退货 on 交易查询 and the reversal posted too
  const refunded = await sellThroughPortal(harness, sim, cast.refunded, ONE_LINE);
  ids.refunded = (await only(cast.refunded)).id;
  await postAndWait(harness, ids.refunded);
  await refundOnPortal(refunded.page, refunded.order.vendorOrderNo);
  ids.refund = (await only(cast.refunded, 'refund')).id;
  await postAndWait(harness, ids.refund);
  await refunded.page.close();

  const handTyped = {
    kind: 'sale' as const,
    storeCode: 'S0012',
    cashierId: 'C01',
    provider: 'ruyitong',
    paymentMethodId: 27,
    paymentMethodName: '如医通',
    cashFen: 0,
    settledAt: storeIso(Date.now()),
  };
  bridge.seedTenders([
    { ...handTyped, tenderId: 'hand-typed-mismatch', orderNo: cast.mismatched, vendorOrderNo: mismatchedVendorNo, amountFen: 2600 + 100 },
    { ...handTyped, tenderId: 'hand-typed-orphan', orderNo: cast.yingkeOnly, vendorOrderNo: 'RYT-NOT-CAPTURED-1', amountFen: 4500 },
  ]);
}, 240_000);

afterAll(async () => {
  await harness?.close();
  await server?.close();
  await bridge?.close();
  if (downloads) await rm(downloads, { recursive: true, force: true });
});

describe('the daily log of a real day', () => {
  it('shows posted, one-sided, mismatched, refunded and Yingke-only entries for what they are', async () => {
    const page = await openLog();
    const row = (id: string): string => `#settlements tr[data-settlement-id="${id}"]`;

    // first what the supervisor reads: each settlement found by its 网站流水号, its 状态 and 差异
    const stored = new Map((await settlements()).map((s) => [s.id, s]));
    const table = await readTable(page, '#settlements');
    const line = (id: keyof typeof ids): ReadRow => rowWith(table, { 网站流水号: stored.get(ids[id])!.vendorOrderNo });
    expect(line('posted')['状态']).toContain('已下账');
    expect(line('posted')['差异']).toBe('');
    expect(line('oneSided')['状态']).toContain('待下账');
    expect(line('oneSided')['差异']).toContain('单边账：网站已扣款，英克无记录');
    expect(line('mismatched')['差异']).toContain('金额不符');
    expect(line('refunded')['状态']).toContain('已退货');
    expect(line('refund')['类型']).toBe('退货');
    expect(line('refund')['状态']).toContain('已下账');
    expect(line('refund')['差异']).toBe('');

    const diffs = await readTable(page, '#differences');
    const oneSidedRead = rowWith(diffs, { '英克单号 / 网站流水号': cast.oneSided });
    expect(oneSidedRead['差异类型']).toContain('单边账：网站已扣款，英克无记录');
    expect(oneSidedRead['差异类型']).toContain('还没有下账到英克');
    expect(oneSidedRead['处理状态']).toContain('待定');
    const amountRead = rowWith(diffs, { '英克单号 / 网站流水号': cast.mismatched, 差异类型: '金额不符' });
    expect(amountRead['差异类型']).toContain('金额不符');
    expect(amountRead['处理状态']).toContain('未处理');
    expect(rowWith(diffs, { '英克单号 / 网站流水号': 'RYT-NOT-CAPTURED-1' })['差异类型']).toContain('单边账：英克有记录，无结算');
    expect(diffs.filter((d) => d['英克单号 / 网站流水号']!.includes(cast.refunded))).toEqual([]);

    const yingke = await readTable(page, '#yingke-tenders');
    expect(rowWith(yingke, { 网站流水号: 'RYT-NOT-CAPTURED-1' })['已对上']).toBe('无对应结算');
    expect(rowWith(yingke, { 网站流水号: mismatchedVendorNo })['已对上']).toBe('✓');
    expect(rowWith(yingke, { 网站流水号: stored.get(ids.posted)!.vendorOrderNo })['已对上']).toBe('✓');
    // four card sales of the day and one refund: ¥26.00 + ¥94.00 + ¥26.00 + ¥26.00 − ¥26.00
    expect(rowWith(await readTable(page, '#totals'), { 网站: '如医通' })['净额']).toBe('¥146.00');

    // then the hooks other tests and tools rely on say the same
    expect(await attr(page, row(ids.posted), 'data-state')).toBe('posted');
    expect(await attr(page, row(ids.posted), 'data-diff-kinds')).toBe('');

    // one-sided: charged on the card, not in Yingke. Still in the pending pool on its own day
    // (Yingke may yet get it by hand), flagged all the same.
    expect(await attr(page, row(ids.oneSided), 'data-state')).toBe('pending');
    expect(await attr(page, row(ids.oneSided), 'data-diff-kinds')).toBe('vendor-only');
    const oneSidedDiff = `#differences tr[data-settlement-id="${ids.oneSided}"]`;
    expect(await attr(page, oneSidedDiff, 'data-diff-kind')).toBe('vendor-only');
    expect(await attr(page, oneSidedDiff, 'data-diff-reason')).toBe('not-posted');
    expect(await attr(page, oneSidedDiff, 'data-status')).toBe('pending');

    // mismatched: Yingke's hand-typed tender matched by the vendor number, ¥1.00 apart
    expect(await attr(page, row(ids.mismatched), 'data-diff-kinds')).toContain('amount');
    const amountDiff = `#differences tr[data-diff-kind="amount"][data-settlement-id="${ids.mismatched}"]`;
    expect(await attr(page, amountDiff, 'data-status')).toBe('open');
    expect(await page.$eval(amountDiff, (el) => el.textContent ?? '')).toContain('+¥1.00');

    // refunded: the sale shows as refunded, the reversal as a posted refund, no difference
    expect(await attr(page, row(ids.refunded), 'data-state')).toBe('refunded');
    expect(await attr(page, row(ids.refund), 'data-kind')).toBe('refund');
    expect(await attr(page, row(ids.refund), 'data-state')).toBe('posted');
    expect(await attr(page, row(ids.refund), 'data-diff-kinds')).toBe('');
    expect(await page.$(`#differences tr[data-settlement-id="${ids.refunded}"], #differences tr[data-settlement-id="${ids.refund}"]`)).toBeNull();

    // Yingke-only: a tender no settlement explains
    expect(await attr(page, '#differences tr[data-tender-id="hand-typed-orphan"]', 'data-diff-kind')).toBe('yingke-only');
    expect(await attr(page, '#yingke-tenders tr[data-tender-id="hand-typed-orphan"]', 'data-matched')).toBe('false');
    expect(await attr(page, '#yingke-tenders tr[data-tender-id="hand-typed-mismatch"]', 'data-matched')).toBe('true');
    expect(await attr(page, `#yingke-tenders tr[data-tender-id="${ids.posted}"]`, 'data-matched')).toBe('true');

    // the totals: four card sales of the day and one refund, in fen
    const net = Number(await attr(page, '#totals tr[data-portal="ruyitong"] td[data-field="net"]', 'data-fen'));
    expect(net).toBe(2600 + (2600 + 2 * 3400) + 2600 + 2600 - 2600);
    expect(harness.pageErrors).toEqual([]);
    await page.close();
  });

  it('keeps the one-sided entry flagged when the day is looked at later without Yingke’s list of the next day', async () => {
    const page = await openLog(`&asOf=${addDays(day, 2)}`);
    expect(await attr(page, '#as-of', 'data-as-of')).toBe(addDays(day, 2));
    const oneSidedDiff = `#differences tr[data-settlement-id="${ids.oneSided}"]`;
    expect(await attr(page, oneSidedDiff, 'data-diff-kind')).toBe('vendor-only');
    // the pool can only close once Yingke's list was read after the day ended: it says so
    expect(await attr(page, oneSidedDiff, 'data-pending')).toBe('yingke-not-fetched');
    const read = rowWith(await readTable(page, '#differences'), { '英克单号 / 网站流水号': cast.oneSided });
    expect(read['差异类型']).toContain('单边账：网站已扣款，英克无记录');
    expect(read['处理状态']).toContain('观察中：英克记录未完整拉取');
    await page.close();
  });

  it('marks a difference handled, with who and why, in the audit trail', async () => {
    const page = await openLog();
    // "who" is the supervisor whose PIN this page took, not a typed name
    await signInSupervisor(page, '王店长', '246810');
    const amountDiff = `#differences tr[data-diff-kind="amount"][data-settlement-id="${ids.mismatched}"]`;
    const diffId = await attr(page, amountDiff, 'data-diff-id');
    expect(diffId).toBeTruthy();
    await page.click(`${amountDiff} button[data-action="handle"]`);
    const form = `#differences tr[data-form-for="${diffId}"]`;
    await page.waitForSelector(form, { timeout: 5_000 });
    await page.click(`${form} input[name="basis"][value="vendor"]`);
    await page.type(`${form} textarea[name="remark"]`, '英克手工多录1元，已冲正');
    await page.click(`${form} button[data-action="confirm-handle"]`);
    await page.waitForSelector(`${amountDiff}[data-status="handled"]`, { timeout: 10_000 });
    const handled = rowWith(await readTable(page, '#differences'), { '英克单号 / 网站流水号': cast.mismatched, 差异类型: '金额不符' });
    expect(handled['处理状态']).toContain('已处理');
    expect(handled['处理状态']).toContain('王店长');

    const audit = (await harness.readStore('audit')) as AuditRow[];
    const marks = audit.filter((a) => a.type === 'exception.handled');
    expect(marks).toHaveLength(1);
    expect(marks[0]!.detail).toMatchObject({ diffId, basis: 'vendor', by: '王店长' });
    await page.close();
  });

  it('exports the day as .xlsx that parses back to the same rows', async () => {
    const page = await openLog();
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads, eventsEnabled: true });
    await page.click('#export-xlsx');
    await page.waitForSelector('#export-status[data-state="done"]', { timeout: 20_000 });
    const fileName = `下账日志_S0012_${day}.xlsx`;
    await waitUntil('the downloaded file', async () => (await readdir(downloads)).includes(fileName));

    const book = new Map((await readXlsxFile(join(downloads, fileName))).map((s) => [s.sheet, s.data]));
    const sheet = (name: string): Array<Array<unknown>> => {
      const data = book.get(name);
      if (!data) throw new Error(`no sheet ${name}; sheets: ${[...book.keys()].join(', ')}`);
      return data;
    };
    const column = (rows: Array<Array<unknown>>, header: string): number => {
      const i = rows[0]!.indexOf(header);
      if (i < 0) throw new Error(`no column ${header} in ${JSON.stringify(rows[0])}`);
      return i;
    };

    const settled = sheet('结算');
    const idCol = column(settled, '结算编号');
    const cardCol = column(settled, '卡支付金额');
    const exported = new Map(settled.slice(1).map((r) => [String(r[idCol]), r]));
    const stored = (await settlements()).filter((s) => s.day === day);
    expect([...exported.keys()].sort()).toEqual(stored.map((s) => s.id).sort());
    for (const s of stored) expect(exported.get(s.id)?.[cardCol]).toBe(s.amountFen / 100);

    const diffs = sheet('差异');
    const diffIdCol = column(diffs, '差异编号');
    const remarkCol = column(diffs, '备注');
    const handled = diffs.find((r) => String(r[diffIdCol]).includes(ids.mismatched) && String(r[diffIdCol]).startsWith('amount:'));
    expect(handled?.[remarkCol]).toBe('英克手工多录1元，已冲正');
    expect(diffs.some((r) => String(r[diffIdCol]).startsWith('vendor-only:') && String(r[diffIdCol]).includes(ids.oneSided))).toBe(true);
    expect(diffs.some((r) => String(r[diffIdCol]).includes('hand-typed-orphan'))).toBe(true);

    // the audit sheet: the day's chain as it stood, each row with its own hash
    const auditSheet = sheet('审计');
    const seqCol = column(auditSheet, '序号');
    const hashCol = column(auditSheet, '哈希');
    const storedAudit = new Map(((await harness.readStore('audit')) as AuditRow[]).map((a) => [a.seq, a]));
    expect(auditSheet.length).toBeGreaterThan(10);
    for (const r of auditSheet.slice(1)) expect(storedAudit.get(Number(r[seqCol]))?.hash).toBe(r[hashCol]);
    expect(auditSheet.slice(1).some((r) => storedAudit.get(Number(r[seqCol]))?.type === 'exception.handled')).toBe(true);
    await page.close();
  });

  it('reports an audit row edited in IndexedDB', async () => {
    const page = await openLog();
    await page.waitForSelector('#chain-status[data-ok="true"]', { timeout: 20_000 });
    const edited = await page.evaluate(async (orderNo: string) => {
      const db = await new Promise<IDBDatabase>((ok, fail) => {
        const req = indexedDB.open('tenderbridge');
        req.onsuccess = () => ok(req.result);
        req.onerror = () => fail(req.error);
      });
      const store = db.transaction('audit', 'readwrite').objectStore('audit');
      const rows = await new Promise<Array<{ seq: number; orderNo?: string; type: string; detail: Record<string, unknown> }>>((ok, fail) => {
        const req = store.getAll();
        req.onsuccess = () => ok(req.result);
        req.onerror = () => fail(req.error);
      });
      const target = rows.find((r) => r.orderNo === orderNo && r.type.startsWith('settlement'));
      if (!target) throw new Error('no audit row for that order');
      // someone "corrects" the amount behind the extension's back
      target.detail = { ...target.detail, amountFen: 1 };
      await new Promise((ok, fail) => {
        const req = store.put(target);
        req.onsuccess = () => ok(undefined);
        req.onerror = () => fail(req.error);
      });
      db.close();
      return target.seq;
    }, cast.oneSided);

    await page.click('#verify-chain');
    await page.waitForSelector('#chain-status[data-ok="false"]', { timeout: 20_000 });
    expect(Number(await attr(page, '#chain-status', 'data-seq'))).toBe(edited);
    expect(await page.$eval('#chain-status', (el) => (el as HTMLElement).innerText)).toContain(`✗ 审计记录被改动：第 ${edited} 条`);
    await page.close();
  });
});
