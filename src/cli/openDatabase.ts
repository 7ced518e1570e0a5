// How the admin tools (`npm run admin`, `npm run zalo:tokens`) open the database: beside a running bot. They migrate
// only a schema that is behind (a fresh database: the Zalo set-up stores tokens before the bot ever started), and
// only when no other process holds the migration lock; otherwise they stop with one line saying to run
// `npm run db:migrate`. See src/data/migrations.ts (ensureMigrated).
import { openDatabase, redactUrl, type OpenDatabase } from '../data/database.ts';
import { ensureMigrated } from '../data/migrations.ts';

/**
 * Opens DATABASE_URL for a command-line tool. Applied migrations are reported on `report` (standard error: standard
 * output may be a CSV). Errors: DatabaseMissingError, SchemaBehindError (their messages are for the operator), or the
 * driver's error.
 */
export async function openToolDatabase(
  url: string,
  options: { createDatabase?: boolean; report?: (line: string) => void } = {},
): Promise<OpenDatabase> {
  const applied = await ensureMigrated(url, { whenLocked: 'refuse', createDatabase: options.createDatabase ?? false });
  if (applied.length > 0) {
    const report = options.report ?? ((line: string) => process.stderr.write(`${line}\n`));
    report(`Applied ${applied.length} pending migration(s) to ${redactUrl(url)}.`);
  }
  return openDatabase(url);
}
