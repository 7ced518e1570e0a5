// Configuration, parsed once at start-up. A bad or missing value stops the bot with one line per problem that names
// the variable; values are never echoed (they may be secrets).
import { existsSync } from 'node:fs';
import { z } from 'zod';
import type { DailyWindow } from './domain/broadcasts.ts';
import { LANGUAGES, ROLES } from './domain/member.ts';

const optionalString = z.string().trim().min(1).optional();
const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
/** "true" or "false". */
const booleanFlag = z.enum(['true', 'false'], 'must be true or false').transform((v) => v === 'true');
/** "HH:MM-HH:MM" in TIME_ZONE, start before end (e.g. 07:00-21:00). */
const dailyWindow = z
  .string()
  .trim()
  .transform((value, ctx): DailyWindow => {
    const match = /^([01]?\d|2[0-3]):([0-5]\d)\s*-\s*([01]?\d|2[0-4]):([0-5]\d)$/.exec(value);
    const window = match
      ? {
          start: { hour: Number(match[1]), minute: Number(match[2]) },
          end: { hour: Number(match[3]), minute: Number(match[4]) },
        }
      : null;
    if (!window || window.start.hour * 60 + window.start.minute >= window.end.hour * 60 + window.end.minute) {
      ctx.addIssue({ code: 'custom', message: 'must be a time window such as 07:00-21:00 (start before end)' });
      return z.NEVER;
    }
    return window;
  });
