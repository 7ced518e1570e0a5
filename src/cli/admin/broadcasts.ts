// `broadcasts ...`: announcements to members from the command line (issue 14), through the bot's own BroadcastService
// (src/features/broadcasts/service.ts: every rule, the audit log, the messages to admins): `create` from text files
// (prints the audience size, per channel and out of reach now, and asks to confirm unless --yes), `list`, `show`
// (progress with rate and time left; --watch refreshes until it is done, bounded), `cancel`, `approve`, `reject`,
// `failures` (CSV for Excel: BOM, formula-safe cells; member id, channel, status, reason, attempts, uncertain, time in
// TIME_ZONE; never a name or a phone). The service acts for an admin (a Member): the one named by --as (her member id,
// or channel:user id), or the only admin when there is one; the audit log names her, as the chat would.
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { fileKey, type FileStore, type ImageSanitizer, type StoredFileRepository } from '../../domain/files.ts';
import type {
  AudienceSpec,
  Broadcast,
  BroadcastInput,
  BroadcastProgress,
  DeliveryFailure,
  DailyWindow,
} from '../../domain/broadcasts.ts';
import { WHOLE_PROVINCE } from '../../domain/officers.ts';
import { CHANNELS, type ChannelName } from '../../domain/channels.ts';
import type { Member } from '../../domain/member.ts';
import { formatTimestamp } from '../../domain/time.ts';
import { estimated, progressText } from '../../features/broadcasts/adminActions.ts';
import { confirmationText, describeSize, MAX_TEXT, refusalText } from '../../features/broadcasts/compose.ts';
import type { BroadcastRefusal, BroadcastService } from '../../features/broadcasts/contract.ts';
import { parseWhen } from '../../features/broadcasts/when.ts';
import type { BroadcastsCommand } from './args.ts';
import { AdminContext, AdminError, table, who } from './context.ts';
import { resolveAreas } from './officers.ts';
import { failuresCsv } from '../../features/broadcasts/failuresFile.ts';

/** What the commands work with: the bot's broadcast service and its unit of work (wiring.ts: AdminServices.broadcasts). */
export interface BroadcastCliTools {
  service: BroadcastService;
  /** One unit of work: the broadcast and the messages to admins it sends are committed together. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Stores a photo from a file for `memberId` (checked and cleaned as a member's photo is): its StoredFile id, or the
   * problem (not an image, too large).
   */
  storePhoto?(memberId: string, bytes: Uint8Array): Promise<{ ok: true; id: string } | { ok: false; problem: string }>;
  /** The approval threshold (BROADCAST_APPROVAL_THRESHOLD), for the messages. */
  approvalThreshold: number;
  /** BROADCAST_HOURS: the confirmation says when a non-urgent broadcast outside them really starts. */
  hours?: DailyWindow;
}

/**
 * Stores a photo file for the CLI's `create --photo` as a member's photo is stored (src/app/files/intake.ts): checked
 * and cleaned (no EXIF, no GPS), the record first, then the bytes, under the acting admin. Refused when it is larger
 * than `maxBytes` or not an image.
 */
export function cliPhotoStore(deps: {
  images: ImageSanitizer;
  store: FileStore;
  files: StoredFileRepository;
  maxBytes: number;
}): NonNullable<BroadcastCliTools['storePhoto']> {
  return async (memberId, bytes) => {
    if (bytes.length > deps.maxBytes) return { ok: false, problem: `larger than ${deps.maxBytes} bytes` };
    const clean = await deps.images.sanitize(bytes);
    if (!clean.ok) return { ok: false, problem: `not an image the bot sends (${clean.reason})` };
    const { image } = clean;
    const id = randomBytes(16).toString('base64url');
    const key = fileKey(memberId, id, image.extension);
    await deps.files.create({
      id,
      memberId,
      key,
      sha256: createHash('sha256').update(image.bytes).digest('hex'),
      mime: image.mime,
      bytes: image.bytes.length,
      width: image.width,
      height: image.height,
    });
    try {
      await deps.store.put(key, image.bytes, image.mime);
    } catch (error) {
      await deps.files.delete(id).catch(() => undefined);
      throw error;
    }
    return { ok: true, id };
  };
}

