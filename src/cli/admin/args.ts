// The admin command line's grammar: its usage text and how argv becomes an AdminCommand, without touching the
// database. Bad input is a UsageProblem (printed with the usage, exit status 2).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CASE_STATUSES, type CaseStatus } from '../../domain/cases.ts';
import { LANGUAGES, type Language } from '../../domain/member.ts';
import type { Invitation } from '../../domain/officers.ts';
import { LISTING_STATUSES, type ListingStatus } from '../../domain/listings.ts';
import { COURSE_STATUSES, TRAINING_OUTCOMES, type CourseStatus, type TrainingOutcome } from '../../domain/courses.ts';
import { courseDate, type CourseColumn } from '../../features/courseAdmin/fields.ts';
import { BROADCAST_STATUSES, type BroadcastButton, type BroadcastStatus } from '../../domain/broadcasts.ts';
import { CHANNELS, type ChannelName } from '../../domain/channels.ts';

export const USAGE = `Usage: npm run admin -- <command>

Officers and invitations
  invite --area <areas> [--role officer|admin] [--hours 72]
                                      create a single-use invitation code; the officer sends it to the bot
  officers list [--lang vi|en]        officers and admins with their areas
  officers rescope <memberId> --area <areas>
                                      replace an officer's areas
  officers revoke <memberId>          make an officer or admin a plain member again
Members
  members erase <memberId>            erase everything stored about a member (as her "Delete my data": profile,
                                      consents, requests, photos, jobs about her; her id anonymised in the audit log)
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
  audit [--subject <id>] [--limit 50] [--lang vi|en]
                                      recent audit log entries
Vocational courses
  courses list [--status draft|open|closed|cancelled] [--lang vi|en]
                                      every course with its seats taken and status
  courses show <id> [--lang vi|en]    one course in full, with its registrations and waiting list counted
  courses create --title-vi <t> --occupation <o> --organiser <o> --commune <c> --address <a> --start <date>
                 --end <date> --schedule <s> --seats <n> --deadline <date [time]> [--title-en <t>] [--notes <n>]
                 [--support decision46|none] [--officer <phone or id>] [--status draft|open|closed] [--key <k>]
                                      create a course (a draft unless --status open)
  courses edit <id> [the same options] change fields; members registered or waiting are told of a new date or venue
  courses open <id> | close <id>      open or close registration
  courses cancel <id> --yes           cancel the course; everyone registered or waiting is told
  courses import <file.csv|file.json> create or update courses from a file (by its externalKey column); every row
                                      is checked first and nothing is imported when one is wrong
  courses rollcall <id> [--out <file.csv>] [--lang vi|en]
                                      the roll call for Excel: registrants and the waiting list, names and phones of
                                      those who consented, columns for attendance and completion to fill in
  courses attendance <id> <file.csv>  import the filled-in roll call (marks attended / completed); all or nothing
  courses outcome <registrationId> yes|partly|notYet
                                      record a three-month answer collected by phone
  courses report [--from <date>] [--to <date>] [--json] [--lang vi|en]
                                      per course and per commune: registered, attended, completed, earning from it,
                                      and the three-month question's response rate per channel
Product listings
  listings export [--status approved|pending|changes|rejected|withdrawn|all] [--format csv|json] [--out <file>]
                  [--lang vi|en]
                                      listings for the Union's stores (default: approved and published), CSV for
                                      Excel or JSON, with the paths of each photo and thumbnail under FILES_DIR;
                                      the seller's name, commune and phone only where she consented to publish them,
                                      never her hamlet. Staff only: keep the file inside the Union
  listings list [--status ...|all] [--lang vi|en]
                                      every listing (default: all statuses) with its status, group and commune
  listings show <id> [--lang vi|en]   one listing as the export gives it (consent applied), with its photo paths
Broadcasts (announcements to members)
  broadcasts create --text-file <vi.txt> [--text-file-en <en.txt>] [--photo <path.jpg>]
                    [--button course:<id>|courses|credit|product] [--commune <name or code> ...]
                    [--channel telegram|zalo|zalobot|console ...] [--language vi|en ...]
                    [--course <id> --registrants|--waiting-list] [--credit-open] [--products pending,approved]
                    [--at "2026-12-10 08:00"] [--urgent] [--zalo-promotion] [--expires "2026-12-17 21:00"]
                    [--as <admin id or channel:user>] [--yes]
                                      compose one from text files (--text-file-en alone: English only); prints
                                      the audience size, per channel and out of reach now, and asks to confirm
                                      unless --yes; over BROADCAST_APPROVAL_THRESHOLD another admin approves it
  broadcasts list [--status <s>,...] [--limit 20]
                                      recent broadcasts with their status, date and counts
  broadcasts show <id> [--watch [--every 5]]
                                      progress: sent, pending, failed, unreachable, not reachable now, opted out,
                                      uncertain, rate and time left; --watch refreshes until it is done (bounded)
  broadcasts cancel <id> [--as ...] stop a scheduled or running broadcast (sends under way finish)
  broadcasts approve <id> --as ...  | reject <id> [--note <text>] --as ...
                                      the second admin's decision on one awaiting approval
  broadcasts failures <id> [--out <file.csv>]
                                      who did not get it and why, CSV for Excel (member id, channel, status, reason,
                                      attempts, uncertain, time); no names or phones
  --as: the admin who acts (her member id, or channel:user id such as telegram:12345); may be left out when there
        is a single admin. Dates and times are read in TIME_ZONE ("2026-12-10 08:00", "8:00 10/12", "mai 7h").
Jobs
  jobs [--all] [--limit 50]           failed and overdue jobs with their errors (personal data redacted);
                                      --all lists every job
  help                                this text

--lang: the language of headers and labels (default DEFAULT_LANGUAGE, itself vi by default).
<areas>: commune/ward codes or current names (accents optional), separated by commas, or '*' (quoted) for the
whole province. Examples: --area "Phan Dinh Phung,05467"  --area '*'
Dates and times are in TIME_ZONE (default Asia/Ho_Chi_Minh).
Reads DATABASE_URL, AREAS_FILE, FILES_DIR, DEFAULT_LANGUAGE and TIME_ZONE from the environment or ./.env.`;

