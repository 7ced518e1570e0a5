// `npm run admin -- <command>`: the admin command line. Officers and invitations, the communes/wards dataset, the
// cases export and the audit log, on DATABASE_URL (pending migrations are applied first) with AREAS_FILE as the
// areas fallback, both read from the environment or ./.env. Everything it changes is written to the audit log with
// the actor "cli". Exit status: 0 done, 1 failed (an invalid areas file, a database error), 2 bad input (usage, an
// unknown command, option, area or member). Tests call runAdmin() with their own database and writers.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import type { Translate } from '../conversation/flow.ts';
import { systemClock, type Clock } from '../conversation/ports.ts';
import { checkAreasSource, loadAreaDirectory, saveAreaDataset } from '../data/areasFile.ts';
import { createAuditLog } from '../data/auditLog.ts';
import { createCaseRepository } from '../data/caseRepository.ts';
import type { PrismaClient } from '../data/database.ts';
import { openToolDatabase } from './openDatabase.ts';
import { createInvitationRepository } from '../data/invitationRepository.ts';
import { createJobStore } from '../data/jobStore.ts';
import { createMemberRepository } from '../data/memberRepository.ts';
import { createOfficerRepository } from '../data/officerRepository.ts';
import type { AreaDirectory } from '../domain/areas.ts';
import { OVERDUE_AFTER_MS, redactText } from '../app/jobs/index.ts';
import { CASE_STATUSES, type CaseStatus } from '../domain/cases.ts';
import type { Job } from '../domain/jobs.ts';
import { LANGUAGES, type Language, type Member } from '../domain/member.ts';
import { WHOLE_PROVINCE, type Invitation } from '../domain/officers.ts';
import { fold } from '../domain/text.ts';
import { DEFAULT_TIME_ZONE, formatDateTime, formatTimestamp } from '../domain/time.ts';
import { describeAreas } from '../features/admin/flows.ts';
import { unitLabel } from '../features/profile/areaInput.ts';
import {
  DEFAULT_PROGRAMMES_FILE,
  importProgrammes,
  loadProgrammes,
  summarizeProgrammes,
} from '../data/programmeStore.ts';
import { createInvitationService } from '../features/cases/invitations.ts';
import { createLocalisation } from '../i18n/i18n.ts';

export const USAGE = `Usage: npm run admin -- <command>

Officers and invitations
  invite --area <areas> [--role officer|admin] [--hours 72]
                                      create a single-use invitation code; the officer sends it to the bot
  officers list                       officers and admins with their areas
  officers rescope <memberId> --area <areas>
                                      replace an officer's areas
  officers revoke <memberId>          make an officer or admin a plain member again
Communes and wards
  areas import <file>                 validate an areas file and put it in force (restart the bot to use it)
  areas show                          which areas data is in force
Loan programmes
  programmes import <file>            validate a programme data file and put it in force (restart the bot to use it)
  programmes show                     which programme data is in force, and its unconfirmed figures
Cases and audit
  cases export [--out <file.csv>] [--status open,claimed,...] [--with-contact] [--lang vi|en]
                                      cases as CSV (Excel-ready); member names and phones only with --with-contact;
                                      headers and labels in --lang (default DEFAULT_LANGUAGE, itself vi by default)
  audit [--subject <id>] [--limit 50] recent audit log entries
Jobs
  jobs [--all] [--limit 50]           failed and overdue jobs with their errors (personal data redacted);
                                      --all lists every job
  help                                this text

<areas>: commune/ward codes or current names (accents optional), separated by commas, or '*' (quoted) for the
whole province. Examples: --area "Phan Dinh Phung,05467"  --area '*'
Dates and times are in TIME_ZONE (default Asia/Ho_Chi_Minh).
Reads DATABASE_URL, AREAS_FILE, DEFAULT_LANGUAGE and TIME_ZONE from the environment or ./.env.`;

const ROLE_CHOICES = ['officer', 'admin'] as const;
const DEFAULT_HOURS = 72;
const MAX_HOURS = 30 * 24;
const DEFAULT_AUDIT_LIMIT = 50;
const MAX_AUDIT_LIMIT = 10_000;
/** Who the CLI is in the audit log and in `createdBy`. */
const ACTOR = 'cli';

