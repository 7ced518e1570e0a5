import { appendFile, copyFile, cp, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMigrations } from '../../src/cli/db-check.ts';
import { createMigration } from '../../src/cli/db-migration.ts';
import { openDatabase } from '../../src/data/database.ts';
import {
  DEFAULT_MIGRATIONS_DIR,
  DEFAULT_SCHEMA_PATH,
  applyMigrations,
  diffSchemaAgainstMigrations,
} from '../../src/data/migrations.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hoi-vien-migrations-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('applyMigrations', () => {
  it('creates the file (and its folder), applies every migration once, and leaves the file usable', async () => {
    const committed = (await readdir(DEFAULT_MIGRATIONS_DIR, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(committed.length).toBeGreaterThan(0);

    const url = `file:${path.join(dir, 'not', 'yet', 'there.db')}`;
    expect(await applyMigrations(url)).toEqual(committed);
    expect(await applyMigrations(url)).toEqual([]);

    // The engine's connections are closed: the app's client can write (no SQLITE_BUSY from its exclusive lock).
    const db = await openDatabase(url);
    try {
      await db.prisma.member.create({ data: { channel: 'console', channelUserId: 'u1' } });
      const history = await db.prisma.$queryRawUnsafe<{ migration_name: string }[]>(
        'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name',
      );
      expect(history.map((row) => row.migration_name)).toEqual(committed);
    } finally {
      await db.close();
    }
  });

  it("reports the driver's own error instead of an opaque external error id", async () => {
    // A folder is not a database file.
    await expect(applyMigrations(`file:${dir}`)).rejects.toThrow(/unable to open database file/);
  });
});

describe('db:check', () => {
  it('passes on the committed migrations', async () => {
    expect(await diffSchemaAgainstMigrations('sqlite')).toBe('');
    expect((await checkMigrations()).exitCode).toBe(0);
  });

  it('fails, naming what is missing, when the schema has a change without a migration', async () => {
    const schemaPath = path.join(dir, 'schema.prisma');
    await copyFile(DEFAULT_SCHEMA_PATH, schemaPath);
    await appendFile(schemaPath, '\nmodel Extra {\n  id String @id\n}\n');

    const { exitCode, message } = await checkMigrations({ schemaPath, migrationsDir: DEFAULT_MIGRATIONS_DIR });
    expect(exitCode).toBe(1);
    expect(message).toContain('CreateTable: CREATE TABLE "Extra"');
    expect(message).toContain('npm run db:migration -- <name>');
  });

  it('needs a scratch database to diff a PostgreSQL schema', async () => {
    await expect(diffSchemaAgainstMigrations('postgresql')).rejects.toThrow(/scratchUrl/);
  });
});

describe('db:migration', () => {
  it('refuses a missing or bad name with a clear message', async () => {
    expect(await createMigration([])).toMatchObject({ exitCode: 1, message: /name is required/ });
    for (const args of [['../escape'], ['two words'], ['a', 'b'], ['x'.repeat(101)]]) {
      expect(await createMigration(args)).toMatchObject({ exitCode: 1, message: /Bad migration name/ });
    }
  });

  it('writes the missing migration as Prisma would; after it the check passes and nothing more is written', async () => {
    const migrationsDir = path.join(dir, 'authoring', 'migrations');
    await cp(DEFAULT_MIGRATIONS_DIR, migrationsDir, { recursive: true });
    const schemaPath = path.join(dir, 'authoring', 'schema.prisma');
    await copyFile(DEFAULT_SCHEMA_PATH, schemaPath);
    await appendFile(schemaPath, '\nmodel Extra {\n  id String @id\n}\n');
    const paths = { schemaPath, migrationsDir };

    const written = await createMigration(['add_extra'], paths, new Date('2031-03-08T07:05:09.123Z'));
    expect(written.exitCode).toBe(0);
    const sql = await readFile(path.join(migrationsDir, '20310308070509_add_extra', 'migration.sql'), 'utf8');
    expect(sql).toBe('-- CreateTable\nCREATE TABLE "Extra" (\n    "id" TEXT NOT NULL PRIMARY KEY\n);\n');
    expect(await readFile(path.join(migrationsDir, 'migration_lock.toml'), 'utf8')).toBe(
      await readFile(path.join(DEFAULT_MIGRATIONS_DIR, 'migration_lock.toml'), 'utf8'),
    );

    expect((await checkMigrations(paths)).exitCode).toBe(0);
    expect(await createMigration(['again'], paths)).toMatchObject({ exitCode: 0, message: /^No changes/ });
    expect(await applyMigrations(`file:${path.join(dir, 'authoring', 'db.sqlite')}`, paths)).toContain(
      '20310308070509_add_extra',
    );
  });
});
