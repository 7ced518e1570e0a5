// The admin's guided "Gửi thông báo" in the chat (issue 14, point 1): texts (Vietnamese and/or English), an optional
// photo and action button, the audience built segment by segment with its live size, when (now or a typed time),
// urgent (quiet hours), the Zalo promotion choice, then the preview sent to herself exactly as members get it (the
// service's `render`), a summary and Confirm / Edit / Cancel. Flows cannot read the database in a question, so the
// composing is a chain of short flows whose `finish` does the reads (the audience size, the open courses) and carries
// the draft along in the answers (DRAFT). Every rule is the service's (src/features/broadcasts/service.ts); its
// refusals are answered here at the question they concern. Texts: locales/<lng>/broadcastAdmin.json.
import type { Answers, Flow, FlowContext, FlowOutcome, Json, Said, Step, Text } from '../../conversation/flow.ts';
import { answerText, photoAnswer, text } from '../../conversation/flow.ts';
import { ACTION_PREFIX } from '../../conversation/render.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import type {
  AudienceSize,
  AudienceSpec,
  BroadcastButton,
  BroadcastInput,
  DailyWindow,
} from '../../domain/broadcasts.ts';
import { CHANNELS, type ChannelName, type OutboundMessage } from '../../domain/channels.ts';
import type { Course, CourseRepository } from '../../domain/courses.ts';
import { LANGUAGES, type Language, type Member } from '../../domain/member.ts';
import { STORED_PHOTO_REF } from '../../conversation/flow.ts';
import { formatDate, formatDateTime, localParts } from '../../domain/time.ts';
import type { MenuEntry } from '../menu/flow.ts';
import { areaInput, unitLabel } from '../profile/areaInput.ts';
import type { BroadcastRefusal, BroadcastService, Confirmation } from './contract.ts';
import { dayFrom, parseWhen, partOfDay, sendingStart } from './when.ts';

export const BC_COMPOSE_FLOW = 'bcCompose';
export const BC_TEXT_FLOW = 'bcComposeText';
export const BC_AUDIENCE_FLOW = 'bcComposeAudience';
export const BC_SCHEDULE_FLOW = 'bcComposeSchedule';
export const BC_PREVIEW_FLOW = 'bcComposePreview';
export const BC_DECIDE_FLOW = 'bcComposeDecide';

export const composeMenuEntry: MenuEntry = {
  flowId: BC_COMPOSE_FLOW,
  label: text('broadcastAdmin:menu.compose'),
  audience: 'admin',
};

/** Under this key in the composing flows' answers: the draft so far (a ComposeDraft as JSON). */
export const DRAFT = 'draft';
/** The courses read when composing started: [id, title] pairs, open ones (the button) and every current one. */
const OPEN_COURSES = 'openCourses';
const COURSES = 'courses';

/** The most characters of one language's text (the service's BROADCAST_MAX_TEXT; a Telegram text message holds 4096). */
export const MAX_TEXT = 2000;

/** What she has composed so far, carried from flow to flow. */
export interface ComposeDraft {
  texts: Partial<Record<Language, string>>;
  photo: string | null;
  button: BroadcastButton | null;
  audience: AudienceSpec;
  size: AudienceSize | null;
  /** ISO instant, or null: now. */
  at: string | null;
  urgent: boolean;
  promotion: boolean;
  /** Editing from the summary: each part goes back to the preview when done. */
  reviewing: boolean;
}

export interface ComposeDeps {
  service: BroadcastService;
  courses: Pick<CourseRepository, 'listAll'>;
  areas: AreaDirectory;
  timeZone: string;
  settings: { hours: DailyWindow; approvalThreshold: number; promotion: { enabled: boolean; hours: DailyWindow } };
}

const emptyDraft = (): ComposeDraft => ({
  texts: {},
  photo: null,
  button: null,
  audience: {},
  size: null,
  at: null,
  urgent: false,
  promotion: false,
  reviewing: false,
});

/** The draft stored in the answers (a fresh one when missing). */
export function draftOf(answers: Answers): ComposeDraft {
  const raw = answers[DRAFT];
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return emptyDraft();
  return { ...emptyDraft(), ...(raw as unknown as Partial<ComposeDraft>) };
}

