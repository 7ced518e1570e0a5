// ensureMigrated: a current schema is never handed to the schema engine (so the admin tools and a second bot run
// beside a running one); a schema behind is migrated under the migration lock, or refused with what to do; a
// PostgreSQL URL naming a missing database is one clear line, or the database is created when allowed.
import { readdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/data/database.ts';
import {
  DatabaseMissingError,
  SchemaBehindError,
  ensureMigrated,
  migrationsDirFor,
} from '../../src/data/migrations.ts';
import {
  PostgresServer,
  postgresScratchUrl,
  uniqueDatabaseName,
  withScratchDatabase,
} from '../../src/data/postgresServer.ts';
import type { Provider } from '../../src/data/schemas.ts';
import { requirePostgres } from '../helpers/database.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hoi-vien-ensure-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const names = async (provider: Provider) =>
  (await readdir(migrationsDirFor(provider), { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

describe('ensureMigrated on SQLite', () => {
  it('migrates a new file; beside an open connection (a running bot) a current schema is left alone', async () => {
    const url = `file:${path.join(dir, 'bot.db')}`;
    expect(await ensureMigrated(url, { whenLocked: 'refuse' })).toEqual(await names('sqlite'));
    const running = await openDatabase(url);
    try {
      await running.prisma.member.create({ data: { channel: 'console', channelUserId: 'u1' } });
      expect(await ensureMigrated(url, { whenLocked: 'refuse' })).toEqual([]);
      expect(await ensureMigrated(url, { whenLocked: 'wait', waitMs: 200 })).toEqual([]);
      // The schema falls behind (a newer version of the code) while the bot holds the file: refused, with what to do.
      const raw = new Database(path.join(dir, 'bot.db'));
      raw.exec("UPDATE _prisma_migrations SET rolled_back_at = finished_at WHERE migration_name LIKE '%stored_files'");
      raw.close();
      const started = Date.now();
      const refused = await ensureMigrated(url, { whenLocked: 'refuse' }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(SchemaBehindError);
      expect((refused as Error).message).toContain('run `npm run db:migrate`');
      expect(Date.now() - started).toBeLessThan(2_000);
      const waited = await ensureMigrated(url, { whenLocked: 'wait', waitMs: 300 }).catch((error: unknown) => error);
      expect(waited).toBeInstanceOf(SchemaBehindError);
      // Still usable by the running bot.
      expect(await running.prisma.member.count()).toBe(1);
    } finally {
      await running.close();
    }
  });
});

describe('ensureMigrated on PostgreSQL', () => {
  requirePostgres();

  it('leaves a current schema alone even while another session holds the migration lock; refuses one behind', async () => {
    await withScratchDatabase(postgresScratchUrl(), async (url) => {
      expect(await ensureMigrated(url, { whenLocked: 'refuse' })).toEqual(await names('postgresql'));
      const holder = new pg.Client({ connectionString: url });
      await holder.connect();
      try {
        await holder.query('SELECT pg_advisory_lock(72707369)');
        expect(await ensureMigrated(url, { whenLocked: 'refuse' })).toEqual([]);
        await holder.query("DELETE FROM _prisma_migrations WHERE migration_name LIKE '%stored_files'");
        await expect(ensureMigrated(url, { whenLocked: 'refuse' })).rejects.toBeInstanceOf(SchemaBehindError);
      } finally {
        await holder.end();
      }
    });
  });

  it('a missing database is one line saying what to do; with createDatabase it is created and migrated', async () => {
    const server = new PostgresServer(postgresScratchUrl());
    const name = uniqueDatabaseName('hoivien_missing');
    const url = new URL(postgresScratchUrl());
    url.pathname = `/${name}`;
    try {
      const error = await ensureMigrated(url.toString(), { whenLocked: 'refuse' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseMissingError);
      const message = (error as Error).message;
      expect(message.split('\n')).toHaveLength(1);
      expect(message).toContain(`The PostgreSQL database "${name}" does not exist`);
      expect(message).toContain('DATABASE_CREATE=true');
      expect(await ensureMigrated(url.toString(), { whenLocked: 'refuse', createDatabase: true })).toEqual(
        await names('postgresql'),
      );
    } finally {
      await server.drop(name);
      await server.close();
    }
  });
});
