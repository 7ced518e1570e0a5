// `audit`: the most recent audit log entries, oldest first; headers in --lang (default: the CLI's language), times
// local to TIME_ZONE with their offset. Actors, actions and details are printed as stored (codes, not prose).
import { formatTimestamp } from '../../domain/time.ts';
import type { AdminCommand } from './args.ts';
import { table, type AdminContext } from './context.ts';

export async function showAudit(command: Extract<AdminCommand, { name: 'audit' }>, s: AdminContext): Promise<void> {
  const entries = await s.services.audit.list(command.subject === undefined ? {} : { subject: command.subject });
  if (entries.length === 0) {
    s.print(command.subject === undefined ? 'No audit entries.' : `No audit entries about ${command.subject}.`);
    return;
  }
  const recent = entries.slice(-command.limit);
  const t = s.translator(command.language);
  s.print(
    table([
      ['at', 'actor', 'action', 'subject', 'details'].map((c) => t(`admin:audit.${c}`)),
      ...recent.map((e) => [
        formatTimestamp(e.at, s.timeZone),
        e.actor,
        e.action,
        e.subject ?? '-',
        e.details === undefined ? '' : JSON.stringify(e.details),
      ]),
    ]),
  );
  if (recent.length < entries.length)
    s.print(`(${recent.length} most recent of ${entries.length}; --limit shows more)`);
}