const asJson = (draft: ComposeDraft): Json => JSON.parse(JSON.stringify(draft)) as Json;

/** The courses in the answers: [id, title] pairs. */
function coursesIn(answers: Answers, key: string): Array<[number, string]> {
  const all = answers[key];
  if (!Array.isArray(all)) return [];
  return all.flatMap((c) =>
    Array.isArray(c) && typeof c[0] === 'number' && typeof c[1] === 'string' ? [[c[0], c[1]] as [number, string]] : [],
  );
}

const pad = (n: number) => String(n).padStart(2, '0');
const hhmm = (w: DailyWindow['start']) => `${pad(w.hour)}:${pad(w.minute)}`;
/** "07:00–21:00". */
export const windowText = (w: DailyWindow): string => `${hhmm(w.start)}–${hhmm(w.end)}`;

/** The service's input from a draft. */
export function inputOf(draft: ComposeDraft): BroadcastInput {
  return {
    texts: draft.texts,
    photoFileId: draft.photo,
    button: draft.button,
    audience: draft.audience,
    urgent: draft.urgent,
    zaloOutsideWindow: draft.promotion ? 'promotion' : 'skip',
    scheduledAt: draft.at === null ? null : new Date(draft.at),
  };
}

/**
 * The audience's segments in words, one line each under a heading line ("• Xã/phường: Phường Gia Sàng", "• Kênh:
 * Zalo OA"), or "everyone". `nested`: as sub-bullets of a list (the summary), else as bullets.
 */
export function describeAudience(
  spec: AudienceSpec,
  t: FlowContext['t'],
  areas: AreaDirectory,
  courseTitle: (id: number) => string,
  nested = false,
): string {
  const key = nested ? 'broadcastAdmin:segments.subBullet' : 'broadcastAdmin:segments.bullet';
  return segmentLines(spec, t, areas, courseTitle)
    .map((line) => t(key, { line }))
    .join('\n');
}

function segmentLines(
  spec: AudienceSpec,
  t: FlowContext['t'],
  areas: AreaDirectory,
  courseTitle: (id: number) => string,
): string[] {
  const parts: string[] = [];
  if (spec.communes?.length) {
    const names = spec.communes.map((code) => {
      const unit = areas.byCodeOrNull(code);
      return unit ? unitLabel(unit, t) : code;
    });
    parts.push(t('broadcastAdmin:segments.communes', { list: names.join(', ') }));
  }
  if (spec.channels?.length) {
    parts.push(
      t('broadcastAdmin:segments.channels', {
        list: spec.channels.map((c) => t(`broadcastAdmin:channels.${c}`)).join(', '),
      }),
    );
  }
  if (spec.languages?.length) {
    parts.push(
      t('broadcastAdmin:segments.languages', {
        list: spec.languages.map((l) => t(`broadcastAdmin:languages.${l}`)).join(', '),
      }),
    );
  }
  if (spec.course) {
    parts.push(
      t(`broadcastAdmin:segments.course.${spec.course.who}`, {
        id: spec.course.courseId,
        title: courseTitle(spec.course.courseId),
      }),
    );
  }
  if (spec.creditInquiry) parts.push(t('broadcastAdmin:segments.credit'));
  if (spec.products?.length) {
    parts.push(
      t('broadcastAdmin:segments.products', {
        list: spec.products.map((p) => t(`broadcastAdmin:productStatus.${p}`)).join(', '),
      }),
    );
  }
  return parts.length === 0 ? [t('broadcastAdmin:segments.everyone')] : parts;
}

/** The audience size in words: total, per channel, out of reach now, opted out (not counted in the total). */
export function describeSize(size: AudienceSize, t: FlowContext['t']): string {
  const perChannel = CHANNELS.filter((c) => (size.perChannel[c] ?? 0) > 0)
    .map((c) => `${t(`broadcastAdmin:channels.${c}`)}: ${size.perChannel[c] ?? 0}`)
    .join(', ');
  const lines = [t('broadcastAdmin:size.total', { count: size.total })];
  if (perChannel !== '') lines.push(t('broadcastAdmin:size.perChannel', { list: perChannel }));
  lines.push(
    t('broadcastAdmin:size.outOfReach', {
      count: size.unreachable + size.zaloWindowClosed,
      unreachable: size.unreachable,
      window: size.zaloWindowClosed,
    }),
  );
  lines.push(t('broadcastAdmin:size.optedOut', { count: size.optedOut }));
  return lines.join('\n');
}

