import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmod, cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElementHandle, Page } from 'puppeteer-core';
import { startPortalServer } from './harness/portal-server.mjs';
import { CHROMIUM_PATH, launchBrowser } from './harness/browser.mjs';
import { gunScan } from './harness/keys.mjs';
import { createRuyitongSimulator } from './sim/ruyitong/server.mjs';
import { startBridgeSimulator } from './bridge-sim/server.mjs';
import { clickOverlayButton, seedSettings, waitForOverlay } from './support/extension.mjs';
import { clickButton, typeByPlaceholder, waitUntil } from './support/cashier';
import { RUYITONG_PORTAL_SETTINGS, customerPays, nextOrderNo, postAndWait, ticketFor, waitUntilFilled, type Harness } from './support/ruyitong';

/**
 * Issue 11, "whole portals as data" and "teach mode": on the 如医通 simulator with renamed labels
 * (?labels=renamed: the search box, the cart's headers, 「继续」 for 「下一步」, ERP单据号 for
 * 门店订单号, 收款完成 / 平台单号 / 本单合计 on the result), which the providers were not written
 * against:
 *  1. the unchanged build stops (and offers 「复制诊断信息」);
 *  2. teach mode, started from the options page, walks one sale by hand and produces a pack,
 *     which the options page checks and dry-runs on the open portal page;
 *  3. the pack, delivered through enterprise policy (a Chromium of its own with a managed policy
 *     file, in a private mount namespace so no other browser on the machine sees it), makes the
 *     same build complete the sale: scan → fill → pay → capture → 下账 → exactly one tender;
 *  4. packs that would fill a 密码 field or click 确认支付 are refused, with the reason shown.
 */
const EXTENSION_ID = 'eobdeocgefloaciaacgmcmnlanfnpgek';
const STORE_SECRET = 'store-secret';
const LINE = { code: '6923456789012', qty: 2, unitFen: 2400 };

const sim = createRuyitongSimulator({ latency: [20, 120] });
let server: Awaited<ReturnType<typeof startPortalServer>>;
let bridge: Awaited<ReturnType<typeof startBridgeSimulator>>;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  bridge = await startBridgeSimulator({ stores: { S0012: STORE_SECRET } });
  server = await startPortalServer({ simulators: [sim] });
}, 60_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await server?.close();
  await bridge?.close();
});

async function seed(harness: Harness): Promise<void> {
  await seedSettings(harness, {
    storeCode: 'S0012',
    cashierId: 'C01',
    bridge: { baseUrl: bridge.url, secret: STORE_SECRET },
    portals: RUYITONG_PORTAL_SETTINGS,
  });
}

/**
 * A Chromium that reads `policy` as this extension's managed settings: /etc/chromium is
 * bind-mounted over, for this process only (unshare -m), with policies/managed/ holding it.
 */
async function chromiumWithPolicy(policy: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tb-policy-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const etc = join(dir, 'etc-chromium');
  await cp('/etc/chromium', etc, { recursive: true });
  await mkdir(join(etc, 'policies', 'managed'), { recursive: true });
  await writeFile(join(etc, 'policies', 'managed', 'tenderbridge.json'), JSON.stringify({ '3rdparty': { extensions: { [EXTENSION_ID]: policy } } }));
  const wrapper = join(dir, 'chromium');
  await writeFile(wrapper, `#!/bin/sh\nexec unshare -m /bin/sh -c 'mount --bind "$0" /etc/chromium && exec ${CHROMIUM_PATH} "$@"' '${etc}' "$@"\n`);
  await chmod(wrapper, 0o755);
  return wrapper;
}

/** Logs in on the renamed variant and stands on the trade page. */
async function openRenamedTrade(harness: Harness): Promise<Page> {
  const page = await harness.openPortal('ruyitong', '/?labels=renamed#/login');
  await page.setViewport({ width: 1400, height: 900 });
  await typeByPlaceholder(page, '请输入用户名', 'ryt_md001');
  await typeByPlaceholder(page, '请输入密码', 'secret');
  await clickButton(page, '登录');
  await page.waitForFunction(() => location.hash === '#/trade', { timeout: 10_000 });
  await page.waitForSelector('input[placeholder="扫码或输入货号"]', { visible: true });
  return page;
}

/** The teach panel's question (a closed shadow root: read through the accessibility tree, as a screen reader would). */
async function question(page: Page, text: string): Promise<void> {
  await page.waitForSelector(`::-p-aria(${text})`, { timeout: 20_000 });
}

async function panelButton(page: Page, name: string): Promise<void> {
  const button = await page.waitForSelector(`::-p-aria([name="${name}"][role="button"])`, { timeout: 10_000 });
  await button!.click();
}

