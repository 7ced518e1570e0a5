import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config.ts';

const TOKEN = '123456789:AAFakeTokenForTests_abcdefghijklmno';
const SECRET = 'webhook-secret-for-tests_0123456789';
const ZALO_OA = {
  ZALO_OA_APP_ID: '2468013579246801357',
  ZALO_OA_SECRET_KEY: 'oa-secret-key-for-tests',
  ZALO_APP_SECRET: 'app-secret-key-for-tests',
};
const ZALO_BOT_TOKEN = '1234567890:zalo-bot-token-for-tests';

/** The ConfigError parseConfig throws for env (fails the test if it does not throw one). */
function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected parseConfig to reject the configuration');
}

describe('parseConfig defaults', () => {
  it('runs on SQLite, in Vietnamese, on the console, with a 24-hour conversation timeout when nothing is set', () => {
    const config = parseConfig({});
    expect(config.databaseUrl).toBe('file:./data/bot.db');
    expect(config.defaultLanguage).toBe('vi');
    expect(config.conversationTimeoutMs).toBe(24 * 60 * 60 * 1000);
    expect(config.telegram).toBeUndefined();
    expect(config.zaloOa).toBeUndefined();
    expect(config.zaloBot).toBeUndefined();
    expect(config.areasFile).toBe('prisma/data/areas.thai-nguyen-2025.json');
    expect(config.inboundRetentionMs).toBe(7 * 24 * 60 * 60 * 1000);
    expect(config.http).toEqual({
      enabled: false,
      host: '0.0.0.0',
      port: 8080,
      bodyLimitBytes: 1024 * 1024,
      headersTimeoutMs: 10_000,
      bodyTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      maxConnections: 512,
    });
    expect(config.databaseCreate).toBe(false);
    expect(config.shutdownTimeoutMs).toBe(10_000);
    expect(config.logFile).toBeUndefined();
    expect(config.console).toEqual({ userId: undefined, role: undefined });
    expect(config.logLevel).toBeUndefined();
  });

  it('treats empty and blank values as unset', () => {
    const blank = parseConfig({
      DATABASE_URL: '',
      DEFAULT_LANGUAGE: '',
      CONVERSATION_TIMEOUT_MINUTES: ' ',
      TELEGRAM_BOT_TOKEN: '',
      TELEGRAM_MODE: '',
      TELEGRAM_WEBHOOK_SECRET: '',
      HTTP_PORT: '   ',
      LOG_LEVEL: '',
      CONSOLE_USER: '',
      ZALO_OA_APP_ID: '',
      ZALO_OA_SECRET_KEY: ' ',
      ZALO_APP_SECRET: '',
      ZALO_BOT_TOKEN: '',
      ZALO_BOT_MODE: '',
      UNRELATED: undefined,
    });
    expect(blank).toEqual(parseConfig({}));
  });

  it('ignores unrelated environment variables', () => {
    expect(parseConfig({ PATH: '/usr/bin', HOME: '/root' })).toEqual(parseConfig({}));
  });
});

