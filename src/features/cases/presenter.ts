// How cases read in the chat: an officer's view of a case (its card, conversation and buttons), the notices about it,
// where a member can be reached, and the refusals of the case services in words. Turns the services' domain results
// into what the chat says; decides nothing (the rules are in policy.ts, the checks in service.ts).
import type { ActionMessage, Said, Text, Translate } from '../../conversation/flow.ts';
import { text } from '../../conversation/flow.ts';
import type { Clock } from '../../conversation/ports.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import type { Case, CaseMessage } from '../../domain/cases.ts';
import { chatReach } from '../../domain/cases.ts';
import type { Language, Member } from '../../domain/member.ts';
import { formatVietnamesePhone } from '../../domain/phone.ts';
import { DEFAULT_TIME_ZONE, formatDateTime } from '../../domain/time.ts';
import { unitLabel } from '../profile/areaInput.ts';
import type { CaseTypeHandlers } from './caseTypes.ts';
import { blocked, type CaseDetail, type CaseRefusal, type OfficerAction } from './policy.ts';

export interface CasePresenterDeps {
  areas: AreaDirectory;
  translator: (language: Language) => Translate;
  clock: Clock;
  /** IANA zone of every date an officer or member reads (TIME_ZONE); default Asia/Ho_Chi_Minh. */
  timeZone?: string;
  /** The case types other features show and decide themselves (read when a card is drawn; see caseTypes.ts). */
  caseTypes?: CaseTypeHandlers;
}

/** Most messages shown with a case; older ones are counted, not shown (a chat is not an archive). */
const MAX_SHOWN_MESSAGES = 30;

export function createCasePresenter(deps: CasePresenterDeps) {
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
      // A type another feature shows itself (a product case) shows its record after the card instead.
      ...(deps.caseTypes?.[c.type]
        ? []
        : Object.entries(c.details).map(([key, value]) =>
            t('cases:line.detail', { label: t(`cases:details.${key}`), value }),
          )),
      t('cases:line.status', { status: t(`cases:statuses.${c.status}`) }),
    ];
    if (full) {
      lines.push(t('cases:line.phone', { phone: phoneOf(member, t) }));
      lines.push(...reachLines(member, viewer, false));
    }
    return lines.join('\n');
  }

  /** The messages on a case, oldest first, for an officer (empty when there are none). */
  function conversation(detail: CaseDetail, viewer: Member): string[] {
    const all = detail.messages;
    if (all.length === 0) return [];
    const t = deps.translator(viewer.language);
    const author = (m: CaseMessage) => {
      if (m.author === 'member') return detail.member?.displayName ?? t('cases:conversation.member');
      if (m.authorId === null) return t('cases:anOfficer');
      return officerName(detail.authors.get(m.authorId) ?? null, t);
    };
    const shown = all.slice(-MAX_SHOWN_MESSAGES);
    const lines = [t('cases:conversation.title', { count: all.length })];
    if (shown.length < all.length) lines.push(t('cases:conversation.earlier', { count: all.length - shown.length }));
    for (const m of shown) {
      lines.push(
        t('cases:conversation.line', { date: when(m.createdAt, viewer.language), name: author(m), text: m.text }),
      );
    }
    return lines;
  }

  /** Buttons for a case, by its state and the officer looking at it: exactly the actions she would be allowed. */
  function actionsFor(c: Case, viewer: Member): { label: Text; action: string }[] {
    if (c.status === 'open') return [{ label: text('cases:actions.claim'), action: `claim:${c.id}` }];
    const candidates: OfficerAction[] = ['reply', 'approve', 'reject', 'done'];
    const replaced: readonly OfficerAction[] = deps.caseTypes?.[c.type]?.replacesDecisions ?? [];
    return candidates
      .filter((action) => blocked(c, viewer, action) === null && !replaced.includes(action))
      .map((action) => ({ label: text(`cases:actions.${action}`), action: `${action}:${c.id}` }));
  }

  return {
    describe,
    reachLines,
    actionsFor,
    officerName,
    phoneOf,

    /** The case, its conversation and its buttons, for an officer; `heading` goes first ("You took #12"). */
    card(detail: CaseDetail, viewer: Member, heading?: string): ActionMessage {
      const parts = [
        ...(heading ? [heading] : []),
        describe(detail.case, detail.member, viewer, detail.full),
        ...conversation(detail, viewer),
      ];
      return { text: { raw: parts.join('\n') }, actions: actionsFor(detail.case, viewer) };
    },

    /** A refusal of case `id` in the actor's words, with the button that helps when there is one ("claim"). */
    refusal(refusal: CaseRefusal, actor: Member, id: number): Said {
      switch (refusal.reason) {
        case 'notOfficer':
          return text('cases:errors.notOfficer');
        case 'claimFirst':
          return {
            text: text('cases:errors.claimFirst', { id }),
            actions: [{ label: text('cases:actions.claim'), action: `claim:${id}` }],
          };
        case 'claimedByOther':
          return text('cases:errors.alreadyClaimed', {
            id,
            name: officerName(refusal.by, deps.translator(actor.language)),
          });
        default:
          return text(`cases:errors.${refusal.reason}`, { id });
      }
    },

    /** A notice to an officer about a case (new, escalated): the heading, the case, and her buttons. */
    notice(c: Case, member: Member | null, officer: Member, heading: string): ActionMessage {
      const t = deps.translator(officer.language);
      return {
        text: { raw: `${t(heading)}\n${describe(c, member, officer, false)}` },
        actions: actionsFor(c, officer),
      };
    },

    /** An officer's daily list of what is still open in her areas; `waiting` (admins): messages held for recipients. */
    digest(officer: Member, open: readonly Case[], waiting: number): Said {
      const t = deps.translator(officer.language);
      const lines = open.map((c) =>
        t('cases:digest.line', {
          id: c.id,
          type: t(`cases:types.${c.type}`),
          commune: communeName(c.communeCode, t),
          status: t(`cases:statuses.${c.status}`),
          date: when(c.createdAt, officer.language),
        }),
      );
      if (waiting > 0) lines.push(t('cases:digest.waiting', { count: waiting }));
      return { raw: [t('cases:digest.title', { count: open.length }), ...lines].join('\n') };
    },
  };
}

export type CasePresenter = ReturnType<typeof createCasePresenter>;
