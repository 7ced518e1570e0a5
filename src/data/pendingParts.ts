// Parts of a message a platform sends in pieces (Telegram album photos), kept in the database until their group is
// handed to the bot, so a restart loses none; see PendingPartStore.
import { CHANNELS, type ChannelName, type PendingPart, type PendingPartStore } from '../conversation/messages.ts';
import { isPrismaError, type PrismaClient } from './database.ts';

interface PartRow {
  channel: string;
  userId: string;
  groupId: string;
  messageId: string;
  ref: string;
  caption: string | null;
  languageHint: string | null;
  receivedAt: Date;
}

function toPart(row: PartRow): PendingPart {
  const channel = CHANNELS.find((c) => c === row.channel);
  if (!channel) throw new Error(`PendingPart ${row.messageId} has an invalid channel`);
  return {
    channel,
    userId: row.userId,
    groupId: row.groupId,
    messageId: row.messageId,
    ref: row.ref,
    receivedAt: row.receivedAt,
    ...(row.caption === null ? {} : { caption: row.caption }),
    ...(row.languageHint === null ? {} : { languageHint: row.languageHint }),
  };
}

export function createPendingPartStore(prisma: PrismaClient): PendingPartStore {
  return {
    async add(part) {
      // Insert-or-fail: the unique (channel, messageId) recognises a redelivered part atomically, across processes.
      try {
        await prisma.pendingPart.create({
          data: {
            channel: part.channel,
            userId: part.userId,
            groupId: part.groupId,
            messageId: part.messageId,
            ref: part.ref,
            caption: part.caption ?? null,
            languageHint: part.languageHint ?? null,
            receivedAt: part.receivedAt,
          },
        });
        return true;
      } catch (error) {
        if (isPrismaError(error, 'P2002')) return false;
        throw error;
      }
    },

    async open(channel: ChannelName, groupId: string) {
      const rows = await prisma.pendingPart.findMany({
        where: { channel, groupId, doneAt: null },
        orderBy: [{ receivedAt: 'asc' }, { id: 'asc' }],
      });
      return rows.map(toPart);
    },

    async openGroups(channel) {
      const rows = await prisma.pendingPart.groupBy({
        by: ['groupId', 'userId'],
        where: { channel, doneAt: null },
        _max: { receivedAt: true },
      });
      return rows.map((r) => ({ groupId: r.groupId, userId: r.userId, lastAt: r._max.receivedAt ?? new Date(0) }));
    },

    async done(channel, messageIds, at) {
      await prisma.pendingPart.updateMany({
        where: { channel, messageId: { in: [...messageIds] }, doneAt: null },
        data: { doneAt: at, ref: '', caption: null },
      });
    },

    async prune(before) {
      const { count } = await prisma.pendingPart.deleteMany({ where: { doneAt: { lt: before } } });
      return count;
    },
  };
}