describe('parseConfig with values', () => {
  it('reads PostgreSQL, English, a custom timeout and port', () => {
    const config = parseConfig({
      DATABASE_URL: 'postgresql://bot:pw@db:5432/bot',
      DEFAULT_LANGUAGE: 'en',
      CONVERSATION_TIMEOUT_MINUTES: '30',
      HTTP_PORT: '3000',
      HTTP_ENABLED: 'true',
      LOG_LEVEL: 'debug',
      CONSOLE_USER: 'lan',
      CONSOLE_ROLE: 'officer',
    });
    expect(config.databaseUrl).toBe('postgresql://bot:pw@db:5432/bot');
    expect(config.defaultLanguage).toBe('en');
    expect(config.conversationTimeoutMs).toBe(30 * 60 * 1000);
    expect(config.http.port).toBe(3000);
    expect(config.http.enabled).toBe(true);
    expect(config.logLevel).toBe('debug');
    expect(config.console).toEqual({ userId: 'lan', role: 'officer' });
  });

  it('reads the job runner settings, with defaults, and refuses nonsense', () => {
    expect(parseConfig({}).jobs).toEqual({
      pollMs: 5000,
      maxAttempts: 5,
      leaseMs: 600_000,
      retentionMs: 30 * 24 * 60 * 60 * 1000,
    });
    expect(
      parseConfig({ JOBS_POLL_MS: '250', JOBS_MAX_ATTEMPTS: '3', JOBS_LEASE_SECONDS: '60', JOBS_RETENTION_DAYS: '7' })
        .jobs,
    ).toEqual({ pollMs: 250, maxAttempts: 3, leaseMs: 60_000, retentionMs: 7 * 24 * 60 * 60 * 1000 });
    expect(configError({ JOBS_POLL_MS: '0', JOBS_MAX_ATTEMPTS: 'many', JOBS_LEASE_SECONDS: '1' }).problems).toEqual([
      expect.stringMatching(/^JOBS_POLL_MS: /),
      expect.stringMatching(/^JOBS_MAX_ATTEMPTS: /),
      expect.stringMatching(/^JOBS_LEASE_SECONDS: /),
    ]);
  });

  it('reads the product listings settings, with defaults, and refuses nonsense naming the variable', () => {
    expect(parseConfig({}).products).toEqual({
      draftDays: 7,
      reportsPerDay: 5,
      ocopHour: 8,
      reporterSecret: undefined,
    });
    expect(
      parseConfig({
        LISTING_DRAFT_DAYS: '14',
        LISTING_REPORTS_PER_DAY: '3',
        LISTING_OCOP_HOUR: '9',
        LISTING_REPORTER_SECRET: 'a-long-enough-secret',
      }).products,
    ).toEqual({ draftDays: 14, reportsPerDay: 3, ocopHour: 9, reporterSecret: 'a-long-enough-secret' });
    const error = configError({
      LISTING_DRAFT_DAYS: '0',
      LISTING_REPORTS_PER_DAY: 'lots',
      LISTING_OCOP_HOUR: '24',
      LISTING_REPORTER_SECRET: 'short',
    });
    expect(error.problems).toEqual([
      expect.stringMatching(/^LISTING_DRAFT_DAYS: /),
      expect.stringMatching(/^LISTING_REPORTS_PER_DAY: /),
      expect.stringMatching(/^LISTING_OCOP_HOUR: /),
      expect.stringMatching(/^LISTING_REPORTER_SECRET: /),
    ]);
    expect(error.problems.join('\n')).not.toContain('short');
  });

  it('reads the outbox settings, with defaults, and refuses nonsense', () => {
    const outbox = parseConfig({}).outbox;
    expect(outbox).toMatchObject({
      pollMs: 1000,
      batchSize: 100,
      maxAttempts: 5,
      leaseMs: 60_000,
      retentionMs: 30 * 24 * 60 * 60 * 1000,
    });
    expect(outbox.rates.telegram).toEqual({ overallPerSecond: 25, chatPerSecond: 1, chatBurst: 3 });
    expect(outbox.rates.zalo).toEqual({ overallPerSecond: 10, chatPerSecond: 1, chatBurst: 3 });
    expect(parseConfig({ OUTBOX_RETENTION_DAYS: '7', OUTBOX_CHAT_BURST: '5' }).outbox).toMatchObject({
      retentionMs: 7 * 24 * 60 * 60 * 1000,
      rates: { zalobot: { overallPerSecond: 10, chatPerSecond: 1, chatBurst: 5 } },
    });
    expect(configError({ OUTBOX_RETENTION_DAYS: '0', OUTBOX_TELEGRAM_RATE: 'fast' }).problems).toEqual([
      expect.stringMatching(/^OUTBOX_RETENTION_DAYS: /),
      expect.stringMatching(/^OUTBOX_TELEGRAM_RATE: /),
    ]);
  });

  it('reads the operations settings (HTTP limits, shutdown, database creation, log file) and refuses nonsense', () => {
    const config = parseConfig({
      HTTP_HEADERS_TIMEOUT_MS: '2000',
      HTTP_BODY_TIMEOUT_MS: '3000',
      HTTP_REQUEST_TIMEOUT_MS: '6000',
      HTTP_MAX_CONNECTIONS: '100',
      SHUTDOWN_TIMEOUT_MS: '4000',
      DATABASE_CREATE: 'true',
      LOG_FILE: './data/bot.log',
    });
    expect(config.http).toMatchObject({
      headersTimeoutMs: 2000,
      bodyTimeoutMs: 3000,
      requestTimeoutMs: 6000,
      maxConnections: 100,
    });
    expect(config).toMatchObject({ shutdownTimeoutMs: 4000, databaseCreate: true, logFile: './data/bot.log' });
    expect(
      configError({ HTTP_BODY_TIMEOUT_MS: '0', HTTP_MAX_CONNECTIONS: 'lots', DATABASE_CREATE: 'yes' }).problems,
    ).toEqual([
      expect.stringMatching(/^DATABASE_CREATE: must be true or false/),
      expect.stringMatching(/^HTTP_BODY_TIMEOUT_MS: /),
      expect.stringMatching(/^HTTP_MAX_CONNECTIONS: /),
    ]);
  });

  it('uses Telegram long polling when only a token is set', () => {
    expect(parseConfig({ TELEGRAM_BOT_TOKEN: TOKEN }).telegram).toEqual({
      token: TOKEN,
      mode: 'polling',
      apiRoot: 'https://api.telegram.org',
      webhook: undefined,
    });
  });

  it('sets up a Telegram webhook with its secret, path and public URL', () => {
    const config = parseConfig({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/telegram/webhook',
    });
    expect(config.telegram?.mode).toBe('webhook');
    expect(config.telegram?.webhook).toEqual({
      secret: SECRET,
      path: '/telegram/webhook',
      publicUrl: 'https://bot.example.org/telegram/webhook',
    });
  });

  it('does not ask for a webhook secret when Telegram is off', () => {
    expect(parseConfig({ TELEGRAM_MODE: 'webhook' }).telegram).toBeUndefined();
  });

  it('turns the Zalo Official Account on with its app id and secrets, on Zalo’s hosts by default', () => {
    expect(parseConfig(ZALO_OA).zaloOa).toEqual({
      appId: ZALO_OA.ZALO_OA_APP_ID,
      oaSecretKey: ZALO_OA.ZALO_OA_SECRET_KEY,
      appSecret: ZALO_OA.ZALO_APP_SECRET,
      webhookPath: '/zalo/oa/webhook',
      apiBase: 'https://openapi.zalo.me',
      oauthBase: 'https://oauth.zaloapp.com',
      eventMaxAgeMs: 15 * 60_000,
    });
    const proxied = parseConfig({
      ...ZALO_OA,
      ZALO_OA_WEBHOOK_PATH: '/hooks/zalo',
      ZALO_OA_API_BASE: 'http://127.0.0.1:9000',
      ZALO_OAUTH_BASE: 'http://127.0.0.1:9001',
    }).zaloOa;
    expect(proxied).toMatchObject({
      webhookPath: '/hooks/zalo',
      apiBase: 'http://127.0.0.1:9000',
      oauthBase: 'http://127.0.0.1:9001',
    });
  });

  it('refuses Zalo OA events older than ZALO_OA_EVENT_MAX_AGE_SECONDS, at most a day (de-duplication keeps ids longer)', () => {
    expect(parseConfig({ ...ZALO_OA, ZALO_OA_EVENT_MAX_AGE_SECONDS: '60' }).zaloOa?.eventMaxAgeMs).toBe(60_000);
    expect(() => parseConfig({ ...ZALO_OA, ZALO_OA_EVENT_MAX_AGE_SECONDS: '172800' })).toThrow(
      /ZALO_OA_EVENT_MAX_AGE_SECONDS/,
    );
    expect(parseConfig({}).inbound).toEqual({ leaseMs: 30_000, pollMs: 2_000, maxAttempts: 6 });
    expect(() => parseConfig({ INBOUND_LEASE_SECONDS: '0' })).toThrow(/INBOUND_LEASE_SECONDS/);
  });

  it('uses the Zalo Bot Platform with long polling when only its token is set', () => {
    expect(parseConfig({ ZALO_BOT_TOKEN }).zaloBot).toEqual({
      token: ZALO_BOT_TOKEN,
      mode: 'polling',
      apiBase: 'https://bot-api.zaloplatforms.com',
      webhook: undefined,
    });
  });

  it('sets up a Zalo Bot Platform webhook with its secret, path and public URL', () => {
    expect(
      parseConfig({
        ZALO_BOT_TOKEN,
        ZALO_BOT_MODE: 'webhook',
        ZALO_BOT_WEBHOOK_SECRET: SECRET,
        ZALO_BOT_WEBHOOK_URL: 'https://bot.example.org',
      }).zaloBot?.webhook,
    ).toEqual({ secret: SECRET, path: '/zalo/bot/webhook', publicUrl: 'https://bot.example.org' });
  });

  it('runs Telegram, the Zalo OA and the Zalo bot together', () => {
    const config = parseConfig({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      ...ZALO_OA,
      ZALO_BOT_TOKEN,
      ZALO_BOT_MODE: 'webhook',
      ZALO_BOT_WEBHOOK_SECRET: SECRET,
    });
    expect(config.telegram?.webhook?.path).toBe('/telegram/webhook');
    expect(config.zaloOa?.webhookPath).toBe('/zalo/oa/webhook');
    expect(config.zaloBot?.webhook?.path).toBe('/zalo/bot/webhook');
  });
});

