// `npm run db:migrate`: applies the pending migrations to DATABASE_URL (= `prisma migrate deploy`): those of
// prisma/migrations to a SQLite file (created with its folder when missing), those of prisma/postgresql/migrations to
// a PostgreSQL database. Like the bot, it reads ./.env when present (variables set in the environment win).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseDatabaseUrl, redactUrl } from '../data/database.ts';
import { ensureMigrated, migrationsDirFor } from '../data/migrations.ts';

async function main(): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  // Empty counts as unset, as in the bot's configuration.
  const configured = process.env.DATABASE_URL?.trim();
  const url = configured === undefined || configured === '' ? 'file:./data/bot.db' : configured;
  const { provider } = parseDatabaseUrl(url);
  console.log(`Migrations of ${provider}: ${path.relative(process.cwd(), migrationsDirFor(provider))}`);
  // Waits for another process that is migrating (up to a minute); a missing PostgreSQL database is created only with
  // DATABASE_CREATE=true, otherwise one line says what to do.
  const applied = await ensureMigrated(url, {
    whenLocked: 'wait',
    createDatabase: process.env.DATABASE_CREATE?.trim() === 'true',
  });
  if (applied.length === 0) console.log(`${redactUrl(url)} is up to date: no migration to apply.`);
  else
    console.log(
      `Applied ${applied.length} migration(s) to ${redactUrl(url)}:\n${applied.map((n) => `  ${n}`).join('\n')}`,
    );
  return 0;
}

// Exit explicitly: with PostgreSQL the engine leaves a timer pending for ~10 s after it is done.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`db:migrate failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
