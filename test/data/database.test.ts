import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPrismaError, openDatabase, parseDatabaseUrl, redactUrl } from '../../src/data/database.ts';
import { describeEachProvider, freshDatabase, type FreshDatabase } from '../helpers/database.ts';

describe('parseDatabaseUrl', () => {
  it('resolves a SQLite path against the current directory and drops URL options', () => {
    expect(parseDatabaseUrl('file:./data/bot.db?connection_limit=1')).toEqual({
      provider: 'sqlite',
      file: path.resolve('data/bot.db'),
    });
    expect(parseDatabaseUrl('file:/var/lib/bot.db')).toEqual({ provider: 'sqlite', file: '/var/lib/bot.db' });
  });

  it('accepts both PostgreSQL schemes and refuses anything else without showing the password', () => {
    expect(parseDatabaseUrl('postgres://u:p@h/db').provider).toBe('postgresql');
    expect(parseDatabaseUrl('postgresql://u:p@h/db').provider).toBe('postgresql');
    expect(() => parseDatabaseUrl('mysql://u:secret@h/db')).toThrow('mysql://u:***@h/db');
    expect(redactUrl('postgresql://bot:s3cr%40t@db:5432/bot')).toBe('postgresql://bot:***@db:5432/bot');
  });
});

describe('openDatabase / freshDatabase', () => {
  const open: FreshDatabase[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((db) => db.close()));
  });

  it('gives a migrated, empty database quickly', async () => {
    open.push(await freshDatabase()); // pays for the template once
    const started = performance.now();
    const db = await freshDatabase();
    const elapsed = performance.now() - started;
    open.push(db);
    expect(await db.prisma.member.count()).toBe(0);
    expect(elapsed).toBeLessThan(500); // ~20 ms here; generous for a loaded CI machine
  });

  it('puts SQLite in WAL mode so a second process can read and write the same file', async () => {
    const db = await freshDatabase();
    open.push(db);
    const [mode] = await db.prisma.$queryRawUnsafe<{ journal_mode: string }[]>('PRAGMA journal_mode');
    expect(mode?.journal_mode).toBe('wal');

    const other = await openDatabase(db.url);
    try {
      await other.prisma.processedInbound.create({ data: { channel: 'console', messageId: 'm1' } });
      expect(await db.prisma.processedInbound.count()).toBe(1);
    } finally {
      await other.close();
    }
  });
});

describeEachProvider('stored values', (provider) => {
  let db: FreshDatabase;
  beforeEach(async () => {
    db = await freshDatabase(provider);
  });
  afterEach(() => db.close());

  it('a fresh database is quick to get, empty, and its ids start again from 1', async () => {
    const member = await db.prisma.member.create({ data: { channel: 'console', channelUserId: 'u' } });
    await db.prisma.case.create({ data: { type: 'talk', memberId: member.id, details: {} } });
    await db.close();

    const started = performance.now();
    db = await freshDatabase(provider);
    expect(performance.now() - started).toBeLessThan(500); // ~20-30 ms here; generous for a loaded CI machine
    expect(await db.prisma.member.count()).toBe(0);
    const again = await db.prisma.member.create({ data: { channel: 'console', channelUserId: 'u' } });
    expect((await db.prisma.case.create({ data: { type: 'talk', memberId: again.id, details: {} } })).id).toBe(1);
  });

  it('JSON comes back as written: key order, nesting, Unicode, numbers, null', async () => {
    const { id: memberId } = await db.prisma.member.create({ data: { channel: 'console', channelUserId: 'u' } });
    const details = { zeta: 'Hội Liên hiệp Phụ nữ 👩', alpha: { y: [3, 1.5, -0.1], b: null }, max: 2 ** 53 - 1 };
    const created = await db.prisma.case.create({ data: { type: 'talk', memberId, details } });
    const row = await db.prisma.case.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.details).toEqual(details);
    expect(JSON.stringify(row.details)).toBe(JSON.stringify(details)); // same key order (jsonb would sort them)
  });

  it('dates keep their milliseconds and their instant; defaults are the current time', async () => {
    const at = new Date('2025-07-01T08:00:00.123Z');
    const before = Date.now();
    const row = await db.prisma.member.create({ data: { channel: 'console', channelUserId: 'u', consentAt: at } });
    expect((await db.prisma.member.findUniqueOrThrow({ where: { id: row.id } })).consentAt).toEqual(at);
    expect(row.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1);
    expect(row.createdAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(await db.prisma.member.count({ where: { consentAt: { gt: new Date(at.getTime() - 1) } } })).toBe(1);
  });

  it('compares text case-sensitively and reports a duplicate key as P2002', async () => {
    await db.prisma.member.create({ data: { channel: 'telegram', channelUserId: 'Abc' } });
    await db.prisma.member.create({ data: { channel: 'telegram', channelUserId: 'abc' } });
    const found = await db.prisma.member.findMany({ where: { channelUserId: 'abc' } });
    expect(found.map((m) => m.channelUserId)).toEqual(['abc']);
    const duplicate = await db.prisma.member.create({ data: { channel: 'telegram', channelUserId: 'abc' } }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(isPrismaError(duplicate, 'P2002')).toBe(true);
  });
});
