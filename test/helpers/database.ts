// A brand-new, migrated SQLite database per call, in ~20 ms: the migrations run once per test file (vitest gives each
// file its own module state) into a template file, and each call copies that file (migrating each time: ~40 ms+).
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { openDatabase } from '../../src/data/database.ts';
import { applyMigrations } from '../../src/data/migrations.ts';
import type { PrismaClient } from '../../src/generated/prisma/client.ts';

export interface FreshDatabase {
  url: string;
  prisma: PrismaClient;
  close(): Promise<void>;
}

let template: Promise<{ dir: string; file: string }> | undefined;
let counter = 0;

function migratedTemplate(): Promise<{ dir: string; file: string }> {
  template ??= (async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'hoi-vien-test-'));
    const file = path.join(dir, 'template.db');
    await applyMigrations(`file:${file}`);
    return { dir, file };
  })();
  return template;
}

// Everything lives in the template's folder: one sweep when the test file is done, even for databases a test forgot
// to close. (A hook registered while the test file imports this module belongs to that file. Vitest ends its worker
// processes without a normal exit, so process.on('exit') would never run.)
afterAll(async () => {
  const done = template;
  template = undefined;
  if (done !== undefined) await rm((await done).dir, { recursive: true, force: true });
});

export async function freshDatabase(): Promise<FreshDatabase> {
  const { dir, file } = await migratedTemplate();
  const dbFile = path.join(dir, `db-${++counter}.db`);
  await copyFile(file, dbFile);
  const url = `file:${dbFile}`;
  const { prisma, close } = await openDatabase(url);
  return {
    url,
    prisma,
    async close() {
      await close();
      await Promise.all(['', '-wal', '-shm'].map((suffix) => rm(dbFile + suffix, { force: true })));
    },
  };
}