/** The most rounds `show --watch` refreshes (at --every 5 s: one hour), so it never runs forever. */
export const MAX_WATCH_ROUNDS = 720;
/** Failures read per page for the CSV (keyset pages: memory does not grow with the audience). */
const FAILURES_PAGE = 1000;
const FINAL: readonly Broadcast['status'][] = ['done', 'cancelled', 'rejected'];

type ToolsOf = (s: AdminContext) => Promise<BroadcastCliTools>;

/** Runs one `broadcasts ...` command; failures are AdminErrors (exit 2: bad input or not found; 1: refused). */
export async function runBroadcasts(
  command: BroadcastsCommand,
  operator: AdminContext,
  toolsOf: ToolsOf,
): Promise<void> {
  // The operator is spoken to in English, as every admin command's messages are (README "Admin command line"); the
  // broadcast's own texts are printed as written, dates in TIME_ZONE.
  const s = new AdminContext(operator.services, { ...operator.output, language: 'en' });
  const tools = await toolsOf(s);
  switch (command.name) {
    case 'broadcasts create':
      return create(command, tools, s);
    case 'broadcasts list':
      return list(command, tools, s);
    case 'broadcasts show':
      return show(command, tools, s);
    case 'broadcasts cancel':
    case 'broadcasts approve':
    case 'broadcasts reject':
      return decide(command, tools, s);
    case 'broadcasts failures':
      return failures(command, tools, s);
  }
}

/** The refusal as the chat says it (in the CLI's language), as an error with exit status 2 (bad input) or 1. */
function refused(refusal: BroadcastRefusal, s: AdminContext): AdminError {
  return new AdminError(
    refusalText(refusal, s.t),
    refusal.reason === 'notFound' || refusal.reason === 'invalid' ? 2 : 1,
  );
}

/** The acting admin: --as (member id or channel:user id), or the only admin there is. */
export async function actingAdmin(as: string | undefined, s: AdminContext): Promise<Member> {
  if (as !== undefined) {
    const at = as.indexOf(':');
    const channel = at > 0 ? as.slice(0, at) : '';
    const member =
      at > 0 && (CHANNELS as readonly string[]).includes(channel)
        ? await s.services.members.findByChannelUser(channel as ChannelName, as.slice(at + 1))
        : await s.services.members.findById(as.trim());
    if (member === null) throw new AdminError(`--as: no member '${as}' (see: npm run admin -- officers list)`, 2);
    if (member.role !== 'admin') throw new AdminError(`--as: ${who(member)} is not an admin`, 2);
    return member;
  }
  const admins = (await s.services.officers.list()).map((o) => o.member).filter((m) => m.role === 'admin');
  if (admins.length === 1) return admins[0]!;
  throw new AdminError(
    admins.length === 0
      ? 'No admin yet: broadcasts are sent in an admin\'s name (invite one: npm run admin -- invite --role admin --area "*")'
      : `There are ${admins.length} admins: say which one acts with --as <member id> (see: npm run admin -- officers list)`,
    2,
  );
}

async function textOf(file: string | undefined): Promise<string | undefined> {
  if (file === undefined) return undefined;
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (error) {
    throw new AdminError(`Cannot read ${file}: ${(error as Error).message}`, 2);
  }
  const body = (raw.startsWith('\uFEFF') ? raw.slice(1) : raw).replace(/\r\n/g, '\n').trim();
  if (body === '') throw new AdminError(`${file} is empty`, 2);
  if (body.length > MAX_TEXT) throw new AdminError(`${file} has ${body.length} characters (at most ${MAX_TEXT})`, 2);
  return body;
}

/** What the confirmation needs to say when sending really starts (quiet hours, BROADCAST_HOURS). */
function startOf(broadcast: Broadcast, tools: BroadcastCliTools, s: AdminContext) {
  return tools.hours ? { now: s.services.clock.now(), hours: tools.hours, urgent: broadcast.urgent } : undefined;
}

/** A date and time typed for the CLI, in TIME_ZONE; refused when past. */
function instant(option: string, raw: string | undefined, s: AdminContext): Date | null {
  if (raw === undefined) return null;
  const parsed = parseWhen(raw, s.services.clock.now(), s.timeZone);
  if (parsed.ok) return parsed.at;
  throw new AdminError(
    parsed.problem === 'past'
      ? `--${option} ${raw}: that time has passed (now: ${formatTimestamp(s.services.clock.now(), s.timeZone)})`
      : `--${option} must be a date and time such as "2026-12-10 08:00" or "8:00 10/12" (got '${raw}')`,
    2,
  );
}

