// The composition root: the one place that knows every concrete piece (Prisma repositories, i18next, the areas
// file) and hands them to the core as ports. main.ts runs it; tests build the same bot on a fresh database.
import path from 'node:path';
import { createBot } from './app/bot.ts';
import { createJobRunner, filesPurgeJob, pruneJob, type JobRunner } from './app/jobs/index.ts';
import { createPhotoIntake, MediaRegistry, type PhotoIntake } from './app/files/intake.ts';
import { createFileMaintenance, storedFilesDataKind, type FileMaintenance } from './app/files/maintenance.ts';
import { createStoredPhotos } from './app/files/storedPhotos.ts';
import { createOutbox, outboxDataKind, type Outbox, type OutboxSettings } from './app/outbox/index.ts';
import { appDataKinds, type AppRetention } from './app/personalData.ts';
import { createConsentRepository } from './data/consentRepository.ts';
import { createMemberBroadcastRepository } from './data/memberBroadcasts.ts';
import { sharedSecret } from './data/sharedSecret.ts';
import { createPersonalRecords } from './data/personalRecords.ts';
import { withRegistryErasure, type FeatureRetention, type PersonalDataKind } from './features/privacy/registry.ts';
import type { BotGateway, PendingPartStore, StoredPhotos } from './conversation/messages.ts';
import {
  noMetrics,
  systemClock,
  type Clock,
  type Logger,
  type Metrics,
  type Transactor,
} from './conversation/ports.ts';
import { createAreaDataStore, loadAreas, type AreaDataStore } from './data/areasFile.ts';
import { createWebAccessStore, type WebAccessStore } from './data/webAccess.ts';
import { createAuditLog } from './data/auditLog.ts';
import { createCaseRepository } from './data/caseRepository.ts';
import { createCourseRepository } from './data/courseRepository.ts';
import { loadCourseSupport } from './data/courseSupportFile.ts';
import type { CourseSupportPolicy } from './domain/courses.ts';
import type { CourseActionWords } from './features/courses/actions.ts';
import type { CourseTools } from './features/courseAdmin/tools.ts';
import type { ProductService } from './features/products/contract.ts';
import { createConversationRepository } from './data/conversationRepository.ts';
import { createCreditInquiryRepository } from './data/creditInquiryRepository.ts';
import {
  createProgrammeDataStore,
  DEFAULT_PROGRAMMES_FILE,
  readProgrammeFile,
  type ProgrammeDataStore,
} from './data/programmeStore.ts';
import { createImageSanitizer, createThumbnailer } from './data/images.ts';
import { createListingRepository } from './data/listingRepository.ts';
import type { ProductServiceInternals } from './features/products/service.ts';
import { createInboundLog } from './data/inboundLog.ts';
import { createInboundEventStore } from './data/inboundEventStore.ts';
import type { InboundEventStore } from './conversation/inboundEvents.ts';
import { createLocalFileStore } from './data/localFileStore.ts';
import { createPendingPartStore } from './data/pendingParts.ts';
import { createStoredFileRepository } from './data/storedFileRepository.ts';
import type { PrismaClient } from './data/database.ts';
import { createInvitationRepository } from './data/invitationRepository.ts';
import { createJobStore } from './data/jobStore.ts';
import { createMemberRepository } from './data/memberRepository.ts';
import { createNotificationRepository } from './data/notificationRepository.ts';
import { createOfficerRepository } from './data/officerRepository.ts';
import { ambientTransactions } from './data/transactions.ts';
import type { AreaDirectory } from './domain/areas.ts';
import type { ProgrammeData } from './domain/credit/index.ts';
import type { JobStore } from './domain/jobs.ts';
import type { FileLimits, FileStore, StoredFileRepository } from './domain/files.ts';
import type { InboundLog, Language, MemberRepository } from './domain/member.ts';
import type { AuditLog, OfficerRepository } from './domain/officers.ts';
import type { CaseRepository } from './domain/cases.ts';
import { createOfficerService, type OfficerService } from './features/admin/officers.ts';
import { createInvitationService, type InvitationService } from './features/cases/invitations.ts';
import { DEFAULT_TIME_ZONE } from './domain/time.ts';
import { CASE_ACTIONS, type ActionWords } from './features/cases/actions.ts';
import { createFeatures, type Features } from './features/index.ts';
import type { BroadcastSettings } from './features/broadcasts/service.ts';
import type { BroadcastsFeature } from './features/broadcasts/index.ts';
import { createBroadcastRepository } from './data/broadcastRepository.ts';
import { createBroadcastDeliveryStore } from './data/broadcastDeliveryStore.ts';
import { createBroadcastDispatcher, type BroadcastDispatcher } from './app/broadcasts/dispatcher.ts';
import { createLocalisation, type Localisation } from './i18n/i18n.ts';
import type { TurnSettings } from './app/turnQueue.ts';

