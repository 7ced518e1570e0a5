// Configuration, parsed once at start-up. A bad or missing value stops the bot with one line per problem that names
// the variable; values are never echoed (they may be secrets).
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { LANGUAGES, ROLES } from './domain/member.ts';

const optionalString = z.string().trim().min(1).optional();
const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();

const schema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, 'must start with file: (SQLite) or postgresql:// (PostgreSQL)')
    .default('file:./data/bot.db'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).optional(),
  DEFAULT_LANGUAGE: z.enum(LANGUAGES).default('vi'),
  CONVERSATION_TIMEOUT_MINUTES: positiveInt.default(24 * 60),
  AREAS_FILE: z.string().default('prisma/data/areas.thai-nguyen-2025.json'),
  INBOUND_ID_RETENTION_DAYS: positiveInt.default(7),

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
  TELEGRAM_WEBHOOK_PATH: z.string().startsWith('/').default('/telegram/webhook'),
  TELEGRAM_WEBHOOK_URL: z.url({ protocol: /^https$/, error: 'must be a public https:// URL' }).optional(),
  TELEGRAM_API_ROOT: z.url().default('https://api.telegram.org'),

  HTTP_HOST: z.string().default('0.0.0.0'),
  HTTP_PORT: port.default(8080),
  HTTP_BODY_LIMIT_BYTES: positiveInt.default(1024 * 1024),
});

/**
 * Rules across variables. Checked on the raw values rather than in a zod refinement, which zod skips as soon as any
 * single variable is wrong: the admin then saw one problem, fixed it, and only on the next start learnt of this one.
 */
function crossVariableProblems(env: Record<string, string>): string[] {
  const problems: string[] = [];
  if (env.TELEGRAM_BOT_TOKEN && env.TELEGRAM_MODE === 'webhook' && !env.TELEGRAM_WEBHOOK_SECRET) {
    problems.push('TELEGRAM_WEBHOOK_SECRET: is required when TELEGRAM_MODE=webhook');
  }
  return problems;
}

export type Env = z.infer<typeof schema>;

export interface Config {
  databaseUrl: string;
  logLevel: Env['LOG_LEVEL'];
  defaultLanguage: Env['DEFAULT_LANGUAGE'];
  conversationTimeoutMs: number;
  areasFile: string;
  inboundRetentionMs: number;
  console: { userId: string | undefined; role: Env['CONSOLE_ROLE'] };
  telegram:
    | {
        token: string;
        mode: Env['TELEGRAM_MODE'];
        apiRoot: string;
        webhook: { secret: string; path: string; publicUrl: string | undefined } | undefined;
      }
    | undefined;
  http: { host: string; port: number; bodyLimitBytes: number };
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
    logLevel: e.LOG_LEVEL,
    defaultLanguage: e.DEFAULT_LANGUAGE,
    conversationTimeoutMs: e.CONVERSATION_TIMEOUT_MINUTES * 60_000,
    areasFile: e.AREAS_FILE,
    inboundRetentionMs: e.INBOUND_ID_RETENTION_DAYS * 86_400_000,
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
    http: { host: e.HTTP_HOST, port: e.HTTP_PORT, bodyLimitBytes: e.HTTP_BODY_LIMIT_BYTES },
  };
}

/** Loads ./.env when present (variables already set in the environment win), then parses. */
export function loadConfig(envFile = '.env'): Config {
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  return parseConfig(process.env);
}
