// Cases and the officers who handle them. Creating a case notifies the officers of the member's commune (falling
// back to province-wide officers); the first claim wins; closing tells the member; unclaimed cases are escalated and
// a daily digest lists what is still open. Every check is made here, on the server, for every action: a forged
// button cannot claim or close anything.
import type { FlowOutcome, Said, Text, Translate } from '../../conversation/flow.ts';
import { text } from '../../conversation/flow.ts';
import type { Clock, Logger } from '../../conversation/ports.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import type { Case, CaseRepository, CaseType, ScheduleLock } from '../../domain/cases.ts';
import { DECIDABLE, isClosed } from '../../domain/cases.ts';
import type { Language, Member, MemberRepository } from '../../domain/member.ts';
import { covers, type AuditLog, type Officer, type OfficerRepository } from '../../domain/officers.ts';
import { formatVietnamesePhone } from '../../domain/phone.ts';
import { unitLabel } from '../areaInput.ts';
import type { Outbox } from './outbox.ts';

export interface CaseServiceDeps {
  cases: CaseRepository;
  officers: OfficerRepository;
  members: MemberRepository;
  audit: AuditLog;
  outbox: Outbox;
  locks: ScheduleLock;
  areas: AreaDirectory;
  translator: (language: Language) => Translate;
  clock: Clock;
  logger: Logger;
  /** An open case nobody claimed for this long goes to the province officers. */
  escalateAfterMs: number;
}

export type CloseStatus = 'done' | 'approved' | 'rejected';

const isStaff = (m: Member) => m.role === 'officer' || m.role === 'admin';

