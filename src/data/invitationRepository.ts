// Single-use, expiring officer/admin invitations. Only a hash of the code is stored (the caller hashes).
import { z } from 'zod';
import type { Invitation, InvitationRepository } from '../domain/officers.ts';
import type { PrismaClient } from './database.ts';

// role is a plain string column and areas a JSON column: check both on the way out.
const storedInvitation = z.object({
  role: z.enum(['officer', 'admin']),
  areas: z.array(z.string()),
});

interface InvitationRow {
  id: string;
  role: string;
  areas: unknown;
  createdBy: string;
  expiresAt: Date;
  usedAt: Date | null;
}

function toInvitation(row: InvitationRow): Invitation {
  const parsed = storedInvitation.safeParse(row);
  if (!parsed.success)
    throw new Error(`Invitation ${row.id} has an invalid stored value: ${z.prettifyError(parsed.error)}`);
  return {
    id: row.id,
    ...parsed.data,
    createdBy: row.createdBy,
    expiresAt: row.expiresAt,
    usedAt: row.usedAt,
  };
}

export function createInvitationRepository(prisma: PrismaClient): InvitationRepository {
  return {
    async create({ codeHash, role, areas, createdBy, expiresAt }) {
      const row = await prisma.invitation.create({
        data: { codeHash, role, areas: [...areas], createdBy, expiresAt },
      });
      return toInvitation(row);
    },

    async redeem(codeHash, memberId, now) {
      // Compare-and-set in one statement: only an unused, unexpired invitation is marked, so of two members redeeming
      // the same code at once (even in two processes) exactly one changes the row.
      const { count } = await prisma.invitation.updateMany({
        where: { codeHash, usedAt: null, expiresAt: { gt: now } },
        data: { usedAt: now, usedBy: memberId },
      });
      // Then read it back to tell the member why not (a used invitation stays used; nothing un-expires one).
      const row = await prisma.invitation.findUnique({ where: { codeHash } });
      if (row === null) return { ok: false, reason: 'unknown' };
      if (count === 1) return { ok: true, invitation: toInvitation(row) };
      return { ok: false, reason: row.usedAt === null ? 'expired' : 'used' };
    },
  };
}
