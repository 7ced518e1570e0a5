// The composition root: the one place that knows every concrete piece (Prisma repositories, i18next, the areas
// file) and hands them to the core as ports. main.ts runs it; tests build the same bot on a fresh database.
import { createBot } from './app/bot.ts';
import {
  createJobRunner,
  digestJob,
  escalationJob,
  filesPurgeJob,
  outboxPruneJob,
  pruneJob,
  type JobRunner,
} from './app/jobs/index.ts';
import { createPhotoIntake, MediaRegistry, type PhotoIntake } from './app/files/intake.ts';
import { createFileMaintenance, withFileErasure, type FileMaintenance } from './app/files/maintenance.ts';
import { createOutbox, type Outbox, type OutboxSettings } from './app/outbox/index.ts';
import type { BotGateway, PendingPartStore } from './conversation/messages.ts';
import { systemClock, type Clock, type Logger, type Transactor } from './conversation/ports.ts';
import { loadAreas } from './data/areasFile.ts';
import { createAuditLog } from './data/auditLog.ts';
import { createCaseRepository } from './data/caseRepository.ts';
import { createConversationRepository } from './data/conversationRepository.ts';
import { createCreditInquiryRepository } from './data/creditInquiryRepository.ts';
import { DEFAULT_PROGRAMMES_FILE, readProgrammeFile } from './data/programmeStore.ts';
import { createImageSanitizer } from './data/images.ts';
import { createInboundLog } from './data/inboundLog.ts';
import { createLocalFileStore } from './data/localFileStore.ts';
import { createPendingPartStore } from './data/pendingParts.ts';
import { createStoredFileRepository } from './data/storedFileRepository.ts';
import type { PrismaClient } from './data/database.ts';
import { createInvitationRepository } from './data/invitationRepository.ts';
import { createJobStore } from './data/jobStore.ts';
import { createMemberRepository } from './data/memberRepository.ts';
import { createNotificationRepository } from './data/notificationRepository.ts';
import { createOfficerRepository } from './data/officerRepository.ts';
import { createScheduleLock } from './data/scheduleLock.ts';
import { ambientTransactions } from './data/transactions.ts';
import type { AreaDirectory } from './domain/areas.ts';
import type { ProgrammeData } from './domain/credit/index.ts';
import type { JobStore } from './domain/jobs.ts';
import type { FileLimits, FileStore, StoredFileRepository } from './domain/files.ts';
import type { InboundLog, Language, MemberRepository } from './domain/member.ts';
import type { AuditLog, OfficerRepository } from './domain/officers.ts';
import { DEFAULT_TIME_ZONE } from './domain/time.ts';
import { CASE_ACTIONS, type ActionWords } from './features/cases/actions.ts';
import { createFeatures, type Features } from './features/index.ts';
import { createLocalisation, type Localisation } from './i18n/i18n.ts';

export interface RuntimeOptions {
  prisma: PrismaClient;
  logger: Logger;
  areasFile: string;
  defaultLanguage: Language;
  conversationTimeoutMs: number;
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
  /** Handled inbound ids are kept this long (INBOUND_ID_RETENTION_DAYS). Default 7 days. */
  inboundRetentionMs?: number;
  /** The job runner's settings (JOBS_*); see createJobRunner. */
  jobs?: { pollMs?: number; maxAttempts?: number; leaseMs?: number; retentionMs?: number };
  /** Photos members send: the folder they are stored in (FILES_DIR) and the limits (defaults as in config.ts). */
  files: { dir: string } & Partial<FileLimits>;
  /** The outbox's settings (OUTBOX_*) and how long sent and given-up rows are kept (OUTBOX_RETENTION_DAYS). */
  outbox?: Partial<OutboxSettings> & { retentionMs?: number };
}

