// Kinds of the personal-data registry (features/privacy/registry.ts) kept by the app layer: the conversation state,
// the album parts waiting to be put together, the handled inbound ids, the stored inbound events, and the jobs about
// a member.
import type { InboundEventStore } from '../conversation/inboundEvents.ts';
import type { InboundLog } from '../domain/member.ts';
import type { JobStore } from '../domain/jobs.ts';
import type { PersonalRecords } from '../domain/privacy.ts';
import { dateOf } from '../features/privacy/myData.ts';
import type { PersonalDataKind } from '../features/privacy/registry.ts';

export interface AppRetention {
  /** RETENTION_CONVERSATIONS_DAYS: conversation states nobody moved for this long. */
  conversationsDays: number;
  /** INBOUND_ID_RETENTION_DAYS: handled inbound ids, and stored inbound events once handled or failed. */
  inboundIdsDays: number;
  /** JOBS_RETENTION_DAYS: finished jobs. */
  jobsDays: number;
}

/** Album parts are only held until the album is complete, then a day to recognise a redelivery (albums.ts). */
const PENDING_PARTS_DAYS = 1;

export function appDataKinds(deps: {
  records: PersonalRecords;
  inbound: InboundLog;
  /** The InboundEvent table's store (its own transactions: see data/inboundEventStore.ts). */
  inboundEvents: Pick<InboundEventStore, 'prune'>;
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
      // What the Zalo OA webhook stored before answering (conversation/inboundEvents.ts), by her platform id: the
      // payload (what she wrote) is cleared once handled; the key and time stay to recognise a redelivery.
      id: 'inboundEvents',
      models: ['InboundEvent'],
      title: 'privacy:sections.inboundEvents',
      async summarise(ctx) {
        const events = await records.inboundEventsOf(ctx.member.channel, ctx.member.channelUserId);
        if (events.count === 0 || events.first === null || events.last === null) return [];
        const days = retention.inboundIdsDays;
        const lines = [
          ctx.t('privacy:inboundEvents', {
            count: events.count,
            first: dateOf(events.first, ctx),
            last: dateOf(events.last, ctx),
            days,
          }),
        ];
        if (events.failed > 0) lines.push(ctx.t('privacy:inboundEventsFailed', { count: events.failed, days }));
        return lines;
      },
      // Handled and failed ones go with her; open ones are what she sent after the erasure (handled next, in order).
      erase: (member) => records.eraseInboundEvents(member.channel, member.channelUserId),
      retention: {
        variable: 'INBOUND_ID_RETENTION_DAYS',
        days: retention.inboundIdsDays,
        prune: (before) => deps.inboundEvents.prune(before),
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
