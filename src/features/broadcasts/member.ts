// The member's part of the broadcasts feature (issue 14, point 3 and the member-facing parts of 1 and 2):
// - "Thông báo của Hội" in the menu: whether she gets announcements, with Stop / Turn on;
// - stopping and turning back on in her words (intents announcementsOff / announcementsOn, via the understanding
//   layer) and by the words "DỪNG" / "STOP" typed outside a flow (EngineDeps.homeCommand): each opens a confirmation,
//   and after the change she is told how to change it back (the words to type and the menu item);
// - members who consented before announcements were part of first contact are asked once, when they next reach the
//   menu (never in the middle of a flow, never before answering what she asked; officers and admins are not asked);
// - the `bcTap:<id>` button under a broadcast: counted once, then its target starts (registration for one course, the
//   course list, the credit pre-screen, the product report); an unknown broadcast gets a friendly answer.
// The rule of the issue for "dừng" (folded, also "đúng" = yes and the name "Dung"): inside a flow the engine's rules
// stand (it cancels the flow, or answers the question where it is an answer: "dung"/"đúng" is yes at a yes/no
// question, "Dung" is asked about at a name step, a choice whose label it matches picks it; "dừng" WITH its marks at
// a yes/no question is the cancel word, not "đúng"); outside a flow (at the menu) it opens the opt-out confirmation.
import type { ChoiceOption, Flow, FlowContext, FlowNext, Said } from '../../conversation/flow.ts';
import { text } from '../../conversation/flow.ts';
import type { Command } from '../../conversation/vocabulary.ts';
import type { Broadcast } from '../../domain/broadcasts.ts';
import type { Member } from '../../domain/member.ts';
import { fold } from '../../domain/text.ts';
import { needsFirstContact } from '../consent/flow.ts';
import type { ConsentService } from '../consent/purposes.ts';
import { COURSE_REGISTER_FLOW, COURSES_FLOW } from '../courses/browse.ts';
import { CREDIT_FLOW } from '../credit/flow.ts';
import { MENU_FLOW, menuItemFor, type MenuEntry } from '../menu/flow.ts';
import type { BeforeFlow, FeatureActions, FeatureModule } from '../module.ts';
import { PRODUCT_REPORT_FLOW } from '../products/report.ts';
import { BC_TAP } from './actionNames.ts';
import type { MemberAnnouncements } from './contract.ts';

export const ANN_SETTINGS_FLOW = 'annSettings';
export const ANN_SETTINGS_PICK_FLOW = 'annSettingsPick';
export const ANN_OFF_FLOW = 'annOff';
export const ANN_OFF_CONFIRM_FLOW = 'annOffConfirm';
export const ANN_ON_FLOW = 'annOn';
export const ANN_ON_CONFIRM_FLOW = 'annOnConfirm';
export const ANN_ASK_FLOW = 'annAsk';
export const ANN_STAFF_FLOW = 'annStaff';
/** The flows an officer or admin is not taken into (beforeFlow sends her to ANN_STAFF_FLOW instead). */
const STAFF_ANSWERED = new Set([
  ANN_SETTINGS_FLOW,
  ANN_SETTINGS_PICK_FLOW,
  ANN_OFF_FLOW,
  ANN_OFF_CONFIRM_FLOW,
  ANN_ON_FLOW,
  ANN_ON_CONFIRM_FLOW,
  ANN_ASK_FLOW,
]);

export const announcementsMenuEntry: MenuEntry = {
  flowId: ANN_SETTINGS_FLOW,
  label: text('announcements:menu'),
  // Members who gave the basic consent (whose first yes covered announcements). A member who declined it may still
  // ask for announcements in her words ("bật thông báo"): that explicit yes gives this purpose alone.
  audience: 'consented',
};

export interface MemberPartDeps {
  announcements: MemberAnnouncements;
  consent: Pick<ConsentService, 'decisionsOf' | 'markAsked'>;
  /** Every language's phrases of a locales list key, as written (the stop words, yes/no words). */
  phrases: (key: string) => string[];
}

/** Where a button's target starts. */
export function targetOf(button: NonNullable<Broadcast['button']>): FlowNext {
  switch (button.target) {
    case 'courseRegister':
      return { to: 'flow', flowId: COURSE_REGISTER_FLOW, answers: { courseId: button.courseId } };
    case 'courses':
      return { to: 'flow', flowId: COURSES_FLOW };
    case 'credit':
      return { to: 'flow', flowId: CREDIT_FLOW };
    case 'productReport':
      return { to: 'flow', flowId: PRODUCT_REPORT_FLOW };
  }
}

/** "tb 12" (folded): the typed form of a tap on broadcast 12's button (channels without buttons). */
const TYPED = /^(.+?)\s*#?\s*(\d{1,9})$/;

/**
 * The member's FeatureModule part: flows, the menu entry (added at the end of the menu), the `bcTap` action, the
 * intents, the ask-once gate at the menu (beforeFlow) and the stop words at the menu (homeCommand). The broadcasts
 * FeatureModule (index.ts) composes it with the admin part.
 */
