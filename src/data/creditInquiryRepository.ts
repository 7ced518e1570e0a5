// Saved credit pre-screens (answers, result, data version, date), as plain objects.
import type { CreditInquiry, CreditInquiryRepository } from '../domain/credit/inquiries.ts';
import type { PrismaClient } from './database.ts';

type Row = Awaited<ReturnType<PrismaClient['creditInquiry']['create']>>;

const asRecord = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

function toInquiry(row: Row): CreditInquiry {
  return {
    id: row.id,
    memberId: row.memberId,
    answers: asRecord(row.answers),
    result: asRecord(row.result),
    dataVersion: row.dataVersion,
    evaluatedOn: row.evaluatedOn,
    caseId: row.caseId,
    createdAt: row.createdAt,
  };
}

export function createCreditInquiryRepository(prisma: PrismaClient): CreditInquiryRepository {
  return {
    async create(input) {
      // JSON round trip: the result is plain data, and Prisma's Json type wants exactly that.
      const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as object;
      return toInquiry(
        await prisma.creditInquiry.create({
          data: { ...input, answers: json(input.answers), result: json(input.result) },
        }),
      );
    },
    async listByMember(memberId) {
      const rows = await prisma.creditInquiry.findMany({ where: { memberId }, orderBy: { createdAt: 'asc' } });
      return rows.map(toInquiry);
    },
  };
}
