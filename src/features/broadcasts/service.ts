// The broadcasts' use cases for admins and the jobs (BroadcastService, contract.ts): validate, the audience's size,
// render, create (start, schedule or ask for approval), approve / reject (first decision wins), cancel, list,
// progress, failures, and the jobs' steps (prepareNext, tick). Every admin call checks the actor is an admin, on the
// server. The rules and their sources:
// - texts: at least one language, each non-empty and at most BROADCAST_MAX_TEXT (2,000) characters — Zalo Bot
//   Platform's limit on a text message (../shared/domain/REFERENCE.md "Channels and their rules");
// - approval: an audience over BROADCAST_APPROVAL_THRESHOLD needs another admin's approval; with a single admin the
//   rule is off and she is told so (Confirmation startedSingleAdmin / scheduledSingleAdmin) — issue 14;
// - expiry: BROADCAST_EXPIRY_DAYS after the start unless given;
// - Zalo promotion messages only when ZALO_PROMOTION_ENABLED (refusal promotionOff).
// Starting = status `preparing` + the one-off job `broadcasts.prepare` (key broadcast:<id>:prepare), which writes the
// deliveries a batch (one transaction) at a time from the stored cursor and then sets `sending`; the dispatcher
// (src/app/broadcasts) sends them. The chat turn never writes deliveries. Writes join the caller's unit of work;
// create/approve/reject/cancel are audited (AuditLog actions broadcast.created/approved/rejected/cancelled).
import type { Translate } from '../../conversation/flow.ts';
import type { Clock, Transactor } from '../../conversation/ports.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import type {
  AudienceSpec,
  Broadcast,
  BroadcastInput,
  BroadcastRepository,
  BroadcastStatus,
  DailyWindow,
} from '../../domain/broadcasts.ts';
import { ZALO_WINDOW_MS } from '../../domain/cases.ts';
import type { CourseRepository } from '../../domain/courses.ts';
import type { StoredFileRepository } from '../../domain/files.ts';
import type { JobQueue } from '../../domain/jobs.ts';
import type { Language, Member, MemberRepository } from '../../domain/member.ts';
import type { AuditLog, OfficerRepository } from '../../domain/officers.ts';
import { renderSaid } from '../../conversation/render.ts';
import type { BroadcastRefusal, BroadcastService, Confirmation } from './contract.ts';
import { BROADCAST_MAX_TEXT, broadcastSaid, type BroadcastNotices } from './notices.ts';

/** The job that writes a broadcast's deliveries (payload { id }), keyed broadcast:<id>:prepare. */
export const PREPARE_JOB = 'broadcasts.prepare';
export const prepareKey = (id: number) => `broadcast:${id}:prepare`;

/** The broadcasts' settings (config.broadcasts, from BROADCAST_* and ZALO_PROMOTION_*; README "Configuration"). */
export interface BroadcastSettings {
  approvalThreshold: number;
  hours: DailyWindow;
  expiryDays: number;
  maxAttempts: number;
  batchSize: number;
  concurrency: number;
  progressMinutes: number;
  promotion: { enabled: boolean; hours: DailyWindow; dailyQuota: number };
}

export const DEFAULT_BROADCAST_SETTINGS: BroadcastSettings = {
  approvalThreshold: 500,
  hours: { start: { hour: 7, minute: 0 }, end: { hour: 21, minute: 0 } },
  expiryDays: 7,
  maxAttempts: 5,
  batchSize: 500,
  concurrency: 8,
  progressMinutes: 10,
  promotion: {
    enabled: false,
    hours: { start: { hour: 8, minute: 0 }, end: { hour: 22, minute: 0 } },
    dailyQuota: 0,
  },
};

