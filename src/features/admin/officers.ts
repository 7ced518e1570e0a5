// Managing officers and admins: their list, changing an officer's areas, making one a plain member again. Used by
// the admin CLI (and later a web console); every change is written to the audit log with its actor.
import type { Member, MemberRepository } from '../../domain/member.ts';
import type { AuditLog, Officer, OfficerRepository } from '../../domain/officers.ts';

/**
 * A change to an officer: done, with her areas before and after (commune codes or ['*']), or refused because no member
 * has this id or the member is no officer or admin (to make her one, an admin creates an invitation).
 */
export type OfficerChange =
  | { ok: true; member: Member; before: string[]; after: string[] }
  | { ok: false; reason: 'unknownMember' | 'notOfficer' };

export function createOfficerService(deps: {
  members: Pick<MemberRepository, 'findById'>;
  officers: OfficerRepository;
  audit: AuditLog;
}) {
  const { officers, audit } = deps;

  async function officer(
    memberId: string,
  ): Promise<{ ok: true; member: Member } | Extract<OfficerChange, { ok: false }>> {
    const member = await deps.members.findById(memberId);
    if (member === null) return { ok: false, reason: 'unknownMember' };
    if (member.role === 'member') return { ok: false, reason: 'notOfficer' };
    return { ok: true, member };
  }

  return {
    /** The officer or admin with this member id, or why there is none (checked before asking for anything else). */
    find: officer,

    /** Officers and admins with their areas. */
    list: (): Promise<Officer[]> => officers.list(),

    /** Replaces an officer's areas (already resolved to codes); her role stays. */
    async rescope(actor: string, memberId: string, areas: readonly string[]): Promise<OfficerChange> {
      const found = await officer(memberId);
      if (!found.ok) return found;
      const { member } = found;
      const before = await officers.areasOf(member.id);
      await officers.assign(member.id, member.role, areas);
      const after = await officers.areasOf(member.id);
      await audit.record({
        actor,
        action: 'officer.rescoped',
        subject: member.id,
        details: { role: member.role, before, after },
      });
      return { ok: true, member, before, after };
    },

    /**
     * Makes an officer an admin or an admin an officer (the web console's Members page); her areas stay. Written to
     * the audit log as `officer.roleChanged` with the roles before and after. Refused like `rescope`.
     */
    async changeRole(actor: string, memberId: string, role: 'officer' | 'admin'): Promise<OfficerChange> {
      const found = await officer(memberId);
      if (!found.ok) return found;
      const { member } = found;
      const areas = await officers.areasOf(member.id);
      if (member.role !== role) {
        await officers.assign(member.id, role, areas);
        await audit.record({
          actor,
          action: 'officer.roleChanged',
          subject: member.id,
          details: { before: member.role, after: role, areas },
        });
      }
      return { ok: true, member: { ...member, role }, before: areas, after: areas };
    },

    /** Makes an officer or admin a plain member again: no role, no areas (she stops getting case notices). */
    async revoke(actor: string, memberId: string): Promise<OfficerChange> {
      const found = await officer(memberId);
      if (!found.ok) return found;
      const { member } = found;
      const before = await officers.areasOf(member.id);
      await officers.assign(member.id, 'member', []);
      await audit.record({
        actor,
        action: 'officer.revoked',
        subject: member.id,
        details: { previousRole: member.role, before },
      });
      return { ok: true, member, before, after: [] };
    },
  };
}

export type OfficerService = ReturnType<typeof createOfficerService>;
