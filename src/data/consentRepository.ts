// A member's consent decisions, one row per purpose (MemberConsent), as plain domain objects.
import { isConsentPurposeId, type ConsentDecision, type ConsentRepository } from '../domain/privacy.ts';
import type { PrismaClient } from './database.ts';

export function createConsentRepository(prisma: PrismaClient): ConsentRepository {
  return {
    async decisionsOf(memberId) {
      const rows = await prisma.memberConsent.findMany({ where: { memberId }, orderBy: { purpose: 'asc' } });
      // A purpose removed from the catalogue in an upgrade is ignored, not an error.
      return rows.flatMap((row): ConsentDecision[] =>
        isConsentPurposeId(row.purpose)
          ? [{ purpose: row.purpose, givenAt: row.givenAt, withdrawnAt: row.withdrawnAt }]
          : [],
      );
    },
    async give(memberId, purpose, at) {
      await prisma.memberConsent.upsert({
        where: { memberId_purpose: { memberId, purpose } },
        create: { memberId, purpose, givenAt: at, withdrawnAt: null },
        update: { givenAt: at, withdrawnAt: null },
      });
    },
    async withdraw(memberId, purpose, at) {
      // givenAt is kept: "given on …, withdrawn on …" is what she and an inspector need to see.
      await prisma.memberConsent.upsert({
        where: { memberId_purpose: { memberId, purpose } },
        create: { memberId, purpose, givenAt: null, withdrawnAt: at },
        update: { withdrawnAt: at },
      });
    },
    async markAsked(memberId, purpose) {
      await prisma.memberConsent.upsert({
        where: { memberId_purpose: { memberId, purpose } },
        create: { memberId, purpose, givenAt: null, withdrawnAt: null },
        update: {},
      });
    },
  };
}
