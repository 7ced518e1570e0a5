// The courses' pure rules (src/domain/courses.ts) on the shipped support file: the working-age rule from data, the
// questions asked only while they can change the support group, the highest group, "supported once per person",
// and the support file's checks.
import { describe, expect, it } from 'vitest';
import { checkCourseSupportSource, loadCourseSupport } from '../../../src/data/courseSupportFile.ts';
import {
  ageCheck,
  markBlock,
  nextSupportQuestion,
  storedSupport,
  supportDecision,
  threeMonthsAfter,
  type SupportAnswers,
} from '../../../src/domain/courses.ts';

const policy = loadCourseSupport();
const supported: { support: 'decision46' | 'none' } = { support: 'decision46' };

/** Answers the questions in the order asked, from a script of answers; returns what was asked and the decision. */
function interview(script: SupportAnswers, alreadySupported = false, course = supported) {
  const answers: SupportAnswers = script.noSensitive ? { noSensitive: true } : {};
  const asked: string[] = [];
  for (
    let q = nextSupportQuestion(course, answers, alreadySupported);
    q;
    q = nextSupportQuestion(course, answers, alreadySupported)
  ) {
    asked.push(q);
    Object.assign(answers, { [q]: script[q] ?? false });
    if (asked.length > 10) throw new Error('loops');
  }
  return { asked, decision: supportDecision(course, answers, alreadySupported, policy) };
}

describe('the support file', () => {
  it('holds the Decision 46/2015 figures, working age 15–55 and the child age 16, with its source', () => {
    expect(policy.groups).toEqual({
      disability: 6_000_000,
      poorEthnicOrDifficult: 4_000_000,
      priority: 3_000_000,
      nearPoor: 2_500_000,
      other: 2_000_000,
    });
    expect(policy.workingAge).toEqual({ min: 15, max: 55 });
    expect(policy.childConsentBelow).toBe(16);
    expect(policy.source).toContain('46/2015');
  });

  it('names each problem with its line', () => {
    const bad = '{\n  "source": "x",\n  "groups": { "disability": -1 },\n  "mealsPerDayVnd": 30000\n}';
    const checked = checkCourseSupportSource(bad);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.problems.join('\n')).toMatch(/line 3.*groups\.disability/);
    expect(checked.problems.join('\n')).toMatch(/workingAge/);
    expect(() => loadCourseSupport('/nonexistent/course-support.json')).toThrow(/COURSE_SUPPORT_FILE/);
  });
});

describe('the working-age rule (from the file, not the code)', () => {
  const start = '2026-09-01';

  it('reads the age she reaches in the year the course starts: 16–55 ok, over 55 an officer checks', () => {
    expect(ageCheck(2010, start, policy)).toBe('ok'); // 16
    expect(ageCheck(1990, start, policy)).toBe('ok');
    expect(ageCheck(1971, start, policy)).toBe('ok'); // 55
    expect(ageCheck(1970, start, policy)).toBe('officerCheck'); // 56: never a flat refusal
  });

  it('under 16 is a child (no registration by chat), whatever the working age says', () => {
    expect(ageCheck(2011, start, policy)).toBe('child'); // 15
    expect(ageCheck(2020, start, policy)).toBe('child');
  });

  it('no birth year: unknown', () => {
    expect(ageCheck(null, start, policy)).toBe('unknown');
    expect(ageCheck(undefined, start, policy)).toBe('unknown');
  });

  it('follows the figures of the file: another working age, another child age', () => {
    const other = { workingAge: { min: 18, max: 60 }, childConsentBelow: 14 };
    expect(ageCheck(2011, start, other)).toBe('officerCheck'); // 15: below 18, not a child under 14
    expect(ageCheck(2013, start, other)).toBe('child'); // 13
    expect(ageCheck(1967, start, other)).toBe('ok'); // 59
  });
});

