// Test rows for the broadcast dispatcher (tests, the crash test, the bench): members with their announcements
// consent, a broadcast already in `sending`, and one delivery per member, written in batches with Prisma directly
// (the core service's preparation job is tested on its own).
import { sqliteFileOf, type PrismaClient } from '../../src/data/database.ts';
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

/** Creates members (ids returned in order), a batch per transaction (one commit each: fast on SQLite too). */
export async function seedMembers(prisma: PrismaClient, members: readonly SeedMember[], at: Date): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < members.length; i += 1000) {
    const slice = members.slice(i, i + 1000);
    const batchIds = slice.map(
      (_, k) => `m${String(i + k).padStart(7, '0')}-${Math.random().toString(36).slice(2, 8)}`,
    );
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
    {
      // Prisma's createMany goes row by row through the driver adapters: one multi-row INSERT per table instead (dates
      // as Prisma stores them on SQLite, "2026-12-01T15:30:00.000+00:00": compared as text there).
      const iso = (d: Date | null | undefined) => (d ? stamp(prisma, d) : null);
      await insertRows(
        prisma,
        'Member',
        [
          'id',
          'channel',
          'channelUserId',
          'language',
          'consentAt',
          'lastInboundAt',
          'unreachableAt',
          'role',
          'createdAt',
          'updatedAt',
        ],
        slice.map((m, k) => [
          batchIds[k]!,
          m.channel ?? 'telegram',
          m.channelUserId,
          m.language ?? 'vi',
          iso(at),
          iso(m.lastInboundAt === undefined ? at : m.lastInboundAt),
          iso(m.unreachableAt),
          'member',
          iso(at),
          iso(at),
        ]),
      );
      await insertRows(
        prisma,
        'MemberConsent',
        ['memberId', 'purpose', 'givenAt', 'withdrawnAt', 'updatedAt'],
        consents.map((c) => [c.memberId, c.purpose, iso(c.givenAt), iso(c.withdrawnAt), iso(at)]),
      );
    }
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
    const data = memberIds.slice(i, i + 1000).map((id) => ({
      broadcastId: broadcast.id,
      memberId: id,
      channel: byId.get(id)?.channel ?? 'telegram',
      language: byId.get(id)?.language ?? 'vi',
      nextAttemptAt: at,
    }));
    {
      const now = stamp(prisma, at);
      await insertRows(
        prisma,
        'BroadcastDelivery',
        [
          'id',
          'broadcastId',
          'memberId',
          'channel',
          'language',
          'status',
          'attempts',
          'uncertain',
          'nextAttemptAt',
          'createdAt',
          'updatedAt',
        ],
        data.map((d, k) => [
          `d${broadcast.id}-${i + k}-${Math.random().toString(36).slice(2, 8)}`,
          d.broadcastId,
          d.memberId,
          d.channel,
          d.language,
          'pending',
          0,
          sqliteFileOf(prisma) === undefined ? 'false' : 0,
          now,
          now,
          now,
        ]),
      );
    }
  }
  return broadcast.id;
}

/** A stand-in for the core service's render: the text in her language, else Vietnamese, else the other. */
export function plainRender(broadcast: BroadcastToSend, language: Language): OutboundMessage[] {
  const text = broadcast.texts[language] ?? broadcast.texts.vi ?? Object.values(broadcast.texts)[0] ?? '';
  return [{ kind: 'text', text }];
}

/** Multi-row INSERTs of `rows` into `table`, 500 rows a statement, in one transaction. */
async function insertRows(
  prisma: PrismaClient,
  table: string,
  columns: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number | null>>,
): Promise<void> {
  if (rows.length === 0) return;
  const head = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES `;
  const sqlite = sqliteFileOf(prisma) !== undefined;
  await prisma.$transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500);
      let n = 0;
      const values = chunk.map(() => `(${columns.map(() => (sqlite ? '?' : `$${++n}`)).join(', ')})`);
      await tx.$executeRawUnsafe(head + values.join(', '), ...chunk.flat());
    }
  });
}

/** A date as Prisma writes it on SQLite (ISO with "+00:00", compared as text), or ISO for PostgreSQL. */
function stamp(prisma: PrismaClient, date: Date): string {
  const iso = date.toISOString();
  return sqliteFileOf(prisma) === undefined ? iso : iso.replace(/Z$/, '+00:00');
}
