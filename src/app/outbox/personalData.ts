// The outbox's rows (table Notification: every message the bot sent or will send a member, her replies and what it
// sent on its own initiative) as a kind of the personal-data registry (features/privacy/registry.ts).
import { dateOf } from '../../features/privacy/myData.ts';
import type { PersonalDataKind } from '../../features/privacy/registry.ts';
import type { Outbox } from './outbox.ts';

/**
 * "My data" shows how many messages the bot sent her (or still holds for her) and from when to when, never their text
 * (an officer's notifications quote other members' requests). Erased with her member row (ON DELETE CASCADE); sent
 * and given-up rows are pruned after OUTBOX_RETENTION_DAYS (`days`) by the registry's prune job, the only job that
 * prunes them; rows still waiting are kept whatever their age.
 */
export function outboxDataKind(deps: { outbox: Pick<Outbox, 'summaryOf' | 'prune'>; days: number }): PersonalDataKind {
  return {
    id: 'notifications',
    models: ['Notification'],
    title: 'privacy:sections.notifications',
    async summarise(ctx) {
      const s = await deps.outbox.summaryOf(ctx.member.id);
      const count = s.pending + s.held + s.sent + s.failed;
      if (count === 0 || s.oldest === null || s.newest === null) return [];
      return [
        ctx.t('privacy:notifications', {
          count,
          pending: s.pending + s.held,
          first: dateOf(s.oldest, ctx),
          last: dateOf(s.newest, ctx),
        }),
      ];
    },
    retention: {
      variable: 'OUTBOX_RETENTION_DAYS',
      days: deps.days,
      prune: (before) => deps.outbox.prune(before),
    },
  };
}