describe('parseConfig errors', () => {
  it.each([
    ['HTTP_PORT', { HTTP_PORT: 'abc' }],
    ['HTTP_PORT', { HTTP_PORT: '70000' }],
    ['HTTP_ENABLED', { HTTP_ENABLED: 'yes' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }],
    ['TELEGRAM_BOT_TOKEN', { TELEGRAM_BOT_TOKEN: 'garbage' }],
    ['TELEGRAM_WEBHOOK_SECRET', { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_MODE: 'webhook' }],
    ['TELEGRAM_MODE', { TELEGRAM_MODE: 'hook' }],
    ['TELEGRAM_WEBHOOK_URL', { TELEGRAM_WEBHOOK_URL: 'http://bot.example.org/hook' }],
    ['DEFAULT_LANGUAGE', { DEFAULT_LANGUAGE: 'fr' }],
    ['CONVERSATION_TIMEOUT_MINUTES', { CONVERSATION_TIMEOUT_MINUTES: '0' }],
    ['CONSOLE_ROLE', { CONSOLE_ROLE: 'root' }],
    ['ZALO_OA_APP_ID', { ...ZALO_OA, ZALO_OA_APP_ID: 'my-app' }],
    ['ZALO_OA_APP_ID', { ZALO_OA_SECRET_KEY: ZALO_OA.ZALO_OA_SECRET_KEY, ZALO_APP_SECRET: ZALO_OA.ZALO_APP_SECRET }],
    ['ZALO_OA_SECRET_KEY', { ...ZALO_OA, ZALO_OA_SECRET_KEY: 'short' }],
    ['ZALO_APP_SECRET', { ZALO_OA_APP_ID: ZALO_OA.ZALO_OA_APP_ID, ZALO_OA_SECRET_KEY: ZALO_OA.ZALO_OA_SECRET_KEY }],
    ['ZALO_OA_WEBHOOK_PATH', { ...ZALO_OA, ZALO_OA_WEBHOOK_PATH: 'zalo' }],
    ['ZALO_OA_WEBHOOK_PATH', { ...ZALO_OA, ZALO_OA_WEBHOOK_PATH: '/healthz' }],
    ['ZALO_OA_API_BASE', { ...ZALO_OA, ZALO_OA_API_BASE: 'openapi.zalo.me' }],
    ['ZALO_OAUTH_BASE', { ZALO_OAUTH_BASE: 'not a url' }],
    ['ZALO_BOT_TOKEN', { ZALO_BOT_TOKEN: 'has spaces in it' }],
    ['ZALO_BOT_MODE', { ZALO_BOT_MODE: 'hook' }],
    ['ZALO_BOT_WEBHOOK_SECRET', { ZALO_BOT_TOKEN, ZALO_BOT_MODE: 'webhook' }],
    ['ZALO_BOT_WEBHOOK_SECRET', { ZALO_BOT_TOKEN, ZALO_BOT_MODE: 'webhook', ZALO_BOT_WEBHOOK_SECRET: 'a b' }],
    ['ZALO_BOT_WEBHOOK_URL', { ZALO_BOT_WEBHOOK_URL: 'http://bot.example.org' }],
    [
      'ZALO_BOT_WEBHOOK_PATH',
      {
        ...ZALO_OA,
        ZALO_BOT_TOKEN,
        ZALO_BOT_MODE: 'webhook',
        ZALO_BOT_WEBHOOK_SECRET: SECRET,
        ZALO_BOT_WEBHOOK_PATH: '/zalo/oa/webhook',
      },
    ],
  ])('names %s when it is wrong', (variable, env: Record<string, string>) => {
    const error = configError(env);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(new RegExp(`^${variable}: `));
    expect(error.message).toContain(variable);
  });

  it('reports every problem at once', () => {
    const error = configError({
      HTTP_PORT: 'abc',
      DATABASE_URL: 'mysql://x',
      DEFAULT_LANGUAGE: 'fr',
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_MODE: 'webhook',
    });
    const variables = error.problems.map((p) => p.split(':')[0]).sort();
    expect(variables).toEqual(['DATABASE_URL', 'DEFAULT_LANGUAGE', 'HTTP_PORT', 'TELEGRAM_WEBHOOK_SECRET']);
    for (const variable of variables) expect(error.message).toContain(variable);
  });

  it('never echoes a value, which may be a secret', () => {
    const badToken = 'garbage-token-Zq9x';
    const badSecret = 'short!!';
    const dbPassword = 'hunter2-db-password';
    const error = configError({
      TELEGRAM_BOT_TOKEN: badToken,
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET: badSecret,
      DATABASE_URL: `mysql://bot:${dbPassword}@db/bot`,
    });
    expect(error.problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'DATABASE_URL',
      'TELEGRAM_BOT_TOKEN',
      'TELEGRAM_WEBHOOK_SECRET',
    ]);
    for (const value of [badToken, badSecret, dbPassword]) {
      expect(error.message).not.toContain(value);
      expect(error.problems.join('\n')).not.toContain(value);
    }
  });

  it('asks for every missing Zalo OA variable at once, and echoes none of the given ones', () => {
    const error = configError({ ZALO_OA_SECRET_KEY: ZALO_OA.ZALO_OA_SECRET_KEY });
    expect(error.problems.map((p) => p.split(':')[0]).sort()).toEqual(['ZALO_APP_SECRET', 'ZALO_OA_APP_ID']);
    expect(error.message).toContain('Zalo Official Account');
    expect(error.message).not.toContain(ZALO_OA.ZALO_OA_SECRET_KEY);
    const bad = configError({ ...ZALO_OA, ZALO_OA_SECRET_KEY: 'Qz7!xk', ZALO_BOT_TOKEN: 'bad token here' });
    expect(bad.message).not.toContain('Qz7!xk');
    expect(bad.message).not.toContain(ZALO_OA.ZALO_APP_SECRET);
    expect(bad.message).not.toContain('bad token here');
  });

  it('does not echo a valid token or secret when another value is wrong', () => {
    const error = configError({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      HTTP_PORT: 'abc',
    });
    expect(error.message).not.toContain(TOKEN);
    expect(error.message).not.toContain(SECRET);
  });
});

