// Onboarding officers and admins: an admin creates a single-use, expiring invitation code for an area; the officer
// sends it to the bot on her channel and is linked. Only a hash of the code is stored.
import { createHash, randomInt } from 'node:crypto';
import type { FlowOutcome } from '../../conversation/flow.ts';
import { text } from '../../conversation/flow.ts';
import type { Clock } from '../../conversation/ports.ts';
import type { Member } from '../../domain/member.ts';
import type {
  AuditLog,
  Invitation,
  InvitationRepository,
  OfficerRepository,
  RedeemResult,
} from '../../domain/officers.ts';
import { MY_CASES_FLOW } from './flows.ts';

/** No 0/O, 1/I/L: codes are read aloud and typed on small keyboards. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
/** "HV-7KQ2-MX4P", typed with or without dashes or spaces, any case. */
export const INVITATION_PATTERN = /^\s*hv[\s-]?([a-z0-9]{4})[\s-]?([a-z0-9]{4})\s*$/i;

export function newInvitationCode(): string {
  const part = () => Array.from({ length: 4 }, () => ALPHABET.charAt(randomInt(ALPHABET.length))).join('');
  return `HV-${part()}-${part()}`;
}

/** The stored form: a hash of the code without dashes, upper case. */
export function hashInvitationCode(code: string): string | null {
  const m = INVITATION_PATTERN.exec(code);
  if (!m) return null;
  return createHash('sha256')
    .update(`HV${m[1] ?? ''}${m[2] ?? ''}`.toUpperCase())
    .digest('hex');
}

export interface InvitationDeps {
  invitations: InvitationRepository;
  officers: OfficerRepository;
  audit: AuditLog;
  clock: Clock;
}

export function createInvitationService(deps: InvitationDeps) {
  return {
    async create(input: {
      role: Invitation['role'];
      areas: string[];
      createdBy: string;
      ttlHours: number;
    }): Promise<{ code: string; invitation: Invitation }> {
      const code = newInvitationCode();
      const invitation = await deps.invitations.create({
        codeHash: hashInvitationCode(code)!,
        role: input.role,
        areas: input.areas,
        createdBy: input.createdBy,
        expiresAt: new Date(deps.clock.now().getTime() + input.ttlHours * 3_600_000),
      });
      await deps.audit.record({
        actor: input.createdBy,
        action: 'invitation.created',
        subject: invitation.id,
        details: { role: input.role, areas: input.areas },
      });
      return { code, invitation };
    },

    /**
     * Links `member` as the officer or admin the code invites (single use, before it expires). Returns the member as
     * she now is, or why the code does not work: unknown (also a malformed code), used or expired.
     */
    async redeem(
      member: Member,
      code: string,
    ): Promise<{ ok: true; invitation: Invitation; member: Member } | { ok: false; reason: RedeemRefusal }> {
      const hash = hashInvitationCode(code);
      const result = hash ? await deps.invitations.redeem(hash, member.id, deps.clock.now()) : null;
      if (!result?.ok) return { ok: false, reason: result?.reason ?? 'unknown' };
      const { role, areas } = result.invitation;
      await deps.officers.assign(member.id, role, areas);
      await deps.audit.record({
        actor: member.id,
        action: 'officer.linked',
        subject: member.id,
        details: { role, areas, invitation: result.invitation.id, previousRole: member.role },
      });
      return { ok: true, invitation: result.invitation, member: { ...member, role } };
    },
  };
}

/** Why an invitation code did not link anyone. */
export type RedeemRefusal = Extract<RedeemResult, { ok: false }>['reason'];

/** What the chat says to a redeemed (or refused) invitation code. */
export function redeemOutcome(result: Awaited<ReturnType<InvitationService['redeem']>>): FlowOutcome {
  if (!result.ok) return { say: [text(`officers:invitation.${result.reason}`)], next: { to: 'stay' } };
  // Officers are data subjects too: one screen on what is stored about her, then straight to her work (the open
  // cases of her areas, including those opened before she was invited). No member onboarding is asked of her.
  return {
    say: [text(`officers:invitation.linked.${result.invitation.role}`), text('officers:notice')],
    next: { to: 'flow', flowId: MY_CASES_FLOW },
    member: result.member,
  };
}

export type InvitationService = ReturnType<typeof createInvitationService>;
