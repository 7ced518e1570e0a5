// Conversations around cases: a member asking to talk to an officer (and the relay both ways), an officer closing a
// case with a note or rejecting it with a reason, and an officer's list of her open cases.
import type { Answers, Flow, FlowOutcome, Said } from '../../conversation/flow.ts';
import { answerText, text } from '../../conversation/flow.ts';
import type { Member } from '../../domain/member.ts';
import { formatDateTime } from '../../domain/time.ts';
import type { MenuEntry } from '../menu/flow.ts';
import type { CaseChat } from './chat.ts';
import type { CaseRelay } from './relay.ts';
import type { CaseService } from './service.ts';

export const TALK_FLOW = 'talk';
export const TALK_MORE_FLOW = 'talkMore';
export const TALK_REOPEN_FLOW = 'talkReopen';
export const CASE_DONE_FLOW = 'caseDone';
export const CASE_REJECT_FLOW = 'caseReject';
export const OFFICER_REPLY_FLOW = 'officerReply';
export const MY_CASES_FLOW = 'myCases';

export const talkMenuEntry: MenuEntry = { flowId: TALK_FLOW, label: text('menu:talk'), audience: 'consented' };
export const myCasesMenuEntry: MenuEntry = { flowId: MY_CASES_FLOW, label: text('menu:myCases'), audience: 'officer' };

const caseIdOf = (answers: Answers) => Number(answerText(answers['caseId']));
/** Relayed messages are short chat messages, not documents. */
const MESSAGE_MAX = 1000;
const MAX_LISTED = 10;