/** The window of the progress rate (messages per minute over the last 5 minutes). */
const RATE_WINDOW_MS = 5 * 60_000;
/** How many broadcasts one tick handles per step (starting, finishing, cancelling). */
const TICK_LIMIT = 20;
/** A scheduled time this close to now counts as now (the admin's chat turn takes a moment). */
const PAST_TOLERANCE_MS = 60_000;
/** The final report's failure reasons. */
const TOP_REASONS = 5;

export interface BroadcastServiceDeps {
  repository: BroadcastRepository;
  members: Pick<MemberRepository, 'findById'>;
  officers: Pick<OfficerRepository, 'list'>;
  courses: Pick<CourseRepository, 'get'>;
  areas: Pick<AreaDirectory, 'byCodeOrNull'>;
  audit: AuditLog;
  jobs: Pick<JobQueue, 'schedule' | 'cancel'>;
  /** The photo's record: it must be the composing admin's own stored file; kept by "broadcast:<id>" once created. */
  files: Pick<StoredFileRepository, 'findById' | 'keep'>;
  notices: BroadcastNotices;
  transactor: Transactor;
  clock: Clock;
  translator: (language: Language) => Translate;
  /** Words to type for an action on channels without buttons (the composed features' actions). */
  typedFor: (action: string, t: Translate) => string | undefined;
  settings: BroadcastSettings;
}

const refuse = (refusal: BroadcastRefusal) => ({ ok: false as const, refusal });
const invalid = (field: string, issue: string) => refuse({ reason: 'invalid', field, issue });
const isAdmin = (m: Member) => m.role === 'admin';

