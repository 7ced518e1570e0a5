// `npm run admin -- <command>`: the admin command line. Officers and invitations, erasing a member, the communes/wards
// dataset, the loan programmes, the cases export, the product listings export, the audit log and the jobs, on
// DATABASE_URL (a schema that is behind is migrated first, unless another process is migrating: openDatabase.ts) with
// AREAS_FILE as the areas fallback and FILES_DIR for members' photos, read from the environment or ./.env. Everything
// it changes is written to the audit log with the actor "cli". Exit status: 0 done, 1 failed (an invalid areas file, a
// database error), 2 bad input (usage, an unknown command, option, area or member). Tests call runAdmin() with their
// own database and writers.
//
// One module per command group under admin/ (officers, members, areas, programmes, cases, audit, jobs, courses,
// listings; args: the grammar). They work through the services and repositories of the composition root (wiring.ts:
// createAdminServices), the same the bot uses; none queries the database itself.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../config.ts';
import type { Clock, Logger } from '../conversation/ports.ts';
import type { PrismaClient } from '../data/database.ts';
import type { Language } from '../domain/member.ts';
import { createAdminServices, DEFAULT_FILE_LIMITS } from '../wiring.ts';
import { parseAdminArgs, USAGE, usageOf, type AdminCommand } from './admin/args.ts';
import { importAreas, showAreas } from './admin/areas.ts';
import { showAudit } from './admin/audit.ts';
import { runCourses } from './admin/courses.ts';
import { exportCases } from './admin/cases.ts';
import { AdminContext, AdminError, type Writer } from './admin/context.ts';
import { showJobs } from './admin/jobs.ts';
import { DEFAULT_BROADCAST_SETTINGS, type BroadcastSettings } from '../features/broadcasts/service.ts';
import { cliPhotoStore, runBroadcasts } from './admin/broadcasts.ts';
import { createImageSanitizer } from '../data/images.ts';
import { createLocalFileStore } from '../data/localFileStore.ts';
import { createStoredFileRepository } from '../data/storedFileRepository.ts';
import { runListings } from './admin/listings.ts';
import { eraseMember } from './admin/members.ts';
import { invite, listOfficers, rescope, revoke } from './admin/officers.ts';
import { importProgrammeFile, showProgrammes } from './admin/programmes.ts';
import { openToolDatabase } from './openDatabase.ts';

export { parseAdminArgs, USAGE, type AdminCommand } from './admin/args.ts';
export { casesCsv, csvField } from './admin/cases.ts';
export type { Writer } from './admin/context.ts';
export { resolveAreas } from './admin/officers.ts';

export interface AdminDeps {
  prisma: PrismaClient;
  /** AREAS_FILE: the areas in force when no dataset was imported. */
  areasFile: string;
  out: Writer;
  err: Writer;
  clock?: Clock;
  /** Language of area labels ("Phường Phan Đình Phùng", "Toàn tỉnh"), headers and dates; DEFAULT_LANGUAGE (vi). */
  language?: Language;
  /** IANA zone every printed date and time is in (TIME_ZONE); default Asia/Ho_Chi_Minh. */
  timeZone?: string;
  /** FILES_DIR, where members' photos are (`members erase` deletes hers); default ./data/files. */
  filesDir?: string;
  /** config.broadcasts (BROADCAST_*, ZALO_PROMOTION_*); default DEFAULT_BROADCAST_SETTINGS. */
  broadcasts?: BroadcastSettings;
  /** Asks the operator (a terminal) to confirm; absent: commands that need it ask for --yes. */
  ask?: (question: string) => Promise<string>;
}

/** Parses and runs a command line; returns the exit status. Never throws. */
export async function runAdmin(argv: readonly string[], deps: AdminDeps): Promise<number> {
  const parsed = parseAdminArgs(argv);
  if (!parsed.ok) {
    deps.err(parsed.showUsage ? `${parsed.problem}\n\n${USAGE}\n` : `${parsed.problem}\n`);
    return 2;
  }
  return executeAdmin(parsed.command, deps);
}

