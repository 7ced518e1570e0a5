// Seats are never overbooked: 200 members registering for a 20-seat course at the same instant, through two bot
// runtimes with their own database clients (two Prisma clients in this one test process, standing for two bot
// processes on one database: separate processes would add seconds of start-up for the same database behaviour), end
// with exactly 20 registered and 180 waiting, numbered 1–180, and no error for anyone. Two cancellations at once
// never give one seat to two people. Then the repository's own queries: her commune first, waiting places, erasure.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase } from '../../src/data/database.ts';
import type { CourseInput } from '../../src/domain/courses.ts';
import type { Member } from '../../src/domain/member.ts';
import type { Runtime } from '../../src/wiring.ts';
import { HOUR, realRuntime, TestClock } from '../helpers/chat.ts';
import { describeEachProvider, freshDatabase, type FreshDatabase } from '../helpers/database.ts';

const DAN_TIEN = '05755';
const PHAN_DINH_PHUNG = '05443';
const CLI = { kind: 'cli', operator: 'test' } as const;
const SUPPORT = { kind: 'group', group: 'other', vnd: 2_000_000 } as const;

function courseInput(over: Partial<CourseInput> = {}): CourseInput {
  return {
    titleVi: 'Chế biến chè xanh',
    titleEn: 'Green tea processing',
    occupation: 'tea',
    organiser: 'Trung tâm GDNN-GDTX Đại Từ',
    communeCode: DAN_TIEN,
    address: 'Nhà văn hóa xóm 3',
    startDate: '2026-03-20',
    endDate: '2026-04-10',
    schedule: 'Thứ 2–6, 7:30–11:00',
    seats: 20,
    registrationDeadline: new Date('2026-03-15T10:00:00Z'),
    eligibilityNotes: null,
    support: 'decision46',
    officerId: null,
    status: 'open',
    ...over,
  };
}