export interface RuntimeOptions {
  prisma: PrismaClient;
  logger: Logger;
  areasFile: string;
  defaultLanguage: Language;
  conversationTimeoutMs: number;
  /** Flood control and turns in progress at once (FLOOD_MESSAGES, FLOOD_WINDOW_SECONDS, TURN_CONCURRENCY). */
  turns?: TurnSettings;
  /** IANA zone of every date a person reads (TIME_ZONE). Default Asia/Ho_Chi_Minh. */
  timeZone?: string;
  clock?: Clock;
  /** An open case nobody claimed for this long is escalated to province officers. Default 2 h. */
  caseEscalationMs?: number;
  /** How long an officer invitation code is valid. Default 72 h. */
  invitationTtlHours?: number;
  /** The communes/wards in force (an admin's imported dataset); default: read `areasFile`. */
  areas?: AreaDirectory;
  /** Loan programme data in force (an admin's imported dataset); default: the shipped file. */
  programmes?: ProgrammeData;
  /** Hour (0-23, in timeZone) of the officers' daily digest (DIGEST_HOUR). Default 7. */
  digestHour?: number;
  /** Courses: the support policy (COURSE_SUPPORT_FILE; default: the shipped file), offer hours, reminder hour. */
  courses?: { policy?: CourseSupportPolicy; offerHours?: number; reminderHour?: number };
  /**
   * Product listings: LISTING_DRAFT_DAYS (7), LISTING_REPORTS_PER_DAY (5), LISTING_OCOP_HOUR (8) and
   * LISTING_REPORTER_SECRET (the problem reporters' HMAC key; default: generated once and kept in the database,
   * shared by restarts and instances: data/sharedSecret.ts).
   */
  products?: { draftDays?: number; reportsPerDay?: number; ocopHour?: number; reporterSecret?: string };
  /** Handled inbound ids are kept this long (INBOUND_ID_RETENTION_DAYS). Default 7 days. */
  inboundRetentionMs?: number;
  /** The job runner's settings (JOBS_*); see createJobRunner. */
  jobs?: { pollMs?: number; maxAttempts?: number; leaseMs?: number; retentionMs?: number };
  /** Photos members send: the folder they are stored in (FILES_DIR) and the limits (defaults as in config.ts). */
  files: { dir: string } & Partial<FileLimits>;
  /**
   * The outbox's settings (OUTBOX_*) and how long sent and given-up rows are kept (OUTBOX_RETENTION_DAYS, default 30
   * days: the registry's prune job removes them).
   */
  outbox?: Partial<OutboxSettings> & { retentionMs?: number };
  /** Broadcasts (config.broadcasts: BROADCAST_*, ZALO_PROMOTION_*); defaults DEFAULT_BROADCAST_SETTINGS. */
  broadcasts?: BroadcastSettings;
  /** How long each kind of record is kept (RETENTION_*_DAYS); defaults as in config.ts (DEFAULT_RETENTION). */
  retention?: Partial<FeatureRetention & Pick<AppRetention, 'conversationsDays'>>;
  /** Where the bot reports its counters and timings (GET /metrics: src/http/metrics.ts). Default: noMetrics. */
  metrics?: Metrics;
  /**
   * The web console (Config.web): WEB_BASE_URL without a trailing slash and WEB_LINK_MINUTES, for the sign-in links
   * the chat sends. Undefined: the console is off (officers who ask are told so).
   */
  web?: { baseUrl: string; linkMinutes: number };
  /** The public catalogue's address (PUBLIC_BASE_URL, else WEB_BASE_URL, + /catalogue), told to buyers in chat. */
  catalogueUrl?: string;
}

/** Days each kind of record is kept by default (see the README's retention table). */
export const DEFAULT_RETENTION: FeatureRetention & Pick<AppRetention, 'conversationsDays'> = {
  casesDays: 730,
  creditInquiriesDays: 365,
  auditDays: 1095,
  conversationsDays: 90,
};

