// `cases export`: cases as CSV for Excel (UTF-8 with a BOM, CRLF), in --lang, times local to TIME_ZONE with their
// offset. Member names and phone numbers only with --with-contact, and every export is in the audit log.
import { writeFile } from 'node:fs/promises';
import type { Translate } from '../../conversation/flow.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import type { CaseRepository, CaseStatus } from '../../domain/cases.ts';
import type { Member, MemberRepository } from '../../domain/member.ts';
import { formatTimestamp } from '../../domain/time.ts';
import { unitLabel } from '../../features/profile/areaInput.ts';
import type { AdminCommand } from './args.ts';
import { ACTOR, AdminError, type AdminContext } from './context.ts';
import { csvText, plainText } from '../../domain/csv.ts';

export { csvField } from '../../domain/csv.ts';

/**
 * The officer who took a case as a spreadsheet reader knows her: her name; without one, "(no name, id …)" so she can
 * still be found with `officers list`; an officer whose record is gone (she deleted her data) is "a Union officer".
 */
function officerName(officer: Member | null, id: string, t: Translate): string {
  if (officer === null) return t('cases:anOfficer');
  return officer.displayName ?? t('cases:export.unnamedOfficer', { id });
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
  data: { cases: Pick<CaseRepository, 'all'>; members: Pick<MemberRepository, 'findById'> },
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
  const cache = new Map<string, Promise<Member | null>>();
  const member = (id: string) => {
    let found = cache.get(id);
    if (found === undefined) {
      found = data.members.findById(id);
      cache.set(id, found);
    }
    return found;
  };
  const cases = (await data.cases.all()).filter(
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
      c.claimedById === null ? '' : plainText(officerName(claimer, c.claimedById, t)),
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
  const csv = csvText(rows);
  return { csv, count: cases.length };
}

export async function exportCases(
  command: Extract<AdminCommand, { name: 'cases export' }>,
  s: AdminContext,
): Promise<void> {
  const { csv, count } = await casesCsv(s.services, {
    statuses: command.statuses,
    withContact: command.withContact,
    directory: await s.areas(),
    t: s.translator(command.language),
    timeZone: s.timeZone,
  });
  if (command.out === undefined) {
    s.output.out(csv);
  } else {
    try {
      // With names and phone numbers, the file is readable by its owner only.
      await writeFile(command.out, csv, command.withContact ? { encoding: 'utf8', mode: 0o600 } : 'utf8');
    } catch (error) {
      throw new AdminError(`Cannot write ${command.out}: ${(error as Error).message}`, 1);
    }
  }
  // Personal data leaving the database is worth a trace (Law 91/2025: who processed what, when).
  await s.services.audit.record({
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
