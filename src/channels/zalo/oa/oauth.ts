// Zalo's OAuth v4 for Official Accounts, the one call the bot makes: trade the (single-use) refresh token for a new
// access token + refresh token pair. POST <oauth base>/v4/oa/access_token, header `secret_key` (the app's secret),
// form `app_id`, `grant_type=refresh_token`, `refresh_token`. Zalo answers 200 either way: a pair, or `{error: <code>}`.
import { z } from 'zod';
import type { TokenPair } from '../../../domain/credentials.ts';
import { requestJson, ZaloApiError, type FetchFn } from '../http.ts';

/** Zalo's documented lifetime of a refresh token (3 months), used when the answer does not say. */
export const REFRESH_TOKEN_LIFETIME_MS = 90 * 86_400_000;

const seconds = z.union([z.number().int().positive(), z.string().regex(/^\d+$/).transform(Number)]);

// z.object (unknown keys stripped), so the two answers can be told apart with `in`.
const Granted = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  /** Seconds; Zalo sends it as a string ("90000" = 25 h). */
  expires_in: seconds,
  refresh_token_expires_in: seconds.optional(),
});
const Refused = z.object({
  error: z.union([z.number().int(), z.string()]),
  error_name: z.string().optional(),
  error_reason: z.string().optional(),
  error_description: z.string().optional(),
});
const Answer = z.union([Granted, Refused]);

export interface OAuthOptions {
  /** Default https://oauth.zaloapp.com */
  oauthBase: string;
  appId: string;
  /** The app's secret key (developers.zalo.me → the app → Settings), not the OA secret key of the webhook. */
  appSecret: string;
  timeoutMs: number;
  fetch?: FetchFn;
}

export interface OAuthClient {
  /**
   * The new pair for `refreshToken` (which Zalo then considers spent). Throws ZaloApiError 'config' when Zalo refuses
   * (expired, revoked or already used refresh token, wrong app id or secret), 'retry' on network or server trouble.
   */
  refresh(refreshToken: string, now: Date): Promise<TokenPair>;
}

export const OAUTH_CALL = 'oauth/v4/oa/access_token';

export function createOAuthClient(options: OAuthOptions): OAuthClient {
  const url = `${options.oauthBase.replace(/\/+$/, '')}/v4/oa/access_token`;
  return {
    async refresh(refreshToken, now) {
      const answer = await requestJson({
        call: OAUTH_CALL,
        url,
        timeoutMs: options.timeoutMs,
        schema: Answer,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        init: {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: options.appSecret },
          body: new URLSearchParams({
            app_id: options.appId,
            grant_type: 'refresh_token',
            refresh_token: refreshToken,
          }).toString(),
        },
      });
      if (!('access_token' in answer)) {
        // error_name ("Invalid parameter", ...) is Zalo's category and safe to log; the description may not be.
        const name = answer.error_name === undefined ? '' : ` (${answer.error_name.slice(0, 60)})`;
        throw new ZaloApiError('config', OAUTH_CALL, answer.error, `Zalo refused the refresh token${name}`);
      }
      const refreshLifetimeMs =
        answer.refresh_token_expires_in === undefined
          ? REFRESH_TOKEN_LIFETIME_MS
          : answer.refresh_token_expires_in * 1000;
      return {
        accessToken: answer.access_token,
        refreshToken: answer.refresh_token,
        accessExpiresAt: new Date(now.getTime() + answer.expires_in * 1000),
        refreshExpiresAt: new Date(now.getTime() + refreshLifetimeMs),
      };
    },
  };
}
