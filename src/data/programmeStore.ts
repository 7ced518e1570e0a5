// The loan programme data in force: the newest dataset an admin imported into the database (ProgrammeDataset), or
// else the file shipped with the bot (prisma/data/credit-programmes.json). Importing validates the file first and
// stores nothing when it is wrong, listing every problem with its JSON path and line; older datasets stay as history,
// so an inquiry can always say which data version answered it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { programmeFileSchema, type ProgrammeData } from '../domain/credit/programmes.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { PrismaClient } from './database.ts';
import { checkJsonSource, type JsonSourceCheck } from './jsonSource.ts';

export type ProgrammeSourceCheck = JsonSourceCheck<ProgrammeData>;

/** The programme data shipped with the bot, used until an admin imports a dataset. */
export const DEFAULT_PROGRAMMES_FILE = path.resolve(import.meta.dirname, '../../prisma/data/credit-programmes.json');

/** Validates the text of a programme file: JSON syntax, then the schema and its cross-checks, each with its line. */
export function checkProgrammeSource(source: string): ProgrammeSourceCheck {
  return checkJsonSource(source, programmeFileSchema);
}

/** Reads and validates a programme file; throws with every problem (and its line) when it cannot be used. */
export function readProgrammeFile(file: string): { data: ProgrammeData; json: unknown } {
  const checked = checkProgrammeFile(file);
  if (!checked.ok) throw new Error(`${file} is not a valid programme file:\n  - ${checked.problems.join('\n  - ')}`);
  return { data: checked.data, json: checked.json };
}

function checkProgrammeFile(file: string): ProgrammeSourceCheck {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    return { ok: false, problems: [`cannot read ${file} (${(error as Error).message})`] };
  }
  return checkProgrammeSource(source);
}

export interface ProgrammeDatasetInfo {
  id: number;
  /** The file's own version label. */
  version: string;
  /** The file it was imported from. */
  source: string;
  importedBy: string;
  importedAt: Date;
}

export interface LoadedProgrammes {
  data: ProgrammeData;
  /** `data.version`: store it with every inquiry. */
  version: string;
  /** Where the data came from, for logs and the admin: "programme dataset #3 (...)" or "file prisma/data/...". */
  source: string;
  /** The dataset row in force; null when the shipped file is used. */
  dataset: ProgrammeDatasetInfo | null;
}

const INFO_FIELDS = { id: true, version: true, source: true, importedBy: true, importedAt: true } as const;

/** The programme data in force: the newest imported dataset, or else `fallbackFile` (validated; throws when wrong). */
export async function loadProgrammes(prisma: PrismaClient, fallbackFile: string): Promise<LoadedProgrammes> {
  const row = await prisma.programmeDataset.findFirst({ orderBy: { id: 'desc' } });
  if (row === null) {
    const { data } = readProgrammeFile(fallbackFile);
    return { data, version: data.version, source: `file ${fallbackFile}`, dataset: null };
  }
  const parsed = programmeFileSchema.safeParse(row.data);
  if (!parsed.success) {
    throw new Error(`Programme dataset #${row.id} in the database is not valid: ${z.prettifyError(parsed.error)}`);
  }
  const dataset: ProgrammeDatasetInfo = {
    id: row.id,
    version: row.version,
    source: row.source,
    importedBy: row.importedBy,
    importedAt: row.importedAt,
  };
  return { data: parsed.data, version: parsed.data.version, source: describeProgrammeDataset(dataset), dataset };
}

/** What a dataset holds, for the admin: counts and every figure that is not confirmed. */
export interface ProgrammeSummary {
  version: string;
  publishedOn: string;
  province: string;
  programmes: string[];
  ratePeriods: number;
  overrides: string[];
  difficultCommunes: number;
  extremelyDifficultCommunes: number;
  /** "near_poor_households: maximum amount", "job_creation: rate from 2026-01-01 (priority)", ... */
  unconfirmed: string[];
}

export function summarizeProgrammes(data: ProgrammeData): ProgrammeSummary {
  const unconfirmed: string[] = [];
  for (const p of data.programmes) {
    if (!p.confirmed) unconfirmed.push(`${p.id}: eligibility rules`);
    if (!p.maxAmount.confirmed) unconfirmed.push(`${p.id}: maximum amount`);
    if (!p.term.confirmed) unconfirmed.push(`${p.id}: term`);
    for (const r of p.rates) {
      if (!r.confirmed) {
        unconfirmed.push(`${p.id}: rate ${r.perYear}% from ${r.effectiveFrom ?? '(open)'} (${r.tier})`);
      }
    }
  }
  for (const o of data.overrides) if (!o.confirmed) unconfirmed.push(`override ${o.id}`);
  if (!data.overduePenalty.confirmed) unconfirmed.push('overdue penalty');
  if (!data.difficultCommunes.confirmed) unconfirmed.push('difficult-area commune list');
  if (!data.extremelyDifficultCommunes.confirmed) unconfirmed.push('extremely-difficult commune list');
  return {
    version: data.version,
    publishedOn: data.publishedOn,
    province: data.province,
    programmes: data.programmes.map((p) => p.id),
    ratePeriods: data.programmes.reduce((n, p) => n + p.rates.length, 0),
    overrides: data.overrides.map((o) => o.id),
    difficultCommunes: data.difficultCommunes.codes.length,
    extremelyDifficultCommunes: data.extremelyDifficultCommunes.codes.length,
    unconfirmed,
  };
}

