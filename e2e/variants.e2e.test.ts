import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPortalServer } from './harness/portal-server.mjs';
import { launchBrowser } from './harness/browser.mjs';
import { gunScan } from './harness/keys.mjs';
import { startBridgeSimulator } from './bridge-sim/server.mjs';
import { parseTicket } from '../shared/ticket';
import { VARIANTS, VARIANT_VENDOR, STORE, awaitOverlay, encodeYk1, isReady, isStop, nextOrderNo } from './variants/index.mjs';
import { runVariant, seedVariantSettings } from './variants/run.mjs';
import { inputByPlaceholder } from './variants/hands.mjs';

/**
 * Issue 11: the unchanged extension on portal variants its providers were NOT written against
 * (e2e/variants/, built from the seeds' words and other common admin-UI markup). For each: a
 * person scans a YK1 ticket, waits for the overlay to say the order is ready for the customer, the
 * customer enters credential + password and presses pay, the overlay reports the capture, 「下账」
 * in the popup, and the bridge holds exactly ONE tender with the right orderNo, amountFen, cashFen,
 * vendorOrderNo and provider. The expired-session variant must say 「请先登录」; the broken one must
 * stop naming the missing field, with nothing filled wrong and nothing posted.
 *
 * The sales table below says which variants complete today and which still stop (KNOWN GAP);
 * docs/variants.md has the first results (build b323e92) and today's.
 * e2e/variants/selftest.e2e.test.ts proves each variant works by hand, so a failure here is the
 * extension's.
 */
let server: Awaited<ReturnType<typeof startPortalServer>>;
let bridge: Awaited<ReturnType<typeof startBridgeSimulator>>;
let harness: Awaited<ReturnType<typeof launchBrowser>>;

beforeAll(async () => {
  bridge = await startBridgeSimulator({ stores: { [STORE]: 'store-secret' } });
  server = await startPortalServer({ vendor: VARIANT_VENDOR });
  harness = await launchBrowser({ server });
  await seedVariantSettings(harness, bridge);
}, 60_000);

afterAll(async () => {
  await harness?.close();
  await server?.close();
  await bridge?.close();
});

it('the variants\' tickets are valid YK1 tickets (the plain-JS encoder agrees with shared/ticket.ts)', () => {
  for (const v of VARIANTS) {
    const parsed = parseTicket(encodeYk1(STORE, 'XV123456789001', v.items));
    expect(parsed.ok, v.id).toBe(true);
  }
});

/**
 * What the extension does on each sale variant today (docs/variants.md keeps the table, with the
 * step and the overlay's words). 'completed' is the goal for all of them; a variant still marked
 * 'stops' is a KNOWN GAP of issue 11. Either way each test can fail: a completing variant must
 * complete with exactly one correct tender; a stopping one must stop with a message — nothing
 * paid, nothing posted — and when it starts completing, this table must be updated.
 */
const TODAY: Record<string, 'completed' | 'stops'> = {
  'ruyitong-eui2': 'completed',
  'boming-antd': 'completed',
  'guohui-layui': 'completed',
  'yuanfu-eui2': 'completed',
  'yuanfu-bootstrap': 'completed',
  'huiyika-server': 'completed',
};

describe('scan → fill → the customer pays → capture → 下账 → exactly one tender, or a truthful stop with nothing paid or posted', () => {
  for (const variant of VARIANTS.filter((v) => v.kind === 'sale')) {
    const today = TODAY[variant.id] ?? 'completed';
    it(`${variant.id}${today === 'stops' ? ' (KNOWN GAP: stops before the customer pays)' : ''}`, async () => {
      const before = bridge.tenders().length;
      const r = await runVariant({ harness, server, bridge, variant, readyTimeoutMs: 45_000 });
      // say how far it got, in the overlay's own words, before the exact checks
      const said = JSON.stringify({ step: r.step, overlay: r.overlay?.text ?? null, detail: r.detail });
      if (today === 'completed') {
        expect(r.outcome, said).toBe('completed');
        expect(r.tenders).toEqual([expect.objectContaining(r.expected)]);
        expect(bridge.tenders().length - before).toBe(1);
        return;
      }
      expect(r.outcome, said).toBe('stopped');
      expect(r.overlay?.text, said).toContain('自动填写已停止');
      expect(r.overlay?.text, said).toContain('未付款，未下账');
      expect(r.orders, said).toEqual([]);
      expect(bridge.tenders().length - before).toBe(0);
    }, 120_000);
  }
});

describe('an expired session: the cashier is told to log in', () => {
  it('ruyitong-expired, trade page under 「登录状态已过期」: 「请先登录…」, nothing filled', async () => {
    const variant = VARIANTS.find((v) => v.id === 'ruyitong-expired')!;
    const r = await runVariant({ harness, server, bridge, variant, readyTimeoutMs: 20_000 });
    expect(r.outcome, JSON.stringify({ step: r.step, overlay: r.overlay?.text ?? null, detail: r.detail })).toBe('passed');
    expect(r.overlay?.text).toContain('请先登录');
    expect(bridge.tenders().filter((t: { orderNo: string }) => t.orderNo === r.orderNo)).toEqual([]);
  }, 60_000);

  it('ruyitong-expired, the login form (用户名/密码/登录, 「登录已过期」) with focus in 用户名: 「请先登录…」, the scan does not reach the field', async () => {
    const variant = VARIANTS.find((v) => v.id === 'ruyitong-expired')!;
    server.setSimulator(variant.portal, variant.create());
    const page = await harness.openPortal('ruyitong', '/#/login?expired=1');
    const user = await inputByPlaceholder(page, '请输入用户名');
    await user.focus();
    await gunScan(page, encodeYk1(STORE, nextOrderNo(), variant.items));
    const said = await awaitOverlay(page, (o) => /请先登录/.test(o.text) || isReady(o) || isStop(o), 20_000);
    expect(said.last?.text ?? null).toContain('请先登录');
    expect(await user.evaluate((el) => (el as HTMLInputElement).value)).toBe('');
    await page.close();
  }, 60_000);
});

describe('a broken variant: a needed target removed', () => {
  it('guohui-broken (no 小票号 field): a stop naming the missing field, nothing wrong filled, nothing posted', async () => {
    const variant = VARIANTS.find((v) => v.id === 'guohui-broken')!;
    const r = await runVariant({ harness, server, bridge, variant, readyTimeoutMs: 30_000 });
    const said = JSON.stringify({ step: r.step, overlay: r.overlay?.text ?? null, detail: r.detail });
    expect(r.overlay && isStop(r.overlay), said).toBe(true);
    expect(r.detail, said).not.toContain('filled something wrong');
    expect(r.orders).toEqual([]);
    expect(bridge.tenders().filter((t: { orderNo: string }) => t.orderNo === r.orderNo)).toEqual([]);
    expect(isReady(r.overlay!)).toBe(false);
    // the goods are in (the same hit list as guohui-layui); the stop names the store number field
    expect(r.namesMissingField, said).toBe(true);
    expect(r.outcome, said).toBe('passed');
  }, 60_000);
});
