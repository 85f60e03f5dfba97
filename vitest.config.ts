import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds dist/ once for the end-to-end tests and says whether the browser group runs.
    globalSetup: ['test/setup/global.ts'],
    // better-sqlite3 is a native addon: separate processes keep each file's handles apart.
    pool: 'forks',
    // Files share a worker's module cache (no test here mutates module state it does not restore):
    // a third of the suite's CPU went to importing the same modules again in every file.
    isolate: false,
    // One worker per core: more only made the end-to-end children and Chromium fight for the CPU.
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