async function create(
  command: Extract<BroadcastsCommand, { name: 'broadcasts create' }>,
  tools: BroadcastCliTools,
  s: AdminContext,
): Promise<void> {
  const actor = await actingAdmin(command.as, s);
  const vi = await textOf(command.textFile);
  const en = await textOf(command.textFileEn);
  // Communes by name (accents optional) or code, as `invite --area` reads them.
  // Communes read as `invite --area` reads them (resolveAreas: a former, ambiguous or unknown name is refused with
  // the current unit and its code); '*' (the whole province) adds no condition.
  const communes: string[] = [];
  if (command.communes.length > 0) {
    const resolved = resolveAreas(command.communes, await s.areas(), s.t);
    if (!resolved.ok) throw new AdminError(resolved.problems.map((p) => `--commune ${p}`).join('\n'), 2);
    communes.push(...resolved.codes.filter((code) => code !== WHOLE_PROVINCE));
  }
  const audience: AudienceSpec = {
    ...(communes.length > 0 ? { communes: [...new Set(communes)] } : {}),
    ...(command.channels.length > 0 ? { channels: command.channels } : {}),
    ...(command.languages.length > 0 ? { languages: command.languages } : {}),
    ...(command.course ? { course: command.course } : {}),
    ...(command.creditOpen ? { creditInquiry: true } : {}),
    ...(command.products.length > 0 ? { products: command.products } : {}),
  };
  let photoFileId: string | null = null;
  if (command.photo !== undefined) {
    if (!tools.storePhoto) throw new AdminError('--photo: storing photos is not available here', 1);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(command.photo);
    } catch (error) {
      throw new AdminError(`Cannot read ${command.photo}: ${(error as Error).message}`, 2);
    }
    const stored = await tools.storePhoto(actor.id, bytes);
    if (!stored.ok) throw new AdminError(`--photo ${command.photo}: ${stored.problem}`, 2);
    photoFileId = stored.id;
  }
  const input: BroadcastInput = {
    texts: { ...(vi !== undefined ? { vi } : {}), ...(en !== undefined ? { en } : {}) },
    photoFileId,
    button: command.button,
    audience,
    urgent: command.urgent,
    zaloOutsideWindow: command.zaloPromotion ? 'promotion' : 'skip',
    scheduledAt: instant('at', command.at, s),
    expiresAt: instant('expires', command.expires, s),
  };
  const checked = await tools.service.validate(actor, input);
  if (!checked.ok) throw refused(checked.refusal, s);
  const size = await tools.service.audienceSize(actor, audience);
  if (!size.ok) throw refused(size.refusal, s);
  s.print(describeSize(size.size, s.t));
  if (!command.yes) {
    const answer = s.output.ask ? await s.output.ask('Send it? (yes/no) ') : undefined;
    if (answer === undefined) {
      throw new AdminError('Not sent. To send it, run again with --yes (or answer "yes" on a terminal).', 2);
    }
    if (!/^(y|yes|c|co|có)$/i.test(answer.trim())) {
      s.print('Not sent.');
      return;
    }
  }
  const result = await tools.run(() => tools.service.create(actor, input));
  if (!result.ok) throw refused(result.refusal, s);
  s.print(
    confirmationText(
      result.broadcast.id,
      result.confirmation,
      s.t,
      s.timeZone,
      s.language,
      tools.approvalThreshold,
      startOf(result.broadcast, tools, s),
    ),
  );
}

