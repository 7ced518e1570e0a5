import { afterEach, beforeEach, expect, it } from 'vitest';
import { createMemberRepository } from '../../src/data/memberRepository.ts';
import { createOfficerRepository } from '../../src/data/officerRepository.ts';
import type { Member, MemberRepository } from '../../src/domain/member.ts';
import type { OfficerRepository } from '../../src/domain/officers.ts';
import { describeEachProvider, freshDatabase, type FreshDatabase } from '../helpers/database.ts';

describeEachProvider('officer repository', (provider) => {
  let db: FreshDatabase;
  let members: MemberRepository;
  let officers: OfficerRepository;
  beforeEach(async () => {
    db = await freshDatabase(provider);
    members = createMemberRepository(db.prisma);
    officers = createOfficerRepository(db.prisma);
  });
  afterEach(() => db.close());

  let next = 0;
  const member = (): Promise<Member> =>
    members.create({ channel: 'telegram', channelUserId: `u-${++next}`, language: 'vi' });

  /** The stored rows, read with SQL rather than through the repository under test. */
  async function stored(memberId: string): Promise<{ role: string; areas: string[] }> {
    const [row] = await db.prisma.$queryRaw<{ role: string }[]>`SELECT role FROM "Member" WHERE id = ${memberId}`;
    const areas = await db.prisma.$queryRaw<{ communeCode: string }[]>`
      SELECT "communeCode" FROM "OfficerArea" WHERE "memberId" = ${memberId} ORDER BY "communeCode"`;
    return { role: row?.role ?? 'missing', areas: areas.map((a) => a.communeCode) };
  }

  it('assign sets the role and replaces the areas', async () => {
    const lan = await member();
    await officers.assign(lan.id, 'officer', ['05443', '05434']);
    expect(await stored(lan.id)).toEqual({ role: 'officer', areas: ['05434', '05443'] });
    expect(await officers.areasOf(lan.id)).toEqual(['05434', '05443']);

    await officers.assign(lan.id, 'admin', ['*']);
    expect(await stored(lan.id)).toEqual({ role: 'admin', areas: ['*'] });

    await officers.assign(lan.id, 'officer', ['05500', '05500']); // duplicates are harmless
    expect(await stored(lan.id)).toEqual({ role: 'officer', areas: ['05500'] });

    await officers.assign(lan.id, 'member', []);
    expect(await stored(lan.id)).toEqual({ role: 'member', areas: [] });
    expect(await officers.areasOf(lan.id)).toEqual([]);
    expect((await members.findById(lan.id))?.role).toBe('member');
  });

  it('assign changes nothing when it fails', async () => {
    const lan = await member();
    await officers.assign(lan.id, 'officer', ['05443']);
    await expect(officers.assign('missing', 'officer', ['05443'])).rejects.toThrow('Member missing does not exist');
    await expect(officers.assign(lan.id, 'member', ['05443'])).rejects.toThrow('A plain member has no areas');
    expect(await stored(lan.id)).toEqual({ role: 'officer', areas: ['05443'] });
    expect(await db.prisma.officerArea.count()).toBe(1);
  });

  it('lists officers and admins with their areas as domain members', async () => {
    const plain = await member();
    const lan = await member();
    const mai = await member();
    await officers.assign(lan.id, 'officer', ['05443']);
    await officers.assign(mai.id, 'admin', ['*']);

    const list = await officers.list();
    expect(list).toEqual([
      { member: { ...lan, role: 'officer' }, areas: ['05443'] },
      { member: { ...mai, role: 'admin' }, areas: ['*'] },
    ]);
    expect(Object.keys(list[0]?.member ?? {})).not.toContain('officerAreas');
    expect(list.map((o) => o.member.id)).not.toContain(plain.id);
  });

  it('forCommune finds exact area matches only; provinceWide those with "*"', async () => {
    const lan = await member();
    const hoa = await member();
    const mai = await member();
    const former = await member();
    await officers.assign(lan.id, 'officer', ['05443', '05434']);
    await officers.assign(hoa.id, 'officer', ['05434']);
    await officers.assign(mai.id, 'admin', ['*']);
    // Areas left behind on a member who is no longer an officer do not count.
    await db.prisma.officerArea.create({ data: { memberId: former.id, communeCode: '05443' } });

    const ids = (list: { member: Member }[]) => list.map((o) => o.member.id);
    expect(ids(await officers.forCommune('05443'))).toEqual([lan.id]);
    expect(ids(await officers.forCommune('05434'))).toEqual([lan.id, hoa.id]);
    expect(await officers.forCommune('05444')).toEqual([]);
    expect(await officers.forCommune('*')).toEqual(await officers.provinceWide());
    expect(await officers.provinceWide()).toEqual([{ member: { ...mai, role: 'admin' }, areas: ['*'] }]);
    expect((await officers.forCommune('05434'))[0]?.areas).toEqual(['05434', '05443']);
  });

  it('deleting a member deletes her areas', async () => {
    const lan = await member();
    await officers.assign(lan.id, 'officer', ['05443']);
    await members.delete(lan.id);
    expect(await db.prisma.officerArea.count()).toBe(0);
    expect(await officers.list()).toEqual([]);
  });
});
