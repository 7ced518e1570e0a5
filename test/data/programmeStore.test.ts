import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  checkProgrammeSource,
  importProgrammes,
  listProgrammeDatasets,
  loadProgrammes,
  readProgrammeFile,
  summarizeProgrammes,
} from '../../src/data/programmeStore.ts';
import { evaluate } from '../../src/domain/credit/index.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/database.ts';
import { DATA_FILE, shippedJson } from '../domain/credit/data.ts';

const shippedText = readFileSync(DATA_FILE, 'utf8');
const dir = mkdtempSync(path.join(tmpdir(), 'hoi-vien-programmes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;
function writeFile(text: string): string {
  const file = path.join(dir, `programmes-${++counter}.json`);
  writeFileSync(file, text);
  return file;
}
const pretty = (json: unknown) => `${JSON.stringify(json, null, 2)}\n`;

/** 1-based line and column of the first `needle` at or after the first `after` (itself searched from `from`). */
function where(text: string, needle: string, after = '', from = 0): { line: number; column: number } {
  const offset = text.indexOf(needle, text.indexOf(after, from));
  if (offset === -1) throw new Error(`not found: ${needle}`);
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}
/** Where the value of `"key": value` starts. */
function valueAt(text: string, keyAndValue: string, after = ''): string {
  const at = where(text, keyAndValue, after);
  return `line ${at.line}, column ${at.column + keyAndValue.indexOf(':') + 2}`;
}

let db: FreshDatabase;
beforeEach(async () => {
  db = await freshDatabase();
});
afterEach(async () => {
  await db.close();
});

describe('the shipped programme file', () => {
  it('validates, and says what is unconfirmed', () => {
    const checked = checkProgrammeSource(shippedText);
    expect(checked.ok ? [] : checked.problems).toEqual([]);
    if (!checked.ok) return;
    const summary = summarizeProgrammes(checked.data);
    expect(summary).toMatchObject({
      version: '2026-11-27',
      province: 'Thái Nguyên',
      programmes: [
        'poor_households',
        'near_poor_households',
        'recently_escaped_households',
        'job_creation',
        'difficult_area_production',
        'clean_water_sanitation',
        'students',
        'ethnic_minority_housing',
      ],
      overrides: ['storm_relief_2025'],
      difficultCommunes: 0,
    });
    expect(summary.unconfirmed).toEqual(
      expect.arrayContaining([
        'near_poor_households: maximum amount',
        'near_poor_households: term',
        'poor_households: term',
        'job_creation: rate 7.9248% from 2026-01-01 (standard)',
        'job_creation: rate 6.24% from 2026-01-01 (priority)',
        'override storm_relief_2025',
        'difficult-area commune list',
      ]),
    );
    expect(summary.unconfirmed).not.toContain('poor_households: maximum amount');
  });

  it('accepts a byte-order mark', () => {
    expect(checkProgrammeSource(`\uFEFF${shippedText}`).ok).toBe(true);
  });
});

describe('loadProgrammes', () => {
  it('uses the shipped file while nothing was imported', async () => {
    const loaded = await loadProgrammes(db.prisma, DATA_FILE);
    expect(loaded.dataset).toBeNull();
    expect(loaded.source).toBe(`file ${DATA_FILE}`);
    expect(loaded.version).toBe('2026-11-27');
    expect(loaded.data.programmes).toHaveLength(8);
  });

  it('fails loudly on a broken fallback file', async () => {
    const file = writeFile('{ "version": ');
    await expect(loadProgrammes(db.prisma, file)).rejects.toThrow(
      /not a valid programme file:\n {2}- line 1, column 14/,
    );
  });

  it('refuses a stored dataset that no longer validates', async () => {
    await db.prisma.programmeDataset.create({
      data: { version: 'x', data: { version: 'x' }, source: 'manual', importedBy: 'test' },
    });
    await expect(loadProgrammes(db.prisma, DATA_FILE)).rejects.toThrow(
      /Programme dataset #1 in the database is not valid/,
    );
  });
});

describe('importProgrammes', () => {
  it('imports a good file, which is then in force (and older datasets stay)', async () => {
    const json = shippedJson();
    json.version = '2027-01-01';
    json.publishedOn = '2027-01-01';
    // A new rate from 2027: the 2025 period now ends.
    const poor = (json.programmes as { rates: Record<string, unknown>[] }[])[0]!;
    poor.rates[1]!.effectiveTo = '2026-12-31';
    poor.rates.push({ effectiveFrom: '2027-01-01', effectiveTo: null, perYear: 6, source: 'test', confirmed: true });
    const file = writeFile(pretty(json));

    const first = await importProgrammes(db.prisma, DATA_FILE, 'cli');
    expect(first.ok).toBe(true);
    const result = await importProgrammes(db.prisma, file, 'admin-1');
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.dataset).toMatchObject({ id: 2, version: '2027-01-01', source: file, importedBy: 'admin-1' });
    expect(result.replaced).toMatchObject({ id: 1, version: '2026-11-27' });
    expect(result.summary.ratePeriods).toBe(16);
    expect(result.warnings).toEqual([]);

    const loaded = await loadProgrammes(db.prisma, DATA_FILE);
    expect(loaded.version).toBe('2027-01-01');
    expect(loaded.dataset?.id).toBe(2);
    expect(loaded.source).toMatch(
      /^programme dataset #2 \(version 2027-01-01, programmes-\d+\.json, imported .* by admin-1\)$/,
    );
    const poorIn2027 = evaluate({ purpose: 'production', householdStatus: 'poor' }, '2027-02-01', null, loaded.data);
    expect(poorIn2027.programmes[0]).toMatchObject({ id: 'poor_households', rate: { perYear: 6, perMonth: 0.5 } });
    expect((await listProgrammeDatasets(db.prisma)).map((d) => d.id)).toEqual([2, 1]);
  });

  it('warns about a version label used again and an older publication date', async () => {
    const json = shippedJson();
    json.publishedOn = '2026-01-01';
    await importProgrammes(db.prisma, DATA_FILE, 'cli');
    const result = await importProgrammes(db.prisma, writeFile(pretty(json)), 'cli');
    expect(result.ok && result.warnings).toEqual([
      'version 2026-11-27 is also the version of dataset #1: was the label updated?',
      'publishedOn 2026-01-01 is older than 2026-11-27 of dataset #1 it replaces',
    ]);
  });

  describe('a malformed file is rejected with precise messages and changes nothing', () => {
    /** Imports the good file, then the bad one: returns the problems, after checking nothing changed. */
    async function rejected(text: string): Promise<string[]> {
      const good = await importProgrammes(db.prisma, DATA_FILE, 'cli');
      expect(good.ok).toBe(true);
      const before = await db.prisma.programmeDataset.findMany();
      const result = await importProgrammes(db.prisma, writeFile(text), 'cli');
      expect(await db.prisma.programmeDataset.findMany()).toEqual(before);
      expect((await loadProgrammes(db.prisma, DATA_FILE)).dataset?.id).toBe(1);
      if (result.ok) throw new Error('the import was accepted');
      return result.problems;
    }

    it('an overlapping rate period, at its line', async () => {
      const json = shippedJson();
      const near = (json.programmes as { rates: Record<string, unknown>[] }[])[1]!;
      near.rates[0]!.effectiveTo = '2025-12-15';
      const text = pretty(json);
      expect(await rejected(text)).toEqual([
        `${valueAt(text, '"effectiveFrom": "2025-12-01"', '"id": "near_poor_households"')}: ` +
          'programmes.1.rates.1.effectiveFrom: tier "standard": 2025-12-01 to (open) overlaps rates.0 ((open) to 2025-12-15)',
      ]);
    });

    it('a missing field, at the line of its object', async () => {
      const json = shippedJson();
      const left = (json.programmes as { maxAmount: Record<string, unknown> }[])[2]!;
      delete left.maxAmount.confirmed;
      const text = pretty(json);
      expect(await rejected(text)).toEqual([
        `${valueAt(text, '"maxAmount": {', '"id": "recently_escaped_households"')}: ` +
          'programmes.2.maxAmount.confirmed: Invalid input: expected boolean, received undefined ' +
          '(missing; line of programmes.2.maxAmount)',
      ]);
    });

    it('bad JSON syntax, at its line', async () => {
      // The comma after "version" is gone: the parser stops at the next property name.
      const text = shippedText.replace('"version": "2026-11-27",', '"version": "2026-11-27"');
      const next = where(text, '"publishedOn"');
      expect(await rejected(text)).toEqual([
        `line ${next.line}, column ${next.column}: expected ',' or '}' after a property value, found "\\"" (not valid JSON)`,
      ]);
    });

    it('a typo in a key, a duplicate id, an unknown programme in an override, dates the wrong way round: all at once', async () => {
      const json = shippedJson();
      const programmes = json.programmes as Record<string, unknown>[];
      programmes[7]!.id = 'students';
      const override = (json.overrides as Record<string, unknown>[])[0]!;
      override.programmes = ['poor_households', 'pour_households'];
      override.effectiveTo = '2025-09-30';
      const water = programmes[5] as { term: Record<string, unknown> };
      water.term.maxmonths = 60;
      const text = pretty(json);
      // The second "students" (the housing programme's id) is the duplicate.
      const ids = where(text, '"id": "students"', '"nextStep"', text.indexOf('"id": "students"'));
      const pour = where(text, '"pour_households"');
      expect(await rejected(text)).toEqual([
        `${valueAt(text, '"maxmonths": 60')}: programmes.5.term.maxmonths: Unrecognized key: "maxmonths"`,
        `line ${ids.line}, column ${ids.column + 6}: programmes.7.id: duplicate id students`,
        `line ${pour.line}, column ${pour.column}: overrides.0.programmes.1: unknown programme id pour_households`,
        `${valueAt(text, '"effectiveTo": "2025-09-30"')}: overrides.0.effectiveTo: 2025-09-30 is before effectiveFrom 2025-10-01`,
      ]);
    });

    it('an unknown fact value inside a condition, at its line', async () => {
      const json = shippedJson();
      const water = (json.programmes as { eligibility: { all: Record<string, unknown>[] } }[])[5]!;
      water.eligibility.all[1]!.equals = 'countryside';
      const text = pretty(json);
      expect(await rejected(text)).toEqual([
        `${valueAt(text, '"equals": "countryside"')}: programmes.5.eligibility.all.1.equals: ` +
          '"countryside" is not a value of "area" (rural, urban)',
      ]);
    });

    it('a file that cannot be read', async () => {
      const missing = path.join(dir, 'nope.json');
      const result = await importProgrammes(db.prisma, missing, 'cli');
      expect(result.ok).toBe(false);
      expect(!result.ok && result.problems[0]).toMatch(/^cannot read .*nope\.json \(ENOENT/);
      expect(await db.prisma.programmeDataset.count()).toBe(0);
    });
  });
});

describe('readProgrammeFile', () => {
  it('throws with every problem on its own line', () => {
    const json = shippedJson();
    json.publishedOn = '27/11/2026';
    json.version = '';
    const text = pretty(json);
    expect(() => readProgrammeFile(writeFile(text))).toThrow(
      `is not a valid programme file:\n  - ${valueAt(text, '"version": ""')}: version: Too small: expected string to have >=1 characters\n` +
        `  - ${valueAt(text, '"publishedOn": "27/11/2026"')}: publishedOn: Invalid ISO date`,
    );
  });
});
