// The crash test for the Zalo OA on PostgreSQL (see ./harness.ts). One file per channel and database: vitest runs
// them in parallel forks.
import { describe, it } from 'vitest';
import { requirePostgres } from '../helpers/database.ts';
import { crashSettings, crashTest } from './harness.ts';

describe('a crash during a burst of members [Zalo OA, PostgreSQL]', () => {
  requirePostgres();
  it('loses nothing and sends nothing twice but what was in flight at a kill', async () => {
    await crashTest('zalo', 'postgresql', crashSettings('zalo/postgresql'));
  }, 170_000);
});
