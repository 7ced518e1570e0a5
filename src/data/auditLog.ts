// Who changed what, when: append-only rows, never updated.
import { z } from 'zod';
import type { AuditEntry, AuditLog } from '../domain/officers.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { PrismaClient } from './database.ts';

const storedDetails = z.record(z.string(), z.unknown()).nullable();

/** Details go into a JSON column: JSON values only (a Date becomes its ISO string, undefined values are dropped). */
function toJsonObject(details: Record<string, unknown>): Prisma.InputJsonObject {
  return JSON.parse(JSON.stringify(details)) as Prisma.InputJsonObject;
}

export function createAuditLog(prisma: PrismaClient): AuditLog {
  return {
    async record({ actor, action, subject, details }) {
      await prisma.auditLog.create({
        data: {
          actor,
          action,
          subject: subject ?? null,
          ...(details === undefined ? {} : { details: toJsonObject(details) }),
        },
      });
    },

    async list(filter = {}) {
      const rows = await prisma.auditLog.findMany({
        where: filter.subject === undefined ? {} : { subject: filter.subject },
        orderBy: [{ at: 'asc' }, { id: 'asc' }],
      });
      return rows.map((row) => {
        const details = storedDetails.safeParse(row.details);
        if (!details.success)
          throw new Error(`Audit entry ${row.id} has invalid stored details: ${z.prettifyError(details.error)}`);
        const entry: AuditEntry & { at: Date } = { at: row.at, actor: row.actor, action: row.action };
        if (row.subject !== null) entry.subject = row.subject;
        if (details.data !== null) entry.details = details.data;
        return entry;
      });
    },
  };
}
