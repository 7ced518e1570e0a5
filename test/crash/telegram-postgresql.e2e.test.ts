// The crash test for the Telegram webhook on PostgreSQL (see ./harness.ts). One file per channel and database: vitest runs
// them in parallel forks.
import { describe, it } from 'vitest';
import { requirePostgres } from '../helpers/database.ts';
import { crashSettings, crashTest } from './harness.ts';

describe('a crash during a burst of members [Telegram webhook, PostgreSQL]', () => {
  requirePostgres();
  it('loses nothing and sends nothing twice but what was in flight at a kill', async () => {
    await crashTest('telegram', 'postgresql', crashSettings('telegram/postgresql'));
  }, 170_000);
});
