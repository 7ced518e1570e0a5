import { defineConfig } from 'vitest/config';

/** Browser tests: a real Chromium (test/web/browser.ts), one for the whole run, started only when such a file runs. */
const BROWSER_TESTS = 'test/web/**/*.browser.test.ts';

export default defineConfig({
  test: {
    // Child processes rather than worker threads: better-sqlite3 is a native module, and each test process keeps its
    // own migrated template database (test/helpers/database.ts), removed when the process exits.
    pool: 'forks',
    // A bound, not a speed target (npm run bench measures speed): tests that start the schema engine, child processes
    // or a seeded fuzz take seconds alone and several times that on a loaded 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [BROWSER_TESTS] },
      },
      {
        // The same settings, plus ONE shared headless Chromium (test/web/browser.global.ts): vitest runs a project's
        // globalSetup only when the run includes one of its files. Pages are slower than function calls on 2 cores.
        extends: true,
        test: {
          name: 'browser',
          include: [BROWSER_TESTS],
          globalSetup: ['test/web/browser.global.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
