// The README's test command: type check, unit tests, production build, end-to-end tests on that
// build in Debian's Chromium. Ends with one plain summary line: "N passed, N failed, N skipped",
// after the list of skipped tests (a test that may be skipped says why in its title).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const reports = mkdtempSync(join(tmpdir(), 'tb-test-'));
let passed = 0;
let failed = 0;
const skipped = [];

function step(name, command, args) {
  const started = Date.now();
  console.log(`\n▶ ${name}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: 'true' } });
  console.log(`  ${name}: exit ${result.status} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result.status === 0;
}

function vitest(name, configArgs) {
  const output = join(reports, `${name}.json`);
  const ok = step(name, 'npx', ['vitest', 'run', ...configArgs, '--reporter=default', '--reporter=json', `--outputFile.json=${output}`]);
  try {
    const report = JSON.parse(readFileSync(output, 'utf8'));
    passed += report.numPassedTests;
    for (const file of report.testResults ?? []) {
      for (const test of file.assertionResults ?? []) {
        if (['skipped', 'pending', 'todo', 'disabled'].includes(test.status)) skipped.push(`${name}: ${file.name.replace(root, '')} › ${test.fullName}`);
      }
    }
    failed += report.numFailedTests + (ok ? 0 : report.numFailedTests === 0 ? 1 : 0);
  } catch {
    failed += 1;
  }
  return ok;
}

const checks = [
  () => step('typecheck', 'npx', ['tsc', '--noEmit']) || ((failed += 1), false),
  () => vitest('unit', []),
  () => step('build (chrome)', 'npx', ['wxt', 'build']) || ((failed += 1), false),
  () => step('build (firefox) + manifest check', 'node', ['scripts/check-firefox.mjs']) || ((failed += 1), false),
  () => vitest('e2e', ['-c', 'vitest.e2e.config.ts']),
];
let allOk = true;
for (const check of checks) allOk = check() && allOk;

if (skipped.length) console.log(`\nskipped:\n  ${skipped.join('\n  ')}`);
console.log(`\n${passed} passed, ${failed} failed, ${skipped.length} skipped`);
process.exit(allOk && failed === 0 ? 0 : 1);
