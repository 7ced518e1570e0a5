// The outbox: messages the bot sends on its own initiative, stored already rendered, until delivered.
import { z } from 'zod';
import type { OutboundChoice, OutboundMessage } from '../conversation/messages.ts';
import type { Notification, NotificationKind, NotificationRepository } from '../domain/cases.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { PrismaClient } from './database.ts';

const NOTIFICATION_KINDS = [
  'case',
  'caseUpdate',
  'relay',
  'digest',
  'escalation',
  'memberUpdate',
] as const satisfies readonly NotificationKind[];
// Fails to compile when the domain adds a kind that is not listed above.
const _everyKindListed: [Exclude<NotificationKind, (typeof NOTIFICATION_KINDS)[number]>] extends [never]
  ? true
  : never = true;

const NOTIFICATION_STATUSES = ['pending', 'sent', 'failed'] as const satisfies readonly Notification['status'][];

// The OutboundMessage shapes of src/conversation/messages.ts. zod drops keys it does not know, so a field added there
// and forgotten here would silently vanish from stored notifications: the checks below make that a compile error.
const outboundChoice = z.object({ label: z.string(), typed: z.string().optional(), data: z.string() });
const textMessage = z.object({ kind: z.literal('text'), text: z.string() });
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
    async enqueue({ recipientId, caseId, kind, messages, createdAt }) {
      const row = await prisma.notification.create({
        data: { recipientId, caseId, kind, messages: toJson(messages), ...(createdAt ? { createdAt } : {}) },
      });
      return toNotification(row);
    },

    async pendingFor(recipientId) {
      const rows = await prisma.notification.findMany({
        where: { recipientId, status: 'pending' },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      });
      return rows.map(toNotification);
    },

    async markSent(ids, now) {
      if (ids.length === 0) return;
      // Only unsent ones: the first delivery time of a notification is the one that counts.
      await prisma.notification.updateMany({
        where: { id: { in: [...ids] }, status: { not: 'sent' } },
        data: { status: 'sent', sentAt: now },
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
        data: { status: 'failed', lastError: reason.slice(0, MAX_ERROR_LENGTH) },
      });
    },

    async retryable(maxAttempts, limit) {
      const rows = await prisma.notification.findMany({
        where: { status: 'pending', attempts: { gte: 1, lt: maxAttempts } },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: limit,
      });
      return rows.map((row) => ({ ...toNotification(row), attempts: row.attempts }));
    },

    countPending: () => prisma.notification.count({ where: { status: 'pending' } }),
  };
}
