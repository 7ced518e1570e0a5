// Courses for the tests: a course as an admin creates it (through the real service), and a member who registers from
// her chat (consented, with a profile, on the channel and user id her chat uses).
import type { ChannelName } from '../../src/conversation/messages.ts';
import type { Course, CourseInput } from '../../src/domain/courses.ts';
import type { Member } from '../../src/domain/member.ts';
import type { Runtime } from '../../src/wiring.ts';

/** Xã Dân Tiến (prisma/data/areas.thai-nguyen-2025.json). */
export const DAN_TIEN = '05755';
const CLI = { kind: 'cli', operator: 'test' } as const;

/** A course in Dân Tiến starting 20/03/2026, registration until 17:00 15/03/2026 (local time); `over` changes it. */
export function courseInput(officerId: string | null, over: Partial<CourseInput> = {}): CourseInput {
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
    eligibilityNotes: 'Phụ nữ trong độ tuổi lao động',
    support: 'decision46',
    officerId,
    status: 'open',
    ...over,
  };
}

/** Creates the course through the service (as the admin CLI does); throws when it is refused. */
export async function createCourse(
  rt: Runtime,
  officerId: string | null,
  over: Partial<CourseInput> = {},
): Promise<Course> {
  const created = await rt.features.courses.service.create(CLI, courseInput(officerId, over));
  if (!created.ok) throw new Error(`course not created: ${JSON.stringify(created)}`);
  return created.value;
}

/** A member who consented, with a full profile (name, Dân Tiến, phone, born 1990); `patch` changes it. */
export async function courseMember(
  rt: Runtime,
  channel: ChannelName,
  userId: string,
  now: Date,
  patch: Partial<Member> = {},
): Promise<Member> {
  const created = await rt.members.create({ channel, channelUserId: userId, language: 'vi' });
  // The basic consent as first contact gives it today: with announcements (issue 14), so she is not asked about them.
  if (patch.consentAt !== null) await rt.features.consent.decide(created, 'announcements', true, now);
  return rt.members.update(created.id, {
    displayName: 'Nguyễn Thị Lan',
    communeCode: DAN_TIEN,
    phone: '+84912345678',
    consentAt: now,
    birthYear: 1990,
    ...patch,
  });
}
