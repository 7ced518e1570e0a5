// `npm run db:migration -- <name>`: writes the migrations that bring prisma/migrations (SQLite) and
// prisma/postgresql/migrations (PostgreSQL) up to prisma/schema.prisma, as `prisma migrate dev --create-only --name
// <name>` would for each provider, without needing Prisma's native engine binary. Both are written or neither.
// The PostgreSQL one is diffed on a throw-away database created on POSTGRES_SCRATCH_URL's server (default: the local
// server) and dropped afterwards. No real database is touched: review the SQL, then apply it with `npm run db:migrate`.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCKFILE_NAME, diffSchemaAgainstMigrations, lockfileContent, migrationsDirFor } from '../data/migrations.ts';
import { DEFAULT_POSTGRES_SCRATCH_URL } from '../data/postgresServer.ts';
import { PROVIDERS, type Provider } from '../data/schemas.ts';
import { writeSchemaVariant } from './db-schemas.ts';

/** Printed when PostgreSQL was the problem. */
export const POSTGRES_HINT =
  'The PostgreSQL migration is computed on a throw-away database: set POSTGRES_SCRATCH_URL to a PostgreSQL server ' +
  `where you may CREATE DATABASE (default ${DEFAULT_POSTGRES_SCRATCH_URL}).`;

const USAGE = 'Usage: npm run db:migration -- <name>   (letters, digits and _, e.g. add_member_email)';

export interface AuthoringPaths {
  /** The source schema (default prisma/schema.prisma). */
  schemaPath?: string;
  /** Each provider's migrations folder (default prisma/migrations and prisma/postgresql/migrations). */
  migrationsDirs?: Partial<Record<Provider, string>>;
  /** The PostgreSQL server scratch databases are created on (default POSTGRES_SCRATCH_URL or the local server). */
  serverUrl?: string;
}

/** What each provider's migrations lack: the SQL of the missing migration, '' when up to date. */
export async function pendingChanges(paths: AuthoringPaths = {}): Promise<Record<Provider, string>> {
  const diff = (provider: Provider) =>
    diffSchemaAgainstMigrations(provider, {
      schemaPath: paths.schemaPath,
      migrationsDir: paths.migrationsDirs?.[provider],
      serverUrl: paths.serverUrl,
    });
  // One after the other: both engines would share the one WebAssembly instance.
  const sqlite = await diff('sqlite');
  const postgresql = await diff('postgresql');
  return { sqlite, postgresql };
}

/**
 * Writes `<migrations>/<UTC yyyyMMddHHmmss>_<name>/migration.sql` (+ migration_lock.toml) for every provider whose
 * migrations do not match the schema, with the same folder name; nothing when the schema did not change.
 */
export async function createMigration(
  args: readonly string[],
  paths: AuthoringPaths = {},
  now = new Date(),
): Promise<{ exitCode: 0 | 1; message: string }> {
  const name = args[0];
  if (name === undefined) return { exitCode: 1, message: `A migration name is required.\n${USAGE}` };
  // The name becomes part of a folder name: no spaces, dots or slashes. (Prisma would slugify; we refuse instead.)
  if (args.length !== 1 || !/^[A-Za-z0-9_]{1,100}$/.test(name)) {
    return { exitCode: 1, message: `Bad migration name: ${args.join(' ')}\n${USAGE}` };
  }

  // Both diffs first: if one fails (say PostgreSQL is unreachable), nothing is written.
  const changes = await pendingChanges(paths);
  const changed = PROVIDERS.filter((provider) => changes[provider] !== '');
  if (changed.length === 0) {
    return { exitCode: 0, message: 'No changes: the schema matches the migrations. Nothing written.' };
  }

  // The folder name orders the migrations: UTC yyyyMMddHHmmss, as Prisma names them.
  const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14);
  const targets = changed.map((provider) => {
    const migrationsDir = paths.migrationsDirs?.[provider] ?? migrationsDirFor(provider);
    return { provider, migrationsDir, dir: path.join(migrationsDir, `${stamp}_${name}`) };
  });
  // Never overwrite a migration, and write none if one of them could not be written.
  for (const { dir } of targets) {
    if (existsSync(dir)) return { exitCode: 1, message: `${dir} already exists: nothing written.` };
  }
  const written: string[] = [];
  for (const { provider, migrationsDir, dir } of targets) {
    await mkdir(migrationsDir, { recursive: true });
    await mkdir(dir);
    const file = path.join(dir, 'migration.sql');
    await writeFile(file, changes[provider], 'utf8');
    await writeFile(path.join(migrationsDir, LOCKFILE_NAME), lockfileContent(provider), 'utf8');
    written.push(`Wrote ${path.relative(process.cwd(), file)} (${provider}):\n\n${changes[provider]}`);
  }
  written.push('Next: `npm run db:generate` (both clients), review the SQL, then `npm run db:migrate`.');
  return { exitCode: 0, message: written.join('\n') };
}

// Run only as a script (tests import createMigration). Exit explicitly: the engine may leave timers behind.
if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeSchemaVariant()
    .then(() => createMigration(process.argv.slice(2)))
    .then(
      ({ exitCode, message }) => {
        (exitCode === 0 ? console.log : console.error)(message);
        process.exit(exitCode);
      },
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        console.error(`db:migration failed, nothing written: ${message}`);
        if (message.includes('PostgreSQL')) console.error(POSTGRES_HINT);
        process.exit(1);
      },
    );
}