export function memberPart(deps: MemberPartDeps): Required<
  Pick<FeatureModule, 'flows' | 'menuAtEnd' | 'actions' | 'intents' | 'beforeFlow'>
> & {
  homeCommand: (member: Member, command: Command, input: string) => FlowNext | null;
} {
  const folded = (key: string) => new Set(deps.phrases(key).map(fold));
  const stopPhrases = deps.phrases('announcements:stopWords');
  const stopWords = new Set(stopPhrases.map(fold));
  const tapWords = folded('announcements:words.tap');
  const yesWords = [...deps.phrases('common:commands.yes')];
  const noWords = [...deps.phrases('common:commands.no')];
  // The stop words, also as typed without marks ("dung"): written so, they match exactly, so at a question about
  // announcements "dung" is that question's stop answer — never "đúng" (yes), never the engine's "cancel or answer?".
  const stopAnswers = [...stopPhrases, ...stopPhrases.map(fold)];
  // At "stop them?", words that keep them ("không dừng", "vẫn nhận", "bật lại thông báo"); at "turn them on?" and
  // "do you want them?", words that keep them off ("tắt", "không nhận") and the stop words.
  const keepOnWords = [...deps.phrases('announcements:words.keepOn')];
  const keepOffWords = [...deps.phrases('announcements:words.keepOff'), ...stopAnswers];

  /** The hint: the words to type and her menu item for changing it back. */
  const howTo = (ctx: FlowContext, key: string): Said => ({
    raw: ctx.t(key, {
      item: menuItemFor(ctx.member, announcementsMenuEntry, ctx.t) ?? ctx.t('announcements:menu'),
    }),
  });

  /**
   * A yes/no question about announcements. The stop words (with or without marks) belong to the answer that means no
   * announcements: "yes" at "stop them?" (`stopIsYes`), "no" at "turn them on?" and at the ask-once question. Each
   * side also takes the words that say the other way out ("không dừng" → no at "stop them?", "tắt" → no at "turn them
   * on?"); a yes word that folds to a stop word ("đúng" ≈ "dung") stays yes only typed with its marks.
   */
  const confirmOptions = (yesKey: string, noKey: string, stopIsYes: boolean) => (): ChoiceOption[] => [
    { value: 'yes', label: text(yesKey), synonyms: stopIsYes ? [...yesWords, ...stopAnswers] : yesWords },
    { value: 'no', label: text(noKey), synonyms: [...noWords, ...(stopIsYes ? keepOnWords : keepOffWords)] },
  ];

  const settings: Flow = {
    id: ANN_SETTINGS_FLOW,
    steps: [],
    finish: async ({ member }) => ({
      say: [],
      next: {
        to: 'flow',
        flowId: ANN_SETTINGS_PICK_FLOW,
        answers: { on: await deps.announcements.receivesAnnouncements(member) },
      },
    }),
  };

  const settingsPick: Flow = {
    id: ANN_SETTINGS_PICK_FLOW,
    steps: [
      {
        id: 'pick',
        prompt: ({ answers }) =>
          text(answers['on'] === true ? 'announcements:settings.on' : 'announcements:settings.off'),
        input: {
          kind: 'choice',
          options: ({ answers }) => [
            answers['on'] === true
              ? // A question about announcements: the stop words, with or without marks, are its "Dừng nhận".
                { value: 'stop', label: text('announcements:settings.stop'), synonyms: stopAnswers }
              : { value: 'start', label: text('announcements:settings.start') },
            { value: 'menu', label: text('privacy:toMenu') },
          ],
        },
      },
    ],
    // The buttons say what they do ("Dừng nhận" / "Bật lại") on a screen that says where she stands: done at once.
    finish: async (ctx) => {
      const pick = ctx.answers['pick'];
      if (pick === 'stop' || pick === 'start') {
        const on = pick === 'start';
        await deps.announcements.setAnnouncements(ctx.member, on);
        return { say: [howTo(ctx, on ? 'announcements:on.done' : 'announcements:off.done')], next: { to: 'home' } };
      }
      return { say: [], next: { to: 'home' } };
    },
  };

  /** The entry of a change in her words or by a stop word: says so when nothing is to change, else confirms. */
  const entry = (id: string, on: boolean, confirm: string): Flow => ({
    id,
    steps: [],
    finish: async (ctx) => {
      const receives = await deps.announcements.receivesAnnouncements(ctx.member);
      if (receives === on) {
        return {
          say: [howTo(ctx, on ? 'announcements:on.already' : 'announcements:off.already')],
          next: { to: 'home' },
        };
      }
      return { say: [], next: { to: 'flow', flowId: confirm } };
    },
  });

  const confirmChange = (id: string, on: boolean): Flow => {
    const key = on ? 'on' : 'off';
    return {
      id,
      steps: [
        {
          id: 'confirm',
          prompt: text(`announcements:${key}.question`),
          input: {
            kind: 'choice',
            // At "stop announcements?", typing the stop word again ("dừng", "stop") confirms it: it is the answer
            // here, never the cancel word (the question's own answers come first).
            options: confirmOptions(`announcements:${key}.yes`, `announcements:${key}.no`, !on),
          },
        },
      ],
      finish: async (ctx) => {
        if (ctx.answers['confirm'] !== 'yes') {
          return { say: [text(`announcements:${key}.kept`)], next: { to: 'home' } };
        }
        if ((await deps.announcements.receivesAnnouncements(ctx.member)) === on) {
          return { say: [howTo(ctx, `announcements:${key}.already`)], next: { to: 'home' } };
        }
        await deps.announcements.setAnnouncements(ctx.member, on);
        return { say: [howTo(ctx, `announcements:${key}.done`)], next: { to: 'home' } };
      },
    };
  };

  const ask: Flow = {
    id: ANN_ASK_FLOW,
    steps: [
      {
        id: 'decide',
        prompt: text('announcements:ask.question'),
        input: { kind: 'choice', options: confirmOptions('announcements:ask.yes', 'announcements:ask.no', false) },
      },
    ],
    finish: async (ctx) => {
      const on = ctx.answers['decide'] === 'yes';
      await deps.announcements.setAnnouncements(ctx.member, on);
      return { say: [howTo(ctx, on ? 'announcements:ask.given' : 'announcements:ask.declined')], next: { to: 'home' } };
    },
  };

  /**
   * Asked once: a plain member who gave the basic consent before announcements were part of it, on entering the
   * menu (not on a message at it: her pick is answered; not when a request led elsewhere). Marked asked at once, so
   * whatever she does with the question (answers, cancels, leaves) it is never asked again.
   */
  const beforeFlow: BeforeFlow = async (member, flow, _answers, how) => {
    // Officers and admins are never in an audience and have no announcements menu item: whatever led them here (a
    // stop word, their words), they are told announcements go to members only.
    if (member.role !== 'member' && STAFF_ANSWERED.has(flow.id)) return { to: 'flow', flowId: ANN_STAFF_FLOW };
    if (flow.id !== MENU_FLOW || how?.entering !== true) return null;
    if (member.role !== 'member' || member.consentAt === null) return null;
    if ((await deps.consent.decisionsOf(member)).has('announcements')) return null;
    await deps.consent.markAsked(member, 'announcements');
    return { to: 'flow', flowId: ANN_ASK_FLOW };
  };

  /** Said to an officer or admin who asks to stop or restart announcements (announcements:staff). */
  const staff: Flow = {
    id: ANN_STAFF_FLOW,
    steps: [],
    finish: async () => ({ say: [text('announcements:staff')], next: { to: 'home' } }),
  };

  const actions: FeatureActions = {
    names: [BC_TAP],
    parseTyped(input) {
      const m = TYPED.exec(fold(input));
      if (!m || !tapWords.has(m[1] ?? '')) return null;
      return { name: BC_TAP, arg: m[2] ?? '' };
    },
    typedFor(action, t) {
      const [name = '', arg = ''] = action.split(':');
      return name === BC_TAP ? t('announcements:typed.tap', { id: arg }) : undefined;
    },
    async run({ member }, name, arg) {
      const id = Number(arg);
      const tapped =
        name === BC_TAP && Number.isSafeInteger(id) && id > 0 ? await deps.announcements.tap(member, id) : null;
      if (!tapped) return { say: [text('announcements:tap.gone')], next: { to: 'home' } };
      return { say: [], next: targetOf(tapped.button) };
    },
  };

  return {
    flows: [
      settings,
      settingsPick,
      entry(ANN_OFF_FLOW, false, ANN_OFF_CONFIRM_FLOW),
      confirmChange(ANN_OFF_CONFIRM_FLOW, false),
      entry(ANN_ON_FLOW, true, ANN_ON_CONFIRM_FLOW),
      confirmChange(ANN_ON_CONFIRM_FLOW, true),
      ask,
      staff,
    ],
    // After every entry members already know (the numbers they learnt keep their items).
    menuAtEnd: [announcementsMenuEntry],
    actions,
    intents: [
      // Stops something she can have again: read as any intent, its flow opens a confirmation first.
      // The understanding layer requires such an intent's flow to open with its confirmation: the confirmation itself
      // (whose yes says "already stopped" when she had).
      { id: 'announcementsOff', namespace: 'announcements', flowId: ANN_OFF_CONFIRM_FLOW, cancels: true },
      { id: 'announcementsOn', namespace: 'announcements', flowId: ANN_ON_FLOW },
    ],
    beforeFlow,
    /**
     * A stop word typed outside a flow ("DỪNG", "dung", "Stop."): the opt-out confirmation instead of nothing. Other
     * cancel words ("hủy", "thôi") keep their meaning at the menu; a member still in first contact is not asked; an
     * officer or admin is told announcements go to members only.
     */
    homeCommand(member, command, input) {
      if (command !== 'cancel' || needsFirstContact(member) || !stopWords.has(fold(input))) return null;
      // An officer or admin is never in an audience: she is told so, never pointed to a menu item she lacks.
      return { to: 'flow', flowId: member.role === 'member' ? ANN_OFF_FLOW : ANN_STAFF_FLOW } satisfies FlowNext;
    },
  };
}
