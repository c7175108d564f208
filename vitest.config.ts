import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    setupFiles: ['fake-indexeddb/auto'],
    // A hang guard, not a speed check (speed is `npm run bench`): the CPU-bound property tests
    // take several times their quiet time beside two busy loops on 2 cores (`npm run test:load`);
    // the 5 s default timed one out there.
    testTimeout: 30_000,
  },
});
