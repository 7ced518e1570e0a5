// The broadcast crash test on SQLite (see ./broadcastHarness.ts): one bot process sending a 5,000-recipient broadcast,
// killed with SIGKILL partway and started again.
import { describe, it } from 'vitest';
import { broadcastCrashSettings, broadcastCrashTest } from './broadcastHarness.ts';

describe('a crash during a broadcast [Telegram webhook, SQLite]', () => {
  it('reaches every recipient once, but the sends in flight at the kill (uncertain, at most the concurrency)', async () => {
    await broadcastCrashTest('sqlite', broadcastCrashSettings('sqlite', 1));
  }, 90_000);
});
