// The messages queued for a member (the outbox's Notification rows) as a kind of the personal-data registry.
import type { PersonalRecords } from '../../domain/privacy.ts';
import { dateOf } from '../privacy/myData.ts';
import type { PersonalDataKind } from '../privacy/registry.ts';

/**
 * "My data" shows how many messages were queued for her and how many still wait (not their text: an officer's
 * notifications quote other members' requests). Erased with her member row (cascade); sent or abandoned ones are
 * pruned after RETENTION_NOTIFICATIONS_DAYS.
 */
export function notificationsDataKind(deps: { records: PersonalRecords; days: number }): PersonalDataKind {
  return {
    id: 'notifications',
    models: ['Notification'],
    title: 'privacy:sections.notifications',
    async summarise(ctx) {
      const n = await deps.records.notificationsOf(ctx.member.id);
      if (n.count === 0 || n.first === null || n.last === null) return [];
      return [
        ctx.t('privacy:notifications', {
          count: n.count,
          pending: n.pending,
          first: dateOf(n.first, ctx),
          last: dateOf(n.last, ctx),
        }),
      ];
    },
    retention: {
      variable: 'RETENTION_NOTIFICATIONS_DAYS',
      days: deps.days,
      prune: (before) => deps.records.pruneNotifications(before),
    },
  };
}
