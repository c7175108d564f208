// What the content script is made of: builds once with source maps (into .output/bundle-report,
// the release build is untouched) and prints the content script's raw and gzip size, and the
// bytes each source contributes, largest first (from the source map's mappings), then PASS or FAIL
// against issue 13's goal: the content script ≤ 40 KB gzip (40,000 B at gzip -9; exit 1 on FAIL).
// The unit test test/content-script-validation.test.ts keeps zod and Dexie out of it without a build.
//   node scripts/bundle-report.mjs [top=30]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { SourceMapConsumer } from 'source-map-js';

const top = Number(process.argv[2] ?? 30);
const outDir = '.output/bundle-report';
execFileSync('npx', ['wxt', 'build'], { env: { ...process.env, TB_SOURCEMAP: '1' }, stdio: 'ignore' });
const dir = `${outDir}/chrome-mv3/content-scripts`;
const code = readFileSync(`${dir}/portal.js`, 'utf8');
const map = new SourceMapConsumer(JSON.parse(readFileSync(`${dir}/portal.js.map`, 'utf8')));
const lines = code.split('\n');
const bytes = new Map();
let previous = null;
map.eachMapping((m) => {
  if (previous && previous.generatedLine === m.generatedLine) {
    const length = m.generatedColumn - previous.generatedColumn;
    bytes.set(previous.source, (bytes.get(previous.source) ?? 0) + length);
  }
  previous = m;
});
const group = (source) => {
  if (!source) return '(unmapped)';
  const nm = source.lastIndexOf('node_modules/');
  if (nm >= 0) return 'npm:' + source.slice(nm + 13).split('/').slice(0, source.slice(nm + 13).startsWith('@') ? 2 : 1).join('/');
  return source.replace(/^(\.\.\/)+/, '');
};
const grouped = new Map();
for (const [source, n] of bytes) grouped.set(group(source), (grouped.get(group(source)) ?? 0) + n);
const total = [...grouped.values()].reduce((a, b) => a + b, 0);
const gzipBytes = gzipSync(code, { level: 9 }).length;
console.log(`content script: ${code.length} B raw, ${gzipBytes} B gzip -9, ${lines.length} lines; mapped ${total} B`);
for (const [source, n] of [...grouped].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${String(n).padStart(8)}  ${source}`);
const GOAL_GZIP_BYTES = 40_000;
const pass = gzipBytes <= GOAL_GZIP_BYTES;
console.log(`${pass ? 'PASS' : 'FAIL'}: content script ${gzipBytes} B gzip -9, goal ≤ ${GOAL_GZIP_BYTES} B (issue 13)`);
if (!pass) process.exitCode = 1;