export function createBroadcastService(deps: BroadcastServiceDeps): BroadcastService & {
  /** Statuses a broadcast can be cancelled from. */
  readonly cancellable: readonly BroadcastStatus[];
} {
  const { repository: repo, clock, settings } = deps;
  const now = () => clock.now();
  const cancellable: readonly BroadcastStatus[] = ['draft', 'awaitingApproval', 'scheduled', 'preparing', 'sending'];

  async function otherAdmins(actorId: string | null): Promise<Member[]> {
    const all = await deps.officers.list();
    return all.map((o) => o.member).filter((m) => isAdmin(m) && m.id !== actorId);
  }

  async function check(input: BroadcastInput, actor: Member): Promise<BroadcastRefusal | null> {
    const texts = [input.texts.vi, input.texts.en].filter((v): v is string => v !== undefined);
    if (texts.length === 0) return { reason: 'invalid', field: 'texts', issue: 'empty' };
    for (const value of texts) {
      if (value.trim() === '') return { reason: 'invalid', field: 'texts', issue: 'empty' };
      if (value.length > BROADCAST_MAX_TEXT) return { reason: 'invalid', field: 'texts', issue: 'tooLong' };
    }
    if (input.photoFileId?.trim() === '') {
      return { reason: 'invalid', field: 'photo', issue: 'empty' };
    }
    if (input.photoFileId) {
      // Her own stored photo (the chat's photo step or the CLI's --photo stored it under her): never another's file.
      const file = await deps.files.findById(input.photoFileId);
      if (file?.memberId !== actor.id) return { reason: 'invalid', field: 'photo', issue: 'unknown' };
    }
    const t = now();
    if (input.button?.target === 'courseRegister') {
      const course = await deps.courses.get(input.button.courseId);
      if (!course) return { reason: 'invalid', field: 'button', issue: 'unknownCourse' };
      if (course.status !== 'open' || course.registrationDeadline <= t) {
        return { reason: 'invalid', field: 'button', issue: 'courseClosed' };
      }
    }
    const audience = input.audience;
    for (const code of audience.communes ?? []) {
      if (deps.areas.byCodeOrNull(code) === null)
        return { reason: 'invalid', field: 'audience', issue: 'unknownCommune' };
    }
    if (audience.course && !(await deps.courses.get(audience.course.courseId))) {
      return { reason: 'invalid', field: 'audience', issue: 'unknownCourse' };
    }
    const start = input.scheduledAt ?? t;
    if (input.scheduledAt && input.scheduledAt.getTime() < t.getTime() - PAST_TOLERANCE_MS) {
      return { reason: 'invalid', field: 'scheduledAt', issue: 'past' };
    }
    if (input.expiresAt && input.expiresAt.getTime() <= Math.max(start.getTime(), t.getTime())) {
      return { reason: 'invalid', field: 'expiresAt', issue: 'beforeStart' };
    }
    if (input.zaloOutsideWindow === 'promotion' && !settings.promotion.enabled) return { reason: 'promotionOff' };
    return null;
  }

  /** Starts it now: preparing (startedAt) + the prepare job. `from`: the statuses it may start from. */
  async function start(b: Broadcast, from: readonly BroadcastStatus[], patch: Partial<Broadcast> = {}) {
    const started = await repo.transition(b.id, from, {
      ...patch,
      status: 'preparing',
      startedAt: now(),
      cursor: null,
    });
    if (!started) return null;
    await deps.jobs.schedule(PREPARE_JOB, { id: b.id }, now(), { key: prepareKey(b.id) });
    return started;
  }

  const due = (at: Date | null) => at === null || at.getTime() <= now().getTime() + PAST_TOLERANCE_MS;

  async function progressOf(b: Broadcast) {
    const counts = await repo.counts(b.id);
    const sent = await repo.sentSince(b.id, new Date(now().getTime() - RATE_WINDOW_MS));
    const ratePerMinute = sent / (RATE_WINDOW_MS / 60_000);
    const left = counts.byStatus.pending + counts.byStatus.sending;
    const etaMs = left > 0 && ratePerMinute > 0 ? Math.round((left / ratePerMinute) * 60_000) : null;
    return { broadcast: b, counts, ratePerMinute, etaMs };
  }

  const composerOf = async (b: Broadcast) => (b.createdById ? deps.members.findById(b.createdById) : null);

  const service: BroadcastService & { cancellable: readonly BroadcastStatus[] } = {
    cancellable,

    async validate(actor, input) {
      if (!isAdmin(actor)) return refuse({ reason: 'notAdmin' });
      const refusal = await check(input, actor);
      return refusal ? refuse(refusal) : { ok: true };
    },

    async audienceSize(actor, spec: AudienceSpec) {
      if (!isAdmin(actor)) return refuse({ reason: 'notAdmin' });
      const refusal = await check({ texts: { vi: '-' }, audience: spec }, actor);
      if (refusal) return refuse(refusal);
      return { ok: true, size: await repo.audienceSize(spec, now(), ZALO_WINDOW_MS) };
    },

    render(broadcast, language) {
      const t = deps.translator(language);
      return renderSaid(broadcastSaid(broadcast, language), t, (a) => deps.typedFor(a, t));
    },

    async create(actor, input) {
      if (!isAdmin(actor)) return refuse({ reason: 'notAdmin' });
      const refusal = await check(input, actor);
      if (refusal) return refuse(refusal);
      const size = await repo.audienceSize(input.audience, now(), ZALO_WINDOW_MS);
      if (size.total === 0) return invalid('audience', 'noAudience');
      const others = await otherAdmins(actor.id);
      const over = size.total > settings.approvalThreshold;
      const needsApproval = over && others.length > 0;
      const scheduledAt = input.scheduledAt && !due(input.scheduledAt) ? input.scheduledAt : null;
      const startAt = scheduledAt ?? now();
      const expiresAt = input.expiresAt ?? new Date(startAt.getTime() + settings.expiryDays * 86_400_000);
      const texts: Broadcast['texts'] = {};
      if (input.texts.vi !== undefined) texts.vi = input.texts.vi.trim();
      if (input.texts.en !== undefined) texts.en = input.texts.en.trim();
      let broadcast = await repo.create({
        status: needsApproval ? 'awaitingApproval' : scheduledAt ? 'scheduled' : 'draft',
        texts,
        photoFileId: input.photoFileId ?? null,
        button: input.button ?? null,
        audience: input.audience,
        urgent: input.urgent ?? false,
        zaloOutsideWindow: input.zaloOutsideWindow ?? 'skip',
        scheduledAt,
        expiresAt,
        createdById: actor.id,
        needsApproval,
        // The size at confirmation, shown "≈ N" until the deliveries are written (prepareBatch then counts them).
        audienceSize: size.total,
      });
      // Kept by the broadcast, so the purge of photos no record keeps (FILES_ORPHAN_DAYS) leaves it until it is sent
      // — a week ahead, or shown to members weeks later while it is current.
      if (broadcast.photoFileId) await deps.files.keep(actor.id, [broadcast.photoFileId], `broadcast:${broadcast.id}`);
      let confirmation: Confirmation;
      if (needsApproval) {
        for (const approver of others) {
          await deps.notices.approvalRequest(approver, broadcast, {
            composer: actor,
            count: size.total,
            threshold: settings.approvalThreshold,
          });
        }
        confirmation = { kind: 'awaitingApproval', approvers: others.length };
      } else if (scheduledAt) {
        confirmation = over
          ? { kind: 'scheduledSingleAdmin', at: scheduledAt }
          : { kind: 'scheduled', at: scheduledAt };
      } else {
        broadcast = (await start(broadcast, ['draft'])) ?? broadcast;
        confirmation = over ? { kind: 'startedSingleAdmin' } : { kind: 'started' };
      }
      await deps.audit.record({
        actor: actor.id,
        action: 'broadcast.created',
        subject: String(broadcast.id),
        details: { audience: size.total, status: broadcast.status, urgent: broadcast.urgent },
      });
      return { ok: true, broadcast, confirmation };
    },

    async approve(actor, id) {
      if (!isAdmin(actor)) return refuse({ reason: 'notAdmin' });
      const found = await repo.find(id);
      if (!found) return refuse({ reason: 'notFound' });
      if (found.createdById === actor.id) return refuse({ reason: 'ownApproval' });
      if (found.status !== 'awaitingApproval') return refuse({ reason: 'wrongStatus', status: found.status });
      const decided = { approvedById: actor.id, decidedAt: now() };
      const later = found.scheduledAt && !due(found.scheduledAt) ? found.scheduledAt : null;
      const broadcast = later
        ? await repo.transition(id, ['awaitingApproval'], { ...decided, status: 'scheduled' })
        : await start(found, ['awaitingApproval'], decided);
      if (!broadcast) {
        const current = await repo.find(id);
        return refuse({ reason: 'wrongStatus', status: current?.status ?? found.status });
      }
      await deps.audit.record({ actor: actor.id, action: 'broadcast.approved', subject: String(id) });
      const composer = await composerOf(broadcast);
      if (composer) {
        await deps.notices.decision(composer, broadcast, { decidedBy: actor, approved: true, startsAt: later });
      }
      const confirmation: Confirmation = later ? { kind: 'scheduled', at: later } : { kind: 'started' };
      return { ok: true, broadcast, confirmation };
    },

    async reject(actor, id, note) {
      if (!isAdmin(actor)) return refuse({ reason: 'notAdmin' });
      const found = await repo.find(id);
      if (!found) return refuse({ reason: 'notFound' });
      if (found.createdById === actor.id) return refuse({ reason: 'ownApproval' });
      const broadcast = await repo.transition(id, ['awaitingApproval'], {
        status: 'rejected',
        decidedAt: now(),
        note: note === null || note.trim() === '' ? null : note.trim(),
      });
      if (!broadcast) {
        const current = await repo.find(id);
        return refuse({ reason: 'wrongStatus', status: current?.status ?? found.status });
      }
      await deps.audit.record({ actor: actor.id, action: 'broadcast.rejected', subject: String(id) });
      const composer = await composerOf(broadcast);
      if (composer) {
        await deps.notices.decision(composer, broadcast, { decidedBy: actor, approved: false, startsAt: null });
      }
      return { ok: true, broadcast };
    },

    async cancel(actor, id) {
      if (!isAdmin(actor)) return refuse({ reason: 'notAdmin' });
      const found = await repo.find(id);
      if (!found) return refuse({ reason: 'notFound' });
      const broadcast = await repo.transition(id, cancellable, { status: 'cancelled', cancelledAt: now() });
      if (!broadcast) {
        const current = await repo.find(id);
        return refuse({ reason: 'wrongStatus', status: current?.status ?? found.status });
      }
      await deps.jobs.cancel(prepareKey(id));
      // The first batch now; the tick cancels the rest, a batch per transaction (the dispatcher claims rows of
      // broadcasts in `sending` only, so none of them starts after this commits).
      await repo.cancelPending(id, settings.batchSize);
      await deps.audit.record({ actor: actor.id, action: 'broadcast.cancelled', subject: String(id) });
      return { ok: true, broadcast };
    },

    async list(actor, input) {
      if (!isAdmin(actor)) return refuse({ reason: 'notAdmin' });
      return { ok: true, items: await repo.list(input) };
    },

    async progress(actor, id) {
      if (!isAdmin(actor)) return refuse({ reason: 'notAdmin' });
      const found = await repo.find(id);
      if (!found) return refuse({ reason: 'notFound' });
      return { ok: true, progress: await progressOf(found) };
    },

    async failures(actor, id, after, limit) {
      if (!isAdmin(actor)) return refuse({ reason: 'notAdmin' });
      const found = await repo.find(id);
      if (!found) return refuse({ reason: 'notFound' });
      return { ok: true, items: await repo.failures(id, after, limit) };
    },

    async prepareNext(id) {
      const found = await repo.find(id);
      if (found?.status !== 'preparing') return false;
      const last = await repo.prepareBatch(found, found.cursor, settings.batchSize, now());
      if (last !== null) return true;
      await repo.transition(id, ['preparing'], { status: 'sending' });
      return false;
    },

    async tick() {
      const run = <T>(work: () => Promise<T>) => deps.transactor.run(work);
      // Due scheduled ones start.
      for (const b of await repo.dueScheduled(now(), TICK_LIMIT)) await run(() => start(b, ['scheduled']));
      // Sending ones with nothing pending or in flight are done: the final report to the composer.
      for (const b of await repo.finishedSending(TICK_LIMIT)) {
        await run(async () => {
          const done = await repo.transition(b.id, ['sending'], { status: 'done', finishedAt: now() });
          const composer = done ? await composerOf(done) : null;
          if (!done || !composer) return;
          const [counts, reasons] = await Promise.all([repo.counts(b.id), repo.failureReasons(b.id, TOP_REASONS)]);
          await deps.notices.finalReport(composer, done, counts, reasons);
        });
      }
      // Live progress to the composer every BROADCAST_PROGRESS_MINUTES while preparing or sending.
      const every = settings.progressMinutes * 60_000;
      for (const b of await repo.list({ statuses: ['preparing', 'sending'], limit: TICK_LIMIT })) {
        const since = b.progressAt ?? b.startedAt ?? b.createdAt;
        if (now().getTime() - since.getTime() < every) continue;
        await run(async () => {
          const marked = await repo.transition(b.id, [b.status], { progressAt: now() });
          const composer = marked ? await composerOf(marked) : null;
          if (!marked || !composer) return;
          await deps.notices.progress(composer, await progressOf(marked));
        });
      }
      // Cancelled ones: the rest of their pending deliveries, a batch per transaction.
      for (const b of await repo.list({ statuses: ['cancelled'], limit: TICK_LIMIT })) {
        while ((await run(() => repo.cancelPending(b.id, settings.batchSize))) > 0) {
          // next batch
        }
      }
    },
  };
  return service;
}