/** The cell of the cart row showing `code`, in the column whose header reads `header`. */
async function cartCell(page: Page, code: string, header: string): Promise<ElementHandle<Element>> {
  const handle = await page.waitForFunction(
    (c: string, h: string) => {
      const table = Array.from(document.querySelectorAll('.ryt-cart, .el-table')).find((t) => t.textContent?.includes(c));
      const headers = Array.from(table?.querySelectorAll('thead th') ?? []).map((th) => th.textContent?.trim());
      const row = Array.from(table?.querySelectorAll('tbody tr') ?? []).find((tr) => tr.textContent?.includes(c));
      const cell = row?.children[headers.indexOf(h)];
      return cell?.querySelector('input') ?? cell ?? null;
    },
    { timeout: 10_000, polling: 50 },
    code,
    header,
  );
  return handle as ElementHandle<Element>;
}

/** The value cell next to a label in the result dialog. */
async function resultValue(page: Page, label: string): Promise<ElementHandle<Element>> {
  const handle = await page.waitForFunction(
    (l: string) => {
      const labelCell = Array.from(document.querySelectorAll('.ryt-result-dialog .el-descriptions__label')).find((c) => c.textContent?.trim() === l);
      return labelCell?.nextElementSibling ?? null;
    },
    { timeout: 10_000, polling: 50 },
    label,
  );
  return handle as ElementHandle<Element>;
}

async function optionsPage(harness: Harness): Promise<Page> {
  const page = await harness.openExtensionPage('options.html');
  await page.waitForSelector('#packs-title');
  return page;
}

/** Clicks an options-page button by its text (scrolled into view first, as a person scrolls to it). */
async function press(page: Page, text: string): Promise<void> {
  const button = await page.waitForSelector(`section.packs button::-p-text(${text})`, { visible: true, timeout: 10_000 });
  await button!.click();
}

async function packsText(page: Page): Promise<string> {
  return page.$eval('section.packs', (el) => (el as HTMLElement).innerText);
}

let taughtPack = '';

