// The job runner and the bot's own jobs (see runner.ts). Job types and the JobQueue port are in src/domain/jobs.ts.
export { filesPurgeJob, pruneJob, zaloOaTokenJob } from './builtin.ts';
// The cases feature declares these in its module; exported here too, beside the runner, for tests and tools.
export { digestJob, escalationJob } from '../../features/cases/jobs.ts';
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
