import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SCHEMA_LOCATIONS, postgresqlSchemaFrom, schemaFor } from '../../src/data/schemas.ts';

const source = `generator client {
  provider     = "prisma-client"
  output       = "../src/generated/prisma"
  moduleFormat = "esm"
}

datasource db {
  provider = "sqlite"
}

/// provider = "sqlite" in a comment stays as it is, and so do Json and @db.Text in one.
model Thing {
  id      Int      @id @default(autoincrement())
  kind    String   @default("open")
  data    Json
  extra   Json?
  jsonish String   @default("Json")
  at      DateTime @default(now())
}
`;

describe('the PostgreSQL schema variant', () => {
  it('swaps the provider and the client folder, and stores Json as json (keeps key order); nothing else', () => {
    const variant = postgresqlSchemaFrom(source);
    expect(variant.split('\n').slice(0, 2).join('\n')).toMatch(/^\/\/ GENERATED from prisma\/schema\.prisma/);
    const body = variant.split('\n').slice(3).join('\n');
    expect(body).toBe(
      source
        .replace('"../src/generated/prisma"', '"../../src/generated/prisma-pg"')
        .replace('provider = "sqlite"\n}', 'provider = "postgresql"\n}')
        .replace('  data    Json\n', '  data    Json @db.Json\n')
        .replace('  extra   Json?\n', '  extra   Json? @db.Json\n'),
    );
  });

  it('refuses a source it cannot rewrite safely', () => {
    expect(() => postgresqlSchemaFrom(source.replace('"sqlite"', '"mysql"'))).toThrow(/expected provider = "sqlite"/);
    expect(() => postgresqlSchemaFrom(source.replace('"../src/generated/prisma"', '"./elsewhere"'))).toThrow(
      /expected output/,
    );
    expect(() => postgresqlSchemaFrom(source.replace('  kind    String', '  kind    String @db.Text'))).toThrow(
      /not portable/,
    );
    expect(() => postgresqlSchemaFrom(source.replace(/datasource db \{[^}]*\}/, ''))).toThrow(/exactly one/);
  });

  it('is what prisma/postgresql/schema.prisma holds', async () => {
    const { content } = await schemaFor('postgresql');
    expect(await readFile(SCHEMA_LOCATIONS.postgresql.schemaPath, 'utf8')).toBe(content);
  });
});