describeEachProvider('course seats', (provider) => {
  let db: FreshDatabase;
  let rt: Runtime;
  let closeSecond: (() => Promise<void>) | undefined;
  const clock = new TestClock();

  beforeEach(async () => {
    db = await freshDatabase(provider);
    rt = realRuntime(db.prisma, clock);
  });
  afterEach(async () => {
    await closeSecond?.();
    closeSecond = undefined;
    await db.close();
  });

  async function members(n: number, prefix: string, communeCode = DAN_TIEN): Promise<Member[]> {
    const list: Member[] = [];
    for (let i = 0; i < n; i++) {
      const m = await rt.members.create({ channel: 'console', channelUserId: `${prefix}${i}`, language: 'vi' });
      list.push(await rt.members.update(m.id, { displayName: `${prefix}${i}`, communeCode, birthYear: 1990 }));
    }
    return list;
  }

  it('200 registrations at once for 20 seats, on two runtimes: exactly 20 registered, 180 waiting, no error', async () => {
    const second = await openDatabase(db.url);
    closeSecond = second.close;
    const rt2 = realRuntime(second.prisma, clock);
    const created = await rt.features.courses.service.create(CLI, courseInput());
    if (!created.ok) throw new Error('course not created');
    const course = created.value;
    const people = await members(200, 'm');

    const started = Date.now();
    const results = await Promise.all(
      people.map((member, i) => {
        const runtime = i % 2 === 0 ? rt : rt2;
        const { service } = runtime.features.courses;
        // As the chat does: register; when full, join the waiting list — each her own unit of work (a turn).
        return runtime.transactor.run(async () => {
          const first = await service.register(member, course.id, SUPPORT);
          return first.kind === 'full' ? service.joinWaitingList(member, course.id, SUPPORT) : first;
        });
      }),
    );
    expect(Date.now() - started).toBeLessThan(30_000);

    const kinds = results.map((r) => r.kind);
    expect(kinds.filter((k) => k === 'registered')).toHaveLength(20);
    expect(kinds.filter((k) => k === 'waiting')).toHaveLength(180);
    const places = results.flatMap((r) => (r.kind === 'waiting' ? [r.place] : [])).sort((a, b) => a - b);
    expect(new Set(places).size).toBe(180);
    expect(places[0]).toBe(1);
    expect(places[179]).toBe(180);

    const stored = await db.prisma.courseRegistration.groupBy({ by: ['status'], _count: true });
    expect(Object.fromEntries(stored.map((s) => [s.status, s._count]))).toEqual({ registered: 20, waiting: 180 });
    expect((await db.prisma.course.findUniqueOrThrow({ where: { id: course.id } })).seatsTaken).toBe(20);
  }, 60_000);

  it('two cancellations at once offer two seats to the first two waiting, never one seat to two', async () => {
    const second = await openDatabase(db.url);
    closeSecond = second.close;
    const rt2 = realRuntime(second.prisma, clock);
    const { service } = rt.features.courses;
    const created = await service.create(CLI, courseInput({ seats: 2 }));
    if (!created.ok) throw new Error('course not created');
    const [a, b, w1, w2, w3] = await members(5, 'c');
    const regA = await service.register(a!, created.value.id, SUPPORT);
    const regB = await service.register(b!, created.value.id, SUPPORT);
    for (const w of [w1!, w2!, w3!]) {
      expect((await service.register(w, created.value.id, SUPPORT)).kind).toBe('full');
      expect((await service.joinWaitingList(w, created.value.id, SUPPORT)).kind).toBe('waiting');
    }
    if (regA.kind !== 'registered' || regB.kind !== 'registered') throw new Error('not registered');

    const [ca, cb] = await Promise.all([
      service.cancelMine(a!, regA.registration.id),
      rt2.features.courses.service.cancelMine(b!, regB.registration.id),
    ]);
    expect(ca.ok && cb.ok).toBe(true);

    const byMember = async (m: Member) =>
      (await db.prisma.courseRegistration.findFirstOrThrow({ where: { memberId: m.id } })).status;
    expect([await byMember(w1!), await byMember(w2!), await byMember(w3!)]).toEqual(['offered', 'offered', 'waiting']);
    expect((await db.prisma.course.findUniqueOrThrow({ where: { id: created.value.id } })).seatsTaken).toBe(2);
    // The third is now first on the waiting list.
    const mine = await service.mine(w3!);
    expect(mine[0]?.place).toBe(1);
  }, 30_000);

  it('browse: her commune first, then the others by start date; paged by five; drafts and past courses hidden', async () => {
    const { service } = rt.features.courses;
    const make = async (title: string, over: Partial<CourseInput>) => {
      const r = await service.create(CLI, courseInput({ titleVi: title, ...over }));
      if (!r.ok) throw new Error(JSON.stringify(r));
      return r.value;
    };
    await make('Xa 1', {
      communeCode: PHAN_DINH_PHUNG,
      startDate: '2026-03-10',
      endDate: '2026-03-30',
      registrationDeadline: new Date('2026-03-08T00:00:00Z'),
    });
    await make('Nha 2', { startDate: '2026-04-20', endDate: '2026-05-01' });
    await make('Nha 1', { startDate: '2026-03-25', endDate: '2026-04-01' });
    await make('Xa 2', { communeCode: PHAN_DINH_PHUNG, startDate: '2026-05-10', endDate: '2026-05-30' });
    await make('Nhap', { status: 'draft' });
    // Created ten days ago (a start date in the past is refused now), it has started since.
    clock.advance(-10 * 24 * HOUR);
    await make('Da qua', {
      startDate: '2026-03-01',
      endDate: '2026-03-05',
      registrationDeadline: new Date('2026-02-25T00:00:00Z'),
    });
    clock.advance(10 * 24 * HOUR);
    for (let i = 0; i < 4; i++)
      await make(`Khac ${i}`, { communeCode: PHAN_DINH_PHUNG, startDate: '2026-06-01', endDate: '2026-06-30' });
    const [lan] = await members(1, 'lan');

    const first = await service.browse(lan!, { occupation: null, page: 0 });
    expect(first.total).toBe(8);
    expect(first.courses.map((c) => c.titleVi)).toEqual(['Nha 1', 'Nha 2', 'Xa 1', 'Xa 2', 'Khac 0']);
    const second = await service.browse(lan!, { occupation: null, page: 1 });
    expect(second.courses.map((c) => c.titleVi)).toEqual(['Khac 1', 'Khac 2', 'Khac 3']);
    expect((await service.browse(lan!, { occupation: 'sewing', page: 0 })).total).toBe(0);
  });
});
