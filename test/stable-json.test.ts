import { describe, expect, it } from 'vitest';
import { auditEntryHash, stableStringify } from '@/shared/audit';
import { stableJson, storedEntryHash, auditEntryHashSync } from '@/shared/audit-chain';
import type { AuditEntry } from '@/shared/db';

/** A small seeded generator, so a failure names the value that broke it. */
function randomValue(rand: () => number, depth: number): unknown {
  const r = rand();
  if (depth <= 0 || r < 0.45) {
    const leaves: unknown[] = [null, undefined, true, false, 0, -0, 1.5, -42, Number.NaN, Infinity, '', 'a"b\\c', '中文\u2028', '\ud83d\ude00', 'x\u0000y', 1e21];
    return leaves[Math.floor(rand() * leaves.length)];
  }
  if (r < 0.7) return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(rand, depth - 1));
  const keys = ['b', 'a', 'A', '_', 'é', '中', 'aa', '10', '2', 'hash', 'seq', 'z\u00ff'];
  const out: Record<string, unknown> = {};
  for (const key of keys) if (rand() < 0.4) out[key] = randomValue(rand, depth - 1);
  return out;
}

describe('stableJson: the same text as stableStringify', () => {
  it('on edge cases', () => {
    const sparse: unknown[] = [1];
    sparse[3] = 2;
    const cases: unknown[] = [null, undefined, 0, 'x', [], {}, [undefined, null], { a: undefined, b: 1 }, sparse, new Date(0), { 10: 1, 2: 2, b: [{ d: 1, c: 2 }] }];
    for (const value of cases) expect(stableJson(value)).toBe(stableStringify(value));
  });

  it('on 5,000 random nested values', () => {
    let seed = 7;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < 5000; i += 1) {
      const value = randomValue(rand, 4);
      expect(stableJson(value), JSON.stringify(value)).toBe(stableStringify(value));
    }
  });

  it('leaves the skipped key out at the top level only', () => {
    const value = { hash: 'h', b: { hash: 'inner' }, a: 1 };
    const { hash: _hash, ...rest } = value;
    expect(stableJson(value, 'hash')).toBe(stableStringify(rest));
  });

  it("an entry's stored hash is recomputed as the audit trail computes it", async () => {
    const entry: AuditEntry = { seq: 3, at: '2025-03-28T09:00:00+08:00', day: '2025-03-28', type: 'scan.accepted', orderNo: 'XS1', detail: { scanId: 'x', n: 2 }, prevHash: '0'.repeat(64), hash: 'ff' };
    const { hash: _hash, ...unsigned } = entry;
    expect(storedEntryHash(entry)).toBe(auditEntryHashSync(unsigned));
    expect(storedEntryHash(entry)).toBe(await auditEntryHash(unsigned));
  });
});
