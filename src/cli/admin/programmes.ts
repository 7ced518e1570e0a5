// `programmes import|show`: the loan programme data in force, and the figures not yet confirmed from a primary source.
import { summarizeProgrammes } from '../../data/programmeStore.ts';
import type { AdminCommand } from './args.ts';
import { ACTOR, AdminError, type AdminContext } from './context.ts';

export async function importProgrammeFile(
  command: Extract<AdminCommand, { name: 'programmes import' }>,
  s: AdminContext,
): Promise<void> {
  const result = await s.services.programmeData.import(command.file, ACTOR);
  if (!result.ok) {
    throw new AdminError(
      `${command.file} is not a valid programme file; nothing was imported and the data in force is unchanged:\n` +
        result.problems.map((p) => `  ${command.file}: ${p}`).join('\n'),
      1,
    );
  }
  const { dataset, summary } = result;
  await s.services.audit.record({
    actor: ACTOR,
    action: 'programmes.imported',
    subject: `programmeDataset:${dataset.id}`,
    details: { version: summary.version, programmes: summary.programmes.length },
  });
  s.print(
    `Imported ${command.file} as programme dataset #${dataset.id}: version ${summary.version} ` +
      `(published ${summary.publishedOn}), ${summary.programmes.length} programmes, ${summary.ratePeriods} rate periods.`,
  );
  for (const warning of result.warnings) s.print(`Warning: ${warning}`);
  printUnconfirmed(summary.unconfirmed, s);
  s.print('It is now the programme data in force; running bots use it after a restart.');
}

export async function showProgrammes(s: AdminContext): Promise<void> {
  const loaded = await s.services.programmeData.inForce();
  s.print(`In force: ${loaded.source} (version ${loaded.version}).`);
  printUnconfirmed(summarizeProgrammes(loaded.data).unconfirmed, s);
}

function printUnconfirmed(unconfirmed: readonly string[], s: AdminContext): void {
  if (unconfirmed.length === 0) return;
  s.print(`Not confirmed from a primary source (${unconfirmed.length}):`);
  for (const item of unconfirmed) s.print(`  - ${item}`);
}