/** Runs a parsed command; returns the exit status. Never throws: failures are printed on `err`. */
export async function executeAdmin(command: AdminCommand, deps: AdminDeps): Promise<number> {
  try {
    const services = createAdminServices({
      prisma: deps.prisma,
      areasFile: deps.areasFile,
      ...(deps.clock ? { clock: deps.clock } : {}),
      ...(deps.language ? { defaultLanguage: deps.language } : {}),
      ...(deps.filesDir ? { filesDir: deps.filesDir } : {}),
      ...(deps.broadcasts ? { broadcasts: deps.broadcasts } : {}),
      logger: errorsTo(deps.err),
    });
    await run(command, new AdminContext(services, deps), deps);
    return 0;
  } catch (error) {
    if (error instanceof AdminError) {
      deps.err(`${error.message}\n`);
      return error.exitCode;
    }
    deps.err(`admin ${command.name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

async function run(command: AdminCommand, s: AdminContext, deps: AdminDeps): Promise<void> {
  switch (command.name) {
    case 'help':
      s.print(command.topic ? usageOf(command.topic) : USAGE);
      return;
    case 'invite':
      return invite(command, s);
    case 'officers list':
      return listOfficers(command, s);
    case 'officers rescope':
      return rescope(command, s);
    case 'officers revoke':
      return revoke(command, s);
    case 'areas import':
      return importAreas(command, s);
    case 'areas show':
      return showAreas(s);
    case 'programmes import':
      return importProgrammeFile(command, s);
    case 'programmes show':
      return showProgrammes(s);
    case 'cases export':
      return exportCases(command, s);
    case 'audit':
      return showAudit(command, s);
    case 'jobs':
      return showJobs(command, s);
    case 'members erase':
      return eraseMember(command, s);
    case 'listings export':
    case 'listings list':
    case 'listings show':
      return runListings(command, s);
    case 'broadcasts create':
    case 'broadcasts list':
    case 'broadcasts show':
    case 'broadcasts cancel':
    case 'broadcasts approve':
    case 'broadcasts reject':
    case 'broadcasts failures':
      return runBroadcasts(command, s, async (ctx) => ({
        ...(await ctx.services.broadcasts()),
        approvalThreshold: (deps.broadcasts ?? DEFAULT_BROADCAST_SETTINGS).approvalThreshold,
        hours: (deps.broadcasts ?? DEFAULT_BROADCAST_SETTINGS).hours,
        storePhoto: cliPhotoStore({
          images: createImageSanitizer(),
          store: createLocalFileStore(deps.filesDir ?? './data/files'),
          files: createStoredFileRepository(deps.prisma),
          maxBytes: DEFAULT_FILE_LIMITS.maxBytes,
        }),
      }));
    default:
      return runCourses(command, s);
  }
}

/** A logger for the services' own reports: warnings and errors on `err` (ids and counts only, as in the bot's logs). */
function errorsTo(err: Writer): Logger {
  const write = (obj: object, msg?: string) => err(`${msg ?? 'error'} ${JSON.stringify(obj)}\n`);
  return { debug: () => {}, info: () => {}, warn: write, error: write };
}

// ---- as a script -----------------------------------------------------------------------------------------------

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseAdminArgs(argv);
  if (!parsed.ok) {
    process.stderr.write(parsed.showUsage ? `${parsed.problem}\n\n${USAGE}\n` : `${parsed.problem}\n`);
    return 2;
  }
  if (parsed.command.name === 'help') {
    process.stdout.write(`${parsed.command.topic ? usageOf(parsed.command.topic) : USAGE}\n`);
    return 0;
  }
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
    return 2;
  }
  const db = await openToolDatabase(config.databaseUrl, { createDatabase: config.databaseCreate });
  try {
    return await executeAdmin(parsed.command, {
      prisma: db.prisma,
      areasFile: config.areasFile,
      language: config.defaultLanguage,
      timeZone: config.cases.timeZone,
      filesDir: config.files.dir,
      broadcasts: config.broadcasts,
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
      ...(process.stdin.isTTY ? { ask: askOnTerminal } : {}),
    });
  } finally {
    await db.close();
  }
}

/** One answer typed on the terminal. */
async function askOnTerminal(question: string): Promise<string> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

// Run only as a script (tests import the functions). Exit explicitly (the schema engine may leave timers behind),
// once standard output is flushed (a CSV piped to another program).
if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.stdout.write('', () => process.exit(code)),
    (error: unknown) => {
      process.stderr.write(`admin failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