export interface Runtime {
  bot: BotGateway;
  /**
   * Everything the bot sends (src/app/outbox). Channels connect their delivery through the gateway (bot.connect);
   * `outbox.start()` runs the dispatcher, `outbox.stop()` waits for the sends in progress.
   */
  outbox: Outbox;
  /**
   * Sends the broadcasts' deliveries (src/app/broadcasts) within the limits it shares with the outbox: started beside
   * the outbox in every process that runs channels (several instances are safe), stopped before the database closes.
   */
  broadcastDispatcher: BroadcastDispatcher;
  features: Features;
  /** Product listings' use cases (ProductService and the jobs' internals): chat, review, CLI export, HTTP catalogue. */
  products: ProductServiceInternals;
  officers: OfficerRepository;
  audit: AuditLog;
  members: MemberRepository;
  inbound: InboundLog;
  /** Inbound events stored before a webhook answers (Zalo OA), processed from there; see conversation/inboundEvents. */
  inboundEvents: InboundEventStore;
  areas: AreaDirectory;
  localisation: Localisation;
  /** The turn's unit of work, and the client every repository uses (the transaction's inside a turn). */
  transactor: Transactor;
  db: PrismaClient;
  /** Runs the bot's jobs (escalation, digest, pruning; channels add theirs): not started until `jobs.start()`. */
  jobs: JobRunner;
  jobStore: JobStore;
  /** Channels register how they fetch what members send (Telegram getFile, Zalo URLs); see app/files. */
  media: MediaRegistry;
  /** Stored photos: the bytes, their records, and the daily purge of unkept ones (purgeOrphanFiles). */
  files: { store: FileStore; records: StoredFileRepository } & FileMaintenance;
  /** How channels read a stored photo they send (outbound "stored:<id>": a listing's photos to its reviewers). */
  storedPhotos: StoredPhotos;
  /** The gateway's photo stage (for a bot composed with other flows, e.g. in tests). */
  photos: PhotoIntake;
  /** Where Telegram album parts wait until the album is complete. */
  pendingParts: PendingPartStore;
  /** Every kind of record about a member ("my data", erasure, retention): features/privacy/registry.ts. */
  personalData: readonly PersonalDataKind[];
  /** The web console's sign-in links and sessions (src/data/webAccess.ts), on the ambient client. */
  webAccess: WebAccessStore;
}

export const DEFAULT_FILE_LIMITS: FileLimits = { maxBytes: 10 * 1024 * 1024, perMemberMax: 50, orphanDays: 7 };

