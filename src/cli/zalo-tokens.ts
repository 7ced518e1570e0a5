// `npm run zalo:tokens -- --access-token <token> --refresh-token <token> [--expires-in 90000]`: stores the first
// Zalo Official Account token pair (obtained once through Zalo's OAuth, see README "Zalo") in the database, where
// the running bot finds it and keeps it fresh. Run it again to replace a pair Zalo no longer accepts.
// The tokens are never printed.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../config.ts';
import { createCredentialStore } from '../data/credentialStore.ts';
import { zaloOaCredentialId, type CredentialStore, type TokenPair } from '../domain/credentials.ts';
import type { Language } from '../domain/member.ts';
import { formatDateTime } from '../domain/time.ts';
import { openToolDatabase } from './openDatabase.ts';

export const USAGE =
  'Usage: npm run zalo:tokens -- --access-token <token> --refresh-token <token> [--expires-in <seconds>]\n' +
  '  --expires-in   seconds the access token is valid from now (Zalo says expires_in; default 90000 = 25 h)';

/** Zalo's refresh token is valid for 3 months from its issue. */
const REFRESH_LIFETIME_MS = 90 * 86_400_000;

export type ParsedArgs = { ok: true; accessToken: string; refreshToken: string; expiresInSeconds: number };

/** Reads the arguments; a string is the problem to show (with the usage). */
export function parseTokenArgs(argv: readonly string[]): ParsedArgs | { ok: false; problem: string } {
  let values: { 'access-token'?: string; 'refresh-token'?: string; 'expires-in'?: string };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        'access-token': { type: 'string' },
        'refresh-token': { type: 'string' },
        'expires-in': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    // parseArgs's own messages quote the offending argument, which may be a token: say it in our words.
    const code = (error as { code?: unknown }).code;
    const problem =
      code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL'
        ? 'unexpected argument: each token must follow its option'
        : code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'
          ? 'an option is missing its value'
          : 'unknown option (expected --access-token, --refresh-token, --expires-in)';
    return { ok: false, problem };
  }
  const accessToken = values['access-token']?.trim() ?? '';
  const refreshToken = values['refresh-token']?.trim() ?? '';
  const problems: string[] = [];
  if (accessToken === '') problems.push('--access-token is required');
  else if (/\s/.test(accessToken) || accessToken.length < 16)
    problems.push('--access-token does not look like a token');
  if (refreshToken === '') problems.push('--refresh-token is required');
  else if (/\s/.test(refreshToken) || refreshToken.length < 16) {
    problems.push('--refresh-token does not look like a token');
  }
  if (accessToken !== '' && accessToken === refreshToken) problems.push('the access and refresh tokens are the same');
  const rawExpiry = values['expires-in'] ?? '90000';
  const expiresInSeconds = /^\d{1,9}$/.test(rawExpiry) ? Number(rawExpiry) : NaN;
  if (!(expiresInSeconds >= 60 && expiresInSeconds <= 30 * 86_400)) {
    problems.push('--expires-in must be a number of seconds between 60 and 2592000');
  }
  if (problems.length > 0) return { ok: false, problem: problems.join('\n') };
  return { ok: true, accessToken, refreshToken, expiresInSeconds };
}

/** Stores the pair as the current one (replacing any), with the compare-and-swap the running bot also uses. */
export async function storeTokenPair(
  store: CredentialStore,
  credentialId: string,
  args: ParsedArgs,
  now: Date,
): Promise<{ version: number; pair: TokenPair }> {
  const pair: TokenPair = {
    accessToken: args.accessToken,
    refreshToken: args.refreshToken,
    accessExpiresAt: new Date(now.getTime() + args.expiresInSeconds * 1000),
    refreshExpiresAt: new Date(now.getTime() + REFRESH_LIFETIME_MS),
  };
  // A running bot may be swapping at the same moment: try again on the version it left.
  for (let attempt = 1; attempt <= 5; attempt++) {
    const current = await store.load(credentialId);
    const version = await store.swap(credentialId, pair, current?.version ?? 0);
    if (version !== null) return { version, pair };
  }
  throw new Error('the stored pair kept changing while saving; try again');
}

/**
 * What the command prints once the pair is stored: never a token; the access token's expiry in TIME_ZONE (named), in
 * the admin's language format (DEFAULT_LANGUAGE).
 */
export function storedSummary(
  appId: string,
  version: number,
  pair: TokenPair,
  timeZone: string,
  language: Language,
): string {
  return (
    `Stored the Zalo OA token pair for app ${appId} (version ${version}). ` +
    `The access token is valid until ${formatDateTime(pair.accessExpiresAt, timeZone, language)} (${timeZone}); ` +
    'the bot refreshes it from then on.'
  );
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseTokenArgs(argv);
  if (!args.ok) {
    console.error(`${args.problem}\n${USAGE}`);
    return 2;
  }
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : String(error));
    return 2;
  }
  if (config.zaloOa === undefined) {
    console.error(
      'The Zalo Official Account is not configured: set ZALO_OA_APP_ID, ZALO_OA_SECRET_KEY and ZALO_APP_SECRET ' +
        '(in .env or the environment) first.',
    );
    return 2;
  }
  const db = await openToolDatabase(config.databaseUrl, { createDatabase: config.databaseCreate });
  try {
    const { version, pair } = await storeTokenPair(
      createCredentialStore(db.prisma),
      zaloOaCredentialId(config.zaloOa.appId),
      args,
      new Date(),
    );
    console.log(storedSummary(config.zaloOa.appId, version, pair, config.cases.timeZone, config.defaultLanguage));
    return 0;
  } finally {
    await db.close();
  }
}

// Run only as a script (tests import the functions). Exit explicitly: the engine may leave timers behind.
if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`zalo:tokens failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
