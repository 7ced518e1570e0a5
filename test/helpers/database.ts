// Brand-new, migrated databases for tests, on either provider.
//   SQLite: ~20 ms a call. The migrations run once per test process (vitest gives each file its own module state) into
//   a template file, and each call copies that file.
//   PostgreSQL: ~30 ms a call. Creating a database is slow here (CREATE DATABASE, even from a template, copies the
//   ~8 MB system catalog and syncs it to disk: 0.1-0.6 s), so each test process creates and migrates one database
//   on the server at POSTGRES_SCRATCH_URL (default: the local server) and recycles it: on close every table is
//   emptied and every sequence restarted (~10 ms), and the next call gets it back, as empty as a new one. A call made
//   while the others are in use gets another such database. They are dropped when the test file is done. Names carry
//   the process id and are random, so test files running in parallel never clash.
// describeEachProvider runs a suite once per provider. When PostgreSQL cannot be reached, its tests FAIL under CI
// (CI set) and are reported as skipped otherwise, never silently passed.
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, type TestContext } from 'vitest';
import { openDatabase, redactUrl, type PrismaClient } from '../../src/data/database.ts';
import { applyMigrations } from '../../src/data/migrations.ts';
import {
  PostgresServer,
  SCRATCH_PREFIX,
  postgresScratchUrl,
  uniqueDatabaseName,
} from '../../src/data/postgresServer.ts';
import { PROVIDERS, type Provider } from '../../src/data/schemas.ts';

export { PROVIDERS, type Provider };

export interface FreshDatabase {
  provider: Provider;
  url: string;
  prisma: PrismaClient;
  close(): Promise<void>;
}

/** A new, migrated, empty database (SQLite unless told otherwise). */
export function freshDatabase(provider: Provider = 'sqlite'): Promise<FreshDatabase> {
  return provider === 'sqlite' ? freshSqliteDatabase() : freshPostgresDatabase();
}

// ---- SQLite ---------------------------------------------------------------------------------------------------------

let sqliteTemplate: Promise<{ dir: string; file: string }> | undefined;
let counter = 0;

function migratedSqliteTemplate(): Promise<{ dir: string; file: string }> {
  sqliteTemplate ??= (async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'hoi-vien-test-'));
    const file = path.join(dir, 'template.db');
    await applyMigrations(`file:${file}`);
    return { dir, file };
  })();
  return sqliteTemplate;
}

export async function freshSqliteDatabase(): Promise<FreshDatabase> {
  const { dir, file } = await migratedSqliteTemplate();
  const dbFile = path.join(dir, `db-${++counter}.db`);
  await copyFile(file, dbFile);
  const url = `file:${dbFile}`;
  const { prisma, close } = await openDatabase(url);
  return {
    provider: 'sqlite',
    url,
    prisma,
    async close() {
      await close();
      await Promise.all(['', '-wal', '-shm'].map((suffix) => rm(dbFile + suffix, { force: true })));
    },
  };
}

// ---- PostgreSQL -----------------------------------------------------------------------------------------------------

/** Every test database's name starts with this. */
const PREFIX = 'hoivien_test';
/** Leftovers of a test process that died without cleaning up are dropped once this old (and their process is gone). */
const STALE_AFTER_MS = 60 * 60_000;

let server: PostgresServer | undefined;
/** Databases this process created and has not dropped yet. */
const created = new Set<string>();
/** Migrated, empty databases waiting for the next call. */
const idle: RecyclableDatabase[] = [];
let swept: Promise<void> | undefined;

function postgresServer(): PostgresServer {
  server ??= new PostgresServer(postgresScratchUrl());
  return server;
}

