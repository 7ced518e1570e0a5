import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseTokenArgs, storedSummary, storeTokenPair } from '../../src/cli/zalo-tokens.ts';
import { createCredentialStore } from '../../src/data/credentialStore.ts';
import { zaloOaCredentialId } from '../../src/domain/credentials.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';

const ACCESS = 'access-token-from-zalo-oauth-0123456789';
const REFRESH = 'refresh-token-from-zalo-oauth-9876543210';
const ROOT = path.resolve(import.meta.dirname, '../..');

describe('zalo:tokens arguments', () => {
  it('reads the pair and the access token lifetime (25 h by default)', () => {
    expect(parseTokenArgs(['--access-token', ACCESS, '--refresh-token', REFRESH])).toEqual({
      ok: true,
      accessToken: ACCESS,
      refreshToken: REFRESH,
      expiresInSeconds: 90_000,
    });
    expect(
      parseTokenArgs([`--access-token=${ACCESS}`, `--refresh-token=${REFRESH}`, '--expires-in', '3600']),
    ).toMatchObject({
      ok: true,
      expiresInSeconds: 3600,
    });
  });

  it.each([
    [[], /--access-token is required\n--refresh-token is required/],
    [['--access-token', ACCESS], /--refresh-token is required/],
    [
      ['--access-token', 'x', '--refresh-token', REFRESH],
      /--access-token does not look like a token: expected one word of at least 16 characters, no spaces .*; got 1 characters/,
    ],
    [
      ['--access-token', `${ACCESS} ${ACCESS}`, '--refresh-token', REFRESH],
      /--access-token does not look like a token/,
    ],
    [['--stdin', '--access-token', ACCESS], /give no --access-token or --refresh-token with it/],
    [['--access-token', ACCESS, '--refresh-token', ACCESS], /are the same/],
    [['--access-token', ACCESS, '--refresh-token', REFRESH, '--expires-in', 'soon'], /--expires-in must be/],
    [['--access-token', ACCESS, '--refresh-token', REFRESH, '--expires-in', '10'], /--expires-in must be/],
    [['--acess-token', ACCESS], /unknown option/],
    [[ACCESS, REFRESH], /unexpected argument/],
    [['--access-token'], /missing its value/],
  ])('refuses %j with a clear message that never repeats a token', (args, problem) => {
    const result = parseTokenArgs(args);
    expect(result.ok).toBe(false);
    const message = result.ok ? '' : result.problem;
    expect(message).toMatch(problem);
    expect(message).not.toContain(ACCESS);
    expect(message).not.toContain(REFRESH);
  });
});

describe('zalo:tokens --stdin (the tokens appear in no argument, banner or history)', () => {
  it("reads Zalo's JSON answer as the token request returns it, expires_in included", () => {
    const answer = JSON.stringify({ access_token: ACCESS, refresh_token: REFRESH, expires_in: '3600' });
    expect(parseTokenArgs(['--stdin'], `${answer}\n`)).toEqual({
      ok: true,
      accessToken: ACCESS,
      refreshToken: REFRESH,
      expiresInSeconds: 3600,
    });
    // --expires-in wins over the answer's.
    expect(parseTokenArgs(['--stdin', '--expires-in', '7200'], answer)).toMatchObject({ expiresInSeconds: 7200 });
  });

  it('reads the two tokens on two lines (access, then refresh), the lifetime 25 h by default', () => {
    expect(parseTokenArgs(['--stdin'], `\n${ACCESS}\r\n${REFRESH}\n`)).toEqual({
      ok: true,
      accessToken: ACCESS,
      refreshToken: REFRESH,
      expiresInSeconds: 90_000,
    });
  });

  it.each([
    ['', /standard input is empty/],
    [`{"access_token":"${ACCESS}"`, /not valid JSON/],
    [JSON.stringify({ access_token: ACCESS }), /the refresh token \(refresh_token\) is required/],
    [JSON.stringify({ access_token: 'short', refresh_token: REFRESH }), /access token .* does not look like a token/],
    [`${ACCESS}\n`, /expected two lines .*got 1/],
    [`${ACCESS}\n${REFRESH}\n${REFRESH}\n`, /expected two lines .*got 3/],
  ])('refuses standard input %j with a message that never repeats a token', (input, problem) => {
    const result = parseTokenArgs(['--stdin'], input);
    expect(result.ok).toBe(false);
    const message = result.ok ? '' : result.problem;
    expect(message).toMatch(problem);
    expect(message).not.toContain(ACCESS);
    expect(message).not.toContain(REFRESH);
    expect(message).not.toContain('short');
  });
});