describe('teach mode and portal packs (如医通, renamed labels)', () => {
  it('the unchanged build stops on the renamed page; teach mode walks one sale and produces a pack that the options page checks and dry-runs', async () => {
    const harness = await launchBrowser({ portalPort: server.port });
    cleanups.push(() => harness.close());
    await seed(harness);

    // 1. before teaching: the scan is read, the fill stops (the lexicon and the structural search box
    // find the renamed search box; the renamed cart headers are past what any word list knows), and
    // support can get a diagnostic outline
    const portal = await openRenamedTrade(harness);
    await portal.focus('input[placeholder="扫码或输入货号"]');
    await gunScan(portal, ticketFor(nextOrderNo(), [LINE]));
    const stopped = await waitForOverlay(portal, (s) => s.kind === 'error', 45_000);
    expect(stopped.text).toContain('自动填写已停止');
    expect(stopped.text).toContain('未付款，未下账');
    expect(stopped.buttons).toContain('复制诊断信息');
    await harness.browser.defaultBrowserContext().overridePermissions('https://saas.ringnex.com', ['clipboard-read', 'clipboard-write', 'clipboard-sanitized-write']);
    await clickOverlayButton(portal, '复制诊断信息');
    await waitForOverlay(portal, (s) => s.text.includes('诊断信息已复制'));
    const outline = await portal.evaluate(() => navigator.clipboard.readText());
    expect(outline).toContain('"placeholder": "扫码或输入货号"');
    expect(outline).toMatch(/"target": "/);
    expect(outline).not.toContain(LINE.code);
    await portal.reload();
    await portal.waitForSelector('input[placeholder="扫码或输入货号"]', { visible: true });

    // 2. teach mode from the options page
    const options = await optionsPage(harness);
    expect(await packsText(options)).toMatch(/如医通\s*内置 v/);
    await press(options, '教一教（在打开的网站页面上）');
    const note = await options.waitForSelector('.packs-status .status', { timeout: 10_000 });
    expect(await note!.evaluate((el) => el.textContent)).toContain('已在「如医通」页面打开教一教面板');

    const orderNo = nextOrderNo();
    await question(portal, '请点击商品搜索框');
    await portal.click('input[placeholder="扫码或输入货号"]');
    await portal.keyboard.type(LINE.code);
    await portal.keyboard.press('Enter');
    // the search shows one hit: the hit list and its 「添加商品」 never appear on this sale
    await question(portal, '请点击表格里刚加入的那一行的「条码」');
    await panelButton(portal, '跳过');
    await question(portal, '请点击「添加商品」按钮');
    await panelButton(portal, '跳过');
    await question(portal, '请点击表格里刚加入的那一行的「条码」');
    await (await cartCell(portal, LINE.code, '国际编码')).click();
    await question(portal, '请点击表格里刚加入的那一行的「价格」');
    await (await cartCell(portal, LINE.code, '零售价(元)')).click();
    await question(portal, '请点击表格里刚加入的那一行的「数量」');
    await (await cartCell(portal, LINE.code, '件数')).click();
    await question(portal, '请点击「下一步」按钮');
    await clickButton(portal, '继续');
    await question(portal, '请点击门店订单号输入框');
    await (await portal.waitForSelector('input[placeholder="请输入ERP单据号"]', { visible: true }))!.click();
    await question(portal, '请点击录入交易凭证页面');
    // typed after the click was taken (focus alone, no click: the answer is already recorded)
    // (slowly, as a person: a fast letter-led burst is what a scanner sends)
    await portal.type('input[placeholder="请输入ERP单据号"]', orderNo, { delay: 120 });
    await clickButton(portal, '继续');
    await (await portal.waitForSelector('input[placeholder="请输入顾客身份证号"]', { visible: true }))!.click();
    await question(portal, '结算成功后，请点击显示结果的那句话（原来是「交易成功」）');
    await customerPays(portal);
    await (await portal.waitForSelector('.ryt-result-dialog .el-dialog__title', { visible: true }))!.click();
    for (const [asked, original, shown] of [
      ['交易流水号', '交易流水号', '平台单号'],
      ['门店订单号', '门店订单号', 'ERP单据号'],
      ['交易金额', '交易金额', '本单合计'],
      ['卡支付金额', '卡支付', '卡支付'],
      ['现金金额', '现金支付', '现金支付'],
      ['卡号或证件号', '身份证号', '身份证号'],
      ['交易时间', '交易时间', '交易时间'],
    ] as const) {
      await question(portal, `请点击显示${asked}的那一行（原来的标签是「${original}」）`);
      await (await resultValue(portal, shown)).click();
    }
    await question(portal, '教一教完成：配置包已生成');
    await clickButton(portal, '完成');
    // back on a new sale's first step (the result dialog has faded out: a dry run reads what is on screen)
    await portal.waitForSelector('.ryt-result-dialog', { hidden: true, timeout: 10_000 });
    await portal.waitForSelector('input[placeholder="扫码或输入货号"]', { visible: true });

    // 3. the options page has the pack: checked by the extension's rules, dry-run on the open page
    await options.bringToFront();
    await options.waitForFunction(() => (document.querySelector('#pack-text') as HTMLTextAreaElement | null)?.value.includes('"portal": "ruyitong"'), { timeout: 10_000 });
    taughtPack = await options.$eval('#pack-text', (el) => (el as HTMLTextAreaElement).value);
    const pack = JSON.parse(taughtPack) as { mode: string; definition: { targets: Record<string, Array<{ by: string; value: string }>>; capture: Array<{ marker: string }> } };
    expect(pack.mode).toBe('patch');
    expect(pack.definition.targets.searchBox?.[0]).toEqual({ by: 'placeholder', value: '扫码或输入货号' });
    expect(pack.definition.targets.nextButton?.[0]).toEqual({ by: 'text', value: '继续' });
    expect(pack.definition.targets.storeOrderNo?.[0]).toEqual({ by: 'label', value: 'ERP单据号' });
    expect(pack.definition.capture[0]?.marker).toBe('收款完成');
    expect(taughtPack).toContain('"零售价(元)"');
    // no input value, no ID number, no order number was recorded
    for (const secret of [orderNo, '110101199003071234', '246810', LINE.code]) expect(taughtPack).not.toContain(secret);

    await press(options, '检查');
    await options.waitForFunction(() => document.body.innerText.includes('可以使用：如医通 配置包'), { timeout: 10_000 });
    await portal.waitForSelector('input[placeholder="扫码或输入货号"]', { visible: true });
    await press(options, '在打开的网站页面上试运行');
    await options.waitForSelector('[data-dry-run="done"]', { timeout: 10_000 });
    const taughtRun = await options.$eval('.dry-run', (el) => (el as HTMLElement).innerText);
    expect(taughtRun).toMatch(/元素 商品搜索框\s*找到/);
    expect(taughtRun).toMatch(/元素 「下一步」按钮\s*找到/);
    await press(options, '试运行当前生效的定义');
    await options.waitForFunction(() => document.querySelector('.dry-run')?.textContent?.includes('元素') && document.querySelector('[data-dry-run="done"]'), { timeout: 10_000 });
    const builtInRun = await options.$eval('.dry-run', (el) => (el as HTMLElement).innerText);
    // the built-in finds the renamed search box by its structure, but not everything the page renamed
    expect(builtInRun).toMatch(/找不到/);
    expect(builtInRun).toMatch(/元素 「下一步」按钮\s*找不到/);
    // nothing was filled by the dry runs
    expect(await portal.$eval('input[placeholder="扫码或输入货号"]', (el) => (el as HTMLInputElement).value)).toBe('');
  }, 240_000);

  it('the taught pack, delivered by enterprise policy, completes the sale on the same build; packs that would fill 密码 or click 确认支付 are refused with the reason shown', async () => {
    expect(taughtPack, 'the teach test ran first').not.toBe('');
    const badClick = JSON.stringify({
      packVersion: 1,
      portal: 'huiyika',
      version: '7',
      mode: 'patch',
      definition: { targets: { settleButton: [{ by: 'text', value: '确认支付' }] } },
    });
    const executablePath = await chromiumWithPolicy({ portalPacks: [taughtPack, badClick] });
    const harness = await launchBrowser({ portalPort: server.port, executablePath });
    cleanups.push(() => harness.close());
    await seed(harness);

    const options = await optionsPage(harness);
    await options.waitForFunction(() => /如医通\s*配置包 v\S+（企业策略，patch）/.test((document.querySelector('section.packs') as HTMLElement).innerText), { timeout: 10_000 });
    const shown = await packsText(options);
    expect(shown).toMatch(/慧医卡\s*内置 v/);
    expect(shown).toContain('企业策略里的配置包（慧医卡 v7）未生效');
    expect(shown).toContain('它是付款按钮（「确认支付」）');

    // a pasted pack that would type into the password field
    const badFill = JSON.stringify({
      packVersion: 1,
      portal: 'ruyitong',
      version: '8',
      mode: 'patch',
      definition: { targets: { storeOrderNo: [{ by: 'placeholder', value: '请输入6位数字密码' }] } },
    });
    await options.$eval('#pack-text', (el, value) => {
      const area = el as HTMLTextAreaElement;
      area.value = value;
      area.dispatchEvent(new Event('input', { bubbles: true }));
    }, badFill);
    await press(options, '检查');
    await options.waitForSelector('[data-pack-check="refused"]', { timeout: 10_000 });
    const refusal = await options.$eval('[data-pack-check="refused"]', (el) => (el as HTMLElement).innerText);
    expect(refusal).toContain('不能使用这个配置包');
    expect(refusal).toContain('它是密码框（「密码」）：下账助手永远不填密码');
    await press(options, '保存到本机');
    const worker = await harness.serviceWorker();
    const stored = await worker.evaluate(async () => {
      const { chrome } = globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, { portalPacks?: unknown } | undefined>> } } } };
      return JSON.stringify((await chrome.storage.local.get('settings')).settings?.portalPacks ?? []);
    });
    expect(stored, 'a refused pack is never saved').toBe('[]');

    // the sale, on the renamed page, through the policy's pack
    const orderNo = nextOrderNo();
    const portal = await openRenamedTrade(harness);
    await portal.focus('input[placeholder="扫码或输入货号"]');
    await gunScan(portal, ticketFor(orderNo, [LINE]));
    await waitUntilFilled(portal);
    const cart = await portal.evaluate(() => (window as unknown as { __ruyitong: { state(): { cart: Array<{ barcode: string; qty: number; unitFen: number }>; storeOrderNo: string } } }).__ruyitong.state());
    expect(cart.storeOrderNo).toBe(orderNo);
    expect(cart.cart.map(({ barcode, qty, unitFen }) => ({ code: barcode, qty, unitFen }))).toEqual([LINE]);
    await customerPays(portal);
    await waitForOverlay(portal, (s) => s.code === 'CAPTURED', 20_000);
    const settlements = ((await harness.readStore('settlements')) as Array<{ id: string; orderNo: string; amountFen: number; status: string }>).filter((s) => s.orderNo === orderNo);
    expect(settlements).toHaveLength(1);
    expect(settlements[0]).toMatchObject({ status: 'success', amountFen: LINE.qty * LINE.unitFen });
    await postAndWait(harness, settlements[0]!.id);
    const tenders = await waitUntil('the bridge to hold the tender', async () => {
      const found = (bridge.tenders() as Array<{ orderNo: string; amountFen: number; paymentMethodId: number }>).filter((t) => t.orderNo === orderNo);
      return found.length ? found : null;
    });
    expect(tenders).toHaveLength(1);
    expect(tenders[0]).toMatchObject({ amountFen: LINE.qty * LINE.unitFen, paymentMethodId: 27 });
  }, 240_000);
});
