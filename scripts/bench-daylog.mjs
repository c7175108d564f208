// Bench of the supervisors' daily log (issue 6) in the real browser, on the production build.
//
// 1. Generates one year of a busy store straight into the extension's IndexedDB (from an
//    extension page, so the same origin the log page reads): ≥ 100,000 settlements with their
//    tenders and Yingke's tenders, and ≥ 1,000,000 audit entries hash-chained exactly as
//    AuditLog writes them (SHA-256 over the stable serialisation), so the chain checks are real.
// 2. Times the real page: the day view (navigation start → table shown), a month's
//    reconciliation, the day's and the whole chain check, and exporting the year to .xlsx.
// 3. Prints the figures as one JSON object (last line of stdout).
//
//   node scripts/bench-daylog.mjs            (after `wxt build`; TB_EXTENSION_PATH to override)
//   TB_BENCH_DAYS=365 TB_BENCH_PER_DAY=280 node scripts/bench-daylog.mjs
//   TB_BENCH_PROFILE=/tmp/daylog-profile node scripts/bench-daylog.mjs
//     keeps the browser profile in that folder: the next run (same sizes, any later day) reuses
//     the year generated there, ending on its last day, instead of generating it again (~9 minutes). The extension's id comes
//     from the manifest key, so the database survives a rebuild of the extension.
import { pathToFileURL } from 'node:url';

const DAYS = Number(process.env.TB_BENCH_DAYS ?? 365);
const PER_DAY = Number(process.env.TB_BENCH_PER_DAY ?? 280);
const log = (...args) => console.error('[bench-daylog]', ...args);

/** Store day (+08:00) of an epoch ms. */
function storeDay(ms) {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
}
function addDays(day, n) {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
};

/**
 * Runs inside the extension page. Self-contained: no closures over this module. Generates the days
 * [p.from, p.to) of the year (index 0 = the first day) and returns where the chain and the random
 * sequence stand, for the next chunk.
 * @param {{ days: number, perDay: number, endDay: string, from: number, to: number, seq: number, prevHash: string, seed: number }} p
 */
