// The web console's sign-in links and sessions (issue 16): WebSignInLink and WebSession rows. Only the SHA-256 of a
// token is stored (a database copy cannot sign anyone in); the token itself (32 random bytes, base64url) goes into
// the chat link or the session cookie and nowhere else. A link is used by one atomic update (single use even when two
// browsers press the button at once). Rows hang on the member (ON DELETE CASCADE): erasing her removes them.
import { createHash, randomBytes } from 'node:crypto';
import type { PrismaClient } from './database.ts';

/** A new random token: 32 bytes, base64url (43 characters). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The stored id of a token: SHA-256, hex. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Why a link did not sign anyone in. */
export type LinkRefusal = 'unknown' | 'used' | 'expired';

export interface StoredWebSession {
  /** SHA-256 of the cookie's token. */
  id: string;
  memberId: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  language: string | null;
}

export interface WebAccessStore {
  /** Stores a new single-use link for the member, valid until `expiresAt`; returns its token (for the URL only). */
  issueLink(memberId: string, now: Date, expiresAt: Date): Promise<string>;
  /**
   * Uses the link of this token, atomically: the member it signs in, or why not (unknown, already used, expired).
   * Using it twice at once signs in once.
   */
  useLink(token: string, now: Date): Promise<{ memberId: string } | { refused: LinkRefusal }>;
  /** A new session for the member; returns the cookie's token. `expiresAt`: its longest life. */
  startSession(memberId: string, now: Date, expiresAt: Date, language: string | null): Promise<string>;
  /** The session of a cookie token, or null (unknown or ended). Expiry is the caller's check. */
  findSession(token: string): Promise<StoredWebSession | null>;
  /** Marks the session seen now (idle timeout). */
  touchSession(id: string, now: Date): Promise<void>;
  setLanguage(id: string, language: string): Promise<void>;
  /** Ends one session (sign-out). */
  endSession(id: string): Promise<void>;
  /** Ends every session of the member (sign out everywhere); returns how many. */
  endSessionsOf(memberId: string): Promise<number>;
  /** Her sessions, newest first (the account page: times only). */
  sessionsOf(memberId: string): Promise<StoredWebSession[]>;
  /** Links and sessions of the member (for "my data"): counts and the last sign-in. */
  countsOf(memberId: string): Promise<{ links: number; sessions: number; lastSignIn: Date | null }>;
  /**
   * Deletes links expired before `before` (used or not) and sessions past their longest life or last seen before
   * `before`. `before` must be at least the idle timeout ago (the registry's prune job passes a day ago). Returns
   * how many rows.
   */
  prune(before: Date): Promise<number>;
}

export function createWebAccessStore(prisma: PrismaClient): WebAccessStore {
  return {
    async issueLink(memberId, now, expiresAt) {
      const token = newToken();
      await prisma.webSignInLink.create({ data: { id: tokenHash(token), memberId, createdAt: now, expiresAt } });
      return token;
    },

    async useLink(token, now) {
      const id = tokenHash(token);
      const used = await prisma.webSignInLink.updateMany({
        where: { id, usedAt: null, expiresAt: { gt: now } },
        data: { usedAt: now },
      });
      const row = await prisma.webSignInLink.findUnique({ where: { id } });
      if (used.count === 1 && row) return { memberId: row.memberId };
      if (!row) return { refused: 'unknown' };
      return { refused: row.usedAt !== null ? 'used' : 'expired' };
    },

    async startSession(memberId, now, expiresAt, language) {
      const token = newToken();
      await prisma.webSession.create({
        data: { id: tokenHash(token), memberId, createdAt: now, lastSeenAt: now, expiresAt, language },
      });
      return token;
    },

    findSession: (token) => prisma.webSession.findUnique({ where: { id: tokenHash(token) } }),

    async touchSession(id, now) {
      await prisma.webSession.updateMany({ where: { id }, data: { lastSeenAt: now } });
    },

    async setLanguage(id, language) {
      await prisma.webSession.updateMany({ where: { id }, data: { language } });
    },

    async endSession(id) {
      await prisma.webSession.deleteMany({ where: { id } });
    },

    async endSessionsOf(memberId) {
      return (await prisma.webSession.deleteMany({ where: { memberId } })).count;
    },

    sessionsOf: (memberId) =>
      prisma.webSession.findMany({ where: { memberId }, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }] }),

    async countsOf(memberId) {
      // One after another: inside a turn's transaction the statements share one connection.
      const links = await prisma.webSignInLink.count({ where: { memberId } });
      const sessions = await prisma.webSession.count({ where: { memberId } });
      const last = await prisma.webSignInLink.findFirst({
        where: { memberId, usedAt: { not: null } },
        orderBy: { usedAt: 'desc' },
        select: { usedAt: true },
      });
      return { links, sessions, lastSignIn: last?.usedAt ?? null };
    },

    async prune(before) {
      const links = await prisma.webSignInLink.deleteMany({ where: { expiresAt: { lt: before } } });
      const sessions = await prisma.webSession.deleteMany({
        where: { OR: [{ expiresAt: { lt: before } }, { lastSeenAt: { lt: before } }] },
      });
      return links.count + sessions.count;
    },
  };
}
