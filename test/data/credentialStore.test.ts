import { afterEach, beforeEach, expect, it } from 'vitest';
import { createCredentialStore } from '../../src/data/credentialStore.ts';
import { openDatabase } from '../../src/data/database.ts';
import type { TokenPair } from '../../src/domain/credentials.ts';
import { describeEachProvider, freshDatabase, type FreshDatabase } from '../helpers/database.ts';

describeEachProvider('credential store', (provider) => {
  const ID = 'zalo-oa:123';
  const pair = (n: number): TokenPair => ({
    accessToken: `access-${n}`,
    refreshToken: `refresh-${n}`,
    accessExpiresAt: new Date(Date.UTC(2026, 2, 2, n)),
    refreshExpiresAt: n % 2 === 0 ? null : new Date(Date.UTC(2026, 5, 1)),
  });

  let db: FreshDatabase;
  beforeEach(async () => {
    db = await freshDatabase(provider);
  });
  afterEach(async () => {
    await db.close();
  });

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

  it('lets exactly one of two simultaneous swaps win, also across two connections (first pair and later ones)', async () => {
    const other = await openDatabase(db.url); // a second connection, as a second process would have
    try {
      const ours = createCredentialStore(db.prisma);
      const theirs = createCredentialStore(other.prisma);
      const first = await Promise.all([ours.swap(ID, pair(1), 0), theirs.swap(ID, pair(5), 0)]);
      expect(first.filter((r) => r === 1)).toHaveLength(1);
      expect(first.filter((r) => r === null)).toHaveLength(1);

      const results = await Promise.all([
        ours.swap(ID, pair(2), 1),
        theirs.swap(ID, pair(3), 1),
        ours.swap(ID, pair(4), 1),
      ]);
      expect(results.filter((r) => r === 2)).toHaveLength(1);
      expect(results.filter((r) => r === null)).toHaveLength(2);
      const winner = [pair(2), pair(3), pair(4)][results.indexOf(2)];
      expect(await theirs.load(ID)).toEqual({ ...winner, version: 2 });
    } finally {
      await other.close();
    }
  });

  it('keeps accounts apart', async () => {
    const store = createCredentialStore(db.prisma);
    await store.swap(ID, pair(1), 0);
    await store.swap('zalo-oa:456', pair(4), 0);
    expect((await store.load(ID))?.accessToken).toBe('access-1');
    expect((await store.load('zalo-oa:456'))?.accessToken).toBe('access-4');
  });
});
