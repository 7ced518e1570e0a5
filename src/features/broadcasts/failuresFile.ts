// The failures CSV of a broadcast (deliveries that ended failed, unreachable, notNow, optedOut or cancelled), the same
// file from the admin CLI (`broadcasts failures <id>`) and the web console (/console/broadcasts/<id>/failures.csv):
// member ids only, never a name or phone; times in the deployment's time zone ("2026-12-07 14:05:00 +07:00").
import { csvText, plainText } from '../../domain/csv.ts';
import type { DeliveryFailure } from '../../domain/broadcasts.ts';
import { formatTimestamp } from '../../domain/time.ts';

/** The failures CSV's columns (member id, never a name or phone). */
export const FAILURE_COLUMNS = ['member id', 'channel', 'status', 'reason', 'attempts', 'uncertain', 'time'] as const;

/** The whole file (UTF-8 with BOM, CRLF): the header then one line per failure, in the order given. */
export function failuresCsv(items: readonly DeliveryFailure[], timeZone: string): string {
  return csvText([
    [...FAILURE_COLUMNS],
    ...items.map((f) => [
      plainText(f.memberId),
      f.channel,
      f.status,
      plainText(f.reason),
      String(f.attempts),
      f.uncertain ? 'yes' : 'no',
      formatTimestamp(f.updatedAt, timeZone),
    ]),
  ]);
}