export interface Runtime {
  bot: BotGateway;
  /**
   * Everything the bot sends (src/app/outbox). Channels connect their delivery through the gateway (bot.connect);
   * `outbox.start()` runs the dispatcher, `outbox.stop()` waits for the sends in progress.
   */
  outbox: Outbox;
  features: Features;
  officers: OfficerRepository;
  audit: AuditLog;
  members: MemberRepository;
  inbound: InboundLog;
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
  /** The gateway's photo stage (for a bot composed with other flows, e.g. in tests). */
  photos: PhotoIntake;
  /** Where Telegram album parts wait until the album is complete. */
  pendingParts: PendingPartStore;
}

export const DEFAULT_FILE_LIMITS: FileLimits = { maxBytes: 10 * 1024 * 1024, perMemberMax: 50, orphanDays: 7 };

export function createRuntime(options: RuntimeOptions): Runtime {
  // Every repository shares the ambient client: inside a turn's transaction it is the transaction (transactions.ts).
  const { prisma, transactor } = ambientTransactions(options.prisma, options.logger);
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
  // Deleting a member (her "delete my data", Zalo's withdrawal, the admin) takes her stored photos too.
  const members = withFileErasure(createMemberRepository(prisma), maintenance, options.logger);
  const conversations = createConversationRepository(prisma);
  const inbound = createInboundLog(prisma);
  const areas = options.areas ?? loadAreas(options.areasFile);
  const localisation = createLocalisation(undefined, options.defaultLanguage);
  const clock = options.clock ?? systemClock;
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const officers = createOfficerRepository(prisma);
  const audit = createAuditLog(prisma);
  const { retentionMs: outboxRetentionMs, ...outboxSettings } = options.outbox ?? {};
  const typedFor = { current: undefined as Features['actions'] | undefined };
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
  });
  const actionWords = {} as ActionWords;
  for (const action of CASE_ACTIONS) actionWords[action] = localisation.words(`cases:words.${action}`);
  const features = createFeatures({
    members,
    files: fileRecords,
    areas,
    officers,
    invitations: createInvitationRepository(prisma),
    audit,
    cases: createCaseRepository(prisma),
    locks: createScheduleLock(prisma),
    outbox,
    translator: localisation.translator,
    actionWords,
    clock,
    timeZone,
    transactor,
    logger: options.logger,
    escalateAfterMs: options.caseEscalationMs ?? 2 * 3_600_000,
    invitationTtlHours: options.invitationTtlHours ?? 72,
    programmes: options.programmes ?? readProgrammeFile(DEFAULT_PROGRAMMES_FILE).data,
    creditInquiries: createCreditInquiryRepository(prisma),
  });
  typedFor.current = features.actions;
  const photos = createPhotoIntake({
    media: (channel) => media.get(channel),
    images: createImageSanitizer(),
    store: fileStore,
    files: fileRecords,
    limits,
    logger: options.logger,
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
  });
  const jobStore = createJobStore(options.prisma); // its own claims: raw statements, never inside a turn
  const { retentionMs: jobRetentionMs, ...runnerSettings } = options.jobs ?? {};
  const jobs = createJobRunner({
    store: jobStore,
    clock,
    logger: options.logger,
    timeZone,
    ...runnerSettings,
    jobs: [
      escalationJob(() => features.caseService.escalateOverdue(), options.logger),
      outboxPruneJob((before) => outbox.prune(before), outboxRetentionMs ?? 30 * 86_400_000, options.logger),
      filesPurgeJob((now) => maintenance.purgeOrphanFiles(now), options.logger),
      digestJob((day) => features.caseService.sendDigests(day), {
        hour: options.digestHour ?? 7,
        timeZone,
        logger: options.logger,
      }),
      pruneJob({
        inbound,
        jobs: jobStore,
        inboundRetentionMs: options.inboundRetentionMs ?? 7 * 86_400_000,
        jobRetentionMs: jobRetentionMs ?? 30 * 86_400_000,
        clock,
        logger: options.logger,
      }),
    ],
  });
  return {
    bot,
    outbox,
    features,
    officers,
    audit,
    members,
    inbound,
    areas,
    localisation,
    media,
    files: { store: fileStore, records: fileRecords, ...maintenance },
    photos,
    pendingParts: createPendingPartStore(prisma),
    jobs,
    jobStore,
    transactor,
    db: prisma,
  };
}
