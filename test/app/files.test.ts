// Stored files kept tidy: the purge of files no record keeps, "keep" by a record, what "my data" can show, and the
// local folder store (keys, listing by member, no way out of its folder).
import { readdir } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileMaintenance } from '../../src/app/files/maintenance.ts';
import { createLocalFileStore } from '../../src/data/localFileStore.ts';
import { createMemberRepository } from '../../src/data/memberRepository.ts';
import { createPendingPartStore } from '../../src/data/pendingParts.ts';
import { createStoredFileRepository } from '../../src/data/storedFileRepository.ts';
import { fileKey, type FileStore, type StoredFileRepository } from '../../src/domain/files.ts';
import { silentLogger } from '../helpers/chat.ts';
import { describeEachProvider, freshDatabase, type FreshDatabase, type Provider } from '../helpers/database.ts';
import { tempFilesDir } from '../helpers/photos.ts';

const DAY = 86_400_000;
const NOW = new Date('2026-03-20T08:00:00Z');

let db: FreshDatabase;
let dir: string;
let store: FileStore;
let files: StoredFileRepository;

function onDatabase(provider: Provider): void {
  beforeEach(async () => {
    db = await freshDatabase(provider);
    dir = tempFilesDir();
    store = createLocalFileStore(dir);
    files = createStoredFileRepository(db.prisma);
  });
  afterEach(() => db.close());
}

async function member(userId: string): Promise<string> {
  return (
    await createMemberRepository(db.prisma).create({ channel: 'telegram', channelUserId: userId, language: 'vi' })
  ).id;
}

/** A stored file of the member, `daysOld` days before NOW. */
async function storedFile(memberId: string, id: string, daysOld: number): Promise<string> {
  const key = fileKey(memberId, id, 'jpg');
  await files.create({ id, memberId, key, sha256: 'x', mime: 'image/jpeg', bytes: 3, width: 1, height: 1 });
  await db.prisma.storedFile.update({ where: { id }, data: { createdAt: new Date(NOW.getTime() - daysOld * DAY) } });
  await store.put(key, new Uint8Array([1, 2, 3]), 'image/jpeg');
  return key;
}

describeEachProvider('purgeOrphanFiles', (provider) => {
  onDatabase(provider);

  it('removes the files no record keeps once FILES_ORPHAN_DAYS have passed, bytes and record', async () => {
    const lan = await member('1');
    const old = await storedFile(lan, 'old-unkept', 8);
    const recent = await storedFile(lan, 'recent-unkept', 2);
    const kept = await storedFile(lan, 'old-kept', 30);
    expect(await files.keep(lan, ['old-kept'], 'case:12')).toBe(1);

    const maintenance = createFileMaintenance({ store, files, orphanDays: 7, logger: silentLogger });
    expect(await maintenance.purgeOrphanFiles(NOW)).toBe(1);

    expect((await files.listByMember(lan)).map((f) => [f.id, f.keptBy])).toEqual([
      ['old-kept', 'case:12'],
      ['recent-unkept', null],
    ]);
    expect(await store.get(old)).toBeNull();
    expect(await store.get(recent)).not.toBeNull();
    expect(await store.get(kept)).not.toBeNull();
    // Run again (or on a second instance): nothing more to do.
    expect(await maintenance.purgeOrphanFiles(NOW)).toBe(0);
    // Five days later the recent one is old enough too.
    expect(await maintenance.purgeOrphanFiles(new Date(NOW.getTime() + 6 * DAY))).toBe(1);
  });

  it('keep marks only the member’s own files', async () => {
    const lan = await member('1');
    const mai = await member('2');
    await storedFile(lan, 'lan-1', 0);
    await storedFile(mai, 'mai-1', 0);
    expect(await files.keep(lan, ['lan-1', 'mai-1'], 'case:7')).toBe(1);
    expect((await files.findById('mai-1'))?.keptBy).toBeNull();
  });
});

