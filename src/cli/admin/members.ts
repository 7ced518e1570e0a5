// `members erase <memberId>`: everything stored about a member goes, the way her own "Delete my data" does it (the
// personal-data registry, features/privacy/registry.ts, through createAdminServices' eraseMember), with an audit
// entry that names no one.
import type { AdminCommand } from './args.ts';
import { ACTOR, AdminError, type AdminContext } from './context.ts';

export async function eraseMember(
  command: Extract<AdminCommand, { name: 'members erase' }>,
  s: AdminContext,
): Promise<void> {
  if (!(await s.services.eraseMember(ACTOR, command.memberId))) {
    throw new AdminError(`No member with id ${command.memberId}`, 2);
  }
  s.print(`Member ${command.memberId} and everything stored about her were erased.`);
}
