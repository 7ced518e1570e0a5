// Members in the database, handed to the core as plain domain objects.
import { z } from 'zod';
import { CHANNELS } from '../conversation/messages.ts';
import { LANGUAGES, ROLES, type Member, type MemberPatch, type MemberRepository } from '../domain/member.ts';
import { isPrismaError, type PrismaClient } from './database.ts';

// The columns are plain strings (portable across SQLite and PostgreSQL): check them on the way out so the core can
// trust the unions, and a bad row fails loudly here rather than deep inside a flow.
const storedEnums = z.object({ channel: z.enum(CHANNELS), language: z.enum(LANGUAGES), role: z.enum(ROLES) });

interface MemberRow extends Omit<Member, 'channel' | 'language' | 'role'> {
  channel: string;
  language: string;
  role: string;
}

export function toMember(row: MemberRow): Member {
  const parsed = storedEnums.safeParse(row);
  if (!parsed.success)
    throw new Error(`Member ${row.id} has an invalid stored value: ${z.prettifyError(parsed.error)}`);
  return {
    id: row.id,
    ...parsed.data,
    channelUserId: row.channelUserId,
    displayName: row.displayName,
    communeCode: row.communeCode,
    phone: row.phone,
    birthYear: row.birthYear,
    consentAt: row.consentAt,
    optedOutAt: row.optedOutAt,
    unreachableAt: row.unreachableAt,
    lastInboundAt: row.lastInboundAt,
    createdAt: row.createdAt,
  };
}

const PATCHABLE = [
  'displayName',
  'language',
  'communeCode',
  'phone',
  'birthYear',
  'consentAt',
  'optedOutAt',
  'role',
  'unreachableAt',
  'lastInboundAt',
] as const satisfies readonly (keyof MemberPatch)[];

/** Only the patchable fields, so an object with extra keys cannot touch id, channel, ... */
function patchable(patch: MemberPatch): MemberPatch {
  const data: MemberPatch = {};
  for (const key of PATCHABLE) {
    if (patch[key] !== undefined) Object.assign(data, { [key]: patch[key] });
  }
  return data;
}

export function createMemberRepository(prisma: PrismaClient): MemberRepository {
  const findByChannelUser: MemberRepository['findByChannelUser'] = async (channel, channelUserId) => {
    const row = await prisma.member.findUnique({ where: { channel_channelUserId: { channel, channelUserId } } });
    return row === null ? null : toMember(row);
  };

  return {
    findByChannelUser,

    async findById(id) {
      const row = await prisma.member.findUnique({ where: { id } });
      return row === null ? null : toMember(row);
    },

    async create({ channel, channelUserId, language, role = 'member' }) {
      try {
        return toMember(await prisma.member.create({ data: { channel, channelUserId, language, role } }));
      } catch (error) {
        // Another process (or request) created the same channel user first: the unique key kept one row; use it.
        if (!isPrismaError(error, 'P2002')) throw error;
        const existing = await findByChannelUser(channel, channelUserId);
        if (existing === null) throw error;
        return existing;
      }
    },

    async update(id, patch) {
      try {
        return toMember(await prisma.member.update({ where: { id }, data: patchable(patch) }));
      } catch (error) {
        if (isPrismaError(error, 'P2025')) throw new Error(`Member ${id} does not exist`, { cause: error });
        throw error;
      }
    },

    async updateByChannelUser(channel, channelUserId, patch) {
      try {
        const where = { channel_channelUserId: { channel, channelUserId } };
        return toMember(await prisma.member.update({ where, data: patchable(patch) }));
      } catch (error) {
        // No such member: Prisma found no row to update (no database error, so a transaction around it goes on).
        if (isPrismaError(error, 'P2025')) return null;
        throw error;
      }
    },

    async delete(id) {
      // The conversation state goes with it through the foreign key's ON DELETE CASCADE.
      const { count } = await prisma.member.deleteMany({ where: { id } });
      return count > 0;
    },
  };
}
