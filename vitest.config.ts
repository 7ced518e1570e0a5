import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Child processes rather than worker threads: better-sqlite3 is a native module, and each test process keeps its
    // own migrated template database (test/helpers/database.ts), removed when the process exits.
    pool: 'forks',
    // A bound, not a speed target (npm run bench measures speed): tests that start the schema engine, child processes
    // or a seeded fuzz take seconds alone and several times that on a loaded 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
