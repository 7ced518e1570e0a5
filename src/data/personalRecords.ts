// Record-level operations of the personal-data registry (src/domain/privacy.ts, PersonalRecords): summaries for
// "my data", erasure and anonymisation for "delete my data", and the retention pruning of the daily prune job.
import { ERASED_ID, type PersonalRecords, type RecordsSummary } from '../domain/privacy.ts';
import type { PrismaClient } from './database.ts';

const summary = (agg: { _count: { _all: number }; _min: { d: Date | null }; _max: { d: Date | null } }) => ({
  count: agg._count._all,
  first: agg._min.d,
  last: agg._max.d,
});

export function createPersonalRecords(prisma: PrismaClient): PersonalRecords {
  function counted<T extends { createdAt: Date }>(rows: T[]): RecordsSummary {
    const dates = rows.map((r) => r.createdAt.getTime());
    return rows.length === 0
      ? { count: 0, first: null, last: null }
      : { count: rows.length, first: new Date(Math.min(...dates)), last: new Date(Math.max(...dates)) };
  }

  return {
    async conversationOf(memberId) {
      const row = await prisma.conversationState.findUnique({ where: { memberId } });
      return row ? { flowId: row.flowId, updatedAt: row.updatedAt } : null;
    },
    async pruneConversations(before) {
      const { count } = await prisma.conversationState.deleteMany({ where: { updatedAt: { lt: before } } });
      return count;
    },
    async pruneClosedCases(before) {
      const cases = await prisma.case.findMany({
        where: { status: 'closed', closedAt: { lt: before } },
        select: { id: true },
      });
      if (cases.length === 0) return 0;
      const ids = cases.map((c) => c.id);
      // Photos a pruned case kept are no longer kept: the orphan purge removes them after FILES_ORPHAN_DAYS.
      await prisma.storedFile.updateMany({
        where: { keptBy: { in: ids.map((id) => `case:${id}`) } },
        data: { keptBy: null },
      });
      // Messages and notifications of a case go with it (ON DELETE CASCADE).
      const { count } = await prisma.case.deleteMany({ where: { id: { in: ids } } });
      return count;
    },
    async pruneCreditInquiries(before) {
      const { count } = await prisma.creditInquiry.deleteMany({ where: { createdAt: { lt: before } } });
      return count;
    },
    async auditOf(memberId) {
      const agg = await prisma.auditLog.aggregate({
        where: { OR: [{ actor: memberId }, { subject: memberId }] },
        _count: { _all: true },
        _min: { at: true },
        _max: { at: true },
      });
      return summary({ _count: agg._count, _min: { d: agg._min.at }, _max: { d: agg._max.at } });
    },
    async anonymiseAccountability(memberId) {
      // One after another: inside a turn these share the transaction's single connection.
      let changed = 0;
      changed += (await prisma.auditLog.updateMany({ where: { actor: memberId }, data: { actor: ERASED_ID } })).count;
      changed += (await prisma.auditLog.updateMany({ where: { subject: memberId }, data: { subject: ERASED_ID } }))
        .count;
      changed += (
        await prisma.invitation.updateMany({ where: { createdBy: memberId }, data: { createdBy: ERASED_ID } })
      ).count;
      changed += (await prisma.invitation.updateMany({ where: { usedBy: memberId }, data: { usedBy: ERASED_ID } }))
        .count;
      return changed;
    },
    async pruneAudit(before) {
      const { count } = await prisma.auditLog.deleteMany({ where: { at: { lt: before } } });
      return count;
    },
    async pruneInvitations(before) {
      const { count } = await prisma.invitation.deleteMany({ where: { expiresAt: { lt: before } } });
      return count;
    },
    async jobsOf(memberId) {
      return counted(await prisma.job.findMany({ where: { memberId }, select: { createdAt: true } }));
    },
    async deleteJobsOf(memberId) {
      const { count } = await prisma.job.deleteMany({ where: { memberId } });
      return count;
    },
    async pendingPartsOf(channel, userId) {
      const rows = await prisma.pendingPart.findMany({
        where: { channel, userId },
        select: { receivedAt: true },
      });
      return counted(rows.map((r) => ({ createdAt: r.receivedAt })));
    },
    async erasePendingParts(channel, userId) {
      const { count } = await prisma.pendingPart.deleteMany({ where: { channel, userId } });
      return count;
    },
    async prunePendingParts(before) {
      const { count } = await prisma.pendingPart.deleteMany({ where: { receivedAt: { lt: before } } });
      return count;
    },
    async inboundEventsOf(channel, userId) {
      const rows = await prisma.inboundEvent.findMany({
        where: { channel, userId },
        select: { receivedAt: true, status: true },
      });
      return {
        ...counted(rows.map((r) => ({ createdAt: r.receivedAt }))),
        failed: rows.filter((r) => r.status === 'failed').length,
      };
    },
    async eraseInboundEvents(channel, userId) {
      const { count } = await prisma.inboundEvent.deleteMany({
        where: { channel, userId, status: { in: ['done', 'failed'] } },
      });
      return count;
    },
  };
}
