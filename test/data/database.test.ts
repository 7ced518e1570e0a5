import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, parseDatabaseUrl, redactUrl } from '../../src/data/database.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';

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
