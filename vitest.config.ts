import { defineConfig } from 'vitest/config';
import Sequencer from './test/setup/sequencer.js';

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
    // Three workers on two cores: the files that mostly wait (timeouts, pacing) start first, each
    // beside files that keep the CPU busy (test/setup/sequencer.ts), so the third worker's files
    // fill the waits. With one worker per core those waits left a core idle.
    maxWorkers: 3,
    sequence: { sequencer: Sequencer },
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