export function createCaseFlows(deps: { service: CaseService; relay: CaseRelay; chat: CaseChat }): Flow[] {
  const { service, relay, chat } = deps;
  async function openTalk(member: Member, topic: string): Promise<FlowOutcome> {
    const { case: c, notified } = await service.open(member, 'talk', { topic });
    return {
      say: [text(notified > 0 ? 'cases:talk.opened' : 'cases:talk.openedNobody', { id: c.id })],
      next: { to: 'flow', flowId: TALK_MORE_FLOW, answers: { caseId: String(c.id) } },
    };
  }

  const talk: Flow = {
    id: TALK_FLOW,
    steps: [
      { id: 'topic', prompt: text('cases:talk.ask'), input: { kind: 'text', maxLength: MESSAGE_MAX }, message: true },
    ],
    finish: async ({ member, answers }) => openTalk(member, answerText(answers['topic'])),
  };

  // The member stays here after opening a case: whatever she types is stored on the case and goes to the officer,
  // until she leaves (menu) or the case is closed. An officer's reply carries an "answer" button that brings her back
  // here. Nothing she types is dropped: on a closed case she is offered a new request with her text.
  const talkMore: Flow = {
    id: TALK_MORE_FLOW,
    steps: [
      {
        id: 'message',
        prompt: ({ answers }) => text('cases:talk.more', { id: caseIdOf(answers) }),
        input: { kind: 'text', maxLength: MESSAGE_MAX },
        // Her words for a person: never read as a request for another feature.
        message: true,
      },
    ],
    finish: async ({ member, answers }): Promise<FlowOutcome> => {
      const id = caseIdOf(answers);
      const message = answerText(answers['message']);
      const result = await relay.fromMember(member, id, message);
      if (result === 'closed') {
        return { say: [], next: { to: 'flow', flowId: TALK_REOPEN_FLOW, answers: { caseId: String(id), message } } };
      }
      return {
        say: [text(result === 'sent' ? 'cases:relay.sent' : 'cases:relay.storedForOfficer', { id })],
        next: { to: 'flow', flowId: TALK_MORE_FLOW, answers: { caseId: String(id) } },
      };
    },
  };

  // A member writing on a case that is over (she was still in its conversation, or tapped "answer" on an old
  // message): she is told, and offered a new request, which carries her text when she had typed one.
  const talkReopen: Flow = {
    id: TALK_REOPEN_FLOW,
    steps: [
      {
        id: 'again',
        prompt: ({ answers }) => {
          const message = answerText(answers['message']);
          return message === ''
            ? text('cases:talk.closedAsk', { id: caseIdOf(answers) })
            : text('cases:talk.closedOffer', { id: caseIdOf(answers), message });
        },
        input: { kind: 'yesno', yesLabel: text('cases:talk.newRequest'), noLabel: text('cases:talk.noThanks') },
      },
    ],
    finish: async ({ member, answers }) => {
      const message = answerText(answers['message']);
      if (answers['again'] !== 'yes') {
        return { say: message === '' ? [] : [text('cases:talk.notSent')], next: { to: 'home' } };
      }
      // Without her text yet, the new request starts by asking for it.
      if (message === '') return { say: [], next: { to: 'flow', flowId: TALK_FLOW } };
      return openTalk(member, message);
    },
  };

  const officerReply: Flow = {
    id: OFFICER_REPLY_FLOW,
    steps: [
      {
        id: 'message',
        prompt: ({ answers }) => text('cases:relay.askOfficer', { id: caseIdOf(answers) }),
        input: { kind: 'text', maxLength: MESSAGE_MAX },
        // Her words for a person: never read as a request for another feature.
        message: true,
      },
    ],
    finish: async ({ member, answers }): Promise<FlowOutcome> => {
      const id = caseIdOf(answers);
      const outcome = await chat.relayFromOfficer(member, id, answerText(answers['message']));
      if (outcome.next.to !== 'stay') return outcome;
      // Relayed: stay in the reply conversation for her next message.
      return { ...outcome, next: { to: 'flow', flowId: OFFICER_REPLY_FLOW, answers: { caseId: String(id) } } };
    },
  };

  const caseDone: Flow = {
    id: CASE_DONE_FLOW,
    steps: [
      {
        id: 'note',
        prompt: ({ answers }) =>
          text(answers['internal'] === true ? 'cases:done.askNoteInternal' : 'cases:done.askNote', {
            id: caseIdOf(answers),
          }),
        input: { kind: 'text', maxLength: MESSAGE_MAX },
        // Her words for a person: never read as a request for another feature.
        message: true,
        optional: true,
      },
    ],
    finish: async ({ member, answers }) => {
      const note = answers['note'];
      return chat.close(member, caseIdOf(answers), 'done', typeof note === 'string' ? note : null);
    },
  };

  const caseReject: Flow = {
    id: CASE_REJECT_FLOW,
    steps: [
      {
        id: 'reason',
        prompt: ({ answers }) => text('cases:reject.askReason', { id: caseIdOf(answers) }),
        input: { kind: 'text', maxLength: MESSAGE_MAX },
        // Her words for a person: never read as a request for another feature.
        message: true,
      },
    ],
    finish: async ({ member, answers }) =>
      chat.close(member, caseIdOf(answers), 'rejected', answerText(answers['reason'])),
  };

  const myCases: Flow = {
    id: MY_CASES_FLOW,
    steps: [],
    finish: async ({ member, t, timeZone }) => {
      const active = await service.active(member);
      if (active.length === 0) return { say: [text('cases:list.none')], next: { to: 'home' } };
      const shown = active.slice(0, MAX_LISTED);
      const lines = shown.map((c) =>
        t('cases:list.line', {
          id: c.id,
          type: t(`cases:types.${c.type}`),
          status: t(`cases:statuses.${c.status}`),
          date: formatDateTime(c.createdAt, timeZone, member.language),
        }),
      );
      const said: Said[] = [
        {
          text: { raw: [t('cases:list.title', { count: active.length }), ...lines].join('\n') },
          actions: shown.map((c) => ({ label: text('cases:actions.view', { id: c.id }), action: `view:${c.id}` })),
        },
      ];
      return { say: said, next: { to: 'home' } };
    },
  };

  return [talk, talkMore, talkReopen, officerReply, caseDone, caseReject, myCases];
}
