import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ElementHandle, Page } from 'puppeteer-core';
import { BarcodeFormat, EncodeHintType, QRCodeWriter } from '@zxing/library';
import { startPortalServer } from './harness/portal-server.mjs';
import { launchBrowser } from './harness/browser.mjs';
import { createRuyitongSimulator } from './sim/ruyitong/server.mjs';
import { encodeCode128 } from '../shared/code128';
import { overlayState, seedSettings } from './support/extension.mjs';
import { waitUntil } from './support/cashier';
import { RUYITONG_PORTAL_SETTINGS, THREE_LINES, appState, nextOrderNo, openTrade, ticketFor, waitUntilFilled, type Harness } from './support/ruyitong';

/**
 * Issue 7: a ticket read from a picture in the popup's 「扫码」 panel reaches the portal tab and
 * fills exactly as a gun scan does (same checks, audit, overlay and fill as ruyitong.e2e.test.ts).
 * The pictures are drawn here: the QR code with @zxing/library's QRCodeWriter, the Code 128 with
 * the project's own encoder (@zxing/library 0.23 has no Code 128 writer), as greyscale PNGs.
 *
 * The popup is opened as a tab (puppeteer cannot open the toolbar popup), in the same window as
 * the portal: the panel then sends to the portal tab of the window used last (ScanPanel's
 * choosePortalTab), exactly what it does when a cashier opens it in a tab to allow the camera.
 */
const sim = createRuyitongSimulator({ latency: [20, 80] });
let server: Awaited<ReturnType<typeof startPortalServer>>;
let harness: Harness;
let dir: string;
/** Tabs a test opened: closed after it, so a failed test leaves no portal tab behind for the next. */
const opened: Page[] = [];

// ---------------------------------------------------------------------------------------------
// Pictures

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A minimal 8-bit greyscale PNG. */
function greyPng(width: number, height: number, grey: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8); // bit depth 8, greyscale, deflate, no filter, no interlace
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) raw.set(grey.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function canvas(width: number, height: number) {
  const grey = new Uint8Array(width * height).fill(255);
  const fill = (x0: number, y0: number, w: number, h: number, v = 0) => {
    for (let y = y0; y < y0 + h; y++) grey.fill(v, y * width + x0, y * width + x0 + w);
  };
  return { grey, fill, png: () => greyPng(width, height, grey) };
}

function qrPng(text: string, scale = 5, quiet = 4): Buffer {
  const matrix = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, new Map([[EncodeHintType.MARGIN, 0]]));
  const size = (matrix.getWidth() + 2 * quiet) * scale;
  const c = canvas(size, size);
  for (let y = 0; y < matrix.getHeight(); y++) {
    for (let x = 0; x < matrix.getWidth(); x++) if (matrix.get(x, y)) c.fill((x + quiet) * scale, (y + quiet) * scale, scale, scale);
  }
  return c.png();
}

function code128Png(text: string, moduleWidth = 3, height = 110, quiet = 12): Buffer {
  const widths = encodeCode128(text);
  const modules = widths.reduce((a, b) => a + b, 0) + 2 * quiet;
  const c = canvas(modules * moduleWidth, height + 40);
  let x = quiet;
  widths.forEach((w, i) => {
    if (i % 2 === 0) c.fill(x * moduleWidth, 20, w * moduleWidth, height);
    x += w;
  });
  return c.png();
}

/** A picture with shapes but no code: a receipt photo taken from the wrong side. */
function noCodePng(): Buffer {
  const c = canvas(480, 320);
  let seed = 11;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let i = 0; i < 40; i++) c.fill(Math.floor(next() * 440), Math.floor(next() * 290), 8 + Math.floor(next() * 30), 4 + Math.floor(next() * 20), Math.floor(next() * 200));
  return c.png();
}

function writePicture(name: string, png: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, png);
  return path;
}

// ---------------------------------------------------------------------------------------------
// The popup's 「扫码」 panel

async function openPortalTrade(): Promise<Page> {
  const page = await openTrade(harness);
  opened.push(page);
  return page;
}

async function openScanPanel(): Promise<Page> {
  const popup = await harness.openExtensionPage('popup.html');
  opened.push(popup);
  await (await popup.waitForSelector('a[data-action="scan"]', { timeout: 10_000 }))!.click();
  await popup.waitForSelector('.scan-panel input[type=file]', { timeout: 5_000 });
  return popup;
}

/** Chooses the picture in the panel's file input, as the cashier does; the panel's final status. */
async function uploadPicture(popup: Page, path: string): Promise<{ code: string; text: string }> {
  const input = (await popup.$('.scan-panel input[type=file]')) as ElementHandle<HTMLInputElement>;
  await input.uploadFile(path);
  return waitUntil('the scan panel to finish', async () => {
    const status = await popup.evaluate(() => {
      const p = document.querySelector('.scan-status');
      return p ? { code: p.getAttribute('data-status') ?? '', text: p.textContent ?? '' } : null;
    });
    return status && status.code !== 'reading' ? status : null;
  });
}

