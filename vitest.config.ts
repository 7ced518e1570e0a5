import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Child processes rather than worker threads: better-sqlite3 is a native module, and each test process keeps its
    // own migrated template database (test/helpers/database.ts), removed when the process exits.
    pool: 'forks',
    testTimeout: 10_000,
    hookTimeout: 30_000,
  },
});
