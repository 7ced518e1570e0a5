import { afterEach, beforeEach, expect, it } from 'vitest';
import { createConversationRepository } from '../../src/data/conversationRepository.ts';
import { openDatabase } from '../../src/data/database.ts';
import { createMemberRepository } from '../../src/data/memberRepository.ts';
import type { ConversationRepository } from '../../src/domain/member.ts';
import { describeEachProvider, freshDatabase, type FreshDatabase } from '../helpers/database.ts';

describeEachProvider('conversation repository', (provider) => {
  let db: FreshDatabase;
  let conversations: ConversationRepository;
  let memberId: string;
  beforeEach(async () => {
    db = await freshDatabase(provider);
    conversations = createConversationRepository(db.prisma);
    ({ id: memberId } = await createMemberRepository(db.prisma).create({
      channel: 'telegram',
      channelUserId: '1',
      language: 'vi',
    }));
  });
  afterEach(() => db.close());

  it('saves, loads and bumps the version; a stale version is refused', async () => {
    expect(await conversations.load(memberId)).toBeNull();
    const data = { step: 'commune', answers: { name: 'Hoa' }, history: ['start'] };
    expect(await conversations.save(memberId, { flowId: 'register', data }, 0)).toBe(1);
    const loaded = await conversations.load(memberId);
    expect(loaded).toMatchObject({ flowId: 'register', data, version: 1 });
    expect(loaded?.updatedAt).toBeInstanceOf(Date);

    expect(await conversations.save(memberId, { flowId: null, data: null }, 1)).toBe(2);
    expect(await conversations.load(memberId)).toMatchObject({ flowId: null, data: null, version: 2 });

    expect(await conversations.save(memberId, { flowId: 'x', data: {} }, 1)).toBeNull(); // stale
    expect(await conversations.save(memberId, { flowId: 'x', data: {} }, 0)).toBeNull(); // "no row yet" is stale too
    expect(await conversations.load(memberId)).toMatchObject({ flowId: null, version: 2 });
  });

  it('of two saves with the same expected version, exactly one wins (first insert and later updates)', async () => {
    const other = await openDatabase(db.url); // a second connection, as a second process would have
    try {
      const theirs = createConversationRepository(other.prisma);
      const first = await Promise.all([
        conversations.save(memberId, { flowId: 'a', data: { by: 'us' } }, 0),
        theirs.save(memberId, { flowId: 'a', data: { by: 'them' } }, 0),
      ]);
      expect(first.filter((v) => v !== null)).toEqual([1]);

      const second = await Promise.all([
        conversations.save(memberId, { flowId: 'b', data: { by: 'us' } }, 1),
        theirs.save(memberId, { flowId: 'b', data: { by: 'them' } }, 1),
      ]);
      expect(second.filter((v) => v !== null)).toEqual([2]);
      const winner = second[0] === 2 ? 'us' : 'them';
      expect(await conversations.load(memberId)).toMatchObject({ data: { by: winner }, version: 2 });
    } finally {
      await other.close();
    }
  });

  it('clear forgets the state, and the next save starts from 0 again', async () => {
    await conversations.save(memberId, { flowId: 'a', data: {} }, 0);
    await conversations.clear(memberId);
    await conversations.clear(memberId); // nothing left: no error
    expect(await conversations.load(memberId)).toBeNull();
    expect(await conversations.save(memberId, { flowId: 'a', data: {} }, 0)).toBe(1);
  });

  it('refuses state for a member that does not exist', async () => {
    await expect(conversations.save('ghost', { flowId: null, data: {} }, 0)).rejects.toThrow();
  });
});
