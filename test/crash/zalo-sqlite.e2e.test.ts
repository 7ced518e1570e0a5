// The crash test for the Zalo OA on SQLite (see ./harness.ts). One file per channel and database: vitest runs
// them in parallel forks.
import { describe, it } from 'vitest';
import { crashSettings, crashTest } from './harness.ts';

describe('a crash during a burst of members [Zalo OA, SQLite]', () => {
  it('loses nothing and sends nothing twice but what was in flight at a kill', async () => {
    await crashTest('zalo', 'sqlite', crashSettings('zalo/sqlite'));
  }, 170_000);
});
