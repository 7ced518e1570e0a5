import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase } from '../../src/data/database.ts';
import { createInboundLog } from '../../src/data/inboundLog.ts';
import type { InboundLog } from '../../src/domain/member.ts';
import { describeEachProvider, freshDatabase, type FreshDatabase } from '../helpers/database.ts';

describeEachProvider('inbound log', (provider) => {
  let db: FreshDatabase;
  let log: InboundLog;
  beforeEach(async () => {
    db = await freshDatabase(provider);
    log = createInboundLog(db.prisma);
  });
  afterEach(() => db.close());

  it('claims a message id once per channel', async () => {
    expect(await log.claim('telegram', '100')).toBe(true);
    expect(await log.claim('telegram', '100')).toBe(false);
    expect(await log.claim('zalo', '100')).toBe(true);
  });

  it('gives a concurrent redelivery exactly one claim, also across two connections', async () => {
    const claims = await Promise.all(Array.from({ length: 5 }, () => log.claim('zalo', 'msg-1')));
    expect(claims.filter(Boolean)).toHaveLength(1);

    const other = await openDatabase(db.url); // a second connection, as a second process would have
    try {
      const theirs = createInboundLog(other.prisma);
      const across = await Promise.all(
        Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? log : theirs).claim('telegram', 'update-7')),
      );
      expect(across.filter(Boolean)).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  it('prunes ids older than the date and keeps the rest', async () => {
    const day = 24 * 60 * 60 * 1000;
    const now = Date.now();
    await db.prisma.processedInbound.createMany({
      data: [
        { channel: 'telegram', messageId: 'old-1', createdAt: new Date(now - 3 * day) },
        { channel: 'zalo', messageId: 'old-2', createdAt: new Date(now - 2 * day) },
      ],
    });
    await log.claim('telegram', 'new');

    expect(await log.pruneOlderThan(new Date(now - day))).toBe(2);
    expect(await log.pruneOlderThan(new Date(now - day))).toBe(0);
    expect(await log.claim('telegram', 'new')).toBe(false);
    expect(await log.claim('telegram', 'old-1')).toBe(true);
  });
});
