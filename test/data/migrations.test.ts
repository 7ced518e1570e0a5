import { appendFile, copyFile, cp, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMigrations } from '../../src/cli/db-check.ts';
import { createMigration, type AuthoringPaths } from '../../src/cli/db-migration.ts';
import { writeSchemaVariant } from '../../src/cli/db-schemas.ts';
import { openDatabase } from '../../src/data/database.ts';
import {
  DEFAULT_MIGRATIONS_DIR,
  DEFAULT_SCHEMA_PATH,
  applyMigrations,
  migrationsDirFor,
} from '../../src/data/migrations.ts';
import { PostgresServer, postgresScratchUrl, withScratchDatabase } from '../../src/data/postgresServer.ts';
import { SCHEMA_LOCATIONS, type Provider } from '../../src/data/schemas.ts';
import { requirePostgres } from '../helpers/database.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hoi-vien-migrations-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function committed(migrationsDir: string): Promise<string[]> {
  return (await readdir(migrationsDir, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

const applied = (url: string) =>
  openDatabase(url).then(async (db) => {
    try {
      const rows = await db.prisma.$queryRaw<{ migration_name: string }[]>`
        SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name`;
      return rows.map((row) => row.migration_name);
    } finally {
      await db.close();
    }
  });

/** A copy of the schema and of both migration folders, with one more model in the schema. */
async function schemaWithExtraModel(
  name: string,
): Promise<{ schemaPath: string; migrationsDirs: Record<Provider, string> } & AuthoringPaths> {
  const base = path.join(dir, name);
  const schemaPath = path.join(base, 'schema.prisma');
  const migrationsDirs = {
    sqlite: path.join(base, 'migrations'),
    postgresql: path.join(base, 'postgresql', 'migrations'),
  };
  await cp(DEFAULT_MIGRATIONS_DIR, migrationsDirs.sqlite, { recursive: true });
  await cp(migrationsDirFor('postgresql'), migrationsDirs.postgresql, { recursive: true });
  await copyFile(DEFAULT_SCHEMA_PATH, schemaPath);
  await appendFile(schemaPath, '\nmodel Extra {\n  id String @id\n}\n');
  return { schemaPath, migrationsDirs };
}

describe('applyMigrations', () => {
  it('creates the SQLite file (and its folder), applies every migration once, and leaves the file usable', async () => {
    const names = await committed(DEFAULT_MIGRATIONS_DIR);
    expect(names.length).toBeGreaterThan(0);

    const url = `file:${path.join(dir, 'not', 'yet', 'there.db')}`;
    expect(await applyMigrations(url)).toEqual(names);
    expect(await applyMigrations(url)).toEqual([]);

    // The engine's connections are closed: the app's client can write (no SQLITE_BUSY from its exclusive lock).
    const db = await openDatabase(url);
    try {
      await db.prisma.member.create({ data: { channel: 'console', channelUserId: 'u1' } });
    } finally {
      await db.close();
    }
    expect(await applied(url)).toEqual(names);
  });

  it("reports the driver's own error instead of an opaque external error id", async () => {
    // A folder is not a database file.
    await expect(applyMigrations(`file:${dir}`)).rejects.toThrow(/unable to open database file/);
  });

  describe('on PostgreSQL', () => {
    requirePostgres();

    it('applies the PostgreSQL migrations, from their own folder, once', async () => {
      const names = await committed(migrationsDirFor('postgresql'));
      expect(names.length).toBeGreaterThan(0);
      await withScratchDatabase(postgresScratchUrl(), async (url) => {
        expect(await applyMigrations(url)).toEqual(names);
        expect(await applyMigrations(url)).toEqual([]);
        expect(await applied(url)).toEqual(names);
        const db = await openDatabase(url);
        try {
          const member = await db.prisma.member.create({ data: { channel: 'console', channelUserId: 'u1' } });
          expect(member.createdAt).toBeInstanceOf(Date);
        } finally {
          await db.close();
        }
      });
    });

    it("reports the server's own error", async () => {
      const missing = new URL(postgresScratchUrl());
      missing.pathname = '/hoivien_no_such_database';
      await expect(applyMigrations(missing.toString())).rejects.toThrow(/hoivien_no_such_database/);
    });
  });
});

describe('db:check', () => {
  requirePostgres();

  it('passes on the committed migrations and PostgreSQL schema, and drops the throw-away database it diffed on', async () => {
    const server = new PostgresServer(postgresScratchUrl());
    try {
      expect(await checkMigrations()).toEqual({
        exitCode: 0,
        message: 'Migrations (SQLite and PostgreSQL) are up to date with the schema.',
      });
      expect(await server.list(`prisma_scratch_${process.pid}`)).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('fails, naming what is missing for each provider, when the schema has a change without a migration', async () => {
    const paths = await schemaWithExtraModel('check');
    const postgresqlSchemaPath = path.join(dir, 'check', 'postgresql', 'schema.prisma');
    await writeSchemaVariant({ schemaPath: paths.schemaPath, postgresqlSchemaPath });

    const { exitCode, message } = await checkMigrations({ ...paths, postgresqlSchemaPath });
    expect(exitCode).toBe(1);
    expect(message).toContain('no sqlite migration covers:\n  CreateTable: CREATE TABLE "Extra"');
    expect(message).toContain('no postgresql migration covers:\n  CreateTable: CREATE TABLE "Extra"');
    expect(message).toContain('npm run db:migration -- <name>');
    expect(message).not.toContain('db:generate');
  });

  it('fails when the committed PostgreSQL schema is not what prisma/schema.prisma gives', async () => {
    const postgresqlSchemaPath = path.join(dir, 'stale.prisma');
    await copyFile(SCHEMA_LOCATIONS.postgresql.schemaPath, postgresqlSchemaPath);
    await appendFile(postgresqlSchemaPath, '\n// edited by hand\n');
    const { exitCode, message } = await checkMigrations({ postgresqlSchemaPath });
    expect(exitCode).toBe(1);
    expect(message).toMatch(/stale\.prisma is not what prisma\/schema\.prisma gives: run `npm run db:generate`/);
  });
});

describe('db:migration', () => {
  it('refuses a missing or bad name with a clear message', async () => {
    expect(await createMigration([])).toMatchObject({ exitCode: 1, message: /name is required/ });
    for (const args of [['../escape'], ['two words'], ['a', 'b'], ['x'.repeat(101)]]) {
      expect(await createMigration(args)).toMatchObject({ exitCode: 1, message: /Bad migration name/ });
    }
  });

  it('writes nothing at all when PostgreSQL cannot be reached', async () => {
    const paths = await schemaWithExtraModel('unreachable');
    const before = await committed(paths.migrationsDirs.sqlite);
    await expect(
      createMigration(['add_extra'], { ...paths, serverUrl: 'postgresql://postgres@127.0.0.1:1/postgres' }),
    ).rejects.toThrow(/Cannot connect to PostgreSQL at postgresql:\/\/postgres@127\.0\.0\.1:1\/postgres/);
    expect(await committed(paths.migrationsDirs.sqlite)).toEqual(before);
  });

  describe('with PostgreSQL', () => {
    requirePostgres();

    it('writes the missing migration of both providers as Prisma would; then the check passes', async () => {
      const paths = await schemaWithExtraModel('authoring');
      const postgresqlSchemaPath = path.join(dir, 'authoring', 'postgresql', 'schema.prisma');
      await writeSchemaVariant({ schemaPath: paths.schemaPath, postgresqlSchemaPath });

      const written = await createMigration(['add_extra'], paths, new Date('2031-03-08T07:05:09.123Z'));
      expect(written.exitCode).toBe(0);
      const migration = (provider: Provider) =>
        readFile(path.join(paths.migrationsDirs[provider], '20310308070509_add_extra', 'migration.sql'), 'utf8');
      expect(await migration('sqlite')).toBe(
        '-- CreateTable\nCREATE TABLE "Extra" (\n    "id" TEXT NOT NULL PRIMARY KEY\n);\n',
      );
      expect(await migration('postgresql')).toBe(
        '-- CreateTable\nCREATE TABLE "Extra" (\n    "id" TEXT NOT NULL,\n\n    CONSTRAINT "Extra_pkey" PRIMARY KEY ("id")\n);\n',
      );
      for (const provider of ['sqlite', 'postgresql'] as const) {
        expect(await readFile(path.join(paths.migrationsDirs[provider], 'migration_lock.toml'), 'utf8')).toBe(
          await readFile(path.join(migrationsDirFor(provider), 'migration_lock.toml'), 'utf8'),
        );
      }

      expect((await checkMigrations({ ...paths, postgresqlSchemaPath })).exitCode).toBe(0);
      expect(await createMigration(['again'], paths)).toMatchObject({ exitCode: 0, message: /^No changes/ });
      expect(
        await applyMigrations(`file:${path.join(dir, 'authoring', 'db.sqlite')}`, {
          schemaPath: paths.schemaPath,
          migrationsDir: paths.migrationsDirs.sqlite,
        }),
      ).toContain('20310308070509_add_extra');
      await withScratchDatabase(postgresScratchUrl(), async (url) => {
        expect(
          await applyMigrations(url, { schemaPath: paths.schemaPath, migrationsDir: paths.migrationsDirs.postgresql }),
        ).toContain('20310308070509_add_extra');
      });
      // The committed folders were not touched.
      await expect(stat(path.join(DEFAULT_MIGRATIONS_DIR, '20310308070509_add_extra'))).rejects.toThrow(/ENOENT/);
      await expect(stat(path.join(migrationsDirFor('postgresql'), '20310308070509_add_extra'))).rejects.toThrow(
        /ENOENT/,
      );
    });
  });
});

describe('the member_consent migration', () => {
  const NAME = '20261207041725_member_consent';

  /**
   * Applies the history before the migration, stores members as they were, applies it (and the migrations after it,
   * in order, as a deployment would); her consent rows.
   */
  async function migrateMembers(url: string, provider: Provider) {
    const full = provider === 'sqlite' ? DEFAULT_MIGRATIONS_DIR : migrationsDirFor('postgresql');
    const before = await mkdtemp(path.join(dir, `${provider}-before-`));
    await cp(full, before, { recursive: true });
    const fromIt = (await committed(full)).filter((name) => name >= NAME);
    for (const name of fromIt) await rm(path.join(before, name), { recursive: true });
    await applyMigrations(url, { migrationsDir: before });
    const beforeDb = await openDatabase(url);
    try {
      const given = new Date('2026-01-05T03:00:00Z');
      const declined = new Date('2026-02-01T03:00:00Z');
      const members = beforeDb.prisma.member;
      // Only the id is read back: the database is older than the client (columns added later, such as birthYear).
      const only = { select: { id: true } } as const;
      await members.create({
        data: { id: 'm-given', channel: 'console', channelUserId: 'a', consentAt: given },
        ...only,
      });
      await members.create({
        data: { id: 'm-declined', channel: 'console', channelUserId: 'b', optedOutAt: declined },
        ...only,
      });
      await members.create({ data: { id: 'm-undecided', channel: 'console', channelUserId: 'c' }, ...only });
    } finally {
      // Closed before the engine migrates (SQLite: the engine's write lock would wait on this client).
      await beforeDb.close();
    }
    for (const name of fromIt) await cp(path.join(full, name), path.join(before, name), { recursive: true });
    expect(fromIt[0]).toBe(NAME);
    expect(await applyMigrations(url, { migrationsDir: before })).toEqual(fromIt);
    const after = await openDatabase(url);
    try {
      const rows = await after.prisma.memberConsent.findMany({ orderBy: { memberId: 'asc' } });
      return rows.map((r) => [
        r.memberId,
        r.purpose,
        r.givenAt?.toISOString() ?? null,
        r.withdrawnAt?.toISOString() ?? null,
      ]);
    } finally {
      await after.close();
    }
  }

  const expected = [
    ['m-declined', 'profile', null, '2026-02-01T03:00:00.000Z'],
    ['m-given', 'profile', '2026-01-05T03:00:00.000Z', null],
  ];

  it('turns each existing consent (given or declined) into the "profile" purpose, with its time (SQLite)', async () => {
    expect(await migrateMembers(`file:${path.join(dir, 'consent.db')}`, 'sqlite')).toEqual(expected);
  });

  describe('on PostgreSQL', () => {
    requirePostgres();
    it('the same on PostgreSQL', async () => {
      await withScratchDatabase(postgresScratchUrl(), async (url) => {
        expect(await migrateMembers(url, 'postgresql')).toEqual(expected);
      });
    });
  });
});