export type AdminCommand =
  | { name: 'help' }
  | { name: 'invite'; areas: string[]; role: Invitation['role']; hours: number }
  | { name: 'officers list' }
  | { name: 'officers rescope'; memberId: string; areas: string[] }
  | { name: 'officers revoke'; memberId: string }
  | { name: 'areas import'; file: string }
  | { name: 'areas show' }
  | { name: 'programmes import'; file: string }
  | { name: 'programmes show' }
  | {
      name: 'cases export';
      out: string | undefined;
      statuses: CaseStatus[] | undefined;
      withContact: boolean;
      /** Language of the headers and labels; undefined: the CLI's language (DEFAULT_LANGUAGE). */
      language: Language | undefined;
    }
  | { name: 'audit'; subject: string | undefined; limit: number }
  | { name: 'jobs'; all: boolean; limit: number };

/** Bad input: shown with the usage, exit status 2. */
class UsageProblem extends Error {}

/** A command that cannot do what was asked: shown as is, with this exit status. */
class AdminError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with exactly these positionals (named for the messages). */
function readArgs<const O extends Options>(args: readonly string[], options: O, positionalNames: readonly string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
  } catch (error) {
    // "Unknown option '--x'. To specify a positional argument starting with a '-', ...": the first sentence says it.
    throw new UsageProblem((error as Error).message.split('. ')[0] ?? 'bad arguments');
  }
  const { positionals } = parsed;
  if (positionals.length > positionalNames.length) {
    throw new UsageProblem(`Unexpected argument '${positionals[positionalNames.length] ?? ''}'`);
  }
  if (positionals.length < positionalNames.length) {
    throw new UsageProblem(`Missing ${positionalNames[positionals.length] ?? 'argument'}`);
  }
  return { values: parsed.values, positionals };
}

/** "--area a,b --area c" → ["a", "b", "c"]. */
function areaTokens(values: readonly string[] | undefined): string[] {
  const tokens = (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim());
  const kept = tokens.filter((v) => v !== '');
  if (kept.length === 0) {
    throw new UsageProblem("--area is required: commune/ward codes or names separated by commas, or '*'");
  }
  return kept;
}

function integerOption(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = /^\d{1,9}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!(value >= 1 && value <= max)) throw new UsageProblem(`--${name} must be a whole number from 1 to ${max}`);
  return value;
}

function statusesOption(raw: string | undefined): CaseStatus[] | undefined {
  if (raw === undefined) return undefined;
  const wanted = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const unknown = wanted.filter((s) => !(CASE_STATUSES as readonly string[]).includes(s));
  if (wanted.length === 0 || unknown.length > 0) {
    throw new UsageProblem(
      `--status: ${unknown.length > 0 ? `unknown status ${unknown.join(', ')}` : 'no status given'} ` +
        `(known: ${CASE_STATUSES.join(', ')})`,
    );
  }
  return [...new Set(wanted)] as CaseStatus[];
}

function languageOption(raw: string | undefined): Language | undefined {
  if (raw === undefined) return undefined;
  const wanted = raw.trim().toLowerCase();
  if (!(LANGUAGES as readonly string[]).includes(wanted)) {
    throw new UsageProblem(`--lang must be one of ${LANGUAGES.join(', ')} (got '${raw}')`);
  }
  return wanted as Language;
}

function memberIdArgument(raw: string): string {
  const id = raw.trim();
  if (id === '') throw new UsageProblem('The member id is empty');
  return id;
}

/** Reads the command line, without touching the database. */
export function parseAdminArgs(
  argv: readonly string[],
): { ok: true; command: AdminCommand } | { ok: false; problem: string } {
  try {
    return { ok: true, command: parseCommand(argv) };
  } catch (error) {
    if (error instanceof UsageProblem) return { ok: false, problem: error.message };
    throw error;
  }
}