function isCi(): boolean {
  const ci = process.env.CI?.trim().toLowerCase();
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

let reachability: Promise<string | null> | undefined;

/** null when the test PostgreSQL server answers, else why not. */
export function postgresProblem(): Promise<string | null> {
  reachability ??= postgresServer()
    .list(PREFIX)
    .then(
      () => null,
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
  return reachability;
}

function explain(problem: string): string {
  return (
    `${problem}. The PostgreSQL tests need a server where they may CREATE DATABASE: start one on 127.0.0.1:5432 ` +
    '(trust auth, user postgres), or set POSTGRES_SCRATCH_URL.'
  );
}

/** For a PostgreSQL suite's beforeAll: under CI, an unreachable server fails every test of the suite, saying why. */
export async function failWithoutPostgresInCi(): Promise<void> {
  const problem = await postgresProblem();
  if (problem !== null && isCi()) {
    throw new Error(`PostgreSQL is required when CI is set (CI=${process.env.CI ?? ''}): ${explain(problem)}`);
  }
}

let warned = false;

/** For a PostgreSQL test's beforeEach: outside CI, an unreachable server skips the test (reported as skipped). */
export async function skipWithoutPostgres(context: TestContext): Promise<void> {
  const problem = await postgresProblem();
  if (problem === null) return;
  if (!warned) {
    warned = true;
    console.warn(`Skipping the PostgreSQL tests (with CI set they fail): ${explain(problem)}`);
  }
  context.skip();
}

/** Registers both hooks: call it first in a describe whose tests need PostgreSQL. */
export function requirePostgres(): void {
  beforeAll(failWithoutPostgresInCi);
  beforeEach(skipWithoutPostgres);
}

/**
 * Drops leftovers of dead processes (test databases, and scratch databases of an interrupted db:check): older than
 * STALE_AFTER_MS, and no process with their pid on this machine.
 */
async function sweepStale(maintenance: PostgresServer): Promise<void> {
  for (const prefix of [PREFIX, SCRATCH_PREFIX]) {
    const names = await maintenance.list(prefix);
    await Promise.all(
      names.map(async (name) => {
        const [pid, stamp] = name.slice(prefix.length + 1).split('_');
        const age = Date.now() - Number.parseInt(stamp ?? '', 36);
        if (Number(pid) === process.pid || !(age > STALE_AFTER_MS) || isAlive(Number(pid))) return;
        await maintenance.drop(name).catch(() => undefined); // another process may be sweeping it too
      }),
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A test database with its own maintenance connection, used to empty it between tests. */
class RecyclableDatabase {
  private emptying: string | undefined;

  private constructor(
    readonly name: string,
    readonly url: string,
    private readonly client: pg.Client,
  ) {}

  static async create(): Promise<RecyclableDatabase> {
    const maintenance = postgresServer();
    swept ??= sweepStale(maintenance);
    await swept;
    const name = uniqueDatabaseName(PREFIX);
    created.add(name);
    const url = await maintenance.create(name);
    await applyMigrations(url);
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => {}); // dropped with the database at the end
    await client.connect();
    return new RecyclableDatabase(name, url, client);
  }

  /** Deletes every row and restarts every sequence: what is left is what the migrations made. */
  async empty(): Promise<void> {
    this.emptying ??= await this.emptyingScript();
    await this.client.query(this.emptying);
  }

  /** One transaction deleting from every table, children before parents, and restarting the sequences. */
  private async emptyingScript(): Promise<string> {
    const { rows: tables } = await this.client.query<{ name: string; parents: string[] }>(`
      SELECT quote_ident(t.relname) AS name,
             coalesce(array_agg(quote_ident(p.relname)) FILTER (WHERE p.oid <> t.oid), '{}') AS parents
      FROM pg_class t
      JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = current_schema()
      LEFT JOIN pg_constraint c ON c.conrelid = t.oid AND c.contype = 'f'
      LEFT JOIN pg_class p ON p.oid = c.confrelid
      WHERE t.relkind = 'r' AND t.relname <> '_prisma_migrations'
      GROUP BY t.relname`);
    const { rows: sequences } = await this.client.query<{ name: string }>(
      'SELECT quote_ident(sequencename) AS name FROM pg_sequences WHERE schemaname = current_schema()',
    );
    // Children first, so that no foreign key stops a delete whatever its ON DELETE.
    const ordered: string[] = [];
    const pending = new Map(tables.map((t) => [t.name, new Set(t.parents)]));
    while (pending.size > 0) {
      const leaves = [...pending].filter(([name]) => ![...pending.values()].some((parents) => parents.has(name)));
      if (leaves.length === 0) throw new Error(`Foreign keys form a cycle among ${[...pending.keys()].join(', ')}`);
      for (const [name] of leaves) {
        ordered.push(name);
        pending.delete(name);
      }
    }
    return [
      'BEGIN',
      ...ordered.map((name) => `DELETE FROM ${name}`),
      ...sequences.map(({ name }) => `ALTER SEQUENCE ${name} RESTART`),
      'COMMIT',
    ].join(';\n');
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}

export async function freshPostgresDatabase(): Promise<FreshDatabase> {
  const problem = await postgresProblem();
  if (problem !== null) {
    throw new Error(`PostgreSQL test server ${redactUrl(postgresScratchUrl())} unreachable: ${problem}`);
  }
  const database = idle.pop() ?? (await RecyclableDatabase.create());
  const { prisma, close } = await openDatabase(database.url);
  let closed = false;
  return {
    provider: 'postgresql',
    url: database.url,
    prisma,
    async close() {
      if (closed) return;
      closed = true;
      await close();
      await database.empty();
      idle.push(database);
    },
  };
}

// ---- Both -----------------------------------------------------------------------------------------------------------

/** Runs the suite once on SQLite and once on PostgreSQL: `describeEachProvider('cases', (provider) => { ... })`. */
export function describeEachProvider(name: string, suite: (provider: Provider) => void): void {
  describe.each(PROVIDERS)(`${name} [%s]`, (provider) => {
    if (provider === 'postgresql') requirePostgres();
    suite(provider);
  });
}

// Everything is removed when the test file is done, even databases a test forgot to close. (A hook registered while
// the test file imports this module belongs to that file. Vitest ends its worker processes without a normal exit, so
// process.on('exit') would never run.)
afterAll(async () => {
  const sqlite = sqliteTemplate;
  sqliteTemplate = undefined;
  if (sqlite !== undefined) await rm((await sqlite).dir, { recursive: true, force: true });

  const maintenance = server;
  server = undefined;
  reachability = undefined;
  swept = undefined;
  if (maintenance !== undefined) {
    await Promise.all(idle.splice(0).map((database) => database.close()));
    // WITH (FORCE): also closes the connections of clients a test forgot to close.
    await Promise.all([...created].map((name) => maintenance.drop(name)));
    created.clear();
    await maintenance.close();
  }
});
