import { afterEach, beforeEach, expect, it } from 'vitest';
import { createConversationRepository } from '../../src/data/conversationRepository.ts';
import { openDatabase } from '../../src/data/database.ts';
import { createMemberRepository } from '../../src/data/memberRepository.ts';
import type { MemberRepository } from '../../src/domain/member.ts';
import { describeEachProvider, freshDatabase, type FreshDatabase } from '../helpers/database.ts';

describeEachProvider('member repository', (provider) => {
  let db: FreshDatabase;
  let members: MemberRepository;
  beforeEach(async () => {
    db = await freshDatabase(provider);
    members = createMemberRepository(db.prisma);
  });
  afterEach(() => db.close());

  it('updates a member found by channel user in one call, and writes nothing for an unknown one', async () => {
    const created = await members.create({ channel: 'telegram', channelUserId: '7', language: 'vi' });
    await members.update(created.id, { unreachableAt: new Date('2026-12-01T00:00:00Z') });
    const seen = new Date('2026-12-07T10:00:00Z');
    const updated = await members.updateByChannelUser('telegram', '7', { lastInboundAt: seen, unreachableAt: null });
    expect(updated).toEqual({ ...created, lastInboundAt: seen, unreachableAt: null });
    expect(await members.findById(created.id)).toEqual(updated);
    // An unknown member: null and nothing written (Prisma reports no row, not a database error).
    expect(await members.updateByChannelUser('zalo', '7', { lastInboundAt: seen })).toBeNull();
    expect(await members.findByChannelUser('zalo', '7')).toBeNull();
  });

  it('creates a member with defaults and finds it by channel user and by id, as a plain object', async () => {
    const created = await members.create({ channel: 'telegram', channelUserId: '42', language: 'en' });
    expect(created.id).toMatch(/^\w{20,}$/);
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(created).toEqual({
      id: created.id,
      channel: 'telegram',
      channelUserId: '42',
      displayName: null,
      language: 'en',
      communeCode: null,
      phone: null,
      birthYear: null,
      consentAt: null,
      optedOutAt: null,
      role: 'member',
      unreachableAt: null,
      lastInboundAt: null,
      createdAt: created.createdAt,
    });
    expect(Object.keys(created)).not.toContain('updatedAt');
    expect(await members.findByChannelUser('telegram', '42')).toEqual(created);
    expect(await members.findById(created.id)).toEqual(created);
    expect(await members.findByChannelUser('zalo', '42')).toBeNull();
    expect(await members.findById('nope')).toBeNull();
  });

  it('create is idempotent under concurrency, within a process and across two connections', async () => {
    const other = await openDatabase(db.url);
    try {
      const otherMembers = createMemberRepository(other.prisma);
      const input = { channel: 'zalo', channelUserId: 'z-1', language: 'vi' } as const;
      const results = await Promise.all([
        members.create(input),
        otherMembers.create(input),
        members.create(input),
        otherMembers.create({ ...input, role: 'officer' }),
      ]);
      expect(new Set(results.map((m) => m.id)).size).toBe(1);
      expect(await db.prisma.member.count()).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('updates the patched fields only', async () => {
    const { id } = await members.create({ channel: 'console', channelUserId: 'c', language: 'vi' });
    const consentAt = new Date('2025-03-08T08:00:00.000Z');
    const updated = await members.update(id, { displayName: 'Lan', phone: '+84912345678', consentAt, role: 'officer' });
    expect(updated).toMatchObject({
      displayName: 'Lan',
      phone: '+84912345678',
      consentAt,
      role: 'officer',
      language: 'vi',
    });
    expect(await members.findById(id)).toEqual(updated);

    const cleared = await members.update(id, { phone: null, language: 'en' });
    expect(cleared).toMatchObject({ displayName: 'Lan', phone: null, language: 'en' });
    await expect(members.update('missing', { displayName: 'x' })).rejects.toThrow('Member missing does not exist');
  });

  it('delete removes the member and its conversation state (the rows are really gone)', async () => {
    const conversations = createConversationRepository(db.prisma);
    const { id } = await members.create({ channel: 'telegram', channelUserId: '7', language: 'vi' });
    const keep = await members.create({ channel: 'telegram', channelUserId: '8', language: 'vi' });
    await conversations.save(id, { flowId: 'register', data: { step: 'phone' } }, 0);
    await conversations.save(keep.id, { flowId: null, data: {} }, 0);

    expect(await members.delete(id)).toBe(true);
    // Count with SQL, not through the repositories under test (tagged: placeholders for either provider).
    const rows = await db.prisma.$queryRaw<{ members: bigint; states: bigint }[]>`
      SELECT (SELECT count(*) FROM "Member" WHERE "id" = ${id}) AS members,
             (SELECT count(*) FROM "ConversationState" WHERE "memberId" = ${id}) AS states`;
    expect(rows.map((r) => [Number(r.members), Number(r.states)])).toEqual([[0, 0]]);
    expect(await conversations.load(id)).toBeNull();
    expect(await members.delete(id)).toBe(false);
    // Nobody else's data went with it.
    expect(await members.findById(keep.id)).not.toBeNull();
    expect(await conversations.load(keep.id)).not.toBeNull();
  });

  it('refuses a row whose channel, language or role the domain does not know', async () => {
    const row = await db.prisma.member.create({ data: { channel: 'telegram', channelUserId: '9', language: 'fr' } });
    await expect(members.findById(row.id)).rejects.toThrow(/invalid stored value[\s\S]*language/);
  });
});
