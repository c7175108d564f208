// The suite on a busy machine: `npm test` N times in a row (default 3) while a CPU hog — two Node
// processes spinning in a loop, one per core of the 2-core CI machine — runs beside it.
// Stops at the first failing run; prints each run's summary line and time.
//   npm run test:load [-- runs]
import { spawn, spawnSync } from 'node:child_process';

const runs = Number(process.argv[2] ?? 3);
const hogs = Array.from({ length: 2 }, () =>
  spawn(process.execPath, ['-e', 'for (;;) { Math.sqrt(Math.random()); }'], { stdio: 'ignore' }),
);
const stopHogs = () => hogs.forEach((hog) => hog.kill('SIGKILL'));
process.on('exit', stopHogs);
process.on('SIGINT', () => process.exit(130));

let allPassed = true;
for (let run = 1; run <= runs; run++) {
  const started = Date.now();
  const result = spawnSync('npm', ['test'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 28 });
  const summary = /\d+ passed, \d+ failed(, \d+ skipped)?/.exec(result.stdout ?? '')?.[0] ?? '(no summary)';
  console.log(`run ${run}/${runs} under load: exit ${result.status}, ${summary}, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (result.status !== 0) {
    console.log((result.stdout ?? '').slice(-6000));
    allPassed = false;
    break;
  }
}
stopHogs();
console.log(allPassed ? `npm test passed ${runs} times in a row with two busy loops beside it` : 'FAILED under load');
process.exit(allPassed ? 0 : 1);
