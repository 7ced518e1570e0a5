// The outbox store (table Notification): every message the bot sends, stored already rendered, until delivered.
// Claims are conditional updates (status pending, not held, due, lease free or expired) that stamp a fresh token: on
// SQLite one writer runs at a time, on PostgreSQL a concurrent update of the same row waits for the first and then no
// longer matches, so exactly one claimant wins each row on both. Every later change is conditional on the token.
import { z } from 'zod';
import type { OutboundChoice, OutboundMessage } from '../conversation/messages.ts';
import type {
  HeldReason,
  Notification,
  NotificationKind,
  NotificationRepository,
  OutboxRow,
} from '../domain/outbox.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { PrismaClient } from './database.ts';

const NOTIFICATION_KINDS = [
  'reply',
  'case',
  'caseUpdate',
  'relay',
  'digest',
  'escalation',
  'memberUpdate',
  'course',
  'listing',
  'broadcast',
] as const satisfies readonly NotificationKind[];
// Fails to compile when the domain adds a kind that is not listed above.
const _everyKindListed: [Exclude<NotificationKind, (typeof NOTIFICATION_KINDS)[number]>] extends [never]
  ? true
  : never = true;

const NOTIFICATION_STATUSES = ['pending', 'sent', 'failed'] as const satisfies readonly Notification['status'][];

// The OutboundMessage shapes of src/conversation/messages.ts. zod drops keys it does not know, so a field added there
// and forgotten here would silently vanish from stored notifications: the checks below make that a compile error.
const outboundChoice = z.object({ label: z.string(), typed: z.string().optional(), data: z.string() });
const textMessage = z.object({ kind: z.literal('text'), text: z.string(), noPreview: z.boolean().optional() });
const choicesMessage = z.object({
  kind: z.literal('choices'),
  text: z.string(),
  choices: z.array(outboundChoice),
  freeText: z.boolean(),
});
const photoMessage = z.object({ kind: z.literal('photo'), ref: z.string(), caption: z.string().optional() });
const outboundMessage = z.discriminatedUnion('kind', [
  textMessage,
  choicesMessage,
  photoMessage,
]) satisfies z.ZodType<OutboundMessage>;

type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
type Variant<K extends OutboundMessage['kind']> = Extract<OutboundMessage, { kind: K }>;
const _sameShapes: [
  SameKeys<z.infer<typeof outboundChoice>, OutboundChoice>,
  SameKeys<z.infer<typeof textMessage>, Variant<'text'>>,
  SameKeys<z.infer<typeof choicesMessage>, Variant<'choices'>>,
  SameKeys<z.infer<typeof photoMessage>, Variant<'photo'>>,
  [Exclude<OutboundMessage['kind'], z.infer<typeof outboundMessage>['kind']>] extends [never] ? true : false,
] = [true, true, true, true, true];

const storedNotification = z.object({
  kind: z.enum(NOTIFICATION_KINDS),
  status: z.enum(NOTIFICATION_STATUSES),
  messages: z.array(outboundMessage),
});

/** Longest error text kept per notification (an HTTP error body can be large). */
const MAX_ERROR_LENGTH = 1_000;

interface NotificationRow {
  id: string;
  recipientId: string;
  caseId: number | null;
  kind: string;
  messages: unknown;
  status: string;
  createdAt: Date;
}

type FullRow = NotificationRow & {
  progress: number;
  held: string | null;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date;
  quote: string | null;
};

const HELD_REASONS: readonly HeldReason[] = ['window', 'unreachable', 'channel'];

function toRow(row: FullRow): OutboxRow {
  return {
    ...toNotification(row),
    progress: row.progress,
    held: (HELD_REASONS as readonly string[]).includes(row.held ?? '') ? (row.held as HeldReason) : null,
    attempts: row.attempts,
    lastError: row.lastError,
    nextAttemptAt: row.nextAttemptAt,
    quote: row.quote,
  };
}

const OLDEST_FIRST = [{ createdAt: 'asc' as const }, { id: 'asc' as const }];

