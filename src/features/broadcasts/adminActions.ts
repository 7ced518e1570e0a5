// The admins' broadcast buttons and typed commands outside the composing flow (issue 14, points 1 and 4):
// approve / reject one awaiting approval (the second admin; a rejection asks an optional reason), cancel after a
// confirmation ("Dừng gửi đợt thông báo #12?"), the live progress of one (Refresh and Cancel buttons), the list of
// recent broadcasts ("Thông báo đã gửi"), and "gửi thông báo" typed to start composing. Typed words are in locales
// broadcastAdmin:words.<action> (compared folded), the words shown for a button in broadcastAdmin:typed.<action>.
// Every rule (who may, which status) is the service's; a plain member gets "this is for admins" before it is asked.
import type { ActionHandler, Flow, FlowContext, FlowOutcome, Said } from '../../conversation/flow.ts';
import { answerText, text } from '../../conversation/flow.ts';
import type { Broadcast, BroadcastProgress, BroadcastStatus, DailyWindow } from '../../domain/broadcasts.ts';
import type { Language } from '../../domain/member.ts';
import { fold } from '../../domain/text.ts';
import { formatDateTime } from '../../domain/time.ts';
import type { MenuEntry } from '../menu/flow.ts';
import { BC_APPROVE, BC_CANCEL, BC_PROGRESS, BC_REJECT } from './actionNames.ts';
import { BC_COMPOSE_FLOW, confirmationText, refusalText } from './compose.ts';
import type { BroadcastService } from './contract.ts';

export const BC_LIST_FLOW = 'bcList';
export const BC_REJECT_FLOW = 'bcReject';
export const BC_CANCEL_FLOW = 'bcCancelConfirm';
/** Typed "gửi thông báo" / "broadcast": start composing (no argument). */
export const BC_COMPOSE_ACTION = 'bcCompose';
/** A page of the recent broadcasts list (argument: the page, 1-based). */
export const BC_LIST_ACTION = 'bcList';

export const sentMenuEntry: MenuEntry = {
  flowId: BC_LIST_FLOW,
  label: text('broadcastAdmin:menu.sent'),
  audience: 'admin',
};

/** Statuses a broadcast can still be cancelled in (the service decides; this only draws the button). */
const CANCELLABLE: readonly BroadcastStatus[] = ['draft', 'awaitingApproval', 'scheduled', 'preparing', 'sending'];
/** How many broadcasts a page of the list shows. */
export const LIST_PAGE = 8;

const ADMIN_ACTIONS = [BC_APPROVE, BC_REJECT, BC_CANCEL, BC_PROGRESS, BC_COMPOSE_ACTION, BC_LIST_ACTION] as const;
type AdminAction = (typeof ADMIN_ACTIONS)[number];

export interface AdminActionDeps {
  service: BroadcastService;
  timeZone: string;
  approvalThreshold: number;
  /** BROADCAST_HOURS: an approved non-urgent broadcast outside them is said to start at their next opening. */
  hours?: DailyWindow;
  /** Every language's phrases of a locales list key, as written. */
  phrases: (key: string) => string[];
  /**
   * The progress view's text (the core helper's notices formatting, namespace `broadcasts`, when it exists: the same
   * sentences the progress pushes use); default: progressText below.
   */
  formatProgress?: (progress: BroadcastProgress, t: FlowContext['t'], language: Language) => string;
}

/** "1 giờ 5 phút" / "3 phút" (the estimated time left), from milliseconds; "—" when unknown. */
export function durationText(ms: number | null, t: FlowContext['t']): string {
  if (ms === null) return t('broadcastAdmin:progress.etaUnknown');
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  const hours = Math.floor(minutes / 60);
  return hours > 0
    ? t('broadcastAdmin:progress.hoursMinutes', { hours, minutes: minutes % 60 })
    : t('broadcastAdmin:progress.minutes', { minutes });
}

/**
 * A broadcast's live progress in words: status, sent / pending / failed / unreachable / not reachable now / opted
 * out / uncertain / cancelled, taps, the rate (messages a minute) and the time left.
 */
