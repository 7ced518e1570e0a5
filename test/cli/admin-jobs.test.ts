// `npm run admin -- jobs`: what needs a look — failed jobs with their errors (personal data redacted) and jobs
// nobody ran in time — in local time.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAdminArgs, runAdmin } from '../../src/cli/admin.ts';
import { createJobStore } from '../../src/data/jobStore.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';

const NOW = new Date('2026-12-03T02:00:00.000Z'); // 09:00 in Vietnam
const HOUR = 3_600_000;

let db: FreshDatabase;
beforeEach(async () => {
  db = await freshDatabase();
});
afterEach(() => db.close());

async function admin(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runAdmin(argv, {
    prisma: db.prisma,
    areasFile: 'prisma/data/areas.thai-nguyen-2025.json',
    clock: { now: () => NOW },
    out: (text) => (out += text),
    err: (text) => (err += text),
  });
  return { code, out, err };
}

describe('admin jobs', () => {
  it('lists failed and overdue jobs with their errors, personal data redacted, and counts them', async () => {
    const jobs = createJobStore(db.prisma);
    expect(await admin('jobs')).toEqual({ code: 0, out: 'No failed or overdue jobs.\n', err: '' });

    // A reminder that failed for good, whose error (stored by an older version) still carries a name and a phone.
    await db.prisma.job.create({
      data: {
        kind: 'courses.reminder',
        key: 'reminder:12:2026-12-03',
        payload: { member: 12 },
        status: 'failed',
        runAt: new Date(NOW.getTime() - 2 * HOUR),
        attempts: 5,
        maxAttempts: 5,
        lastError: 'Error: push to Nguyễn Thị Hoa 0912 345 678 refused',
        finishedAt: new Date(NOW.getTime() - HOUR),
      },
    });
    // The digest, due at 07:00 and still waiting at 09:00: no instance runs it.
    await jobs.declareRecurring({
      kind: 'cases.digest',
      schedule: 'daily 07:00',
      firstRunAt: new Date('2026-12-03T00:00:00Z'),
      maxAttempts: 5,
    });
    // Due in the future, or just due: not shown.
    await jobs.enqueue({ kind: 'remind', payload: {}, runAt: new Date(NOW.getTime() + HOUR), maxAttempts: 5 });
    await jobs.enqueue({ kind: 'remind', payload: {}, runAt: new Date(NOW.getTime() - 60_000), maxAttempts: 5 });

    const result = await admin('jobs');
    expect(result).toMatchObject({ code: 0, err: '' });
    const lines = result.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +KIND +STATE +TRIES +DUE +KEY +ERROR$/);
    expect(lines[1]).toMatch(
      /^1 +courses\.reminder +failed +5\/5 +2026-12-03 07:00:00 \+07:00 +reminder:12:2026-12-03 +Error: push to \[…\] \[number\] refused$/,
    );
    expect(lines[2]).toMatch(
      /^2 +cases\.digest +queued, overdue +0\/5 +2026-12-03 07:00:00 \+07:00 +recurring:cases\.digest *$/,
    );
    expect(lines[3]).toBe('1 failed, 1 overdue');
    expect(lines).toHaveLength(4);
    expect(result.out).not.toMatch(/Hoa|0912/);

    const all = await admin('jobs', '--all');
    expect(all.out.trimEnd().split('\n')).toHaveLength(6); // header, four jobs, counts
  });

  it('refuses bad options', () => {
    expect(parseAdminArgs(['jobs', '--limit', '0'])).toMatchObject({ ok: false });
    expect(parseAdminArgs(['jobs', 'retry'])).toMatchObject({ ok: false });
    expect(parseAdminArgs(['jobs', '--all', '--limit', '10'])).toEqual({
      ok: true,
      command: { name: 'jobs', all: true, limit: 10 },
    });
  });
});
