// The job runner and the bot's own jobs (see runner.ts). Job types and the JobQueue port are in src/domain/jobs.ts.
export { digestJob, escalationJob, filesPurgeJob, outboxPruneJob, pruneJob, zaloOaTokenJob } from './builtin.ts';
export { redactError, redactText } from './redact.ts';
export {
  createJobRunner,
  defaultBackoffMs,
  OVERDUE_AFTER_MS,
  type JobHealth,
  type JobRunner,
  type JobRunnerOptions,
} from './runner.ts';
export { firstOccurrence, nextOccurrence } from './schedule.ts';
