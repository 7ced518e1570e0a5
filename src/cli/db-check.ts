// `npm run db:check` (CI): fails when prisma/schema.prisma has changes that the migrations of either provider do not
// cover (someone edited the schema and forgot `npm run db:migration -- <name>`), or when the committed PostgreSQL
// variant prisma/postgresql/schema.prisma is out of date (forgot `npm run db:generate`).
// The PostgreSQL check replays prisma/postgresql/migrations into a throw-away database on POSTGRES_SCRATCH_URL's
// server (default: the local server), so it needs that server.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROVIDERS } from '../data/schemas.ts';
import { checkSchemaVariant } from './db-schemas.ts';
import { POSTGRES_HINT, pendingChanges, type AuthoringPaths } from './db-migration.ts';

export async function checkMigrations(
  paths: AuthoringPaths & { postgresqlSchemaPath?: string } = {},
): Promise<{ exitCode: 0 | 1; message: string }> {
  const problems: string[] = [];

  const variant = await checkSchemaVariant({
    schemaPath: paths.schemaPath,
    postgresqlSchemaPath: paths.postgresqlSchemaPath,
  });
  if (!variant.upToDate) {
    problems.push(
      `${path.relative(process.cwd(), variant.file)} is not what prisma/schema.prisma gives: run \`npm run db:generate\` and commit it.`,
    );
  }

  const changes = await pendingChanges(paths);
  for (const provider of PROVIDERS) {
    const sql = changes[provider];
    if (sql === '') continue;
    // The SQL's "-- CreateTable" / "-- AlterTable"... comments, followed by the statement they head, name what's missing.
    const missing = [...sql.matchAll(/^-- (\w+)\n(.*)$/gm)].map(
      ([, step, statement]) => `  ${step ?? ''}: ${(statement ?? '').replace(/\s*\($/, '')}`,
    );
    problems.push(
      [
        `The Prisma schema has changes that no ${provider} migration covers:`,
        ...missing,
        'Create the migrations with `npm run db:migration -- <name>` and commit them. The SQL it needs:',
        '',
        sql,
      ].join('\n'),
    );
  }

  if (problems.length === 0) {
    return { exitCode: 0, message: 'Migrations (SQLite and PostgreSQL) are up to date with the schema.' };
  }
  return { exitCode: 1, message: problems.join('\n\n') };
}

// Run only as a script (tests import checkMigrations). Exit explicitly: the engine may leave timers behind.
if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  checkMigrations().then(
    ({ exitCode, message }) => {
      (exitCode === 0 ? console.log : console.error)(message);
      process.exit(exitCode);
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      console.error(`db:check failed: ${message}`);
      if (message.includes('PostgreSQL')) console.error(POSTGRES_HINT);
      process.exit(1);
    },
  );
}