/**
 * The rendered messages as she sees them in the chat: the text, the photo (a stored file), the button (its action
 * kept: a tap on the preview's button is the member side's "unknown broadcast", harmless).
 */
export function saidOf(messages: readonly OutboundMessage[]): Said[] {
  return messages.map((m): Said => {
    switch (m.kind) {
      case 'text':
        return { raw: m.text };
      case 'photo':
        return m.ref.startsWith(STORED_PHOTO_REF)
          ? {
              photo: m.ref.slice(STORED_PHOTO_REF.length),
              ...(m.caption ? { caption: { raw: m.caption } } : {}),
            }
          : { raw: m.caption ?? '' };
      case 'choices':
        return {
          text: { raw: m.text },
          actions: m.choices.map((c) => ({
            label: { raw: c.label },
            action: c.data.startsWith(ACTION_PREFIX) ? c.data.slice(ACTION_PREFIX.length) : c.data,
          })),
        };
    }
  });
}

/** A refusal of the service in her words. */
export function refusalText(refusal: BroadcastRefusal, t: FlowContext['t']): string {
  switch (refusal.reason) {
    case 'wrongStatus':
      return t('broadcastAdmin:refusals.wrongStatus', { status: t(`broadcastAdmin:status.${refusal.status}`) });
    case 'invalid': {
      const key = `broadcastAdmin:invalid.${refusal.field}.${refusal.issue}`;
      const said = t(key);
      return said === key || said.endsWith(`${refusal.field}.${refusal.issue}`)
        ? t('broadcastAdmin:invalid.other', { field: refusal.field, issue: refusal.issue })
        : said;
    }
    default:
      return t(`broadcastAdmin:refusals.${refusal.reason}`);
  }
}

/** What confirming did, in her words (dates in TIME_ZONE, her language's format). */
export function confirmationText(
  id: number,
  confirmation: Confirmation,
  t: FlowContext['t'],
  timeZone: string,
  language: Language,
  threshold: number,
  when?: { now: Date; hours: DailyWindow; urgent: boolean },
): string {
  const moment = (d: Date) =>
    when ? startText(d, when.now, t, timeZone, language) : formatDateTime(d, timeZone, language);
  // Quiet hours: a non-urgent broadcast confirmed (or scheduled) outside BROADCAST_HOURS starts at their next opening.
  const held = (d: Date): Date | null => {
    if (!when) return null;
    const start = sendingStart(d, when.hours, when.urgent, timeZone);
    return start.getTime() > d.getTime() ? start : null;
  };
  const hours = when ? windowText(when.hours) : '';
  const started = (): string => {
    const start = when ? held(when.now) : null;
    return start
      ? t('broadcastAdmin:done.startedHeld', { id, hours, start: moment(start) })
      : t('broadcastAdmin:done.started', { id });
  };
  const scheduled = (at: Date): string => {
    const start = held(at);
    return start
      ? t('broadcastAdmin:done.scheduledHeld', { id, at: moment(at), hours, start: moment(start) })
      : t('broadcastAdmin:done.scheduled', { id, at: moment(at) });
  };
  switch (confirmation.kind) {
    case 'started':
      return started();
    case 'scheduled':
      return scheduled(confirmation.at);
    case 'awaitingApproval':
      return t('broadcastAdmin:done.awaitingApproval', { id, count: confirmation.approvers, threshold });
    case 'startedSingleAdmin':
      return [started(), t('broadcastAdmin:done.singleAdmin', { threshold })].join('\n');
    case 'scheduledSingleAdmin':
      return [scheduled(confirmation.at), t('broadcastAdmin:done.singleAdmin', { threshold })].join('\n');
  }
}

