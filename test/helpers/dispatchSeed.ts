// Test rows for the broadcast dispatcher (tests, the crash test, the bench): members with their announcements
// consent, a broadcast already in `sending`, and one delivery per member, written in batches with Prisma directly
// (the core service's preparation job is tested on its own).
import type { PrismaClient } from '../../src/data/database.ts';
import type { BroadcastButton, BroadcastTexts } from '../../src/domain/broadcasts.ts';
import type { ChannelName } from '../../src/domain/channels.ts';
import type { OutboundMessage } from '../../src/conversation/messages.ts';
import type { BroadcastToSend } from '../../src/domain/broadcasts.ts';
import type { Language } from '../../src/domain/member.ts';

export interface SeedMember {
  channel?: ChannelName;
  channelUserId: string;
  language?: Language;
  lastInboundAt?: Date | null;
  unreachableAt?: Date | null;
  /** Her announcements consent: given (default), withdrawn, or none. */
  announcements?: 'given' | 'withdrawn' | 'none';
}

/** Creates members (ids returned in order), in batches. */
export async function seedMembers(prisma: PrismaClient, members: readonly SeedMember[], at: Date): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < members.length; i += 1000) {
    const slice = members.slice(i, i + 1000);
    const batchIds = slice.map(
      (_, k) => `m${String(i + k).padStart(7, '0')}-${Math.random().toString(36).slice(2, 8)}`,
    );
    await prisma.member.createMany({
      data: slice.map((m, k) => ({
        id: batchIds[k]!,
        channel: m.channel ?? 'telegram',
        channelUserId: m.channelUserId,
        language: m.language ?? 'vi',
        consentAt: at,
        lastInboundAt: m.lastInboundAt === undefined ? at : m.lastInboundAt,
        unreachableAt: m.unreachableAt ?? null,
      })),
    });
    const consents = slice.flatMap((m, k) =>
      (m.announcements ?? 'given') === 'none'
        ? []
        : [
            {
              memberId: batchIds[k]!,
              purpose: 'announcements',
              givenAt: at,
              withdrawnAt: m.announcements === 'withdrawn' ? at : null,
            },
          ],
    );
    if (consents.length > 0) await prisma.memberConsent.createMany({ data: consents });
    ids.push(...batchIds);
  }
  return ids;
}

export interface SeedBroadcast {
  texts?: BroadcastTexts;
  urgent?: boolean;
  zaloOutsideWindow?: 'skip' | 'promotion';
  status?: string;
  button?: BroadcastButton | null;
}

/** A broadcast in `sending` with one pending delivery per member (due at `at`); returns its id. */
export async function seedBroadcast(
  prisma: PrismaClient,
  memberIds: readonly string[],
  at: Date,
  options: SeedBroadcast = {},
): Promise<number> {
  const broadcast = await prisma.broadcast.create({
    data: {
      status: options.status ?? 'sending',
      texts: options.texts ?? { vi: 'Thông báo họp xét duyệt vốn vay', en: 'Loan review meeting' },
      audience: {},
      urgent: options.urgent ?? false,
      zaloOutsideWindow: options.zaloOutsideWindow ?? 'skip',
      expiresAt: new Date(at.getTime() + 7 * 86_400_000),
      ...(options.button ? { button: options.button } : {}),
      startedAt: at,
    },
  });
  const members = await prisma.member.findMany({
    where: { id: { in: [...memberIds] } },
    select: { id: true, channel: true, language: true },
  });
  const byId = new Map(members.map((m) => [m.id, m]));
  for (let i = 0; i < memberIds.length; i += 1000) {
    await prisma.broadcastDelivery.createMany({
      data: memberIds.slice(i, i + 1000).map((id) => ({
        broadcastId: broadcast.id,
        memberId: id,
        channel: byId.get(id)?.channel ?? 'telegram',
        language: byId.get(id)?.language ?? 'vi',
        nextAttemptAt: at,
      })),
    });
  }
  return broadcast.id;
}

/** A stand-in for the core service's render: the text in her language, else Vietnamese, else the other. */
export function plainRender(broadcast: BroadcastToSend, language: Language): OutboundMessage[] {
  const text = broadcast.texts[language] ?? broadcast.texts.vi ?? Object.values(broadcast.texts)[0] ?? '';
  return [{ kind: 'text', text }];
}