describe('storing the first pair', () => {
  let db: FreshDatabase;
  beforeEach(async () => {
    db = await freshDatabase();
  });
  afterEach(async () => {
    await db.close();
  });

  it('stores it with its expiry, and replaces a stored pair', async () => {
    const store = createCredentialStore(db.prisma);
    const id = zaloOaCredentialId('123');
    const now = new Date('2026-03-02T08:00:00Z');
    const args = { ok: true as const, accessToken: ACCESS, refreshToken: REFRESH, expiresInSeconds: 90_000 };
    expect((await storeTokenPair(store, id, args, now)).version).toBe(1);
    expect(await store.load(id)).toMatchObject({
      accessToken: ACCESS,
      refreshToken: REFRESH,
      accessExpiresAt: new Date('2026-03-03T09:00:00Z'),
      version: 1,
    });
    await storeTokenPair(store, id, { ...args, accessToken: `${ACCESS}-2` }, now);
    expect(await store.load(id)).toMatchObject({ accessToken: `${ACCESS}-2`, version: 2 });
  });

  it('prints the expiry in TIME_ZONE, in the admin’s language, never as UTC (issue 8, item 8)', () => {
    const pair = {
      accessToken: ACCESS,
      refreshToken: REFRESH,
      accessExpiresAt: new Date('2026-11-30T19:25:00Z'),
      refreshExpiresAt: null,
    };
    const vi = storedSummary('123', 2, pair, 'Asia/Ho_Chi_Minh', 'vi');
    expect(vi).toContain('valid until 02:25 01/12/2026 (Asia/Ho_Chi_Minh)');
    expect(vi).not.toContain(ACCESS);
    expect(storedSummary('123', 2, pair, 'Asia/Ho_Chi_Minh', 'en')).toContain('valid until 1 Dec 2026, 02:25');
  });

  it('as a command: stores the pair in DATABASE_URL and prints no token', () => {
    const env = {
      ...process.env,
      DATABASE_URL: db.url,
      ZALO_OA_APP_ID: '2468013579246801357',
      ZALO_OA_SECRET_KEY: 'oa-secret-key-for-tests',
      ZALO_APP_SECRET: 'app-secret-key-for-tests',
      TIME_ZONE: 'Asia/Ho_Chi_Minh',
      DEFAULT_LANGUAGE: 'vi',
    };
    const tsx = path.join(ROOT, 'node_modules/.bin/tsx');
    const ok = spawnSync(tsx, ['src/cli/zalo-tokens.ts', '--access-token', ACCESS, '--refresh-token', REFRESH], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
    });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('Stored the Zalo OA token pair');
    expect(ok.stdout).toMatch(/valid until \d{2}:\d{2} \d{2}\/\d{2}\/\d{4} \(Asia\/Ho_Chi_Minh\)/);
    expect(ok.stdout + ok.stderr).not.toContain(ACCESS);
    expect(ok.stdout + ok.stderr).not.toContain(REFRESH);

    const bad = spawnSync(tsx, ['src/cli/zalo-tokens.ts', '--access-token', ACCESS], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--refresh-token is required');
    expect(bad.stderr).toContain('Usage: npm run zalo:tokens');

    const unconfigured = spawnSync(
      tsx,
      ['src/cli/zalo-tokens.ts', '--access-token', ACCESS, '--refresh-token', REFRESH],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: db.url, ZALO_OA_APP_ID: '', ZALO_OA_SECRET_KEY: '', ZALO_APP_SECRET: '' },
        encoding: 'utf8',
      },
    );
    expect(unconfigured.status).toBe(2);
    expect(unconfigured.stderr).toContain('ZALO_OA_APP_ID');

    // The documented way: Zalo's answer piped in; the tokens are on no command line.
    const next = { access: `${ACCESS}-next`, refresh: `${REFRESH}-next` };
    const piped = spawnSync(tsx, ['src/cli/zalo-tokens.ts', '--stdin'], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
      input: JSON.stringify({ access_token: next.access, refresh_token: next.refresh, expires_in: '90000' }),
    });
    expect(piped.stderr).toBe('');
    expect(piped.stdout).toContain('Stored the Zalo OA token pair for app 2468013579246801357 (version 2)');
    expect(piped.status).toBe(0);
    expect(piped.stdout).not.toContain(next.access);
  }, 30_000);
});
