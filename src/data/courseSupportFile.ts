// The courses' support policy (prisma/data/course-support.json, path COURSE_SUPPORT_FILE): Decision 46/2015/QĐ-TTg
// amounts per group in VND, meals and travel, the working-age rule and the age under which a child's data needs her
// legal representative. Figures are data, never constants in code; a wrong file stops the bot at start with every
// problem and its line ("line 4, column 19: groups.disability: ...").
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { SUPPORT_GROUP_IDS, type CourseSupportPolicy, type SupportGroupId } from '../domain/courses.ts';
import { checkJsonSource, type JsonSourceCheck } from './jsonSource.ts';

/** The file shipped with the bot (the default of COURSE_SUPPORT_FILE). */
export const DEFAULT_COURSE_SUPPORT_FILE = path.resolve(import.meta.dirname, '../../prisma/data/course-support.json');

const vnd = z.number().int().min(0).max(1_000_000_000);
const age = z.number().int().min(0).max(120);

/** The file's schema: every group present, ages ordered (min ≤ max, the child age not above the working maximum). */
export const courseSupportSchema = z
  .object({
    source: z.string().trim().min(1),
    groups: z.object(
      Object.fromEntries(SUPPORT_GROUP_IDS.map((id) => [id, vnd])) as Record<SupportGroupId, typeof vnd>,
    ),
    mealsPerDayVnd: vnd,
    travel: z.object({ vnd, minKm: z.number().min(0), priorityVnd: vnd, priorityMinKm: z.number().min(0) }).strict(),
    workingAge: z
      .object({ min: age, max: age })
      .strict()
      .refine((w) => w.min <= w.max, { message: 'min must not be above max', path: ['max'] }),
    childConsentBelow: age,
  })
  .strict() satisfies z.ZodType<CourseSupportPolicy>;

/** Checks the text of a support file: JSON syntax, then the schema, each problem with its line. */
export function checkCourseSupportSource(source: string): JsonSourceCheck<CourseSupportPolicy> {
  return checkJsonSource(source, courseSupportSchema);
}

/**
 * Reads and checks the support file. Throws an Error naming the file and every problem (unreadable, not JSON, a
 * missing or wrong figure) so the bot fails fast at start.
 */
export function loadCourseSupport(file: string = DEFAULT_COURSE_SUPPORT_FILE): CourseSupportPolicy {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`COURSE_SUPPORT_FILE: cannot read ${file} (${(error as Error).message})`, { cause: error });
  }
  const checked = checkCourseSupportSource(source);
  if (!checked.ok) {
    throw new Error(
      `COURSE_SUPPORT_FILE: ${file} is not a valid support file:\n  - ${checked.problems.join('\n  - ')}`,
    );
  }
  return checked.data;
}
