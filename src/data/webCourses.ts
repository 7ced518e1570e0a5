// Reads of the web console's Courses section (src/web/pages/courses.ts) that the courses repository lacks: the
// catalogue filtered by status, commune and the officer's areas, the waiting-list length of the listed courses, and
// the communes that have courses (the commune filter's choices). Reads only: every change goes through the courses
// service (src/features/courses/service.ts).
import type { Course, CourseStatus } from '../domain/courses.ts';
import { toCourse } from './courseRepository.ts';
import type { PrismaClient } from './database.ts';

export interface CourseConsoleFilter {
  status?: CourseStatus;
  /** One commune's courses (its statistics code). */
  communeCode?: string;
  /**
   * What an officer may see: courses in these communes or in her charge (`officerId`). Null: every course (admins and
   * province-wide officers).
   */
  scope: { communes: readonly string[]; officerId: string } | null;
  /** Words in the Vietnamese or English title or the organiser (case-insensitive on SQLite for ASCII only). */
  search?: string;
  offset: number;
  limit: number;
}

export interface CourseConsoleQueries {
  /** Courses matching the filter, newest start first (as the CLI's list), with the total matching. */
  list(filter: CourseConsoleFilter): Promise<{ courses: Course[]; total: number }>;
  /** How many are on the waiting list of each course (courses with none are left out). */
  waitingCounts(courseIds: readonly number[]): Promise<Map<number, number>>;
  /** The distinct communes of the courses in scope (null: all), for the filter's choices. */
  communes(scope: CourseConsoleFilter['scope']): Promise<string[]>;
}

export function createCourseConsoleQueries(prisma: PrismaClient): CourseConsoleQueries {
  const scopeWhere = (scope: CourseConsoleFilter['scope']) =>
    scope === null ? {} : { OR: [{ communeCode: { in: [...scope.communes] } }, { officerId: scope.officerId }] };
  return {
    async list({ status, communeCode, scope, search, offset, limit }) {
      const words = search?.trim() ?? '';
      const where = {
        AND: [
          scopeWhere(scope),
          status === undefined ? {} : { status },
          communeCode === undefined ? {} : { communeCode },
          words === ''
            ? {}
            : {
                OR: [
                  { titleVi: { contains: words } },
                  { titleEn: { contains: words } },
                  { organiser: { contains: words } },
                ],
              },
        ],
      };
      const [total, rows] = await Promise.all([
        prisma.course.count({ where }),
        prisma.course.findMany({ where, orderBy: [{ startDate: 'desc' }, { id: 'desc' }], skip: offset, take: limit }),
      ]);
      return { courses: rows.map(toCourse), total };
    },

    async waitingCounts(courseIds) {
      if (courseIds.length === 0) return new Map();
      const groups = await prisma.courseRegistration.groupBy({
        by: ['courseId'],
        where: { courseId: { in: [...courseIds] }, status: 'waiting' },
        _count: { _all: true },
      });
      return new Map(groups.map((g) => [g.courseId, g._count._all]));
    },

    async communes(scope) {
      const rows = await prisma.course.findMany({
        where: scopeWhere(scope),
        distinct: ['communeCode'],
        select: { communeCode: true },
        orderBy: { communeCode: 'asc' },
      });
      return rows.map((r) => r.communeCode);
    },
  };
}
