// A secret every process on one database shares, generated once and kept in the database: the default of
// LISTING_REPORTER_SECRET (the problem reporters' HMAC key), so the "one report per listing per day" limit survives
// restarts and counts the same person on every instance. Kept as a row of ChannelCredential (the table of secrets the
// bot keeps; id "secret:<name>", the secret in accessToken, never expiring), so no migration is needed; never logged.
import { randomBytes } from 'node:crypto';
import { isPrismaError, type PrismaClient } from './database.ts';

/** Far in the future: the row is a secret, not a token, and never expires. */
const NEVER = new Date('9999-12-31T00:00:00Z');

/**
 * The secret named `name` (256 random bits, hex): read from the database, or created by the first process that needs
 * it (the primary key lets exactly one creator win; the others read its value). Loaded once per process, on first
 * use (outside any transaction). Errors: the database's.
 */
export function sharedSecret(prisma: PrismaClient, name: string): () => Promise<string> {
  const id = `secret:${name}`;
  let loaded: Promise<string> | null = null;
  async function load(): Promise<string> {
    const row = await prisma.channelCredential.findUnique({ where: { id } });
    if (row) return row.accessToken;
    const secret = randomBytes(32).toString('hex');
    try {
      await prisma.channelCredential.create({
        data: { id, accessToken: secret, refreshToken: '', accessExpiresAt: NEVER, version: 1 },
      });
      return secret;
    } catch (error) {
      if (!isPrismaError(error, 'P2002')) throw error;
      return (await prisma.channelCredential.findUniqueOrThrow({ where: { id } })).accessToken;
    }
  }
  return () => {
    // A failed load is tried again next time.
    loaded ??= load().catch((error: unknown) => {
      loaded = null;
      throw error;
    });
    return loaded;
  };
}