/**
 * A moment as the admin reads it, from `now` in `timeZone`: "07:00 sáng mai, 08/12", "18:00 chiều nay, 07/12", or
 * "07:00 ngày 10/12/2026" (en "07:00 tomorrow morning, 8 Dec", "07:00 on 10 Dec 2026").
 */
export function startText(at: Date, now: Date, t: FlowContext['t'], timeZone: string, language: Language): string {
  const p = localParts(at, timeZone);
  const time = `${pad(p.hour)}:${pad(p.minute)}`;
  const day = dayFrom(at, now, timeZone);
  const full = formatDate(at, timeZone, language);
  if (day === 'other') return t('broadcastAdmin:start.other', { time, date: full });
  const date = language === 'vi' ? `${pad(p.day)}/${pad(p.month)}` : full.replace(/ \d{4}$/, '');
  return t(`broadcastAdmin:start.${day}.${partOfDay(p.hour)}`, { time, date });
}

const AUDIENCE_ADDS = [
  'done',
  'commune',
  'channel',
  'language',
  'courseRegistrants',
  'courseWaiting',
  'credit',
  'productsPending',
  'productsApproved',
  'everyone',
] as const;

const BUTTONS = ['none', 'courseRegister', 'courses', 'credit', 'productReport'] as const;

/** Which composing flow a refused field is asked again in. */
function flowOfField(field: string): string {
  if (field === 'audience') return BC_AUDIENCE_FLOW;
  if (field === 'scheduledAt' || field === 'expiresAt') return BC_SCHEDULE_FLOW;
  return BC_TEXT_FLOW;
}

/**
 * The composing flows, in the order she meets them: BC_COMPOSE_FLOW (reads the courses) → texts, photo, button →
 * audience (looping, its size said at every addition) → when, urgent, promotion → preview and summary → decide.
 */
