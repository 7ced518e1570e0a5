// The broadcast crash test on PostgreSQL with two dispatcher processes on one database (see ./broadcastHarness.ts):
// one is killed with SIGKILL partway and started again; no delivery goes out twice but the uncertain ones.
import { describe, it } from 'vitest';
import { requirePostgres } from '../helpers/database.ts';
import { broadcastCrashSettings, broadcastCrashTest } from './broadcastHarness.ts';

describe('a crash during a broadcast, two dispatchers [Telegram webhook, PostgreSQL]', () => {
  requirePostgres();
  it('reaches every recipient once, but the sends in flight at the kill (uncertain, at most the concurrency)', async () => {
    await broadcastCrashTest('postgresql', broadcastCrashSettings('postgresql', 2));
  }, 90_000);
});
