// Consent per purpose (Law 91/2025/QH15, Decree 356/2025): a flow declares the purposes it needs (Flow.purposes; a
// photo step needs "photos" by itself), and on entering it a member who has not decided on one is asked once
// ("Để …, Hội cần lưu … Chị đồng ý không?" — yes / no / more info). Her answer is stored with its time; a declined
// purpose blocks only the flows that need it (she is told what she can still do and goes home); she may give or
// withdraw any purpose from "Quyền dùng dữ liệu" in the menu, and "my data" lists her decisions.
import type { Answers, Flow, FlowContext, FlowNext, Said } from '../../conversation/flow.ts';
import { RESUME, resumeFrom, text } from '../../conversation/flow.ts';
import type { Member, MemberRepository } from '../../domain/member.ts';
import {
  CONSENT_PURPOSES,
  consentPurpose,
  consentState,
  isConsentPurposeId,
  type ConsentDecision,
  type ConsentPurposeId,
  type ConsentRepository,
  type ConsentState,
} from '../../domain/privacy.ts';
import { menuItemFor, type MenuEntry } from '../menu/flow.ts';
import type { ConsentConsequences } from '../module.ts';
import { dateOf } from '../privacy/myData.ts';
import type { PersonalDataKind } from '../privacy/registry.ts';

export const PURPOSE_FLOW = 'purposeConsent';
export const CONSENT_SETTINGS_FLOW = 'consentSettings';

export const consentSettingsMenuEntry: MenuEntry = {
  flowId: CONSENT_SETTINGS_FLOW,
  label: text('menu:consentSettings'),
  audience: 'consented',
};

export interface ConsentService {
  /** Her decision on each purpose; `profile` is read from the member (consentAt / optedOutAt, its mirror). */
  stateOf(member: Member, purpose: ConsentPurposeId): Promise<ConsentState>;
  decisionsOf(member: Member): Promise<Map<ConsentPurposeId, ConsentDecision>>;
  /**
   * Stores her decision at `now`. For `profile` the member row's consentAt / optedOutAt are written too (the basic
   * consent every "consented" flow checks). Returns the member as it now is.
   */
  decide(member: Member, purpose: ConsentPurposeId, given: boolean, now: Date): Promise<Member>;
  /** Records that she was asked about an undecided purpose (ConsentRepository.markAsked): never asked again. */
  markAsked(member: Member, purpose: ConsentPurposeId): Promise<void>;
}

export function createConsentService(deps: { consents: ConsentRepository; members: MemberRepository }): ConsentService {
  const profileDecision = (m: Member): ConsentDecision | undefined =>
    m.consentAt !== null
      ? { purpose: 'profile', givenAt: m.consentAt, withdrawnAt: null }
      : m.optedOutAt !== null
        ? { purpose: 'profile', givenAt: null, withdrawnAt: m.optedOutAt }
        : undefined;
  async function decisionsOf(member: Member): Promise<Map<ConsentPurposeId, ConsentDecision>> {
    const decisions = new Map((await deps.consents.decisionsOf(member.id)).map((d) => [d.purpose, d]));
    const profile = profileDecision(member);
    if (profile) {
      // The row keeps when she first gave it after a withdrawal; the member row is what is in force.
      const stored = decisions.get('profile');
      decisions.set('profile', { ...profile, givenAt: profile.givenAt ?? stored?.givenAt ?? null });
    } else decisions.delete('profile');
    return decisions;
  }
  return {
    decisionsOf,
    markAsked: (member, purpose) => deps.consents.markAsked(member.id, purpose),
    async stateOf(member, purpose) {
      if (purpose === 'profile') return consentState(profileDecision(member));
      return consentState((await decisionsOf(member)).get(purpose));
    },
    async decide(member, purpose, given, now) {
      if (given) await deps.consents.give(member.id, purpose, now);
      else await deps.consents.withdraw(member.id, purpose, now);
      if (purpose !== 'profile') return member;
      return deps.members.update(
        member.id,
        given ? { consentAt: now, optedOutAt: null } : { consentAt: null, optedOutAt: now },
      );
    },
  };
}

/**
 * The purposes a flow needs: those it declares, and "photos" when one of its steps asks for a photo — unless the
 * flow's photos are the Union's own material (Flow.photosOf 'union': an admin's announcement picture).
 */