export function createRuntime(options: RuntimeOptions): Runtime {
  // Every repository shares the ambient client: inside a turn's transaction it is the transaction (transactions.ts).
  const metrics = options.metrics ?? noMetrics;
  const { prisma, transactor } = ambientTransactions(options.prisma, options.logger, metrics);
  const limits: FileLimits = { ...DEFAULT_FILE_LIMITS, ...options.files };
  const fileStore = createLocalFileStore(options.files.dir);
  const fileRecords = createStoredFileRepository(prisma);
  const maintenance = createFileMaintenance({
    store: fileStore,
    files: fileRecords,
    orphanDays: limits.orphanDays,
    logger: options.logger,
  });
  const media = new MediaRegistry();
  // The personal-data registry, completed below once the features have declared their kinds. Deleting a member (her
  // "delete my data", Zalo's withdrawal, the admin) erases every registered kind: her photos, her jobs...
  const registry: PersonalDataKind[] = [];
  const retention = { ...DEFAULT_RETENTION, ...options.retention };
  const records = createPersonalRecords(prisma);
  const members = withRegistryErasure(createMemberRepository(prisma), () => registry, options.logger);
  const conversations = createConversationRepository(prisma);
  const inbound = createInboundLog(prisma);
  const areas = options.areas ?? loadAreas(options.areasFile);
  const localisation = createLocalisation(undefined, options.defaultLanguage);
  const clock = options.clock ?? systemClock;
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const officers = createOfficerRepository(prisma);
  const audit = createAuditLog(prisma);
  const webAccess = createWebAccessStore(prisma);
  const { retentionMs: outboxRetentionMs, ...outboxSettings } = options.outbox ?? {};
  const typedFor = { current: undefined as Features['actions'] | undefined };
  const runner = { current: undefined as JobRunner | undefined };
  const outbox = createOutbox({
    store: createNotificationRepository(prisma),
    members,
    transactor,
    translator: localisation.translator,
    // The outbox renders action buttons; the handler that knows their words comes with the features below.
    typedFor: (action, t) => typedFor.current?.typedFor(action, t),
    clock,
    logger: options.logger,
    settings: outboxSettings,
    metrics,
  });
  const actionWords = {} as ActionWords;
  for (const action of CASE_ACTIONS) actionWords[action] = localisation.words(`cases:words.${action}`);
  const courseWords: CourseActionWords = {
    accept: localisation.words('courseNotices:words.accept'),
    decline: localisation.words('courseNotices:words.decline'),
    outcome: localisation.words('courseNotices:words.outcome'),
    yes: localisation.words('courseNotices:words.yes'),
    partly: localisation.words('courseNotices:words.partly'),
    notYet: localisation.words('courseNotices:words.notYet'),
  };
  const features = createFeatures({
    members,
    consents: createConsentRepository(prisma),
    memberBroadcasts: createMemberBroadcastRepository(prisma),
    records,
    personalData: () => registry,
    retention,
    areas,
    officers,
    invitations: createInvitationRepository(prisma),
    audit,
    cases: createCaseRepository(prisma),
    outbox,
    translator: localisation.translator,
    phrases: localisation.phrases,
    lexicon: localisation.lexicon,
    actionWords,
    clock,
    timeZone,
    logger: options.logger,
    escalateAfterMs: options.caseEscalationMs ?? 2 * 3_600_000,
    invitationTtlHours: options.invitationTtlHours ?? 72,
    programmes: options.programmes ?? readProgrammeFile(DEFAULT_PROGRAMMES_FILE).data,
    creditInquiries: createCreditInquiryRepository(prisma),
    ...(options.digestHour === undefined ? {} : { digestHour: options.digestHour }),
    transactor,
    courses: createCourseRepository(prisma),
    coursePolicy: options.courses?.policy ?? loadCourseSupport(),
    courseWords,
    ...(options.courses?.offerHours === undefined ? {} : { courseOfferHours: options.courses.offerHours }),
    ...(options.courses?.reminderHour === undefined ? {} : { courseReminderHour: options.courses.reminderHour }),
    listings: createListingRepository(prisma),
    files: { records: fileRecords, store: fileStore },
    thumbnailer: createThumbnailer(),
    ...(options.products?.draftDays === undefined ? {} : { listingDraftDays: options.products.draftDays }),
    ...(options.products?.reportsPerDay === undefined ? {} : { listingReportsPerDay: options.products.reportsPerDay }),
    ...(options.products?.ocopHour === undefined ? {} : { listingOcopHour: options.products.ocopHour }),
    listingReporterSecret: options.products?.reporterSecret ?? sharedSecret(prisma, 'listing-reporter'),
    broadcasts: createBroadcastRepository(prisma),
    ...(options.broadcasts === undefined ? {} : { broadcastSettings: options.broadcasts }),
    // The job runner is built below, after the features that declare its jobs.
    jobQueue: {
      schedule: (...args) => runner.current!.schedule(...args),
      cancel: (key) => runner.current!.cancel(key),
    },
    outboxRetentionDays: (outboxRetentionMs ?? 30 * 86_400_000) / 86_400_000,
    webLinks: webAccess,
    web: options.web,
    catalogueUrl: options.catalogueUrl,
  });
  typedFor.current = features.actions;
  const broadcastSettings = features.broadcasts.settings;
  const broadcastDispatcher = createBroadcastDispatcher({
    store: createBroadcastDeliveryStore(prisma),
    bulk: outbox.bulk,
    members,
    render: (broadcast, language) => features.broadcasts.service.render(broadcast, language),
    clock,
    logger: options.logger,
    metrics,
    timeZone,
    settings: {
      hours: broadcastSettings.hours,
      maxAttempts: broadcastSettings.maxAttempts,
      batchSize: broadcastSettings.batchSize,
      concurrency: broadcastSettings.concurrency,
      promotion: broadcastSettings.promotion,
      // The outbox's poll, lease and instance name (OUTBOX_POLL_MS, OUTBOX_LEASE_SECONDS; host and port): a restart takes back its own claims.
      ...(outboxSettings.pollMs === undefined ? {} : { pollMs: outboxSettings.pollMs }),
      ...(outboxSettings.leaseMs === undefined ? {} : { leaseMs: outboxSettings.leaseMs }),
      ...(outboxSettings.instanceId === undefined ? {} : { instanceId: outboxSettings.instanceId }),
    },
  });
  const photos = createPhotoIntake({
    media: (channel) => media.get(channel),
    images: createImageSanitizer(),
    store: fileStore,
    files: fileRecords,
    limits,
    logger: options.logger,
    photosAllowed: async (member) => (await features.consent.stateOf(member, 'photos')) === 'given',
  });
  const bot = createBot({
    members,
    conversations,
    inbound,
    flows: features.flows,
    home: features.home,
    translator: localisation.translator,
    vocabulary: localisation.vocabulary,
    clock,
    logger: options.logger,
    actions: features.actions,
    outbox,
    conversationTimeoutMs: options.conversationTimeoutMs,
    timeZone,
    transactor,
    defaultLanguage: options.defaultLanguage,
    photos,
    beforeFlow: features.beforeFlow,
    onReturn: features.onReturn,
    understanding: features.understanding,
    homeCommand: features.homeCommand,
    missedBroadcasts: (member) => features.announcements.waitingFor(member),
    metrics,
    ...(options.turns ? { turns: options.turns } : {}),
  });
  // The ambient client, used outside any turn: on SQLite each statement is then queued as a transaction of its own,
  // so a job claim or an event committed before the webhook answers never joins (or waits for) a turn's transaction.
  const jobStore = createJobStore(prisma);
  const inboundEvents = createInboundEventStore(prisma);
  const { retentionMs: jobRetentionMs, ...runnerSettings } = options.jobs ?? {};
  registry.push(
    ...features.personalData,
    storedFilesDataKind({ files: fileRecords, maintenance, orphanDays: limits.orphanDays }),
    outboxDataKind({ outbox, days: (outboxRetentionMs ?? 30 * 86_400_000) / 86_400_000 }),
    ...appDataKinds({
      records,
      inbound,
      inboundEvents,
      jobs: jobStore,
      retention: {
        conversationsDays: retention.conversationsDays,
        inboundIdsDays: (options.inboundRetentionMs ?? 7 * 86_400_000) / 86_400_000,
        jobsDays: (jobRetentionMs ?? 30 * 86_400_000) / 86_400_000,
      },
    }),
  );
  const jobs = createJobRunner({
    store: jobStore,
    clock,
    logger: options.logger,
    metrics,
    timeZone,
    ...runnerSettings,
    jobs: [
      // The features' own jobs (escalation, the digest), declared in their modules. The outbox needs none: its
      // dispatcher runs its own loop (outbox.start), and its old rows are pruned by the registry's prune job below.
      ...features.jobs,
      filesPurgeJob((now) => maintenance.purgeOrphanFiles(now), options.logger),
      pruneJob({ kinds: () => registry, clock, logger: options.logger }),
    ],
  });
  runner.current = jobs;
  return {
    bot,
    outbox,
    broadcastDispatcher,
    features,
    products: features.products.service,
    officers,
    audit,
    members,
    inbound,
    inboundEvents,
    areas,
    localisation,
    media,
    files: { store: fileStore, records: fileRecords, ...maintenance },
    storedPhotos: createStoredPhotos({ store: fileStore, files: fileRecords }),
    photos,
    pendingParts: createPendingPartStore(prisma),
    jobs,
    jobStore,
    transactor,
    db: prisma,
    personalData: registry,
    webAccess,
  };
}