export type ProgrammeImport =
  | {
      ok: true;
      dataset: ProgrammeDatasetInfo;
      /** The dataset that was in force before; null when the shipped file was. */
      replaced: ProgrammeDatasetInfo | null;
      summary: ProgrammeSummary;
      /** Worth a second look, not errors: the same version label again, an older publication date. */
      warnings: string[];
    }
  /** Nothing was stored. One line per problem: "line 141, column 15: programmes.2.id: duplicate id ...". */
  | { ok: false; problems: string[] };

/**
 * Imports a programme file as the dataset in force. A file that cannot be read, is not JSON or does not match the
 * schema changes nothing and returns its problems, each with its line.
 */
export async function importProgrammes(
  prisma: PrismaClient,
  file: string,
  importedBy: string,
): Promise<ProgrammeImport> {
  return storeProgrammes(prisma, checkProgrammeFile(file), file, importedBy);
}

/**
 * Imports the text of a programme file (an upload: the web console's Data page) as the dataset in force, exactly as
 * `importProgrammes` does with a file; `source` is the name it is recorded under (the uploaded file's name).
 */
export async function importProgrammeSource(
  prisma: PrismaClient,
  text: string,
  source: string,
  importedBy: string,
): Promise<ProgrammeImport> {
  return storeProgrammes(prisma, checkProgrammeSource(text), source, importedBy);
}

async function storeProgrammes(
  prisma: PrismaClient,
  checked: ProgrammeSourceCheck,
  file: string,
  importedBy: string,
): Promise<ProgrammeImport> {
  if (!checked.ok) return checked;
  const { data, json } = checked;
  const replaced = await newestProgrammeDataset(prisma);
  const warnings: string[] = [];
  if (replaced !== null) {
    const previous = await prisma.programmeDataset.findUniqueOrThrow({
      where: { id: replaced.id },
      select: { data: true },
    });
    const previousPublishedOn = programmeFileSchema.safeParse(previous.data).data?.publishedOn;
    if (replaced.version === data.version) {
      warnings.push(`version ${data.version} is also the version of dataset #${replaced.id}: was the label updated?`);
    }
    if (previousPublishedOn !== undefined && data.publishedOn < previousPublishedOn) {
      warnings.push(
        `publishedOn ${data.publishedOn} is older than ${previousPublishedOn} of dataset #${replaced.id} it replaces`,
      );
    }
  }
  const dataset = await prisma.programmeDataset.create({
    data: { version: data.version, data: json as Prisma.InputJsonValue, source: file, importedBy },
    select: INFO_FIELDS,
  });
  return { ok: true, dataset, replaced, summary: summarizeProgrammes(data), warnings };
}

/** The newest imported dataset, without its data; null when none was imported. */
export async function newestProgrammeDataset(prisma: PrismaClient): Promise<ProgrammeDatasetInfo | null> {
  return prisma.programmeDataset.findFirst({ orderBy: { id: 'desc' }, select: INFO_FIELDS });
}

/** The imported datasets, newest first, without their data (the history). */
export async function listProgrammeDatasets(prisma: PrismaClient, limit = 20): Promise<ProgrammeDatasetInfo[]> {
  return prisma.programmeDataset.findMany({ orderBy: { id: 'desc' }, take: limit, select: INFO_FIELDS });
}

export function describeProgrammeDataset(info: ProgrammeDatasetInfo): string {
  return `programme dataset #${info.id} (version ${info.version}, ${path.basename(info.source)}, imported ${info.importedAt.toISOString()} by ${info.importedBy})`;
}

/** The loan programme data as the admin manages it: what is in force, and importing a file. */
export interface ProgrammeDataStore {
  /** The newest imported dataset, or else the shipped file (see loadProgrammes). */
  inForce(): Promise<LoadedProgrammes>;
  /** Imports a programme file as the dataset in force (see importProgrammes). */
  import(file: string, importedBy: string): Promise<ProgrammeImport>;
  /** Imports the text of a programme file recorded as `source` (see importProgrammeSource). */
  importSource(text: string, source: string, importedBy: string): Promise<ProgrammeImport>;
}

export function createProgrammeDataStore(
  prisma: PrismaClient,
  fallbackFile = DEFAULT_PROGRAMMES_FILE,
): ProgrammeDataStore {
  return {
    inForce: () => loadProgrammes(prisma, fallbackFile),
    import: (file, importedBy) => importProgrammes(prisma, file, importedBy),
    importSource: (text, source, importedBy) => importProgrammeSource(prisma, text, source, importedBy),
  };
}
