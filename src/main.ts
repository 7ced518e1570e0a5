// Starts the bot: `npm start`. With no channel token configured it chats in the terminal (console channel) on the
// embedded SQLite database, so a newcomer can try it with zero set-up. With TELEGRAM_BOT_TOKEN it serves Telegram
// (long polling or webhook) and the HTTP server (webhooks, /healthz) until SIGTERM/SIGINT.
import { parseArgs } from 'node:util';
import { runConsole } from './channels/console/console.ts';
import { createTelegramChannel, type TelegramChannel } from './channels/telegram/index.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { openDatabase, redactUrl } from './data/database.ts';
import { applyMigrations } from './data/migrations.ts';
import { ROLES, type Role } from './domain/member.ts';
import { createHttpServer, type HttpServer } from './http/server.ts';
import { createLogger } from './logger.ts';
import { createRuntime } from './wiring.ts';

const HOUR_MS = 3_600_000;

function parseCli(argv: string[]): { console: boolean; role: Role | undefined } {
  const { values } = parseArgs({
    args: argv,
    options: { console: { type: 'boolean', default: false }, as: { type: 'string' } },
    strict: true,
  });
  if (values.as !== undefined && !(ROLES as readonly string[]).includes(values.as)) {
    throw new ConfigError([`--as: must be one of ${ROLES.join(', ')}`]);
  }
  return { console: values.console, role: values.as as Role | undefined };
}

async function main(): Promise<number> {
  let config: Config;
  let cli: ReturnType<typeof parseCli>;
  try {
    cli = parseCli(process.argv.slice(2));
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const consoleMode = cli.console || !config.telegram;
  // In the terminal, only problems are logged so the chat stays readable (logs go to standard error anyway).
  const logger = createLogger(config.logLevel ?? (consoleMode ? 'warn' : 'info'));

  const applied = await applyMigrations(config.databaseUrl);
  if (applied.length > 0) logger.info({ applied, database: redactUrl(config.databaseUrl) }, 'migrations applied');
  const db = await openDatabase(config.databaseUrl);
  const role = cli.role ?? config.console.role;
  const runtime = createRuntime({
    prisma: db.prisma,
    logger,
    areasFile: config.areasFile,
    defaultLanguage: config.defaultLanguage,
    conversationTimeoutMs: config.conversationTimeoutMs,
    ...(consoleMode && role ? { newMemberRole: role } : {}),
  });

  if (consoleMode) {
    const t = runtime.localisation.translator(config.defaultLanguage);
    await runConsole({
      gateway: runtime.bot,
      input: process.stdin,
      output: process.stdout,
      userId: config.console.userId ?? `local-${role ?? 'member'}`,
      ...(process.stdin.isTTY ? { hint: t('console:hint') } : {}),
    });
    await db.close();
    return 0;
  }

  const telegramConfig = config.telegram!;
  const telegram: TelegramChannel = createTelegramChannel({
    token: telegramConfig.token,
    apiRoot: telegramConfig.apiRoot,
    mode: telegramConfig.mode,
    ...(telegramConfig.webhook ? { webhook: telegramConfig.webhook } : {}),
    gateway: runtime.bot,
    logger,
    onPollingError: (error) => {
      logger.error({ err: error instanceof Error ? error.message : String(error) }, 'telegram polling stopped');
      void shutdown(1);
    },
  });
  const http: HttpServer = createHttpServer({
    ...config.http,
    logger,
    routes: telegram.route ? [telegram.route] : [],
    health: async () => {
      await db.prisma.$queryRaw`SELECT 1`;
      return { ok: true };
    },
  });

  const prune = async () => {
    const removed = await runtime.inbound.pruneOlderThan(new Date(Date.now() - config.inboundRetentionMs));
    if (removed > 0) logger.info({ removed }, 'old inbound message ids pruned');
  };
  const pruneTimer = setInterval(() => void prune().catch(() => undefined), HOUR_MS);
  pruneTimer.unref();

  let stopping = false;
  async function shutdown(code: number): Promise<void> {
    if (stopping) return;
    stopping = true;
    logger.info({}, 'shutting down');
    clearInterval(pruneTimer);
    await http.close().catch(() => undefined);
    await telegram.stop().catch(() => undefined);
    await db.close().catch(() => undefined);
    process.exit(code);
  }
  process.once('SIGTERM', () => void shutdown(0));
  process.once('SIGINT', () => void shutdown(0));

  await prune();
  const address = await http.start();
  await telegram.start();
  logger.info({ ...address, telegram: telegramConfig.mode }, 'bot started');
  return await new Promise<number>(() => undefined); // runs until a signal
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`Fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
