// What admins are told about broadcasts without asking (locales/<lng>/broadcasts.json): the approval request to every
// other admin (the announcement exactly as members get it, in the approver's language, then who wants to send it to
// how many members, with Approve / Reject buttons), the decision told to the composer, the live progress with a
// Cancel button, and the final report (every count, the uncertain ones, the taps, the most frequent failure reasons
// and how to get the failures CSV). Numbers and dates in the reader's language (Vietnamese: "1.234", "14:05
// 07/12/2026"), dates in TIME_ZONE. Everything goes through the outbox (kind 'broadcast') in the caller's unit of work.
// Also the member-facing rendering of a broadcast (`broadcastSaid`), shared by the service's `render` and the preview.
import { text, type Said, type Translate } from '../../conversation/flow.ts';
import type { OutboxPort } from '../../conversation/outbox.ts';
import type { Broadcast, BroadcastCounts, BroadcastProgress } from '../../domain/broadcasts.ts';
import type { Language, Member } from '../../domain/member.ts';
import { formatDateTime } from '../../domain/time.ts';
import { BC_APPROVE, BC_CANCEL, BC_REJECT, BC_TAP } from './actionNames.ts';

/** Telegram's limit on a photo's caption (characters): a longer text goes after the photo as its own message. */
export const CAPTION_MAX = 1024;
/** The longest text of one language (characters): Zalo Bot Platform's limit on a text message, the smallest. */
export const BROADCAST_MAX_TEXT = 2000;

/** The text a member reads: her language's, else Vietnamese, else the language there is ('' when none). */
export function textFor(texts: Broadcast['texts'], language: Language): string {
  return texts[language] ?? texts.vi ?? texts.en ?? '';
}

/**
 * A broadcast as a member in `language` gets it: the text in her language (textFor); with a photo, the photo with the
 * text as its caption when it fits CAPTION_MAX, else the photo then the text; with a button, ONE action
 * (`bcTap:<id>`, labelled broadcasts:buttons.<target>) under the text — or under a short locale line when the text is
 * the photo's caption.
 */
export function broadcastSaid(
  broadcast: Pick<Broadcast, 'id' | 'texts' | 'photoFileId' | 'button'>,
  language: Language,
): Said[] {
  const body = textFor(broadcast.texts, language);
  const actions = broadcast.button
    ? [{ label: text(`broadcasts:buttons.${broadcast.button.target}`), action: `${BC_TAP}:${broadcast.id}` }]
    : null;
  if (broadcast.photoFileId === null) return [actions ? { text: { raw: body }, actions } : { raw: body }];
  if (body.length <= CAPTION_MAX) {
    const photo: Said = { photo: broadcast.photoFileId, caption: { raw: body } };
    return actions ? [photo, { text: text('broadcasts:buttonLine'), actions }] : [photo];
  }
  return [{ photo: broadcast.photoFileId }, actions ? { text: { raw: body }, actions } : { raw: body }];
}

/** "1.234" in Vietnamese, "1,234" in English. */
export function formatCount(n: number, language: Language): string {
  return new Intl.NumberFormat(language === 'vi' ? 'vi-VN' : 'en-US', { maximumFractionDigits: 0 }).format(n);
}

export interface BroadcastNotices {
  /** To one other admin: the preview in her language, then the request with Approve / Reject buttons. */
  approvalRequest(
    approver: Member,
    broadcast: Broadcast,
    input: { composer: Member | null; count: number; threshold: number },
  ): Promise<void>;
  /** To the composer: approved (and when it starts) or rejected (with the note when given). */
  decision(
    composer: Member,
    broadcast: Broadcast,
    input: { decidedBy: Member; approved: boolean; startsAt: Date | null },
  ): Promise<void>;
  /** To the composer: the live progress, with a Cancel button. */
  progress(composer: Member, progress: BroadcastProgress): Promise<void>;
  /** To the composer: the final report. `reasons`: the most frequent failure reasons, most frequent first. */
  finalReport(
    composer: Member,
    broadcast: Broadcast,
    counts: BroadcastCounts,
    reasons: readonly { reason: string; count: number }[],
  ): Promise<void>;
}

