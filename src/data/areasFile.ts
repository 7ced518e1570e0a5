// Loads the communes/wards data file an admin can replace (AREAS_FILE), with errors that say where it is wrong.
import { readFileSync } from 'node:fs';
import { AreaDirectory, areasFileSchema } from '../domain/areas.ts';

export function loadAreas(file: string): AreaDirectory {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`AREAS_FILE ${file}: cannot read it as JSON (${(error as Error).message})`, { cause: error });
  }
  const parsed = areasFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`AREAS_FILE ${file} is not a valid areas file:\n  - ${problems.join('\n  - ')}`);
  }
  return new AreaDirectory(parsed.data);
}
