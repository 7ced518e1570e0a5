// The communes/wards data an admin can replace: a file (AREAS_FILE), or a dataset imported into the database with
// `npm run admin -- areas import <file>` (the newest import is in force). Errors say where a file is wrong: the JSON
// path and the line.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AreaDirectory, areasFileSchema, type AreasFile } from '../domain/areas.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { PrismaClient } from './database.ts';
import { createJsonLocator, JsonSyntaxError } from './jsonLocator.ts';
import { controlCharacterIssues } from './jsonSource.ts';

/** At most this many problems are listed (a wrong file can have one per unit). */
const MAX_PROBLEMS = 50;

export type AreasSourceCheck =
  | { ok: true; file: AreasFile; json: unknown }
  /** One line per problem: "line 141, column 15: units.12.code: duplicate code 05443". */
  | { ok: false; problems: string[] };

/** Validates the text of an areas file: JSON syntax, then the areas schema, each problem with its line. */
export function checkAreasSource(source: string): AreasSourceCheck {
  // Editors on Windows often save UTF-8 with a byte-order mark, which JSON.parse refuses.
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  let locator;
  try {
    locator = createJsonLocator(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { ok: false, problems: [`${error.message} (not valid JSON)`] };
    throw error;
  }
  const json: unknown = JSON.parse(text);
  const parsed = areasFileSchema.safeParse(json);
  const unstorable = controlCharacterIssues(json);
  if (parsed.success && unstorable.length === 0) return { ok: true, file: parsed.data, json };
  // zod skips the refinements (duplicate codes) while anything else is wrong: check them here too, so that the admin
  // sees every problem in one go rather than one kind per attempt.
  const issues = [
    ...(parsed.success ? [] : parsed.error.issues),
    ...(parsed.success ? [] : duplicateCodeIssues(json)),
    ...unstorable,
  ].filter(
    (issue, index, all) =>
      all.findIndex((other) => samePath(other.path, issue.path) && other.message === issue.message) === index,
  );
  const located = issues
    .map((issue) => ({ issue, where: locator.locate(issue.path) }))
    .sort((a, b) => a.where.offset - b.where.offset);
  const problems = located.slice(0, MAX_PROBLEMS).map(({ issue, where }) => {
    const name = issue.path.map(String).join('.') || '(the file)';
    const missing = where.exact ? '' : ` (missing; line of ${where.found.map(String).join('.') || 'the file'})`;
    return `line ${where.line}, column ${where.column}: ${name}: ${issue.message}${missing}`;
  });
  if (issues.length > MAX_PROBLEMS) problems.push(`... and ${issues.length - MAX_PROBLEMS} more problems`);
  return { ok: false, problems };
}

interface Issue {
  path: readonly PropertyKey[];
  message: string;
}

/** The schema's duplicate-code rule, on a file that may be wrong elsewhere (same message as the schema's). */
function duplicateCodeIssues(json: unknown): Issue[] {
  const units = typeof json === 'object' && json !== null ? (json as Record<string, unknown>).units : undefined;
  if (!Array.isArray(units)) return [];
  const seen = new Set<string>();
  const issues: Issue[] = [];
  units.forEach((unit: unknown, i) => {
    const code = typeof unit === 'object' && unit !== null ? (unit as Record<string, unknown>).code : undefined;
    if (typeof code !== 'string' || code === '') return;
    if (seen.has(code)) issues.push({ path: ['units', i, 'code'], message: `duplicate code ${code}` });
    seen.add(code);
  });
  return issues;
}

const samePath = (a: readonly PropertyKey[], b: readonly PropertyKey[]): boolean =>
  a.length === b.length && a.every((segment, i) => segment === b[i]);

/** Reads and validates an areas file; throws with every problem (and its line) when it is not valid. */
export function readAreasFile(file: string): { file: AreasFile; json: unknown } {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`AREAS_FILE ${file}: cannot read it (${(error as Error).message})`, { cause: error });
  }
  const checked = checkAreasSource(source);
  if (!checked.ok) {
    throw new Error(`AREAS_FILE ${file} is not a valid areas file:\n  - ${checked.problems.join('\n  - ')}`);
  }
  return { file: checked.file, json: checked.json };
}

export function loadAreas(file: string): AreaDirectory {
  return new AreaDirectory(readAreasFile(file).file);
}

export interface AreaDatasetInfo {
  id: number;
  source: string;
  importedBy: string;
  importedAt: Date;
}

/** Stores a validated areas file as the dataset in force (older ones stay as history). */
export async function saveAreaDataset(
  prisma: PrismaClient,
  input: { json: unknown; source: string; importedBy: string },
): Promise<AreaDatasetInfo> {
  // Validated again here: whatever is stored must load at the next start.
  areasFileSchema.parse(input.json);
  const row = await prisma.areaDataset.create({
    data: { data: input.json as Prisma.InputJsonValue, source: input.source, importedBy: input.importedBy },
    select: { id: true, source: true, importedBy: true, importedAt: true },
  });
  return row;
}

/**
 * The communes/wards in force: the newest dataset imported into the database, or else the file. `source` says which
 * ("area dataset #3 (areas-2026.json, imported 2026-01-05T08:00:00.000Z by cli)" or "file prisma/data/...json").
 */
export async function loadAreaDirectory(
  prisma: PrismaClient,
  fallbackFile: string,
): Promise<{ directory: AreaDirectory; source: string }> {
  const row = await prisma.areaDataset.findFirst({ orderBy: { id: 'desc' } });
  if (row === null) return { directory: loadAreas(fallbackFile), source: `file ${fallbackFile}` };
  const parsed = areasFileSchema.safeParse(row.data);
  if (!parsed.success) {
    throw new Error(`Area dataset #${row.id} in the database is not valid: ${z.prettifyError(parsed.error)}`);
  }
  return { directory: new AreaDirectory(parsed.data), source: describeAreaDataset(row) };
}

export function describeAreaDataset(info: AreaDatasetInfo): string {
  return `area dataset #${info.id} (${path.basename(info.source)}, imported ${info.importedAt.toISOString()} by ${info.importedBy})`;
}

/** The communes/wards data as the admin manages it: what is in force, importing a dataset, the history's size. */
export interface AreaDataStore {
  /** The newest imported dataset, or else the fallback file (see loadAreaDirectory). */
  inForce(): Promise<{ directory: AreaDirectory; source: string }>;
  /** Stores a validated areas file as the dataset in force. */
  save(input: { json: unknown; source: string; importedBy: string }): Promise<AreaDatasetInfo>;
  /** How many datasets were ever imported (the newest is in force, the others are history). */
  importedCount(): Promise<number>;
}

export function createAreaDataStore(prisma: PrismaClient, fallbackFile: string): AreaDataStore {
  return {
    inForce: () => loadAreaDirectory(prisma, fallbackFile),
    save: (input) => saveAreaDataset(prisma, input),
    importedCount: () => prisma.areaDataset.count(),
  };
}
