// All features, composed: each folder's module (src/features/<name>/index.ts: flows, menu entries, actions, jobs,
// kinds of personal data, the check before a flow runs) built with its explicit dependencies, in menu order, then
// the main menu over them. Adding a feature = one folder with its module + one line in the list below.
import type { ActionHandler, Flow, FlowAccess, Translate } from '../conversation/flow.ts';
import type { EngineDeps } from '../conversation/engine.ts';
import type { OutboxPort } from '../conversation/outbox.ts';
import type { Clock, Logger, Transactor } from '../conversation/ports.ts';
import type { CourseRepository, CourseSupportPolicy } from '../domain/courses.ts';
import type { AreaDirectory } from '../domain/areas.ts';
import type { ConsentRepository, PersonalRecords } from '../domain/privacy.ts';
import type { CaseRepository } from '../domain/cases.ts';
import type { Language, Member, MemberRepository } from '../domain/member.ts';
import type { AuditLog, InvitationRepository, OfficerRepository } from '../domain/officers.ts';
import type { CreditInquiryRepository, ProgrammeData } from '../domain/credit/index.ts';
import type { JobDefinition, JobQueue } from '../domain/jobs.ts';
import type { FileStore, StoredFileRepository, Thumbnailer } from '../domain/files.ts';
import type { ListingRepository } from '../domain/listings.ts';
import { adminFeature } from './admin/index.ts';
import type { BroadcastRepository } from '../domain/broadcasts.ts';
import { broadcastsFeature, type BroadcastsFeature } from './broadcasts/index.ts';
import type { BroadcastSettings } from './broadcasts/service.ts';
import type { MemberAnnouncements } from './broadcasts/contract.ts';
import type { MemberBroadcastRepository } from '../domain/broadcasts.ts';
import { courseAdminFeature } from './courseAdmin/index.ts';
import type { ActionWords } from './cases/actions.ts';
import type { CaseTypeHandlers } from './cases/caseTypes.ts';
import { casesFeature } from './cases/index.ts';
import type { InvitationService } from './cases/invitations.ts';
import type { CaseJobs } from './cases/jobs.ts';
import type { CaseRelay } from './cases/relay.ts';
import type { CaseService } from './cases/service.ts';
import { consentFeature } from './consent/index.ts';
import type { CourseActionWords } from './courses/actions.ts';
import { coursesFeature, type CoursesFeature } from './courses/index.ts';
import { needsFirstContact } from './consent/flow.ts';
import type { ConsentService } from './consent/purposes.ts';
import { creditFeature } from './credit/index.ts';
import { helpFeature } from './help/index.ts';
import { languageFeature } from './language/index.ts';
import { LANGUAGE_FLOW } from './language/flow.ts';
import { createMenuFlow, MENU_FLOW, type MenuEntry } from './menu/flow.ts';
import {
  composeActions,
  composeBeforeFlow,
  composeHomeCommand,
  composeMenuAnswers,
  composeOnReturn,
  type FeatureModule,
  type ConsentConsequences,
} from './module.ts';
import { privacyFeature } from './privacy/index.ts';
import { productsFeature, type ProductsFeature } from './products/index.ts';
import type { FeatureRetention, PersonalDataKind } from './privacy/registry.ts';
import { profileFeature } from './profile/index.ts';
import { webAccessFeature, type WebLinkPort } from './webAccess/index.ts';
import type { Lexicon } from '../domain/understanding/words.ts';
import { createUnderstanding, type FeatureUnderstanding } from './understanding.ts';