export function progressText(
  progress: BroadcastProgress,
  t: FlowContext['t'],
  language: Language,
  timeZone: string,
): string {
  const { broadcast: b, counts } = progress;
  const s = counts.byStatus;
  const lines = [
    t('broadcastAdmin:progress.title', { id: b.id, status: t(`broadcastAdmin:status.${b.status}`) }),
    estimated(b, counts.total)
      ? t('broadcastAdmin:progress.totalEstimate', { count: b.audienceSize })
      : t('broadcastAdmin:progress.total', { count: counts.total }),
    t('broadcastAdmin:progress.sent', { count: s.sent + s.shown, shown: s.shown }),
    t('broadcastAdmin:progress.pending', { count: s.pending + s.sending }),
    t('broadcastAdmin:progress.failed', { count: s.failed }),
    t('broadcastAdmin:progress.unreachable', { count: s.unreachable }),
    t('broadcastAdmin:progress.notNow', { count: s.notNow }),
    t('broadcastAdmin:progress.optedOut', { count: s.optedOut }),
    t('broadcastAdmin:progress.uncertain', { count: counts.uncertain }),
  ];
  if (s.cancelled > 0) lines.push(t('broadcastAdmin:progress.cancelled', { count: s.cancelled }));
  if (counts.promotion > 0) lines.push(t('broadcastAdmin:progress.promotion', { count: counts.promotion }));
  lines.push(t('broadcastAdmin:progress.taps', { count: counts.taps }));
  if (b.status === 'sending' || b.status === 'preparing') {
    lines.push(t('broadcastAdmin:progress.rate', { rate: Math.round(progress.ratePerMinute) }));
    lines.push(t('broadcastAdmin:progress.eta', { eta: durationText(progress.etaMs, t) }));
  }
  if (b.status === 'scheduled' && b.scheduledAt) {
    lines.push(t('broadcastAdmin:progress.scheduledAt', { at: formatDateTime(b.scheduledAt, timeZone, language) }));
  }
  return lines.join('\n');
}

/**
 * Whether a broadcast's recipients are not written yet (not started, or preparing before its first batch): its size
 * is then the one counted at confirmation (Broadcast.audienceSize), shown "≈ N".
 */
export function estimated(b: Broadcast, written: number): b is Broadcast & { audienceSize: number } {
  if (b.audienceSize === null || written > 0) return false;
  return (
    b.status === 'draft' || b.status === 'awaitingApproval' || b.status === 'scheduled' || b.status === 'preparing'
  );
}

/** One line of the recent broadcasts list: "#12 · Đang gửi · 08:00 10/12/2026 · 120/300 đã gửi". */
export function listLine(b: Broadcast, t: FlowContext['t'], language: Language, timeZone: string): string {
  const firstWords = (b.texts[language] ?? b.texts.vi ?? b.texts.en ?? '').replace(/\s+/g, ' ').slice(0, 40);
  return t('broadcastAdmin:list.line', {
    id: b.id,
    status: t(`broadcastAdmin:status.${b.status}`),
    at: formatDateTime(b.startedAt ?? b.scheduledAt ?? b.createdAt, timeZone, language),
    size:
      b.audienceSize === null
        ? '?'
        : estimated(b, 0)
          ? t('broadcastAdmin:list.estimate', { count: b.audienceSize })
          : b.audienceSize,
    text: firstWords,
  });
}

const TYPED = /^(.+?)\s*#?\s*(\d{1,9})$/;

/**
 * The handler of bcApprove / bcReject / bcCancel / bcProgress / bcList buttons and their typed forms, and of the typed
 * "gửi thông báo" (bcCompose). A plain member is told they are for admins; the service checks every call again.
 */
