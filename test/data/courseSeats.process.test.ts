// Seats across two bot PROCESSES on one database: 200 members register for a 20-seat course at the same instant, 100
// through this process and 100 through a child process with its own runtime and database client
// (test/helpers/courseRegistrar.ts). Exactly 20 registered and 180 waiting (places 1–180), no error for anyone.
// PostgreSQL only: several instances share a PostgreSQL database (README "Database and migrations"); SQLite serves
// one bot process (its own test with two runtimes in one process is in courseRepository.test.ts).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CourseInput } from '../../src/domain/courses.ts';
import type { Member } from '../../src/domain/member.ts';
import type { Runtime } from '../../src/wiring.ts';
import { realRuntime, TestClock } from '../helpers/chat.ts';
import { freshDatabase, requirePostgres, type FreshDatabase } from '../helpers/database.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SUPPORT = { kind: 'group', group: 'other', vnd: 2_000_000 } as const;

const COURSE: CourseInput = {
  titleVi: 'May công nghiệp',
  titleEn: null,
  occupation: 'sewing',
  organiser: 'Trung tâm GDNN Phổ Yên',
  communeCode: '05755',
  address: 'Hội trường xã',
  startDate: '2026-03-20',
  endDate: '2026-04-10',
  schedule: 'Sáng thứ 2–6',
  seats: 20,
  registrationDeadline: new Date('2026-03-15T10:00:00Z'),
  eligibilityNotes: null,
  support: 'decision46',
  officerId: null,
  status: 'open',
};

/** The child bot process, started and ready (its runtime built); `go()` starts its registrations. */
async function childRegistrar(url: string, courseId: number, members: Member[]) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/helpers/courseRegistrar.ts', url, String(courseId), members.map((m) => m.id).join(',')],
    { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const line = await lines.next();
    if (line.done) throw new Error('the second bot process ended early');
    return line.value;
  };
  expect(await next()).toBe('ready');
  return {
    go: async (): Promise<{ kinds: string[]; errors: string[] }> => {
      child.stdin.write('go\n');
      return JSON.parse(await next()) as { kinds: string[]; errors: string[] };
    },
    kill: () => child.kill('SIGKILL'),
  };
}

describe('course seats across two bot processes [postgresql]', () => {
  requirePostgres();
  let db: FreshDatabase;
  let rt: Runtime;
  let kill: (() => void) | undefined;
  beforeEach(async () => {
    db = await freshDatabase('postgresql');
    rt = realRuntime(db.prisma, new TestClock());
  });
  afterEach(async () => {
    kill?.();
    await db.close();
  });

  it('200 at once for 20 seats: exactly 20 registered, 180 waiting, no error', async () => {
    const created = await rt.features.courses.service.create({ kind: 'cli', operator: 'test' }, COURSE);
    if (!created.ok) throw new Error('course not created');
    const members: Member[] = [];
    for (let i = 0; i < 200; i++) {
      const m = await rt.members.create({ channel: 'console', channelUserId: `s${i}`, language: 'vi' });
      members.push(await rt.members.update(m.id, { displayName: `S${i}`, birthYear: 1992 }));
    }
    const child = await childRegistrar(db.url, created.value.id, members.slice(100));
    kill = child.kill;
    const { service } = rt.features.courses;
    const [theirs, ours] = await Promise.all([
      child.go(),
      Promise.all(
        members.slice(0, 100).map((member) =>
          rt.transactor.run(async () => {
            const first = await service.register(member, created.value.id, SUPPORT);
            return first.kind === 'full' ? service.joinWaitingList(member, created.value.id, SUPPORT) : first;
          }),
        ),
      ),
    ]);
    expect(theirs.errors).toEqual([]);
    const kinds = [...theirs.kinds, ...ours.map((r) => r.kind)];
    expect(kinds.filter((k) => k === 'registered')).toHaveLength(20);
    expect(kinds.filter((k) => k === 'waiting')).toHaveLength(180);
    // Both processes took part in the race for seats.
    expect(theirs.kinds.length).toBe(100);

    expect((await db.prisma.course.findUniqueOrThrow({ where: { id: created.value.id } })).seatsTaken).toBe(20);
    const byId = new Map(members.map((m) => [m.id, m]));
    const waiting = await db.prisma.courseRegistration.findMany({ where: { status: 'waiting' } });
    const places: number[] = [];
    for (const w of waiting) places.push((await service.mine(byId.get(w.memberId)!))[0]?.place ?? 0);
    expect(places.sort((a, b) => a - b)).toEqual(Array.from({ length: 180 }, (_, i) => i + 1));
  }, 60_000);
});