export interface FeatureDeps {
  members: MemberRepository;
  /** Her decisions per consent purpose. */
  consents: ConsentRepository;
  /** Record-level operations of the personal-data kinds the features declare. */
  records: PersonalRecords;
  /** The whole personal-data registry (the features' kinds and the app's), read by "my data" at each turn. */
  personalData: () => readonly PersonalDataKind[];
  retention: FeatureRetention;
  areas: AreaDirectory;
  officers: OfficerRepository;
  invitations: InvitationRepository;
  audit: AuditLog;
  cases: CaseRepository;
  /** Everything the bot sends on its own initiative goes through the outbox (src/app/outbox), stored in the turn. */
  outbox: OutboxPort;
  translator: (language: Language) => Translate;
  /** Every language's phrases of a locales list key, as written (intent examples, purpose words). */
  phrases: (key: string) => string[];
  /** The intent matcher's shorthand and filler words (common:understanding). */
  lexicon: Lexicon;
  actionWords: ActionWords;
  clock: Clock;
  /** IANA zone of every date a person reads (TIME_ZONE). */
  timeZone: string;
  logger: Logger;
  escalateAfterMs: number;
  invitationTtlHours: number;
  programmes: ProgrammeData;
  creditInquiries: CreditInquiryRepository;
  /** Hour (0-23, in timeZone) of the officers' daily digest (DIGEST_HOUR). Default 7. */
  digestHour?: number;
  /** The unit of work (the courses' jobs and admin commands run their work in one). */
  transactor: Transactor;
  courses: CourseRepository;
  /** prisma/data/course-support.json (COURSE_SUPPORT_FILE). */
  coursePolicy: CourseSupportPolicy;
  /** The typed forms of the courses' buttons (locales courseNotices:words.*). */
  courseWords: CourseActionWords;
  /** COURSE_OFFER_HOURS, default 24; COURSE_REMINDER_HOUR, default 8. */
  courseOfferHours?: number;
  courseReminderHour?: number;
  /** Product listings, their photos' records and bytes (FILES_DIR) and the thumbnail maker (sharp). */
  listings: ListingRepository;
  files: { records: StoredFileRepository; store: FileStore };
  thumbnailer: Thumbnailer;
  /** LISTING_DRAFT_DAYS (7), LISTING_REPORTS_PER_DAY (5), LISTING_OCOP_HOUR (8); the reporter keys' HMAC key. */
  listingDraftDays?: number;
  listingReportsPerDay?: number;
  listingOcopHour?: number;
  listingReporterSecret: string | (() => Promise<string>);
  /** A member's broadcast deliveries (shown when she writes, her taps): src/data/memberBroadcasts.ts. */
  memberBroadcasts: MemberBroadcastRepository;
  /** Broadcasts (issue 14): the repository, config.broadcasts (BROADCAST_*, ZALO_PROMOTION_*; defaults in service.ts). */
  broadcasts: BroadcastRepository;
  broadcastSettings?: BroadcastSettings;
  /** Where features schedule one-off jobs (the job runner; bound late in src/wiring.ts). */
  jobQueue: Pick<JobQueue, 'schedule' | 'cancel'>;
  /** Days the outbox keeps sent rows (OUTBOX_RETENTION_DAYS): also the broadcast deliveries' retention. Default 30. */
  outboxRetentionDays?: number;
  /** The web console's sign-in links (src/data/webAccess.ts). */
  webLinks: WebLinkPort;
  /** WEB_BASE_URL and WEB_LINK_MINUTES; undefined when the web console is off (officers are told so). */
  web?: { baseUrl: string; linkMinutes: number } | undefined;
  /** The public catalogue's address (PUBLIC_BASE_URL, else WEB_BASE_URL, + /catalogue), told to buyers in chat. */
  catalogueUrl?: string | undefined;
}

export interface Features {
  flows: Flow[];
  /** Where a member starts and returns: first contact (language, then consent) until she has decided on consent. */
  home: (member: Member) => string;
  actions: ActionHandler;
  caseService: CaseService;
  /** Messages between a member and the officers on her case (an officer's reply from the web console). */
  caseRelay: CaseRelay;
  /** Escalation and the daily digest, run by the job runner. */
  caseJobs: CaseJobs;
  invitations: InvitationService;
  consent: ConsentService;
  /** The engine's hook before a flow runs: every feature's check (the consent purposes the flow needs). */
  beforeFlow: NonNullable<EngineDeps['beforeFlow']>;
  /** Where she goes back to after her conversation expired: every feature's (an unfinished product draft). */
  onReturn: NonNullable<EngineDeps['onReturn']>;
  /** The personal-data kinds the features declare, in the order "my data" shows them. */
  personalData: PersonalDataKind[];
  /** Every feature's jobs (escalation, the digest...), for the job runner. */
  jobs: JobDefinition[];
  /** The feature modules, in menu order. */
  modules: FeatureModule[];
  /** Vocational courses: the service (catalogue, registration, waiting list, offers, report) and its jobs. */
  courses: CoursesFeature;
  /** Product listings: the service (report, review, my products, drafts, problems, publishing) and its jobs. */
  products: ProductsFeature;
  /** What typed text asks for: every feature's intents (EngineDeps.understanding). */
  understanding: FeatureUnderstanding;
  /** A command word typed at the menu that means something there (EngineDeps.homeCommand: "dừng" → opt-out). */
  homeCommand: NonNullable<EngineDeps['homeCommand']>;
  /** The member's side of announcements: opt-out, taps, the broadcasts she missed (the gateway's hook). */
  announcements: MemberAnnouncements;
  /** Broadcasts: the service (admin chat, CLI, jobs), the notices to admins, the settings. */
  broadcasts: BroadcastsFeature;
}

