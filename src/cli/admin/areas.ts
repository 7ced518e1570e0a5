// `areas import|show`: the communes/wards dataset in force. An imported file is checked against the same rules as
// AREAS_FILE; a bad file changes nothing.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { checkAreasSource } from '../../data/areasFile.ts';
import type { AdminCommand } from './args.ts';
import { ACTOR, AdminError, type AdminContext } from './context.ts';

export async function importAreas(
  command: Extract<AdminCommand, { name: 'areas import' }>,
  s: AdminContext,
): Promise<void> {
  let source: string;
  try {
    source = await readFile(command.file, 'utf8');
  } catch (error) {
    throw new AdminError(`Cannot read ${command.file}: ${(error as Error).message}`, 1);
  }
  const checked = checkAreasSource(source);
  if (!checked.ok) {
    throw new AdminError(
      `${command.file} is not a valid areas file; nothing was imported:\n` +
        checked.problems.map((p) => `  ${command.file}: ${p}`).join('\n'),
      1,
    );
  }
  const dataset = await s.services.areaData.save({
    json: checked.json,
    source: path.basename(command.file),
    importedBy: ACTOR,
  });
  const { units, province } = checked.file;
  const byType = new Map<string, number>();
  for (const unit of units) byType.set(unit.type.trim(), (byType.get(unit.type.trim()) ?? 0) + 1);
  const counts = [...byType].map(([type, count]) => `${count} ${type}`).join(', ');
  await s.services.audit.record({
    actor: ACTOR,
    action: 'areas.imported',
    subject: `areaDataset:${dataset.id}`,
    details: { source: dataset.source, province, units: units.length },
  });
  s.print(`Imported ${dataset.source} as area dataset #${dataset.id}: ${province}, ${units.length} units (${counts}).`);
  s.print('It is now the areas data in force; running bots use it after a restart.');
}

export async function showAreas(s: AdminContext): Promise<void> {
  const { directory, source } = await s.services.areaData.inForce();
  const imported = await s.services.areaData.importedCount();
  s.print(`In force: ${source}: ${directory.province}, ${directory.size} units.`);
  if (imported === 0) s.print('No dataset was imported; import one with: npm run admin -- areas import <file>');
  else if (imported > 1) s.print(`${imported - 1} older import(s) kept as history.`);
}