/**
 * The part of USAGE about one command (`broadcasts`, `courses`, `invite`): the first line, the block (its heading and
 * lines) that lists the command, and the closing notes. The whole USAGE when no block lists it.
 */
export function usageOf(command: string): string {
  const lines = USAGE.split('\n');
  const notes = lines.findIndex((l, i) => i > 2 && l === '');
  const blocks: string[][] = [];
  for (const line of lines.slice(2, notes)) {
    if (!line.startsWith(' ')) blocks.push([line]);
    else blocks.at(-1)?.push(line);
  }
  const block = blocks.find((b) => b.slice(1).some((l) => l.startsWith(`  ${command} `) || l === `  ${command}`));
  if (!block) return USAGE;
  return [lines[0], '', ...block, ...lines.slice(notes)].join('\n');
}

const ROLE_CHOICES = ['officer', 'admin'] as const;
const DEFAULT_HOURS = 72;
const MAX_HOURS = 30 * 24;
const DEFAULT_AUDIT_LIMIT = 50;
const MAX_AUDIT_LIMIT = 10_000;

export type AdminCommand =
  /** The usage: all of it, or one command's part (`broadcasts --help`: the "Broadcasts" block). */
  | { name: 'help'; topic?: string }
  | { name: 'invite'; areas: string[]; role: Invitation['role']; hours: number }
  | { name: 'officers list'; language: Language | undefined }
  | { name: 'officers rescope'; memberId: string; areas: string[] }
  | { name: 'officers revoke'; memberId: string }
  | { name: 'members erase'; memberId: string }
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
  | { name: 'audit'; subject: string | undefined; limit: number; language: Language | undefined }
  | { name: 'jobs'; all: boolean; limit: number }
  | ListingsCommand
  | CoursesCommand
  | BroadcastsCommand;

