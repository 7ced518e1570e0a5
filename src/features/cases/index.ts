// The cases feature, assembled: routing, the use cases (service, relay, jobs), the notices they send through the
// outbox (its port, src/conversation/outbox.ts), and the chat layer on top; and its module: the flows (talk to an
// officer, an officer's cases and replies, my requests), menu entries, actions (officers' case buttons, "answer",
// invitation codes) and jobs (escalation, the daily digest). Its records (cases, their messages) are declared by the
// privacy feature's core kinds; the messages it sends are the outbox's kind (src/app/outbox/personalData.ts).
// Built once per runtime.
import type { Translate } from '../../conversation/flow.ts';
import type { OutboxPort } from '../../conversation/outbox.ts';
import type { Clock, Logger } from '../../conversation/ports.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import type { CaseRepository } from '../../domain/cases.ts';
import type { Language, MemberRepository } from '../../domain/member.ts';
import type { AuditLog, InvitationRepository, OfficerRepository } from '../../domain/officers.ts';
import type { FeatureModule } from '../module.ts';
import { CASE_ACTIONS, createActionHandler, REDEEM_ACTION, type ActionWords } from './actions.ts';
import type { CaseTypeHandlers } from './caseTypes.ts';
import { createCaseChat } from './chat.ts';
import { createCaseFlows, MY_CASES_FLOW, myCasesMenuEntry, TALK_FLOW, talkMenuEntry } from './flows.ts';
import { createInvitationService } from './invitations.ts';
import { createCaseJobs, digestJob, escalationJob } from './jobs.ts';
import { createMyRequestsFlow, MY_REQUESTS_FLOW, myRequestsMenuEntry } from './myRequests.ts';
import { createCaseNotices } from './notices.ts';
import { createCasePresenter } from './presenter.ts';
import { createCaseRelay } from './relay.ts';
import { createCaseRouting } from './routing.ts';
import { createCaseService } from './service.ts';

export interface CaseFeatureDeps {
  cases: CaseRepository;
  officers: OfficerRepository;
  members: MemberRepository;
  audit: AuditLog;
  /** Where the notices go: stored in the caller's transaction, sent after its commit (src/app/outbox). */
  outbox: OutboxPort;
  areas: AreaDirectory;
  translator: (language: Language) => Translate;
  clock: Clock;
  logger: Logger;
  /** An open case nobody claimed for this long goes to the province officers. */
  escalateAfterMs: number;
  /** IANA zone of every date an officer or member reads (TIME_ZONE). */
  timeZone?: string;
  /**
   * The case types other features show and decide (FeatureModule.caseTypes): a live object, filled in once every
   * module is built (src/features/index.ts), read whenever a case is shown or decided.
   */
  caseTypes?: CaseTypeHandlers;
}

export function createCaseFeature(deps: CaseFeatureDeps) {
  const routing = createCaseRouting(deps.officers);
  const presenter = createCasePresenter(deps);
  const notices = createCaseNotices({ ...deps, presenter });
  const service = createCaseService({ ...deps, routing, notices });
  const relay = createCaseRelay({ ...deps, service, routing, notices });
  const jobs = createCaseJobs({ ...deps, routing, notices, countWaiting: () => deps.outbox.countPending() });
  const chat = createCaseChat({
    service,
    relay,
    presenter,
    translator: deps.translator,
    ...(deps.caseTypes ? { caseTypes: deps.caseTypes } : {}),
  });
  return { service, relay, jobs, chat, presenter };
}

export type CaseFeature = ReturnType<typeof createCaseFeature>;

export interface CasesModuleDeps extends CaseFeatureDeps {
  invitations: InvitationRepository;
  /** The words for each case action, in every language (from locales: cases:words.<action>). */
  actionWords: ActionWords;
  /** IANA zone of every date a person reads (TIME_ZONE); the digest's day is the officers' local day. */
  timeZone: string;
  /** Hour (0-23, in timeZone) of the officers' daily digest (DIGEST_HOUR). Default 7. */
  digestHour?: number;
}

/** The cases feature's module, with its services (for the other features, the jobs, the tests and tools). */
export function casesFeature(deps: CasesModuleDeps) {
  const cases = createCaseFeature(deps);
  const invitations = createInvitationService(deps);
  const handler = createActionHandler({ cases: cases.service, chat: cases.chat, invitations, words: deps.actionWords });
  const module: FeatureModule = {
    name: 'cases',
    flows: [...createCaseFlows(cases), createMyRequestsFlow(deps)],
    menu: [talkMenuEntry, myRequestsMenuEntry, myCasesMenuEntry],
    actions: { names: [...CASE_ACTIONS, REDEEM_ACTION], ...handler },
    jobs: [
      escalationJob(() => cases.jobs.escalateOverdue(), deps.logger),
      digestJob(() => cases.jobs.sendDigests(), {
        hour: deps.digestHour ?? 7,
        timeZone: deps.timeZone,
        logger: deps.logger,
      }),
    ],
    intents: [
      // "Gửi câu này cho cán bộ Hội" (when nothing else is close) opens a request carrying her words.
      { id: 'talk', namespace: 'cases', flowId: TALK_FLOW, takesText: 'topic' },
      { id: 'myRequests', namespace: 'cases', flowId: MY_REQUESTS_FLOW },
      // An officer's own work: "các yêu cầu cần xử lý" is her queue, not the member's "Yêu cầu của tôi".
      { id: 'myCases', namespace: 'cases', flowId: MY_CASES_FLOW, audience: 'officer' },
    ],
  };
  return { module, ...cases, invitations };
}