function parseCommand(argv: readonly string[]): AdminCommand {
  const [first, second] = argv;
  if (first === undefined) throw new UsageProblem('No command given');
  if (first === 'help' || argv.includes('--help') || argv.includes('-h')) return { name: 'help' };
  const rest = argv.slice(1);
  const subRest = argv.slice(2);
  switch (first) {
    case 'invite': {
      const { values } = readArgs(
        rest,
        { area: { type: 'string', multiple: true }, role: { type: 'string' }, hours: { type: 'string' } },
        [],
      );
      const role = values.role ?? 'officer';
      if (!(ROLE_CHOICES as readonly string[]).includes(role)) {
        throw new UsageProblem(`--role must be officer or admin (got '${role}')`);
      }
      return {
        name: 'invite',
        areas: areaTokens(values.area),
        role: role as Invitation['role'],
        hours: integerOption('hours', values.hours, DEFAULT_HOURS, MAX_HOURS),
      };
    }
    case 'officers':
      switch (second) {
        case 'list':
          readArgs(subRest, {}, []);
          return { name: 'officers list' };
        case 'rescope': {
          const { values, positionals } = readArgs(subRest, { area: { type: 'string', multiple: true } }, [
            'the member id (see officers list)',
          ]);
          return {
            name: 'officers rescope',
            memberId: memberIdArgument(positionals[0]!),
            areas: areaTokens(values.area),
          };
        }
        case 'revoke': {
          const { positionals } = readArgs(subRest, {}, ['the member id (see officers list)']);
          return { name: 'officers revoke', memberId: memberIdArgument(positionals[0]!) };
        }
        default:
          throw new UsageProblem(unknownSubcommand('officers', second, ['list', 'rescope', 'revoke']));
      }
    case 'areas':
      switch (second) {
        case 'import': {
          const { positionals } = readArgs(subRest, {}, ['the areas file to import']);
          return { name: 'areas import', file: positionals[0]! };
        }
        case 'show':
          readArgs(subRest, {}, []);
          return { name: 'areas show' };
        default:
          throw new UsageProblem(unknownSubcommand('areas', second, ['import', 'show']));
      }
    case 'programmes':
      switch (second) {
        case 'import': {
          const { positionals } = readArgs(subRest, {}, ['the programme file to import']);
          return { name: 'programmes import', file: positionals[0]! };
        }
        case 'show':
          readArgs(subRest, {}, []);
          return { name: 'programmes show' };
        default:
          throw new UsageProblem(unknownSubcommand('programmes', second, ['import', 'show']));
      }
    case 'cases': {
      if (second !== 'export') throw new UsageProblem(unknownSubcommand('cases', second, ['export']));
      const { values } = readArgs(
        subRest,
        {
          out: { type: 'string' },
          status: { type: 'string' },
          'with-contact': { type: 'boolean' },
          lang: { type: 'string' },
        },
        [],
      );
      if (values.out?.trim() === '') throw new UsageProblem('--out needs a file name');
      return {
        name: 'cases export',
        out: values.out,
        statuses: statusesOption(values.status),
        withContact: values['with-contact'] ?? false,
        language: languageOption(values.lang),
      };
    }
    case 'audit': {
      const { values } = readArgs(rest, { subject: { type: 'string' }, limit: { type: 'string' } }, []);
      return {
        name: 'audit',
        subject: values.subject,
        limit: integerOption('limit', values.limit, DEFAULT_AUDIT_LIMIT, MAX_AUDIT_LIMIT),
      };
    }
    case 'jobs': {
      const { values } = readArgs(rest, { all: { type: 'boolean' }, limit: { type: 'string' } }, []);
      return {
        name: 'jobs',
        all: values.all ?? false,
        limit: integerOption('limit', values.limit, DEFAULT_AUDIT_LIMIT, MAX_AUDIT_LIMIT),
      };
    }
    default:
      throw new UsageProblem(`Unknown command '${first}'`);
  }
}

function unknownSubcommand(command: string, sub: string | undefined, known: readonly string[]): string {
  const expected = `expected ${known.map((k) => `'${command} ${k}'`).join(', ')}`;
  return sub === undefined
    ? `'${command}' needs a subcommand: ${expected}`
    : `Unknown command '${command} ${sub}': ${expected}`;
}

// ---- running ---------------------------------------------------------------------------------------------------

/** Writes text as is (no newline added): process.stdout.write, or a test's collector. */
export type Writer = (text: string) => void;

