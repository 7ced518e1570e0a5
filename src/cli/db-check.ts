// `npm run db:check` (CI): fails when prisma/schema.prisma has changes that no migration in prisma/migrations covers,
// i.e. someone edited the schema and forgot `npm run db:migration -- <name>`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { diffSchemaAgainstMigrations, type MigrationPaths } from '../data/migrations.ts';

export async function checkMigrations(paths: MigrationPaths = {}): Promise<{ exitCode: 0 | 1; message: string }> {
  const sql = await diffSchemaAgainstMigrations('sqlite', paths);
  if (sql === '') return { exitCode: 0, message: 'Migrations are up to date with the schema.' };
  // The SQL's "-- CreateTable" / "-- AlterTable"... comments, followed by the statement they head, name what's missing.
  const missing = [...sql.matchAll(/^-- (\w+)\n(.*)$/gm)].map(
    ([, step, statement]) => `  ${step ?? ''}: ${(statement ?? '').replace(/\s*\($/, '')}`,
  );
  return {
    exitCode: 1,
    message: [
      'The Prisma schema has changes that no migration covers:',
      ...missing,
      'Create the migration with `npm run db:migration -- <name>` and commit it. The SQL it needs:',
      '',
      sql,
    ].join('\n'),
  };
}

// Run only as a script (tests import checkMigrations). Exit explicitly: the engine may leave timers behind.
if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  checkMigrations().then(
    ({ exitCode, message }) => {
      (exitCode === 0 ? console.log : console.error)(message);
      process.exit(exitCode);
    },
    (error: unknown) => {
      console.error(`db:check failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
