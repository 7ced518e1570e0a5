// Throw-away PostgreSQL databases, for authoring/checking migrations (a scratch database the migration history is
// replayed into) and for tests (a migrated template copied per test). Needs a role allowed to CREATE DATABASE.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { redactUrl } from './database.ts';

/**
 * The server scratch databases are created on: POSTGRES_SCRATCH_URL, else the usual local server. The database named
 * in the URL only serves to connect (CREATE DATABASE cannot run inside the database it creates); it is never changed.
 */
export const DEFAULT_POSTGRES_SCRATCH_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

export function postgresScratchUrl(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.POSTGRES_SCRATCH_URL?.trim();
  return url === undefined || url === '' ? DEFAULT_POSTGRES_SCRATCH_URL : url;
}

/** The same server URL (user, host, options) pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/**
 * A fresh, unique database name: `<prefix>_<process id>_<creation time, base 36>_<random>`, so that leftovers of a
 * process that died can be recognised and swept.
 */
export function uniqueDatabaseName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

const NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function quote(name: string): string {
  if (!NAME.test(name)) throw new Error(`Refusing database name ${JSON.stringify(name)} (a-z, 0-9, _ only)`);
  return `"${name}"`;
}

/** One maintenance connection to a PostgreSQL server, for creating and dropping databases. */
export class PostgresServer {
  private client: Promise<pg.Client> | undefined;

  constructor(readonly url: string) {}

  private connection(): Promise<pg.Client> {
    this.client ??= (async () => {
      const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 5_000 });
      // An idle maintenance connection that the server drops must not crash the process.
      client.on('error', () => {});
      try {
        await client.connect();
      } catch (error) {
        this.client = undefined;
        const reason = error instanceof Error ? error.message || error.name : String(error);
        throw new Error(`Cannot connect to PostgreSQL at ${redactUrl(this.url)}: ${reason}`, { cause: error });
      }
      return client;
    })();
    return this.client;
  }

  /** Creates the database (empty, or a copy of `template`); returns its URL. */
  async create(name: string, options: { template?: string } = {}): Promise<string> {
    const template = options.template === undefined ? '' : ` TEMPLATE ${quote(options.template)}`;
    await (await this.connection()).query(`CREATE DATABASE ${quote(name)}${template}`);
    return withDatabase(this.url, name);
  }

  /** Drops the database if it exists, closing any connection still open to it (PostgreSQL 13+). */
  async drop(name: string): Promise<void> {
    await (await this.connection()).query(`DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`);
  }

  /** Names of the databases starting with `prefix_`. */
  async list(prefix: string): Promise<string[]> {
    const { rows } = await (
      await this.connection()
    ).query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [`${prefix}_`]);
    return rows.map((row) => row.datname);
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) await (await client.catch(() => null))?.end();
  }
}

/** Names of the throw-away databases withScratchDatabase creates start with this. */
export const SCRATCH_PREFIX = 'prisma_scratch';

/** Runs `work` on a new empty database of the server, dropped afterwards whatever happens. */
export async function withScratchDatabase<T>(serverUrl: string, work: (url: string) => Promise<T>): Promise<T> {
  const server = new PostgresServer(serverUrl);
  const name = uniqueDatabaseName(SCRATCH_PREFIX);
  try {
    const url = await server.create(name);
    try {
      return await work(url);
    } finally {
      await server.drop(name);
    }
  } finally {
    await server.close();
  }
}
