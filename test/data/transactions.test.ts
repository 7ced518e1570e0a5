// The ambient client outside a unit (src/data/transactions.ts). On SQLite the driver adapter has one connection per
// client: before the fix a statement made outside any unit while another turn's transaction was open ran inside that
// transaction, and vanished when the turn rolled back. Each form a store uses is tried: a model call, a raw
// statement, `$transaction` with a function and with a list.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ambientTransactions } from '../../src/data/transactions.ts';
import { describeEachProvider, freshDatabase, type FreshDatabase } from '../helpers/database.ts';

describeEachProvider('statements outside a unit', (provider) => {
  let db: FreshDatabase;
  beforeEach(async () => {
    db = await freshDatabase(provider);
  });
  afterEach(async () => {
    await db.close();
  });

  /** Runs `outside` while a unit that writes and then fails is open; the unit's own write must be gone. */
  async function duringARolledBackTurn<T>(outside: () => PromiseLike<T>): Promise<T> {
    const { prisma: ambient, transactor } = ambientTransactions(db.prisma);
    let finishTurn!: () => void;
    const turnMayEnd = new Promise<void>((resolve) => (finishTurn = resolve));
    let opened!: () => void;
    const turnOpen = new Promise<void>((resolve) => (opened = resolve));
    const turn = transactor.run(async () => {
      await ambient.processedInbound.create({ data: { channel: 'telegram', messageId: 'rolled-back' } });
      opened();
      await turnMayEnd;
      throw new Error('this turn is rolled back');
    });
    await turnOpen;
    const result = Promise.resolve(outside());
    // Bounded: on SQLite the statement waits for the turn; give it a moment to (wrongly) slip inside.
    await new Promise((resolve) => setTimeout(resolve, 50));
    finishTurn();
    await expect(turn).rejects.toThrow('this turn is rolled back');
    const value = await result;
    expect(await db.prisma.processedInbound.count({ where: { messageId: 'rolled-back' } })).toBe(0);
    return value;
  }

  it('a model call made during another turn survives that turn’s rollback', async () => {
    const { prisma } = ambientTransactions(db.prisma);
    await duringARolledBackTurn(() =>
      prisma.job.create({ data: { kind: 'test', payload: {}, status: 'queued', runAt: new Date(), maxAttempts: 3 } }),
    );
    expect(await db.prisma.job.count()).toBe(1);
  });

  it('a raw statement made during another turn survives that turn’s rollback', async () => {
    const { prisma } = ambientTransactions(db.prisma);
    await duringARolledBackTurn(
      () => prisma.$executeRaw`INSERT INTO "ProcessedInbound" ("channel", "messageId") VALUES ('zalo', 'raw')`,
    );
    expect(await db.prisma.processedInbound.count({ where: { messageId: 'raw' } })).toBe(1);
  });

  it('a transaction (function or list) started during another turn survives that turn’s rollback', async () => {
    const { prisma } = ambientTransactions(db.prisma);
    await duringARolledBackTurn(() =>
      prisma.$transaction(async (tx) => {
        await tx.processedInbound.create({ data: { channel: 'zalo', messageId: 'fn' } });
      }),
    );
    await duringARolledBackTurn(() =>
      prisma.$transaction([
        prisma.processedInbound.create({ data: { channel: 'zalo', messageId: 'list-1' } }),
        prisma.processedInbound.create({ data: { channel: 'zalo', messageId: 'list-2' } }),
      ]),
    );
    expect(
      (await db.prisma.processedInbound.findMany({ orderBy: { messageId: 'asc' } })).map((r) => r.messageId),
    ).toEqual(['fn', 'list-1', 'list-2']);
  });

  it('a list transaction outside a unit is all or nothing', async () => {
    const { prisma } = ambientTransactions(db.prisma);
    await expect(
      prisma.$transaction([
        prisma.processedInbound.create({ data: { channel: 'zalo', messageId: 'dup' } }),
        prisma.processedInbound.create({ data: { channel: 'zalo', messageId: 'dup' } }),
      ]),
    ).rejects.toThrow();
    expect(await db.prisma.processedInbound.count()).toBe(0);
  });

  it('inside a unit the same client is the unit’s transaction (rolled back with it)', async () => {
    const { prisma, transactor } = ambientTransactions(db.prisma);
    await expect(
      transactor.run(async () => {
        await prisma.processedInbound.create({ data: { channel: 'zalo', messageId: 'in-unit' } });
        await prisma.$executeRaw`INSERT INTO "ProcessedInbound" ("channel", "messageId") VALUES ('zalo', 'raw')`;
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await db.prisma.processedInbound.count()).toBe(0);
  });
});