describeEachProvider('what "my data" can show of her files', (provider) => {
  onDatabase(provider);

  it('counts them, with their total size and the first and last dates, never their contents', async () => {
    const lan = await member('1');
    expect(await files.summaryOf(lan)).toEqual({ count: 0, bytes: 0, first: null, last: null });
    await storedFile(lan, 'a', 3);
    await storedFile(lan, 'b', 1);
    expect(await files.summaryOf(lan)).toEqual({
      count: 2,
      bytes: 6,
      first: new Date(NOW.getTime() - 3 * DAY),
      last: new Date(NOW.getTime() - DAY),
    });
  });
});

describe('the local folder store', () => {
  beforeEach(() => {
    dir = tempFilesDir();
    store = createLocalFileStore(dir);
  });

  it('lists a member’s files by her prefix, and removes her emptied folder with the last one', async () => {
    await store.put('m1/a.jpg', new Uint8Array([1]), 'image/jpeg');
    await store.put('m1/b.jpg', new Uint8Array([2]), 'image/jpeg');
    await store.put('m2/c.jpg', new Uint8Array([3]), 'image/jpeg');
    expect(await store.list('m1/')).toEqual(['m1/a.jpg', 'm1/b.jpg']);
    expect(await store.list('')).toEqual(['m1/a.jpg', 'm1/b.jpg', 'm2/c.jpg']);
    expect(await store.get('m2/c.jpg')).toEqual(new Uint8Array([3]));
    await store.delete('m1/a.jpg');
    await store.delete('m1/b.jpg');
    await store.delete('m1/b.jpg'); // already gone: no error
    expect((await readdir(dir)).sort()).toEqual(['m2']);
    expect(await store.list('m1/')).toEqual([]);
    expect(await store.get('m1/a.jpg')).toBeNull();
  });

  it('refuses keys that would leave its folder or are not plain names', async () => {
    for (const key of ['../escape.jpg', 'm1/../../etc/passwd', '/etc/passwd', 'm1//a.jpg', 'm1/.hidden', 'a b.jpg']) {
      await expect(store.put(key, new Uint8Array([1]), 'image/jpeg'), key).rejects.toThrow('invalid file key');
    }
  });
});

describeEachProvider('album parts waiting in the database', (provider) => {
  onDatabase(provider);

  it('keeps each part once, hands a group over in order, and keeps no ref nor caption once handed over', async () => {
    const parts = createPendingPartStore(db.prisma);
    const part = (n: number, groupId = 'g1') => ({
      channel: 'telegram' as const,
      userId: '42',
      groupId,
      messageId: `u${n}`,
      ref: `file-${n}`,
      receivedAt: new Date(NOW.getTime() + n),
    });
    expect(await parts.add({ ...part(1), caption: 'Giấy tờ', languageHint: 'vi' })).toBe(true);
    expect(await parts.add(part(2))).toBe(true);
    expect(await parts.add(part(2))).toBe(false); // redelivered
    expect(await parts.add(part(3, 'g2'))).toBe(true);

    expect((await parts.open('telegram', 'g1')).map((p) => [p.messageId, p.ref, p.caption])).toEqual([
      ['u1', 'file-1', 'Giấy tờ'],
      ['u2', 'file-2', undefined],
    ]);
    expect((await parts.openGroups('telegram')).sort((a, b) => a.groupId.localeCompare(b.groupId))).toEqual([
      { groupId: 'g1', userId: '42', lastAt: new Date(NOW.getTime() + 2) },
      { groupId: 'g2', userId: '42', lastAt: new Date(NOW.getTime() + 3) },
    ]);
    await parts.done('telegram', ['u1', 'u2'], NOW);
    expect(await parts.open('telegram', 'g1')).toEqual([]);
    expect(await parts.add(part(1))).toBe(false); // a late redelivery of a handed-over part is still recognised
    expect(
      await db.prisma.pendingPart.count({
        where: { OR: [{ ref: { not: '' } }, { caption: { not: null } }], doneAt: { not: null } },
      }),
    ).toBe(0);
    expect(await parts.prune(new Date(NOW.getTime() + DAY))).toBe(2);
    expect(await parts.openGroups('telegram')).toEqual([
      { groupId: 'g2', userId: '42', lastAt: new Date(NOW.getTime() + 3) },
    ]);
  });
});
