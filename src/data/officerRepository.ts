// Officers and admins: Member.role plus the OfficerArea rows saying which communes/wards each one covers.
import { ROLES, type Role } from '../domain/member.ts';
import { WHOLE_PROVINCE, type Officer, type OfficerRepository } from '../domain/officers.ts';
import { isPrismaError, type PrismaClient } from './database.ts';
import { toMember } from './memberRepository.ts';

const OFFICER_ROLES = ROLES.filter((role) => role !== 'member');

/** Oldest first, so lists (and who gets notified first) do not change from one call to the next. */
const ORDER = [{ createdAt: 'asc' }, { id: 'asc' }] as const;

type MemberWithAreas = Parameters<typeof toMember>[0] & { officerAreas: { communeCode: string }[] };

function toOfficer(row: MemberWithAreas): Officer {
  return { member: toMember(row), areas: row.officerAreas.map((area) => area.communeCode) };
}

export function createOfficerRepository(prisma: PrismaClient): OfficerRepository {
  /** Officers and admins, optionally only those with this exact area row. */
  async function officers(communeCode?: string): Promise<Officer[]> {
    const rows = await prisma.member.findMany({
      where: {
        role: { in: OFFICER_ROLES },
        ...(communeCode === undefined ? {} : { officerAreas: { some: { communeCode } } }),
      },
      include: { officerAreas: { select: { communeCode: true }, orderBy: { communeCode: 'asc' } } },
      orderBy: [...ORDER],
    });
    return rows.map(toOfficer);
  }

  return {
    list: () => officers(),

    async areasOf(memberId) {
      const rows = await prisma.officerArea.findMany({ where: { memberId }, orderBy: { communeCode: 'asc' } });
      return rows.map((row) => row.communeCode);
    },

    forCommune: (communeCode) => officers(communeCode),

    provinceWide: () => officers(WHOLE_PROVINCE),

    async assign(memberId, role: Role, areas) {
      if (role === 'member' && areas.length > 0) {
        throw new Error(`A plain member has no areas (got ${areas.length} for member ${memberId})`);
      }
      const unique = [...new Set(areas)];
      try {
        // One batch transaction: the role and the areas change together or not at all (an unknown member makes the
        // update fail, which rolls the whole batch back).
        await prisma.$transaction([
          prisma.member.update({ where: { id: memberId }, data: { role }, select: { id: true } }),
          prisma.officerArea.deleteMany({ where: { memberId } }),
          ...(unique.length === 0
            ? []
            : [prisma.officerArea.createMany({ data: unique.map((communeCode) => ({ memberId, communeCode })) })]),
        ]);
      } catch (error) {
        if (isPrismaError(error, 'P2025')) throw new Error(`Member ${memberId} does not exist`, { cause: error });
        throw error;
      }
    },
  };
}
