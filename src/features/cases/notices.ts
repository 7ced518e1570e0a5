// What officers and members are told about cases without asking: a new or escalated case, a claim or a closing told
// to the member, messages relayed both ways, the daily digest. Rendered by the presenter in the recipient's language
// and stored in the outbox (in the caller's transaction); the push follows the commit.
import { text, type Translate } from '../../conversation/flow.ts';
import type { OutboxPort } from '../../conversation/outbox.ts';
import { openedByMember, type Case } from '../../domain/cases.ts';
import type { Language, Member, MemberRepository } from '../../domain/member.ts';
import type { Officer } from '../../domain/officers.ts';
import type { CloseStatus, Delivery } from './policy.ts';
import type { CasePresenter } from './presenter.ts';

/** The notices the case services send; the services decide who and when, this says it. */
export interface CaseNotices {
  /** A case reached these officers: new (`escalated` false) or unclaimed too long. */
  caseFor(officers: readonly Officer[], c: Case, member: Member | null, escalated: boolean): Promise<void>;
  /** Tells the case's member that `officer` took it. */
  claimed(c: Case, officer: Member): Promise<void>;
  /** Tells the case's member that it was closed, with the officer's note or reason if any. */
  closed(c: Case, status: CloseStatus, note: string | null): Promise<void>;
  /** A member's message on her case, to the officers who should read it, each with her buttons. */
  fromMember(officers: readonly Member[], c: Case, author: Member, message: string): Promise<void>;
  /** An officer's message to the member of a case, with an "answer" button; how it went. */
  fromOfficer(member: Member, c: Case, officer: Member, message: string): Promise<Delivery>;
  /** An officer's daily list of open cases; `waiting` (admins): messages held for recipients out of reach. */
  digest(officer: Member, open: readonly Case[], waiting: number): Promise<void>;
}

export function createCaseNotices(deps: {
  outbox: OutboxPort;
  members: Pick<MemberRepository, 'findById'>;
  presenter: CasePresenter;
  translator: (language: Language) => Translate;
  logger: { warn(fields: object, message: string): void };
}): CaseNotices {
  const { outbox, presenter } = deps;

  /** Tells the case's member how her request moves on; nothing for a case she did not open (ABOUT_MEMBER). */
  async function tellMember(c: Case, say: (member: Member) => { key: string; vars: Record<string, unknown> }) {
    if (!openedByMember(c.type)) return;
    const member = await deps.members.findById(c.memberId);
    if (!member) return;
    const { key, vars } = say(member);
    await outbox.send(member, [text(key, { id: c.id, ...vars })], { kind: 'memberUpdate', caseId: c.id });
  }

  return {
    async caseFor(officers, c, member, escalated) {
      const heading = escalated ? 'cases:escalated' : 'cases:new';
      for (const o of officers) {
        await outbox.send(o.member, [presenter.notice(c, member, o.member, heading)], {
          kind: escalated ? 'escalation' : 'case',
          caseId: c.id,
        });
      }
      if (officers.length === 0) deps.logger.warn({ caseId: c.id }, 'no officer or admin to notify');
    },

    claimed: (c, officer) =>
      tellMember(c, (member) => ({
        key: 'cases:member.claimed',
        vars: { name: presenter.officerName(officer, deps.translator(member.language)) },
      })),

    closed: (c, status, note) =>
      tellMember(c, () => ({
        key: status === 'done' && note ? 'cases:member.doneNote' : `cases:member.${status}`,
        vars: { note: note ?? '' },
      })),

    async fromMember(officers, c, author, message) {
      for (const officer of officers) {
        const t = deps.translator(officer.language);
        const name = author.displayName ?? t('cases:unnamed');
        await outbox.send(
          officer,
          [
            {
              text: { raw: t('cases:relay.fromMember', { id: c.id, name, message }) },
              actions: presenter.actionsFor(c, officer),
            },
          ],
          { kind: 'relay', caseId: c.id },
        );
      }
    },

    fromOfficer(member, c, officer, message) {
      const t = deps.translator(member.language);
      return outbox.send(
        member,
        [
          {
            text: { raw: t('cases:relay.fromOfficer', { id: c.id, name: presenter.officerName(officer, t), message }) },
            actions: [{ label: text('cases:actions.answer'), action: `answer:${c.id}` }],
          },
        ],
        { kind: 'relay', caseId: c.id },
      );
    },

    async digest(officer, open, waiting) {
      await outbox.send(officer, [presenter.digest(officer, open, waiting)], { kind: 'digest' });
    },
  };
}
