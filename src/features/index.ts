// All features, wired with their explicit dependencies. Adding a feature = one file + one line here.
import type { ActionHandler, Flow, FlowAccess, Translate } from '../conversation/flow.ts';
import type { OutboxPort } from '../conversation/outbox.ts';
import type { Clock, Logger, Transactor } from '../conversation/ports.ts';
import type { AreaDirectory } from '../domain/areas.ts';
import type { StoredFileRepository } from '../domain/files.ts';
import type { CaseRepository, ScheduleLock } from '../domain/cases.ts';
import type { Language, Member, MemberRepository } from '../domain/member.ts';
import type { AuditLog, InvitationRepository, OfficerRepository } from '../domain/officers.ts';
import type { CreditInquiryRepository, ProgrammeData } from '../domain/credit/index.ts';
import { createAdminFlows, inviteMenuEntry, officersMenuEntry } from './admin/flows.ts';
import { createCreditFlows, creditMenuEntry } from './credit/flow.ts';
import { creditQuickAnswer, withCreditActions } from './credit/quick.ts';
import { createMyRequestsFlow, myRequestsMenuEntry } from './cases/myRequests.ts';
import { createActionHandler, type ActionWords } from './cases/actions.ts';
import { createCaseFlows, myCasesMenuEntry, talkMenuEntry } from './cases/flows.ts';
import { createInvitationService, type InvitationService } from './cases/invitations.ts';
import { createCaseService, type CaseService } from './cases/service.ts';
import { consentMenuEntry, createConsentFlow, needsFirstContact } from './consent/flow.ts';
import { createHelpFlow, helpMenuEntry } from './help/flow.ts';
import { createLanguageFlow, LANGUAGE_FLOW, languageMenuEntry } from './language/flow.ts';
import { createMenuFlow, MENU_FLOW, type MenuEntry } from './menu/flow.ts';
import { createDeleteDataFlow, createMyDataFlow, deleteDataMenuEntry, myDataMenuEntry } from './privacy/flows.ts';
import { createProfileFlows, profileMenuEntry } from './profile/flows.ts';

export interface FeatureDeps {
  /** Records of the photos members sent (for "my data"). */
  files: Pick<StoredFileRepository, 'summaryOf'>;
  members: MemberRepository;
  areas: AreaDirectory;
  officers: OfficerRepository;
  invitations: InvitationRepository;
  audit: AuditLog;
  cases: CaseRepository;
  locks: ScheduleLock;
  /** Everything the bot sends on its own initiative goes through the outbox (src/app/outbox), stored in the turn. */
  outbox: OutboxPort;
  translator: (language: Language) => Translate;
  actionWords: ActionWords;
  clock: Clock;
  /** IANA zone of every date a person reads (TIME_ZONE). */
  timeZone: string;
  /** The turn's unit of work: notifications are stored in it and pushed after it commits. */
  transactor: Transactor;
  logger: Logger;
  escalateAfterMs: number;
  invitationTtlHours: number;
  programmes: ProgrammeData;
  creditInquiries: CreditInquiryRepository;
}

export interface Features {
  flows: Flow[];
  /** Where a member starts and returns: first contact (language, then consent) until she has decided on consent. */
  home: (member: Member) => string;
  actions: ActionHandler;
  caseService: CaseService;
  invitations: InvitationService;
}

export function createFeatures(deps: FeatureDeps): Features {
  const menu: MenuEntry[] = [
    creditMenuEntry,
    talkMenuEntry,
    myRequestsMenuEntry,
    myCasesMenuEntry,
    profileMenuEntry,
    consentMenuEntry,
    myDataMenuEntry,
    deleteDataMenuEntry,
    inviteMenuEntry,
    officersMenuEntry,
    languageMenuEntry,
    helpMenuEntry,
  ];
  const caseService = createCaseService(deps);
  const invitations = createInvitationService(deps);
  const actions = withCreditActions(
    createActionHandler({ cases: caseService, invitations, words: deps.actionWords }),
    deps.programmes,
  );
  return {
    flows: withMenuAccess(menu, [
      createMenuFlow(menu, creditQuickAnswer(deps.programmes)),
      createLanguageFlow(deps),
      createConsentFlow(deps),
      ...createProfileFlows(deps),
      createMyDataFlow(deps),
      createDeleteDataFlow(deps),
      createHelpFlow(),
      ...createCaseFlows(caseService),
      ...createAdminFlows({ ...deps, invitations }),
      ...createCreditFlows({ ...deps, cases: caseService, inquiries: deps.creditInquiries }),
      createMyRequestsFlow(deps),
    ]),
    // Officers and admins land on the menu (their work) without a member's first contact; see consent.ts.
    home: (member) => (needsFirstContact(member) ? LANGUAGE_FLOW : MENU_FLOW),
    actions,
    caseService,
    invitations,
  };
}

/**
 * A flow reached from the menu may be run only by those who see its entry: the entry's audience becomes the flow's
 * access (checked by the engine on every message), unless the flow declares its own. Declared once, in the entry.
 */
function withMenuAccess(menu: readonly MenuEntry[], flows: Flow[]): Flow[] {
  const accessOf = new Map<string, FlowAccess>();
  for (const entry of menu) {
    const access: FlowAccess | undefined =
      entry.audience === 'admin' || entry.audience === 'officer' || entry.audience === 'consented'
        ? entry.audience
        : undefined;
    if (access) accessOf.set(entry.flowId, access);
  }
  return flows.map((flow) =>
    flow.access || !accessOf.has(flow.id) ? flow : { ...flow, access: accessOf.get(flow.id) },
  );
}
