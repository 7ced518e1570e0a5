// Already migrated scratch databases for the bench: a SQLite file in a temp folder, or a new database on the local
// PostgreSQL server (POSTGRES_SCRATCH_URL, default postgresql://postgres@127.0.0.1:5432/postgres), dropped at the end.
// Not test/helpers/database.ts: that module registers a vitest hook and the bench is not a vitest run.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCredentialStore } from '../../../src/data/credentialStore.ts';
import { openDatabase } from '../../../src/data/database.ts';
import { applyMigrations } from '../../../src/data/migrations.ts';
import { zaloOaCredentialId } from '../../../src/domain/credentials.ts';
import { APP_ID } from '../../channels/zalo/oa/fake-zalo.ts';
import { PostgresServer, postgresScratchUrl, uniqueDatabaseName } from '../../../src/data/postgresServer.ts';

export type BenchProvider = 'sqlite' | 'postgresql';

export interface ScratchDatabase {
  url: string;
  /** A folder for the bot's files (FILES_DIR), removed with the database. */
  filesDir: string;
  drop(): Promise<void>;
}

export async function scratchDatabase(provider: BenchProvider): Promise<ScratchDatabase> {
  const dir = await mkdtemp(path.join(tmpdir(), 'hoi-vien-bench-'));
  const filesDir = path.join(dir, 'files');
  if (provider === 'sqlite') {
    const url = `file:${path.join(dir, 'bench.db')}`;
    await applyMigrations(url);
    return { url, filesDir, drop: () => rm(dir, { recursive: true, force: true }) };
  }
  const server = new PostgresServer(postgresScratchUrl());
  const name = uniqueDatabaseName('hoivien_bench');
  const url = await server.create(name);
  try {
    await applyMigrations(url);
  } catch (error) {
    await server.drop(name);
    await server.close();
    throw error;
  }
  return {
    url,
    filesDir,
    async drop() {
      await server.drop(name);
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Stores the Zalo OA token pair the fake accepts (as `npm run zalo:tokens` would), valid for 25 hours. */
export async function storeZaloPair(url: string, pair: { accessToken: string; refreshToken: string }): Promise<void> {
  const { prisma, close } = await openDatabase(url);
  try {
    await createCredentialStore(prisma).swap(
      zaloOaCredentialId(APP_ID),
      { ...pair, accessExpiresAt: new Date(Date.now() + 25 * 3_600_000), refreshExpiresAt: null },
      0,
    );
  } finally {
    await close();
  }
}
