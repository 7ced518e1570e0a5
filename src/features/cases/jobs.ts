// The case work nobody asks for: escalating cases nobody claimed in time, and the officers' daily digest. Run by the
// job runner (app/jobs: `cases.escalate` every minute, `cases.digest` daily), which runs each once across instances.
import type { Clock } from '../../conversation/ports.ts';
import type { CaseRepository } from '../../domain/cases.ts';
import type { MemberRepository } from '../../domain/member.ts';
import type { OfficerRepository } from '../../domain/officers.ts';
import type { CaseNotices } from './notices.ts';
import type { CaseRouting } from './routing.ts';

export function createCaseJobs(deps: {
  cases: CaseRepository;
  officers: OfficerRepository;
  members: Pick<MemberRepository, 'findById'>;
  routing: CaseRouting;
  notices: CaseNotices;
  /** Messages held for recipients out of reach (Zalo window, blocked): admins see the count in their digest. */
  countWaiting: () => Promise<number>;
  clock: Clock;
  /** An open case nobody claimed for this long goes to the province officers. */
  escalateAfterMs: number;
}) {
  const { cases, notices } = deps;
  return {
    /** Open cases nobody claimed in time go to the province officers (once per case, across instances). */
    async escalateOverdue(): Promise<number> {
      const now = deps.clock.now();
      const overdue = await cases.takeOverdue(new Date(now.getTime() - deps.escalateAfterMs), now);
      for (const c of overdue) {
        const member = await deps.members.findById(c.memberId);
        await notices.caseFor(await deps.routing.escalationTargets(), c, member, true);
      }
      return overdue.length;
    },

    /**
     * Each officer gets the list of what is still open in her areas. Once a day across instances is the job runner's
     * guarantee (the `cases.digest` job, claimed by one instance); this sends on every call. Returns digests sent.
     */
    async sendDigests(): Promise<number> {
      // Admins also see how many messages are waiting for recipients who are out of reach (Zalo window, blocked).
      const waiting = await deps.countWaiting();
      let sent = 0;
      for (const o of await deps.officers.list()) {
        const open = await cases.listActive(o.member.role === 'admin' ? ['*'] : o.areas);
        const adminWaiting = o.member.role === 'admin' && waiting > 0;
        if (open.length === 0 && !adminWaiting) continue;
        await notices.digest(o.member, open, adminWaiting ? waiting : 0);
        sent++;
      }
      return sent;
    },
  };
}

export type CaseJobs = ReturnType<typeof createCaseJobs>;
