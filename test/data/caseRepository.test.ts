import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCaseRepository } from '../../src/data/caseRepository.ts';
import { openDatabase } from '../../src/data/database.ts';
import { createMemberRepository } from '../../src/data/memberRepository.ts';
import { createNotificationRepository } from '../../src/data/notificationRepository.ts';
import type { Case, CaseRepository } from '../../src/domain/cases.ts';
import type { MemberRepository } from '../../src/domain/member.ts';
import { describeEachProvider, freshDatabase, type FreshDatabase } from '../helpers/database.ts';

describeEachProvider('case repository', (provider) => {
  let db: FreshDatabase;
  let members: MemberRepository;
  let cases: CaseRepository;
  let memberId: string;
  let officerA: string;
  let officerB: string;
  beforeEach(async () => {
    db = await freshDatabase(provider);
    members = createMemberRepository(db.prisma);
    cases = createCaseRepository(db.prisma);
    const create = async (channelUserId: string) =>
      (await members.create({ channel: 'telegram', channelUserId, language: 'vi' })).id;
    memberId = await create('member');
    officerA = await create('officer-a');
    officerB = await create('officer-b');
  });
  afterEach(() => db.close());

  const now = new Date('2025-07-01T08:00:00.000Z');
  const later = new Date('2025-07-01T09:00:00.000Z');

  const open = (communeCode: string | null = '05443', who = memberId) =>
    cases.create({ type: 'talk', memberId: who, communeCode, details: { topic: 'vay vốn' }, createdAt: now });

  it('creates an open case with its details and reads it back as a plain object', async () => {
    const created = await open();
    expect(created).toEqual({
      id: expect.any(Number),
      type: 'talk',
      memberId,
      communeCode: '05443',
      details: { topic: 'vay vốn' },
      status: 'open',
      claimedById: null,
      claimedAt: null,
      closedAt: null,
      note: null,
      escalatedAt: null,
      createdAt: expect.any(Date),
    });
    expect(Object.keys(created)).not.toContain('updatedAt');
    expect(await cases.get(created.id)).toEqual(created);
    expect(await cases.get(created.id + 1000)).toBeNull();
    const row = await db.prisma.case.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.details).toEqual({ topic: 'vay vốn' });
  });

  it('claims an open case once', async () => {
    const { id } = await open();
    expect(await cases.claim(id, officerA, now)).toBe(true);
    expect(await cases.get(id)).toMatchObject({ status: 'claimed', claimedById: officerA, claimedAt: now });
    expect(await cases.claim(id, officerB, later)).toBe(false);
    expect(await cases.get(id)).toMatchObject({ status: 'claimed', claimedById: officerA, claimedAt: now });
    expect(await cases.claim(id + 1000, officerA, now)).toBe(false);
  });

  it('gives exactly one of several officers claiming at once the case, also across two connections', async () => {
    const { id } = await open();
    const other = await openDatabase(db.url);
    try {
      const otherCases = createCaseRepository(other.prisma);
      const claimers = [officerA, officerB, officerA, officerB];
      const results = await Promise.all(
        claimers.map((officer, i) => (i < 2 ? cases : otherCases).claim(id, officer, now)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = claimers[results.indexOf(true)];
      expect((await cases.get(id))?.claimedById).toBe(winner);
    } finally {
      await other.close();
    }
  });

  it('closes a claimed case once, keeping its claimer', async () => {
    const { id } = await open();
    await cases.claim(id, officerA, now);
    expect(await cases.close(id, 'done', 'called her back', later, officerA)).toBe(true);
    const closed = await cases.get(id);
    expect(closed).toMatchObject({ status: 'done', note: 'called her back', closedAt: later, claimedById: officerA });
    expect(await cases.close(id, 'rejected', 'again', later, officerB)).toBe(false);
    expect(await cases.get(id)).toEqual(closed);
    expect(await cases.claim(id, officerB, later)).toBe(false);
  });

  it('closes an open case directly, recording the closer as its handler', async () => {
    const { id } = await open();
    expect(await cases.close(id, 'approved', null, later, officerB)).toBe(true);
    expect(await cases.get(id)).toMatchObject({
      status: 'approved',
      note: null,
      closedAt: later,
      claimedById: officerB,
      claimedAt: later,
    });
    expect(await cases.close(id, 'approved', null, later, officerB)).toBe(false);
    expect(await cases.close(id + 1000, 'done', null, later, officerB)).toBe(false);
  });

  it('closes once when two officers close at once', async () => {
    const { id } = await open();
    const results = await Promise.all([
      cases.close(id, 'approved', 'a', later, officerA),
      cases.close(id, 'rejected', 'b', later, officerB),
      cases.claim(id, officerA, now),
    ]);
    expect(results.slice(0, 2).filter(Boolean)).toHaveLength(1);
    expect(['approved', 'rejected']).toContain((await cases.get(id))?.status);
  });

  describe('takeOverdue', () => {
    async function backdate(id: number, createdAt: Date): Promise<void> {
      await db.prisma.case.update({ where: { id }, data: { createdAt } });
    }
    const early = new Date('2025-07-01T06:00:00.000Z');

    it('marks open, never-escalated cases created before the date, and returns them once', async () => {
      const overdue1 = await open();
      const overdue2 = await open('05434');
      const recent = await open();
      const claimed = await open();
      const closed = await open();
      for (const c of [overdue1, overdue2, claimed, closed]) await backdate(c.id, early);
      await cases.claim(claimed.id, officerA, now);
      await cases.close(closed.id, 'done', null, now, officerA);

      const taken = await cases.takeOverdue(now, later);
      expect(taken.map((c) => c.id)).toEqual([overdue1.id, overdue2.id]);
      expect(taken[0]).toEqual({ ...overdue1, createdAt: early, escalatedAt: later });
      expect((await cases.get(overdue2.id))?.escalatedAt).toEqual(later);
      expect((await cases.get(recent.id))?.escalatedAt).toBeNull();

      expect(await cases.takeOverdue(now, later)).toEqual([]);
      // Still open: an escalated case can be claimed as usual.
      expect(await cases.claim(overdue1.id, officerB, later)).toBe(true);
    });

    it('never gives the same case to two instances scanning at once', async () => {
      const ids: number[] = [];
      for (let i = 0; i < 10; i++) {
        const c = await open();
        await backdate(c.id, early);
        ids.push(c.id);
      }
      const other = await openDatabase(db.url);
      try {
        const otherCases = createCaseRepository(other.prisma);
        const runs = await Promise.all([
          cases.takeOverdue(now, later),
          otherCases.takeOverdue(now, later),
          cases.takeOverdue(now, later),
          otherCases.takeOverdue(now, later),
        ]);
        const taken = runs.flat().map((c) => c.id);
        expect(taken.toSorted((a, b) => a - b)).toEqual(ids);
        expect(new Set(taken).size).toBe(taken.length);
        expect(await otherCases.takeOverdue(now, later)).toEqual([]);
      } finally {
        await other.close();
      }
    });
  });

  it('lists active cases of some communes, or everywhere for the whole province', async () => {
    const a = await open('05443');
    const b = await open('05434');
    const nowhere = await open(null);
    const claimed = await open('05443');
    const done = await open('05443');
    await cases.claim(claimed.id, officerA, now);
    await cases.close(done.id, 'done', null, now, officerA);

    const ids = (list: Case[]) => list.map((c) => c.id);
    expect(ids(await cases.listActive(['05443']))).toEqual([a.id, claimed.id]);
    expect(ids(await cases.listActive(['05443', '05434']))).toEqual([a.id, b.id, claimed.id]);
    expect(ids(await cases.listActive(['*']))).toEqual([a.id, b.id, nowhere.id, claimed.id]);
    expect(ids(await cases.listActive(['05434', '*']))).toEqual([a.id, b.id, nowhere.id, claimed.id]);
    expect(await cases.listActive(['99999'])).toEqual([]);
    expect(await cases.listActive([])).toEqual([]);
  });

  it('lists a member’s cases and all cases oldest first', async () => {
    const first = await open();
    const others = await open('05434', officerA);
    const second = await open();
    await cases.close(second.id, 'done', null, now, officerA);
    expect((await cases.listByMember(memberId)).map((c) => c.id)).toEqual([first.id, second.id]);
    expect(await cases.listByMember('nobody')).toEqual([]);
    expect((await cases.all()).map((c) => c.id)).toEqual([first.id, others.id, second.id]);
  });

  it('deleting a member deletes her cases and their notifications; deleting an officer unclaims', async () => {
    const notifications = createNotificationRepository(db.prisma);
    const hers = await open();
    const another = await open('05434', officerB);
    await cases.claim(another.id, officerA, now);
    await notifications.enqueue({
      recipientId: officerA,
      caseId: hers.id,
      kind: 'case',
      messages: [{ kind: 'text', text: 'Ca mới' }],
    });
    await notifications.enqueue({ recipientId: memberId, caseId: null, kind: 'memberUpdate', messages: [] });
    const kept = await notifications.enqueue({ recipientId: officerA, caseId: another.id, kind: 'case', messages: [] });

    expect(await members.delete(memberId)).toBe(true);
    expect(await cases.listByMember(memberId)).toEqual([]);
    expect(await cases.get(hers.id)).toBeNull();
    expect((await db.prisma.notification.findMany()).map((n) => n.id)).toEqual([kept.id]);

    expect(await members.delete(officerA)).toBe(true);
    expect(await cases.get(another.id)).toMatchObject({ status: 'claimed', claimedById: null });
    expect(await db.prisma.notification.count()).toBe(0);
  });

  it('keeps the conversation of a case in order; erases it with the member; an officer’s erasure keeps her words', async () => {
    const hers = await open();
    const other = await open('05434', officerB);
    const write = (caseId: number, author: 'member' | 'officer', authorId: string | null, text: string) =>
      cases.addMessage({ caseId, author, authorId, text, createdAt: now });
    expect(await write(hers.id, 'member', null, 'Nhà em ở thôn 3')).toEqual({
      id: expect.any(Number),
      caseId: hers.id,
      author: 'member',
      authorId: null,
      text: 'Nhà em ở thôn 3',
      createdAt: now,
    });
    // Same millisecond: the order of writing is kept.
    await write(hers.id, 'officer', officerA, 'Chị chờ em nhé');
    await write(hers.id, 'member', null, 'Vâng ạ');
    await write(other.id, 'officer', officerA, 'Ở ca khác');
    expect((await cases.messages(hers.id)).map((m) => [m.author, m.authorId, m.text])).toEqual([
      ['member', null, 'Nhà em ở thôn 3'],
      ['officer', officerA, 'Chị chờ em nhé'],
      ['member', null, 'Vâng ạ'],
    ]);
    expect(await cases.messages(hers.id + 1000)).toEqual([]);

    expect(await members.delete(officerA)).toBe(true);
    expect((await cases.messages(other.id)).map((m) => [m.authorId, m.text])).toEqual([[null, 'Ở ca khác']]);
    expect(await members.delete(memberId)).toBe(true);
    expect(await db.prisma.caseMessage.count({ where: { caseId: hers.id } })).toBe(0);
    expect(await db.prisma.caseMessage.count()).toBe(1);
  });

  it('refuses a stored row with a type, status or details the domain does not know', async () => {
    const bad = await db.prisma.case.create({ data: { type: 'gossip', memberId, details: {} } });
    await expect(cases.get(bad.id)).rejects.toThrow(/invalid stored value[\s\S]*type/);
    const badDetails = await db.prisma.case.create({ data: { type: 'talk', memberId, details: { n: 1 } } });
    await expect(cases.get(badDetails.id)).rejects.toThrow(/invalid stored value[\s\S]*details/);
  });
});