async function list(
  command: Extract<BroadcastsCommand, { name: 'broadcasts list' }>,
  tools: BroadcastCliTools,
  s: AdminContext,
): Promise<void> {
  const actor = await firstAdmin(s);
  const result = await tools.service.list(actor, {
    limit: command.limit,
    ...(command.statuses ? { statuses: command.statuses } : {}),
  });
  if (!result.ok) throw refused(result.refusal, s);
  if (result.items.length === 0) {
    s.print('No broadcasts.');
    return;
  }
  s.print(
    table([
      ['ID', 'STATUS', 'CREATED', 'START', 'AUDIENCE', 'LANGUAGES', 'TEXT'],
      ...result.items.map((b) => [
        String(b.id),
        b.status,
        formatTimestamp(b.createdAt, s.timeZone),
        (b.startedAt ?? b.scheduledAt) ? formatTimestamp((b.startedAt ?? b.scheduledAt)!, s.timeZone) : '-',
        b.audienceSize === null
          ? '-'
          : estimated(b, 0)
            ? s.t('broadcastAdmin:list.estimate', { count: b.audienceSize })
            : String(b.audienceSize),
        Object.keys(b.texts).join(','),
        (b.texts.vi ?? b.texts.en ?? '').replace(/\s+/g, ' ').slice(0, 40),
      ]),
    ]),
  );
}

/** Reading needs an admin too (the service checks it): the first admin when several (reads change nothing). */
async function firstAdmin(s: AdminContext): Promise<Member> {
  const admin = (await s.services.officers.list()).map((o) => o.member).find((m) => m.role === 'admin');
  if (!admin) throw new AdminError('No admin yet (invite one: npm run admin -- invite --role admin --area "*")', 2);
  return admin;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function show(
  command: Extract<BroadcastsCommand, { name: 'broadcasts show' }>,
  tools: BroadcastCliTools,
  s: AdminContext,
): Promise<void> {
  const actor = await firstAdmin(s);
  const read = async (): Promise<BroadcastProgress> => {
    const result = await tools.service.progress(actor, command.id);
    if (!result.ok) throw refused(result.refusal, s);
    return result.progress;
  };
  let progress = await read();
  s.print(progressText(progress, s.t, s.language, s.timeZone));
  if (!command.watch) return;
  for (let round = 1; round < MAX_WATCH_ROUNDS && !FINAL.includes(progress.broadcast.status); round++) {
    await sleep(command.everySeconds * 1000);
    progress = await read();
    s.print('');
    s.print(progressText(progress, s.t, s.language, s.timeZone));
  }
}

async function decide(
  command: Extract<BroadcastsCommand, { name: 'broadcasts cancel' | 'broadcasts approve' | 'broadcasts reject' }>,
  tools: BroadcastCliTools,
  s: AdminContext,
): Promise<void> {
  const actor = await actingAdmin(command.as, s);
  switch (command.name) {
    case 'broadcasts cancel': {
      const result = await tools.run(() => tools.service.cancel(actor, command.id));
      if (!result.ok) throw refused(result.refusal, s);
      s.print(s.t('broadcastAdmin:cancel.done', { id: command.id }));
      return;
    }
    case 'broadcasts approve': {
      const result = await tools.run(() => tools.service.approve(actor, command.id));
      if (!result.ok) throw refused(result.refusal, s);
      s.print(s.t('broadcastAdmin:approval.approved', { id: command.id }));
      s.print(
        confirmationText(
          command.id,
          result.confirmation,
          s.t,
          s.timeZone,
          s.language,
          tools.approvalThreshold,
          startOf(result.broadcast, tools, s),
        ),
      );
      return;
    }
    case 'broadcasts reject': {
      const note = command.note?.trim() ? command.note.trim() : null;
      const result = await tools.run(() => tools.service.reject(actor, command.id, note));
      if (!result.ok) throw refused(result.refusal, s);
      s.print(s.t('broadcastAdmin:approval.rejected', { id: command.id }));
      return;
    }
  }
}

export { FAILURE_COLUMNS } from '../../features/broadcasts/failuresFile.ts';

async function failures(
  command: Extract<BroadcastsCommand, { name: 'broadcasts failures' }>,
  tools: BroadcastCliTools,
  s: AdminContext,
): Promise<void> {
  const actor = await firstAdmin(s);
  const items: DeliveryFailure[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await tools.service.failures(actor, command.id, after, FAILURES_PAGE);
    if (!page.ok) throw refused(page.refusal, s);
    items.push(...page.items);
    if (page.items.length < FAILURES_PAGE) break;
    after = page.items[page.items.length - 1]!.memberId;
  }
  const csv = failuresCsv(items, s.timeZone);
  if (command.out === undefined) {
    s.output.out(csv);
    return;
  }
  await writeFile(command.out, csv, 'utf8');
  s.print(`${items.length} failure(s) written to ${command.out}`);
}