describe('the support questions and the decision (Decision 46/2015: the highest group)', () => {
  it('disability yes: the highest group at once, nothing else asked', () => {
    expect(interview({ disability: true })).toEqual({
      asked: ['disability'],
      decision: { kind: 'group', group: 'disability', vnd: 6_000_000 },
    });
  });

  it('a poor household: ethnic minority yes → 4 M, without asking the commune', () => {
    expect(interview({ household: 'poor', ethnicMinority: true })).toEqual({
      asked: ['disability', 'household', 'ethnicMinority'],
      decision: { kind: 'group', group: 'poorEthnicOrDifficult', vnd: 4_000_000 },
    });
  });

  it('a poor household in an extremely difficult commune → 4 M; elsewhere → 3 M (priority)', () => {
    expect(interview({ household: 'poor', difficultCommune: true })).toEqual({
      asked: ['disability', 'household', 'ethnicMinority', 'difficultCommune'],
      decision: { kind: 'group', group: 'poorEthnicOrDifficult', vnd: 4_000_000 },
    });
    expect(interview({ household: 'poor' }).decision).toEqual({ kind: 'group', group: 'priority', vnd: 3_000_000 });
  });

  it('not poor: ethnic minority → 3 M without more questions; another priority group → 3 M', () => {
    expect(interview({ household: 'none', ethnicMinority: true })).toEqual({
      asked: ['disability', 'household', 'ethnicMinority'],
      decision: { kind: 'group', group: 'priority', vnd: 3_000_000 },
    });
    expect(interview({ household: 'nearPoor', otherPriority: true })).toEqual({
      asked: ['disability', 'household', 'ethnicMinority', 'otherPriority'],
      decision: { kind: 'group', group: 'priority', vnd: 3_000_000 },
    });
  });

  it('near-poor → 2.5 M; none of these → 2 M', () => {
    expect(interview({ household: 'nearPoor' }).decision).toEqual({ kind: 'group', group: 'nearPoor', vnd: 2_500_000 });
    expect(interview({ household: 'none' }).decision).toEqual({ kind: 'group', group: 'other', vnd: 2_000_000 });
  });

  it('she declined the consent for sensitive questions: disability and ethnic minority are never asked', () => {
    const poor = interview({ noSensitive: true, household: 'poor', difficultCommune: true });
    expect(poor.asked).toEqual(['household', 'difficultCommune']);
    expect(poor.decision).toEqual({ kind: 'group', group: 'poorEthnicOrDifficult', vnd: 4_000_000 });
    const other = interview({ noSensitive: true, household: 'none', disability: true, ethnicMinority: true });
    expect(other.asked).toEqual(['household', 'otherPriority']);
    // Her "answers" to questions not asked count for nothing.
    expect(other.decision).toEqual({ kind: 'group', group: 'other', vnd: 2_000_000 });
  });

  it('supported once per person: nothing asked, no amount', () => {
    expect(interview({ disability: true }, true)).toEqual({ asked: [], decision: { kind: 'alreadySupported' } });
    expect(storedSupport({ kind: 'alreadySupported' })).toEqual({ supportGroup: 'alreadySupported', supportVnd: 0 });
  });

  it('a course without support: nothing asked', () => {
    expect(interview({ disability: true }, false, { support: 'none' })).toEqual({
      asked: [],
      decision: { kind: 'none' },
    });
    expect(storedSupport({ kind: 'none' })).toEqual({ supportGroup: null, supportVnd: null });
  });
});

describe('three months after completion', () => {
  it('counts calendar months, the last day when the month is shorter', () => {
    expect(threeMonthsAfter('2026-03-02')).toBe('2026-06-02');
    expect(threeMonthsAfter('2026-11-30')).toBe('2027-02-28');
    expect(threeMonthsAfter('2026-03-31')).toBe('2026-06-30');
  });
});

describe('when the roll call may be marked (local dates)', () => {
  const course = { startDate: '2027-01-20', endDate: '2027-02-10' };
  it('attendance and absence from the start date, completion from the end date', () => {
    expect(markBlock(course, 'completed', '2026-12-07')).toBe('notStarted');
    expect(markBlock(course, 'attended', '2027-01-19')).toBe('notStarted');
    expect(markBlock(course, 'absent', '2027-01-19')).toBe('notStarted');
    expect(markBlock(course, 'attended', '2027-01-20')).toBeNull();
    expect(markBlock(course, 'absent', '2027-01-20')).toBeNull();
    expect(markBlock(course, 'completed', '2027-02-09')).toBe('notEnded');
    expect(markBlock(course, 'completed', '2027-02-10')).toBeNull();
  });
});
