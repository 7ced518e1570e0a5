// Cases and the officers who handle them. Creating a case notifies the officers of the member's commune (falling
// back to province-wide officers); the first claim wins; closing tells the member; unclaimed cases are escalated and
// a daily digest lists what is still open. Every check is made here, on the server, for every action: a forged
// button cannot claim or close anything. Every message the member and the officers write on a case is stored on it
// (CaseMessage) before anyone is told, so nothing is lost when nobody can be told yet, and whoever takes the case sees
// the whole conversation.
import type { ActionMessage, FlowOutcome, Said, Text, Translate } from '../../conversation/flow.ts';
import { text } from '../../conversation/flow.ts';
import type { PushResult } from '../../conversation/messages.ts';
import type { Clock, Logger } from '../../conversation/ports.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import type { Case, CaseMessage, CaseRepository, CaseType, ScheduleLock } from '../../domain/cases.ts';
import { chatReach, DECIDABLE, isClosed } from '../../domain/cases.ts';
import type { Language, Member, MemberRepository } from '../../domain/member.ts';
import { covers, type AuditLog, type Officer, type OfficerRepository } from '../../domain/officers.ts';
import { formatVietnamesePhone } from '../../domain/phone.ts';
import { DEFAULT_TIME_ZONE, formatDateTime } from '../../domain/time.ts';
import { unitLabel } from '../profile/areaInput.ts';
import type { OutboxPort as Outbox } from '../../conversation/outbox.ts';

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
  /** IANA zone of every date an officer or member reads (TIME_ZONE); default Asia/Ho_Chi_Minh. */
  timeZone?: string;
}

export type CloseStatus = 'done' | 'approved' | 'rejected';

/** What an officer (or admin) can do to a case. */
export type OfficerAction = 'claim' | 'view' | 'reply' | 'done' | 'approve' | 'reject';

/** Why an action cannot be done now on a case, from the case and the actor alone. */
type Blocked = 'closed' | 'claimFirst' | 'claimedByOther' | 'wrongAction';

/** What a member's message on a case became: passed to officers, stored for whoever takes it, or refused. */
export type MemberRelay = 'sent' | 'stored' | 'closed';

const isStaff = (m: Member) => m.role === 'officer' || m.role === 'admin';

/** Most messages shown with a case; older ones are counted, not shown (a chat is not an archive). */
const MAX_SHOWN_MESSAGES = 30;

/**
 * Whether `actor` may do `action` on `c` in its present state (her area is checked separately). The same rules decide
 * the buttons she is shown and the refusal she gets, and they are checked before she is asked for any input (a note,
 * a reason, a message), so nobody types something only to be told it cannot be sent.
 */
function blocked(c: Case, actor: Member, action: OfficerAction): Blocked | null {
  if (action === 'view') return null;
  if (isClosed(c.status)) return 'closed';
  switch (action) {
    case 'claim':
      return c.status === 'open' ? null : 'claimedByOther';
    case 'reply':
      // Only the officer who took the case writes to the member, so the member hears one voice.
      if (c.status === 'open') return 'claimFirst';
      return c.claimedById === actor.id ? null : 'claimedByOther';
    case 'done':
    case 'approve':
    case 'reject': {
      const decidable = DECIDABLE.includes(c.type);
      if ((action === 'done') === decidable) return 'wrongAction';
      // An open case may be closed directly; a taken one by the officer who took it, or an admin.
      if (c.status === 'claimed' && c.claimedById !== actor.id && actor.role !== 'admin') return 'claimedByOther';
      return null;
    }
  }
}

