// `npm run db:migration -- <name>`: writes the migration that brings prisma/migrations up to prisma/schema.prisma,
// as `prisma migrate dev --create-only --name <name>` would, without needing Prisma's native engine binary.
// It does not touch any real database: review the SQL, then apply it with `npm run db:migrate`.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_MIGRATIONS_DIR,
  DEFAULT_SCHEMA_PATH,
  LOCKFILE_NAME,
  diffSchemaAgainstMigrations,
  lockfileContent,
  type MigrationPaths,
} from '../data/migrations.ts';

const USAGE = 'Usage: npm run db:migration -- <name>   (letters, digits and _, e.g. add_member_email)';

/** Writes `<migrationsDir>/<UTC yyyyMMddHHmmss>_<name>/migration.sql` (+ migration_lock.toml) if the schema changed. */
export async function createMigration(
  args: readonly string[],
  { schemaPath = DEFAULT_SCHEMA_PATH, migrationsDir = DEFAULT_MIGRATIONS_DIR }: MigrationPaths = {},
  now = new Date(),
): Promise<{ exitCode: 0 | 1; message: string }> {
  const name = args[0];
  if (name === undefined) return { exitCode: 1, message: `A migration name is required.\n${USAGE}` };
  // The name becomes part of a folder name: no spaces, dots or slashes. (Prisma would slugify; we refuse instead.)
  if (args.length !== 1 || !/^[A-Za-z0-9_]{1,100}$/.test(name)) {
    return { exitCode: 1, message: `Bad migration name: ${args.join(' ')}\n${USAGE}` };
  }

  const sql = await diffSchemaAgainstMigrations('sqlite', { schemaPath, migrationsDir });
  if (sql === '') return { exitCode: 0, message: 'No changes: the schema matches the migrations. Nothing written.' };

  // The folder name orders the migrations: UTC yyyyMMddHHmmss, as Prisma names them.
  const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14);
  const dir = path.join(migrationsDir, `${stamp}_${name}`);
  await mkdir(migrationsDir, { recursive: true });
  await mkdir(dir); // throws if it exists: never overwrite a migration
  await writeFile(path.join(dir, 'migration.sql'), sql, 'utf8');
  await writeFile(path.join(migrationsDir, LOCKFILE_NAME), lockfileContent('sqlite'), 'utf8');
  return { exitCode: 0, message: `Wrote ${path.relative(process.cwd(), path.join(dir, 'migration.sql'))}:\n\n${sql}` };
}

// Run only as a script (tests import createMigration). Exit explicitly: the engine may leave timers behind.
if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  createMigration(process.argv.slice(2)).then(
    ({ exitCode, message }) => {
      (exitCode === 0 ? console.log : console.error)(message);
      process.exit(exitCode);
    },
    (error: unknown) => {
      console.error(`db:migration failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