export async function generateInPage(p) {
  // --- SHA-256 (sync: the chain is sequential, a promise per entry would dominate)
  const K = new Uint32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
  ]);
  const W = new Uint32Array(64);
  const encoder = new TextEncoder();
  const hex = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
  function sha256Hex(text) {
    const msg = encoder.encode(text);
    const len = msg.length;
    const total = ((len + 9 + 63) >> 6) << 6;
    const buf = new Uint8Array(total);
    buf.set(msg);
    buf[len] = 0x80;
    const view = new DataView(buf.buffer);
    view.setUint32(total - 4, len * 8, false);
    view.setUint32(total - 8, Math.floor(len / 0x20000000), false);
    let h0 = 0x6a09e667, h1 = 0xbb67ae85, h2 = 0x3c6ef372, h3 = 0xa54ff53a, h4 = 0x510e527f, h5 = 0x9b05688c, h6 = 0x1f83d9ab, h7 = 0x5be0cd19;
    for (let off = 0; off < total; off += 64) {
      for (let i = 0; i < 16; i++) W[i] = view.getUint32(off + i * 4, false);
      for (let i = 16; i < 64; i++) {
        const a = W[i - 15], b = W[i - 2];
        const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
        const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
        W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
      }
      let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
      for (let i = 0; i < 64; i++) {
        const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
        const ch = (e & f) ^ (~e & g);
        const t1 = (h + S1 + ch + K[i] + W[i]) | 0;
        const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
        const maj = (a & b) ^ (a & c) ^ (b & c);
        const t2 = (S0 + maj) | 0;
        h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h0 = (h0 + a) | 0; h1 = (h1 + b) | 0; h2 = (h2 + c) | 0; h3 = (h3 + d) | 0;
      h4 = (h4 + e) | 0; h5 = (h5 + f) | 0; h6 = (h6 + g) | 0; h7 = (h7 + h) | 0;
    }
    let out = '';
    for (const word of [h0, h1, h2, h3, h4, h5, h6, h7]) out += hex[(word >>> 24) & 255] + hex[(word >>> 16) & 255] + hex[(word >>> 8) & 255] + hex[word & 255];
    return out;
  }
  // --- the app's stable serialisation (shared/audit.ts stableStringify)
  function stableStringify(value) {
    if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
    if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  const pad = (n) => String(n).padStart(2, '0');
  const storeIso = (ms) => {
    const d = new Date(ms + 8 * 3600_000);
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+08:00`;
  };
  const addDays = (day, n) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
  let seed = p.seed;
  const rand = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const digits = (n) => {
    let s = String(1 + Math.floor(rand() * 9));
    while (s.length < n) s += Math.floor(rand() * 10);
    return s;
  };

  const PORTALS = [['ruyitong', 0.35], ['boming', 0.25], ['huiyika', 0.15], ['guohui', 0.15], ['yuanfu', 0.1]];
  const METHOD = { boming: ['博明卡', 11], guohui: ['国惠通', 12], yuanfu: ['国惠通', 12], ruyitong: ['如医通', 27], huiyika: ['慧医卡', 31] };
  const pickPortal = () => {
    let r = rand();
    for (const [p, w] of PORTALS) if ((r -= w) < 0) return p;
    return 'ruyitong';
  };

  const db = await new Promise((resolve, reject) => {
    const req = indexedDB.open('tenderbridge');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const stores = ['settlements', 'tenders', 'audit', 'yingkeTenders', 'yingkeFetches'];
  for (const s of stores) if (!db.objectStoreNames.contains(s)) throw new Error(`no object store ${s}: is the database at schema version 2?`);

  let seq = p.seq;
  let prevHash = p.prevHash;
  const counts = { settlements: 0, tenders: 0, audit: 0, yingke: 0 };
  const started = performance.now();
  for (let dayIndex = p.from; dayIndex < p.to; dayIndex++) {
    const day = addDays(p.endDay, dayIndex - p.days + 1);
    const open = Date.parse(`${day}T08:00:00+08:00`);
    const offsets = Array.from({ length: p.perDay }, () => Math.floor(rand() * 14 * 3600_000)).sort((a, b) => a - b);
    const tx = db.transaction(stores, 'readwrite');
    const done = new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
    const st = tx.objectStore('settlements');
    const te = tx.objectStore('tenders');
    const au = tx.objectStore('audit');
    const yk = tx.objectStore('yingkeTenders');
    const yf = tx.objectStore('yingkeFetches');
    const appendAudit = (ms, input) => {
      seq += 1;
      const unsigned = { ...input, detail: input.detail ?? {}, seq, at: storeIso(ms), day: storeIso(ms).slice(0, 10), prevHash };
      const hash = sha256Hex(stableStringify(unsigned));
      au.put({ ...unsigned, hash });
      prevHash = hash;
      counts.audit += 1;
    };
    const sales = [];
    let yingkeCount = 0;
    for (let i = 0; i < p.perDay; i++) {
      const t = open + offsets[i];
      const r = rand();
      const refundOf = r < 0.03 && sales.length ? sales[Math.floor(rand() * sales.length)] : undefined;
      const portal = refundOf ? refundOf.portal : pickPortal();
      const [methodName, methodId] = METHOD[portal];
      const kind = refundOf ? 'refund' : 'sale';
      const failed = !refundOf && r > 0.99;
      const id = crypto.randomUUID();
      const orderNo = refundOf ? refundOf.orderNo : `XS${day.replaceAll('-', '').slice(2)}${String(i).padStart(5, '0')}`;
      const vendorOrderNo = failed ? `failed:${id}` : portal === 'boming' ? digits(31) : portal === 'ruyitong' ? `RYT${digits(18)}` : digits(20);
      const amountFen = refundOf ? refundOf.amountFen : 500 + Math.floor(rand() * 3000) * 100 + Math.floor(rand() * 100);
      const cashFen = portal === 'ruyitong' && rand() < 0.2 ? 100 * Math.floor(rand() * 50) : 0;
      const settledAt = storeIso(t);
      const settlement = {
        id, kind, status: failed ? 'failed' : 'success', portal, orderNo, vendorOrderNo,
        amountFen: failed ? 0 : amountFen, cashFen, settledAt, day, capturedAt: storeIso(t + 2000),
        ...(refundOf ? { refundOf: refundOf.id, cardMasked: refundOf.cardMasked } : { cardMasked: '510104********1234' }),
      };
      st.put(settlement);
      counts.settlements += 1;
      const scanId = crypto.randomUUID();
      appendAudit(t - 60_000, { type: 'scan.accepted', portal: settlement.portal, orderNo, detail: { scanId } });
      appendAudit(t - 58_000, { type: 'fill.started', portal: settlement.portal, orderNo, detail: { scanId } });
      for (const step of ['goods', 'qty', 'orderNo', 'voucher']) {
        appendAudit(t - 50_000, { type: 'fill.step', portal: settlement.portal, orderNo, code: step, detail: { scanId, path: 'main', target: step, label: null, via: null } });
      }
      appendAudit(t - 30_000, { type: 'fill.ready', portal: settlement.portal, orderNo, detail: { scanId, subject: null, overrides: null } });
      if (failed) {
        appendAudit(t + 2000, { type: 'settlement.failed', portal: settlement.portal, orderNo, code: 'result', detail: { settlementId: id } });
        continue;
      }
      appendAudit(t + 2000, {
        type: refundOf ? 'refund.captured' : 'settlement.captured', portal: settlement.portal, orderNo, code: 'result',
        detail: { settlementId: id, vendorOrderNo, amountFen, cashFen, cardMasked: settlement.cardMasked, refundOf: refundOf ? refundOf.id : null },
      });
      if (!refundOf) sales.push(settlement);
      const fate = rand();
      const state = fate < 0.01 ? 'queued' : fate < 0.015 ? 'conflict' : fate < 0.035 ? 'manual' : 'posted';
      const body = {
        tenderId: id, kind, storeCode: 'S0012', cashierId: 'C01', orderNo, provider: settlement.portal, paymentMethodId: methodId,
        paymentMethodName: methodName, amountFen, cashFen, vendorOrderNo, settledAt, cardMasked: settlement.cardMasked, ...(refundOf ? { refundOf: refundOf.id } : {}),
      };
      const voucherNo = `YKV${String(seq).padStart(9, '0')}`;
      const recordedAt = storeIso(t + 5000);
      te.put({
        tenderId: id, settlementId: id, state, body: JSON.stringify(body), attempts: state === 'manual' ? 0 : 1, nextAttemptAt: t + 60_000,
        createdAt: storeIso(t + 3000), updatedAt: recordedAt,
        ...(state === 'posted' ? { voucherNo, recordedAt, lastStatus: 201 } : {}),
        ...(state === 'manual' ? { manualBy: 'C01', manualAt: recordedAt } : {}),
        ...(state === 'conflict' ? { lastStatus: 409, lastError: 'ORDER_ALREADY_TENDERED: already tendered' } : {}),
      });
      counts.tenders += 1;
      appendAudit(t + 3000, { type: 'tender.queued', portal: settlement.portal, orderNo, detail: { tenderId: id, amountFen } });
      if (state !== 'manual') {
        appendAudit(t + 5000, {
          type: 'tender.attempt', portal: settlement.portal, orderNo, code: state === 'posted' ? 'recorded' : state === 'queued' ? 'retry:timeout' : 'conflict',
          detail: { tenderId: id, attempt: 1, status: state === 'posted' ? 201 : state === 'queued' ? null : 409, durationMs: 40 + Math.floor(rand() * 400), voucherNo: state === 'posted' ? voucherNo : null },
        });
      }
      // what Yingke holds: posted and manual ones, with a few differences
      if (state === 'posted' || state === 'manual') {
        const odd = rand();
        if (odd < 0.005) continue; // posted but missing in Yingke
        const ykDay = storeIso(t + 5000).slice(0, 10);
        yk.put({ ...body, ...(odd < 0.008 ? { amountFen: amountFen + 100 } : {}), voucherNo, recordedAt, id: `${ykDay}:${id}`, day: ykDay, fetchedAt: storeIso(open + 86_400_000) });
        yingkeCount += 1;
        counts.yingke += 1;
      }
    }
    // a Yingke tender no settlement explains, now and then
    if (rand() < 0.3) {
      const t = open + 12 * 3600_000;
      const id = crypto.randomUUID();
      yk.put({
        tenderId: id, kind: 'sale', storeCode: 'S0012', cashierId: 'C01', orderNo: `XS${day.replaceAll('-', '').slice(2)}99999`, provider: 'huiyika', paymentMethodId: 31,
        paymentMethodName: '慧医卡', amountFen: 8800, cashFen: 0, vendorOrderNo: digits(20), settledAt: storeIso(t), voucherNo: `YKVX${digits(8)}`, recordedAt: storeIso(t),
        id: `${day}:${id}`, day, fetchedAt: storeIso(open + 86_400_000),
      });
      yingkeCount += 1;
      counts.yingke += 1;
    }
    const okAtMs = Date.parse(`${addDays(day, 1)}T01:00:00+08:00`);
    yf.put({ day, okAtMs, okAt: storeIso(okAtMs), count: yingkeCount, lastAttemptAt: storeIso(okAtMs), lastOk: true, durationMs: 120 });
    await done;
  }
  db.close();
  return { counts, seq, prevHash, seed, seconds: (performance.now() - started) / 1000 };
}

/**
 * Runs inside an extension page: raw IndexedDB reads (no Dexie), each one timed to its success
 * event (the database and the copy into the page) and to its values in hand (reading
 * `request.result` turns the stored bytes into objects).
 * @param {{ from: string, to: string, lo: string, hi: string }} p
 */
export async function probeReads(p) {
  const db = await new Promise((resolve, reject) => {
    const req = indexedDB.open('tenderbridge');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const timed = (store, index, range, op = 'getAll') =>
    new Promise((resolve, reject) => {
      const started = performance.now();
      const tx = db.transaction(store, 'readonly');
      const source = index ? tx.objectStore(store).index(index) : tx.objectStore(store);
      const req = source[op](range);
      req.onerror = () => reject(req.error);
      req.onsuccess = () => {
        const success = performance.now();
        const value = req.result;
        const count = Array.isArray(value) ? value.length : value;
        resolve({ store, index, op, count, successMs: Math.round(success - started), valuesMs: Math.round(performance.now() - success) });
      };
    });
  const out = [];
  const b = (a, z) => IDBKeyRange.bound(a, z);
  out.push(await timed('settlements', 'day', b(p.lo, p.to)));
  out.push(await timed('settlements', 'day', b(p.lo, p.to), 'getAllKeys'));
  out.push(await timed('tenders', 'createdAt', b(`${p.lo}T00:00:00`, `${p.hi}T23:59:59\uffff`)));
  out.push(await timed('yingkeTenders', null, b(`${p.lo}:`, `${p.hi}:\uffff`)));
  out.push(await timed('yingkeTenders', 'day', b(p.lo, p.hi)));
  out.push(await timed('audit', 'day', b(p.from, p.to), 'getAllKeys'));
  out.push(await timed('audit', 'day', b(p.from, p.to), 'count'));
  const keys = await new Promise((resolve) => {
    const req = db.transaction('audit').objectStore('audit').index('day').getAllKeys(b(p.from, p.to));
    req.onsuccess = () => resolve(req.result);
  });
  out.push(await timed('audit', null, b(keys[0], keys[keys.length - 1])));
  // the same entries in four parallel transactions (does the database read them in parallel?)
  const started = performance.now();
  const quarter = Math.ceil(keys.length / 4);
  const parts = await Promise.all([0, 1, 2, 3].map((i) => timed('audit', null, b(keys[0] + i * quarter, Math.min(keys[0] + (i + 1) * quarter - 1, keys[keys.length - 1])))));
  out.push({ store: 'audit', op: 'getAll×4 parallel', count: parts.reduce((s, x) => s + x.count, 0), totalMs: Math.round(performance.now() - started), parts });
  db.close();
  return out;
}

async function main() {
  // imported here so that a unit test can import generateInPage without the browser harness
  const { launchBrowser } = await import('../e2e/harness/index.mjs');
  // TB_BENCH_PROFILE=<dir>: keep the browser profile there, and reuse a year generated before
  const profile = process.env.TB_BENCH_PROFILE;
  const handle = await launchBrowser({ portalPort: 9, protocolTimeout: 600_000, ...(profile ? { userDataDir: profile } : {}) });
  const origin = `chrome-extension://${handle.extensionId}`;
  const result = { days: DAYS, perDay: PER_DAY };
  try {
    const page = await handle.openExtensionPage('log.html?tab=retention');
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'deny' }).catch(() => undefined);
    await page.waitForSelector('#retention-view');
    // the page's Dexie has upgraded the database to schema version 2 (IndexedDB version 20)
    await page.waitForFunction(async () => (await indexedDB.databases()).some((d) => d.name === 'tenderbridge' && (d.version ?? 0) >= 20), { timeout: 30_000 });
    let endDay = addDays(storeDay(Date.now()), -1);
    const existing = await page.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const req = indexedDB.open('tenderbridge');
          req.onerror = () => reject(req.error);
          req.onsuccess = () => {
            const db = req.result;
            const tx = db.transaction(['settlements', 'audit']);
            const s = tx.objectStore('settlements').count();
            const a = tx.objectStore('audit').count();
            const last = tx.objectStore('settlements').index('day').openCursor(null, 'prev');
            last.onsuccess = () => undefined;
            tx.oncomplete = () => {
              resolve({ settlements: s.result, audit: a.result, lastDay: last.result ? last.result.key : null });
              db.close();
            };
          };
        }),
    );
    // a year kept in TB_BENCH_PROFILE is reused on a later day too: the bench then ends on its last day
    if (existing.settlements >= DAYS * PER_DAY && typeof existing.lastDay === 'string') {
      endDay = existing.lastDay;
      log('reusing the year generated before', JSON.stringify(existing));
      result.generated = { ...existing, reused: true };
    } else {
      log(`generating ${DAYS} days × ${PER_DAY} settlements ending ${endDay} …`);
      // in chunks of 30 days: one evaluate per chunk stays well inside the protocol timeout
      let state = { seq: 0, prevHash: '0'.repeat(64), seed: 20250328 };
      const total = { settlements: 0, tenders: 0, audit: 0, yingke: 0, seconds: 0 };
      for (let from = 0; from < DAYS; from += 30) {
        const to = Math.min(DAYS, from + 30);
        const chunk = await page.evaluate(generateInPage, { days: DAYS, perDay: PER_DAY, endDay, from, to, ...state });
        state = { seq: chunk.seq, prevHash: chunk.prevHash, seed: chunk.seed };
        for (const key of ['settlements', 'tenders', 'audit', 'yingke']) total[key] += chunk.counts[key];
        total.seconds += chunk.seconds;
        log(`generated ${to} days, ${total.audit} audit entries`);
      }
      total.seconds = Math.round(total.seconds);
      result.generated = total;
    }
    log('generated', JSON.stringify(result.generated));

    // --- the day view: navigation start → the day's table on screen
    const dayRuns = [];
    const sampleDays = [addDays(endDay, -40), addDays(endDay, -41), addDays(endDay, -100), addDays(endDay, -200), addDays(endDay, -300), endDay];
    for (const day of sampleDays) {
      await page.goto(`${origin}/log.html?tab=day&day=${day}`);
      await page.waitForSelector(`#day-view[data-day="${day}"][data-ready="true"]`, { timeout: 60_000 });
      const shownMs = await page.evaluate(() => Number(document.documentElement.dataset.dayReadyAt));
      const { queryMs, rangesMs, tendersMs, reconcileMs } = await page.$eval('#day-view', (el) => ({
        queryMs: Number(el.getAttribute('data-load-ms')),
        rangesMs: Number(el.getAttribute('data-ranges-ms')),
        tendersMs: Number(el.getAttribute('data-tenders-ms')),
        reconcileMs: Number(el.getAttribute('data-reconcile-ms')),
      }));
      // where the time went: the page's own marks (main.tsx, LogApp, DayView) since navigation start
      const marks = await page.evaluate(() => {
        const out = {};
        const nav = performance.getEntriesByType('navigation')[0];
        if (nav) {
          out.responseEnd = Math.round(nav.responseEnd);
          out.domInteractive = Math.round(nav.domInteractive);
        }
        for (const m of performance.getEntriesByType('mark')) if (m.name.startsWith('tb:')) out[m.name.slice(3)] = Math.round(m.startTime);
        return out;
      });
      const rows = await page.$$eval('#settlements tbody tr[data-settlement-id]', (els) => els.length);
      await page.waitForSelector('#chain-status[data-scope="day"][data-ok]', { timeout: 60_000 });
      const chainAt = await page.evaluate(() => performance.now());
      const chainOk = await page.$eval('#chain-status', (el) => el.getAttribute('data-ok'));
      dayRuns.push({ day, shownMs, queryMs, rangesMs, tendersMs, reconcileMs, rows, chainDoneMs: Math.round(chainAt), chainOk, marks });
    }
    const warm = dayRuns.slice(1);
    result.dayView = {
      runs: dayRuns,
      coldShownMs: dayRuns[0]?.shownMs,
      medianShownMs: median(warm.map((r) => r.shownMs)),
      maxShownMs: Math.max(...warm.map((r) => r.shownMs)),
      medianQueryMs: median(warm.map((r) => r.queryMs)),
      medianChainDoneMs: median(warm.map((r) => r.chainDoneMs)),
    };
    log('day view', JSON.stringify(result.dayView));

    // --- a month's reconciliation (settlements, tenders, Yingke, differences, pending pool)
    const monthRuns = [];
    for (const month of [addDays(endDay, -45).slice(0, 7), addDays(endDay, -140).slice(0, 7), addDays(endDay, -260).slice(0, 7)]) {
      await page.goto(`${origin}/log.html?tab=month&month=${month}`);
      await page.waitForSelector(`#month-view[data-month="${month}"][data-ready="true"]`, { timeout: 120_000 });
      const { ms, rangesMs, tendersMs, reconcileMs } = await page.$eval('#month-view', (el) => ({
        ms: Number(el.getAttribute('data-month-ms')),
        rangesMs: Number(el.getAttribute('data-ranges-ms')),
        tendersMs: Number(el.getAttribute('data-tenders-ms')),
        reconcileMs: Number(el.getAttribute('data-reconcile-ms')),
      }));
      const shownMs = await page.evaluate(() => Math.round(performance.now()));
      const days = await page.$$eval('#month-days tbody tr', (els) => els.length);
      monthRuns.push({ month, totalMs: ms, rangesMs, tendersMs, reconcileMs, shownMs, days });
    }
    result.month = { runs: monthRuns, medianMs: median(monthRuns.map((r) => r.totalMs)), maxMs: Math.max(...monthRuns.map((r) => r.totalMs)) };
    log('month', JSON.stringify(result.month));

    // --- the whole chain, ≥ 1,000,000 entries: every entry re-hashed (「逐条重算全部」), then the
    // everyday check from a verified checkpoint (「核对全部审计记录」) left one day's entries ago
    const chainDay = addDays(endDay, -40);
    // TB_BENCH_PROBE=1: raw IndexedDB reads of a month's window and its audit entries, each timed
    // to its success event and then to its values in JS (the deserialisation), to see where a
    // month's read goes
    if (process.env.TB_BENCH_PROBE === '1') {
      await page.goto(`${origin}/log.html?tab=retention`);
      await page.waitForSelector('#export-from');
      const month = addDays(endDay, -45).slice(0, 7);
      result.probe = await page.evaluate(probeReads, { from: `${month}-01`, to: addDays(`${month}-01`, 30), lo: addDays(`${month}-01`, -1), hi: addDays(`${month}-01`, 31) });
      log('probe', JSON.stringify(result.probe));
    }
    const checkChain = async (button) => {
      await page.goto(`${origin}/log.html?tab=day&day=${chainDay}`);
      await page.waitForSelector('#chain-status[data-scope="day"][data-ok]', { timeout: 60_000 });
      const chainStart = Date.now();
      await page.click(button);
      await page.waitForSelector('#chain-status[data-scope="all"]', { timeout: 600_000 });
      const attr = (name) => page.$eval('#chain-status', (el, n) => el.getAttribute(n), name);
      return { ms: Date.now() - chainStart, entries: Number(await attr('data-checked')), rehashed: Number(await attr('data-rehashed')), ok: await attr('data-ok') };
    };
    // TB_BENCH_CHAIN=0: leave out the whole-chain checks (the full one alone takes ~35 s)
    if (process.env.TB_BENCH_CHAIN !== '0') {
    result.wholeChain = await checkChain('#verify-chain-full');
    log('whole chain, full', JSON.stringify(result.wholeChain));
    // what a check yesterday would have left: the checkpoint on the entry a day's worth (as many
    // entries as the last day holds) before the head
    const checkpoint = await page.evaluate(
      (day) =>
        new Promise((resolve, reject) => {
          const req = indexedDB.open('tenderbridge');
          req.onerror = () => reject(req.error);
          req.onsuccess = () => {
            const db = req.result;
            const tx = db.transaction(['audit', 'kv'], 'readwrite');
            const audit = tx.objectStore('audit');
            const dayCount = audit.index('day').count(IDBKeyRange.only(day));
            const last = audit.openCursor(null, 'prev');
            let out = null;
            last.onsuccess = () => {
              const head = last.result?.value;
              if (!head) return;
              const at = audit.get(head.seq - dayCount.result);
              at.onsuccess = () => {
                const entry = at.result;
                out = { seq: entry.seq, rehash: head.seq - entry.seq };
                tx.objectStore('kv').put({ key: 'auditChainVerified', value: `${entry.seq}|${entry.hash}|${entry.at}` });
              };
            };
            tx.oncomplete = () => {
              db.close();
              resolve(out);
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
      endDay,
    );
    result.checkpointedChain = { checkpoint, ...(await checkChain('#verify-chain')) };
    log('whole chain from a checkpoint', JSON.stringify(result.checkpointedChain));
    }

    // --- exporting: a day, a month, and the whole year (≥ 100,000 settlement rows)
    const exportRuns = [];
    const ranges = [
      ['day', chainDay, chainDay],
      ['month', `${addDays(endDay, -45).slice(0, 7)}-01`, addDays(`${addDays(endDay, -45).slice(0, 7)}-01`, 30)],
      ['year', addDays(endDay, -(DAYS - 1)), endDay],
    ];
    // TB_BENCH_EXPORTS=day,month: only those (the year's export alone takes ~25 s)
    const wantedExports = (process.env.TB_BENCH_EXPORTS ?? 'day,month,year').split(',');
    for (const [label, from, to] of ranges.filter(([label]) => wantedExports.includes(label))) {
      await page.goto(`${origin}/log.html?tab=retention`);
      await page.waitForSelector('#export-from');
      await page.evaluate((f, t) => {
        const set = (id, value) => {
          const el = document.getElementById(id);
          el.value = value;
          el.dispatchEvent(new Event('change', { bubbles: true }));
        };
        set('export-to', t);
        set('export-from', f);
      }, from, to);
      await page.waitForFunction((f, t) => document.getElementById('export-from').value === f && document.getElementById('export-to').value === t, {}, from, to);
      const started = Date.now();
      await page.click('#export-range-xlsx');
      await page.waitForSelector('#range-export-status[data-state="done"], #range-export-status[data-state="error"]', { timeout: 600_000 });
      const status = await page.$eval('#range-export-status', (el) => ({ state: el.getAttribute('data-state'), ms: Number(el.getAttribute('data-ms')), rows: Number(el.getAttribute('data-rows')), bytes: Number(el.getAttribute('data-bytes')), phases: JSON.parse(el.getAttribute('data-phases') || 'null') }));
      exportRuns.push({ range: label, from, to, ...status, wallMs: Date.now() - started });
      log('export', JSON.stringify(exportRuns.at(-1)));
    }
    result.export = exportRuns;
    result.pageErrors = handle.pageErrors.map((e) => e.message).slice(0, 5);
  } finally {
    await handle.close();
  }
  console.log(JSON.stringify(result));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
