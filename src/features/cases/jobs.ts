// The case work nobody asks for: escalating cases nobody claimed in time, and the officers' daily digest. Run by the
// job runner (app/jobs: `cases.escalate` every minute, `cases.digest` daily), which runs each once across instances.
import { z } from 'zod';
import type { Clock, Logger } from '../../conversation/ports.ts';
import type { CaseRepository } from '../../domain/cases.ts';
import { dailyAt, defineJob, everyMinutes, type JobDefinition } from '../../domain/jobs.ts';
import type { MemberRepository } from '../../domain/member.ts';
import type { OfficerRepository } from '../../domain/officers.ts';
import { localIsoDate } from '../../domain/time.ts';
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

/** Recurring jobs take no payload. */
const noPayload = z.object({}).strict();

/** Every minute: open cases nobody claimed within CASE_ESCALATION_MINUTES go to the province officers. */
export function escalationJob(escalateOverdue: () => Promise<number>, logger: Logger): JobDefinition {
  return defineJob({
    kind: 'cases.escalate',
    schedule: everyMinutes(1),
    payload: noPayload,
    async run() {
      const escalated = await escalateOverdue();
      if (escalated > 0) logger.info({ escalated }, 'overdue cases escalated');
    },
  });
}

/**
 * Each day at DIGEST_HOUR:00 in TIME_ZONE: each officer gets the list of what is still open. The runner claims the
 * day's run on one instance only (a restart runs a missed day once), so `sendDigests` needs no guard of its own; it
 * gets the officers' local day of the run that was due.
 */
export function digestJob(
  sendDigests: (day: string) => Promise<number>,
  options: { hour: number; timeZone: string; logger: Logger },
): JobDefinition {
  return defineJob({
    kind: 'cases.digest',
    schedule: dailyAt(`${String(options.hour).padStart(2, '0')}:00`),
    payload: noPayload,
    async run(_payload, context) {
      const digests = await sendDigests(localIsoDate(context.dueAt, options.timeZone));
      options.logger.info({ digests }, 'daily digest sent');
    },
  });
}