/**
 * What the admin command line works with: the same repositories and services as the bot, built once here, on a
 * database the CLI opened. Nothing is loaded eagerly (the areas in force are read when a command needs them), so a
 * bad areas dataset can still be replaced with `areas import`.
 */
export interface AdminServices {
  members: MemberRepository;
  officers: OfficerService;
  invitations: InvitationService;
  audit: AuditLog;
  cases: CaseRepository;
  jobs: JobStore;
  areaData: AreaDataStore;
  programmeData: ProgrammeDataStore;
  localisation: Localisation;
  clock: Clock;
  /**
   * Erases a member the way her own "Delete my data" (and Zalo's user_withdraw) does: the bot's runtime's
   * MemberRepository.delete, which erases every kind of the personal-data registry (features/privacy/registry.ts:
   * her consents, requests, jobs about her, photos; her id anonymised in the audit log), and records `member.erased`
   * by `actor` (an entry that names no one), in one unit of work. False, and nothing recorded, when there is no such
   * member. (`members` above is the plain repository: never erase through it.)
   */
  eraseMember(actor: string, memberId: string): Promise<boolean>;
  /**
   * The vocational courses of the bot's runtime (built on demand, once): its service, the repository reads the lists
   * need, and its unit of work, so that a command's changes and the messages they send members (a cancellation, a
   * change of date) are committed together, or not at all.
   */
  courses(): Promise<CourseTools>;
  /** The product service of the bot's runtime (built on demand, once) and FILES_DIR, absolute (the export). */
  products(): Promise<{ service: ProductService; filesDir: string }>;
  /**
   * The broadcasts of the bot's runtime (built on demand, once): the service (its notices go through the outbox, its
   * prepare job is stored for the bot's job runner), the members (the CLI's acting admin) and the unit of work.
   */
  broadcasts(): Promise<{
    service: BroadcastsFeature['service'];
    members: MemberRepository;
    run: <T>(work: () => Promise<T>) => Promise<T>;
  }>;
}

