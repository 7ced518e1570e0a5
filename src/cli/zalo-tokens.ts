// `npm run zalo:tokens -- --stdin` (Zalo's JSON answer, or the two tokens on two lines, on standard input), or
// `npm run zalo:tokens -- --access-token <token> --refresh-token <token> [--expires-in 90000]`: stores the first
// Zalo Official Account token pair (obtained once through Zalo's OAuth, see README "Zalo") in the database, where
// the running bot finds it and keeps it fresh. Run it again to replace a pair Zalo no longer accepts.
// The tokens are never printed. Standard input is the documented way: options show in the process list, in npm's
// banner ("> hoi-vien-bot@0.1.0 zalo:tokens … --access-token …") and in the shell's history.
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
  'Usage: npm run zalo:tokens -- --stdin [--expires-in <seconds>]     (the tokens on standard input)\n' +
  '       npm run zalo:tokens -- --access-token <token> --refresh-token <token> [--expires-in <seconds>]\n' +
  '  --stdin        read {"access_token","refresh_token","expires_in"} as Zalo returns it, or the access token and\n' +
  "                 the refresh token on two lines (options show in the process list, npm's banner and history)\n" +
  '  --expires-in   seconds the access token is valid from now (Zalo says expires_in; default 90000 = 25 h)';

/** How much standard input --stdin reads at most (Zalo's answer is well under 4 KB). */
export const MAX_STDIN_BYTES = 64 * 1024;

/** What a token looks like, for the message when one does not (the value itself is never repeated). */
const TOKEN_SHAPE = "one word of at least 16 characters, no spaces (Zalo's are a few hundred letters, digits, - and _)";

/** Zalo's refresh token is valid for 3 months from its issue. */
const REFRESH_LIFETIME_MS = 90 * 86_400_000;

export type ParsedArgs = { ok: true; accessToken: string; refreshToken: string; expiresInSeconds: number };

/** Whether the arguments ask for the tokens on standard input (read it, then pass it to parseTokenArgs). */
export function wantsStdin(argv: readonly string[]): boolean {
  return argv.includes('--stdin');
}

/**
 * What --stdin reads: Zalo's JSON answer to the token request (`{"access_token","refresh_token","expires_in"}`,
 * expires_in a number or a string of seconds), or the access token and the refresh token on the first two non-empty
 * lines. A string is the problem to show; it never contains the input.
 */
export function parseTokenInput(
  text: string,
): { accessToken: string; refreshToken: string; expiresIn?: string } | { problem: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { problem: "--stdin: standard input is empty (expected Zalo's JSON answer or two lines)" };
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      return { problem: '--stdin: standard input starts with { but is not valid JSON' };
    }
    const record = parsed as Record<string, unknown>;
    const field = (name: string) => (typeof record[name] === 'string' ? record[name] : '');
    const expires = record['expires_in'];
    return {
      accessToken: field('access_token'),
      refreshToken: field('refresh_token'),
      ...(typeof expires === 'string' || typeof expires === 'number' ? { expiresIn: String(expires) } : {}),
    };
  }
  const lines = trimmed.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length !== 2) {
    return { problem: `--stdin: expected two lines (access token, then refresh token), got ${lines.length}` };
  }
  return { accessToken: lines[0]!, refreshToken: lines[1]! };
}

/**
 * Reads the arguments (and, with --stdin, `input`: what standard input held); a string is the problem to show (with
 * the usage), never containing a token.
 */
export function parseTokenArgs(argv: readonly string[], input?: string): ParsedArgs | { ok: false; problem: string } {
  let values: { 'access-token'?: string; 'refresh-token'?: string; 'expires-in'?: string; stdin?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        'access-token': { type: 'string' },
        'refresh-token': { type: 'string' },
        'expires-in': { type: 'string' },
        stdin: { type: 'boolean' },
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
          : 'unknown option (expected --stdin, --access-token, --refresh-token, --expires-in)';
    return { ok: false, problem };
  }
  let accessToken = values['access-token']?.trim() ?? '';
  let refreshToken = values['refresh-token']?.trim() ?? '';
  let names = { access: '--access-token', refresh: '--refresh-token' };
  let inputExpiry: string | undefined;
  if (values.stdin) {
    if (values['access-token'] !== undefined || values['refresh-token'] !== undefined) {
      return { ok: false, problem: '--stdin reads both tokens: give no --access-token or --refresh-token with it' };
    }
    const read = parseTokenInput(input ?? '');
    if ('problem' in read) return { ok: false, problem: read.problem };
    accessToken = read.accessToken.trim();
    refreshToken = read.refreshToken.trim();
    inputExpiry = read.expiresIn;
    names = { access: 'the access token (access_token)', refresh: 'the refresh token (refresh_token)' };
  }
  const problems: string[] = [];
  const check = (token: string, name: string) => {
    if (token === '') problems.push(`${name} is required`);
    else if (/\s/.test(token) || token.length < 16) {
      problems.push(`${name} does not look like a token: expected ${TOKEN_SHAPE}; got ${token.length} characters`);
    }
  };
  check(accessToken, names.access);
  check(refreshToken, names.refresh);
  if (accessToken !== '' && accessToken === refreshToken) problems.push('the access and refresh tokens are the same');
  // --expires-in wins over the expires_in of Zalo's answer.
  const rawExpiry = values['expires-in'] ?? inputExpiry ?? '90000';
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

/** Standard input up to MAX_STDIN_BYTES (more is refused: it is not a token answer). */
async function readStdin(): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_STDIN_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function main(argv: readonly string[]): Promise<number> {
  let input: string | undefined;
  if (wantsStdin(argv)) {
    input = await readStdin();
    if (input === undefined) {
      console.error(`--stdin: standard input is larger than ${MAX_STDIN_BYTES} bytes, not a token answer\n${USAGE}`);
      return 2;
    }
  }
  const args = parseTokenArgs(argv, input);
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
