// The compose form of the console's Broadcasts section, read from a POST (or from the query string of the live audience
// size's JSON route, which the page's script calls with the same fields). Nothing here checks a rule: the form is
// turned into the service's BroadcastInput and the service (src/features/broadcasts/service.ts) validates it.
import type { AudienceSpec, BroadcastButton, BroadcastInput } from '../../../domain/broadcasts.ts';
import { CHANNELS, type ChannelName } from '../../../domain/channels.ts';
import { LANGUAGES, type Language } from '../../../domain/member.ts';
import { parseWhen } from '../../../features/broadcasts/when.ts';

/** The channels an audience can be limited to (the console channel is the developers' test chat, not a member's). */
export const AUDIENCE_CHANNELS: readonly ChannelName[] = CHANNELS.filter((c) => c !== 'console');
export const COURSE_WHO = ['registrants', 'waitingList', 'both'] as const;
export const PRODUCT_STATES = ['pending', 'approved'] as const;
/** The button choices besides "a course's registration" (`course:<id>`). */
export const BUTTON_TARGETS = ['courses', 'credit', 'productReport'] as const;

/** The compose form's fields as typed (kept to fill the form again after a preview or a refusal). */
export interface ComposeForm {
  textVi: string;
  textEn: string;
  /** '' (none), a BUTTON_TARGETS value, or `course:<id>`. */
  button: string;
  communes: string[];
  channels: ChannelName[];
  languages: Language[];
  /** A course id as typed, or ''. */
  course: string;
  courseWho: (typeof COURSE_WHO)[number];
  credit: boolean;
  products: Array<(typeof PRODUCT_STATES)[number]>;
  urgent: boolean;
  promotion: boolean;
  when: 'now' | 'later';
  /** `<input type="datetime-local">`'s value ("2026-12-10T08:00"), in Vietnam time. */
  at: string;
}

const oneOf = <T extends string>(values: readonly T[], value: string | null): value is T =>
  value !== null && (values as readonly string[]).includes(value);

const listOf = <T extends string>(values: readonly T[], form: URLSearchParams, name: string): T[] => [
  ...new Set(form.getAll(name).filter((v): v is T => oneOf(values, v))),
];

/** Reads the fields (unknown values are dropped; texts are kept as typed, at most a little over the limit). */
export function readComposeForm(form: URLSearchParams): ComposeForm {
  const who = form.get('courseWho');
  return {
    textVi: (form.get('textVi') ?? '').replace(/\r\n/g, '\n').slice(0, 4000),
    textEn: (form.get('textEn') ?? '').replace(/\r\n/g, '\n').slice(0, 4000),
    button: (form.get('button') ?? '').trim(),
    communes: [...new Set(form.getAll('commune').map((c) => c.trim()))].filter((c) => c !== '').slice(0, 500),
    channels: listOf(AUDIENCE_CHANNELS, form, 'channel'),
    languages: listOf(LANGUAGES, form, 'language'),
    course: (form.get('course') ?? '').trim(),
    courseWho: oneOf(COURSE_WHO, who) ? who : 'registrants',
    credit: form.get('credit') === '1',
    products: listOf(PRODUCT_STATES, form, 'products'),
    urgent: form.get('urgent') === '1',
    promotion: form.get('promotion') === '1',
    when: form.get('when') === 'later' ? 'later' : 'now',
    at: (form.get('at') ?? '').trim(),
  };
}

/** An empty form: everyone, no button, now. */
export function emptyComposeForm(): ComposeForm {
  return readComposeForm(new URLSearchParams());
}

const courseId = (value: string): number | null => (/^\d{1,9}$/.test(value) ? Number(value) : null);

/** The audience the form describes (an empty spec: every member who receives announcements). */
export function audienceOf(form: ComposeForm): AudienceSpec {
  const id = courseId(form.course);
  return {
    ...(form.communes.length > 0 ? { communes: form.communes } : {}),
    ...(form.channels.length > 0 ? { channels: form.channels } : {}),
    ...(form.languages.length > 0 ? { languages: form.languages } : {}),
    ...(id !== null ? { course: { courseId: id, who: form.courseWho } } : {}),
    ...(form.credit ? { creditInquiry: true } : {}),
    ...(form.products.length > 0 ? { products: form.products } : {}),
  };
}

/** The button the form chose, or null; `invalid` for a value no choice has. */
export function buttonOf(form: ComposeForm): BroadcastButton | null | 'invalid' {
  if (form.button === '') return null;
  if (oneOf(BUTTON_TARGETS, form.button)) return { target: form.button };
  const course = /^course:(\d{1,9})$/.exec(form.button);
  return course ? { target: 'courseRegister', courseId: Number(course[1]) } : 'invalid';
}

/** Why the form cannot become an input before the service sees it (the page's own checks: the time and the button). */
export type FormProblem = 'atMissing' | 'atFormat' | 'atPast' | 'button';

/**
 * The service's input, or the form's own problem. The time is read in `timeZone` (Vietnam time) as the chat and the
 * CLI read a typed time (parseWhen); a time already past is refused here with the same words.
 */
export function inputOfForm(
  form: ComposeForm,
  now: Date,
  timeZone: string,
): { ok: true; input: BroadcastInput } | { ok: false; problem: FormProblem } {
  const button = buttonOf(form);
  if (button === 'invalid') return { ok: false, problem: 'button' };
  let scheduledAt: Date | null = null;
  if (form.when === 'later') {
    if (form.at === '') return { ok: false, problem: 'atMissing' };
    const parsed = parseWhen(form.at.replace('T', ' '), now, timeZone);
    if (!parsed.ok) return { ok: false, problem: parsed.problem === 'past' ? 'atPast' : 'atFormat' };
    scheduledAt = parsed.at;
  }
  const texts: BroadcastInput['texts'] = {};
  if (form.textVi.trim() !== '') texts.vi = form.textVi;
  if (form.textEn.trim() !== '') texts.en = form.textEn;
  return {
    ok: true,
    input: {
      texts,
      button,
      audience: audienceOf(form),
      urgent: form.urgent,
      zaloOutsideWindow: form.promotion ? 'promotion' : 'skip',
      scheduledAt,
    },
  };
}
