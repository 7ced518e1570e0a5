// The broadcasts feature, assembled (issue 14): the service (BroadcastService: validate, audience size, render,
// create / approve / reject / cancel, progress, the jobs' steps), the notices to admins, the jobs (broadcasts.prepare,
// broadcasts.tick), the personal-data kind of her deliveries, and the chat parts composed into one FeatureModule:
// - the admin part (the guided compose command, Approve / Reject / Cancel / Progress buttons, menu entries):
//   src/features/broadcasts/admin*.ts, added to ADMIN_PART below;
// - the member part (opt-out / back on, the bcTap handler, intents): src/features/broadcasts/member*.ts, added to
//   MEMBER_PART below.
// Each part is a `BroadcastPart` built from the same context (the service, the notices, the module's deps). Built once
// per runtime.
import type { Translate } from '../../conversation/flow.ts';
import type { OutboxPort } from '../../conversation/outbox.ts';
import type { Clock, Logger, Transactor } from '../../conversation/ports.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import type { BroadcastRepository, MemberBroadcastRepository } from '../../domain/broadcasts.ts';
import type { ConsentRepository } from '../../domain/privacy.ts';
import type { CourseRepository } from '../../domain/courses.ts';
import type { StoredFileRepository } from '../../domain/files.ts';
import type { JobQueue } from '../../domain/jobs.ts';
import type { Language, MemberRepository } from '../../domain/member.ts';
import type { AuditLog, OfficerRepository } from '../../domain/officers.ts';
import {
  composeActions,
  composeBeforeFlow,
  composeHomeCommand,
  type BeforeFlow,
  type FeatureActions,
  type FeatureModule,
  type HomeCommand,
} from '../module.ts';
import { createConsentService } from '../consent/purposes.ts';
import { createMemberAnnouncements } from './announcements.ts';
import { memberPart } from './member.ts';
import type { MenuEntry } from '../menu/flow.ts';
import type { Flow } from '../../conversation/flow.ts';
import type { IntentDeclaration } from '../understanding.ts';
import { broadcastAdminPart } from './admin.ts';
import { broadcastJobDefinitions } from './jobs.ts';
import { createBroadcastNotices, type BroadcastNotices } from './notices.ts';
import { broadcastDeliveriesDataKind } from './personalData.ts';
import { createBroadcastService, DEFAULT_BROADCAST_SETTINGS, type BroadcastSettings } from './service.ts';
import type { BroadcastService, MemberAnnouncements } from './contract.ts';

export interface BroadcastsModuleDeps {
  broadcasts: BroadcastRepository;
  /** Stored files: a broadcast's photo is checked to be the composer's and kept by the broadcast. */
  files: { records: Pick<StoredFileRepository, 'findById' | 'keep'> };
  /** config.broadcasts (BROADCAST_*, ZALO_PROMOTION_*); default DEFAULT_BROADCAST_SETTINGS. */
  broadcastSettings?: BroadcastSettings;
  /** Where the service schedules the prepare job (the job runner, bound late in src/wiring.ts). */
  jobQueue: Pick<JobQueue, 'schedule' | 'cancel'>;
  /** Words to type for an action on channels without buttons (the composed actions, bound late). */
  typedFor: (action: string, t: Translate) => string | undefined;
  members: MemberRepository;
  consents: ConsentRepository;
  officers: OfficerRepository;
  courses: CourseRepository;
  areas: AreaDirectory;
  audit: AuditLog;
  outbox: OutboxPort;
  transactor: Transactor;
  clock: Clock;
  logger: Logger;
  timeZone: string;
  translator: (language: Language) => Translate;
  /** Days deliveries of finished broadcasts are kept (OUTBOX_RETENTION_DAYS). Default 30. */
  deliveryRetentionDays?: number;
  /** A member's own deliveries (shown when she writes, her taps): src/data/memberBroadcasts.ts. */
  memberBroadcasts: MemberBroadcastRepository;
  /** Every language's phrases of a locales list key (the stop words, yes/no words; the admin part's typed commands). */
  phrases: (key: string) => string[];
}