describe('files and photos', () => {
  it('stores photos under data/files, up to 10 MiB each and 50 per member, purging unkept ones after 7 days', () => {
    expect(parseConfig({}).files).toEqual({
      dir: './data/files',
      maxBytes: 10 * 1024 * 1024,
      perMemberMax: 50,
      orphanDays: 7,
      albumGapMs: 1500,
    });
    expect(
      parseConfig({
        FILES_DIR: '/srv/hoivien/files',
        FILE_MAX_BYTES: '5000000',
        FILES_PER_MEMBER_MAX: '10',
        FILES_ORPHAN_DAYS: '30',
        ALBUM_GAP_MS: '3000',
      }).files,
    ).toEqual({ dir: '/srv/hoivien/files', maxBytes: 5_000_000, perMemberMax: 10, orphanDays: 30, albumGapMs: 3000 });
  });

  it('refuses a purge shorter than a conversation (a photo of an open conversation would go), and odd values', () => {
    expect(configError({ FILES_ORPHAN_DAYS: '1', CONVERSATION_TIMEOUT_MINUTES: '2880' }).problems).toEqual([
      'FILES_ORPHAN_DAYS: must be longer than CONVERSATION_TIMEOUT_MINUTES (a photo of an open conversation)',
    ]);
    const problems = configError({ FILE_MAX_BYTES: '0', ALBUM_GAP_MS: '10', FILES_PER_MEMBER_MAX: 'many' }).problems;
    expect(problems.map((p) => p.split(':')[0])).toEqual(['FILE_MAX_BYTES', 'FILES_PER_MEMBER_MAX', 'ALBUM_GAP_MS']);
  });
});

