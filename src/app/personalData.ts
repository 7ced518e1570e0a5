// Kinds of the personal-data registry (features/privacy/registry.ts) kept by the app layer: the conversation state,
// the album parts waiting to be put together, the handled inbound ids, and the jobs about a member.
import type { InboundLog } from '../domain/member.ts';
import type { JobStore } from '../domain/jobs.ts';
import type { PersonalRecords } from '../domain/privacy.ts';
import { dateOf } from '../features/privacy/myData.ts';
import type { PersonalDataKind } from '../features/privacy/registry.ts';

export interface AppRetention {
  /** RETENTION_CONVERSATIONS_DAYS: conversation states nobody moved for this long. */
  conversationsDays: number;
  /** INBOUND_ID_RETENTION_DAYS. */
  inboundIdsDays: number;
  /** JOBS_RETENTION_DAYS: finished jobs. */
  jobsDays: number;
}

/** Album parts are only held until the album is complete, then a day to recognise a redelivery (albums.ts). */
const PENDING_PARTS_DAYS = 1;

export function appDataKinds(deps: {
  records: PersonalRecords;
  inbound: InboundLog;
  jobs: Pick<JobStore, 'prune'>;
  retention: AppRetention;
}): PersonalDataKind[] {
  const { records, retention } = deps;
  return [
    {
      id: 'conversation',
      models: ['ConversationState'],
      note: 'where she is in the conversation (the question on her screen): shown by the conversation itself',
      // Erased by the member row's cascade.
      retention: {
        variable: 'RETENTION_CONVERSATIONS_DAYS',
        days: retention.conversationsDays,
        prune: (before) => records.pruneConversations(before),
      },
    },
    {
      id: 'albumParts',
      models: ['PendingPart'],
      note: 'photos of an album in transit (platform references, no file), held seconds; a day once handed over',
      erase: (member) => records.erasePendingParts(member.channel, member.channelUserId),
      retention: {
        variable: '(fixed: one day)',
        days: PENDING_PARTS_DAYS,
        prune: (before) => records.prunePendingParts(before),
      },
    },
    {
      id: 'inboundIds',
      models: ['ProcessedInbound'],
      note: 'platform message ids, not linked to a member: no personal data, kept to recognise redeliveries',
      retention: {
        variable: 'INBOUND_ID_RETENTION_DAYS',
        days: retention.inboundIdsDays,
        prune: (before) => deps.inbound.pruneOlderThan(before),
      },
    },
    {
      id: 'jobs',
      models: ['Job'],
      title: 'privacy:sections.jobs',
      async summarise(ctx) {
        const jobs = await records.jobsOf(ctx.member.id);
        if (jobs.count === 0 || jobs.first === null || jobs.last === null) return [];
        return [
          ctx.t('privacy:jobs', { count: jobs.count, first: dateOf(jobs.first, ctx), last: dateOf(jobs.last, ctx) }),
        ];
      },
      // One-off jobs about her (reminders) are cancelled with her: Job.memberId, set when scheduled.
      erase: (member) => records.deleteJobsOf(member.id),
      retention: {
        variable: 'JOBS_RETENTION_DAYS',
        days: retention.jobsDays,
        prune: (before) => deps.jobs.prune(before),
      },
    },
  ];
}
