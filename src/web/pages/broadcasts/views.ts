// Pieces of the Broadcasts pages: status badges, the progress figures (delivered / not delivered / waiting), the preview
// of what members get, the audience in words, the failures CSV. Texts: locales/<lng>/webBroadcasts.json, and the
// broadcast words the chat already uses (broadcastAdmin.json: statuses, channels, segments, refusals).
import type { Translate } from '../../../conversation/flow.ts';
import type { AreaDirectory } from '../../../domain/areas.ts';
import type { Broadcast, BroadcastCounts, BroadcastStatus } from '../../../domain/broadcasts.ts';
import type { OutboundMessage } from '../../../domain/channels.ts';
import type { Language } from '../../../domain/member.ts';
import { describeAudience } from '../../../features/broadcasts/compose.ts';
import { formatCount } from '../../../features/broadcasts/notices.ts';
import { badge, type BadgeTone } from '../../components.ts';
import { html, type Html } from '../../html.ts';

const STATUS_TONE: Record<BroadcastStatus, BadgeTone> = {
  draft: 'neutral',
  awaitingApproval: 'warn',
  scheduled: 'info',
  preparing: 'info',
  sending: 'info',
  done: 'ok',
  cancelled: 'neutral',
  rejected: 'danger',
};

/** The statuses after which nothing changes any more (the progress script stops polling). */
export const FINAL_STATUSES: readonly BroadcastStatus[] = ['done', 'cancelled', 'rejected'];

export function statusBadge(status: BroadcastStatus, t: Translate): Html {
  return badge(t(`broadcastAdmin:status.${status}`), STATUS_TONE[status]);
}

/**
 * The figures people watch: delivered (sent, or shown when she next wrote), not delivered (failed, unreachable, not
 * reachable now, opted out, cancelled) and waiting (pending or being sent), of `total`.
 */
export interface Figures {
  total: number;
  delivered: number;
  notDelivered: number;
  waiting: number;
}

export function figuresOf(counts: BroadcastCounts): Figures {
  const s = counts.byStatus;
  return {
    total: counts.total,
    delivered: s.sent + s.shown,
    notDelivered: s.failed + s.unreachable + s.notNow + s.optedOut + s.cancelled,
    waiting: s.pending + s.sending,
  };
}

/** "Đã gửi 120 · Không tới 3 · Đang chờ 50" (numbers in the viewer's format). */
export function figuresText(f: Figures, t: Translate, language: Language): string {
  return t('webBroadcasts:figures', {
    delivered: formatCount(f.delivered, language),
    notDelivered: formatCount(f.notDelivered, language),
    waiting: formatCount(f.waiting, language),
  });
}

/** A `<progress>` of what has ended (delivered or not) out of the total, labelled for screen readers. */
export function progressBar(f: Figures, label: string, id?: string): Html {
  const ended = f.delivered + f.notDelivered;
  return html`<progress
    ${id ? html`id="${id}"` : ''}
    max="${Math.max(f.total, 1)}"
    value="${f.total === 0 ? 0 : ended}"
    aria-label="${label}"
  >
    ${ended}/${f.total}
  </progress>`;
}

/** The first words of its text (in the viewer's language when written, else the other one). */
export function excerpt(b: Pick<Broadcast, 'texts'>, language: Language, length = 80): string {
  const text = (b.texts[language] ?? b.texts.vi ?? b.texts.en ?? '').replace(/\s+/g, ' ').trim();
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

/**
 * What a member gets, as her chat shows it: the text (line breaks kept), a photo's place, the button under it. The
 * messages are the service's `render` (the very ones the dispatcher sends).
 */
export function previewOf(messages: readonly OutboundMessage[], t: Translate): Html {
  return html`<div class="bc-phone">
    ${messages.map((m) => {
      switch (m.kind) {
        case 'text':
          return html`<p class="bc-bubble">${m.text}</p>`;
        case 'photo':
          return html`<p class="bc-bubble bc-photo">
            <span class="muted">${t('webBroadcasts:preview.photo')}</span>${m.caption ? html`<br />${m.caption}` : ''}
          </p>`;
        case 'choices':
          return html`<p class="bc-bubble">${m.text}</p>
            <ul class="bc-choices">
              ${m.choices.map((c) => html`<li>${c.label}</li>`)}
            </ul>`;
      }
    })}
  </div>`;
}

/** The audience in words, one line per condition ("tất cả hội viên nhận thông báo" for an empty spec). */
export function audienceText(
  spec: Broadcast['audience'],
  t: Translate,
  areas: AreaDirectory,
  courseTitle: (id: number) => string,
): Html {
  return html`<p class="bc-lines">${describeAudience(spec, t, areas, courseTitle)}</p>`;
}