describe('.env.example', () => {
  it('documents every variable the configuration reads', async () => {
    const { readFile } = await import('node:fs/promises');
    const example = await readFile(new URL('../.env.example', import.meta.url), 'utf8');
    const documented = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    const { CONFIG_VARIABLES } = await import('../src/config.ts');
    expect(CONFIG_VARIABLES.length).toBeGreaterThan(20);
    expect(CONFIG_VARIABLES.filter((name) => !documented.has(name))).toEqual([]);
  });
});

describe('the public catalogue (PUBLIC_BASE_URL, CATALOGUE_MAX_AGE_SECONDS)', () => {
  it('defaults to root-relative photo URLs and a 30-second public lifetime', () => {
    expect(parseConfig({}).catalogue).toEqual({ publicBaseUrl: undefined, maxAgeSeconds: 30 });
  });

  it('takes an http(s) base URL without its trailing slash, and a lifetime up to 60 s', () => {
    const config = parseConfig({ PUBLIC_BASE_URL: 'https://hoivien.example.org/', CATALOGUE_MAX_AGE_SECONDS: '60' });
    expect(config.catalogue).toEqual({ publicBaseUrl: 'https://hoivien.example.org', maxAgeSeconds: 60 });
  });

  it('refuses another scheme, a lifetime over 60 s or a negative one, naming the variable', () => {
    expect(configError({ PUBLIC_BASE_URL: 'ftp://example.org' }).problems).toEqual([
      'PUBLIC_BASE_URL: must be an http:// or https:// URL',
    ]);
    expect(configError({ PUBLIC_BASE_URL: 'not a url' }).problems[0]).toMatch(/^PUBLIC_BASE_URL: /);
    expect(configError({ PUBLIC_BASE_URL: 'https://example.org/?x=1' }).problems).toEqual([
      'PUBLIC_BASE_URL: must have no query string or fragment (photo paths are appended to it)',
    ]);
    expect(parseConfig({ PUBLIC_BASE_URL: 'https://example.org/bot/' }).catalogue.publicBaseUrl).toBe(
      'https://example.org/bot',
    );
    for (const bad of ['61', '-1', 'soon']) {
      expect(configError({ CATALOGUE_MAX_AGE_SECONDS: bad }).problems[0]).toMatch(/^CATALOGUE_MAX_AGE_SECONDS: /);
    }
  });
});

