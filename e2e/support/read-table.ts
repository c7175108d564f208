import type { Page } from 'puppeteer-core';

/** One body row as a person reads it: each cell's visible text under its column's heading. */
export type ReadRow = Record<string, string>;

/**
 * Reads a table the way a supervisor does: the headings' visible text, then each body row's
 * cells under them (colSpan respected; rows that do not fill the columns, like an inline form or
 * an "empty" line, are left out). Whitespace is collapsed so line breaks inside a cell read as
 * one space.
 */
export async function readTable(page: Page, selector: string): Promise<ReadRow[]> {
  return page.$eval(selector, (el) => {
    const table = el instanceof HTMLTableElement ? el : el.querySelector('table');
    if (!table) throw new Error('no table there');
    const clean = (text: string): string => text.replace(/\s+/g, ' ').trim();
    const headRow = table.tHead?.rows[0];
    if (!headRow) throw new Error('the table has no headings');
    const headings: string[] = [];
    for (const th of Array.from(headRow.cells)) for (let i = 0; i < th.colSpan; i++) headings.push(clean(th.innerText));
    const rows: Array<Record<string, string>> = [];
    for (const body of Array.from(table.tBodies)) {
      for (const tr of Array.from(body.rows)) {
        const cells: string[] = [];
        for (const td of Array.from(tr.cells)) for (let i = 0; i < td.colSpan; i++) cells.push(i === 0 ? clean(td.innerText) : '');
        if (cells.length !== headings.length || tr.cells.length < 2) continue;
        const row: Record<string, string> = {};
        headings.forEach((heading, i) => {
          if (heading) row[heading] = row[heading] === undefined ? cells[i]! : `${row[heading]} ${cells[i]}`;
        });
        rows.push(row);
      }
    }
    return rows;
  });
}

/** The one row whose cells contain each of `wanted` (column → text); fails loudly when none or several do. */
export function rowWith(rows: ReadRow[], wanted: Record<string, string>): ReadRow {
  const found = rows.filter((row) => Object.entries(wanted).every(([column, text]) => (row[column] ?? '').includes(text)));
  if (found.length !== 1) throw new Error(`expected one row with ${JSON.stringify(wanted)}, found ${found.length}: ${JSON.stringify(rows)}`);
  return found[0]!;
}
