// The admin command line's courses commands on a real database: the import (line-precise problems, nothing
// half-imported, idempotent on externalKey), create / edit / open / cancel, the roll call CSV (its bytes: BOM, CRLF,
// contact columns only for members who consented), the attendance import (all or nothing), a phone-collected
// answer, and the report's counts on seeded data.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAdmin } from '../../src/cli/admin.ts';
import { parseCsv } from '../../src/domain/csv.ts';
import { createMemberRepository } from '../../src/data/memberRepository.ts';
import { createOfficerRepository } from '../../src/data/officerRepository.ts';
import type { RegistrationStatus } from '../../src/domain/courses.ts';
import type { Member } from '../../src/domain/member.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const AREAS_FILE = path.join(ROOT, 'prisma/data/areas.thai-nguyen-2025.json');
const NOW = new Date('2026-12-01T03:00:00.000Z');

let db: FreshDatabase;
let dir: string;
/** The CLI's clock: NOW unless a test moves it (reset before each test). */
let now = NOW;
beforeEach(async () => {
  now = NOW;
  db = await freshDatabase();
  dir = await mkdtemp(path.join(tmpdir(), 'hoi-vien-courses-'));
});
afterEach(async () => {
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

async function admin(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runAdmin(argv, {
    prisma: db.prisma,
    areasFile: AREAS_FILE,
    clock: { now: () => now },
    filesDir: path.join(dir, 'files'),
    out: (text) => (out += text),
    err: (text) => (err += text),
  });
  return { code, out, err };
}

async function member(userId: string, patch: Partial<Member> = {}): Promise<Member> {
  const members = createMemberRepository(db.prisma);
  const created = await members.create({ channel: 'telegram', channelUserId: userId, language: 'vi' });
  return Object.keys(patch).length === 0 ? created : members.update(created.id, patch);
}

async function file(name: string, content: string): Promise<string> {
  const full = path.join(dir, name);
  await writeFile(full, content);
  return full;
}

const HEADER =
  'externalKey,titleVi,occupation,organiser,commune,address,startDate,endDate,schedule,seats,registrationDeadline,status';
const row = (key: string, extra: { seats?: string; status?: string; title?: string } = {}) =>
  `${key},${extra.title ?? 'Chế biến chè'},tea,Trung tâm GDNN,Phan Đình Phùng,"Nhà văn hóa tổ 3, phường Phan Đình Phùng",` +
  `15/01/2027,15/03/2027,"Thứ 2–6, 7:30–11:00",${extra.seats ?? '20'},10/01/2027,${extra.status ?? 'open'}`;

/** A course with registrations in the given statuses (seats taken counted), for the roll call and the report. */
async function seedCourse(
  key: string,
  registrations: { member: Member; status: RegistrationStatus; patch?: Record<string, unknown> }[],
  commune = 'Phan Đình Phùng',
): Promise<number> {
  const created = await admin(
    'courses',
    'create',
    '--key',
    key,
    '--title-vi',
    `Khóa ${key}`,
    '--occupation',
    'sewing',
    '--organiser',
    'HTX May',
    '--commune',
    commune,
    '--address',
    'xóm 2',
    '--start',
    '5/12/2026',
    '--end',
    '20/12/2026',
    '--schedule',
    'sáng',
    '--seats',
    '10',
    '--deadline',
    '4/12/2026',
    '--status',
    'open',
  );
  expect(created).toMatchObject({ code: 0, err: '' });
  const course = await db.prisma.course.findUniqueOrThrow({ where: { externalKey: key } });
  let taken = 0;
  let waiting = 0;
  for (const r of registrations) {
    const holds = ['registered', 'offered', 'attended', 'absent', 'completed'].includes(r.status);
    if (holds) taken++;
    await db.prisma.courseRegistration.create({
      data: {
        courseId: course.id,
        memberId: r.member.id,
        status: r.status,
        ...(r.status === 'waiting' ? { waitingSince: new Date(NOW.getTime() + ++waiting * 1000) } : {}),
        ...(r.status === 'attended' || r.status === 'completed' ? { attendedAt: NOW } : {}),
        ...(r.status === 'completed' ? { completedAt: NOW } : {}),
        ...r.patch,
      },
    });
  }
  await db.prisma.course.update({ where: { id: course.id }, data: { seatsTaken: taken } });
  return course.id;
}

describe('courses import', () => {
  it('names every problem with its line and column, and imports nothing', async () => {
    const csv = [HEADER, row('TN-1'), row('TN-2', { seats: 'hai mươi' }), row('TN-3'), row('TN-1')].join('\r\n');
    const result = await admin('courses', 'import', await file('bad.csv', `\uFEFF${csv}\r\n`));
    expect(result).toMatchObject({ code: 1, out: '' });
    expect(result.err).toContain('was not imported (nothing was changed)');
    expect(result.err).toContain('line 3, column seats: must be a whole number ≥ 1');
    expect(result.err).toContain("line 5, column externalKey: 'TN-1' is already on line 2");
    expect(await db.prisma.course.count()).toBe(0);
  });

  it('creates, then updates by externalKey on a re-import; a row the service refuses rolls back every row', async () => {
    const first = await admin('courses', 'import', await file('a.csv', [HEADER, row('TN-1'), row('TN-2')].join('\n')));
    expect(first).toMatchObject({ code: 0, err: '' });
    expect(first.out).toContain('2 course(s) created, 0 updated');
    const again = await admin(
      'courses',
      'import',
      await file('b.csv', [HEADER, row('TN-1', { seats: '25' }), row('TN-2', { status: 'closed' })].join('\n')),
    );
    expect(again.out).toContain('0 course(s) created, 2 updated');
    const courses = await db.prisma.course.findMany({ orderBy: { id: 'asc' } });
    expect(courses.map((c) => [c.externalKey, c.seats, c.status, c.communeCode, c.startDate])).toEqual([
      ['TN-1', 25, 'open', '05443', '2027-01-15'],
      ['TN-2', 20, 'closed', '05443', '2027-01-15'],
    ]);

    // TN-2 cancelled; a file that creates TN-3 and edits TN-2 imports nothing at all.
    expect((await admin('courses', 'cancel', String(courses[1]!.id), '--yes')).code).toBe(0);
    const mixed = await admin(
      'courses',
      'import',
      await file('c.csv', [HEADER, row('TN-3'), row('TN-2', { title: 'Chè xanh' })].join('\n')),
    );
    expect(mixed.code).toBe(1);
    expect(mixed.err).toContain(`line 3: Course #${courses[1]!.id} is cancelled: it cannot be changed`);
    expect(await db.prisma.course.count()).toBe(2);
    expect(await db.prisma.course.findUnique({ where: { externalKey: 'TN-3' } })).toBeNull();
  });

  it('reads JSON with the line of each problem', async () => {
    const json = JSON.stringify(
      [
        {
          titleVi: 'May',
          occupation: 'sewing',
          organiser: 'HTX',
          commune: '05467',
          address: 'xóm 2',
          startDate: '2027-02-01',
          endDate: '2027-01-20',
          schedule: 'sáng',
          seats: 15,
          registrationDeadline: '2027-01-25',
        },
      ],
      null,
      2,
    );
    const result = await admin('courses', 'import', await file('c.json', json));
    expect(result.code).toBe(1);
    expect(result.err).toContain('line 9, column endDate: must be on or after the start date');
  });
});

describe('courses catalogue commands', () => {
  it('creates a draft, edits it, opens it, lists it; cancel asks for --yes', async () => {
    const officer = await member('off', { displayName: 'Cán bộ Hoa', phone: '+84912000111' });
    await createOfficerRepository(db.prisma).assign(officer.id, 'officer', ['05443']);
    const created = await admin(
      'courses',
      'create',
      '--title-vi',
      'Nấu ăn',
      '--occupation',
      'cooking',
      '--organiser',
      'Hội LHPN',
      '--commune',
      'gia sang',
      '--address',
      'Hội trường',
      '--start',
      '15/1/2027',
      '--end',
      '20/1/2027',
      '--schedule',
      'chiều',
      '--seats',
      '12',
      '--deadline',
      '17:00 10/1/2027',
      '--officer',
      '0912 000 111',
    );
    expect(created.code).toBe(0);
    const id = Number(/#(\d+)/.exec(created.out)?.[1]);
    expect(created.out).toContain(`Created course #${id} "Nấu ăn" (draft)`);
    const stored = await db.prisma.course.findUniqueOrThrow({ where: { id } });
    expect(stored).toMatchObject({ officerId: officer.id, communeCode: '05467', status: 'draft', seats: 12 });
    expect(stored.registrationDeadline.toISOString()).toBe('2027-01-10T10:00:00.000Z');

    const bad = await admin('courses', 'edit', String(id), '--seats', '0', '--end', '1/1/2027');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--seats: must be a whole number ≥ 1');
    expect((await admin('courses', 'edit', String(id), '--seats', '15')).code).toBe(0);
    expect((await admin('courses', 'open', String(id))).out).toContain('registration open');
    const list = await admin('courses', 'list');
    expect(list.out).toMatch(
      new RegExp(`${id}\\s+Đang nhận đăng ký\\s+15/01/2027\\s+0/15\\s+Phường Gia Sàng\\s+Nấu ăn`),
    );

    const unconfirmed = await admin('courses', 'cancel', String(id));
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.err).toContain('has 0 member(s) registered or waiting');
    expect((await db.prisma.course.findUniqueOrThrow({ where: { id } })).status).toBe('open');
    expect((await admin('courses', 'show', '99')).err).toContain('No course #99');
  });

  it('says every problem at once, in the operator language, naming the options typed', async () => {
    const base = ['--title-vi', 'May', '--occupation', 'sewing', '--organiser', 'HTX May', '--commune', 'gia sang'];
    const rest = ['--address', 'Hội trường', '--end', '20/1/2027', '--schedule', 'sáng'];
    // A field problem and a date-order problem: both in one answer (not one after the other).
    const bad = await admin(
      'courses',
      'create',
      ...base,
      ...rest,
      '--start',
      '15/1/2027',
      '--seats',
      '0',
      '--deadline',
      '16/1/2027',
    );
    expect(bad.code).toBe(2);
    expect(bad.err).toBe(
      'Not saved:\n  --seats: must be a whole number ≥ 1\n  --deadline: must be no later than the start date\n',
    );
    const nameless = await member('nameless', { phone: '+84912000222' });
    await createOfficerRepository(db.prisma).assign(nameless.id, 'officer', ['05443']);
    const created = await admin(
      'courses',
      'create',
      ...base,
      ...rest,
      '--start',
      '15/1/2027',
      '--seats',
      '10',
      '--deadline',
      '10/1/2027',
      '--officer',
      '0912000222',
    );
    expect(created.code).toBe(0);
    const id = /#(\d+)/.exec(created.out)![1]!;
    // The same date problem found by the service against the stored start: the same words, no other language.
    const edited = await admin('courses', 'edit', id, '--deadline', '16/1/2027');
    expect(edited).toMatchObject({
      code: 2,
      err: 'Not saved:\n  --deadline: must be no later than the start date\n',
    });
    // `show` is a table in the CLI's language (Vietnamese by default): an officer without a name in it too.
    const shown = await admin('courses', 'show', id);
    expect(shown.out).toContain(`(chưa có tên) (${nameless.id})`);
    expect(shown.out).not.toContain('(no name)');
  });
});

describe('courses rollcall and attendance', () => {
  it('writes the roll call for Excel with contact details only where she consented, and imports it back', async () => {
    const lan = await member('lan', { displayName: 'Nguyễn Thị Lan', phone: '+84912345678', consentAt: NOW });
    const mai = await member('mai', { displayName: 'Trần Thị Mai', phone: '+84987654321' }); // no consent
    const hoa = await member('hoa', { displayName: '=Lê Thị Hoa', phone: '+84911111111', consentAt: NOW });
    const id = await seedCourse('R-1', [
      { member: lan, status: 'registered', patch: { supportGroup: 'nearPoor', supportVnd: 3_000_000 } },
      { member: mai, status: 'registered' },
      { member: hoa, status: 'waiting' },
    ]);
    const out = path.join(dir, 'roll.csv');
    const result = await admin('courses', 'rollcall', String(id), '--out', out);
    expect(result.code).toBe(0);
    const bytes = await readFile(out);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const content = bytes.toString('utf8');
    expect(content).toContain('\r\n');
    expect(content.replace(/\r\n/g, '')).not.toContain('\n');
    const parsed = parseCsv(content);
    if (!parsed.ok) throw new Error('unreadable roll call');
    const [header, ...rows] = parsed.records.map((r) => r.cells);
    expect(header).toEqual([
      'Mã đăng ký',
      'Danh sách',
      'Thứ tự chờ',
      'Họ tên',
      'Điện thoại',
      'Xã/phường',
      'Mức hỗ trợ',
      'Có đi học',
      'Hoàn thành',
      'Ghi chú',
    ]);
    expect(rows.map((r) => r.slice(1, 7))).toEqual([
      ['Đã đăng ký', '', 'Nguyễn Thị Lan', "'+84912345678", '', 'Hộ cận nghèo'],
      ['Đã đăng ký', '', '(chị chưa đồng ý chia sẻ thông tin liên hệ)', '', '', ''],
      ['Danh sách chờ', '1', "'=Lê Thị Hoa", "'+84911111111", '', ''],
    ]);
    // The bytes Excel reads: the phone is text (a leading ' ), never the number 84912345678; a name starting with
    // "=" is no formula.
    expect(content).toContain(`,'+84912345678,`);
    expect(content).toContain(`,'=Lê Thị Hoa,'+84911111111,`);
    expect(content).not.toMatch(/,[=+\-@]/);
    expect(content).not.toContain('Trần Thị Mai');
    expect(content).not.toContain('987654321');

    // The officer marks Lan completed, Mai present, and (by mistake) Hoa who is waiting: nothing is imported.
    const [lanRow, maiRow, hoaRow] = rows.map((r) => [...r]);
    lanRow![8] = 'x';
    maiRow![7] = 'có';
    hoaRow![7] = 'x';
    const filled = [header!, lanRow!, maiRow!, hoaRow!].map((r) => r.map((c) => `"${c}"`).join(';')).join('\r\n');
    const refused = await admin('courses', 'attendance', String(id), await file('filled.csv', filled));
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`line 4, column Danh sách: registration ${hoaRow![0]!} is waiting`);
    const statuses = async () =>
      (await db.prisma.courseRegistration.findMany({ orderBy: { id: 'asc' } })).map((r) => r.status);
    expect(await statuses()).toEqual(['registered', 'registered', 'waiting']);

    hoaRow![7] = '';
    const good = [header!, lanRow!, maiRow!, hoaRow!].map((r) => r.join(',')).join('\r\n');
    // Before the course starts (05/12/2026) nothing is marked, and nothing is half-imported.
    const early = await admin('courses', 'attendance', String(id), await file('early.csv', good));
    expect(early.code).not.toBe(0);
    expect(early.err).toContain(`Course #${id} has not started yet: attendance is recorded from its start date`);
    expect(await statuses()).toEqual(['registered', 'registered', 'waiting']);
    now = new Date('2026-12-21T03:00:00.000Z'); // the day after it ended
    const imported = await admin('courses', 'attendance', String(id), await file('good.csv', good));
    expect(imported).toMatchObject({ code: 0, err: '' });
    expect(imported.out).toContain('1 marked completed, 1 attended, 0 absent');
    expect(await statuses()).toEqual(['completed', 'attended', 'waiting']);
    // The same file again changes nothing.
    expect((await admin('courses', 'attendance', String(id), await file('good2.csv', good))).out).toContain(
      '0 marked completed, 0 attended, 0 absent',
    );

    // Lan's three-month answer, collected by phone.
    const recorded = await admin('courses', 'outcome', lanRow![0]!, 'partly');
    expect(recorded.code).toBe(0);
    expect(await db.prisma.courseRegistration.findUniqueOrThrow({ where: { id: Number(lanRow![0]) } })).toMatchObject({
      outcome: 'partly',
      outcomeSource: 'officer',
    });
    expect((await admin('courses', 'outcome', maiRow![0]!, 'yes')).code).toBe(2);
    expect((await admin('courses', 'outcome', maiRow![0]!, 'yes')).err).toContain(
      'This registration is not completed: a three-month answer is recorded only after completion',
    );

    // Mai did not come after all ("0" under attended): recorded as absent, shown so on the next roll call, in
    // `courses show`, and it can be read back.
    maiRow![7] = '0';
    const absent = [header!, lanRow!, maiRow!, hoaRow!].map((r) => r.join(',')).join('\r\n');
    expect((await admin('courses', 'attendance', String(id), await file('absent.csv', absent))).out).toContain(
      '0 marked completed, 0 attended, 1 absent',
    );
    expect(await statuses()).toEqual(['completed', 'absent', 'waiting']);
    await admin('courses', 'rollcall', String(id), '--out', out);
    const again = parseCsv((await readFile(out)).toString('utf8'));
    if (!again.ok) throw new Error('unreadable roll call');
    expect(again.records[2]!.cells.slice(1, 2).concat(again.records[2]!.cells.slice(7, 9))).toEqual(['Vắng', '0', '']);
    expect((await admin('courses', 'show', String(id))).out).toContain('Vắng 1');
    expect((await admin('courses', 'attendance', String(id), await file('absent2.csv', absent))).out).toContain(
      '0 marked completed, 0 attended, 0 absent',
    );
  });

  it('refuses an answer it does not know in one line naming the accepted answers, without the whole help', async () => {
    const wrong = await admin('courses', 'outcome', '3', 'maybe');
    expect(wrong).toEqual({
      code: 2,
      out: '',
      err: "courses outcome: the answer must be one of yes, partly, notYet (got 'maybe')\n",
    });
  });
});

describe('courses report', () => {
  it('counts registered, attended, completed and earning per course and commune, with the response rate', async () => {
    const people = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((u) => member(u)));
    const [a, b, c, d, e, f, g, h] = people as [Member, Member, Member, Member, Member, Member, Member, Member];
    const asked = { outcomeAskedAt: NOW };
    const one = await seedCourse('P-1', [
      { member: a, status: 'completed', patch: { ...asked, outcome: 'yes', outcomeChannel: 'telegram' } },
      { member: b, status: 'completed', patch: { ...asked, outcome: 'partly', outcomeChannel: 'officer' } },
      { member: c, status: 'completed', patch: asked },
      { member: d, status: 'attended' },
      { member: e, status: 'registered' },
      { member: f, status: 'cancelled' },
      { member: h, status: 'absent' },
    ]);
    const two = await seedCourse(
      'P-2',
      [
        { member: a, status: 'completed', patch: { ...asked, outcome: 'notYet', outcomeChannel: 'zalo' } },
        { member: g, status: 'waiting' },
      ],
      'Gia Sàng',
    );
    const json = await admin('courses', 'report', '--json');
    expect(json.code).toBe(0);
    const report = JSON.parse(json.out) as {
      byCourse: { courseId: number; registered: number; attended: number; completed: number }[];
      byCommune: { communeCode: string }[];
      total: Record<string, unknown>;
    };
    expect(report.byCourse.find((r) => r.courseId === one)).toMatchObject({
      registered: 6,
      attended: 4,
      absent: 1,
      completed: 3,
      earning: 1,
      earningPartly: 1,
      asked: 3,
      answered: 2,
      answeredByChannel: { telegram: 1, officer: 1 },
    });
    expect(report.byCourse.find((r) => r.courseId === two)).toMatchObject({
      registered: 1,
      completed: 1,
      earning: 0,
      asked: 1,
      answered: 1,
    });
    expect(report.byCommune.map((r) => r.communeCode).sort()).toEqual(['05443', '05467']);
    // The province's total: what the Union reports (trained, finished, earning from it).
    expect(report.total).toMatchObject({
      registered: 7,
      attended: 5,
      absent: 1,
      completed: 4,
      earning: 1,
      earningPartly: 1,
    });

    const text = await admin('courses', 'report', '--lang', 'en');
    expect(text.out).toMatch(
      new RegExp(`#${one} Khóa P-1\\s+6\\s+4\\s+1\\s+3\\s+1\\s+1\\s+2/3 \\(67%\\)\\s+officer 1, telegram 1`),
    );
    expect(text.out).toContain('ABSENT');
    expect(text.out).toMatch(/Phan Đình Phùng ward\s+6\s+4\s+1\s+3\s+1\s+1\s+2\/3 \(67%\)/);
    expect(text.out).toContain('ANSWERED/ASKED');
    expect(text.out).toMatch(/Total\s+7\s+5\s+1\s+4\s+1\s+1\s+3\/4 \(75%\)\s+officer 1, telegram 1, zalo 1/);
    // Courses starting after the range are left out.
    const later = JSON.parse((await admin('courses', 'report', '--json', '--from', '1/1/2027')).out) as {
      byCourse: unknown[];
    };
    expect(later.byCourse).toEqual([]);
  });
});
