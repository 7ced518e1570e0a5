// Conversation state, one row per member, with optimistic concurrency: two processes handling the same member at
// once cannot silently overwrite each other; the loser gets null, reloads and retries.
import type { ConversationRepository } from '../domain/member.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { isPrismaError, type PrismaClient } from './database.ts';

/**
 * The engine's state goes into a JSON column: JSON values only (a Date comes back as a string). Prisma.JsonNull is the
 * runtime's one instance, shared by the SQLite and PostgreSQL clients.
 */
function toJson(data: unknown): Prisma.ConversationStateCreateInput['data'] {
  return data ?? Prisma.JsonNull;
}

export function createConversationRepository(prisma: PrismaClient): ConversationRepository {
  return {
    async load(memberId) {
      const row = await prisma.conversationState.findUnique({ where: { memberId } });
      if (row === null) return null;
      return { flowId: row.flowId, data: row.data, version: row.version, updatedAt: row.updatedAt };
    },

    async save(memberId, { flowId, data }, expectedVersion) {
      if (expectedVersion === 0) {
        // No row yet: an insert, which the primary key makes fail if another process inserted first.
        try {
          await prisma.conversationState.create({ data: { memberId, flowId, data: toJson(data), version: 1 } });
          return 1;
        } catch (error) {
          if (isPrismaError(error, 'P2002')) return null;
          throw error;
        }
      }
      // Compare-and-set in one statement: it changes the row only if nobody bumped the version since we read it.
      const { count } = await prisma.conversationState.updateMany({
        where: { memberId, version: expectedVersion },
        data: { flowId, data: toJson(data), version: expectedVersion + 1 },
      });
      return count === 1 ? expectedVersion + 1 : null;
    },

    async clear(memberId) {
      await prisma.conversationState.deleteMany({ where: { memberId } });
    },
  };
}