export function createComposeFlows(deps: ComposeDeps): Flow[] {
  const { service } = deps;
  const home = (say: Said[]): FlowOutcome => ({ say, next: { to: 'home' } });
  /** Carries the draft (and the courses read at the start) to the next flow. */
  const go = (flowId: string, answers: Answers, draft: ComposeDraft, say: Said[] = []): FlowOutcome => ({
    say,
    next: {
      to: 'flow',
      flowId,
      answers: {
        [DRAFT]: asJson(draft),
        [OPEN_COURSES]: answers[OPEN_COURSES] ?? [],
        [COURSES]: answers[COURSES] ?? [],
      },
    },
  });
  const after = (draft: ComposeDraft, next: string) => (draft.reviewing ? BC_PREVIEW_FLOW : next);
  const courseTitle = (answers: Answers) => (id: number) =>
    coursesIn(answers, COURSES).find(([c]) => c === id)?.[1] ?? `#${id}`;

  /** The size now, said; null (and the refusal said) when the service refuses. */
  async function sizeOf(member: Member, spec: AudienceSpec): Promise<AudienceSize | BroadcastRefusal> {
    const result = await service.audienceSize(member, spec);
    return result.ok ? result.size : result.refusal;
  }

  const start: Flow = {
    id: BC_COMPOSE_FLOW,
    access: 'admin',
    intro: text('broadcastAdmin:compose.intro'),
    steps: [],
    async finish({ member }) {
      const { courses } = await deps.courses.listAll({ offset: 0, limit: 200 });
      const title = (c: Course) => (member.language === 'en' && c.titleEn ? c.titleEn : c.titleVi);
      const current = courses.filter((c) => c.status !== 'cancelled' && c.status !== 'draft');
      return {
        say: [],
        next: {
          to: 'flow',
          flowId: BC_TEXT_FLOW,
          answers: {
            [DRAFT]: asJson(emptyDraft()),
            [OPEN_COURSES]: current.filter((c) => c.status === 'open').map((c) => [c.id, title(c)]),
            [COURSES]: current.map((c) => [c.id, title(c)]),
          },
        },
      };
    },
  };

  const textSteps: Step[] = [
    {
      id: 'textVi',
      prompt: text('broadcastAdmin:ask.textVi', { max: MAX_TEXT }),
      input: { kind: 'text', maxLength: MAX_TEXT, multiline: true },
      optional: true,
      message: true,
    },
    {
      id: 'textEn',
      prompt: ({ answers }) =>
        answers['textVi'] === null
          ? text('broadcastAdmin:ask.textEnOnly', { max: MAX_TEXT })
          : text('broadcastAdmin:ask.textEn', { max: MAX_TEXT }),
      input: { kind: 'text', maxLength: MAX_TEXT, multiline: true },
      // English only: her English text is the broadcast; it cannot be skipped too.
      optional: true,
      message: true,
    },
    {
      id: 'photo',
      prompt: text('broadcastAdmin:ask.photo'),
      input: { kind: 'photo', max: 1 },
      optional: true,
    },
    {
      id: 'button',
      prompt: text('broadcastAdmin:ask.button'),
      input: {
        kind: 'choice',
        options: ({ answers }) =>
          BUTTONS.filter((b) => b !== 'courseRegister' || coursesIn(answers, OPEN_COURSES).length > 0).map((b) => ({
            value: b,
            label: text(`broadcastAdmin:buttonChoice.${b}`),
          })),
      },
    },
    {
      id: 'buttonCourse',
      prompt: text('broadcastAdmin:ask.buttonCourse'),
      when: (answers) => answers['button'] === 'courseRegister',
      input: {
        kind: 'choice',
        options: ({ answers }) =>
          coursesIn(answers, OPEN_COURSES).map(([id, title]) => ({
            value: String(id),
            label: { raw: `#${id} ${title}` },
          })),
      },
    },
  ];

  const texts: Flow = {
    id: BC_TEXT_FLOW,
    access: 'admin',
    // The announcement's picture is the Union's own material, not the admin's personal data: no "photos" consent.
    photosOf: 'union',
    steps: textSteps,
    async finish({ member, answers, t }) {
      const draft = draftOf(answers);
      const vi = answers['textVi'];
      const en = answers['textEn'];
      draft.texts = {
        ...(typeof vi === 'string' && vi.trim() !== '' ? { vi: vi.trim() } : {}),
        ...(typeof en === 'string' && en.trim() !== '' ? { en: en.trim() } : {}),
      };
      if (Object.keys(draft.texts).length === 0) {
        return go(BC_TEXT_FLOW, answers, { ...draft }, [text('broadcastAdmin:errors.noText')]);
      }
      draft.photo = photoAnswer(answers['photo'])?.files[0] ?? null;
      const button = answerText(answers['button']);
      draft.button =
        button === 'courseRegister'
          ? { target: 'courseRegister', courseId: Number(answers['buttonCourse']) }
          : button === 'courses' || button === 'credit' || button === 'productReport'
            ? { target: button }
            : null;
      // The texts, photo and button checked now (the audience is asked next).
      const checked = await service.validate(member, { ...inputOf(draft), audience: {} });
      if (!checked.ok && checked.refusal.reason === 'invalid' && flowOfField(checked.refusal.field) === BC_TEXT_FLOW) {
        return go(BC_TEXT_FLOW, answers, draft, [{ raw: refusalText(checked.refusal, t) }]);
      }
      if (draft.reviewing) return go(BC_PREVIEW_FLOW, answers, draft);
      const size = await sizeOf(member, draft.audience);
      if ('reason' in size) return home([{ raw: refusalText(size, t) }]);
      draft.size = size;
      return go(BC_AUDIENCE_FLOW, answers, draft);
    },
  };

  const audienceAsk = (ctx: FlowContext): Text => {
    const draft = draftOf(ctx.answers);
    return text('broadcastAdmin:ask.audience', {
      who: describeAudience(draft.audience, ctx.t, deps.areas, courseTitle(ctx.answers)),
      size: draft.size ? describeSize(draft.size, ctx.t) : '',
    });
  };

  const audience: Flow = {
    id: BC_AUDIENCE_FLOW,
    access: 'admin',
    steps: [
      {
        id: 'add',
        prompt: audienceAsk,
        input: {
          kind: 'choice',
          options: ({ answers }) =>
            AUDIENCE_ADDS.filter(
              (a) => (a !== 'courseRegistrants' && a !== 'courseWaiting') || coursesIn(answers, COURSES).length > 0,
            ).map((a) => ({ value: a, label: text(`broadcastAdmin:add.${a}`) })),
        },
      },
      {
        id: 'commune',
        prompt: text('broadcastAdmin:ask.commune'),
        when: (answers) => answers['add'] === 'commune',
        input: areaInput(deps.areas),
      },
      {
        id: 'channel',
        prompt: text('broadcastAdmin:ask.channel'),
        when: (answers) => answers['add'] === 'channel',
        input: {
          kind: 'choice',
          options: () => CHANNELS.map((c) => ({ value: c, label: text(`broadcastAdmin:channels.${c}`) })),
        },
      },
      {
        id: 'language',
        prompt: text('broadcastAdmin:ask.language'),
        when: (answers) => answers['add'] === 'language',
        input: {
          kind: 'choice',
          options: () => LANGUAGES.map((l) => ({ value: l, label: text(`broadcastAdmin:languages.${l}`) })),
        },
      },
      {
        id: 'course',
        prompt: text('broadcastAdmin:ask.course'),
        when: (answers) => answers['add'] === 'courseRegistrants' || answers['add'] === 'courseWaiting',
        input: {
          kind: 'choice',
          options: ({ answers }) =>
            coursesIn(answers, COURSES).map(([id, title]) => ({
              value: String(id),
              label: { raw: `#${id} ${title}` },
            })),
        },
      },
    ],
    async finish({ member, answers, t }) {
      const draft = draftOf(answers);
      const spec: AudienceSpec = { ...draft.audience };
      const add = answerText(answers['add']);
      const plus = <T>(list: readonly T[] | undefined, item: T): T[] => [
        ...(list ?? []).filter((x) => x !== item),
        item,
      ];
      switch (add) {
        case 'done': {
          if (draft.size !== null && draft.size.total === 0) {
            return go(BC_AUDIENCE_FLOW, answers, draft, [text('broadcastAdmin:errors.noAudience')]);
          }
          return go(after(draft, BC_SCHEDULE_FLOW), answers, draft);
        }
        case 'everyone':
          draft.audience = {};
          break;
        case 'commune':
          draft.audience = { ...spec, communes: plus(spec.communes, answerText(answers['commune'])) };
          break;
        case 'channel':
          draft.audience = { ...spec, channels: plus(spec.channels, answerText(answers['channel']) as ChannelName) };
          break;
        case 'language':
          draft.audience = { ...spec, languages: plus(spec.languages, answerText(answers['language']) as Language) };
          break;
        case 'courseRegistrants':
        case 'courseWaiting': {
          const courseId = Number(answers['course']);
          const who = add === 'courseRegistrants' ? 'registrants' : 'waitingList';
          const same = spec.course?.courseId === courseId && spec.course.who !== who;
          draft.audience = { ...spec, course: { courseId, who: same ? 'both' : who } };
          break;
        }
        case 'credit':
          draft.audience = { ...spec, creditInquiry: true };
          break;
        case 'productsPending':
        case 'productsApproved':
          draft.audience = {
            ...spec,
            products: plus(spec.products, add === 'productsPending' ? 'pending' : 'approved'),
          };
          break;
        default:
          return go(BC_AUDIENCE_FLOW, answers, draft);
      }
      const size = await sizeOf(member, draft.audience);
      if ('reason' in size) {
        // A segment the service refuses (an unknown course or commune): said, the audience as it was.
        return go(BC_AUDIENCE_FLOW, answers, { ...draft, audience: spec }, [{ raw: refusalText(size, t) }]);
      }
      draft.size = size;
      return go(BC_AUDIENCE_FLOW, answers, draft);
    },
  };

  const promotionAsked = (answers: Answers) =>
    deps.settings.promotion.enabled && (draftOf(answers).size?.zaloWindowClosed ?? 0) > 0;

  const schedule: Flow = {
    id: BC_SCHEDULE_FLOW,
    access: 'admin',
    steps: [
      {
        id: 'when',
        prompt: text('broadcastAdmin:ask.when'),
        input: {
          kind: 'choice',
          options: () => [
            { value: 'now', label: text('broadcastAdmin:whenChoice.now') },
            { value: 'later', label: text('broadcastAdmin:whenChoice.later') },
          ],
        },
      },
      {
        id: 'at',
        prompt: text('broadcastAdmin:ask.at'),
        when: (answers) => answers['when'] === 'later',
        input: {
          kind: 'custom',
          parse: (input, ctx) => {
            const parsed = parseWhen(input, ctx.now, ctx.timeZone);
            if (parsed.ok) return { ok: true, value: parsed.at.toISOString() };
            return parsed.problem === 'past'
              ? {
                  ok: false,
                  error: text('broadcastAdmin:errors.whenPast', {
                    now: formatDateTime(ctx.now, ctx.timeZone, ctx.member.language),
                  }),
                }
              : { ok: false, error: text('broadcastAdmin:errors.when') };
          },
          display: (value, ctx) => ({
            raw: formatDateTime(new Date(answerText(value)), ctx.timeZone, ctx.member.language),
          }),
        },
      },
      {
        id: 'urgent',
        prompt: text('broadcastAdmin:ask.urgent', { hours: windowText(deps.settings.hours) }),
        input: { kind: 'yesno' },
      },
      {
        id: 'promotion',
        prompt: ({ answers }) =>
          text('broadcastAdmin:ask.promotion', {
            count: draftOf(answers).size?.zaloWindowClosed ?? 0,
            hours: windowText(deps.settings.promotion.hours),
          }),
        when: promotionAsked,
        input: { kind: 'yesno' },
      },
    ],
    async finish({ answers }) {
      const draft = draftOf(answers);
      draft.at = answers['when'] === 'later' ? answerText(answers['at']) : null;
      draft.urgent = answers['urgent'] === 'yes';
      draft.promotion = promotionAsked(answers) && answers['promotion'] === 'yes';
      return go(BC_PREVIEW_FLOW, answers, draft);
    },
  };

  const preview: Flow = {
    id: BC_PREVIEW_FLOW,
    access: 'admin',
    steps: [],
    async finish({ member, answers, t, now }) {
      const draft = { ...draftOf(answers), reviewing: false };
      const say: Said[] = [];
      // The broadcast has no number yet: its button is described in a line rather than drawn with a made-up id (on
      // the console a drawn button shows the code members type, "tb <number>", which does not exist yet).
      const shape = { id: 0, texts: draft.texts, photoFileId: draft.photo, button: null };
      for (const language of LANGUAGES) {
        if (draft.texts[language] === undefined) continue;
        say.push(text('broadcastAdmin:preview.heading', { language: t(`broadcastAdmin:languages.${language}`) }));
        say.push(...saidOf(service.render(shape, language)));
        if (draft.button) {
          say.push(text('broadcastAdmin:preview.button', { label: t(`broadcasts:buttons.${draft.button.target}`) }));
        }
      }
      // The audience is counted again: members joined or stopped announcements since.
      const size = await sizeOf(member, draft.audience);
      if (!('reason' in size)) draft.size = size;
      say.push({ raw: summaryText(draft, { member, answers, t, now }) });
      return go(BC_DECIDE_FLOW, answers, draft, say);
    },
  };

  function summaryText(draft: ComposeDraft, ctx: Pick<FlowContext, 'member' | 't' | 'answers' | 'now'>): string {
    const { t } = ctx;
    const lines = [t('broadcastAdmin:summary.title')];
    lines.push(
      t('broadcastAdmin:summary.languages', {
        list: LANGUAGES.filter((l) => draft.texts[l] !== undefined)
          .map((l) => t(`broadcastAdmin:languages.${l}`))
          .join(', '),
      }),
    );
    lines.push(t(draft.photo ? 'broadcastAdmin:summary.photo' : 'broadcastAdmin:summary.noPhoto'));
    lines.push(
      t('broadcastAdmin:summary.button', {
        button: draft.button
          ? draft.button.target === 'courseRegister'
            ? t('broadcastAdmin:buttonChoice.courseOne', {
                id: draft.button.courseId,
                title: courseTitle(ctx.answers)(draft.button.courseId),
              })
            : t(`broadcastAdmin:buttonChoice.${draft.button.target}`)
          : t('broadcastAdmin:buttonChoice.none'),
      }),
    );
    lines.push(
      t('broadcastAdmin:summary.audience', {
        who: describeAudience(draft.audience, t, deps.areas, courseTitle(ctx.answers), true),
      }),
    );
    if (draft.size) lines.push(describeSize(draft.size, t));
    // When sending really starts: a non-urgent one asked for outside BROADCAST_HOURS waits for their next opening.
    const asked = draft.at === null ? ctx.now : new Date(draft.at);
    const start = sendingStart(asked, deps.settings.hours, draft.urgent, deps.timeZone);
    const moment = (d: Date) => startText(d, ctx.now, t, deps.timeZone, ctx.member.language);
    const hours = windowText(deps.settings.hours);
    const held = start.getTime() > asked.getTime();
    lines.push(
      draft.at === null
        ? held
          ? t('broadcastAdmin:summary.nowHeld', { hours, start: moment(start) })
          : t('broadcastAdmin:summary.now')
        : held
          ? t('broadcastAdmin:summary.atHeld', { at: moment(asked), hours, start: moment(start) })
          : t('broadcastAdmin:summary.at', { at: moment(asked) }),
    );
    lines.push(
      draft.urgent
        ? t('broadcastAdmin:summary.urgent', { hours: windowText(deps.settings.hours) })
        : t('broadcastAdmin:summary.quietHours', { hours: windowText(deps.settings.hours) }),
    );
    if (draft.promotion) lines.push(t('broadcastAdmin:summary.promotion'));
    if (draft.size && draft.size.total > deps.settings.approvalThreshold) {
      lines.push(t('broadcastAdmin:summary.approval', { threshold: deps.settings.approvalThreshold }));
    }
    return lines.join('\n');
  }

  const decide: Flow = {
    id: BC_DECIDE_FLOW,
    access: 'admin',
    steps: [
      {
        id: 'decision',
        prompt: text('broadcastAdmin:ask.decision'),
        input: {
          kind: 'choice',
          options: () =>
            ['confirm', 'edit', 'cancel'].map((d) => ({ value: d, label: text(`broadcastAdmin:decision.${d}`) })),
        },
      },
      {
        id: 'part',
        prompt: text('broadcastAdmin:ask.part'),
        when: (answers) => answers['decision'] === 'edit',
        input: {
          kind: 'choice',
          options: () =>
            ['texts', 'audience', 'schedule'].map((p) => ({ value: p, label: text(`broadcastAdmin:part.${p}`) })),
        },
      },
    ],
    async finish({ member, answers, t, now }) {
      const draft = draftOf(answers);
      const decision = answerText(answers['decision']);
      if (decision === 'cancel') return home([text('broadcastAdmin:compose.cancelled')]);
      if (decision === 'edit') {
        const part = answerText(answers['part']);
        const flowId = part === 'audience' ? BC_AUDIENCE_FLOW : part === 'schedule' ? BC_SCHEDULE_FLOW : BC_TEXT_FLOW;
        return go(flowId, answers, { ...draft, reviewing: true });
      }
      const result = await service.create(member, inputOf(draft));
      if (!result.ok) {
        const refusal = result.refusal;
        const said: Said[] = [{ raw: refusalText(refusal, t) }];
        if (refusal.reason === 'invalid') {
          return go(flowOfField(refusal.field), answers, { ...draft, reviewing: true }, said);
        }
        if (refusal.reason === 'promotionOff') {
          return go(BC_SCHEDULE_FLOW, answers, { ...draft, promotion: false, reviewing: true }, said);
        }
        return home(said);
      }
      const { broadcast, confirmation } = result;
      return home([
        {
          text: {
            raw: confirmationText(
              broadcast.id,
              confirmation,
              t,
              deps.timeZone,
              member.language,
              deps.settings.approvalThreshold,
              { now, hours: deps.settings.hours, urgent: draft.urgent },
            ),
          },
          actions: [
            { label: text('broadcastAdmin:buttons.progress'), action: `bcProgress:${broadcast.id}` },
            { label: text('broadcastAdmin:buttons.cancel'), action: `bcCancel:${broadcast.id}` },
          ],
        },
      ]);
    },
  };

  return [start, texts, audience, schedule, preview, decide];
}
