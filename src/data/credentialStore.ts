// Token pairs of channel accounts in the database (ChannelCredential), with the compare-and-swap the port promises:
// a swap succeeds only against the version it read, so two processes refreshing at once cannot overwrite each
// other's pair unknowingly. The tokens are never logged.
import type { CredentialStore, StoredTokenPair } from '../domain/credentials.ts';
import { isPrismaError, type PrismaClient } from './database.ts';

export function createCredentialStore(prisma: PrismaClient): CredentialStore {
  return {
    async load(id) {
      const row = await prisma.channelCredential.findUnique({ where: { id } });
      if (row === null) return null;
      const pair: StoredTokenPair = {
        accessToken: row.accessToken,
        refreshToken: row.refreshToken,
        accessExpiresAt: row.accessExpiresAt,
        refreshExpiresAt: row.refreshExpiresAt,
        version: row.version,
      };
      return pair;
    },

    async swap(id, next, expectedVersion) {
      const data = {
        accessToken: next.accessToken,
        refreshToken: next.refreshToken,
        accessExpiresAt: next.accessExpiresAt,
        refreshExpiresAt: next.refreshExpiresAt,
      };
      if (expectedVersion === 0) {
        // No row yet: the primary key lets exactly one creator win.
        try {
          await prisma.channelCredential.create({ data: { id, ...data, version: 1 } });
          return 1;
        } catch (error) {
          if (isPrismaError(error, 'P2002')) return null;
          throw error;
        }
      }
      // One conditional UPDATE: atomic on SQLite and PostgreSQL alike.
      const { count } = await prisma.channelCredential.updateMany({
        where: { id, version: expectedVersion },
        data: { ...data, version: expectedVersion + 1 },
      });
      return count === 1 ? expectedVersion + 1 : null;
    },
  };
}