export interface AdminDeps {
  prisma: PrismaClient;
  /** AREAS_FILE: the areas in force when no dataset was imported. */
  areasFile: string;
  out: Writer;
  err: Writer;
  clock?: Clock;
  /** Language of area labels ("Phường Phan Đình Phùng", "Toàn tỉnh") and dates; DEFAULT_LANGUAGE (default vi). */
  language?: Language;
  /** IANA zone every printed date and time is in (TIME_ZONE); default Asia/Ho_Chi_Minh. */
  timeZone?: string;
}

/** Parses and runs a command line; returns the exit status. Never throws. */
export async function runAdmin(argv: readonly string[], deps: AdminDeps): Promise<number> {
  const parsed = parseAdminArgs(argv);
  if (!parsed.ok) {
    deps.err(`${parsed.problem}\n\n${USAGE}\n`);
    return 2;
  }
  return executeAdmin(parsed.command, deps);
}

/** Runs a parsed command; returns the exit status. Never throws: failures are printed on `err`. */
export async function executeAdmin(command: AdminCommand, deps: AdminDeps): Promise<number> {
  try {
    await run(command, new Session(deps));
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

/** The repositories and helpers of one run. */
class Session {
  readonly members;
  readonly officers;
  readonly audit;
  readonly t: Translate;
  readonly language: Language;
  readonly timeZone: string;
  readonly localisation = createLocalisation();
  readonly clock: Clock;
  private directory: Promise<AreaDirectory> | undefined;

  constructor(readonly deps: AdminDeps) {
    this.members = createMemberRepository(deps.prisma);
    this.officers = createOfficerRepository(deps.prisma);
    this.audit = createAuditLog(deps.prisma);
    this.clock = deps.clock ?? systemClock;
    this.language = deps.language ?? 'vi';
    this.timeZone = deps.timeZone ?? DEFAULT_TIME_ZONE;
    this.t = this.localisation.translator(this.language);
  }

  print(text = ''): void {
    this.deps.out(`${text}\n`);
  }

  areas(): Promise<AreaDirectory> {
    this.directory ??= loadAreaDirectory(this.deps.prisma, this.deps.areasFile).then((loaded) => loaded.directory);
    return this.directory;
  }

  describe(areas: readonly string[], directory: AreaDirectory): string {
    return areas.length === 0 ? '(none)' : describeAreas(areas, directory, this.t);
  }

  async officer(memberId: string): Promise<Member> {
    const member = await this.members.findById(memberId);
    if (member === null) {
      throw new AdminError(`No member with id ${memberId} (see: npm run admin -- officers list)`, 2);
    }
    if (member.role === 'member') {
      throw new AdminError(
        `Member ${memberId} is not an officer or admin (role: member); to make them one, create an invitation ` +
          '(npm run admin -- invite --area ...).',
        2,
      );
    }
    return member;
  }
}

async function run(command: AdminCommand, s: Session): Promise<void> {
  switch (command.name) {
    case 'help':
      s.print(USAGE);
      return;
    case 'invite':
      return invite(command, s);
    case 'officers list':
      return listOfficers(s);
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
  }
}

// ---- areas given on the command line ---------------------------------------------------------------------------

/** Codes for "--area" tokens: a code, a current name (accents optional) or "*"; every problem at once. */
export function resolveAreas(
  tokens: readonly string[],
  directory: AreaDirectory,
  t: Translate,
): { ok: true; codes: string[] } | { ok: false; problems: string[] } {
  const codes: string[] = [];
  const problems: string[] = [];
  const label = (unit: Parameters<typeof unitLabel>[0]) => `${unitLabel(unit, t)} (${unit.code})`;
  for (const token of tokens) {
    if (token === WHOLE_PROVINCE) {
      codes.push(WHOLE_PROVINCE);
      continue;
    }
    const byCode = directory.byCodeOrNull(token);
    if (byCode !== null) {
      codes.push(byCode.code);
      continue;
    }
    if (/^\d+$/.test(token)) {
      problems.push(`'${token}': no commune or ward has this code in the areas data in force`);
      continue;
    }
    const match = directory.match(token);
    switch (match.kind) {
      case 'exact':
        codes.push(match.unit.code);
        break;
      case 'former': {
        const { unit, via } = match.candidate;
        problems.push(
          `'${token}': ${via.name} is a former unit, ${via.whole === false ? 'partly ' : ''}now in ` +
            `${label(unit)}; give the current name or the code`,
        );
        break;
      }
      case 'ambiguous': {
        // A current name is what was asked for: if exactly one current unit has this very name, that is the one
        // (e.g. "Gia Sàng" is a ward today and also the former name of part of another ward).
        const needle = fold(token);
        const current = match.candidates.filter(
          (c) => c.via === undefined && [c.unit.name, `${c.unit.type} ${c.unit.name}`].some((n) => fold(n) === needle),
        );
        if (current.length === 1) {
          codes.push(current[0]!.unit.code);
          break;
        }
        const listed = match.candidates.map((c) =>
          c.via === undefined
            ? label(c.unit)
            : `${label(c.unit)}, which includes former ${c.via.name}${c.via.formerDistrict ? ` (${c.via.formerDistrict})` : ''}`,
        );
        problems.push(`'${token}' could be: ${listed.join('; ')}. Give the code or the full current name`);
        break;
      }
      case 'none':
        problems.push(
          `'${token}': not a commune or ward of ${directory.province} (or too vague); give the current name or the code`,
        );
        break;
    }
  }
  if (codes.includes(WHOLE_PROVINCE) && codes.some((c) => c !== WHOLE_PROVINCE)) {
    problems.push("'*' (the whole province) cannot be combined with communes or wards");
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, codes: [...new Set(codes)] };
}

async function resolveOrFail(
  tokens: readonly string[],
  s: Session,
): Promise<{ codes: string[]; directory: AreaDirectory }> {
  const directory = await s.areas();
  const resolved = resolveAreas(tokens, directory, s.t);
  if (!resolved.ok) {
    throw new AdminError(`Unknown or unclear area:\n  - ${resolved.problems.join('\n  - ')}`, 2);
  }
  return { codes: resolved.codes, directory };
}

// ---- officers and invitations ----------------------------------------------------------------------------------

async function invite(command: Extract<AdminCommand, { name: 'invite' }>, s: Session): Promise<void> {
  const { codes, directory } = await resolveOrFail(command.areas, s);
  const service = createInvitationService({
    invitations: createInvitationRepository(s.deps.prisma),
    officers: s.officers,
    audit: s.audit,
    clock: s.clock,
  });
  const { code, invitation } = await service.create({
    role: command.role,
    areas: codes,
    createdBy: ACTOR,
    ttlHours: command.hours,
  });
  s.print(`Invitation code: ${code}`);
  s.print(`  role:    ${invitation.role}`);
  s.print(`  areas:   ${s.describe(invitation.areas, directory)}`);
  s.print(
    `  expires: ${formatDateTime(invitation.expiresAt, s.timeZone, s.language)} (${s.timeZone}; in ${command.hours} hours)`,
  );
  s.print('The new officer sends this code to the bot on Telegram or Zalo. It works once; keep it private.');
}

async function listOfficers(s: Session): Promise<void> {
  const officers = await s.officers.list();
  if (officers.length === 0) {
    s.print('No officers or admins yet. Create an invitation: npm run admin -- invite --area <areas>');
    return;
  }
  const directory = await s.areas();
  s.print(
    table([
      ['ID', 'NAME', 'ROLE', 'CHANNEL', 'AREAS'],
      ...officers.map((o) => [
        o.member.id,
        o.member.displayName ?? '(no name)',
        o.member.role,
        o.member.channel,
        s.describe(o.areas, directory),
      ]),
    ]),
  );
}

async function rescope(command: Extract<AdminCommand, { name: 'officers rescope' }>, s: Session): Promise<void> {
  const member = await s.officer(command.memberId);
  const { codes, directory } = await resolveOrFail(command.areas, s);
  const before = await s.officers.areasOf(member.id);
  await s.officers.assign(member.id, member.role, codes);
  const after = await s.officers.areasOf(member.id);
  await s.audit.record({
    actor: ACTOR,
    action: 'officer.rescoped',
    subject: member.id,
    details: { role: member.role, before, after },
  });
  s.print(`${who(member)}: areas changed`);
  s.print(`  before: ${s.describe(before, directory)}`);
  s.print(`  after:  ${s.describe(after, directory)}`);
}

async function revoke(command: Extract<AdminCommand, { name: 'officers revoke' }>, s: Session): Promise<void> {
  const member = await s.officer(command.memberId);
  const before = await s.officers.areasOf(member.id);
  await s.officers.assign(member.id, 'member', []);
  await s.audit.record({
    actor: ACTOR,
    action: 'officer.revoked',
    subject: member.id,
    details: { previousRole: member.role, before },
  });
  const directory = await s.areas();
  s.print(`${who(member)} is a plain member again (was ${member.role} for ${s.describe(before, directory)}).`);
}

function who(member: Member): string {
  return `${member.displayName ?? '(no name)'} (${member.id}, ${member.role})`;
}

// ---- communes and wards ----------------------------------------------------------------------------------------

async function importAreas(command: Extract<AdminCommand, { name: 'areas import' }>, s: Session): Promise<void> {
  let source: string;
  try {
    source = await readFile(command.file, 'utf8');
  } catch (error) {
    throw new AdminError(`Cannot read ${command.file}: ${(error as Error).message}`, 1);
  }
  const checked = checkAreasSource(source);
  if (!checked.ok) {
    throw new AdminError(
      `${command.file} is not a valid areas file; nothing was imported:\n` +
        checked.problems.map((p) => `  ${command.file}: ${p}`).join('\n'),
      1,
    );
  }
  const dataset = await saveAreaDataset(s.deps.prisma, {
    json: checked.json,
    source: path.basename(command.file),
    importedBy: ACTOR,
  });
  const { units, province } = checked.file;
  const byType = new Map<string, number>();
  for (const unit of units) byType.set(unit.type.trim(), (byType.get(unit.type.trim()) ?? 0) + 1);
  const counts = [...byType].map(([type, count]) => `${count} ${type}`).join(', ');
  await s.audit.record({
    actor: ACTOR,
    action: 'areas.imported',
    subject: `areaDataset:${dataset.id}`,
    details: { source: dataset.source, province, units: units.length },
  });
  s.print(`Imported ${dataset.source} as area dataset #${dataset.id}: ${province}, ${units.length} units (${counts}).`);
  s.print('It is now the areas data in force; running bots use it after a restart.');
}

async function showAreas(s: Session): Promise<void> {
  const { directory, source } = await loadAreaDirectory(s.deps.prisma, s.deps.areasFile);
  const imported = await s.deps.prisma.areaDataset.count();
  s.print(`In force: ${source}: ${directory.province}, ${directory.size} units.`);
  if (imported === 0) s.print('No dataset was imported; import one with: npm run admin -- areas import <file>');
  else if (imported > 1) s.print(`${imported - 1} older import(s) kept as history.`);
}

// ---- loan programmes -------------------------------------------------------------------------------------------

async function importProgrammeFile(
  command: Extract<AdminCommand, { name: 'programmes import' }>,
  s: Session,
): Promise<void> {
  const result = await importProgrammes(s.deps.prisma, command.file, ACTOR);
  if (!result.ok) {
    throw new AdminError(
      `${command.file} is not a valid programme file; nothing was imported and the data in force is unchanged:\n` +
        result.problems.map((p) => `  ${command.file}: ${p}`).join('\n'),
      1,
    );
  }
  const { dataset, summary } = result;
  await s.audit.record({
    actor: ACTOR,
    action: 'programmes.imported',
    subject: `programmeDataset:${dataset.id}`,
    details: { version: summary.version, programmes: summary.programmes.length },
  });
  s.print(
    `Imported ${command.file} as programme dataset #${dataset.id}: version ${summary.version} ` +
      `(published ${summary.publishedOn}), ${summary.programmes.length} programmes, ${summary.ratePeriods} rate periods.`,
  );
  for (const warning of result.warnings) s.print(`Warning: ${warning}`);
  printUnconfirmed(summary.unconfirmed, s);
  s.print('It is now the programme data in force; running bots use it after a restart.');
}

async function showProgrammes(s: Session): Promise<void> {
  const loaded = await loadProgrammes(s.deps.prisma, DEFAULT_PROGRAMMES_FILE);
  s.print(`In force: ${loaded.source} (version ${loaded.version}).`);
  printUnconfirmed(summarizeProgrammes(loaded.data).unconfirmed, s);
}

function printUnconfirmed(unconfirmed: readonly string[], s: Session): void {
  if (unconfirmed.length === 0) return;
  s.print(`Not confirmed from a primary source (${unconfirmed.length}):`);
  for (const item of unconfirmed) s.print(`  - ${item}`);
}

// ---- cases export ----------------------------------------------------------------------------------------------

/** One CSV field (RFC 4180): quoted when it holds a quote, comma or line break; quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Text typed by people: a leading = + - @ would make Excel run it as a formula; a leading ' keeps it text. */
function plainText(value: string | null): string {
  if (value === null) return '';
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** The columns of the cases export, in order; their headers are `cases:export.<column>` in the chosen language. */
const CSV_COLUMNS = [
  'id',
  'type',
  'status',
  'communeCode',
  'commune',
  'subject',
  'createdAt',
  'claimedBy',
  'claimedAt',
  'closedAt',
  'note',
] as const;
const CONTACT_COLUMNS = ['memberName', 'memberPhone'] as const;

/**
 * The CSV text, BOM first (Excel then reads UTF-8), CRLF line ends. Headers, types, statuses and commune names are
 * in the language of `t`; times are local to `timeZone` with their offset ("2026-03-02 15:00:00 +07:00"). The
 * subject is what the member asked (a talk's message) or a loan's purpose.
 */
export async function casesCsv(
  prisma: PrismaClient,
  options: {
    statuses: readonly CaseStatus[] | undefined;
    withContact: boolean;
    directory: AreaDirectory;
    t: Translate;
    timeZone: string;
  },
): Promise<{ csv: string; count: number }> {
  const { t } = options;
  const at = (date: Date | null): string => (date === null ? '' : formatTimestamp(date, options.timeZone));
  const members = createMemberRepository(prisma);
  const cache = new Map<string, Promise<Member | null>>();
  const member = (id: string) => {
    let found = cache.get(id);
    if (found === undefined) {
      found = members.findById(id);
      cache.set(id, found);
    }
    return found;
  };
  const cases = (await createCaseRepository(prisma).all()).filter(
    (c) => options.statuses === undefined || options.statuses.includes(c.status),
  );
  const columns = [...CSV_COLUMNS, ...(options.withContact ? CONTACT_COLUMNS : [])];
  const rows = [columns.map((column) => t(`cases:export.${column}`))];
  for (const c of cases) {
    const unit = options.directory.byCodeOrNull(c.communeCode);
    const claimer = c.claimedById === null ? null : await member(c.claimedById);
    const row = [
      String(c.id),
      t(`cases:types.${c.type}`),
      t(`cases:statuses.${c.status}`),
      c.communeCode ?? '',
      unit === null ? '' : unitLabel(unit, t),
      plainText(c.details['topic'] ?? c.details['purpose'] ?? null),
      at(c.createdAt),
      c.claimedById === null ? '' : plainText(claimer?.displayName ?? c.claimedById),
      at(c.claimedAt),
      at(c.closedAt),
      plainText(c.note),
    ];
    if (options.withContact) {
      const owner = await member(c.memberId);
      row.push(plainText(owner?.displayName ?? null), owner?.phone ?? '');
    }
    rows.push(row);
  }
  const csv = `\uFEFF${rows.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
  return { csv, count: cases.length };
}

async function exportCases(command: Extract<AdminCommand, { name: 'cases export' }>, s: Session): Promise<void> {
  const { csv, count } = await casesCsv(s.deps.prisma, {
    statuses: command.statuses,
    withContact: command.withContact,
    directory: await s.areas(),
    t: command.language === undefined ? s.t : s.localisation.translator(command.language),
    timeZone: s.timeZone,
  });
  if (command.out === undefined) {
    s.deps.out(csv);
  } else {
    try {
      // With names and phone numbers, the file is readable by its owner only.
      await writeFile(command.out, csv, command.withContact ? { encoding: 'utf8', mode: 0o600 } : 'utf8');
    } catch (error) {
      throw new AdminError(`Cannot write ${command.out}: ${(error as Error).message}`, 1);
    }
  }
  // Personal data leaving the database is worth a trace (Law 91/2025: who processed what, when).
  await s.audit.record({
    actor: ACTOR,
    action: 'cases.exported',
    details: { count, statuses: command.statuses ?? 'all', withContact: command.withContact },
  });
  if (command.out === undefined) return;
  s.print(
    `Wrote ${count} case(s) to ${command.out}` +
      (command.withContact
        ? ' with member names and phone numbers: keep the file safe and delete it when done.'
        : ' (no member names or phone numbers; --with-contact adds them).'),
  );
}

// ---- audit log -------------------------------------------------------------------------------------------------

async function showAudit(command: Extract<AdminCommand, { name: 'audit' }>, s: Session): Promise<void> {
  const entries = await s.audit.list(command.subject === undefined ? {} : { subject: command.subject });
  if (entries.length === 0) {
    s.print(command.subject === undefined ? 'No audit entries.' : `No audit entries about ${command.subject}.`);
    return;
  }
  const recent = entries.slice(-command.limit);
  s.print(
    table([
      ['AT', 'ACTOR', 'ACTION', 'SUBJECT', 'DETAILS'],
      ...recent.map((e) => [
        formatTimestamp(e.at, s.timeZone),
        e.actor,
        e.action,
        e.subject ?? '-',
        e.details === undefined ? '' : JSON.stringify(e.details),
      ]),
    ]),
  );
  if (recent.length < entries.length)
    s.print(`(${recent.length} most recent of ${entries.length}; --limit shows more)`);
}

// ---- jobs ------------------------------------------------------------------------------------------------------

/**
 * Failed and overdue jobs (or all with --all): id, kind, state, tries, when due, the key, the error. Errors were
 * redacted when stored; they are redacted again here in case an older version stored one unredacted.
 */
async function showJobs(command: Extract<AdminCommand, { name: 'jobs' }>, s: Session): Promise<void> {
  const store = createJobStore(s.deps.prisma);
  const overdueBefore = new Date(s.clock.now().getTime() - OVERDUE_AFTER_MS);
  const jobs = command.all
    ? await store.list({ limit: command.limit })
    : await store.attention(overdueBefore, command.limit);
  const counts = await store.counts(overdueBefore);
  const summary = `${counts.failed} failed, ${counts.overdue} overdue`;
  if (jobs.length === 0) {
    s.print(command.all ? 'No jobs.' : 'No failed or overdue jobs.');
    return;
  }
  const zone = s.deps.timeZone ?? DEFAULT_TIME_ZONE;
  const overdue = (job: Job) =>
    (job.status === 'queued' && job.runAt < overdueBefore) ||
    (job.status === 'running' && job.lockedUntil !== null && job.lockedUntil < overdueBefore);
  s.print(
    table([
      ['ID', 'KIND', 'STATE', 'TRIES', 'DUE', 'KEY', 'ERROR'],
      ...jobs.map((job) => [
        String(job.id),
        job.kind,
        overdue(job) ? `${job.status}, overdue` : job.status,
        `${job.attempts}/${job.maxAttempts}`,
        formatTimestamp(job.runAt, zone),
        job.key ?? '-',
        job.lastError === null ? '' : redactText(job.lastError),
      ]),
    ]),
  );
  s.print(summary);
}

/** Columns padded to their widest cell; the last one is not padded. */
function table(rows: readonly (readonly string[])[]): string {
  const cells = rows.map((row) => row.map((cell) => cell.normalize('NFC').replace(/\s+/g, ' ')));
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0)));
  return cells
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

// ---- as a script -----------------------------------------------------------------------------------------------

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseAdminArgs(argv);
  if (!parsed.ok) {
    process.stderr.write(`${parsed.problem}\n\n${USAGE}\n`);
    return 2;
  }
  if (parsed.command.name === 'help') {
    process.stdout.write(`${USAGE}\n`);
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
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
    });
  } finally {
    await db.close();
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