export function createBroadcastAdminActions(deps: AdminActionDeps): ActionHandler & { names: readonly string[] } {
  const { service } = deps;
  const keyOf = (a: AdminAction) => a.slice(2, 3).toLowerCase() + a.slice(3);
  const words = new Map<AdminAction, string[]>(
    ADMIN_ACTIONS.map((a) => [a, deps.phrases(`broadcastAdmin:words.${keyOf(a)}`).map(fold)]),
  );
  const stay = (say: Said[]): FlowOutcome => ({ say, next: { to: 'stay' } });
  const format =
    deps.formatProgress ??
    ((p: BroadcastProgress, t: FlowContext['t'], language: Language) => progressText(p, t, language, deps.timeZone));

  return {
    names: ADMIN_ACTIONS,

    parseTyped(input) {
      const folded = fold(input);
      if (words.get(BC_COMPOSE_ACTION)?.includes(folded)) return { name: BC_COMPOSE_ACTION, arg: '' };
      const m = TYPED.exec(folded);
      if (!m) return null;
      const name = ADMIN_ACTIONS.find((a) => a !== BC_COMPOSE_ACTION && words.get(a)?.includes(m[1]!));
      return name ? { name, arg: m[2]! } : null;
    },

    typedFor(action, t) {
      const [name = '', arg = ''] = action.split(':');
      return (ADMIN_ACTIONS as readonly string[]).includes(name) && name !== BC_COMPOSE_ACTION
        ? t(`broadcastAdmin:typed.${keyOf(name as AdminAction)}`, { id: arg })
        : undefined;
    },

    async run({ member, t, now }, name, arg) {
      if (member.role !== 'admin') return stay([text('broadcastAdmin:refusals.notAdmin')]);
      if (name === BC_COMPOSE_ACTION) return { say: [], next: { to: 'flow', flowId: BC_COMPOSE_FLOW } };
      const id = Number(arg);
      if (!Number.isSafeInteger(id) || id <= 0) return stay([text('common:errors.staleButton')]);
      switch (name as AdminAction) {
        case BC_LIST_ACTION:
          return stay(await listPage(member, id, t));
        case BC_APPROVE: {
          const result = await service.approve(member, id);
          if (!result.ok) return stay([{ raw: refusalText(result.refusal, t) }]);
          return stay([
            {
              raw: [
                t('broadcastAdmin:approval.approved', { id }),
                confirmationText(
                  id,
                  result.confirmation,
                  t,
                  deps.timeZone,
                  member.language,
                  deps.approvalThreshold,
                  deps.hours ? { now, hours: deps.hours, urgent: result.broadcast.urgent } : undefined,
                ),
              ].join('\n'),
            },
          ]);
        }
        case BC_REJECT: {
          // Refused before the reason is asked when it cannot be rejected any more (or is hers).
          const seen = await service.progress(member, id);
          if (!seen.ok) return stay([{ raw: refusalText(seen.refusal, t) }]);
          const b = seen.progress.broadcast;
          if (b.status !== 'awaitingApproval') {
            return stay([{ raw: refusalText({ reason: 'wrongStatus', status: b.status }, t) }]);
          }
          if (b.createdById === member.id) return stay([{ raw: refusalText({ reason: 'ownApproval' }, t) }]);
          return { say: [], next: { to: 'flow', flowId: BC_REJECT_FLOW, answers: { broadcastId: id } } };
        }
        case BC_CANCEL: {
          const seen = await service.progress(member, id);
          if (!seen.ok) return stay([{ raw: refusalText(seen.refusal, t) }]);
          const status = seen.progress.broadcast.status;
          if (!CANCELLABLE.includes(status)) return stay([{ raw: refusalText({ reason: 'wrongStatus', status }, t) }]);
          return { say: [], next: { to: 'flow', flowId: BC_CANCEL_FLOW, answers: { broadcastId: id } } };
        }
        case BC_PROGRESS: {
          const result = await service.progress(member, id);
          if (!result.ok) return stay([{ raw: refusalText(result.refusal, t) }]);
          return stay([progressView(result.progress, t, member.language)]);
        }
        default:
          return stay([text('common:errors.staleButton')]);
      }
    },
  };

  function progressView(progress: BroadcastProgress, t: FlowContext['t'], language: Language): Said {
    const id = progress.broadcast.id;
    const actions = [{ label: text('broadcastAdmin:buttons.refresh'), action: `${BC_PROGRESS}:${id}` }];
    if (CANCELLABLE.includes(progress.broadcast.status)) {
      actions.push({ label: text('broadcastAdmin:buttons.cancel'), action: `${BC_CANCEL}:${id}` });
    }
    return { text: { raw: format(progress, t, language) }, actions };
  }

  async function listPage(member: FlowContext['member'], page: number, t: FlowContext['t']): Promise<Said[]> {
    const result = await service.list(member, { limit: LIST_PAGE + 1, offset: (page - 1) * LIST_PAGE });
    if (!result.ok) return [{ raw: refusalText(result.refusal, t) }];
    const items = result.items.slice(0, LIST_PAGE);
    if (items.length === 0) return [text(page === 1 ? 'broadcastAdmin:list.none' : 'broadcastAdmin:list.noMore')];
    const actions = items.map((b) => ({
      label: { raw: t('broadcastAdmin:list.button', { id: b.id }) },
      action: `${BC_PROGRESS}:${b.id}`,
    }));
    if (result.items.length > LIST_PAGE) {
      actions.push({ label: { raw: t('broadcastAdmin:buttons.more') }, action: `${BC_LIST_ACTION}:${page + 1}` });
    }
    return [
      {
        text: {
          raw: [
            t('broadcastAdmin:list.title'),
            ...items.map((b) => listLine(b, t, member.language, deps.timeZone)),
          ].join('\n'),
        },
        actions,
      },
    ];
  }
}

