// Records kept for accountability (who changed a role, made or used an invitation, decided on a case) as kinds of
// the personal-data registry: erasing a member anonymises her id in them (the entry stays, without her), and they are
// pruned after RETENTION_AUDIT_DAYS.
import type { PersonalRecords } from '../../domain/privacy.ts';
import { dateOf } from '../privacy/myData.ts';
import type { PersonalDataKind } from '../privacy/registry.ts';

export function accountabilityDataKinds(deps: { records: PersonalRecords; days: number }): PersonalDataKind[] {
  return [
    {
      id: 'audit',
      models: ['AuditLog'],
      title: 'privacy:sections.audit',
      async summarise(ctx) {
        const a = await deps.records.auditOf(ctx.member.id);
        if (a.count === 0 || a.first === null || a.last === null) return [];
        return [ctx.t('privacy:audit', { count: a.count, first: dateOf(a.first, ctx), last: dateOf(a.last, ctx) })];
      },
      // Also anonymises the invitations (next kind): one pass over both tables.
      erase: (member) => deps.records.anonymiseAccountability(member.id),
      retention: {
        variable: 'RETENTION_AUDIT_DAYS',
        days: deps.days,
        prune: (before) => deps.records.pruneAudit(before),
      },
    },
    {
      id: 'invitations',
      models: ['Invitation'],
      note: 'codes are stored hashed; her id as creator or user is anonymised by the audit kind’s erase',
      retention: {
        variable: 'RETENTION_AUDIT_DAYS',
        days: deps.days,
        prune: (before) => deps.records.pruneInvitations(before),
      },
    },
  ];
}
