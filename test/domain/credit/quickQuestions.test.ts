import { describe, expect, it } from 'vitest';
import { answerQuickQuestion, type Figure } from '../../../src/domain/credit/index.ts';
import { C_FLOOD, shipped, variant } from './data.ts';

const NEW = '2026-03-10';
const BEFORE = '2025-11-15';

const POOR = 'poor_households';
const NEAR = 'near_poor_households';
const LEFT = 'recently_escaped_households';
const JOB = 'job_creation';
const AREA = 'difficult_area_production';
const WATER = 'clean_water_sanitation';
const STUDENT = 'students';
const HOUSING = 'ethnic_minority_housing';
const ALL = [POOR, NEAR, LEFT, JOB, AREA, WATER, STUDENT, HOUSING];

describe('answerQuickQuestion: which programme, which figure', () => {
  it.each<[string, string[], Figure[]]>([
    ['lãi suất hộ nghèo bao nhiêu', [POOR], ['rate']],
    ['lai suat ho ngheo bao nhieu', [POOR], ['rate']],
    ['LÃI SUẤT HỘ NGHÈO BAO NHIÊU?', [POOR], ['rate']],
    ['vay nuoc sach duoc bao nhieu', [WATER], ['maxAmount']],
    ['vay nước sạch được bao nhiêu', [WATER], ['maxAmount']],
    ['lai suat vay sinh vien', [STUDENT], ['rate']],
    ['hộ cận nghèo vay được tối đa bao nhiêu', [NEAR], ['maxAmount']],
    ['ho can ngheo lai suat bao nhieu', [NEAR], ['rate']],
    ['hộ mới thoát nghèo vay lãi bao nhiêu', [LEFT], ['rate']],
    ['vay giải quyết việc làm được mấy năm', [JOB], ['term']],
    ['vay vốn sinh viên bao nhiêu', [STUDENT], ['maxAmount']],
    ['vay làm nhà lãi suất', [HOUSING], ['rate']],
    ['lãi suất hộ nghèo và hộ cận nghèo', [POOR, NEAR], ['rate']],
    ['vay vùng khó khăn thời hạn bao lâu', [AREA], ['term']],
    ['lai suat va thoi han vay nha ve sinh', [WATER], ['rate', 'term']],
    ['what is the interest rate for poor households', [POOR], ['rate']],
    ['what is the interest rate for near poor households', [NEAR], ['rate']],
    ['how much can I borrow for clean water', [WATER], ['maxAmount']],
    ['student loan how long', [STUDENT], ['term']],
    ['vay nước sạch', [WATER], []],
  ])('%j → %j, %j', (text, programmes, asked) => {
    const answer = answerQuickQuestion(text, NEW, shipped);
    expect(answer?.programmes.map((p) => p.id)).toEqual(programmes);
    expect(answer?.asked).toEqual(asked);
    expect(answer?.allProgrammes).toBe(false);
  });

  it.each([
    ['lãi suất bao nhiêu', ['rate']],
    ['lai suat vay von', ['rate']],
    ['vay tối đa được bao nhiêu', ['maxAmount']],
    ['vay được bao lâu', ['term']],
  ])('%j names no programme: every programme, for %j', (text, asked) => {
    const answer = answerQuickQuestion(text, NEW, shipped);
    expect(answer?.allProgrammes).toBe(true);
    expect(answer?.programmes.map((p) => p.id)).toEqual(ALL);
    expect(answer?.asked).toEqual(asked);
  });

  it.each([
    'xin chào',
    'hộ nghèo',
    'tôi muốn học nghề may',
    'bao lâu thì có lớp',
    'menu',
    '',
    '???',
    'cảm ơn chị nhiều',
  ])('%j is not a quick question', (text) => {
    expect(answerQuickQuestion(text, NEW, shipped)).toBeNull();
  });
});

describe('answerQuickQuestion: the figures in force', () => {
  it('gives the rate in force on the date, per year and per month', () => {
    const now = answerQuickQuestion('lãi suất hộ nghèo bao nhiêu', NEW, shipped)!.programmes[0]!;
    expect(now.rate).toMatchObject({ perYear: 6.24, perMonth: 0.52, effectiveFrom: '2025-12-01' });
    const before = answerQuickQuestion('lãi suất hộ nghèo bao nhiêu', BEFORE, shipped)!.programmes[0]!;
    expect(before.rate).toMatchObject({ perYear: 6.6, perMonth: 0.55, effectiveTo: '2025-11-30' });
    // The storm relief of Oct–Dec 2025 is only for some borrowers: mentioned, not applied.
    expect(before.otherRates.map((r) => [r.id, r.perYear, r.confirmed])).toEqual([['storm_relief_2025', 4.6, false]]);
  });

  it('gives the ceiling with its unit and note, and the term', () => {
    const water = answerQuickQuestion('vay nuoc sach duoc bao nhieu', NEW, shipped)!.programmes[0]!;
    expect(water.maxAmount).toMatchObject({
      amount: 25_000_000,
      unit: 'facility',
      maxTotal: 50_000_000,
      confirmed: true,
    });
    // The note adds what the figures do not say (it does not repeat "25 triệu … 50 triệu": see format.test.ts).
    expect(water.maxAmount.note?.vi).toContain('nước sạch hoặc nhà tiêu');
    expect(water.term).toMatchObject({ maxMonths: 60, confirmed: true });
    const near = answerQuickQuestion('hộ cận nghèo vay được tối đa bao nhiêu', NEW, shipped)!.programmes[0]!;
    expect(near.maxAmount.confirmed).toBe(false);
  });

  it('mentions the priority rate of job creation, and has no job-creation rate before 2026', () => {
    const job = answerQuickQuestion('lãi suất vay tạo việc làm', NEW, shipped)!.programmes[0]!;
    expect(job.rate?.perYear).toBe(7.9248);
    expect(job.otherRates.map((r) => `${r.id}:${r.perYear}`)).toEqual(['priority:6.24']);
    expect(answerQuickQuestion('lãi suất vay tạo việc làm', '2025-12-10', shipped)!.programmes[0]!.rate).toBeNull();
  });

  it("applies an area override for the member's commune", () => {
    const inFlood = answerQuickQuestion('lãi suất hộ nghèo', NEW, variant, C_FLOOD)!.programmes[0]!;
    expect(inFlood.rate).toMatchObject({ perYear: 5.24, perMonth: 0.4367 });
    const unknownCommune = answerQuickQuestion('lãi suất hộ nghèo', NEW, variant)!.programmes[0]!;
    expect(unknownCommune.rate?.perYear).toBe(6.24);
    expect(unknownCommune.otherRates.map((r) => r.id)).toEqual(['flood_test_2026']);
  });

  it('carries the data version, the date and the disclaimer', () => {
    const answer = answerQuickQuestion('lai suat vay sinh vien', new Date('2026-03-10T20:00:00Z'), shipped)!;
    expect(answer.date).toBe('2026-03-11');
    expect(answer.dataVersion).toBe(shipped.version);
    expect(answer.disclaimer).toEqual(shipped.disclaimer);
  });

  it('matches only words from the data file', () => {
    const json = structuredClone(shipped);
    json.programmes = json.programmes.map((p) =>
      p.id === WATER ? { ...p, keywords: { vi: ['giếng khoan'], en: [] } } : p,
    );
    expect(answerQuickQuestion('vay giếng khoan được bao nhiêu', NEW, json)?.programmes.map((p) => p.id)).toEqual([
      WATER,
    ]);
    expect(answerQuickQuestion('vay giếng khoan được bao nhiêu', NEW, shipped)?.allProgrammes).toBe(true);
  });
});