export function createFeatures(deps: FeatureDeps): Features {
  // Filled in below from every module's caseTypes, once they are all built (the products feature's cases).
  const caseTypes: CaseTypeHandlers = {};
  const cases = casesFeature({ ...deps, caseTypes });
  // Filled in below from every module's consentConsequences (the products feature: her listings in the catalogue).
  const consentConsequences: ConsentConsequences = {};
  const consent = consentFeature({ ...deps, consequences: consentConsequences });
  const privacy = privacyFeature(deps);
  const courses = coursesFeature(deps);
  const products = productsFeature({ ...deps, caseService: cases.service });
  // The composed actions (below) know every button's typed form; the broadcasts' render asks them when it runs.
  const composed: { actions?: ActionHandler } = {};
  const broadcasts = broadcastsFeature({
    ...deps,
    typedFor: (action, t) => composed.actions?.typedFor(action, t),
    ...(deps.outboxRetentionDays === undefined ? {} : { deliveryRetentionDays: deps.outboxRetentionDays }),
  });
  // In menu order: each module's entries appear in the main menu in this order.
  const modules: FeatureModule[] = [
    creditFeature({ ...deps, cases: cases.service, inquiries: deps.creditInquiries }),
    cases.module,
    profileFeature(deps),
    consent.module,
    privacy,
    adminFeature({ ...deps, invitations: cases.invitations }),
    courseAdminFeature({
      ...deps,
      tools: {
        service: courses.service,
        repository: deps.courses,
        members: deps.members,
        run: (work) => deps.transactor.run(work),
      },
    }),
    languageFeature(deps),
    helpFeature(),
    // Last: its menu entries are added at the end (menuAtEnd), after "Quyền dùng dữ liệu" that members already know.
    courses.module,
    // After the courses: its entries (menuAtEnd) come after theirs.
    products.module,
    // Last: the admins' broadcast entries and the members' announcements item come after everything members know.
    broadcasts.module,
    // The officers' "sign in to the web console" (menuAtEnd): after every item officers already know.
    webAccessFeature({ links: deps.webLinks, audit: deps.audit, clock: deps.clock, web: deps.web }),
  ];
  for (const module of modules) Object.assign(caseTypes, module.caseTypes ?? {});
  for (const module of modules) Object.assign(consentConsequences, module.consentConsequences ?? {});
  // Entries added later go last (FeatureModule.menuAtEnd): the numbers members learnt keep their items.
  const menu: MenuEntry[] = [...modules.flatMap((m) => m.menu ?? []), ...modules.flatMap((m) => m.menuAtEnd ?? [])];
  const actions = composeActions(modules);
  composed.actions = actions;
  const flows = withMenuAccess(menu, [
    createMenuFlow(menu, composeMenuAnswers(modules)),
    ...modules.flatMap((m) => m.flows),
  ]);
  // Officers and admins land on the menu (their work) without a member's first contact; see consent.ts.
  const home = (member: Member) => (needsFirstContact(member) ? LANGUAGE_FLOW : MENU_FLOW);
  const understanding = createUnderstanding({
    intents: modules.flatMap((m) => m.intents ?? []),
    flows,
    phrases: deps.phrases,
    lexicon: deps.lexicon,
    home,
    inFirstContact: needsFirstContact,
  });
  return {
    flows,
    home,
    understanding,
    actions,
    caseService: cases.service,
    caseRelay: cases.relay,
    caseJobs: cases.jobs,
    invitations: cases.invitations,
    consent: consent.service,
    beforeFlow: composeBeforeFlow(modules),
    homeCommand: composeHomeCommand(modules),
    announcements: broadcasts.announcements,
    onReturn: composeOnReturn(modules),
    // "My data" opens with her profile (the privacy feature's core kinds), then each feature's kinds in menu order.
    personalData: [privacy, ...modules.filter((m) => m !== privacy)].flatMap((m) => [...(m.personalData ?? [])]),
    jobs: modules.flatMap((m) => m.jobs ?? []),
    modules,
    courses,
    broadcasts,
    products,
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
