// The floor for `npm run bench`: the page's own cost of a fill on the 如医通 simulator, measured by
// a script that knows the simulator's markup (selectors, column positions, which button to press)
// and does nothing but set values, send the events Vue listens to and wait for the page to react.
// The extension and the floor are timed the same way, by milestones the page itself shows: a
// cart row appears, the row's 小计 is right, the next wizard step shows.

const SEARCH = 'input[placeholder="请输入商品条码/拼音首字母/商品名称"]';
const STORE_ORDER_NO = 'input[placeholder="请输入门店POS订单号"]';
const CREDENTIAL = 'input[placeholder="请输入顾客身份证号"]';
// the cart's columns: 序号 商品名称 条码 规格 原价 折扣 单价 数量 小计 操作
const PRICE_CELL = 6;
const QTY_CELL = 7;
const SUBTOTAL_CELL = 8;

/** Records, in the page, when each milestone first shows (performance.now()). */
export async function installMilestones(page, items) {
  await page.evaluate(
    (items, sel) => {
      const seen = {};
      window.__milestones = seen;
      const mark = (key) => {
        if (!(key in seen)) seen[key] = performance.now();
      };
      const visible = (selector) => [...document.querySelectorAll(selector)].some((e) => e.getClientRects().length > 0);
      const check = () => {
        const rows = [...document.querySelectorAll('.ryt-cart-table .el-table__body tbody tr')];
        items.forEach((item, i) => {
          const row = rows.find((r) => r.textContent.includes(item.code));
          if (!row) return;
          mark(`row${i}`);
          const subtotal = row.querySelectorAll('td')[sel.subtotalCell]?.textContent.trim();
          if (subtotal === ((item.unitFen * item.qty) / 100).toFixed(2)) mark(`line${i}`);
        });
        if (visible(sel.storeOrderNo)) mark('store');
        if (visible(sel.credential)) mark('credential');
      };
      new MutationObserver(check).observe(document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
      document.addEventListener('input', check, true);
      check();
    },
    items,
    { subtotalCell: SUBTOTAL_CELL, storeOrderNo: STORE_ORDER_NO, credential: CREDENTIAL },
  );
}

export async function readMilestones(page) {
  return page.evaluate(() => ({ ...window.__milestones }));
}

/** Drives the fill by knowing the page; returns its start and end (performance.now()). */
export async function floorFill(page, items, orderNo) {
  return page.evaluate(
    async (items, orderNo, sel) => {
      const waitFor = (find) =>
        new Promise((resolve, reject) => {
          const found = find();
          if (found) return resolve(found);
          const timer = setTimeout(() => {
            observer.disconnect();
            reject(new Error('floor: the page did not react in 30 s'));
          }, 30_000);
          const observer = new MutationObserver(() => {
            const now = find();
            if (!now) return;
            observer.disconnect();
            clearTimeout(timer);
            resolve(now);
          });
          observer.observe(document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
        });
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
      const setValue = (input, value) => {
        setter.call(input, value);
        input.dispatchEvent(new Event('input', { bubbles: true }));
        input.dispatchEvent(new Event('change', { bubbles: true }));
      };
      const visibleInput = (selector) => [...document.querySelectorAll(selector)].find((e) => e.getClientRects().length > 0);
      const visibleButton = (text) => [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === text && b.getClientRects().length > 0);

      const start = performance.now();
      const search = document.querySelector(sel.search);
      for (const item of items) {
        setter.call(search, item.code);
        search.dispatchEvent(new Event('input', { bubbles: true }));
        search.dispatchEvent(new KeyboardEvent('keyup', { key: 'Enter', code: 'Enter', bubbles: true }));
        const row = await waitFor(() => [...document.querySelectorAll('.ryt-cart-table .el-table__body tbody tr')].find((r) => r.textContent.includes(item.code)));
        const cells = row.querySelectorAll('td');
        setValue(cells[sel.priceCell].querySelector('input'), (item.unitFen / 100).toFixed(2));
        setValue(cells[sel.qtyCell].querySelector('input'), String(item.qty));
        const expected = ((item.unitFen * item.qty) / 100).toFixed(2);
        await waitFor(() => {
          const now = [...document.querySelectorAll('.ryt-cart-table .el-table__body tbody tr')].find((r) => r.textContent.includes(item.code));
          return now?.querySelectorAll('td')[sel.subtotalCell]?.textContent.trim() === expected;
        });
      }
      visibleButton('下一步').click();
      setValue(await waitFor(() => visibleInput(sel.storeOrderNo)), orderNo);
      visibleButton('下一步').click();
      await waitFor(() => visibleInput(sel.credential));
      return { start, end: performance.now() };
    },
    items,
    orderNo,
    { search: SEARCH, storeOrderNo: STORE_ORDER_NO, credential: CREDENTIAL, priceCell: PRICE_CELL, qtyCell: QTY_CELL, subtotalCell: SUBTOTAL_CELL },
  );
}

/** One run's steps, in ms, from its milestones: each line, then the two wizard steps. */
export function stepTimes(milestones, start, lineCount) {
  const lines = [];
  let previous = start;
  for (let i = 0; i < lineCount; i++) {
    const done = milestones[`line${i}`];
    if (done === undefined) throw new Error(`line ${i + 1} never showed its subtotal`);
    lines.push(done - previous);
    previous = done;
  }
  if (milestones.store === undefined || milestones.credential === undefined) throw new Error('the wizard steps never showed');
  return { lines, toStoreStep: milestones.store - previous, toCredential: milestones.credential - milestones.store };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const ms = (value) => Math.round(value);

/** Table rows for one ticket size: the median of each step, extension next to floor. */
export function sideBySide(ticket, extensionRuns, floorRuns, extensionTotal, floorTotal) {
  const row = (step, extension, floor, goal) => ({ ticket, step, extension: ms(extension), floor: ms(floor), overhead: ms(extension - floor), goal });
  const ratioGoal = ticket.startsWith('5 ') ? '≤ 1.5 × floor' : ticket.startsWith('20 ') ? '≤ 2 × floor' : '';
  return [
    row('each goods line (search, add, 单价, 数量)', median(extensionRuns.flatMap((r) => r.lines)), median(floorRuns.flatMap((r) => r.lines)), '≤ 50 ms overhead'),
    row('下一步 → 录入门店订单号', median(extensionRuns.map((r) => r.toStoreStep)), median(floorRuns.map((r) => r.toStoreStep)), '≤ 50 ms overhead'),
    row('门店订单号, 下一步 → 录入交易凭证', median(extensionRuns.map((r) => r.toCredential)), median(floorRuns.map((r) => r.toCredential)), '≤ 50 ms overhead'),
    { ...row('whole fill', extensionTotal, floorTotal, ratioGoal), overhead: `${ms(extensionTotal - floorTotal)} (${(extensionTotal / floorTotal).toFixed(2)} ×)` },
  ];
}
