#!/usr/bin/env node
// How far a built extension gets on the portal variants of issue 11 (e2e/variants/), each run once
// as the cashier and customer would: a table and JSON on stdout.
//
//   node scripts/variants-report.mjs [extensionDir] [--only id,id] [--json out.json]
//
// extensionDir defaults to .output/chrome-mv3 (build first: npx wxt build). Everything runs on
// loopback (portal server at the real hostnames, the bridge simulator, Chromium).
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, startPortalServer } from '../e2e/harness/index.mjs';
import { startBridgeSimulator } from '../e2e/bridge-sim/server.mjs';
import { STORE, VARIANTS, VARIANT_VENDOR } from '../e2e/variants/index.mjs';
import { runVariant, seedVariantSettings } from '../e2e/variants/run.mjs';

const args = process.argv.slice(2);
/** @param {string} name */
const option = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
};
const only = option('--only')?.split(',');
const jsonOut = option('--json');
const extensionPath = resolve(args[0] ?? fileURLToPath(new URL('../.output/chrome-mv3', import.meta.url)));

const bridge = await startBridgeSimulator({ stores: { [STORE]: 'store-secret' } });
const server = await startPortalServer({ vendor: VARIANT_VENDOR });
const harness = await launchBrowser({ server, extensionPath });
/** @type {import('../e2e/variants/run.mjs').RunResult[]} */
const results = [];
try {
  await seedVariantSettings(harness, bridge);
  for (const variant of VARIANTS) {
    if (only && !only.includes(variant.id)) continue;
    process.stderr.write(`… ${variant.id}\n`);
    try {
      results.push(await runVariant({ harness, server, bridge, variant }));
    } catch (err) {
      results.push({ variant: variant.id, portal: variant.portal, kind: variant.kind, outcome: 'failed', step: 'harness', overlay: null, detail: `the run itself failed: ${String(err).slice(0, 300)}`, orderNo: '', orders: [], tenders: [] });
    }
  }
} finally {
  await harness.close();
  await server.close();
  await bridge.close();
}

const good = (/** @type {string} */ o) => o === 'completed' || o === 'passed';
const rows = results.map((r) => ({
  variant: r.variant,
  kind: r.kind,
  result: r.outcome,
  step: r.step,
  overlay: r.overlay ? r.overlay.text.replace(/^下账助手✕/, '') : '(none)',
  detail: r.rescans ? `${r.detail} (scanned ${r.rescans + 1} times: the ticket landed in the field as typed text)` : r.detail,
}));
const cell = (/** @type {string} */ s) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
console.log(`variants on ${extensionPath}: ${results.filter((r) => good(r.outcome)).length} of ${results.length} as required\n`);
console.log('| variant | kind | result | last step | overlay says | detail |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const r of rows) console.log(`| ${r.variant} | ${r.kind} | ${r.result} | ${r.step} | ${cell(r.overlay)} | ${cell(r.detail)} |`);
const json = JSON.stringify({ extensionPath, measuredAt: new Date().toISOString(), results: results.map((r) => ({ ...r, orders: r.orders.map((o) => ({ vendorOrderNo: o.vendorOrderNo, storeOrderNo: o.storeOrderNo, totalFen: o.totalFen, cardFen: o.cardFen, cashFen: o.cashFen, status: o.status })) })) }, null, 2);
console.log(`\n${json}`);
if (jsonOut) await writeFile(jsonOut, json);