export function purposesOf(flow: Flow): ConsentPurposeId[] {
  // An id not in the catalogue is a programming error, caught by the consent tests (every flow's purposes exist).
  const declared = (flow.purposes ?? []).filter(isConsentPurposeId);
  // A photo step takes her own photos unless the flow says they are the Union's material (Flow.photosOf).
  const personalPhotos = flow.photosOf !== 'union' && flow.steps.some((s) => s.input.kind === 'photo');
  if (personalPhotos && !declared.includes('photos')) declared.push('photos');
  return declared;
}

/**
 * The engine's hook before a flow runs (EngineDeps.beforeFlow), on entering it and on every message inside it:
 * null when she gave every purpose the flow needs; otherwise the detour to the purpose question (undecided), or to
 * the explanation of what she can still do (declined or withdrawn), which then returns home.
 */
export function createPurposeGate(
  service: Pick<ConsentService, 'stateOf'>,
): (member: Member, flow: Flow, answers: FlowContext['answers']) => Promise<FlowNext | null> {
  return async (member, flow, answers): Promise<FlowNext | null> => {
    for (const purpose of purposesOf(flow)) {
      const state = await service.stateOf(member, purpose);
      if (state === 'given') continue;
      const ask: Answers =
        state === 'declined' ? { purpose, declined: true } : { purpose, [RESUME]: { flowId: flow.id, answers } };
      return { to: 'flow', flowId: PURPOSE_FLOW, answers: ask };
    }
    return null;
  };
}

/** What a purpose's texts say, translated, for one member. */
function purposeTexts(purpose: ConsentPurposeId, t: FlowContext['t']) {
  const p = consentPurpose(purpose) ?? CONSENT_PURPOSES[0]!;
  return { name: t(p.name), stores: t(p.stores), why: t(p.why), who: t(p.who), withoutIt: t(p.withoutIt) };
}

const purposeIn = (ctx: FlowContext): ConsentPurposeId => {
  const value = ctx.answers['purpose'];
  return isConsentPurposeId(value) ? value : 'profile';
};

/** The hint naming her own menu item for changing her mind later (never an item she lacks). */
function settingsHint(ctx: FlowContext): Said[] {
  const item = menuItemFor(ctx.member, consentSettingsMenuEntry, ctx.t);
  return item ? [{ raw: ctx.t('consent:changeLater', { item }) }] : [];
}

/** "Để …, Hội cần lưu … Chị đồng ý không?" — asked once per purpose (the gate sends her here). */
export function createPurposeFlow(deps: { consent: ConsentService }): Flow {
  return {
    id: PURPOSE_FLOW,
    steps: [
      {
        id: 'decide',
        prompt: (ctx) => ({ raw: ctx.t('consent:ask', purposeTexts(purposeIn(ctx), ctx.t)) }),
        input: {
          kind: 'choice',
          options: () => [
            { value: 'yes', label: text('privacy:agree') },
            { value: 'no', label: text('privacy:decline') },
            { value: 'more', label: text('consent:moreInfo') },
          ],
        },
        when: (answers) => answers['declined'] !== true,
      },
    ],
    finish: async (ctx) => {
      const { answers, member, now, t } = ctx;
      const purpose = purposeIn(ctx);
      const texts = purposeTexts(purpose, t);
      if (answers['declined'] === true) {
        return { say: [{ raw: t('consent:stillDeclined', texts) }, ...settingsHint(ctx)], next: { to: 'home' } };
      }
      if (answers['decide'] === 'more') {
        const again = Object.fromEntries(Object.entries(answers).filter(([key]) => key !== 'decide'));
        return {
          say: [{ raw: t('consent:details', texts) }],
          next: { to: 'flow', flowId: PURPOSE_FLOW, answers: again },
        };
      }
      const given = answers['decide'] === 'yes';
      const updated = await deps.consent.decide(member, purpose, given, now);
      if (!given) {
        return {
          say: [{ raw: t('consent:declined', texts) }, ...settingsHint({ ...ctx, member: updated })],
          next: { to: 'home' },
          member: updated,
        };
      }
      return {
        say: [{ raw: t('consent:thanks', texts) }],
        next: resumeFrom(answers) ?? { to: 'home' },
        member: updated,
      };
    },
  };
}

/**
 * "Quyền dùng dữ liệu": every purpose with her decision; she picks one and gives or withdraws it. Withdrawing stops
 * what the purpose allows from then on (the flows that need it ask nothing and explain); erasing what was stored is
 * "Xóa dữ liệu của tôi".
 */
