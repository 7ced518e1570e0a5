// The Prisma schema exists once, for SQLite (prisma/schema.prisma). The PostgreSQL variant is derived from it by a few
// mechanical rewrites, so both providers always have the same models:
//   - the datasource provider: "sqlite" -> "postgresql";
//   - the generated client's folder: src/generated/prisma -> src/generated/prisma-pg (the client is provider-specific);
//   - every Json field gets @db.Json: PostgreSQL's `json` keeps the document as written, like SQLite's text, whereas the
//     default `jsonb` reorders object keys (and the bot shows some JSON objects, e.g. case details, in stored order).
// Everything else maps the same way on both: String -> TEXT, DateTime -> TIMESTAMP(3) (UTC), Int @default(autoincrement())
// -> SERIAL, cuid()/now() defaults are filled in by Prisma, and enumerations are plain strings checked by the data layer.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROVIDERS = ['sqlite', 'postgresql'] as const;
export type Provider = (typeof PROVIDERS)[number];

export const PRISMA_DIR = fileURLToPath(new URL('../../prisma/', import.meta.url));

/** Where each provider's schema and migrations live. The SQLite schema is the source; the other one is derived. */
export const SCHEMA_LOCATIONS: Record<Provider, { schemaPath: string; migrationsDir: string }> = {
  sqlite: {
    schemaPath: path.join(PRISMA_DIR, 'schema.prisma'),
    migrationsDir: path.join(PRISMA_DIR, 'migrations'),
  },
  postgresql: {
    schemaPath: path.join(PRISMA_DIR, 'postgresql', 'schema.prisma'),
    migrationsDir: path.join(PRISMA_DIR, 'postgresql', 'migrations'),
  },
};

export interface SchemaFile {
  path: string;
  content: string;
}

const HEADER = [
  '// GENERATED from prisma/schema.prisma by `npm run db:generate` (src/data/schemas.ts): do not edit, edit that file.',
  '// The same models for PostgreSQL; `npm run db:check` fails when this file is out of date.',
  '',
  '',
].join('\n');

/**
 * The PostgreSQL variant of the SQLite schema text. Throws when the source no longer has the shape the rewrites expect
 * (better than a variant that silently differs).
 */
export function postgresqlSchemaFrom(sqliteSchema: string): string {
  let providers = 0;
  let outputs = 0;
  let block: string | null = null;
  const lines = sqliteSchema.split('\n').map((line, index) => {
    const opening = /^\s*(generator|datasource|model|enum|view|type)\s+\w+\s*\{/.exec(line);
    if (opening) block = opening[1] ?? null;
    else if (/^\s*\}/.test(line)) block = null;

    if (/@db\./.test(line.replace(/\/\/.*$/, ''))) {
      throw new Error(`prisma/schema.prisma line ${index + 1}: native type attributes (@db.*) are not portable`);
    }
    if (block === 'datasource' && /^\s*provider\s*=/.test(line)) {
      providers++;
      if (!/^\s*provider\s*=\s*"sqlite"\s*$/.test(line)) {
        throw new Error(`prisma/schema.prisma line ${index + 1}: expected provider = "sqlite", got ${line.trim()}`);
      }
      return line.replace('"sqlite"', '"postgresql"');
    }
    if (block === 'generator' && /^\s*output\s*=/.test(line)) {
      outputs++;
      // The variant lives one folder deeper (prisma/postgresql/), next to its migrations.
      const match = /^(\s*output\s*=\s*)"\.\.\/src\/generated\/prisma"\s*$/.exec(line);
      if (!match) {
        throw new Error(`prisma/schema.prisma line ${index + 1}: expected output = "../src/generated/prisma"`);
      }
      return `${match[1] ?? ''}"../../src/generated/prisma-pg"`;
    }
    if (block === 'model' || block === 'type') {
      // `name Json` or `name Json?`, possibly followed by attributes or a comment.
      return line.replace(/^(\s*\w+\s+Json\??)(?=\s|$)/, '$1 @db.Json');
    }
    return line;
  });
  if (providers !== 1 || outputs !== 1) {
    throw new Error(
      `prisma/schema.prisma must have exactly one datasource provider and one generator output (found ${providers} and ${outputs})`,
    );
  }
  return HEADER + lines.join('\n');
}

/** The schema of a provider as it must be: the SQLite file itself, or the variant derived from it (in memory). */
export async function schemaFor(
  provider: Provider,
  sqliteSchemaPath = SCHEMA_LOCATIONS.sqlite.schemaPath,
): Promise<SchemaFile> {
  const source = await readFile(sqliteSchemaPath, 'utf8');
  if (provider === 'sqlite') return { path: sqliteSchemaPath, content: source };
  return {
    path: path.join(path.dirname(sqliteSchemaPath), 'postgresql', 'schema.prisma'),
    content: postgresqlSchemaFrom(source),
  };
}
