// Keeping stored files tidy: files no record keeps are purged after FILES_ORPHAN_DAYS, and a member's files go with
// her when her data is deleted (whichever way: "delete my data", Zalo's user_withdraw, the admin).
import type { Logger } from '../../conversation/ports.ts';
import { memberPrefix, type FileStore, type StoredFileRepository } from '../../domain/files.ts';
import type { MemberRepository } from '../../domain/member.ts';

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
 * The member repository with her files erased along with her: the bytes first (the goal is that nothing of hers
 * remains), then the member row (its cascade removes the file records), then once more for a file stored in between
 * by another instance. A failure to remove bytes is logged for the admin and does not undo the erasure.
 */
export function withFileErasure(
  members: MemberRepository,
  maintenance: Pick<FileMaintenance, 'eraseMemberFiles'>,
  logger: Logger,
): MemberRepository {
  const erase = async (memberId: string) => {
    try {
      await maintenance.eraseMemberFiles(memberId);
    } catch (error) {
      logger.error(
        { memberId, errName: error instanceof Error ? error.name : typeof error },
        'ERASING A MEMBER’S FILES FAILED: remove them by hand',
      );
    }
  };
  return {
    ...members,
    async delete(id) {
      await erase(id);
      const deleted = await members.delete(id);
      await erase(id);
      return deleted;
    },
  };
}
