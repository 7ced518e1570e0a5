// `npm run db:schemas` (run by `npm run db:generate`, hence by `npm install`): writes prisma/postgresql/schema.prisma,
// the PostgreSQL variant of prisma/schema.prisma (see src/data/schemas.ts for the rewrites). The file is committed so
// that reviewers, and the native Prisma CLI where it is available, see the PostgreSQL schema; `npm run db:check`
// fails when it is out of date.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCHEMA_LOCATIONS, schemaFor } from '../data/schemas.ts';

export interface SchemaVariantPaths {
  /** The SQLite source (default prisma/schema.prisma). */
  schemaPath?: string;
  /** Where the PostgreSQL variant is written (default prisma/postgresql/schema.prisma). */
  postgresqlSchemaPath?: string;
}

/** Whether the PostgreSQL variant on disk is what the source gives; `expected` is what it must contain. */
export async function checkSchemaVariant({
  schemaPath = SCHEMA_LOCATIONS.sqlite.schemaPath,
  postgresqlSchemaPath = SCHEMA_LOCATIONS.postgresql.schemaPath,
}: SchemaVariantPaths = {}): Promise<{ upToDate: boolean; expected: string; file: string }> {
  const { content: expected } = await schemaFor('postgresql', schemaPath);
  const actual = await readFile(postgresqlSchemaPath, 'utf8').catch(() => null);
  return { upToDate: actual === expected, expected, file: postgresqlSchemaPath };
}

/** Writes the PostgreSQL variant if it changed; returns whether it wrote. */
export async function writeSchemaVariant(paths: SchemaVariantPaths = {}): Promise<boolean> {
  const { upToDate, expected, file } = await checkSchemaVariant(paths);
  if (upToDate) return false;
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, expected, 'utf8');
  return true;
}

// Run only as a script (db:check and db:migration import this module).
if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeSchemaVariant().then(
    (wrote) => {
      const file = path.relative(process.cwd(), SCHEMA_LOCATIONS.postgresql.schemaPath);
      console.log(wrote ? `Wrote ${file} from prisma/schema.prisma.` : `${file} is up to date.`);
    },
    (error: unknown) => {
      console.error(`db:schemas failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
