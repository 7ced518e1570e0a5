// Her broadcast deliveries as personal data (features/privacy/registry.ts): "my data" says how many announcements she
// was sent and shown (never their texts: those are the admins' announcements, not about her); erasing her data deletes
// her deliveries (explicitly, in her unit of work; the member row's cascade would too) and her taps with them; the
// deliveries of broadcasts that ended more than OUTBOX_RETENTION_DAYS ago are pruned (the same lifetime as the outbox's
// sent rows: the report and the failures CSV are read while a broadcast is recent).
import type { BroadcastRepository } from '../../domain/broadcasts.ts';
import { formatDate } from '../../domain/time.ts';
import type { PersonalDataKind } from '../privacy/registry.ts';
import { formatCount } from './notices.ts';

export function broadcastDeliveriesDataKind(deps: {
  repository: Pick<BroadcastRepository, 'deliveriesOf' | 'pruneDeliveries' | 'eraseDeliveriesOf'>;
  /** OUTBOX_RETENTION_DAYS. */
  days: number;
}): PersonalDataKind {
  return {
    id: 'broadcastDeliveries',
    models: ['BroadcastDelivery'],
    title: 'broadcasts:myData.title',
    note: 'one row per announcement she was in the audience of; erased with her data; pruned after the broadcast ended',
    async summarise(ctx) {
      const { member, t } = ctx;
      const mine = await deps.repository.deliveriesOf(member.id);
      if (mine.sent === 0 && mine.shown === 0) return [];
      return [
        t('broadcasts:myData.line', {
          sent: formatCount(mine.sent, member.language),
          shown: formatCount(mine.shown, member.language),
          last: mine.lastAt ? formatDate(mine.lastAt, ctx.timeZone, member.language) : '',
        }),
      ];
    },
    erase: (member) => deps.repository.eraseDeliveriesOf(member.id),
    retention: {
      variable: 'OUTBOX_RETENTION_DAYS',
      days: deps.days,
      prune: (before) => deps.repository.pruneDeliveries(before),
    },
  };
}