describe("the bot's chat links on the catalogue (TELEGRAM_BOT_USERNAME, ZALO_OA_URL)", () => {
  it('are unset by default; a username becomes its t.me address, the Zalo OA address is kept', () => {
    expect(parseConfig({}).chatLinks).toEqual({ telegram: undefined, zalo: undefined });
    expect(
      parseConfig({ TELEGRAM_BOT_USERNAME: '@HoiVienTNbot', ZALO_OA_URL: 'https://zalo.me/1234567890123456789/' })
        .chatLinks,
    ).toEqual({ telegram: 'https://t.me/HoiVienTNbot', zalo: 'https://zalo.me/1234567890123456789' });
  });

  it('refuses a username that is no bot username and an address that is not zalo.me, naming the variable', () => {
    for (const bad of ['HoiVien TN bot', 'HoiVienTN', 'bot', 'https://t.me/HoiVienTNbot']) {
      expect(configError({ TELEGRAM_BOT_USERNAME: bad }).problems[0], bad).toMatch(/^TELEGRAM_BOT_USERNAME: /);
    }
    for (const bad of ['http://zalo.me/123', 'https://example.org/123', 'https://zalo.me/123?x=1', 'zalo.me/123']) {
      expect(configError({ ZALO_OA_URL: bad }).problems[0], bad).toMatch(/^ZALO_OA_URL: /);
    }
  });
});
