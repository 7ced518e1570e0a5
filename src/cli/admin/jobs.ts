// `jobs`: what needs a look in the job runner's table — failed jobs with their (redacted) errors and jobs nobody ran
// in time — or every job with --all. An operator's listing: kinds, states and errors are printed as stored.
import { OVERDUE_AFTER_MS, redactText } from '../../app/jobs/index.ts';
import type { Job } from '../../domain/jobs.ts';
import { formatTimestamp } from '../../domain/time.ts';
import type { AdminCommand } from './args.ts';
import { table, type AdminContext } from './context.ts';

/**
 * Failed and overdue jobs (or all with --all): id, kind, state, tries, when due, the key, the error. Errors were
 * redacted when stored; they are redacted again here in case an older version stored one unredacted.
 */
export async function showJobs(command: Extract<AdminCommand, { name: 'jobs' }>, s: AdminContext): Promise<void> {
  const store = s.services.jobs;
  const overdueBefore = new Date(s.services.clock.now().getTime() - OVERDUE_AFTER_MS);
  const jobs = command.all
    ? await store.list({ limit: command.limit })
    : await store.attention(overdueBefore, command.limit);
  const counts = await store.counts(overdueBefore);
  const summary = `${counts.failed} failed, ${counts.overdue} overdue`;
  if (jobs.length === 0) {
    s.print(command.all ? 'No jobs.' : 'No failed or overdue jobs.');
    return;
  }
  const zone = s.timeZone;
  const overdue = (job: Job) =>
    (job.status === 'queued' && job.runAt < overdueBefore) ||
    (job.status === 'running' && job.lockedUntil !== null && job.lockedUntil < overdueBefore);
  s.print(
    table([
      ['ID', 'KIND', 'STATE', 'TRIES', 'DUE', 'KEY', 'ERROR'],
      ...jobs.map((job) => [
        String(job.id),
        job.kind,
        overdue(job) ? `${job.status}, overdue` : job.status,
        `${job.attempts}/${job.maxAttempts}`,
        formatTimestamp(job.runAt, zone),
        job.key ?? '-',
        job.lastError === null ? '' : redactText(job.lastError),
      ]),
    ]),
  );
  s.print(summary);
}
