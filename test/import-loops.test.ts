import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importLoops } from '../scripts/import-loops.mjs';

interface Loops {
  files: number;
  fileLoops: string[][];
  folderLoops: { folders: string[]; because: string[] }[];
}
const check = importLoops as (root: string) => Loops;

describe('import loops', () => {
  it('none between files or folders of the extension', () => {
    const result = check(resolve(__dirname, '..'));
    expect(result.files).toBeGreaterThan(50);
    expect(result.fileLoops).toEqual([]);
    expect(result.folderLoops).toEqual([]);
  });

  it('finds a type-only file loop and the folder loop it makes (the check can fail)', () => {
    const root = mkdtempSync(join(tmpdir(), 'loops-'));
    mkdirSync(join(root, 'shared/engine'), { recursive: true });
    mkdirSync(join(root, 'providers'));
    writeFileSync(join(root, 'shared/a.ts'), "import { b } from '@/providers/b';\nexport const a = b;\n");
    writeFileSync(join(root, 'providers/b.ts'), "import type { C } from '../shared/engine/c';\nexport const b = 1 as C;\n");
    writeFileSync(join(root, 'shared/engine/c.ts'), "export type C = number;\nexport { a } from '../a';\n");
    const result = check(root);
    expect(result.fileLoops).toEqual([['providers/b.ts', 'shared/a.ts', 'shared/engine/c.ts']]);
    expect(result.folderLoops.map((l) => l.folders)).toEqual([['providers', 'shared', 'shared/engine']]);
  });
});