/** The message in the popup's own UI language (whatever the browser runs in). */
async function message(popup: Page, key: string, substitutions?: string[]): Promise<string> {
  // chrome is the popup's global, not this file's
  return popup.evaluate((k, s) => (globalThis as unknown as { chrome: { i18n: { getMessage(k: string, s?: string[]): string } } }).chrome.i18n.getMessage(k, s), key, substitutions);
}

async function auditFor(orderNo: string): Promise<string[]> {
  const rows = (await harness.readStore('audit')) as Array<{ type: string; orderNo?: string }>;
  return rows.filter((r) => r.orderNo === orderNo).map((r) => r.type);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tb-image-scan-'));
  server = await startPortalServer({ simulators: [sim] });
  harness = await launchBrowser({ portalPort: server.port });
  await seedSettings(harness, { storeCode: 'S0012', cashierId: 'C01', portals: RUYITONG_PORTAL_SETTINGS });
}, 60_000);

afterEach(async () => {
  for (const page of opened.splice(0)) if (!page.isClosed()) await page.close();
});

afterAll(async () => {
  await harness?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('「扫码」 from a picture', () => {
  it('a QR code picture of a 3-line ticket fills 如医通 exactly as a gun scan does', async () => {
    const orderNo = nextOrderNo();
    const page = await openPortalTrade();
    const popup = await openScanPanel();
    const status = await uploadPicture(popup, writePicture('qr.png', qrPng(ticketFor(orderNo, THREE_LINES))));
    expect(status.code).toBe('sent');
    expect(status.text).toBe(await message(popup, 'sc_sent', [await message(popup, 'opt_portal_name_ruyitong')]));

    await waitUntilFilled(page);
    const app = await appState(page);
    expect(app.step).toBe('credential');
    expect(app.storeOrderNo).toBe(orderNo);
    expect(app.cart.map(({ barcode, qty, unitFen }) => ({ code: barcode, qty, unitFen }))).toEqual(THREE_LINES);
    // the same trail as a gun scan: checked and audited by the background, then filled
    await waitUntil('the fill on the audit trail', async () => (await auditFor(orderNo)).includes('fill.ready'));
    expect(await auditFor(orderNo)).toEqual(expect.arrayContaining(['scan.accepted', 'fill.started', 'fill.ready']));
    // opened as a tab, the panel brought the portal to the front
    expect(await page.evaluate(() => document.visibilityState)).toBe('visible');
    await popup.close();
    await page.close();
  });

  it('a Code 128 picture of a 1-line ticket fills it too', async () => {
    const orderNo = nextOrderNo();
    const items = [{ code: '6923456789012', qty: 2, unitFen: 2600 }];
    const page = await openPortalTrade();
    const popup = await openScanPanel();
    const status = await uploadPicture(popup, writePicture('code128.png', code128Png(ticketFor(orderNo, items))));
    expect(status.code).toBe('sent');
    await waitUntilFilled(page);
    const app = await appState(page);
    expect(app.storeOrderNo).toBe(orderNo);
    expect(app.cart.map(({ barcode, qty, unitFen }) => ({ code: barcode, qty, unitFen }))).toEqual(items);
    await popup.close();
    await page.close();
  });

  it('a picture without a code says so, and nothing reaches the portal', async () => {
    const page = await openPortalTrade();
    const popup = await openScanPanel();
    const status = await uploadPicture(popup, writePicture('nothing.png', noCodePng()));
    expect(status).toEqual({ code: 'no-code', text: await message(popup, 'sc_no_code') });
    expect(await overlayState(page)).toBeNull();
    expect((await appState(page)).cart).toEqual([]);
    await popup.close();
    await page.close();
  });

  it('a code that is not a Yingke ticket (a goods barcode) is not sent', async () => {
    const page = await openPortalTrade();
    const popup = await openScanPanel();
    const status = await uploadPicture(popup, writePicture('goods.png', code128Png('6901234567892')));
    expect(status.code).toBe('not-ticket');
    expect(status.text).toContain('6901234567892');
    expect(await overlayState(page)).toBeNull();
    await popup.close();
    await page.close();
  });

  it('with no portal page open in the window, the panel says so plainly', async () => {
    const popup = await openScanPanel();
    const status = await uploadPicture(popup, writePicture('qr2.png', qrPng(ticketFor(nextOrderNo(), THREE_LINES))));
    expect(status).toEqual({ code: 'no-portal-tab', text: await message(popup, 'sc_no_portal_tab') });
    await popup.close();
  });
});
