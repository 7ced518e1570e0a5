import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCredentialStore } from '../../src/data/credentialStore.ts';
import type { TokenPair } from '../../src/domain/credentials.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';

const ID = 'zalo-oa:123';
const pair = (n: number): TokenPair => ({
  accessToken: `access-${n}`,
  refreshToken: `refresh-${n}`,
  accessExpiresAt: new Date(Date.UTC(2026, 2, 2, n)),
  refreshExpiresAt: n % 2 === 0 ? null : new Date(Date.UTC(2026, 5, 1)),
});

let db: FreshDatabase;
beforeEach(async () => {
  db = await freshDatabase();
});
afterEach(async () => {
  await db.close();
});

describe('credential store', () => {
  it('has nothing before the first pair', async () => {
    expect(await createCredentialStore(db.prisma).load(ID)).toBeNull();
  });

  it('stores the first pair at version 1 and each next one with a compare-and-swap', async () => {
    const store = createCredentialStore(db.prisma);
    expect(await store.swap(ID, pair(1), 0)).toBe(1);
    expect(await store.load(ID)).toEqual({ ...pair(1), version: 1 });
    expect(await store.swap(ID, pair(2), 1)).toBe(2);
    expect(await store.load(ID)).toEqual({ ...pair(2), version: 2 });
  });

  it('refuses a swap against a version another process already replaced, and keeps the winner', async () => {
    const a = createCredentialStore(db.prisma);
    const b = createCredentialStore(db.prisma);
    await a.swap(ID, pair(1), 0);
    expect(await a.swap(ID, pair(2), 1)).toBe(2);
    expect(await b.swap(ID, pair(3), 1)).toBeNull();
    expect(await b.swap(ID, pair(3), 0)).toBeNull(); // a first pair when one exists
    expect(await b.load(ID)).toEqual({ ...pair(2), version: 2 });
  });

  it('lets exactly one of two simultaneous swaps win', async () => {
    const store = createCredentialStore(db.prisma);
    await store.swap(ID, pair(1), 0);
    const results = await Promise.all([store.swap(ID, pair(2), 1), store.swap(ID, pair(3), 1)]);
    expect(results.filter((r) => r === 2)).toHaveLength(1);
    expect(results.filter((r) => r === null)).toHaveLength(1);
    const winner = results[0] === 2 ? pair(2) : pair(3);
    expect(await store.load(ID)).toEqual({ ...winner, version: 2 });
  });

  it('keeps accounts apart', async () => {
    const store = createCredentialStore(db.prisma);
    await store.swap(ID, pair(1), 0);
    await store.swap('zalo-oa:456', pair(4), 0);
    expect((await store.load(ID))?.accessToken).toBe('access-1');
    expect((await store.load('zalo-oa:456'))?.accessToken).toBe('access-4');
  });
});