/** The `broadcasts ...` commands (src/cli/admin/broadcasts.ts). `as`: the acting admin as typed (--as). */
export type BroadcastsCommand =
  | {
      name: 'broadcasts create';
      textFile: string | undefined;
      textFileEn: string | undefined;
      photo: string | undefined;
      button: BroadcastButton | null;
      communes: string[];
      channels: ChannelName[];
      languages: Language[];
      course: { courseId: number; who: 'registrants' | 'waitingList' | 'both' } | undefined;
      creditOpen: boolean;
      products: Array<'pending' | 'approved'>;
      at: string | undefined;
      expires: string | undefined;
      urgent: boolean;
      zaloPromotion: boolean;
      as: string | undefined;
      yes: boolean;
    }
  | { name: 'broadcasts list'; statuses: BroadcastStatus[] | undefined; limit: number }
  | { name: 'broadcasts show'; id: number; watch: boolean; everySeconds: number }
  | { name: 'broadcasts cancel' | 'broadcasts approve'; id: number; as: string | undefined }
  | { name: 'broadcasts reject'; id: number; note: string | undefined; as: string | undefined }
  | { name: 'broadcasts failures'; id: number; out: string | undefined };

/** The `listings ...` commands. `status` undefined: every status. */
export type ListingsCommand =
  | {
      name: 'listings export';
      /** Default 'approved' (published listings only); undefined: every status. */
      status: ListingStatus | undefined;
      format: 'csv' | 'json';
      out: string | undefined;
      language: Language | undefined;
    }
  | { name: 'listings list'; status: ListingStatus | undefined; language: Language | undefined }
  | { name: 'listings show'; id: number; language: Language | undefined };

/** The `courses ...` commands. `fields`: the course fields given as options, by import-file column. */
export type CoursesCommand =
  | { name: 'courses list'; status: CourseStatus | undefined; language: Language | undefined }
  | { name: 'courses show'; id: number; language: Language | undefined }
  | { name: 'courses create'; fields: Partial<Record<CourseColumn, string>> }
  | { name: 'courses edit'; id: number; fields: Partial<Record<CourseColumn, string>> }
  | { name: 'courses open' | 'courses close'; id: number }
  | { name: 'courses cancel'; id: number; yes: boolean }
  | { name: 'courses import'; file: string }
  | { name: 'courses rollcall'; id: number; out: string | undefined; language: Language | undefined }
  | { name: 'courses attendance'; id: number; file: string }
  | { name: 'courses outcome'; registrationId: number; outcome: TrainingOutcome }
  | {
      name: 'courses report';
      /** Local dates "YYYY-MM-DD": courses starting in this range (both ends included). */
      from: string | undefined;
      to: string | undefined;
      json: boolean;
      language: Language | undefined;
    };

/** `courses create|edit` options and the import-file column each one fills. */
const COURSE_OPTIONS: Record<string, CourseColumn> = {
  key: 'externalKey',
  'title-vi': 'titleVi',
  'title-en': 'titleEn',
  occupation: 'occupation',
  organiser: 'organiser',
  commune: 'commune',
  address: 'address',
  start: 'startDate',
  end: 'endDate',
  schedule: 'schedule',
  seats: 'seats',
  deadline: 'registrationDeadline',
  notes: 'eligibilityNotes',
  support: 'support',
  officer: 'officer',
  status: 'status',
};

/** Bad input: shown with the usage, exit status 2. */
export class UsageProblem extends Error {}

/**
 * A value the operator typed that is not one of the accepted ones (`courses outcome 3 maybe`): the one line naming
 * the accepted values says it all, so the usage is not printed after it.
 */
export class ValueProblem extends UsageProblem {}

