// The OA's access token, kept valid. Zalo's access token lives ≈ 25 h; the refresh token is single-use and rotates,
// so every refresh yields a new pair that must be stored before anything uses it (a pair that is used but not
// stored is lost at the next restart, and with it the OA's access).
//
// - Refresh happens before expiry (a margin), or when Zalo rejects the token early (renew).
// - One process: concurrent callers share one refresh request (single-flight).
// - Several processes on one database: the stored pair is reloaded before refreshing (another process may have done
//   it already); the new pair is stored with a compare-and-swap on its version, and the loser of the swap reloads
//   and uses the winner's pair. If Zalo refuses our refresh token because another process spent it first, the
//   winner's pair is in the store and is used the same way.
// - A refused refresh (expired or revoked refresh token, wrong app secret) is a 'config' error, logged loudly: an
//   admin must store a new pair (`npm run zalo:tokens`). The same refused token is not sent to Zalo again.
import type { Clock, Logger } from '../../../conversation/ports.ts';
import type { CredentialStore, StoredTokenPair } from '../../../domain/credentials.ts';
import { ZaloApiError } from '../http.ts';
import type { OAuthClient } from './oauth.ts';

export interface TokenManagerOptions {
  store: CredentialStore;
  /** Row id of the pair, e.g. "zalo-oa:<app id>". */
  credentialId: string;
  oauth: OAuthClient;
  clock: Clock;
  logger: Logger;
  /** Refresh when the access token expires within this. Default 30 minutes. */
  marginMs?: number;
}

export interface TokenManager {
  /** A valid access token, refreshed first if it expires within the margin. */
  accessToken(): Promise<string>;
  /** Zalo rejected `rejected` before its time (revoked, expired early): a new token, unless it was already replaced. */
  renew(rejected: string): Promise<string>;
  /** The stored pair's expiry, or null when no pair is stored (start-up check). Reloads from the store. */
  status(): Promise<{ accessExpiresAt: Date; refreshExpiresAt: Date | null } | null>;
}

export const DEFAULT_TOKEN_MARGIN_MS = 30 * 60_000;

export const TOKENS_CALL = 'oauth/tokens';

/** Pause between attempts at a refresh that is not yet needed (the current token still works). */
const RETRY_EARLY_REFRESH_MS = 60_000;

export function createTokenManager(options: TokenManagerOptions): TokenManager {
  const { store, credentialId: id, oauth, clock, logger } = options;
  const marginMs = options.marginMs ?? DEFAULT_TOKEN_MARGIN_MS;
  let current: StoredTokenPair | null = null;
  let inflight: Promise<StoredTokenPair> | null = null;
  /** A refresh token Zalo refused: not sent again (until another pair is stored). */
  let refused: string | null = null;
  /** After a failed refresh, an early (not yet needed) one is not tried again before this. */
  let quietUntil = 0;

  const fresh = (pair: StoredTokenPair): boolean => clock.now().getTime() < pair.accessExpiresAt.getTime() - marginMs;

  async function reload(): Promise<StoredTokenPair> {
    const pair = await store.load(id);
    if (pair === null) {
      throw new ZaloApiError('config', TOKENS_CALL, undefined, 'no Zalo OA token pair is stored (npm run zalo:tokens)');
    }
    current = pair;
    return pair;
  }

  function refresh(stale: string): Promise<StoredTokenPair> {
    inflight ??= refreshOnce(stale).finally(() => {
      inflight = null;
    });
    return inflight;
  }

  async function refreshOnce(stale: string): Promise<StoredTokenPair> {
    // The store is the truth: another process (or the admin's CLI) may have stored a newer pair.
    const stored = await reload();
    if (stored.accessToken !== stale && fresh(stored)) return stored;
    if (stored.refreshToken === refused) {
      throw new ZaloApiError('config', TOKENS_CALL, undefined, 'the stored refresh token was refused by Zalo');
    }

    let next;
    try {
      next = await oauth.refresh(stored.refreshToken, clock.now());
    } catch (error) {
      // Perhaps another process spent this refresh token first: then its pair is stored by now.
      const after = await store.load(id);
      if (after !== null && after.version !== stored.version) {
        current = after;
        logger.info({ version: after.version }, 'zalo oa token pair refreshed by another process, using it');
        return after;
      }
      if (error instanceof ZaloApiError && error.kind === 'config') {
        refused = stored.refreshToken;
        logger.error(
          { call: error.call, errCode: error.code, accessExpiresAt: stored.accessExpiresAt.toISOString() },
          'ZALO OA TOKEN REFRESH REFUSED: the bot cannot send on Zalo until an admin stores a new token pair ' +
            '(see README "Zalo": npm run zalo:tokens)',
        );
      } else {
        logger.warn(
          { errName: error instanceof Error ? error.name : typeof error, ...errorCode(error) },
          'zalo oa token refresh failed, will retry',
        );
      }
      throw error;
    }

    // Stored before use: if the process dies right after, the next start has the new (valid) pair.
    const version = await store.swap(id, next, stored.version);
    if (version === null) {
      const winner = await reload();
      logger.info({ version: winner.version }, 'zalo oa token pair: another process stored one first, using it');
      return winner;
    }
    current = { ...next, version };
    logger.info(
      { version, accessExpiresAt: next.accessExpiresAt.toISOString() },
      'zalo oa access token refreshed and stored',
    );
    return current;
  }

  return {
    async accessToken() {
      // Read the store on every send (one primary-key read): a pair an admin stored with `npm run zalo:tokens`, or
      // another instance refreshed, is used at once rather than after Zalo refuses the one held here.
      const pair = await reload();
      if (fresh(pair)) return pair.accessToken;
      const now = clock.now().getTime();
      const stillValid = now < pair.accessExpiresAt.getTime();
      if (stillValid && now < quietUntil) return pair.accessToken;
      try {
        return (await refresh(pair.accessToken)).accessToken;
      } catch (error) {
        // Within the margin the old token still works: use it, and try the refresh again a little later.
        const latest = current ?? pair;
        if (clock.now().getTime() < latest.accessExpiresAt.getTime()) {
          quietUntil = clock.now().getTime() + RETRY_EARLY_REFRESH_MS;
          return latest.accessToken;
        }
        throw error;
      }
    },

    async renew(rejected) {
      if (current !== null && current.accessToken !== rejected && fresh(current)) return current.accessToken;
      return (await refresh(rejected)).accessToken;
    },

    async status() {
      const pair = await store.load(id);
      if (pair === null) return null;
      current = pair;
      return { accessExpiresAt: pair.accessExpiresAt, refreshExpiresAt: pair.refreshExpiresAt };
    },
  };
}

function errorCode(error: unknown): { errCode?: number | string } {
  return error instanceof ZaloApiError && error.code !== undefined ? { errCode: error.code } : {};
}
