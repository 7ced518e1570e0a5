// Cases officers handle. Every state change is one conditional statement (updateMany on the expected status), so two
// officers, or two bot instances, acting on the same case at once cannot both win.
import { z } from 'zod';
import {
  CASE_MESSAGE_AUTHORS,
  CASE_STATUSES,
  CASE_TYPES,
  type Case,
  type CaseMessage,
  type CaseRepository,
  type CaseStatus,
} from '../domain/cases.ts';
import { WHOLE_PROVINCE } from '../domain/officers.ts';
import type { PrismaClient } from './database.ts';

// type and status are plain string columns and details a JSON column: check them on the way out.
const storedCase = z.object({
  type: z.enum(CASE_TYPES),
  status: z.enum(CASE_STATUSES),
  details: z.record(z.string(), z.string()),
});

const ACTIVE: CaseStatus[] = ['open', 'claimed'];

/** Creation order: the id is an autoincrement. */
const OLDEST_FIRST = { id: 'asc' } as const;

/** A Case row as Prisma reads it (type, status and details unchecked). */
export interface CaseRow extends Omit<Case, 'type' | 'status' | 'details'> {
  type: string;
  status: string;
  details: unknown;
}

/** The domain Case of a row, its stored values checked; throws (naming the case id) when one is invalid. */
export function toCase(row: CaseRow): Case {
  const parsed = storedCase.safeParse(row);
  if (!parsed.success) throw new Error(`Case ${row.id} has an invalid stored value: ${z.prettifyError(parsed.error)}`);
  return {
    id: row.id,
    ...parsed.data,
    memberId: row.memberId,
    communeCode: row.communeCode,
    claimedById: row.claimedById,
    claimedAt: row.claimedAt,
    closedAt: row.closedAt,
    note: row.note,
    escalatedAt: row.escalatedAt,
    createdAt: row.createdAt,
  };
}

const storedAuthor = z.enum(CASE_MESSAGE_AUTHORS);

function toMessage(row: Omit<CaseMessage, 'author'> & { author: string }): CaseMessage {
  const author = storedAuthor.safeParse(row.author);
  if (!author.success) throw new Error(`CaseMessage ${row.id} has an invalid author: ${row.author}`);
  return {
    id: row.id,
    caseId: row.caseId,
    author: author.data,
    authorId: row.authorId,
    text: row.text,
    createdAt: row.createdAt,
  };
}

export function createCaseRepository(prisma: PrismaClient): CaseRepository {
  return {
    async create({ type, memberId, communeCode, details, createdAt }) {
      return toCase(
        await prisma.case.create({ data: { type, memberId, communeCode, details: { ...details }, createdAt } }),
      );
    },

    async get(id) {
      const row = await prisma.case.findUnique({ where: { id } });
      return row === null ? null : toCase(row);
    },

    async claim(id, officerId, now) {
      const { count } = await prisma.case.updateMany({
        where: { id, status: 'open' },
        data: { status: 'claimed', claimedById: officerId, claimedAt: now },
      });
      return count === 1;
    },

    async close(id, status, note, now, by) {
      // An open case closed directly is recorded as handled by the closer; a claimed one keeps its claimer. Two
      // conditional statements, each atomic: a case never goes back to open, so if the first finds it no longer open,
      // the second sees the only state it can have moved to (claimed) or a closed one (and changes nothing).
      const fromOpen = await prisma.case.updateMany({
        where: { id, status: 'open' },
        data: { status, note, closedAt: now, claimedById: by, claimedAt: now },
      });
      if (fromOpen.count === 1) return true;
      const fromClaimed = await prisma.case.updateMany({
        where: { id, status: 'claimed' },
        data: { status, note, closedAt: now },
      });
      return fromClaimed.count === 1;
    },

    async takeOverdue(before, now) {
      const candidates = await prisma.case.findMany({
        where: { status: 'open', escalatedAt: null, createdAt: { lt: before } },
        orderBy: OLDEST_FIRST,
      });
      const taken: Case[] = [];
      for (const row of candidates) {
        // Mark each one with a compare-and-set: another instance scanning at the same moment finds it already marked
        // and skips it, so a case is escalated once.
        const { count } = await prisma.case.updateMany({
          where: { id: row.id, status: 'open', escalatedAt: null },
          data: { escalatedAt: now },
        });
        if (count === 1) taken.push(toCase({ ...row, escalatedAt: now }));
      }
      return taken;
    },

    async listActive(areas) {
      if (areas.length === 0) return [];
      const rows = await prisma.case.findMany({
        where: {
          status: { in: ACTIVE },
          ...(areas.includes(WHOLE_PROVINCE) ? {} : { communeCode: { in: [...areas] } }),
        },
        orderBy: OLDEST_FIRST,
      });
      return rows.map(toCase);
    },

    async listByMember(memberId) {
      const rows = await prisma.case.findMany({ where: { memberId }, orderBy: OLDEST_FIRST });
      return rows.map(toCase);
    },

    async all() {
      const rows = await prisma.case.findMany({ orderBy: OLDEST_FIRST });
      return rows.map(toCase);
    },

    async addMessage({ caseId, author, authorId, text, createdAt }) {
      return toMessage(await prisma.caseMessage.create({ data: { caseId, author, authorId, text, createdAt } }));
    },

    async messages(caseId) {
      // The id is an autoincrement: creation order, even for two messages in the same millisecond.
      const rows = await prisma.caseMessage.findMany({ where: { caseId }, orderBy: { id: 'asc' } });
      return rows.map(toMessage);
    },
  };
}