function toNotification(row: NotificationRow): Notification {
  const parsed = storedNotification.safeParse(row);
  if (!parsed.success)
    throw new Error(`Notification ${row.id} has an invalid stored value: ${z.prettifyError(parsed.error)}`);
  return {
    id: row.id,
    recipientId: row.recipientId,
    caseId: row.caseId,
    ...parsed.data,
    createdAt: row.createdAt,
  };
}

/** Messages go into a JSON column: JSON values only (an undefined caption is dropped, as it would be anyway). */
function toJson(messages: readonly OutboundMessage[]): Prisma.InputJsonArray {
  return JSON.parse(JSON.stringify(messages)) as Prisma.InputJsonArray;
}

export function createNotificationRepository(prisma: PrismaClient): NotificationRepository {
  return {
    async enqueue({ recipientId, caseId, kind, messages, createdAt, nextAttemptAt, held, quote, claim }) {
      const due = nextAttemptAt ?? createdAt;
      const row = await prisma.notification.create({
        data: {
          recipientId,
          caseId,
          kind,
          messages: toJson(messages),
          ...(createdAt ? { createdAt } : {}),
          ...(due ? { nextAttemptAt: due } : {}),
          held: held ?? null,
          quote: quote ?? null,
          ...(claim === undefined ? {} : { leaseToken: claim.token, leaseUntil: claim.leaseUntil }),
        },
        // Only what the caller gets back: the messages it has just written are not read back and parsed again.
        select: { id: true, recipientId: true, caseId: true, kind: true, status: true, createdAt: true },
      });
      return {
        id: row.id,
        recipientId: row.recipientId,
        caseId: row.caseId,
        kind: storedNotification.shape.kind.parse(row.kind),
        status: storedNotification.shape.status.parse(row.status),
        messages: [...messages],
        createdAt: row.createdAt,
      };
    },

    async pendingFor(recipientId) {
      const rows = await prisma.notification.findMany({
        where: { recipientId, status: 'pending' },
        orderBy: OLDEST_FIRST,
      });
      return rows.map(toNotification);
    },

    async markSent(ids, now) {
      if (ids.length === 0) return;
      // Only unsent ones: the first delivery time of a notification is the one that counts.
      await prisma.notification.updateMany({
        where: { id: { in: [...ids] }, status: { not: 'sent' } },
        data: { status: 'sent', sentAt: now, held: null, leaseUntil: null, leaseToken: null },
      });
    },

    async markAttempt(id, error) {
      await prisma.notification.updateMany({
        where: { id },
        data: { attempts: { increment: 1 }, lastError: error.slice(0, MAX_ERROR_LENGTH) },
      });
    },

    async markFailed(id, reason) {
      await prisma.notification.updateMany({
        where: { id, status: 'pending' },
        // The try that failed last counts too: `attempts` is the number of tries made.
        data: {
          status: 'failed',
          attempts: { increment: 1 },
          lastError: reason.slice(0, MAX_ERROR_LENGTH),
          leaseUntil: null,
          leaseToken: null,
        },
      });
    },

    countPending: () => prisma.notification.count({ where: { status: 'pending' } }),

    async latestNotBefore(recipientId) {
      const row = await prisma.notification.findFirst({
        where: { recipientId, status: 'pending', held: null },
        orderBy: { nextAttemptAt: 'desc' },
        select: { nextAttemptAt: true },
      });
      return row?.nextAttemptAt ?? null;
    },

    async releaseHeld(recipientId, now) {
      const rows = await prisma.notification.findMany({
        where: { recipientId, status: 'pending', held: { not: null } },
        orderBy: OLDEST_FIRST,
      });
      if (rows.length === 0) return [];
      await prisma.notification.updateMany({
        where: { id: { in: rows.map((r) => r.id) }, status: 'pending' },
        data: { held: null, nextAttemptAt: now },
      });
      return rows.map((r) => toRow({ ...r, held: null, nextAttemptAt: now }));
    },

    async claim({ now, leaseUntil, token, limit, recipientId, channels }) {
      const due = {
        status: 'pending',
        held: null,
        nextAttemptAt: { lte: now },
        OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }],
      };
      const mine = channels === undefined ? {} : { recipient: { is: { channel: { in: [...channels] } } } };
      const candidates = await prisma.notification.findMany({
        where: recipientId === undefined ? { ...due, ...mine } : { ...due, ...mine, recipientId },
        orderBy: recipientId === undefined ? [{ nextAttemptAt: 'asc' }, ...OLDEST_FIRST] : OLDEST_FIRST,
        take: limit,
        select: { id: true },
      });
      if (candidates.length === 0) return [];
      await prisma.notification.updateMany({
        where: { ...due, id: { in: candidates.map((c) => c.id) } },
        data: { leaseUntil, leaseToken: token },
      });
      const won = await prisma.notification.findMany({ where: { leaseToken: token }, orderBy: OLDEST_FIRST });
      return won.map(toRow);
    },

    async hasOlderPending(recipientId, createdAt, id, exceptIds) {
      const older = await prisma.notification.findFirst({
        where: {
          recipientId,
          status: 'pending',
          id: { notIn: [...exceptIds] },
          OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }],
        },
        select: { id: true },
      });
      return older !== null;
    },

    async markProgress(id, token, progress) {
      await prisma.notification.updateMany({ where: { id, leaseToken: token }, data: { progress } });
    },

    async releaseAbandoned(instancePrefix, currentPrefix) {
      const { count } = await prisma.notification.updateMany({
        where: {
          status: 'pending',
          leaseToken: { startsWith: instancePrefix },
          NOT: { leaseToken: { startsWith: currentPrefix } },
        },
        data: { leaseUntil: null, leaseToken: null },
      });
      return count;
    },

    async release(row, token, update) {
      const { count } = await prisma.notification.updateMany({
        where: { id: row.id, leaseToken: token, status: 'pending' },
        data: {
          ...(update.nextAttemptAt === undefined ? {} : { nextAttemptAt: update.nextAttemptAt }),
          leaseUntil: null,
          leaseToken: null,
          ...(update.held === undefined ? {} : { held: update.held }),
          ...(update.countAttempt ? { attempts: { increment: 1 } } : {}),
          ...(update.error === undefined ? {} : { lastError: update.error.slice(0, MAX_ERROR_LENGTH) }),
        },
      });
      if (count === 0) return;
      // Her later rows wait behind this one: order per member.
      if (update.held) {
        await prisma.notification.updateMany({
          where: { recipientId: row.recipientId, status: 'pending', held: null, id: { not: row.id } },
          data: { held: update.held },
        });
      }
      if (update.nextAttemptAt !== undefined) {
        await prisma.notification.updateMany({
          where: {
            recipientId: row.recipientId,
            status: 'pending',
            held: null,
            id: { not: row.id },
            nextAttemptAt: { lt: update.nextAttemptAt },
          },
          data: { nextAttemptAt: update.nextAttemptAt },
        });
      }
    },

    async holdAll(recipientId, reason) {
      await prisma.notification.updateMany({ where: { recipientId, status: 'pending' }, data: { held: reason } });
    },

    async prune(before, limit) {
      const old = await prisma.notification.findMany({
        where: { status: { in: ['sent', 'failed'] }, createdAt: { lt: before } },
        select: { id: true },
        take: limit,
      });
      if (old.length === 0) return 0;
      const { count } = await prisma.notification.deleteMany({ where: { id: { in: old.map((o) => o.id) } } });
      return count;
    },

    async summaryOf(recipientId) {
      const [pending, held, sent, failed, oldest, newest] = await Promise.all([
        prisma.notification.count({ where: { recipientId, status: 'pending', held: null } }),
        prisma.notification.count({ where: { recipientId, status: 'pending', held: { not: null } } }),
        prisma.notification.count({ where: { recipientId, status: 'sent' } }),
        prisma.notification.count({ where: { recipientId, status: 'failed' } }),
        prisma.notification.findFirst({ where: { recipientId }, orderBy: OLDEST_FIRST, select: { createdAt: true } }),
        prisma.notification.findFirst({
          where: { recipientId },
          orderBy: { createdAt: 'desc' },
          select: { createdAt: true },
        }),
      ]);
      return { pending, held, sent, failed, oldest: oldest?.createdAt ?? null, newest: newest?.createdAt ?? null };
    },
  };
}
