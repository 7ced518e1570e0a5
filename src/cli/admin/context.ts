// What every admin command works with: the services and repositories of the composition root (built once per run,
// the same the bot uses), the writers, the language and zone of what is printed, and the errors a command can end in.
import type { Translate } from '../../conversation/flow.ts';
import type { AreaDirectory } from '../../domain/areas.ts';
import type { Language, Member } from '../../domain/member.ts';
import { DEFAULT_TIME_ZONE } from '../../domain/time.ts';
import { describeAreas } from '../../features/admin/flows.ts';
import type { AdminServices } from '../../wiring.ts';

/** Who the CLI is in the audit log and in `createdBy`. */
export const ACTOR = 'cli';

/** Writes text as is (no newline added): process.stdout.write, or a test's collector. */
export type Writer = (text: string) => void;

/** A command that cannot do what was asked: shown as is, with this exit status (1 failed, 2 bad input). */
export class AdminError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}

export interface AdminOutput {
  out: Writer;
  err: Writer;
  /** Language of area labels ("Phường Phan Đình Phùng", "Toàn tỉnh"), headers and dates; DEFAULT_LANGUAGE (vi). */
  language?: Language;
  /** IANA zone every printed date and time is in (TIME_ZONE); default Asia/Ho_Chi_Minh. */
  timeZone?: string;
  /**
   * Asks the operator a question and returns her answer (a terminal); absent when no one can answer (a pipe, a
   * test): commands that need a confirmation then ask for --yes.
   */
  ask?: (question: string) => Promise<string>;
}

/** One run of a command: the services, what to print with, and the areas in force (read once, when first needed). */
export class AdminContext {
  readonly t: Translate;
  readonly language: Language;
  readonly timeZone: string;
  private directory: Promise<AreaDirectory> | undefined;

  constructor(
    readonly services: AdminServices,
    readonly output: AdminOutput,
  ) {
    this.language = output.language ?? 'vi';
    this.timeZone = output.timeZone ?? DEFAULT_TIME_ZONE;
    this.t = this.translator(this.language);
  }

  /** Translations in `language` (a command's --lang), or in the CLI's language. */
  translator(language: Language | undefined): Translate {
    return this.services.localisation.translator(language ?? this.language);
  }

  print(text = ''): void {
    this.output.out(`${text}\n`);
  }

  areas(): Promise<AreaDirectory> {
    this.directory ??= this.services.areaData.inForce().then((loaded) => loaded.directory);
    return this.directory;
  }

  describe(areas: readonly string[], directory: AreaDirectory, t: Translate = this.t): string {
    return areas.length === 0 ? '(none)' : describeAreas(areas, directory, t);
  }
}

/** "Nguyễn Thị Lan (cm12…, officer)": a member as the CLI names her in its messages. */
export function who(member: Member): string {
  return `${member.displayName ?? '(no name)'} (${member.id}, ${member.role})`;
}

/** Columns padded to their widest cell; the last one is not padded. */
export function table(rows: readonly (readonly string[])[]): string {
  const cells = rows.map((row) => row.map((cell) => cell.normalize('NFC').replace(/\s+/g, ' ')));
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0)));
  return cells
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