export function createCaseService(deps: CaseServiceDeps) {
  const { cases, officers, members, audit, outbox } = deps;

  const communeName = (code: string | null, t: Translate) => {
    const unit = deps.areas.byCodeOrNull(code);
    return unit ? unitLabel(unit, t) : t('cases:noCommune');
  };
  const officerName = (m: Member | null, t: Translate) => m?.displayName ?? t('cases:anOfficer');

  /** The case as an officer sees it. `full` adds the phone number (only for the officer who took it). */
  function describe(c: Case, member: Member | null, t: Translate, full: boolean): string {
    const lines = [
      t('cases:line.title', { id: c.id, type: t(`cases:types.${c.type}`) }),
      t('cases:line.commune', { commune: communeName(c.communeCode, t) }),
      t('cases:line.member', { name: member?.displayName ?? t('cases:unnamed') }),
      ...Object.entries(c.details).map(([key, value]) =>
        t('cases:line.detail', { label: t(`cases:details.${key}`), value }),
      ),
      t('cases:line.status', { status: t(`cases:statuses.${c.status}`) }),
    ];
    if (full)
      lines.push(
        t('cases:line.phone', { phone: member?.phone ? formatVietnamesePhone(member.phone) : t('cases:noPhone') }),
      );
    return lines.join('\n');
  }

  /** Buttons for a case, by its state and the officer looking at it. */
  function actionsFor(c: Case, viewer: Member): { label: Text; action: string }[] {
    if (isClosed(c.status)) return [];
    if (c.status === 'open') return [{ label: text('cases:actions.claim'), action: `claim:${c.id}` }];
    if (c.claimedById !== viewer.id && viewer.role !== 'admin') return [];
    const list: { label: Text; action: string }[] = [];
    if (c.type === 'talk') list.push({ label: text('cases:actions.reply'), action: `reply:${c.id}` });
    if (DECIDABLE.includes(c.type)) {
      list.push({ label: text('cases:actions.approve'), action: `approve:${c.id}` });
      list.push({ label: text('cases:actions.reject'), action: `reject:${c.id}` });
    } else {
      list.push({ label: text('cases:actions.done'), action: `done:${c.id}` });
    }
    return list;
  }

  /** Who hears about a new case: the commune's officers, else the province-wide ones, else the admins. */
  async function recipientsFor(communeCode: string | null): Promise<Officer[]> {
    const local = communeCode ? await officers.forCommune(communeCode) : [];
    if (local.length > 0) return local;
    const province = await officers.provinceWide();
    if (province.length > 0) return province;
    return (await officers.list()).filter((o) => o.member.role === 'admin');
  }

  async function notify(recipients: readonly Officer[], c: Case, member: Member | null, heading: string) {
    for (const o of recipients) {
      const t = deps.translator(o.member.language);
      await outbox.send(
        o.member,
        [{ text: { raw: `${t(heading)}\n${describe(c, member, t, false)}` }, actions: actionsFor(c, o.member) }],
        { kind: heading === 'cases:escalated' ? 'escalation' : 'case', caseId: c.id },
      );
    }
    if (recipients.length === 0) deps.logger.warn({ caseId: c.id }, 'no officer or admin to notify');
  }

  /** Loads a case and checks the actor may act on it. */
  async function authorised(actor: Member, id: number): Promise<{ c: Case } | { refusal: Text }> {
    if (!isStaff(actor)) return { refusal: text('cases:errors.notOfficer') };
    const c = Number.isSafeInteger(id) ? await cases.get(id) : null;
    if (!c) return { refusal: text('cases:errors.notFound', { id }) };
    if (actor.role !== 'admin' && !covers(await officers.areasOf(actor.id), c.communeCode)) {
      return { refusal: text('cases:errors.notYourArea', { id }) };
    }
    return { c };
  }

  const refuse = (refusal: Text): FlowOutcome => ({ say: [refusal], next: { to: 'stay' } });

  async function tellMember(c: Case, key: string, vars: Record<string, unknown>) {
    const member = await members.findById(c.memberId);
    if (member) await outbox.send(member, [text(key, { id: c.id, ...vars })], { kind: 'memberUpdate', caseId: c.id });
  }

  return {
    describe,

    /** Why this actor may not act on this case (a localized refusal), or null when she may. */
    async refusal(actor: Member, id: number): Promise<Text | null> {
      const check = await authorised(actor, id);
      return 'refusal' in check ? check.refusal : null;
    },

    /** Opens a case and notifies; `notified` = how many officers heard of it (0: nobody is there yet to do so). */
    async open(
      member: Member,
      type: CaseType,
      details: Record<string, string>,
    ): Promise<{ case: Case; notified: number }> {
      const c = await cases.create({
        type,
        memberId: member.id,
        communeCode: member.communeCode,
        details,
        createdAt: deps.clock.now(),
      });
      const recipients = await recipientsFor(member.communeCode);
      await notify(recipients, c, member, 'cases:new');
      return { case: c, notified: recipients.length };
    },

    async view(actor: Member, id: number): Promise<FlowOutcome> {
      const check = await authorised(actor, id);
      if ('refusal' in check) return refuse(check.refusal);
      const { c } = check;
      const t = deps.translator(actor.language);
      const member = await members.findById(c.memberId);
      const full = c.claimedById === actor.id || actor.role === 'admin';
      return {
        say: [{ text: { raw: describe(c, member, t, full) }, actions: actionsFor(c, actor) }],
        next: { to: 'stay' },
      };
    },

    async claim(actor: Member, id: number): Promise<FlowOutcome> {
      const check = await authorised(actor, id);
      if ('refusal' in check) return refuse(check.refusal);
      const now = deps.clock.now();
      if (!(await cases.claim(id, actor.id, now))) {
        const c = await cases.get(id);
        if (c && isClosed(c.status)) return refuse(text('cases:errors.closed', { id }));
        const by = c?.claimedById ? await members.findById(c.claimedById) : null;
        const t = deps.translator(actor.language);
        return refuse(text('cases:errors.alreadyClaimed', { id, name: officerName(by, t) }));
      }
      await audit.record({ actor: actor.id, action: 'case.claimed', subject: String(id) });
      const c = (await cases.get(id))!;
      const t = deps.translator(actor.language);
      const member = await members.findById(c.memberId);
      await tellMember(c, 'cases:member.claimed', {
        name: officerName(actor, deps.translator(member?.language ?? 'vi')),
      });
      return {
        say: [
          {
            text: { raw: `${t('cases:claimed', { id })}\n${describe(c, member, t, true)}` },
            actions: actionsFor(c, actor),
          },
        ],
        next: { to: 'stay' },
      };
    },

    /** done / approved / rejected; `note` is the officer's note or the reason of a rejection. */
    async close(actor: Member, id: number, status: CloseStatus, note: string | null): Promise<FlowOutcome> {
      const check = await authorised(actor, id);
      if ('refusal' in check) return refuse(check.refusal);
      const { c } = check;
      if (c.claimedById && c.claimedById !== actor.id && actor.role !== 'admin') {
        const t = deps.translator(actor.language);
        return refuse(
          text('cases:errors.alreadyClaimed', { id, name: officerName(await members.findById(c.claimedById), t) }),
        );
      }
      if ((status === 'done') === DECIDABLE.includes(c.type)) return refuse(text('cases:errors.wrongAction', { id }));
      if (!(await cases.close(id, status, note, deps.clock.now(), actor.id)))
        return refuse(text('cases:errors.closed', { id }));
      await audit.record({
        actor: actor.id,
        action: `case.${status}`,
        subject: String(id),
        details: note ? { note: true } : {},
      });
      await tellMember(c, status === 'done' && note ? 'cases:member.doneNote' : `cases:member.${status}`, {
        note: note ?? '',
      });
      return { say: [text(`cases:closed.${status}`, { id })], next: { to: 'home' } };
    },

    /** A member's message in a "talk to an officer" case, passed to the officer who took it (or all, if open). */
    async relayFromMember(member: Member, id: number, message: string): Promise<'sent' | 'closed'> {
      const c = await cases.get(id);
      if (c?.memberId !== member.id || isClosed(c.status)) return 'closed';
      const targets = c.claimedById
        ? [await members.findById(c.claimedById)].filter((m): m is Member => m !== null)
        : (await recipientsFor(c.communeCode)).map((o) => o.member);
      for (const officer of targets) {
        const t = deps.translator(officer.language);
        await outbox.send(
          officer,
          [
            {
              text: {
                raw: t('cases:relay.fromMember', { id, name: member.displayName ?? t('cases:unnamed'), message }),
              },
              actions: actionsFor(c, officer),
            },
          ],
          { kind: 'relay', caseId: id },
        );
      }
      return 'sent';
    },

    /**
     * An officer's message to the member of a case she took. Relayed: `next` is "stay" (she may write more);
     * refused: "home" (nothing was sent; the reply conversation ends).
     */
    async relayFromOfficer(actor: Member, id: number, message: string): Promise<FlowOutcome> {
      const stop = (refusal: Text): FlowOutcome => ({ say: [refusal], next: { to: 'home' } });
      const check = await authorised(actor, id);
      if ('refusal' in check) return stop(check.refusal);
      const { c } = check;
      if (isClosed(c.status)) return stop(text('cases:errors.closed', { id }));
      if (c.claimedById !== actor.id) return stop(text('cases:errors.claimFirst', { id }));
      const member = await members.findById(c.memberId);
      if (!member) return stop(text('cases:errors.notFound', { id }));
      const t = deps.translator(member.language);
      await outbox.send(
        member,
        [
          {
            text: { raw: t('cases:relay.fromOfficer', { id, name: officerName(actor, t), message }) },
            actions: [{ label: text('cases:actions.answer'), action: `answer:${id}` }],
          },
        ],
        { kind: 'relay', caseId: id },
      );
      return { say: [text('cases:relay.sent')], next: { to: 'stay' } };
    },

    /** Cases of the officer's areas that are not closed (all of them for admins). */
    async active(actor: Member): Promise<Case[]> {
      if (!isStaff(actor)) return [];
      return cases.listActive(actor.role === 'admin' ? ['*'] : await officers.areasOf(actor.id));
    },

    /** Open cases nobody claimed in time go to the province officers (once per case, across instances). */
    async escalateOverdue(): Promise<number> {
      const now = deps.clock.now();
      const overdue = await cases.takeOverdue(new Date(now.getTime() - deps.escalateAfterMs), now);
      for (const c of overdue) {
        const member = await members.findById(c.memberId);
        let targets = await officers.provinceWide();
        if (targets.length === 0) targets = (await officers.list()).filter((o) => o.member.role === 'admin');
        await notify(targets, c, member, 'cases:escalated');
      }
      return overdue.length;
    },

    /** Once a day (across instances): each officer gets the list of what is still open in her areas. */
    async sendDigests(period: string): Promise<number> {
      if (!(await deps.locks.acquire('digest', period))) return 0;
      // Admins also see how many messages are waiting for recipients who are out of reach (Zalo window, blocked).
      const waiting = await outbox.countPending();
      let sent = 0;
      for (const o of await officers.list()) {
        const open = await cases.listActive(o.member.role === 'admin' ? ['*'] : o.areas);
        const adminWaiting = o.member.role === 'admin' && waiting > 0;
        if (open.length === 0 && !adminWaiting) continue;
        const t = deps.translator(o.member.language);
        const lines = open.map((c) =>
          t('cases:digest.line', {
            id: c.id,
            type: t(`cases:types.${c.type}`),
            commune: communeName(c.communeCode, t),
            status: t(`cases:statuses.${c.status}`),
          }),
        );
        if (adminWaiting) lines.push(t('cases:digest.waiting', { count: waiting }));
        const said: Said[] = [{ raw: [t('cases:digest.title', { count: open.length }), ...lines].join('\n') }];
        await outbox.send(o.member, said, { kind: 'digest' });
        sent++;
      }
      return sent;
    },
  };
}

export type CaseService = ReturnType<typeof createCaseService>;