/** What each chat part (admin, member) brings to the module. */
export interface BroadcastPart {
  flows?: readonly Flow[];
  menu?: readonly MenuEntry[];
  menuAtEnd?: readonly MenuEntry[];
  actions?: FeatureActions;
  intents?: readonly IntentDeclaration[];
  /** Before a flow runs (the member part: announcements asked once, on entering the menu). */
  beforeFlow?: BeforeFlow;
  /** A command typed at the menu (the member part: "dừng" / "stop" open the opt-out confirmation). */
  homeCommand?: HomeCommand;
}

/** What a part is built from. */
export interface BroadcastPartContext {
  service: BroadcastService;
  notices: BroadcastNotices;
  settings: BroadcastSettings;
  deps: BroadcastsModuleDeps;
  /** The member's side (opt-out, taps, missed broadcasts), built before the parts. */
  announcements: MemberAnnouncements;
}

/** The admin part (admin helper, admin.ts): the compose flow, the admin buttons and menu entries. */
const ADMIN_PART: ((ctx: BroadcastPartContext) => BroadcastPart) | null = (ctx) =>
  broadcastAdminPart({
    service: ctx.service,
    courses: ctx.deps.courses,
    areas: ctx.deps.areas,
    timeZone: ctx.deps.timeZone,
    settings: ctx.settings,
    phrases: ctx.deps.phrases,
  });
/** The member part (member helper, member.ts): opt-out / on, the ask-once at the menu, the bcTap handler, intents. */
const MEMBER_PART: ((ctx: BroadcastPartContext) => BroadcastPart) | null = (ctx) =>
  memberPart({
    announcements: ctx.announcements,
    consent: createConsentService({ consents: ctx.deps.consents, members: ctx.deps.members }),
    phrases: ctx.deps.phrases,
  });

/** The broadcasts feature's module, with its service (admin chat, CLI, tests) and its notices. */
export function broadcastsFeature(deps: BroadcastsModuleDeps) {
  const settings = deps.broadcastSettings ?? DEFAULT_BROADCAST_SETTINGS;
  const notices = createBroadcastNotices(deps);
  const service = createBroadcastService({
    repository: deps.broadcasts,
    members: deps.members,
    officers: deps.officers,
    courses: deps.courses,
    areas: deps.areas,
    audit: deps.audit,
    jobs: deps.jobQueue,
    files: deps.files.records,
    notices,
    transactor: deps.transactor,
    clock: deps.clock,
    translator: deps.translator,
    typedFor: deps.typedFor,
    settings,
  });
  const announcements = createMemberAnnouncements({
    consent: createConsentService({ consents: deps.consents, members: deps.members }),
    deliveries: deps.memberBroadcasts,
    clock: deps.clock,
    render: (broadcast, language) => service.render(broadcast, language),
    translator: deps.translator,
  });
  const ctx: BroadcastPartContext = { service, notices, settings, deps, announcements };
  const parts: BroadcastPart[] = [ADMIN_PART, MEMBER_PART].flatMap((build) => (build ? [build(ctx)] : []));
  const partModules: FeatureModule[] = parts.map((p, i) => ({
    name: `broadcasts.${i}`,
    flows: p.flows ?? [],
    ...(p.actions ? { actions: p.actions } : {}),
  }));
  const actionNames = parts.flatMap((p) => p.actions?.names ?? []);
  const module: FeatureModule = {
    name: 'broadcasts',
    flows: parts.flatMap((p) => p.flows ?? []),
    menu: parts.flatMap((p) => p.menu ?? []),
    menuAtEnd: parts.flatMap((p) => p.menuAtEnd ?? []),
    ...(actionNames.length > 0 ? { actions: { names: actionNames, ...composeActions(partModules) } } : {}),
    intents: parts.flatMap((p) => p.intents ?? []),
    beforeFlow: composeBeforeFlow(parts.map((p, i) => ({ name: `broadcasts.${i}`, flows: [], ...p }))),
    homeCommand: composeHomeCommand(parts.map((p, i) => ({ name: `broadcasts.${i}`, flows: [], ...p }))),
    jobs: broadcastJobDefinitions(service, deps.logger),
    personalData: [
      broadcastDeliveriesDataKind({ repository: deps.broadcasts, days: deps.deliveryRetentionDays ?? 30 }),
    ],
  };
  return { module, service, notices, settings, announcements };
}

export type BroadcastsFeature = ReturnType<typeof broadcastsFeature>;
