// Keeping stored files tidy: files no record keeps are purged after FILES_ORPHAN_DAYS, and a member's files go with
// her when her data is deleted (whichever way: "delete my data", Zalo's user_withdraw, the admin), through the
// personal-data registry (storedFilesDataKind).
import type { Logger } from '../../conversation/ports.ts';
import { memberPrefix, type FileStore, type StoredFileRepository } from '../../domain/files.ts';
import { dateOf } from '../../features/privacy/myData.ts';
import type { PersonalDataKind } from '../../features/privacy/registry.ts';

const DAY_MS = 86_400_000;
const PURGE_BATCH = 200;

export interface FileMaintenance {
  /**
   * Deletes the files no record keeps (StoredFile.keptBy null) that were stored more than `orphanDays` days before
   * `now`: the bytes, then the record. Meant to run daily; safe to run on several instances at once (a file deleted
   * by another is simply gone). Returns how many files were removed.
   */
  purgeOrphanFiles(now: Date): Promise<number>;
  /** Removes the bytes of every file of a member (her records go with her member row). Returns how many. */
  eraseMemberFiles(memberId: string): Promise<number>;
}

export function createFileMaintenance(deps: {
  store: FileStore;
  files: StoredFileRepository;
  orphanDays: number;
  logger: Logger;
}): FileMaintenance {
  const { store, files, logger } = deps;

  async function eraseMemberFiles(memberId: string): Promise<number> {
    const keys = await store.list(memberPrefix(memberId));
    for (const key of keys) await store.delete(key);
    return keys.length;
  }

  return {
    async purgeOrphanFiles(now) {
      const before = new Date(now.getTime() - deps.orphanDays * DAY_MS);
      let removed = 0;
      for (;;) {
        const batch = await files.listUnkept(before, PURGE_BATCH);
        for (const file of batch) {
          await store.delete(file.key);
          await files.delete(file.id);
        }
        removed += batch.length;
        if (batch.length < PURGE_BATCH) break;
      }
      if (removed > 0) logger.info({ removed }, 'unkept files purged');
      return removed;
    },
    eraseMemberFiles,
  };
}

/**
 * Her stored photos as a kind of the personal-data registry: "my data" shows how many and when (the files, not their
 * content); erasing her removes the bytes (before and after her member row goes, whose cascade removes the records:
 * a file stored in between by another instance is caught the second time); files no record keeps are purged after
 * FILES_ORPHAN_DAYS (the files.purge job does it daily, so this kind's retention is that job's).
 */
export function storedFilesDataKind(deps: {
  files: Pick<StoredFileRepository, 'summaryOf'>;
  maintenance: FileMaintenance;
  orphanDays: number;
}): PersonalDataKind {
  return {
    id: 'files',
    models: ['StoredFile'],
    title: 'privacy:sections.photos',
    async summarise(ctx) {
      const summary = await deps.files.summaryOf(ctx.member.id);
      if (summary.count === 0 || summary.first === null || summary.last === null) return [];
      return [
        ctx.t('privacy:photos', {
          count: summary.count,
          first: dateOf(summary.first, ctx),
          last: dateOf(summary.last, ctx),
        }),
      ];
    },
    eraseOutside: (member) => deps.maintenance.eraseMemberFiles(member.id),
    retention: {
      variable: 'FILES_ORPHAN_DAYS',
      days: deps.orphanDays,
      prunedBy: 'files.purge',
      // purgeOrphanFiles counts back FILES_ORPHAN_DAYS itself from the date it is given.
      prune: (before) => deps.maintenance.purgeOrphanFiles(new Date(before.getTime() + deps.orphanDays * DAY_MS)),
    },
    note: 'files kept by a record (a case) live as long as that record',
  };
}