export function createConsentSettingsFlow(deps: { consent: ConsentService }): Flow {
  const stateLabel = (d: ConsentDecision | undefined, ctx: FlowContext): string => {
    const state = consentState(d);
    if (state === 'given' && d?.givenAt) return ctx.t('consent:state.given', { date: dateOf(d.givenAt, ctx) });
    if (state === 'declined' && d?.withdrawnAt) {
      return ctx.t(d.givenAt ? 'consent:state.withdrawn' : 'consent:state.declined', {
        date: dateOf(d.withdrawnAt, ctx),
      });
    }
    return ctx.t('consent:state.undecided');
  };
  return {
    id: CONSENT_SETTINGS_FLOW,
    steps: [
      {
        id: 'purpose',
        prompt: text('consent:settingsQuestion'),
        input: {
          kind: 'choice',
          options: () => [
            ...CONSENT_PURPOSES.map((p) => ({ value: p.id, label: text(p.name) })),
            { value: 'menu', label: text('privacy:toMenu') },
          ],
        },
      },
    ],
    finish: async (ctx) => {
      const { answers, member, t } = ctx;
      const purpose = answers['purpose'];
      if (!isConsentPurposeId(purpose)) return { say: [], next: { to: 'home' } };
      const decisions = await deps.consent.decisionsOf(member);
      const decision = decisions.get(purpose);
      const texts = purposeTexts(purpose, t);
      return {
        say: [{ raw: t('consent:current', { ...texts, state: stateLabel(decision, ctx) }) }],
        next: {
          to: 'flow',
          flowId: CONSENT_CHANGE_FLOW,
          answers: { purpose, given: consentState(decision) === 'given' },
        },
      };
    },
  };
}

export const CONSENT_CHANGE_FLOW = 'consentChange';

/**
 * Second half of the settings: "Rút lại sự đồng ý này?" / "Đồng ý cho mục đích này?". After a change, what it means
 * in other features (`consequences`, e.g. her products leave the public catalogue) is said too.
 */
export function createConsentChangeFlow(deps: { consent: ConsentService; consequences?: ConsentConsequences }): Flow {
  return {
    id: CONSENT_CHANGE_FLOW,
    access: 'consented',
    steps: [
      {
        id: 'change',
        prompt: ({ answers }) => text(answers['given'] === true ? 'consent:withdrawQuestion' : 'consent:giveQuestion'),
        input: { kind: 'yesno' },
      },
    ],
    finish: async (ctx) => {
      const { answers, member, now, t } = ctx;
      const purpose = purposeIn(ctx);
      if (answers['change'] !== 'yes') return { say: [text('consent:unchanged')], next: { to: 'home' } };
      const give = answers['given'] !== true;
      const updated = await deps.consent.decide(member, purpose, give, now);
      const texts = purposeTexts(purpose, t);
      const consequence = deps.consequences?.[purpose];
      const more = consequence ? await consequence(updated, give) : [];
      return {
        say: [{ raw: t(give ? 'consent:given' : 'consent:withdrawn', texts) }, ...more],
        next: { to: 'home' },
        member: updated,
      };
    },
  };
}

/** Her decisions as a kind of the personal-data registry: one line per purpose she decided on, with its dates. */
export function consentDataKind(deps: { consent: ConsentService }): PersonalDataKind {
  return {
    id: 'consents',
    models: ['MemberConsent'],
    title: 'privacy:sections.consents',
    note: 'kept while she is a member (proof of consent); erased with her member row',
    async summarise(ctx) {
      const decisions = await deps.consent.decisionsOf(ctx.member);
      return CONSENT_PURPOSES.flatMap((p) => {
        const d = decisions.get(p.id);
        // Asked and not answered (markAsked): no decision to show.
        if (!d || (d.givenAt === null && d.withdrawnAt === null)) return [];
        const parts = [
          ...(d.givenAt ? [ctx.t('consent:state.given', { date: dateOf(d.givenAt, ctx) })] : []),
          ...(d.withdrawnAt
            ? [
                ctx.t(d.givenAt ? 'consent:state.withdrawn' : 'consent:state.declined', {
                  date: dateOf(d.withdrawnAt, ctx),
                }),
              ]
            : []),
        ];
        return [ctx.t('consent:line', { name: ctx.t(p.name), state: parts.join(', ') })];
      });
    },
  };
}