/** Where members' photos are when FILES_DIR is not given (as in config.ts). */
const DEFAULT_FILES_DIR = './data/files';

export function createAdminServices(options: {
  prisma: PrismaClient;
  /** AREAS_FILE: the areas in force when no dataset was imported. */
  areasFile: string;
  clock?: Clock;
  defaultLanguage?: Language;
  /** FILES_DIR, where members' photos are (for eraseMember); default ./data/files. */
  filesDir?: string;
  /** Where the runtime built for eraseMember reports (a photo that could not be deleted); default: nowhere. */
  logger?: Logger;
  /** config.broadcasts (the approval threshold, the expiry...); default DEFAULT_BROADCAST_SETTINGS. */
  broadcasts?: BroadcastSettings;
  /** TIME_ZONE (dates in the admins' notices). */
  timeZone?: string;
  /**
   * The bot's runtime when these services run inside the bot's process (the web console): erasure, courses, products
   * and broadcasts use it instead of building a second one.
   */
  runtime?: Runtime;
}): AdminServices {
  // Inside the bot's process, the runtime's ambient client: an admin action run in a unit of work (a console POST)
  // writes through that unit's transaction, rather than beside it (on SQLite, waiting for it forever).
  const prisma = options.runtime?.db ?? options.prisma;
  const clock = options.clock ?? systemClock;
  const members = createMemberRepository(prisma);
  const officers = createOfficerRepository(prisma);
  const audit = createAuditLog(prisma);
  const areaData = createAreaDataStore(prisma, options.areasFile);
  const defaultLanguage = options.defaultLanguage ?? 'vi';
  // The registry of personal data (erasure) and the courses service are the runtime's (every feature's kinds, the
  // outbox), so the runtime is built on demand only, once: the other commands load nothing eagerly. Its conversation
  // timeout plays no part in them.
  let built: Promise<Runtime> | undefined =
    options.runtime === undefined ? undefined : Promise.resolve(options.runtime);
  const runtime = () =>
    (built ??= areaData.inForce().then((loaded) =>
      createRuntime({
        prisma,
        logger: options.logger ?? SILENT_LOGGER,
        areasFile: options.areasFile,
        areas: loaded.directory,
        defaultLanguage,
        conversationTimeoutMs: 24 * 3_600_000,
        clock,
        files: { dir: options.filesDir ?? DEFAULT_FILES_DIR },
        ...(options.broadcasts === undefined ? {} : { broadcasts: options.broadcasts }),
        ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
      }),
    ));
  return {
    members,
    officers: createOfficerService({ members, officers, audit }),
    invitations: createInvitationService({ invitations: createInvitationRepository(prisma), officers, audit, clock }),
    audit,
    cases: createCaseRepository(prisma),
    jobs: createJobStore(prisma),
    areaData,
    programmeData: createProgrammeDataStore(prisma),
    localisation: createLocalisation(undefined, options.defaultLanguage),
    clock,
    async eraseMember(actor, memberId) {
      const rt = await runtime();
      return rt.transactor.run(async () => {
        if (!(await rt.members.delete(memberId))) return false;
        // Her id is what was just erased: the entry says that an erasure happened, and by whom.
        await rt.audit.record({ actor, action: 'member.erased' });
        return true;
      });
    },
    async products() {
      const rt = await runtime();
      return { service: rt.products, filesDir: path.resolve(options.filesDir ?? DEFAULT_FILES_DIR) };
    },
    async broadcasts() {
      const rt = await runtime();
      return {
        service: rt.features.broadcasts.service,
        members: rt.members,
        run: (work) => rt.transactor.run(work),
      };
    },
    async courses() {
      const rt = await runtime();
      return {
        service: rt.features.courses.service,
        repository: createCourseRepository(rt.db),
        members: rt.members,
        run: (work) => rt.transactor.run(work),
      };
    },
  };
}

const SILENT_LOGGER: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
