// `npm run demo`: TenderBridge doing its main job on embedded defaults, on this machine only.
// Starts the portal simulators (at the portals' real hostnames, mapped to loopback) and a Yingke
// bridge simulator, loads the production build into Debian's Chromium, sets the store up through
// the options page, then: scan a Yingke ticket on 如医通 → the order fills itself → the customer
// pays → the settlement is captured → 「下账」 in the popup → the tender is on the bridge.
// Screenshots go to demo-output/. Headed when there is a display (DISPLAY set), else headless.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runnerImport } from 'vite';
import { startPortalServer } from './harness/portal-server.mjs';
import { launchBrowser } from './harness/browser.mjs';
import { gunScan } from './harness/keys.mjs';
import { minimalSimulators } from './harness/minimal.mjs';
import { createRuyitongSimulator } from './sim/ruyitong/server.mjs';
import { startBridgeSimulator } from './bridge-sim/server.mjs';
import { waitForOverlay } from './support/extension.mjs';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'demo-output');
mkdirSync(out, { recursive: true });
const { module: ticketModule } = await runnerImport(join(root, 'shared/ticket.ts'));
const { module: timeModule } = await runnerImport(join(root, 'shared/time.ts'));
const { module: cashier } = await runnerImport(join(root, 'e2e/support/cashier.ts'));

const step = (text) => console.log(`\n▶ ${text}`);
const shot = async (page, name) => {
  const path = join(out, `${name}.png`);
  await page.screenshot({ path });
  console.log(`  screenshot: ${path}`);
};

const bridge = await startBridgeSimulator({ stores: { S0012: 'demo-secret' } });
const ruyitong = createRuyitongSimulator({ latency: [50, 300] });
const server = await startPortalServer({ simulators: [...minimalSimulators().filter((s) => s.id !== 'ruyitong'), ruyitong] });
const headless = !process.env.DISPLAY;
const harness = await launchBrowser({ portalPort: server.port, headless });
let failed = false;
try {
  step('Setting up the store in the options page (门店 S0012, 如医通 → Yingke payment method 27, bridge on loopback)');
  const options = await harness.openExtensionPage('options.html');
  await options.setViewport({ width: 1280, height: 900 });
  const worker = await harness.serviceWorker();
  await worker.evaluate(async (bridgeUrl) => {
    const current = (await chrome.storage.local.get('settings')).settings ?? { version: 1 };
    const portals = current.portals ?? {};
    portals.ruyitong = { enabled: true, paymentMethodId: 27, paymentMethodName: '如医通', limits: {} };
    await chrome.storage.local.set({ settings: { ...current, version: 1, storeCode: 'S0012', cashierId: 'C01', bridge: { baseUrl: bridgeUrl, secret: 'demo-secret' }, portals } });
  }, bridge.url);
  await options.reload();
  await shot(options, '1-options');

  step('The cashier logs in to 如医通 and scans the Yingke ticket with the USB gun');
  const page = await harness.openPortal('ruyitong', '/#/login');
  await page.setViewport({ width: 1400, height: 900 });
  await cashier.typeByPlaceholder(page, '请输入用户名', 'ryt_md001');
  await cashier.typeByPlaceholder(page, '请输入密码', 'secret');
  await cashier.clickButton(page, '登录');
  await page.waitForFunction(() => location.hash === '#/trade');
  const orderNo = `XS${Date.now().toString().slice(-12)}`;
  const items = [
    { code: '6901234567892', qty: 2, unitFen: 1750 },
    { code: '6923456789012', qty: 1, unitFen: 2600 },
    { code: '6934567890122', qty: 3, unitFen: 3400 },
  ];
  const ticket = ticketModule.encodeTicket({
    store: 'S0012',
    orderNo,
    issuedAt: timeModule.storeIso(Date.now() - 60_000),
    totalFen: items.reduce((sum, i) => sum + i.qty * i.unitFen, 0),
    items,
  });
  console.log(`  ticket: ${ticket}`);
  const scannedAt = Date.now();
  await page.focus('input[placeholder="请输入商品条码/拼音首字母/商品名称"]');
  await gunScan(page, ticket);
  await waitForOverlay(page, (s) => s.code === 'READY_FOR_CREDENTIAL' || s.kind === 'error', 60_000).then((s) => {
    if (s.code !== 'READY_FOR_CREDENTIAL') throw new Error(`fill stopped: ${s.code} ${s.text}`);
  });
  console.log(`  filled and ready for the customer's credential in ${Date.now() - scannedAt} ms (simulator latency 50–300 ms per call)`);
  await shot(page, '2-filled');

  step("The customer shows the ID card and types the password; the cashier presses 「确认结账」");
  await cashier.typeByPlaceholder(page, '请输入顾客身份证号', '110101199003071234');
  await cashier.clickButton(page, '确认');
  await cashier.typeByPlaceholder(page, '请输入6位数字密码', '246810');
  await cashier.clickButton(page, '确定');
  await cashier.clickButton(page, '确认结账');
  await waitForOverlay(page, (s) => s.code === 'CAPTURED', 30_000);
  await shot(page, '3-captured');

  step('The cashier opens the toolbar popup and presses 「下账」');
  const popup = await harness.openExtensionPage('popup.html');
  await popup.setViewport({ width: 440, height: 600 });
  const button = await popup.waitForSelector('button[data-action="post"]', { timeout: 10_000 });
  await shot(popup, '4-popup');
  await button.click();
  await popup.waitForSelector('section[data-state="posted"]', { timeout: 20_000 });
  await shot(popup, '5-posted');

  const tenders = bridge.tenders().filter((t) => t.orderNo === orderNo);
  console.log(`\n✔ Yingke bridge holds ${tenders.length} tender for ${orderNo}:`);
  console.log(JSON.stringify(tenders[0], null, 2));
  if (tenders.length !== 1) failed = true;
  if (!headless) {
    console.log('\nThe browser stays open; press Ctrl+C to end the demo.');
    await new Promise((resolve) => process.once('SIGINT', resolve));
  }
} catch (error) {
  failed = true;
  console.error('\n✘ demo failed:', error);
} finally {
  await harness.close();
  await server.close();
  await bridge.close();
}
process.exit(failed ? 1 : 0);
