// `invite`, `officers list|rescope|revoke`: officers and their areas, through the same invitation and officer services
// the bot's admin flows use. Areas on the command line are codes or current names (see resolveAreas).
import type { Translate } from '../../conversation/flow.ts';
import { resolveAreaTokens, type AreaDirectory } from '../../domain/areas.ts';
import { formatDateTime } from '../../domain/time.ts';
import type { OfficerChange } from '../../features/admin/officers.ts';
import { unitLabel } from '../../features/profile/areaInput.ts';
import type { AdminCommand } from './args.ts';
import { ACTOR, AdminError, table, who, type AdminContext } from './context.ts';

/** Codes for "--area" tokens: a code, a current name (accents optional) or "*"; every problem at once. */
export function resolveAreas(
  tokens: readonly string[],
  directory: AreaDirectory,
  t: Translate,
): { ok: true; codes: string[] } | { ok: false; problems: string[] } {
  const resolved = resolveAreaTokens(tokens, directory);
  if (resolved.ok) return resolved;
  const label = (unit: Parameters<typeof unitLabel>[0]) => `${unitLabel(unit, t)} (${unit.code})`;
  const problems = resolved.problems.map((problem): string => {
    switch (problem.kind) {
      case 'unknownCode':
        return `'${problem.token}': no commune or ward has this code in the areas data in force`;
      case 'former': {
        const { unit, via } = problem.candidate;
        return (
          `'${problem.token}': ${via.name} is a former unit, ${via.whole === false ? 'partly ' : ''}now in ` +
          `${label(unit)}; give the current name or the code`
        );
      }
      case 'ambiguous': {
        const listed = problem.candidates.map((c) =>
          c.via === undefined
            ? label(c.unit)
            : `${label(c.unit)}, which includes former ${c.via.name}${c.via.formerDistrict ? ` (${c.via.formerDistrict})` : ''}`,
        );
        return `'${problem.token}' could be: ${listed.join('; ')}. Give the code or the full current name`;
      }
      case 'notFound':
        return `'${problem.token}': not a commune or ward of ${directory.province} (or too vague); give the current name or the code`;
      case 'wholeAndCommunes':
        return "'*' (the whole province) cannot be combined with communes or wards";
    }
  });
  return { ok: false, problems };
}

async function resolveOrFail(
  tokens: readonly string[],
  s: AdminContext,
): Promise<{ codes: string[]; directory: AreaDirectory }> {
  const directory = await s.areas();
  const resolved = resolveAreas(tokens, directory, s.t);
  if (!resolved.ok) {
    throw new AdminError(`Unknown or unclear area:\n  - ${resolved.problems.join('\n  - ')}`, 2);
  }
  return { codes: resolved.codes, directory };
}

/** Turns a refused change into the CLI's error (bad input: exit status 2). */
function changed<T extends { ok: true }>(result: T | Extract<OfficerChange, { ok: false }>, memberId: string): T {
  if (result.ok) return result;
  if (result.reason === 'unknownMember') {
    throw new AdminError(`No member with id ${memberId} (see: npm run admin -- officers list)`, 2);
  }
  throw new AdminError(
    `Member ${memberId} is not an officer or admin (role: member); to make them one, create an invitation ` +
      '(npm run admin -- invite --area ...).',
    2,
  );
}

export async function invite(command: Extract<AdminCommand, { name: 'invite' }>, s: AdminContext): Promise<void> {
  const { codes, directory } = await resolveOrFail(command.areas, s);
  const { code, invitation } = await s.services.invitations.create({
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

/**
 * Officers and admins: id, name, role, channel, areas. Headers, unnamed officers and areas in --lang (default: the
 * CLI's language); the role is printed as `--role` takes it (officer, admin).
 */
export async function listOfficers(
  command: Extract<AdminCommand, { name: 'officers list' }>,
  s: AdminContext,
): Promise<void> {
  const officers = await s.services.officers.list();
  if (officers.length === 0) {
    s.print('No officers or admins yet. Create an invitation: npm run admin -- invite --area <areas>');
    return;
  }
  const directory = await s.areas();
  const t = s.translator(command.language);
  const columns = ['id', 'name', 'role', 'channel', 'areas'].map((c) => t(`admin:officers.${c}`));
  s.print(
    table([
      columns,
      ...officers.map((o) => [
        o.member.id,
        o.member.displayName ?? t('cases:unnamed'),
        o.member.role,
        o.member.channel,
        s.describe(o.areas, directory, t),
      ]),
    ]),
  );
}

export async function rescope(
  command: Extract<AdminCommand, { name: 'officers rescope' }>,
  s: AdminContext,
): Promise<void> {
  // The member first: an unknown id is the problem to report, whatever the areas.
  changed(await s.services.officers.find(command.memberId), command.memberId);
  const { codes, directory } = await resolveOrFail(command.areas, s);
  const { member, before, after } = changed(
    await s.services.officers.rescope(ACTOR, command.memberId, codes),
    command.memberId,
  );
  s.print(`${who(member)}: areas changed`);
  s.print(`  before: ${s.describe(before, directory)}`);
  s.print(`  after:  ${s.describe(after, directory)}`);
}

export async function revoke(
  command: Extract<AdminCommand, { name: 'officers revoke' }>,
  s: AdminContext,
): Promise<void> {
  const { member, before } = changed(await s.services.officers.revoke(ACTOR, command.memberId), command.memberId);
  const directory = await s.areas();
  s.print(`${who(member)} is a plain member again (was ${member.role} for ${s.describe(before, directory)}).`);
}
