// Prisma migrations without the native schema engine.
// `prisma migrate` needs a `schema-engine` binary that it downloads on first use; where that download is impossible
// we drive the same engine compiled to WebAssembly (@prisma/schema-engine-wasm) through a driver adapter instead.
// The result is what the CLI would produce: the same migration SQL files and the same `_prisma_migrations` table,
// so `prisma migrate deploy|dev` can take over wherever the binary is available.
// Each provider has its own migrations folder (prisma/migrations for SQLite, prisma/postgresql/migrations), both
// written from the one schema (src/data/schemas.ts); the folder is chosen from the database URL.
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  bindMigrationAwareSqlAdapterFactory,
  type ErrorRegistry,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type * as SchemaEngineWasm from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { MigrationList, SchemaEngine, SchemaFilter } from '@prisma/schema-engine-wasm/schema_engine_bg';
import Database from 'better-sqlite3';
import pg from 'pg';
import {
  createAdapterFactory,
  ensureSqliteDirectory,
  parseDatabaseUrl,
  redactUrl,
  type DatabaseLocation,
} from './database.ts';
import { postgresScratchUrl, withDatabase, withScratchDatabase } from './postgresServer.ts';
import { SCHEMA_LOCATIONS, schemaFor, type Provider, type SchemaFile } from './schemas.ts';

export type { Provider };

/** The SQLite schema (the source of truth) and migrations. */
export const DEFAULT_SCHEMA_PATH = SCHEMA_LOCATIONS.sqlite.schemaPath;
export const DEFAULT_MIGRATIONS_DIR = SCHEMA_LOCATIONS.sqlite.migrationsDir;
export const LOCKFILE_NAME = 'migration_lock.toml';

const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };

export interface MigrationPaths {
  /** The source schema, prisma/schema.prisma by default (the PostgreSQL schema is derived from it). */
  schemaPath?: string;
  /** The provider's migrations folder; by default prisma/migrations or prisma/postgresql/migrations. */
  migrationsDir?: string;
}

/** The migrations folder of a provider. */
export function migrationsDirFor(provider: Provider): string {
  return SCHEMA_LOCATIONS[provider].migrationsDir;
}

/** Applies the migrations not yet applied (= `prisma migrate deploy`); returns the names of those it applied. */
export async function applyMigrations(url: string, options: MigrationPaths = {}): Promise<string[]> {
  const location = parseDatabaseUrl(url);
  ensureSqliteDirectory(location);
  const migrationsList = await readMigrations(options.migrationsDir ?? migrationsDirFor(location.provider));
  const schema = await schemaFor(location.provider, options.schemaPath);
  return withEngine(location, schema, async (engine) => {
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: NO_FILTER });
    return appliedMigrationNames;
  });
}

/**
 * A PostgreSQL URL names a database the server does not have. The message is one line saying what to do; the bot
 * creates the database itself when DATABASE_CREATE=true.
 */
export class DatabaseMissingError extends Error {
  constructor(
    readonly database: string,
    url: string,
  ) {
    super(
      `The PostgreSQL database "${database}" does not exist on ${redactUrl(withDatabase(url, ''))}: create it ` +
        `(createdb ${database}, or CREATE DATABASE "${database}"), or set DATABASE_CREATE=true to let the bot create it.`,
    );
    this.name = 'DatabaseMissingError';
  }
}

/** The PostgreSQL server did not accept the connection (down, wrong host or password): one line, the driver's reason. */
export class DatabaseUnreachableError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'DatabaseUnreachableError';
  }
}

/**
 * The schema is behind the code (`pending` migrations) and another process holds the migration lock (on SQLite: has
 * the file open — a running bot), so this process cannot migrate it now.
 */
export class SchemaBehindError extends Error {
  constructor(readonly pending: string[]) {
    super(
      `The database schema is behind this version (${pending.length} migration(s) to apply) and another process ` +
        'is using it (a running bot?), so it cannot be migrated now: run `npm run db:migrate` once no other process ' +
        'holds the database (or restart the bot, which migrates at start).',
    );
    this.name = 'SchemaBehindError';
  }
}

export interface EnsureMigratedOptions extends MigrationPaths {
  /**
   * When another process holds the migration lock: 'wait' (the bot: instances starting together migrate once, the
   * others wait up to `waitMs`, default 60 s) or 'refuse' (the admin tools: a SchemaBehindError at once).
   */
  whenLocked: 'wait' | 'refuse';
  waitMs?: number;
  /** PostgreSQL: create the database when the URL names one that does not exist (DATABASE_CREATE). */
  createDatabase?: boolean;
}