/** The list, reject-with-reason and cancel-confirmation flows the actions lead to. */
export function createBroadcastAdminFlows(deps: AdminActionDeps): Flow[] {
  const { service } = deps;
  const home = (say: Said[]): FlowOutcome => ({ say, next: { to: 'home' } });
  const handler = createBroadcastAdminActions(deps);

  const list: Flow = {
    id: BC_LIST_FLOW,
    access: 'admin',
    steps: [],
    async finish(ctx) {
      const outcome = await handler.run(ctx, BC_LIST_ACTION, '1');
      return home(outcome.say);
    },
  };

  const reject: Flow = {
    id: BC_REJECT_FLOW,
    access: 'admin',
    steps: [
      {
        id: 'note',
        prompt: ({ answers }) => text('broadcastAdmin:approval.reason', { id: answerText(answers['broadcastId']) }),
        input: { kind: 'text', maxLength: 500 },
        optional: true,
        message: true,
      },
    ],
    async finish({ member, answers, t }) {
      const id = Number(answers['broadcastId']);
      const note = typeof answers['note'] === 'string' && answers['note'].trim() !== '' ? answers['note'].trim() : null;
      const result = await service.reject(member, id, note);
      if (!result.ok) return home([{ raw: refusalText(result.refusal, t) }]);
      return home([text('broadcastAdmin:approval.rejected', { id })]);
    },
  };

  const cancel: Flow = {
    id: BC_CANCEL_FLOW,
    access: 'admin',
    steps: [
      {
        id: 'confirm',
        prompt: ({ answers }) => text('broadcastAdmin:cancel.confirm', { id: answerText(answers['broadcastId']) }),
        input: {
          kind: 'yesno',
          yesLabel: text('broadcastAdmin:cancel.yes'),
          noLabel: text('broadcastAdmin:cancel.no'),
        },
      },
    ],
    async finish({ member, answers, t }) {
      const id = Number(answers['broadcastId']);
      if (answers['confirm'] !== 'yes') return home([text('broadcastAdmin:cancel.kept', { id })]);
      const result = await service.cancel(member, id);
      if (!result.ok) return home([{ raw: refusalText(result.refusal, t) }]);
      return home([text('broadcastAdmin:cancel.done', { id })]);
    },
  };

  return [list, reject, cancel];
}