export function createBroadcastNotices(deps: {
  outbox: OutboxPort;
  /** IANA zone of every date a person reads (TIME_ZONE). */
  timeZone: string;
  translator: (language: Language) => Translate;
}): BroadcastNotices {
  const send = (to: Member, said: Said[]) => deps.outbox.send(to, said, { kind: 'broadcast' }).then(() => undefined);
  /** Who, for the reader: her display name, else "an admin" in the reader's language. */
  const name = (m: Member | null, reader: Member) =>
    m?.displayName ?? deps.translator(reader.language)('broadcasts:approval.someone');

  /** The counts as a reader's values (formatted numbers). */
  const countVars = (id: number, counts: BroadcastCounts, language: Language) => {
    const f = (n: number) => formatCount(n, language);
    const s = counts.byStatus;
    return {
      id,
      total: f(counts.total),
      sent: f(s.sent),
      pending: f(s.pending + s.sending),
      failed: f(s.failed),
      unreachable: f(s.unreachable),
      notNow: f(s.notNow),
      optedOut: f(s.optedOut),
      cancelled: f(s.cancelled),
      shown: f(s.shown),
      uncertain: f(counts.uncertain),
      promotion: f(counts.promotion),
      taps: f(counts.taps),
    };
  };

  return {
    approvalRequest(approver, broadcast, { composer, count, threshold }) {
      const lng = approver.language;
      return send(approver, [
        ...broadcastSaid(broadcast, lng),
        {
          text: text('broadcasts:approval.request', {
            admin: name(composer, approver),
            id: broadcast.id,
            count: formatCount(count, lng),
            threshold: formatCount(threshold, lng),
          }),
          actions: [
            { label: text('broadcasts:buttons.approve'), action: `${BC_APPROVE}:${broadcast.id}` },
            { label: text('broadcasts:buttons.reject'), action: `${BC_REJECT}:${broadcast.id}` },
          ],
        },
      ]);
    },

    decision(composer, broadcast, { decidedBy, approved, startsAt }) {
      const admin = name(decidedBy, composer);
      if (!approved) {
        return send(composer, [
          broadcast.note
            ? text('broadcasts:decision.rejectedNote', { admin, id: broadcast.id, note: broadcast.note })
            : text('broadcasts:decision.rejected', { admin, id: broadcast.id }),
        ]);
      }
      return send(composer, [
        startsAt === null
          ? text('broadcasts:decision.approvedNow', { admin, id: broadcast.id })
          : text('broadcasts:decision.approvedAt', {
              admin,
              id: broadcast.id,
              at: formatDateTime(startsAt, deps.timeZone, composer.language),
            }),
      ]);
    },

    progress(composer, progress) {
      const lng = composer.language;
      const { broadcast, counts } = progress;
      const vars = {
        ...countVars(broadcast.id, counts, lng),
        rate: formatCount(Math.round(progress.ratePerMinute), lng),
        eta: progress.etaMs === null ? '' : formatCount(Math.max(1, Math.ceil(progress.etaMs / 60_000)), lng),
      };
      const line =
        broadcast.status === 'preparing'
          ? text('broadcasts:progress.preparing', vars)
          : text(progress.etaMs === null ? 'broadcasts:progress.lineNoEta' : 'broadcasts:progress.line', vars);
      return send(composer, [
        { text: line, actions: [{ label: text('broadcasts:buttons.cancel'), action: `${BC_CANCEL}:${broadcast.id}` }] },
      ]);
    },

    finalReport(composer, broadcast, counts, reasons) {
      const lng = composer.language;
      const said: Said[] = [text('broadcasts:final.report', countVars(broadcast.id, counts, lng))];
      const lines: Said[] = [];
      if (reasons.length > 0) {
        lines.push(
          text('broadcasts:final.reasons', {
            reasons: reasons.map((r) => `${r.reason} (${formatCount(r.count, lng)})`).join(', '),
          }),
        );
      }
      lines.push(text('broadcasts:final.csv', { id: broadcast.id }));
      return send(composer, [...said, ...lines]);
    },
  };
}
