// Courses and registrations in the database (Prisma, SQLite and PostgreSQL), handed to the core as domain objects.
// The seat limit holds through ONE conditional statement: `UPDATE "Course" SET "seatsTaken" = "seatsTaken" + 1 WHERE
// "id" = ? AND "seatsTaken" < "seats"` — SQLite runs one writer at a time, and PostgreSQL locks the row, so a second
// writer re-reads it after the first commits and its condition fails when the last seat went; no two registrations can
// take one seat whatever the number of bot processes. Status changes are compare-and-set updates (`transition`).
// Everything runs in the caller's (ambient) transaction.
import { z } from 'zod';
import {
  CANCEL_REASONS,
  COURSE_OCCUPATIONS,
  COURSE_STATUSES,
  COURSE_SUPPORT,
  REGISTRATION_STATUSES,
  SEAT_HOLDING,
  TRAINING_OUTCOMES,
  type Course,
  type CourseRegistration,
  type CourseRepository,
  type RegistrationStatus,
} from '../domain/courses.ts';
import type { PrismaClient } from './database.ts';

// Enumerations are plain string columns (portable across providers): check them on the way out.
const storedCourse = z.object({
  occupation: z.enum(COURSE_OCCUPATIONS),
  status: z.enum(COURSE_STATUSES),
  support: z.enum(COURSE_SUPPORT),
});
const storedRegistration = z.object({
  status: z.enum(REGISTRATION_STATUSES),
  cancelReason: z.enum(CANCEL_REASONS).nullable(),
  outcome: z.enum(TRAINING_OUTCOMES).nullable(),
  outcomeSource: z.enum(['chat', 'officer']).nullable(),
});

type CourseRow = Omit<Course, 'occupation' | 'status' | 'support'> & {
  occupation: string;
  status: string;
  support: string;
};

type RegistrationRow = Omit<CourseRegistration, 'status' | 'cancelReason' | 'outcome' | 'outcomeSource'> & {
  status: string;
  cancelReason: string | null;
  outcome: string | null;
  outcomeSource: string | null;
  updatedAt?: Date;
};