/** A command that cannot do what was asked: shown as is, with this exit status. */ type Options = NonNullable<
  ParseArgsConfig['options']
>;

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
): { ok: true; command: AdminCommand } | { ok: false; problem: string; showUsage: boolean } {
  try {
    return { ok: true, command: parseCommand(argv) };
  } catch (error) {
    if (error instanceof UsageProblem) {
      return { ok: false, problem: error.message, showUsage: !(error instanceof ValueProblem) };
    }
    throw error;
  }
}

export function parseCommand(argv: readonly string[]): AdminCommand {
  const [first, second] = argv;
  if (first === undefined) throw new UsageProblem('No command given');
  if (first === 'help' || argv.includes('--help') || argv.includes('-h')) {
    const topic = first === 'help' ? second : first;
    return topic !== undefined && !topic.startsWith('-') && usageOf(topic) !== USAGE
      ? { name: 'help', topic }
      : { name: 'help' };
  }
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
        case 'list': {
          const { values } = readArgs(subRest, { lang: { type: 'string' } }, []);
          return { name: 'officers list', language: languageOption(values.lang) };
        }
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
    case 'members': {
      if (second !== 'erase') throw new UsageProblem(unknownSubcommand('members', second, ['erase']));
      const { positionals } = readArgs(subRest, {}, ['the member id']);
      return { name: 'members erase', memberId: memberIdArgument(positionals[0]!) };
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
      const { values } = readArgs(
        rest,
        { subject: { type: 'string' }, limit: { type: 'string' }, lang: { type: 'string' } },
        [],
      );
      return {
        name: 'audit',
        subject: values.subject,
        limit: integerOption('limit', values.limit, DEFAULT_AUDIT_LIMIT, MAX_AUDIT_LIMIT),
        language: languageOption(values.lang),
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
    case 'courses':
      return parseCourses(second, subRest);
    case 'listings':
      return parseListings(second, subRest);
    case 'broadcasts':
      return parseBroadcasts(second, subRest);
    default:
      throw new UsageProblem(`Unknown command '${first}'`);
  }
}

const COURSE_SUBCOMMANDS = [
  'list',
  'show',
  'create',
  'edit',
  'open',
  'close',
  'cancel',
  'import',
  'rollcall',
  'attendance',
  'outcome',
  'report',
] as const;

function idArgument(raw: string, what: string): number {
  const id = /^\s*#?(\d{1,9})\s*$/.exec(raw);
  if (!id) throw new UsageProblem(`${what} must be a number (got '${raw}')`);
  return Number(id[1]);
}

function dateOption(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const iso = courseDate(raw);
  if (iso === null) throw new UsageProblem(`--${name} must be a date such as 15/01/2027 or 2027-01-15 (got '${raw}')`);
  return iso;
}

function parseCourses(sub: string | undefined, args: readonly string[]): CoursesCommand {
  const courseId = ['the course id (see courses list)'];
  const fieldOptions = Object.fromEntries(Object.keys(COURSE_OPTIONS).map((k) => [k, { type: 'string' as const }]));
  const fieldsOf = (values: Record<string, unknown>): Partial<Record<CourseColumn, string>> => {
    const fields: Partial<Record<CourseColumn, string>> = {};
    for (const [option, column] of Object.entries(COURSE_OPTIONS)) {
      const value = values[option];
      if (typeof value === 'string') fields[column] = value;
    }
    return fields;
  };
  switch (sub) {
    case 'list': {
      const { values } = readArgs(args, { status: { type: 'string' }, lang: { type: 'string' } }, []);
      if (values.status !== undefined && !(COURSE_STATUSES as readonly string[]).includes(values.status)) {
        throw new UsageProblem(`--status must be one of ${COURSE_STATUSES.join(', ')} (got '${values.status}')`);
      }
      return {
        name: 'courses list',
        status: values.status as CourseStatus | undefined,
        language: languageOption(values.lang),
      };
    }
    case 'show': {
      const { values, positionals } = readArgs(args, { lang: { type: 'string' } }, courseId);
      return {
        name: 'courses show',
        id: idArgument(positionals[0]!, 'The course id'),
        language: languageOption(values.lang),
      };
    }
    case 'create': {
      const { values } = readArgs(args, fieldOptions, []);
      return { name: 'courses create', fields: fieldsOf(values) };
    }
    case 'edit': {
      const { values, positionals } = readArgs(args, fieldOptions, courseId);
      const fields = fieldsOf(values);
      if (Object.keys(fields).length === 0) {
        throw new UsageProblem('Nothing to change: give the fields to change, e.g. --seats 25');
      }
      if (fields.externalKey !== undefined || fields.status !== undefined) {
        throw new UsageProblem('--key and --status cannot be edited (use courses open|close|cancel)');
      }
      return { name: 'courses edit', id: idArgument(positionals[0]!, 'The course id'), fields };
    }
    case 'open':
    case 'close': {
      const { positionals } = readArgs(args, {}, courseId);
      return { name: `courses ${sub}`, id: idArgument(positionals[0]!, 'The course id') };
    }
    case 'cancel': {
      const { values, positionals } = readArgs(args, { yes: { type: 'boolean' } }, courseId);
      return { name: 'courses cancel', id: idArgument(positionals[0]!, 'The course id'), yes: values.yes ?? false };
    }
    case 'import': {
      const { positionals } = readArgs(args, {}, ['the file to import (.csv or .json)']);
      return { name: 'courses import', file: positionals[0]! };
    }
    case 'rollcall': {
      const { values, positionals } = readArgs(args, { out: { type: 'string' }, lang: { type: 'string' } }, courseId);
      if (values.out?.trim() === '') throw new UsageProblem('--out needs a file name');
      return {
        name: 'courses rollcall',
        id: idArgument(positionals[0]!, 'The course id'),
        out: values.out,
        language: languageOption(values.lang),
      };
    }
    case 'attendance': {
      const { positionals } = readArgs(args, {}, [...courseId, 'the filled-in roll call (.csv)']);
      return { name: 'courses attendance', id: idArgument(positionals[0]!, 'The course id'), file: positionals[1]! };
    }
    case 'outcome': {
      const { positionals } = readArgs(args, {}, ['the registration id (see courses rollcall)', 'the answer']);
      const outcome = TRAINING_OUTCOMES.find((o) => o.toLowerCase() === positionals[1]!.trim().toLowerCase());
      if (outcome === undefined) {
        throw new ValueProblem(
          `courses outcome: the answer must be one of ${TRAINING_OUTCOMES.join(', ')} (got '${positionals[1]!}')`,
        );
      }
      return { name: 'courses outcome', registrationId: idArgument(positionals[0]!, 'The registration id'), outcome };
    }
    case 'report': {
      const { values } = readArgs(
        args,
        { from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean' }, lang: { type: 'string' } },
        [],
      );
      const from = dateOption('from', values.from);
      const to = dateOption('to', values.to);
      if (from !== undefined && to !== undefined && to < from) throw new UsageProblem('--to is before --from');
      return { name: 'courses report', from, to, json: values.json ?? false, language: languageOption(values.lang) };
    }
    default:
      throw new UsageProblem(unknownSubcommand('courses', sub, COURSE_SUBCOMMANDS));
  }
}

/** `--status <s>|all`: undefined for all. */
function listingStatusOption(raw: string | undefined, fallback: ListingStatus | 'all'): ListingStatus | undefined {
  const wanted = (raw ?? fallback).trim().toLowerCase();
  if (wanted === 'all') return undefined;
  const status = LISTING_STATUSES.find((s) => s.toLowerCase() === wanted);
  if (status === undefined) {
    throw new UsageProblem(`--status must be one of ${[...LISTING_STATUSES, 'all'].join(', ')} (got '${raw ?? ''}')`);
  }
  return status;
}

function parseListings(sub: string | undefined, args: readonly string[]): ListingsCommand {
  switch (sub) {
    case 'export': {
      const { values } = readArgs(
        args,
        { status: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, lang: { type: 'string' } },
        [],
      );
      if (values.out?.trim() === '') throw new UsageProblem('--out needs a file name');
      const format = (values.format ?? 'csv').trim().toLowerCase();
      if (format !== 'csv' && format !== 'json') {
        throw new UsageProblem(`--format must be csv or json (got '${values.format ?? ''}')`);
      }
      return {
        name: 'listings export',
        status: listingStatusOption(values.status, 'approved'),
        format,
        out: values.out,
        language: languageOption(values.lang),
      };
    }
    case 'list': {
      const { values } = readArgs(args, { status: { type: 'string' }, lang: { type: 'string' } }, []);
      return {
        name: 'listings list',
        status: listingStatusOption(values.status, 'all'),
        language: languageOption(values.lang),
      };
    }
    case 'show': {
      const { values, positionals } = readArgs(args, { lang: { type: 'string' } }, [
        'the listing id (see listings list)',
      ]);
      return {
        name: 'listings show',
        id: idArgument(positionals[0]!, 'The listing id'),
        language: languageOption(values.lang),
      };
    }
    default:
      throw new UsageProblem(unknownSubcommand('listings', sub, ['export', 'list', 'show']));
  }
}

const BROADCAST_SUBCOMMANDS = ['create', 'list', 'show', 'cancel', 'approve', 'reject', 'failures'] as const;

/** "a,b" given once or several times → ["a", "b"], trimmed, no empties. */
function listOption(values: readonly string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

function oneOf<T extends string>(name: string, raw: string, known: readonly T[]): T {
  const value = known.find((k) => k.toLowerCase() === raw.trim().toLowerCase());
  if (value === undefined) throw new UsageProblem(`--${name} must be one of ${known.join(', ')} (got '${raw}')`);
  return value;
}

/** --button course:12 | courses | credit | product. */
function buttonOption(raw: string | undefined): BroadcastButton | null {
  if (raw === undefined) return null;
  const value = raw.trim().toLowerCase();
  const course = /^course:#?(\d{1,9})$/.exec(value);
  if (course) return { target: 'courseRegister', courseId: Number(course[1]) };
  if (value === 'courses') return { target: 'courses' };
  if (value === 'credit') return { target: 'credit' };
  if (value === 'product') return { target: 'productReport' };
  throw new UsageProblem(`--button must be course:<id>, courses, credit or product (got '${raw}')`);
}

function parseBroadcasts(sub: string | undefined, args: readonly string[]): BroadcastsCommand {
  const broadcastId = ['the broadcast id (see broadcasts list)'];
  const asOption = { as: { type: 'string' as const } };
  switch (sub) {
    case 'create': {
      const { values } = readArgs(
        args,
        {
          'text-file': { type: 'string' },
          'text-file-en': { type: 'string' },
          photo: { type: 'string' },
          button: { type: 'string' },
          commune: { type: 'string', multiple: true },
          channel: { type: 'string', multiple: true },
          language: { type: 'string', multiple: true },
          course: { type: 'string' },
          registrants: { type: 'boolean' },
          'waiting-list': { type: 'boolean' },
          'credit-open': { type: 'boolean' },
          products: { type: 'string' },
          at: { type: 'string' },
          expires: { type: 'string' },
          urgent: { type: 'boolean' },
          'zalo-promotion': { type: 'boolean' },
          yes: { type: 'boolean' },
          ...asOption,
        },
        [],
      );
      if (values['text-file'] === undefined && values['text-file-en'] === undefined) {
        throw new UsageProblem('--text-file (Vietnamese) or --text-file-en (English) is required');
      }
      const registrants = values.registrants ?? false;
      const waiting = values['waiting-list'] ?? false;
      let course: Extract<BroadcastsCommand, { name: 'broadcasts create' }>['course'];
      if (values.course !== undefined) {
        if (!registrants && !waiting) throw new UsageProblem('--course needs --registrants and/or --waiting-list');
        course = {
          courseId: idArgument(values.course, '--course'),
          who: registrants && waiting ? 'both' : registrants ? 'registrants' : 'waitingList',
        };
      } else if (registrants || waiting) {
        throw new UsageProblem('--registrants and --waiting-list need --course <id>');
      }
      return {
        name: 'broadcasts create',
        textFile: values['text-file'],
        textFileEn: values['text-file-en'],
        photo: values.photo,
        button: buttonOption(values.button),
        // A commune name may hold a comma-free space ("Phan Dinh Phung"): each --commune is one, or a comma list.
        communes: listOption(values.commune),
        channels: [...new Set(listOption(values.channel).map((c) => oneOf('channel', c, CHANNELS)))],
        languages: [...new Set(listOption(values.language).map((l) => oneOf('language', l, LANGUAGES)))],
        course,
        creditOpen: values['credit-open'] ?? false,
        products: [
          ...new Set(
            listOption(values.products === undefined ? [] : [values.products]).map((p) =>
              oneOf('products', p, ['pending', 'approved'] as const),
            ),
          ),
        ],
        at: values.at,
        expires: values.expires,
        urgent: values.urgent ?? false,
        zaloPromotion: values['zalo-promotion'] ?? false,
        as: values.as,
        yes: values.yes ?? false,
      };
    }
    case 'list': {
      const { values } = readArgs(args, { status: { type: 'string' }, limit: { type: 'string' } }, []);
      const statuses =
        values.status === undefined
          ? undefined
          : [...new Set(listOption([values.status]).map((st) => oneOf('status', st, BROADCAST_STATUSES)))];
      return { name: 'broadcasts list', statuses, limit: integerOption('limit', values.limit, 20, 1000) };
    }
    case 'show': {
      const { values, positionals } = readArgs(
        args,
        { watch: { type: 'boolean' }, every: { type: 'string' } },
        broadcastId,
      );
      const every = values.every === undefined ? 5 : Number(values.every);
      if (!(every >= 0.01 && every <= 600)) throw new UsageProblem('--every must be seconds from 0.01 to 600');
      return {
        name: 'broadcasts show',
        id: idArgument(positionals[0]!, 'The broadcast id'),
        watch: values.watch ?? false,
        everySeconds: every,
      };
    }
    case 'cancel':
    case 'approve': {
      const { values, positionals } = readArgs(args, asOption, broadcastId);
      return { name: `broadcasts ${sub}`, id: idArgument(positionals[0]!, 'The broadcast id'), as: values.as };
    }
    case 'reject': {
      const { values, positionals } = readArgs(args, { ...asOption, note: { type: 'string' } }, broadcastId);
      return {
        name: 'broadcasts reject',
        id: idArgument(positionals[0]!, 'The broadcast id'),
        note: values.note,
        as: values.as,
      };
    }
    case 'failures': {
      const { values, positionals } = readArgs(args, { out: { type: 'string' } }, broadcastId);
      if (values.out?.trim() === '') throw new UsageProblem('--out needs a file name');
      return { name: 'broadcasts failures', id: idArgument(positionals[0]!, 'The broadcast id'), out: values.out };
    }
    default:
      throw new UsageProblem(unknownSubcommand('broadcasts', sub, BROADCAST_SUBCOMMANDS));
  }
}

function unknownSubcommand(command: string, sub: string | undefined, known: readonly string[]): string {
  const expected = `expected ${known.map((k) => `'${command} ${k}'`).join(', ')}`;
  return sub === undefined
    ? `'${command}' needs a subcommand: ${expected}`
    : `Unknown command '${command} ${sub}': ${expected}`;
}
