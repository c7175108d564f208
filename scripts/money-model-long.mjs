// The money model (test/money-model.test.ts) for a long run: MODEL_RUNS (default 1,000,000) runs,
// split into chunks so a failure reports early and memory stays flat; each chunk its own seed.
//   nice -n 10 node scripts/money-model-long.mjs [runs] [chunk]
import { spawnSync } from 'node:child_process';

const total = Number(process.argv[2] ?? process.env.MODEL_RUNS ?? 1_000_000);
const chunk = Number(process.argv[3] ?? 50_000);
const started = Date.now();
let done = 0;
for (let index = 0; done < total; index++) {
  const runs = Math.min(chunk, total - done);
  const seed = 1_000_003 * (index + 1);
  const result = spawnSync('npx', ['vitest', 'run', 'test/money-model.test.ts', '-t', 'every sale'], {
    env: { ...process.env, MODEL_RUNS: String(runs), MODEL_SEED: String(seed) },
    encoding: 'utf8',
  });
  const line = /money model: .*/.exec(result.stdout)?.[0] ?? '';
  done += runs;
  console.log(`[${new Date().toISOString()}] chunk ${index} seed ${seed}: ${result.status === 0 ? 'passed' : 'FAILED'} ${line}`);
  if (result.status !== 0) {
    console.log(result.stdout.slice(-4000), result.stderr.slice(-2000));
    process.exit(1);
  }
}
console.log(`money model: ${done} runs passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
