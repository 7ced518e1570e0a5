// The shipped programme data, and a variant for tests: commune lists filled in (complete) and two synthetic overrides
// for every borrower of an area, so that prefilling from the data and area overrides can be checked.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseProgrammeData, type ProgrammeData } from '../../../src/domain/credit/index.ts';

export const DATA_FILE = path.resolve(import.meta.dirname, '../../../prisma/data/credit-programmes.json');
export const shippedJson = (): Record<string, unknown> =>
  JSON.parse(readFileSync(DATA_FILE, 'utf8')) as Record<string, unknown>;
export const shipped: ProgrammeData = parseProgrammeData(shippedJson());

/** Phúc Lộc: on the difficult-area list of the test data. */
export const C_DIFFICULT = '01894';
/** Thượng Minh: on the difficult and the extremely-difficult lists of the test data. */
export const C_EXTREME = '01921';
/** Đồng Phúc: on no list; has the test flood override (−1 point, poor and near-poor, March to May 2026). */
export const C_FLOOD = '01933';
/** Phan Đình Phùng (a ward): on no list. */
export const C_CITY = '05443';

export function testVariantJson(): Record<string, unknown> {
  const json = shippedJson();
  const list = (codes: string[]) => ({ codes, complete: true, confirmed: true, source: 'test', note: 'test list' });
  json.difficultCommunes = list([C_DIFFICULT, C_EXTREME]);
  json.extremelyDifficultCommunes = list([C_EXTREME]);
  json.overrides = [
    ...(json.overrides as unknown[]),
    {
      id: 'flood_test_2026',
      programmes: ['poor_households', 'near_poor_households'],
      areas: [C_FLOOD],
      effectiveFrom: '2026-03-01',
      effectiveTo: '2026-05-31',
      delta: -1,
      appliesTo: 'all',
      reason: { vi: 'Thử nghiệm', en: 'Test' },
      source: 'test',
      confirmed: true,
    },
    {
      id: 'water_fixed_test',
      programmes: ['clean_water_sanitation'],
      areas: ['*'],
      effectiveFrom: '2026-06-01',
      effectiveTo: '2026-06-30',
      perYear: 5,
      appliesTo: 'all',
      reason: { vi: 'Thử nghiệm', en: 'Test' },
      source: 'test',
      confirmed: true,
    },
  ];
  return json;
}
export const variant: ProgrammeData = parseProgrammeData(testVariantJson());
