import { defineConfig } from 'vitest/config';

// End-to-end tests: real Chromium with the built extension (e2e/harness). Kept apart from the unit
// config: no fake-indexeddb, no WXT fake browser, and one file at a time — each file runs its own
// browser and the CI machines have 2 cores.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 15_000,
  },
});
