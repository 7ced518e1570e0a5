// `npm run db:migrate`: applies the pending migrations in prisma/migrations to DATABASE_URL (= `prisma migrate deploy`),
// creating the SQLite file and its folder when missing.
import { redactUrl } from '../data/database.ts';
import { applyMigrations } from '../data/migrations.ts';

async function main(): Promise<number> {
  const url = process.env.DATABASE_URL ?? 'file:./data/bot.db';
  const applied = await applyMigrations(url);
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
