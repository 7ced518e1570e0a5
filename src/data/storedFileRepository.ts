// Records of the files members sent (the bytes are in the FileStore), handed to the core as plain objects.
import type { FilesSummary, StoredFile, StoredFileRepository } from '../domain/files.ts';
import type { PrismaClient } from './database.ts';

export function createStoredFileRepository(prisma: PrismaClient): StoredFileRepository {
  return {
    async create(file) {
      return prisma.storedFile.create({ data: file });
    },

    async findById(id) {
      return prisma.storedFile.findUnique({ where: { id } });
    },

    async listByMember(memberId) {
      return prisma.storedFile.findMany({ where: { memberId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    },

    async countByMember(memberId) {
      return prisma.storedFile.count({ where: { memberId } });
    },

    async summaryOf(memberId): Promise<FilesSummary> {
      const agg = await prisma.storedFile.aggregate({
        where: { memberId },
        _count: { _all: true },
        _sum: { bytes: true },
        _min: { createdAt: true },
        _max: { createdAt: true },
      });
      return {
        count: agg._count._all,
        bytes: agg._sum.bytes ?? 0,
        first: agg._min.createdAt,
        last: agg._max.createdAt,
      };
    },

    async keep(memberId, fileIds, keptBy) {
      const { count } = await prisma.storedFile.updateMany({
        where: { memberId, id: { in: [...fileIds] } },
        data: { keptBy },
      });
      return count;
    },

    async listUnkept(before, limit): Promise<StoredFile[]> {
      return prisma.storedFile.findMany({
        where: { keptBy: null, createdAt: { lt: before } },
        orderBy: { createdAt: 'asc' },
        take: limit,
      });
    },

    async delete(id) {
      await prisma.storedFile.deleteMany({ where: { id } });
    },
  };
}