/** A stored course as the core sees it; an invalid stored value fails loudly here. */
export function toCourse(row: CourseRow): Course {
  const parsed = storedCourse.safeParse(row);
  if (!parsed.success)
    throw new Error(`Course ${row.id} has an invalid stored value: ${z.prettifyError(parsed.error)}`);
  return {
    id: row.id,
    titleVi: row.titleVi,
    titleEn: row.titleEn,
    ...parsed.data,
    organiser: row.organiser,
    communeCode: row.communeCode,
    address: row.address,
    startDate: row.startDate,
    endDate: row.endDate,
    schedule: row.schedule,
    seats: row.seats,
    seatsTaken: row.seatsTaken,
    registrationDeadline: row.registrationDeadline,
    eligibilityNotes: row.eligibilityNotes,
    officerId: row.officerId,
    externalKey: row.externalKey,
    cancelledAt: row.cancelledAt,
    revision: row.revision,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** A stored registration as the core sees it. */
export function toRegistration(row: RegistrationRow): CourseRegistration {
  const parsed = storedRegistration.safeParse(row);
  if (!parsed.success) {
    throw new Error(`CourseRegistration ${row.id} has an invalid stored value: ${z.prettifyError(parsed.error)}`);
  }
  return {
    id: row.id,
    courseId: row.courseId,
    memberId: row.memberId,
    ...parsed.data,
    waitingSince: row.waitingSince,
    offeredAt: row.offeredAt,
    offerExpiresAt: row.offerExpiresAt,
    cancelledAt: row.cancelledAt,
    supportGroup: row.supportGroup,
    supportVnd: row.supportVnd,
    attendedAt: row.attendedAt,
    completedAt: row.completedAt,
    outcomeAt: row.outcomeAt,
    outcomeChannel: row.outcomeChannel,
    outcomeAskedAt: row.outcomeAskedAt,
    officerToldAt: row.officerToldAt,
    remindedFor: row.remindedFor,
    createdAt: row.createdAt,
  };
}

const VISIBLE: string[] = ['open', 'closed'];
const WAITING_ORDER = [{ waitingSince: 'asc' }, { id: 'asc' }] as const;

export function createCourseRepository(prisma: PrismaClient): CourseRepository {
  const one = async (id: number) => {
    const row = await prisma.courseRegistration.findUnique({ where: { id } });
    return row === null ? null : toRegistration(row);
  };

  return {
    async create(input) {
      const { status, externalKey, ...fields } = input;
      const row = await prisma.course.create({
        data: { ...fields, status: status ?? 'draft', externalKey: externalKey ?? null },
      });
      return toCourse(row);
    },

    async update(id, patch) {
      const { count } = await prisma.course.updateMany({ where: { id }, data: patch });
      if (count === 0) return null;
      const row = await prisma.course.findUnique({ where: { id } });
      return row === null ? null : toCourse(row);
    },

    async get(id) {
      const row = await prisma.course.findUnique({ where: { id } });
      return row === null ? null : toCourse(row);
    },

    async byExternalKey(key) {
      const row = await prisma.course.findUnique({ where: { externalKey: key } });
      return row === null ? null : toCourse(row);
    },

    async listVisible({ today, communeCode, occupation, offset, limit }) {
      const where = {
        status: { in: VISIBLE },
        startDate: { gte: today },
        ...(occupation === null ? {} : { occupation }),
      };
      const order = [{ startDate: 'asc' as const }, { id: 'asc' as const }];
      const [total, local] = await Promise.all([
        prisma.course.count({ where }),
        communeCode === null ? Promise.resolve(0) : prisma.course.count({ where: { ...where, communeCode } }),
      ]);
      // Her commune's courses first, then the others: two ordered queries stitched at the page's window.
      const courses: Course[] = [];
      if (communeCode !== null && offset < local) {
        const rows = await prisma.course.findMany({
          where: { ...where, communeCode },
          orderBy: order,
          skip: offset,
          take: limit,
        });
        courses.push(...rows.map(toCourse));
      }
      const rest = limit - courses.length;
      if (rest > 0) {
        const rows = await prisma.course.findMany({
          where: communeCode === null ? where : { ...where, communeCode: { not: communeCode } },
          orderBy: order,
          skip: Math.max(0, offset - local),
          take: rest,
        });
        courses.push(...rows.map(toCourse));
      }
      return { courses, total };
    },

    async listAll({ status, offset, limit }) {
      const where = status === undefined ? {} : { status };
      const [total, rows] = await Promise.all([
        prisma.course.count({ where }),
        prisma.course.findMany({ where, orderBy: [{ startDate: 'desc' }, { id: 'desc' }], skip: offset, take: limit }),
      ]);
      return { courses: rows.map(toCourse), total };
    },

    async takeSeat(courseId) {
      // The seat lock: one conditional statement, atomic on both providers (see the file's head).
      const changed =
        await prisma.$executeRaw`UPDATE "Course" SET "seatsTaken" = "seatsTaken" + 1 WHERE "id" = ${courseId} AND "seatsTaken" < "seats"`;
      return changed === 1;
    },

    async releaseSeat(courseId) {
      await prisma.$executeRaw`UPDATE "Course" SET "seatsTaken" = "seatsTaken" - 1 WHERE "id" = ${courseId} AND "seatsTaken" > 0`;
    },

    async lockCourse(courseId) {
      await prisma.$executeRaw`UPDATE "Course" SET "seatsTaken" = "seatsTaken" WHERE "id" = ${courseId}`;
    },

    registration: one,

    async registrationOf(courseId, memberId) {
      const row = await prisma.courseRegistration.findUnique({ where: { courseId_memberId: { courseId, memberId } } });
      return row === null ? null : toRegistration(row);
    },

    async upsertRegistration(courseId, memberId, fields) {
      const row = await prisma.courseRegistration.upsert({
        where: { courseId_memberId: { courseId, memberId } },
        create: { courseId, memberId, ...fields },
        update: fields,
      });
      return toRegistration(row);
    },

    async transition(id, from, fields) {
      const { count } = await prisma.courseRegistration.updateMany({
        where: { id, status: { in: [...from] } },
        data: fields,
      });
      return count === 0 ? null : one(id);
    },

    async waitingPlace(registrationId) {
      const mine = await prisma.courseRegistration.findUnique({ where: { id: registrationId } });
      if (mine?.status !== 'waiting' || mine.waitingSince === null) return null;
      const ahead = await prisma.courseRegistration.count({
        where: {
          courseId: mine.courseId,
          status: 'waiting',
          OR: [{ waitingSince: { lt: mine.waitingSince } }, { waitingSince: mine.waitingSince, id: { lt: mine.id } }],
        },
      });
      return ahead + 1;
    },

    async firstWaiting(courseId) {
      const row = await prisma.courseRegistration.findFirst({
        where: { courseId, status: 'waiting' },
        orderBy: [...WAITING_ORDER],
      });
      return row === null ? null : toRegistration(row);
    },

    async registrationsOf(courseId, statuses) {
      const rows = await prisma.courseRegistration.findMany({
        where: { courseId, ...(statuses ? { status: { in: [...statuses] } } : {}) },
        orderBy: [{ createdAt: 'asc' }, ...WAITING_ORDER],
      });
      return rows.map(toRegistration);
    },

    async registrationsOfMember(memberId) {
      const rows = await prisma.courseRegistration.findMany({
        where: { memberId },
        include: { course: true },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      });
      return rows.map(({ course, ...registration }) => ({
        registration: toRegistration(registration),
        course: toCourse(course),
      }));
    },

    async lapsedOffers(now, limit) {
      const rows = await prisma.courseRegistration.findMany({
        where: { status: 'offered', offerExpiresAt: { lt: now } },
        orderBy: [{ offerExpiresAt: 'asc' }, { id: 'asc' }],
        take: limit,
      });
      return rows.map(toRegistration);
    },

    async hasSupportedCompletion(memberId) {
      const found = await prisma.courseRegistration.findFirst({
        where: { memberId, status: 'completed', supportVnd: { gt: 0 } },
        select: { id: true },
      });
      return found !== null;
    },

    async deleteOfMember(memberId) {
      const rows = await prisma.courseRegistration.findMany({
        where: { memberId },
        select: { id: true, courseId: true, status: true },
      });
      for (const row of rows) {
        if ((SEAT_HOLDING as readonly string[]).includes(row.status)) {
          await prisma.$executeRaw`UPDATE "Course" SET "seatsTaken" = "seatsTaken" - 1 WHERE "id" = ${row.courseId} AND "seatsTaken" > 0`;
        }
      }
      const { count } = await prisma.courseRegistration.deleteMany({ where: { memberId } });
      return count;
    },

    async coursesStarting(date) {
      const rows = await prisma.course.findMany({
        where: { startDate: date, status: { in: VISIBLE } },
        orderBy: { id: 'asc' },
      });
      return rows.map(toCourse);
    },

    async untold(limit) {
      const rows = await prisma.courseRegistration.findMany({
        where: { officerToldAt: null, status: { in: ['registered', 'waiting'] } },
        orderBy: [{ courseId: 'asc' }, { id: 'asc' }],
        take: limit,
      });
      return rows.map(toRegistration);
    },

    async dueOutcomes(completedBefore, limit) {
      const rows = await prisma.courseRegistration.findMany({
        where: { status: 'completed', outcome: null, outcomeAskedAt: null, completedAt: { lte: completedBefore } },
        orderBy: [{ completedAt: 'asc' }, { id: 'asc' }],
        take: limit,
      });
      return rows.map(toRegistration);
    },

    async forReport({ from, to }) {
      const rows = await prisma.courseRegistration.findMany({
        where: {
          course: {
            status: { not: 'cancelled' },
            ...(from || to ? { startDate: { ...(from ? { gte: from } : {}), ...(to ? { lte: to } : {}) } } : {}),
          },
        },
        include: { course: true },
        orderBy: [{ courseId: 'asc' }, { id: 'asc' }],
      });
      return rows.map(({ course, ...registration }) => ({
        registration: toRegistration(registration),
        course: toCourse(course),
      }));
    },
  };
}

/** Statuses a registration can be in (for a caller's type checks). */
export type { RegistrationStatus };
