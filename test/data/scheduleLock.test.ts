import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase } from '../../src/data/database.ts';
import { createScheduleLock } from '../../src/data/scheduleLock.ts';
import type { ScheduleLock } from '../../src/domain/cases.ts';
import { describeEachProvider, freshDatabase, type FreshDatabase } from '../helpers/database.ts';

describeEachProvider('schedule lock', (provider) => {
  let db: FreshDatabase;
  let lock: ScheduleLock;
  beforeEach(async () => {
    db = await freshDatabase(provider);
    lock = createScheduleLock(db.prisma);
  });
  afterEach(() => db.close());

  it('lets the first caller of a (name, period) in, once', async () => {
    expect(await lock.acquire('digest', '2025-07-01')).toBe(true);
    expect(await lock.acquire('digest', '2025-07-01')).toBe(false);
    expect(await lock.acquire('digest', '2025-07-02')).toBe(true);
    expect(await lock.acquire('escalation', '2025-07-01')).toBe(true);
    expect(await db.prisma.scheduledRun.count()).toBe(3);
  });

  it('lets exactly one of several instances in at once', async () => {
    const other = await openDatabase(db.url);
    try {
      const otherLock = createScheduleLock(other.prisma);
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? lock : otherLock).acquire('digest', '2025-07-01')),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    } finally {
      await other.close();
    }
  });
});