const webhookPath = z.string().regex(/^\/[^\s?#]*$/, 'must be a path starting with /');
const zaloSecret = z.string().trim().min(8, 'looks too short for a Zalo secret key').optional();

/** The Zalo OA variables: set one and the others are required too. */
const ZALO_OA_VARIABLES = ['ZALO_OA_APP_ID', 'ZALO_OA_SECRET_KEY', 'ZALO_APP_SECRET'] as const;

const schema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, 'must start with file: (SQLite) or postgresql:// (PostgreSQL)')
    .default('file:./data/bot.db'),
  DATABASE_CREATE: z.enum(['true', 'false'], 'must be true or false').default('false'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).optional(),
  LOG_FILE: optionalString,
  DEFAULT_LANGUAGE: z.enum(LANGUAGES).default('vi'),
  CONVERSATION_TIMEOUT_MINUTES: positiveInt.default(24 * 60),
  // Flood control (src/conversation/fairQueue.ts): more than FLOOD_MESSAGES messages from one member within
  // FLOOD_WINDOW_SECONDS get her one notice and put her waiting messages behind everyone else's (none is dropped).
  FLOOD_MESSAGES: positiveInt.max(10_000).default(20),
  FLOOD_WINDOW_SECONDS: positiveInt.max(3_600).default(10),
  // Turns (conversation steps) in progress at once in this process; the others wait, fairly, per member.
  TURN_CONCURRENCY: positiveInt.max(1_000).default(16),
  AREAS_FILE: z.string().default('prisma/data/areas.thai-nguyen-2025.json'),
  INBOUND_ID_RETENTION_DAYS: positiveInt.default(7),
  // Stored inbound events (Zalo OA): a claim's lease, how often the store is looked at, tries before "failed".
  INBOUND_LEASE_SECONDS: z.coerce.number().int().min(2).max(3_600).default(30),
  INBOUND_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(2_000),
  INBOUND_MAX_ATTEMPTS: positiveInt.max(100).default(6),
  CASE_ESCALATION_MINUTES: positiveInt.default(120),
  INVITATION_TTL_HOURS: positiveInt.max(720).default(72),
  DIGEST_HOUR: z.coerce.number().int().min(0).max(23).default(7),
  // Vocational courses (README "Courses: seats, waiting list, offers, reminders").
  COURSE_SUPPORT_FILE: z.string().trim().min(1).default('prisma/data/course-support.json'),
  COURSE_OFFER_HOURS: positiveInt.max(24 * 14).default(24),
  COURSE_REMINDER_HOUR: z.coerce.number().int().min(0).max(23).default(8),
  // Product listings (README "Products: listings, review and drafts (the service)").
  LISTING_DRAFT_DAYS: positiveInt.max(90).default(7),
  LISTING_REPORTS_PER_DAY: positiveInt.max(100).default(5),
  LISTING_OCOP_HOUR: z.coerce.number().int().min(0).max(23).default(8),
  LISTING_REPORTER_SECRET: z.string().trim().min(16, 'must be at least 16 characters').optional(),
  BROADCAST_APPROVAL_THRESHOLD: positiveInt.max(10_000_000).default(500),
  BROADCAST_HOURS: dailyWindow.prefault('07:00-21:00'),
  BROADCAST_EXPIRY_DAYS: positiveInt.max(365).default(7),
  BROADCAST_MAX_ATTEMPTS: positiveInt.max(100).default(5),
  BROADCAST_BATCH_SIZE: positiveInt.max(10_000).default(500),
  BROADCAST_CONCURRENCY: positiveInt.max(256).default(8),
  BROADCAST_PROGRESS_MINUTES: positiveInt.max(1440).default(10),
  ZALO_PROMOTION_ENABLED: booleanFlag.default(false),
  ZALO_PROMOTION_HOURS: dailyWindow.prefault('08:00-22:00'),
  ZALO_PROMOTION_DAILY_QUOTA: z.coerce.number().int().min(0).max(10_000_000).default(0),
  TIME_ZONE: z
    .string()
    .refine((tz) => isTimeZone(tz), 'must be an IANA time zone such as Asia/Ho_Chi_Minh')
    .default('Asia/Ho_Chi_Minh'),

  JOBS_POLL_MS: z.coerce.number().int().min(100).max(3_600_000).default(5_000),
  JOBS_MAX_ATTEMPTS: positiveInt.max(100).default(5),
  JOBS_LEASE_SECONDS: z.coerce.number().int().min(10).max(86_400).default(600),
  JOBS_RETENTION_DAYS: positiveInt.default(30),
  OUTBOX_POLL_MS: z.coerce.number().int().min(50).max(600_000).default(1_000),
  OUTBOX_BATCH_SIZE: positiveInt.max(10_000).default(100),
  OUTBOX_MAX_ATTEMPTS: positiveInt.max(100).default(5),
  OUTBOX_LEASE_SECONDS: z.coerce.number().int().min(5).max(86_400).default(60),
  OUTBOX_RETENTION_DAYS: positiveInt.max(36_500).default(30),
  OUTBOX_TELEGRAM_RATE: z.coerce.number().positive().max(10_000).default(25),
  OUTBOX_ZALO_RATE: z.coerce.number().positive().max(10_000).default(10),
  OUTBOX_ZALOBOT_RATE: z.coerce.number().positive().max(10_000).default(10),
  OUTBOX_CHAT_RATE: z.coerce.number().positive().max(1_000).default(1),
  OUTBOX_CHAT_BURST: positiveInt.max(1_000).default(3),
  FILES_DIR: z.string().trim().min(1).default('./data/files'),
  FILE_MAX_BYTES: positiveInt.default(10 * 1024 * 1024),
  FILES_PER_MEMBER_MAX: positiveInt.default(50),
  FILES_ORPHAN_DAYS: positiveInt.max(3650).default(7),
  ALBUM_GAP_MS: z.coerce.number().int().min(100).max(60_000).default(1500),

  // Retention of each kind of record (personal-data registry, README "Personal data"): pruned by maintenance.prune.
  // The outbox's messages: OUTBOX_RETENTION_DAYS above.
  RETENTION_CASES_DAYS: positiveInt.max(36_500).default(730),
  RETENTION_CREDIT_INQUIRIES_DAYS: positiveInt.max(36_500).default(365),
  RETENTION_AUDIT_DAYS: positiveInt.max(36_500).default(1095),
  RETENTION_CONVERSATIONS_DAYS: positiveInt.max(36_500).default(90),

  CONSOLE_USER: optionalString,
  CONSOLE_ROLE: z.enum(ROLES).optional(),

  TELEGRAM_BOT_TOKEN: z
    .string()
    .trim()
    .regex(/^\d+:[\w-]{20,}$/, 'does not look like a bot token from @BotFather (digits:letters)')
    .optional(),
  TELEGRAM_MODE: z.enum(['polling', 'webhook']).default('polling'),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16-256 characters of A-Z, a-z, 0-9, _ and -')
    .optional(),
  TELEGRAM_WEBHOOK_PATH: webhookPath.default('/telegram/webhook'),
  TELEGRAM_WEBHOOK_URL: z.url({ protocol: /^https$/, error: 'must be a public https:// URL' }).optional(),
  TELEGRAM_API_ROOT: z.url().default('https://api.telegram.org'),

  // Zalo Official Account (API v3): on when its app id and secrets are set.
  ZALO_OA_APP_ID: z
    .string()
    .trim()
    .regex(/^\d{1,30}$/, 'must be the numeric app id from developers.zalo.me')
    .optional(),
  ZALO_OA_SECRET_KEY: zaloSecret,
  ZALO_APP_SECRET: zaloSecret,
  ZALO_OA_WEBHOOK_PATH: webhookPath.default('/zalo/oa/webhook'),
  // At most a day: de-duplication keeps ids INBOUND_ID_RETENTION_DAYS (at least 1), so never shorter than this.
  ZALO_OA_EVENT_MAX_AGE_SECONDS: z.coerce.number().int().min(10).max(86_400).default(900),
  ZALO_OA_API_BASE: z.url().default('https://openapi.zalo.me'),
  ZALO_OAUTH_BASE: z.url().default('https://oauth.zaloapp.com'),

  // Zalo Bot Platform: on when its token is set.
  ZALO_BOT_TOKEN: z
    .string()
    .trim()
    .regex(/^[^\s/?#]{8,}$/, 'does not look like a Zalo bot token (no spaces or slashes)')
    .optional(),
  ZALO_BOT_MODE: z.enum(['polling', 'webhook']).default('polling'),
  ZALO_BOT_WEBHOOK_SECRET: z
    .string()
    .regex(/^[\x21-\x7e]{8,256}$/, 'must be 8-256 visible ASCII characters (no spaces)')
    .optional(),
  ZALO_BOT_WEBHOOK_PATH: webhookPath.default('/zalo/bot/webhook'),
  ZALO_BOT_WEBHOOK_URL: z.url({ protocol: /^https$/, error: 'must be a public https:// URL' }).optional(),
  ZALO_BOT_API_BASE: z.url().default('https://bot-api.zaloplatforms.com'),

  // With no channel configured, `npm start` chats in the terminal; HTTP_ENABLED=true serves HTTP instead (the public
  // catalogue and /healthz, no webhook): the catalogue tried locally, or a catalogue-only instance.
  HTTP_ENABLED: z.enum(['true', 'false'], 'must be true or false').default('false'),
  HTTP_HOST: z.string().default('0.0.0.0'),
  HTTP_PORT: port.default(8080),
  HTTP_BODY_LIMIT_BYTES: positiveInt.default(1024 * 1024),
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  HTTP_BODY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  HTTP_MAX_CONNECTIONS: positiveInt.max(100_000).default(512),
  // The public catalogue of product listings (README "Products: publishing (export and public catalogue)").
  PUBLIC_BASE_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .refine((url) => !/[?#]/.test(url), 'must have no query string or fragment (photo paths are appended to it)')
    .optional(),
  CATALOGUE_MAX_AGE_SECONDS: z.coerce.number().int().min(0).max(60).default(30),
  // The bot's public chat addresses, shown on a catalogue product whose seller keeps her phone private (README "Buyers'
  // enquiries through the bot"): the Telegram bot's username (the link t.me/<name>?start=sp<id> opens the chat on the
  // product) and the Zalo Official Account's page (https://zalo.me/<OA id>).
  TELEGRAM_BOT_USERNAME: z
    .string()
    .trim()
    .regex(
      /^@?[A-Za-z][A-Za-z0-9_]{2,29}bot$/i,
      "must be the bot's Telegram username (5-32 letters, digits or _, ending in bot, e.g. HoiVienTNbot)",
    )
    .optional(),
  ZALO_OA_URL: z
    .url({ protocol: /^https$/, error: 'must be an https://zalo.me/<OA id> address' })
    .refine((url) => {
      if (!URL.canParse(url)) return false;
      const parsed = new URL(url);
      return parsed.hostname === 'zalo.me' && /^\/[A-Za-z0-9_-]+\/?$/.test(parsed.pathname) && !/[?#]/.test(url);
    }, 'must be an https://zalo.me/<OA id> address (no query string)')
    .optional(),
  // The web console for officers and admins (README "Web console"): on only when WEB_BASE_URL is set, https:// or a
  // http:// address on this machine (localhost, 127.0.0.1, [::1]) for trying it.
  WEB_BASE_URL: z
    .url({ protocol: /^https?$/, error: 'must be an https:// URL (or http://localhost for trying it)' })
    .refine((url) => {
      const parsed = new URL(url);
      return parsed.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
    }, 'must be https:// (plain http:// only on localhost, 127.0.0.1 or [::1], for trying it)')
    .refine((url) => !/[?#]/.test(url), 'must have no query string or fragment')
    .optional(),
  WEB_LINK_MINUTES: z.coerce.number().int().min(1).max(60).default(10),
  WEB_SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(1440).default(30),
  WEB_SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(168).default(12),
  WEB_UPLOAD_MAX_BYTES: positiveInt.max(50 * 1024 * 1024).default(5 * 1024 * 1024),
  WEB_COOKIE_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  // GET /metrics (README "Metrics"): a listener of its own, loopback by default; 0 turns it off. With METRICS_TOKEN
  // (a bearer token), /metrics is also served on the main server, and both require it.
  METRICS_HOST: z.string().trim().min(1).default('127.0.0.1'),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  METRICS_TOKEN: z.string().trim().min(16, 'must be at least 16 characters (a bearer token)').optional(),
});

/** 127.0.0.0/8, ::1 and localhost: reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Rules across variables. Checked on the raw values rather than in a zod refinement, which zod skips as soon as any
 * single variable is wrong: the admin then saw one problem, fixed it, and only on the next start learnt of this one.
 */
function crossVariableProblems(env: Record<string, string>): string[] {
  const problems: string[] = [];
  if (env.TELEGRAM_BOT_TOKEN && env.TELEGRAM_MODE === 'webhook' && !env.TELEGRAM_WEBHOOK_SECRET) {
    problems.push('TELEGRAM_WEBHOOK_SECRET: is required when TELEGRAM_MODE=webhook');
  }
  const oaSet = ZALO_OA_VARIABLES.filter((name) => env[name]);
  if (oaSet.length > 0) {
    for (const name of ZALO_OA_VARIABLES) {
      if (!env[name]) problems.push(`${name}: is required when ${oaSet.join(' or ')} is set (Zalo Official Account)`);
    }
  }
  // A photo of a conversation still open must not be purged under it.
  const orphanDays = Number(env.FILES_ORPHAN_DAYS ?? 7);
  const timeoutMinutes = Number(env.CONVERSATION_TIMEOUT_MINUTES ?? 24 * 60);
  if (Number.isInteger(orphanDays) && orphanDays > 0 && timeoutMinutes > orphanDays * 24 * 60) {
    problems.push(
      'FILES_ORPHAN_DAYS: must be longer than CONVERSATION_TIMEOUT_MINUTES (a photo of an open conversation)',
    );
  }
  // A conversation still open must not be pruned under her.
  const conversationDays = Number(env.RETENTION_CONVERSATIONS_DAYS ?? 90);
  if (Number.isInteger(conversationDays) && conversationDays > 0 && timeoutMinutes > conversationDays * 24 * 60) {
    problems.push(
      'RETENTION_CONVERSATIONS_DAYS: must be longer than CONVERSATION_TIMEOUT_MINUTES (a conversation still open)',
    );
  }
  if (env.ZALO_BOT_TOKEN && env.ZALO_BOT_MODE === 'webhook' && !env.ZALO_BOT_WEBHOOK_SECRET) {
    problems.push('ZALO_BOT_WEBHOOK_SECRET: is required when ZALO_BOT_MODE=webhook');
  }
  // Two channels on one path would make the HTTP server refuse to start; say which variables collide instead.
  const paths: [string, string][] = [];
  if (env.TELEGRAM_BOT_TOKEN && env.TELEGRAM_MODE === 'webhook') {
    paths.push(['TELEGRAM_WEBHOOK_PATH', env.TELEGRAM_WEBHOOK_PATH ?? '/telegram/webhook']);
  }
  if (oaSet.length > 0) paths.push(['ZALO_OA_WEBHOOK_PATH', env.ZALO_OA_WEBHOOK_PATH ?? '/zalo/oa/webhook']);
  if (env.ZALO_BOT_TOKEN && env.ZALO_BOT_MODE === 'webhook') {
    paths.push(['ZALO_BOT_WEBHOOK_PATH', env.ZALO_BOT_WEBHOOK_PATH ?? '/zalo/bot/webhook']);
  }
  for (const [i, [name, path]] of paths.entries()) {
    const clash = paths.slice(0, i).find(([, other]) => other === path);
    if (clash) problems.push(`${name}: is the same path as ${clash[0]}; each webhook needs its own path`);
    else if (path === '/healthz') problems.push(`${name}: /healthz is the health check's path`);
    else if (path === '/metrics' && env.METRICS_TOKEN) problems.push(`${name}: /metrics is the metrics' path`);
  }
  // Metrics tell an outsider how busy the bot is and what fails: off this machine only behind the bearer token.
  const metricsHost = env.METRICS_HOST?.trim() ?? '127.0.0.1';
  if (env.METRICS_PORT?.trim() !== '0' && !isLoopbackHost(metricsHost) && !env.METRICS_TOKEN) {
    problems.push('METRICS_HOST: is not a loopback address; set METRICS_TOKEN too (or METRICS_PORT=0)');
  }
  // The same port as the webhooks' server: one of the two could not listen (say so now, not in a log line later).
  const given = (value: string | undefined, fallback: string) => (value?.trim() ? value.trim() : fallback);
  const metricsPort = given(env.METRICS_PORT, '9464');
  if (metricsPort !== '0' && Number(metricsPort) === Number(given(env.HTTP_PORT, '8080'))) {
    problems.push('METRICS_PORT: is the same port as HTTP_PORT; give the metrics listener its own (or 0: none)');
  }
  return problems;
}

/** Every variable the bot reads (documented one by one in .env.example). */
export const CONFIG_VARIABLES = Object.keys(schema.shape);

export type Env = z.infer<typeof schema>;

export interface Config {
  databaseUrl: string;
  /** PostgreSQL: create the database named in DATABASE_URL when it does not exist (DATABASE_CREATE=true). */
  databaseCreate: boolean;
  /** How long a stop (SIGTERM/SIGINT) waits for work in progress before exiting anyway (SHUTDOWN_TIMEOUT_MS). */
  shutdownTimeoutMs: number;
  logLevel: Env['LOG_LEVEL'];
  /** Logs are appended to this file instead of standard error (LOG_FILE). */
  logFile: string | undefined;
  defaultLanguage: Env['DEFAULT_LANGUAGE'];
  conversationTimeoutMs: number;
  /** Flood control and the turn scheduler (FLOOD_MESSAGES, FLOOD_WINDOW_SECONDS, TURN_CONCURRENCY). */
  turns: { floodMessages: number; floodWindowMs: number; concurrency: number };
  areasFile: string;
  inboundRetentionMs: number;
  /** Stored inbound events (src/conversation/inboundEvents.ts): lease, poll interval, tries before failed. */
  inbound: { leaseMs: number; pollMs: number; maxAttempts: number };
  /** The job runner (src/app/jobs): poll interval, tries before a job is kept as failed, lease, retention. */
  jobs: { pollMs: number; maxAttempts: number; leaseMs: number; retentionMs: number };
  /** The outbox (src/app/outbox): dispatcher pace, tries, lease, retention, and per-channel rate limits (msg/s). */
  outbox: {
    pollMs: number;
    batchSize: number;
    maxAttempts: number;
    leaseMs: number;
    retentionMs: number;
    rates: Record<
      'telegram' | 'zalo' | 'zalobot' | 'console',
      { overallPerSecond: number; chatPerSecond: number; chatBurst: number }
    >;
  };
  cases: { escalationMs: number; invitationTtlHours: number; digestHour: number; timeZone: string };
  /**
   * Vocational courses: the support-policy file (COURSE_SUPPORT_FILE), how long an offered seat is held for her from
   * the offer's sending (COURSE_OFFER_HOURS), and the local hour of the day-before reminder (COURSE_REMINDER_HOUR).
   */
  courses: { supportFile: string; offerHours: number; reminderHour: number };
  /**
   * Product listings: days a draft is kept after its last change (LISTING_DRAFT_DAYS), problem reports one person may
   * make a day (LISTING_REPORTS_PER_DAY), the local hour of the OCOP expiry notice (LISTING_OCOP_HOUR), and the key of
   * the reporters' keyed hashes (LISTING_REPORTER_SECRET; undefined: the secret generated once and kept in the
   * database, data/sharedSecret.ts).
   */
  products: { draftDays: number; reportsPerDay: number; ocopHour: number; reporterSecret: string | undefined };
  /**
   * Broadcasts (README "Broadcasts"): the audience size above which a second admin approves
   * (BROADCAST_APPROVAL_THRESHOLD), the hours they may go out in TIME_ZONE unless urgent (BROADCAST_HOURS), days one
   * stays current (BROADCAST_EXPIRY_DAYS), tries of a failing send (BROADCAST_MAX_ATTEMPTS), deliveries written or
   * claimed per batch (BROADCAST_BATCH_SIZE), sends side by side (BROADCAST_CONCURRENCY), minutes between progress
   * messages (BROADCAST_PROGRESS_MINUTES); Zalo OA promotion messages ("tin truyền thông", REFERENCE.md): whether the
   * OA has them (ZALO_PROMOTION_ENABLED), their hours (ZALO_PROMOTION_HOURS) and daily quota (ZALO_PROMOTION_DAILY_QUOTA).
   */
  broadcasts: {
    approvalThreshold: number;
    hours: DailyWindow;
    expiryDays: number;
    maxAttempts: number;
    batchSize: number;
    concurrency: number;
    progressMinutes: number;
    promotion: { enabled: boolean; hours: DailyWindow; dailyQuota: number };
  };
  /** Photos members send (README "Files and photos"). */
  files: { dir: string; maxBytes: number; perMemberMax: number; orphanDays: number; albumGapMs: number };
  /** Days each kind of record is kept (RETENTION_*_DAYS; the personal-data registry's retention). */
  retention: {
    casesDays: number;
    creditInquiriesDays: number;
    auditDays: number;
    conversationsDays: number;
  };
  console: { userId: string | undefined; role: Env['CONSOLE_ROLE'] };
  telegram:
    | {
        token: string;
        mode: Env['TELEGRAM_MODE'];
        apiRoot: string;
        webhook: { secret: string; path: string; publicUrl: string | undefined } | undefined;
      }
    | undefined;
  /** Zalo Official Account API v3 (webhook only). */
  zaloOa:
    | {
        appId: string;
        oaSecretKey: string;
        appSecret: string;
        webhookPath: string;
        apiBase: string;
        oauthBase: string;
        /** Signed events stamped earlier than this are refused (a replay). */
        eventMaxAgeMs: number;
      }
    | undefined;
  /** Zalo Bot Platform (polling or webhook). */
  zaloBot:
    | {
        token: string;
        mode: Env['ZALO_BOT_MODE'];
        apiBase: string;
        webhook: { secret: string; path: string; publicUrl: string | undefined } | undefined;
      }
    | undefined;
  /**
   * The public catalogue (src/http/catalogue.ts): the bot's public address for absolute photo URLs (no trailing
   * slash; undefined: root-relative URLs) and the public cache lifetime in seconds (0–60).
   */
  catalogue: { publicBaseUrl: string | undefined; maxAgeSeconds: number };
  /**
   * The bot's public chat addresses for the catalogue's pages: `telegram` = https://t.me/<TELEGRAM_BOT_USERNAME> (a
   * product page adds ?start=sp<id>), `zalo` = ZALO_OA_URL; undefined when not set.
   */
  chatLinks: { telegram: string | undefined; zalo: string | undefined };
  /**
   * The web console (src/web): undefined unless WEB_BASE_URL is set. `baseUrl` without a trailing slash; the sign-in
   * link's lifetime (minutes), a session's idle timeout (minutes) and longest life (hours), the largest upload (bytes)
   * and the cookie-signing secret (WEB_COOKIE_SECRET; undefined: generated once and kept in the database).
   */
  web:
    | {
        baseUrl: string;
        linkMinutes: number;
        sessionIdleMinutes: number;
        sessionMaxHours: number;
        uploadMaxBytes: number;
        cookieSecret: string | undefined;
      }
    | undefined;
  /**
   * The HTTP server (src/http/server.ts): timeouts in ms, connection cap. `enabled` (HTTP_ENABLED): started even with
   * no channel configured (the catalogue and /healthz only) instead of the terminal chat.
   */
  /**
   * GET /metrics (src/http/metrics.ts): the separate listener's address (METRICS_HOST, METRICS_PORT; port 0: no
   * listener) and the bearer token (METRICS_TOKEN): when set, required on both, and /metrics is on the main server too.
   */
  metrics: { host: string; port: number; token: string | undefined };
  http: {
    enabled: boolean;
    host: string;
    port: number;
    bodyLimitBytes: number;
    headersTimeoutMs: number;
    bodyTimeoutMs: number;
    requestTimeoutMs: number;
    maxConnections: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses the environment. Empty values count as unset (a blank line in .env must not become "" ). */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1].trim() !== ''),
  );
  const parsed = schema.safeParse(present);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`)),
    ...crossVariableProblems(present),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    databaseUrl: e.DATABASE_URL,
    databaseCreate: e.DATABASE_CREATE === 'true',
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    logLevel: e.LOG_LEVEL,
    logFile: e.LOG_FILE,
    defaultLanguage: e.DEFAULT_LANGUAGE,
    conversationTimeoutMs: e.CONVERSATION_TIMEOUT_MINUTES * 60_000,
    turns: {
      floodMessages: e.FLOOD_MESSAGES,
      floodWindowMs: e.FLOOD_WINDOW_SECONDS * 1000,
      concurrency: e.TURN_CONCURRENCY,
    },
    areasFile: e.AREAS_FILE,
    inboundRetentionMs: e.INBOUND_ID_RETENTION_DAYS * 86_400_000,
    inbound: {
      leaseMs: e.INBOUND_LEASE_SECONDS * 1000,
      pollMs: e.INBOUND_POLL_MS,
      maxAttempts: e.INBOUND_MAX_ATTEMPTS,
    },
    jobs: {
      pollMs: e.JOBS_POLL_MS,
      maxAttempts: e.JOBS_MAX_ATTEMPTS,
      leaseMs: e.JOBS_LEASE_SECONDS * 1000,
      retentionMs: e.JOBS_RETENTION_DAYS * 86_400_000,
    },
    outbox: {
      pollMs: e.OUTBOX_POLL_MS,
      batchSize: e.OUTBOX_BATCH_SIZE,
      maxAttempts: e.OUTBOX_MAX_ATTEMPTS,
      leaseMs: e.OUTBOX_LEASE_SECONDS * 1000,
      retentionMs: e.OUTBOX_RETENTION_DAYS * 86_400_000,
      rates: {
        telegram: {
          overallPerSecond: e.OUTBOX_TELEGRAM_RATE,
          chatPerSecond: e.OUTBOX_CHAT_RATE,
          chatBurst: e.OUTBOX_CHAT_BURST,
        },
        zalo: {
          overallPerSecond: e.OUTBOX_ZALO_RATE,
          chatPerSecond: e.OUTBOX_CHAT_RATE,
          chatBurst: e.OUTBOX_CHAT_BURST,
        },
        zalobot: {
          overallPerSecond: e.OUTBOX_ZALOBOT_RATE,
          chatPerSecond: e.OUTBOX_CHAT_RATE,
          chatBurst: e.OUTBOX_CHAT_BURST,
        },
        console: { overallPerSecond: Infinity, chatPerSecond: Infinity, chatBurst: 1 },
      },
    },
    cases: {
      escalationMs: e.CASE_ESCALATION_MINUTES * 60_000,
      invitationTtlHours: e.INVITATION_TTL_HOURS,
      digestHour: e.DIGEST_HOUR,
      timeZone: e.TIME_ZONE,
    },
    courses: {
      supportFile: e.COURSE_SUPPORT_FILE,
      offerHours: e.COURSE_OFFER_HOURS,
      reminderHour: e.COURSE_REMINDER_HOUR,
    },
    products: {
      draftDays: e.LISTING_DRAFT_DAYS,
      reportsPerDay: e.LISTING_REPORTS_PER_DAY,
      ocopHour: e.LISTING_OCOP_HOUR,
      reporterSecret: e.LISTING_REPORTER_SECRET,
    },
    broadcasts: {
      approvalThreshold: e.BROADCAST_APPROVAL_THRESHOLD,
      hours: e.BROADCAST_HOURS,
      expiryDays: e.BROADCAST_EXPIRY_DAYS,
      maxAttempts: e.BROADCAST_MAX_ATTEMPTS,
      batchSize: e.BROADCAST_BATCH_SIZE,
      concurrency: e.BROADCAST_CONCURRENCY,
      progressMinutes: e.BROADCAST_PROGRESS_MINUTES,
      promotion: {
        enabled: e.ZALO_PROMOTION_ENABLED,
        hours: e.ZALO_PROMOTION_HOURS,
        dailyQuota: e.ZALO_PROMOTION_DAILY_QUOTA,
      },
    },
    files: {
      dir: e.FILES_DIR,
      maxBytes: e.FILE_MAX_BYTES,
      perMemberMax: e.FILES_PER_MEMBER_MAX,
      orphanDays: e.FILES_ORPHAN_DAYS,
      albumGapMs: e.ALBUM_GAP_MS,
    },
    retention: {
      casesDays: e.RETENTION_CASES_DAYS,
      creditInquiriesDays: e.RETENTION_CREDIT_INQUIRIES_DAYS,
      auditDays: e.RETENTION_AUDIT_DAYS,
      conversationsDays: e.RETENTION_CONVERSATIONS_DAYS,
    },
    console: { userId: e.CONSOLE_USER, role: e.CONSOLE_ROLE },
    telegram: e.TELEGRAM_BOT_TOKEN
      ? {
          token: e.TELEGRAM_BOT_TOKEN,
          mode: e.TELEGRAM_MODE,
          apiRoot: e.TELEGRAM_API_ROOT,
          webhook:
            e.TELEGRAM_MODE === 'webhook' && e.TELEGRAM_WEBHOOK_SECRET
              ? { secret: e.TELEGRAM_WEBHOOK_SECRET, path: e.TELEGRAM_WEBHOOK_PATH, publicUrl: e.TELEGRAM_WEBHOOK_URL }
              : undefined,
        }
      : undefined,
    zaloOa:
      e.ZALO_OA_APP_ID && e.ZALO_OA_SECRET_KEY && e.ZALO_APP_SECRET
        ? {
            appId: e.ZALO_OA_APP_ID,
            oaSecretKey: e.ZALO_OA_SECRET_KEY,
            appSecret: e.ZALO_APP_SECRET,
            webhookPath: e.ZALO_OA_WEBHOOK_PATH,
            apiBase: e.ZALO_OA_API_BASE,
            oauthBase: e.ZALO_OAUTH_BASE,
            eventMaxAgeMs: e.ZALO_OA_EVENT_MAX_AGE_SECONDS * 1000,
          }
        : undefined,
    zaloBot: e.ZALO_BOT_TOKEN
      ? {
          token: e.ZALO_BOT_TOKEN,
          mode: e.ZALO_BOT_MODE,
          apiBase: e.ZALO_BOT_API_BASE,
          webhook:
            e.ZALO_BOT_MODE === 'webhook' && e.ZALO_BOT_WEBHOOK_SECRET
              ? { secret: e.ZALO_BOT_WEBHOOK_SECRET, path: e.ZALO_BOT_WEBHOOK_PATH, publicUrl: e.ZALO_BOT_WEBHOOK_URL }
              : undefined,
        }
      : undefined,
    web:
      e.WEB_BASE_URL === undefined
        ? undefined
        : {
            baseUrl: e.WEB_BASE_URL.replace(/\/+$/, ''),
            linkMinutes: e.WEB_LINK_MINUTES,
            sessionIdleMinutes: e.WEB_SESSION_IDLE_MINUTES,
            sessionMaxHours: e.WEB_SESSION_MAX_HOURS,
            uploadMaxBytes: e.WEB_UPLOAD_MAX_BYTES,
            cookieSecret: e.WEB_COOKIE_SECRET,
          },
    catalogue: {
      publicBaseUrl: e.PUBLIC_BASE_URL?.replace(/\/+$/, ''),
      maxAgeSeconds: e.CATALOGUE_MAX_AGE_SECONDS,
    },
    chatLinks: {
      telegram:
        e.TELEGRAM_BOT_USERNAME === undefined ? undefined : `https://t.me/${e.TELEGRAM_BOT_USERNAME.replace(/^@/, '')}`,
      zalo: e.ZALO_OA_URL?.replace(/\/+$/, ''),
    },
    metrics: { host: e.METRICS_HOST, port: e.METRICS_PORT, token: e.METRICS_TOKEN },
    http: {
      enabled: e.HTTP_ENABLED === 'true',
      host: e.HTTP_HOST,
      port: e.HTTP_PORT,
      bodyLimitBytes: e.HTTP_BODY_LIMIT_BYTES,
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      bodyTimeoutMs: e.HTTP_BODY_TIMEOUT_MS,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      maxConnections: e.HTTP_MAX_CONNECTIONS,
    },
  };
}

/** Loads ./.env when present (variables already set in the environment win), then parses. */
export function loadConfig(envFile = '.env'): Config {
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  return parseConfig(process.env);
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