export function createCaseService(deps: CaseServiceDeps) {
  const { cases, officers, members, audit, outbox } = deps;
  const timeZone = deps.timeZone ?? DEFAULT_TIME_ZONE;

  const communeName = (code: string | null, t: Translate) => {
    const unit = deps.areas.byCodeOrNull(code);
    return unit ? unitLabel(unit, t) : t('cases:noCommune');
  };
  const officerName = (m: Member | null, t: Translate) => m?.displayName ?? t('cases:anOfficer');
  const when = (date: Date, language: Language) => formatDateTime(date, timeZone, language);
  const phoneOf = (member: Member | null, t: Translate) =>
    member?.phone ? formatVietnamesePhone(member.phone) : t('cases:noPhone');

  /**
   * Whether a chat message reaches the member now (Zalo's window, a blocked bot), as lines for the officer; empty when
   * it does. With `phone`, a member out of reach also gets her number (or "none"), for a call instead.
   */
  function reachLines(member: Member | null, viewer: Member, phone: boolean): string[] {
    if (!member) return [];
    const t = deps.translator(viewer.language);
    const reach = chatReach(member, deps.clock.now());
    const lines: string[] = [];
    switch (reach.kind) {
      case 'reachable':
        return [];
      case 'closing':
        lines.push(
          t('cases:reach.closing', {
            last: when(reach.lastInboundAt, viewer.language),
            until: when(reach.until, viewer.language),
          }),
        );
        return lines;
      case 'closed':
        lines.push(
          reach.lastInboundAt
            ? t('cases:reach.closed', { last: when(reach.lastInboundAt, viewer.language) })
            : t('cases:reach.closedNever'),
        );
        break;
      case 'unreachable':
        lines.push(t('cases:reach.unreachable'));
        break;
    }
    if (phone)
      lines.push(member.phone ? t('cases:reach.phone', { phone: phoneOf(member, t) }) : t('cases:reach.noPhone'));
    return lines;
  }

  /**
   * The case as an officer sees it. `full` (the officer who took it, or an admin) adds the member's phone number and
   * whether a chat reply reaches her now.
   */
  function describe(c: Case, member: Member | null, viewer: Member, full: boolean): string {
    const t = deps.translator(viewer.language);
    const lines = [
      t('cases:line.title', { id: c.id, type: t(`cases:types.${c.type}`) }),
      t('cases:line.commune', { commune: communeName(c.communeCode, t) }),
      t('cases:line.member', { name: member?.displayName ?? t('cases:unnamed') }),
      t('cases:line.created', { date: when(c.createdAt, viewer.language) }),
      ...Object.entries(c.details).map(([key, value]) =>
        t('cases:line.detail', { label: t(`cases:details.${key}`), value }),
      ),
      t('cases:line.status', { status: t(`cases:statuses.${c.status}`) }),
    ];
    if (full) {
      lines.push(t('cases:line.phone', { phone: phoneOf(member, t) }));
      lines.push(...reachLines(member, viewer, false));
    }
    return lines.join('\n');
  }

  /** The messages on a case, oldest first, for an officer (empty when there are none). */
  async function conversation(c: Case, member: Member | null, viewer: Member): Promise<string[]> {
    const all = await cases.messages(c.id);
    if (all.length === 0) return [];
    const t = deps.translator(viewer.language);
    const names = new Map<string, Promise<Member | null>>();
    const author = async (m: CaseMessage) => {
      if (m.author === 'member') return member?.displayName ?? t('cases:conversation.member');
      if (m.authorId === null) return t('cases:anOfficer');
      let found = names.get(m.authorId);
      if (!found) names.set(m.authorId, (found = members.findById(m.authorId)));
      return officerName(await found, t);
    };
    const shown = all.slice(-MAX_SHOWN_MESSAGES);
    const lines = [t('cases:conversation.title', { count: all.length })];
    if (shown.length < all.length) lines.push(t('cases:conversation.earlier', { count: all.length - shown.length }));
    for (const m of shown) {
      lines.push(
        t('cases:conversation.line', { date: when(m.createdAt, viewer.language), name: await author(m), text: m.text }),
      );
    }
    return lines;
  }

  /** The case, its conversation and its buttons, for an officer. */
  async function card(c: Case, viewer: Member, heading?: string): Promise<ActionMessage> {
    const member = await members.findById(c.memberId);
    const full = c.claimedById === viewer.id || viewer.role === 'admin';
    const parts = [
      ...(heading ? [heading] : []),
      describe(c, member, viewer, full),
      ...(await conversation(c, member, viewer)),
    ];
    return { text: { raw: parts.join('\n') }, actions: actionsFor(c, viewer) };
  }

  /** Buttons for a case, by its state and the officer looking at it: exactly the actions she would be allowed. */
  function actionsFor(c: Case, viewer: Member): { label: Text; action: string }[] {
    if (c.status === 'open') return [{ label: text('cases:actions.claim'), action: `claim:${c.id}` }];
    const candidates: OfficerAction[] = ['reply', 'approve', 'reject', 'done'];
    return candidates
      .filter((action) => blocked(c, viewer, action) === null)
      .map((action) => ({ label: text(`cases:actions.${action}`), action: `${action}:${c.id}` }));
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
        [{ text: { raw: `${t(heading)}\n${describe(c, member, o.member, false)}` }, actions: actionsFor(c, o.member) }],
        { kind: heading === 'cases:escalated' ? 'escalation' : 'case', caseId: c.id },
      );
    }
    if (recipients.length === 0) deps.logger.warn({ caseId: c.id }, 'no officer or admin to notify');
  }

  /** Loads a case and checks the actor may act on it: an officer or admin, and the case in her areas. */
  async function authorised(actor: Member, id: number): Promise<{ c: Case } | { refusal: Said }> {
    if (!isStaff(actor)) return { refusal: text('cases:errors.notOfficer') };
    const c = Number.isSafeInteger(id) ? await cases.get(id) : null;
    if (!c) return { refusal: text('cases:errors.notFound', { id }) };
    if (actor.role !== 'admin' && !covers(await officers.areasOf(actor.id), c.communeCode)) {
      return { refusal: text('cases:errors.notYourArea', { id }) };
    }
    return { c };
  }

  /** The case when the actor may do this action on it now; otherwise what to tell her (with a button if one helps). */
  async function check(actor: Member, id: number, action: OfficerAction): Promise<{ c: Case } | { refusal: Said }> {
    const found = await authorised(actor, id);
    if ('refusal' in found) return found;
    const { c } = found;
    switch (blocked(c, actor, action)) {
      case null:
        return found;
      case 'closed':
        return { refusal: text('cases:errors.closed', { id }) };
      case 'wrongAction':
        return { refusal: text('cases:errors.wrongAction', { id }) };
      case 'claimFirst':
        return {
          refusal: {
            text: text('cases:errors.claimFirst', { id }),
            actions: [{ label: text('cases:actions.claim'), action: `claim:${id}` }],
          },
        };
      case 'claimedByOther': {
        const by = c.claimedById ? await members.findById(c.claimedById) : null;
        return {
          refusal: text('cases:errors.alreadyClaimed', { id, name: officerName(by, deps.translator(actor.language)) }),
        };
      }
    }
  }

  const refuse = (refusal: Said): FlowOutcome => ({ say: [refusal], next: { to: 'stay' } });

  async function tellMember(c: Case, key: string, vars: Record<string, unknown>) {
    const member = await members.findById(c.memberId);
    if (member) await outbox.send(member, [text(key, { id: c.id, ...vars })], { kind: 'memberUpdate', caseId: c.id });
  }

  /** The case with its whole conversation and the buttons this officer may use. */
  async function view(actor: Member, id: number): Promise<FlowOutcome> {
    const found = await check(actor, id, 'view');
    if ('refusal' in found) return refuse(found.refusal);
    return { say: [await card(found.c, actor)], next: { to: 'stay' } };
  }

  /** For an officer whose message or note could not be used: her own words back, so she can send them elsewhere. */
  const notSent = (words: string | null): Said[] => (words ? [text('cases:relay.notSent', { message: words })] : []);

  return {
    describe,

    /**
     * Why this actor may not do this action on this case now (a localized refusal, possibly with a button), or null
     * when she may. Asked before any input is requested from her.
     */
    async refusal(actor: Member, id: number, action: OfficerAction): Promise<Said | null> {
      const found = await check(actor, id, action);
      return 'refusal' in found ? found.refusal : null;
    },

    /**
     * What an officer should know before writing to the member of a case she may reply on: whether a chat message
     * reaches her now (Zalo's window, a blocked bot), with her phone number when it does not. Empty when it does.
     */
    async replyNotice(actor: Member, id: number): Promise<Said[]> {
      const c = await cases.get(id);
      const member = c ? await members.findById(c.memberId) : null;
      const lines = reachLines(member, actor, true);
      return lines.length > 0 ? [{ raw: lines.join('\n') }] : [];
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

    view,

    /** The first claim wins; the winner sees the case, its conversation so far and the member's phone number. */
    async claim(actor: Member, id: number): Promise<FlowOutcome> {
      const found = await check(actor, id, 'claim');
      if ('refusal' in found) {
        // Her own case already: show it rather than refuse.
        const c = await cases.get(id);
        if (c && !isClosed(c.status) && c.claimedById === actor.id) return view(actor, id);
        return refuse(found.refusal);
      }
      if (!(await cases.claim(id, actor.id, deps.clock.now()))) {
        // Someone was faster (or closed it) between the check and the claim.
        const again = await check(actor, id, 'claim');
        return refuse('refusal' in again ? again.refusal : text('cases:errors.closed', { id }));
      }
      await audit.record({ actor: actor.id, action: 'case.claimed', subject: String(id) });
      const c = (await cases.get(id))!;
      const member = await members.findById(c.memberId);
      await tellMember(c, 'cases:member.claimed', {
        name: officerName(actor, deps.translator(member?.language ?? 'vi')),
      });
      const t = deps.translator(actor.language);
      return { say: [await card(c, actor, t('cases:claimed', { id }))], next: { to: 'stay' } };
    },

    /**
     * done / approved / rejected; `note` is the officer's note or the reason of a rejection. Checked again here (the
     * case may have changed since she was asked for the note): a refusal gives her note back.
     */
    async close(actor: Member, id: number, status: CloseStatus, note: string | null): Promise<FlowOutcome> {
      const action: OfficerAction = status === 'approved' ? 'approve' : status === 'rejected' ? 'reject' : 'done';
      const found = await check(actor, id, action);
      if ('refusal' in found) return { say: [found.refusal, ...notSent(note)], next: { to: 'stay' } };
      const { c } = found;
      if (!(await cases.close(id, status, note, deps.clock.now(), actor.id))) {
        return { say: [text('cases:errors.closed', { id }), ...notSent(note)], next: { to: 'stay' } };
      }
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

    /**
     * A member's message on her case, of any type: stored on the case first, then passed to the officer who took it
     * (or, while nobody has, to the officers who would be notified of it). "stored" = nobody could be told yet: the
     * officer who takes it will read it with the case. "closed" = the case is over (or not hers): nothing is stored,
     * and the caller offers her a new request with her text.
     */
    async relayFromMember(member: Member, id: number, message: string): Promise<MemberRelay> {
      const c = await cases.get(id);
      if (c?.memberId !== member.id || isClosed(c.status)) return 'closed';
      await cases.addMessage({
        caseId: id,
        author: 'member',
        authorId: null,
        text: message,
        createdAt: deps.clock.now(),
      });
      const claimer = c.claimedById ? await members.findById(c.claimedById) : null;
      const targets = claimer ? [claimer] : (await recipientsFor(c.communeCode)).map((o) => o.member);
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
      return targets.length > 0 ? 'sent' : 'stored';
    },

    /**
     * An officer's message to the member of a case she took, stored on the case and sent with an "answer" button.
     * Relayed: `next` is "stay" (she may write more), and she is told when it could not reach the member at once
     * (Zalo's window, a blocked bot: the member gets it when she next writes), with the member's phone number.
     * Refused: "home", with her text given back.
     */
    async relayFromOfficer(actor: Member, id: number, message: string): Promise<FlowOutcome> {
      const found = await check(actor, id, 'reply');
      if ('refusal' in found) return { say: [found.refusal, ...notSent(message)], next: { to: 'home' } };
      const member = await members.findById(found.c.memberId);
      if (!member) return { say: [text('cases:errors.notFound', { id }), ...notSent(message)], next: { to: 'home' } };
      await cases.addMessage({
        caseId: id,
        author: 'officer',
        authorId: actor.id,
        text: message,
        createdAt: deps.clock.now(),
      });
      const t = deps.translator(member.language);
      const result: PushResult = await outbox.send(
        member,
        [
          {
            text: { raw: t('cases:relay.fromOfficer', { id, name: officerName(actor, t), message }) },
            actions: [{ label: text('cases:actions.answer'), action: `answer:${id}` }],
          },
        ],
        { kind: 'relay', caseId: id },
      );
      if (result === 'sent') return { say: [text('cases:relay.sent')], next: { to: 'stay' } };
      const notice = reachLines(member, actor, true);
      const ta = deps.translator(actor.language);
      if (notice.length === 0) notice.push(ta('cases:reach.phone', { phone: phoneOf(member, ta) }));
      return {
        say: [{ raw: [ta('cases:relay.stored', { id }), ...notice].join('\n') }],
        next: { to: 'stay' },
      };
    },

    /** A member's own case as she may write on it: "open" (not closed), "closed", or null (no such case of hers). */
    async memberCase(member: Member, id: number): Promise<'open' | 'closed' | null> {
      const c = Number.isSafeInteger(id) ? await cases.get(id) : null;
      if (c?.memberId !== member.id) return null;
      return isClosed(c.status) ? 'closed' : 'open';
    },

    /** Cases of the officer's areas that are not closed (all of them for admins), oldest first. */
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
            date: when(c.createdAt, o.member.language),
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
