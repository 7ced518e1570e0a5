// Opens the database behind a DATABASE_URL. The generated Prisma client has no engine of its own: it talks to the
// database through a driver adapter, chosen here from the URL (better-sqlite3 for `file:`, node-postgres otherwise).
// Prisma generates one client per provider (src/generated/prisma for SQLite, src/generated/prisma-pg for PostgreSQL),
// from the same models (src/data/schemas.ts); the repositories see either through one type, PrismaClient.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient as SqlitePrismaClient } from '../generated/prisma/client.ts';
import { PrismaClient as PostgresPrismaClient, type Prisma as PostgresPrisma } from '../generated/prisma-pg/client.ts';

/**
 * The client the repositories use, whichever the provider. It is the SQLite client's type: the PostgreSQL client has
 * the same models, fields and methods (the schemas.ts rewrites change no model), and only accepts some extra
 * PostgreSQL-only options, which the data layer does not use. TypeScript cannot relate the two generated copies
 * structurally (their generic aggregate types differ nominally), hence the one conversion in `asPrismaClient`; what
 * can be checked is below (same models, same row types), and the repository tests run on both providers.
 * The rest of the app names the client type through this module, never the generated folder.
 */
export type PrismaClient = SqlitePrismaClient;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Rows<TypeMap extends { model: Record<string, { payload: { scalars: unknown } }> }> = {
  [Model in keyof TypeMap['model']]: TypeMap['model'][Model]['payload']['scalars'];
};
/** Compile-time check: the two clients have the same models, and each model the same row type. */
const _sameModels: Same<Rows<Prisma.TypeMap>, Rows<PostgresPrisma.TypeMap>> = true;

function asPrismaClient(client: PostgresPrismaClient): PrismaClient {
  return client as unknown as PrismaClient;
}

/** How long a SQLite connection waits for another process's write lock before failing with SQLITE_BUSY. */
const SQLITE_BUSY_TIMEOUT_MS = 5_000;

export type DatabaseLocation = { provider: 'sqlite'; file: string } | { provider: 'postgresql'; url: string };

/** Reads a DATABASE_URL. A SQLite path is relative to the current directory, as with the Prisma CLI's `file:` URLs. */
export function parseDatabaseUrl(url: string): DatabaseLocation {
  if (url.startsWith('file:')) {
    // Prisma's SQLite URLs may carry `?connection_limit=...`-style options, which mean nothing to better-sqlite3.
    const file = url.slice('file:'.length).replace(/\?.*$/, '');
    if (file === '') throw new Error('DATABASE_URL "file:" has no path');
    return { provider: 'sqlite', file: file === ':memory:' ? file : path.resolve(file) };
  }
  if (url.startsWith('postgresql://') || url.startsWith('postgres://')) return { provider: 'postgresql', url };
  throw new Error(`Unsupported DATABASE_URL ${redactUrl(url)}: expected file:... (SQLite) or postgresql://...`);
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
}

/** Creates the SQLite file's folder if missing (better-sqlite3 creates the file, not the folder). */
export function ensureSqliteDirectory(location: DatabaseLocation): void {
  if (location.provider === 'sqlite' && location.file !== ':memory:') {
    mkdirSync(path.dirname(location.file), { recursive: true });
  }
}

/** The driver-adapter factory for a location; also what the schema engine connects through (see migrations.ts). */
export function createAdapterFactory(location: DatabaseLocation): PrismaBetterSqlite3 | PrismaPg {
  if (location.provider === 'sqlite') {
    // `timeout` is better-sqlite3's busy timeout: a writer waits for another process's lock instead of failing.
    return new PrismaBetterSqlite3({ url: location.file, timeout: SQLITE_BUSY_TIMEOUT_MS });
  }
  return new PrismaPg({ connectionString: location.url });
}

export interface OpenDatabase {
  prisma: PrismaClient;
  close(): Promise<void>;
}

export async function openDatabase(url: string): Promise<OpenDatabase> {
  const location = parseDatabaseUrl(url);
  if (location.provider === 'sqlite' && location.file !== ':memory:') {
    ensureSqliteDirectory(location);
    // WAL lets readers in one process run while another process writes (the default rollback journal blocks them).
    // The mode is stored in the file itself, so setting it once on a short-lived connection is enough.
    const db = new Database(location.file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
    try {
      db.pragma('journal_mode = WAL');
    } finally {
      db.close();
    }
  }
  const prisma =
    location.provider === 'sqlite'
      ? new SqlitePrismaClient({ adapter: createAdapterFactory(location) })
      : asPrismaClient(new PostgresPrismaClient({ adapter: createAdapterFactory(location) }));
  await prisma.$connect();
  if (location.provider === 'sqlite') {
    // Per connection (the adapter keeps one): with WAL, NORMAL syncs the log at checkpoints rather than at every
    // commit, the setting SQLite documents for WAL. A commit survives the process crashing or being killed (what the
    // turn's one-transaction guarantee is about); only a power cut or an OS crash may lose the last commits, never
    // corrupt the file. Each turn commits several times (its unit, then the outbox's claim and marks), and one fsync
    // per commit was most of a turn's time on a busy disk.
    if (location.file !== ':memory:') await prisma.$executeRawUnsafe(SQLITE_SYNCHRONOUS);
    Object.defineProperty(prisma, SQLITE_FILE, { value: location.file });
  }
  return { prisma, close: () => prisma.$disconnect() };
}

const SQLITE_FILE = Symbol('sqliteFile');

/** See openDatabase: WAL's usual durability setting (https://www.sqlite.org/pragma.html#pragma_synchronous). */
export const SQLITE_SYNCHRONOUS = 'PRAGMA synchronous = NORMAL';

/**
 * The SQLite file behind a client opened by openDatabase (undefined for PostgreSQL). better-sqlite3 is synchronous:
 * two clients of one file in one process must not hold transactions at the same time, or one blocks the event loop
 * in its busy wait while the other cannot commit (see transactions.ts).
 */
export function sqliteFileOf(client: PrismaClient): string | undefined {
  return (client as unknown as Record<symbol, string | undefined>)[SQLITE_FILE];
}

/**
 * Whether a client call failed with this Prisma error code (P2002 unique violation, P2025 record not found, ...).
 * Both generated clients throw the runtime's one error class, and the codes do not depend on the provider.
 */
export function isPrismaError(error: unknown, code: string): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === code;
}