/** Prisma's own migration lock on PostgreSQL (the engine and `prisma migrate` take `pg_advisory_lock(72707369)`). */
const PRISMA_ADVISORY_LOCK = 72707369;

/**
 * Brings the schema up to date only when it is behind: a cheap read of `_prisma_migrations` (no schema engine) decides,
 * so a process started beside a running bot on a current schema never asks for the exclusive access the engine needs
 * on SQLite (it switches its connection to `locking_mode=EXCLUSIVE`, which fails while another process has the file
 * open: "unknown variant SocketTimeout"). When migrations are pending the engine runs once the lock is free: on
 * PostgreSQL Prisma's advisory lock, on SQLite exclusive access to the file. Returns the names applied (usually []).
 * Errors: DatabaseMissingError, DatabaseUnreachableError, SchemaBehindError (see `whenLocked`), or the driver's error.
 */
export async function ensureMigrated(url: string, options: EnsureMigratedOptions): Promise<string[]> {
  const location = parseDatabaseUrl(url);
  const names = (
    await readMigrations(options.migrationsDir ?? migrationsDirFor(location.provider))
  ).migrationDirectories.map((dir) => dir.path);
  const pendingNow = async () => {
    const applied = await appliedMigrations(location, options.createDatabase === true);
    return names.filter((name) => !applied.has(name));
  };
  const deadline = Date.now() + (options.waitMs ?? 60_000);
  for (;;) {
    const pending = await pendingNow();
    if (pending.length === 0) return [];
    if (await migrationLockIsFree(location)) {
      try {
        return await applyMigrations(url, options);
      } catch (error) {
        // Another process took the lock between the probe and the engine: decide again below.
        if (!isLockContention(error)) throw error;
      }
    }
    if (options.whenLocked === 'refuse' || Date.now() >= deadline) throw new SchemaBehindError(pending);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Names of the migrations recorded as applied (finished, not rolled back). None when the database is new: no SQLite
 * file yet, or no `_prisma_migrations` table.
 */
async function appliedMigrations(location: DatabaseLocation, createDatabase: boolean): Promise<Set<string>> {
  const query =
    'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL';
  if (location.provider === 'sqlite') {
    if (location.file === ':memory:' || !existsSync(location.file)) return new Set();
    const db = new Database(location.file, { readonly: true, timeout: 5_000 });
    try {
      const table = db
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'")
        .get();
      if (table === undefined) return new Set();
      return new Set(db.prepare(query).pluck().all() as string[]);
    } finally {
      db.close();
    }
  }
  const client = await connectPostgres(location.url, createDatabase);
  try {
    const exists = await client.query<{ found: string | null }>("SELECT to_regclass('_prisma_migrations') AS found");
    if (exists.rows[0]?.found == null) return new Set();
    const { rows } = await client.query<{ migration_name: string }>(query);
    return new Set(rows.map((row) => row.migration_name));
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** PostgreSQL's error code for "database does not exist". */
const PG_INVALID_CATALOG_NAME = '3D000';

/** A connection to the URL's database; a missing database is created when allowed, else a DatabaseMissingError. */
async function connectPostgres(url: string, createDatabase: boolean): Promise<pg.Client> {
  const connect = async (target: string) => {
    const client = new pg.Client({ connectionString: target, connectionTimeoutMillis: 10_000 });
    client.on('error', () => {});
    await client.connect();
    return client;
  };
  try {
    return await connect(url);
  } catch (error) {
    if ((error as { code?: unknown }).code !== PG_INVALID_CATALOG_NAME) {
      const reason = error instanceof Error ? error.message || error.name : String(error);
      throw new DatabaseUnreachableError(`Cannot connect to PostgreSQL at ${redactUrl(url)}: ${reason}`, error);
    }
    const database = decodeURIComponent(new URL(url).pathname.slice(1));
    if (!createDatabase) throw new DatabaseMissingError(database, url);
    const server = await connect(withDatabase(url, 'postgres'));
    try {
      await server.query(`CREATE DATABASE ${server.escapeIdentifier(database)}`).catch((createError: unknown) => {
        // Another instance created it in the meantime.
        if ((createError as { code?: unknown }).code !== '42P04') throw createError;
      });
    } finally {
      await server.end().catch(() => undefined);
    }
    return connect(url);
  }
}

/**
 * Whether this process could take the migration lock now. PostgreSQL: Prisma's advisory lock is free (taken and
 * released at once: the engine takes it itself, in its own session). SQLite: no other connection has the file open,
 * which is what the engine's exclusive locking mode needs (a running bot keeps it open).
 */
async function migrationLockIsFree(location: DatabaseLocation): Promise<boolean> {
  if (location.provider === 'sqlite') {
    if (location.file === ':memory:' || !existsSync(location.file)) return true;
    const db = new Database(location.file, { timeout: 0 });
    try {
      db.pragma('locking_mode = EXCLUSIVE');
      db.exec('BEGIN EXCLUSIVE');
      db.exec('COMMIT');
      return true;
    } catch (error) {
      if (isSqliteBusy(error)) return false;
      throw error;
    } finally {
      db.close();
    }
  }
  const client = await connectPostgres(location.url, false);
  try {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
      PRISMA_ADVISORY_LOCK,
    ]);
    if (rows[0]?.locked !== true) return false;
    await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK]);
    return true;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function isSqliteBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

/** The engine could not get the lock: SQLITE_BUSY (which the wasm engine reports as "SocketTimeout"), or a timeout. */
function isLockContention(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /SocketTimeout|SQLITE_BUSY|database is locked|advisory lock/i.test(message);
}

/**
 * The SQL that would bring a database migrated with the existing history up to the schema; '' when nothing changed
 * (what `migrate dev --create-only` would write, and what a CI check must find empty).
 * We replay the history into a throw-away database and diff that against the schema, because the engine's own
 * `createMigration` wants a shadow database it cannot create through an adapter. SQLite uses an in-memory database.
 * PostgreSQL uses `scratchUrl` if given (an empty database this call may fill), else a database it creates on the
 * server at `serverUrl` (default: POSTGRES_SCRATCH_URL or the local server) and drops afterwards.
 */
export async function diffSchemaAgainstMigrations(
  provider: Provider,
  options: MigrationPaths & { scratchUrl?: string; serverUrl?: string } = {},
): Promise<string> {
  const schema = await schemaFor(provider, options.schemaPath);
  const migrationsList = await readMigrations(options.migrationsDir ?? migrationsDirFor(provider));
  const diffOn = async (scratchUrl: string) => {
    const location = parseDatabaseUrl(scratchUrl);
    if (location.provider !== provider) throw new Error(`scratchUrl is ${location.provider}, expected ${provider}`);
    return diffInto(location, schema, migrationsList);
  };
  if (options.scratchUrl !== undefined) return diffOn(options.scratchUrl);
  if (provider === 'sqlite') return diffOn('file::memory:');
  return withScratchDatabase(options.serverUrl ?? postgresScratchUrl(), diffOn);
}

async function diffInto(
  location: DatabaseLocation,
  schema: SchemaFile,
  migrationsList: MigrationList,
): Promise<string> {
  const files = [schema];
  return withEngine(location, schema, async (engine) => {
    await engine.applyMigrations({ migrationsList, filters: NO_FILTER });
    const result = await engine.diff({
      // "from" = the database the engine is connected to (the scratch one), "to" = the models in the schema file.
      from: { tag: 'schemaDatasource', files, configDir: path.dirname(schema.path) },
      to: { tag: 'schemaDatamodel', files },
      script: true,
      exitCode: true,
      filters: NO_FILTER,
    });
    // exitCode 2 = "there is a difference"; without one, stdout is "-- This is an empty migration." rather than ''.
    return result.exitCode === 2 ? (result.stdout ?? '') : '';
  });
}

/** migration_lock.toml exactly as `prisma migrate dev` writes it. */
export function lockfileContent(provider: Provider): string {
  return `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${provider}"\n`;
}

/** Loads the migrations folder the way the Prisma CLI does: every sub-folder, sorted by name, with its migration.sql. */
async function readMigrations(baseDir: string): Promise<MigrationList> {
  const lockfile = await readFile(path.join(baseDir, LOCKFILE_NAME), 'utf8').catch(() => null);
  const entries = await readdir(baseDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const dirs = entries.filter((e) => e.isDirectory()).map((e) => e.name);
  dirs.sort((a, b) => a.localeCompare(b));
  const migrationDirectories = await Promise.all(
    dirs.map(async (dir) => ({
      path: dir,
      migrationFile: {
        path: 'migration.sql',
        content: await readFile(path.join(baseDir, dir, 'migration.sql'), 'utf8').then(
          (value) => ({ tag: 'ok' as const, value }),
          (error: Error) => ({ tag: 'error' as const, value: error.message }),
        ),
      },
    })),
  );
  return {
    baseDir,
    lockfile: { path: LOCKFILE_NAME, content: lockfile },
    migrationDirectories,
    shadowDbInitScript: '',
  };
}

/**
 * Runs `work` with a schema engine connected to the location, then frees everything it opened.
 * `engine.free()` does not close the engine's connections, and on SQLite the engine switches them to
 * `locking_mode=EXCLUSIVE`: left open, they would make the app's own client fail with SQLITE_BUSY. So the factory
 * is wrapped to remember every adapter it hands out, and each one is disposed afterwards.
 */
async function withEngine<T>(
  location: DatabaseLocation,
  schema: SchemaFile,
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const factory = engineAdapterFactory(location);
  const opened: SqlDriverAdapter[] = [];
  const remember = async (connecting: Promise<SqlDriverAdapter>) => {
    const adapter = await connecting;
    opened.push(adapter);
    return adapter;
  };
  const tracking: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => remember(factory.connect()),
    connectToShadowDb: () => remember(factory.connectToShadowDb()),
  };
  const bound = bindMigrationAwareSqlAdapterFactory(tracking);
  const { SchemaEngine } = await loadSchemaEngineModule();
  let engine: SchemaEngine | undefined;
  try {
    engine = await SchemaEngine.new({ datamodels: [[schema.path, schema.content]] }, () => {}, bound);
    return await work(engine);
  } catch (error) {
    throw withDriverError(error, bound.errorRegistry);
  } finally {
    engine?.free();
    await Promise.allSettled(opened.map((adapter) => adapter.dispose()));
  }
}

/** PostgreSQL type ids (pg_type.oid) of the internal one-byte `"char"` type and of `text`. */
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/**
 * The adapter the schema engine connects through. For PostgreSQL it is PrismaPg on a pool that reports result columns
 * of PostgreSQL's internal `"char"` type as text: the engine reads catalog columns of that type when it describes a
 * database (pg_constraint.contype, ...), and @prisma/adapter-pg 7.10 refuses them ("Column type 'char' could not be
 * deserialized"), which made diffing against a live PostgreSQL impossible. Their values are one-letter strings, which
 * is what the engine expects. The app's own client never reads such columns and uses the plain adapter.
 */
function engineAdapterFactory(location: DatabaseLocation): SqlMigrationAwareDriverAdapterFactory {
  if (location.provider === 'sqlite') return createAdapterFactory(location);
  const pool = new pg.Pool({ connectionString: location.url });
  // PrismaPg calls pool.query with a single argument (a query config or an SQL string) and awaits the promise.
  const query = pool.query.bind(pool) as (config: pg.QueryConfig | string) => Promise<pg.QueryResult>;
  const charAsText = async (config: pg.QueryConfig | string): Promise<pg.QueryResult> => {
    const result = await query(config);
    for (const field of result.fields) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    return result;
  };
  pool.query = charAsText;
  return new PrismaPg(pool, { disposeExternalPool: true });
}

/**
 * The engine reports a driver failure only as "External error id#N"; the adapter's error registry holds the real
 * error (e.g. "unable to open database file", "password authentication failed"). Put it in the message.
 */
function withDriverError(error: unknown, registry: ErrorRegistry): unknown {
  const message = error instanceof Error ? error.message : String(error);
  const id = /External error id#(\d+)/.exec(message)?.[1];
  const driverError = id === undefined ? undefined : registry.consumeError(Number(id))?.error;
  if (driverError === undefined) return error;
  return new Error(`${message}: ${describeDriverError(driverError)}`, { cause: driverError });
}

function describeDriverError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // DriverAdapterError carries the driver's own error (kind, message, code) in `cause`.
  const cause: unknown = error.cause;
  if (cause !== null && typeof cause === 'object') {
    const { kind, message, originalMessage } = cause as Record<string, unknown>;
    const text = [originalMessage, message].find((m): m is string => typeof m === 'string');
    if (text !== undefined) return typeof kind === 'string' ? `${kind}: ${text}` : text;
  }
  return error.message;
}

type SchemaEngineModule = typeof SchemaEngineWasm;
// Node has the WebAssembly global, but the project's lib (ES2023, no DOM) does not declare it: declare what we use.
declare const WebAssembly: {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, object>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
};

const ENGINE_KEY = Symbol.for('hoi-vien-bot/schema-engine-wasm');

/**
 * The package entry imports the .wasm file as an ES module, which Node cannot do, so we instantiate it by hand:
 * the wasm imports its JS glue under the name './schema_engine_bg.js', and the glue needs the wasm exports back.
 * The glue module holds one instance's state, so there must be one instance per process (~100-500 ms to load): the
 * promise lives on globalThis, not in this module, which a test runner may evaluate more than once per process.
 */
function loadSchemaEngineModule(): Promise<SchemaEngineModule> {
  const cache = globalThis as { [ENGINE_KEY]?: Promise<SchemaEngineModule> };
  cache[ENGINE_KEY] ??= (async () => {
    const require = createRequire(import.meta.url);
    const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const glue: SchemaEngineModule = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(path.join(path.dirname(gluePath), 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': glue });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  return cache[ENGINE_KEY];
}
