// What a member reads of a credit answer, for every purpose and household status, in both languages: the first part
// is short, rates are written the way the bank writes them, sentences are joined cleanly, nothing is said twice; and
// the data file keeps to what the channels and the texts need (short ids, button-sized labels, notes that add to the
// figures instead of repeating them). Issue 8, items 7, 10, 11 and 12.
import { describe, expect, it } from 'vitest';
import {
  answerQuickQuestion,
  displayRate,
  evaluate,
  HOUSEHOLD_STATUSES,
  MAX_BUTTON_LABEL,
  parseProgrammeData,
  purposeFit,
  PURPOSES,
  quickAnswerFor,
  toIsoDate,
  type CreditAnswers,
} from '../../../src/domain/credit/index.ts';
import { LANGUAGES, type Language } from '../../../src/domain/member.ts';
import { checkProgrammeSource } from '../../../src/data/programmeStore.ts';
import {
  FIRST_PAGE_BUDGET,
  formatVnd,
  joinSentences,
  moreAction,
  quickAnswerMessages,
  resultPages,
} from '../../../src/features/credit/format.ts';
import { withCreditActions } from '../../../src/features/credit/quick.ts';
import { createLocalisation } from '../../../src/i18n/i18n.ts';
import { C_CITY, shipped, shippedJson } from './data.ts';

const localisation = createLocalisation();
const NEW = '2026-03-10';
const M = 1_000_000;

/** Every pre-screen a member can finish with purpose and household status answered (the rest unknown or given). */
function everyAnswer(): CreditAnswers[] {
  const all: CreditAnswers[] = [];
  for (const purpose of PURPOSES) {
    for (const householdStatus of [...HOUSEHOLD_STATUSES, 'unknown'] as const) {
      all.push({ purpose, householdStatus });
      all.push({ purpose, householdStatus, area: 'urban', amountNeeded: 30 * M, savingsGroupMember: 'yes' });
      all.push({ purpose, householdStatus, area: 'rural', ethnicMinority: 'no', outstandingLoans: 'none' });
    }
  }
  return all;
}

const render = (said: ReturnType<typeof quickAnswerMessages>, language: Language): string =>
  said
    .map((m) => ('actions' in m ? m.text : 'photo' in m ? { raw: `[photo ${m.photo}]` } : m))
    .map((m) => ('raw' in m ? m.raw : localisation.translator(language)(m.key, m.vars)))
    .join('\n');

describe('the pre-screen answer as a member reads it', () => {
  const cases = LANGUAGES.flatMap((language) => everyAnswer().map((answers) => ({ language, answers })));

  it.each(cases.map((c) => [`${c.language} ${JSON.stringify(c.answers)}`, c] as const))('%s', (_name, c) => {
    const t = localisation.translator(c.language);
    const result = evaluate(c.answers, NEW, C_CITY, shipped);
    const purposeLabel = c.answers.purpose ? t(`credit:purposes.${c.answers.purpose}`) : null;
    const pages = resultPages(result, c.language, t, { purposeLabel });
    // Lead with the answer: the first part fits a phone screen; the rest is behind "Xem thêm".
    expect(pages[0]!.length).toBeLessThanOrEqual(FIRST_PAGE_BUDGET);
    const all = pages.join('\n');
    const withoutEllipses = all.replaceAll('...', '…');
    expect(pages.every((p) => p.trim() !== '')).toBe(true);
    // Sentences joined cleanly; rates as the bank writes them; no untranslated key; no unexplained abbreviation.
    expect(withoutEllipses).not.toMatch(/\.[;,]|\.\s*\.|:\s*\./);
    expect(all).not.toMatch(/\d[.,]\d{4,}\s?%/);
    expect(all).not.toMatch(/credit:|\{\{/);
    expect(all).not.toContain('TK&VV');
    expect(all).not.toContain('NHCSXH');
    // At most one "next step" bullet per programme shown in full.
    for (const page of pages) {
      for (const block of page.split('\n\n')) {
        expect((block.match(/Bước tiếp theo|Next step/g) ?? []).length).toBeLessThanOrEqual(1);
      }
    }
    // When nothing fits, no reason of a programme meant for another purpose is given before hers.
    if (result.nothingFits && c.answers.purpose) {
      const firstOther = result.programmes.findIndex((p) => p.purposeFit === 'none');
      const mine = result.programmes.filter((p) => p.purposeFit !== 'none');
      expect(firstOther === -1 || mine.every((p) => result.programmes.indexOf(p) < firstOther)).toBe(true);
    }
  });
});

describe('quick answers', () => {
  it.each(['lai suat bao nhieu', 'vay duoc bao nhieu', 'vay duoc bao lau', 'interest rates', 'lai suat ho ngheo'])(
    '%j: short, clean, rates as the bank writes them',
    (question) => {
      for (const language of LANGUAGES) {
        const t = localisation.translator(language);
        const answer = answerQuickQuestion(question, NEW, shipped)!;
        const first = render(quickAnswerMessages(answer, language, t), language);
        expect(first.length).toBeLessThan(700);
        const detail = render(quickAnswerMessages({ ...answer, detailed: true }, language, t), language);
        for (const text of [first, detail]) {
          expect(text).not.toMatch(/\.[;,]|\d[.,]\d{4,}\s?%/);
          // Nothing was asked about her: no "not known whether…" on a figure.
          expect(text).not.toMatch(/Chưa rõ|not known/);
        }
      }
    },
  );

  it.each(LANGUAGES)('%s: the words shown to type for "see the detail" ask the same quick question', (language) => {
    const t = localisation.translator(language);
    const actions = withCreditActions(
      { parseTyped: () => null, typedFor: () => undefined, run: () => Promise.reject(new Error('not credit')) },
      shipped,
    );
    for (const figures of [['rate'], ['maxAmount'], ['term'], ['rate', 'maxAmount']] as const) {
      const typed = actions.typedFor(moreAction(figures), t)!;
      const answer = answerQuickQuestion(typed, NEW, shipped);
      expect(answer, typed).toMatchObject({ detailed: true, allProgrammes: true, asked: [...figures] });
    }
  });

  it('a "see the detail" answer gives the same figures as the typed detail question', () => {
    const typed = answerQuickQuestion('chi tiết lãi suất', NEW, shipped)!;
    expect(typed.detailed).toBe(true);
    expect(typed).toEqual(quickAnswerFor(['rate'], null, NEW, shipped, null, true));
  });
});

describe('figures and words', () => {
  it.each([
    [6.24, 6.24],
    [7.488, 7.488],
    [0.624, 0.624],
    [7.9248, 7.92],
    [0.6604, 0.66],
    [0.4367, 0.44],
    [9.7344, 9.73],
    [8.25, 8.25],
    [0.6875, 0.69],
    [3, 3],
  ])('a rate of %d is written %d', (exact, shown) => {
    expect(displayRate(exact)).toBe(shown);
  });

  it('joins sentences without ".;"', () => {
    expect(joinSentences(['Chưa rõ hộ nghèo: cán bộ sẽ kiểm tra.', 'Chưa rõ dân tộc', ''])).toBe(
      'Chưa rõ hộ nghèo: cán bộ sẽ kiểm tra. Chưa rõ dân tộc.',
    );
  });

  it('a date is read in the configured zone', () => {
    const at = new Date('2025-11-30T18:00:00Z');
    expect(toIsoDate(at)).toBe('2025-12-01');
    expect(toIsoDate(at, 'Asia/Ho_Chi_Minh')).toBe('2025-12-01');
    expect(toIsoDate(at, 'UTC')).toBe('2025-11-30');
  });

  it('formats money in both languages', () => {
    expect(formatVnd(30 * M, 'vi', localisation.translator('vi'))).toBe('30 triệu đồng');
    expect(formatVnd(30 * M, 'en', localisation.translator('en'))).toBe('30 million VND');
  });
});

describe('programmes for her purpose come first (item 7)', () => {
  const byId = (id: string) => shipped.programmes.find((p) => p.id === id)!;

  it('tells a programme for the purpose from one that may cover it in part', () => {
    expect(purposeFit(byId('clean_water_sanitation'), 'water_sanitation')).toBe('main');
    expect(purposeFit(byId('poor_households'), 'water_sanitation')).toBe('partial');
    expect(purposeFit(byId('poor_households'), 'production')).toBe('main');
    expect(purposeFit(byId('students'), 'water_sanitation')).toBe('none');
    expect(purposeFit(byId('students'), undefined)).toBeNull();
  });

  it('urban, clean water, no list: the water programme first, failing on the area', () => {
    const result = evaluate(
      { purpose: 'water_sanitation', householdStatus: 'none', area: 'urban' },
      NEW,
      C_CITY,
      shipped,
    );
    expect(result.nothingFits).toBe(true);
    expect(result.programmes.map((p) => [p.id, p.purposeFit])).toEqual([
      ['clean_water_sanitation', 'main'],
      ['poor_households', 'partial'],
      ['near_poor_households', 'partial'],
      ['recently_escaped_households', 'partial'],
      ...result.programmes.slice(4).map((p) => [p.id, 'none']),
    ]);
    expect(result.programmes[0]!.failedFacts).toEqual(['area']);
    expect(result.programmes[0]!.reasons.map((r) => r.vi)).toEqual([
      'Chương trình này dành cho hộ ở khu vực nông thôn.',
    ]);
  });
});

describe('the data file fits the channels and the texts (items 10 and 12)', () => {
  /** The shipped file with one change; its problems, as `programmes import` prints them. */
  function problemsWith(change: (json: Record<string, unknown>) => void): string[] {
    const json = shippedJson();
    change(json);
    const result = checkProgrammeSource(JSON.stringify(json, null, 2));
    return result.ok ? [] : result.problems;
  }
  const programmes = (json: Record<string, unknown>) => json['programmes'] as Record<string, unknown>[];

  it('refuses a programme id too long for button data (63 characters), with its line', () => {
    const long = 'poor_households_loans_of_the_vietnam_bank_for_social_policies_x';
    expect(long).toHaveLength(63);
    const problems = problemsWith((json) => {
      programmes(json)[0]!['id'] = long;
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^line \d+, column \d+: programmes\.0\.id: at most 32 characters \(ids travel in button data/,
      ),
    ]);
  });

  it('refuses ids with characters a button or a URL would mangle', () => {
    for (const id of ['Hộ nghèo', 'poor households', 'poor:households', 'POOR', '1poor']) {
      const problems = problemsWith((json) => {
        programmes(json)[0]!['id'] = id;
        // The cross-references to the old id are reported too; only the id's own problem matters here.
      });
      expect(problems.some((p) => /programmes\.0\.id: lower case letters, digits, - and _/.test(p))).toBe(true);
    }
    expect(problemsWith((json) => void (programmes(json)[1]!['id'] = 'near-poor_2026'))).toEqual([]);
  });

  it('refuses a button label that is too long: a short name over the limit, or a long name without one', () => {
    const tooLong = 'Cho vay hộ nghèo để sản xuất, kinh doanh ở thôn';
    expect(tooLong.length).toBeGreaterThan(MAX_BUTTON_LABEL);
    expect(
      problemsWith((json) => {
        programmes(json)[0]!['shortNames'] = { vi: tooLong, en: 'Poor' };
      }),
    ).toEqual([expect.stringMatching(/programmes\.0\.shortNames\.vi: at most 40 characters/)]);
    expect(
      problemsWith((json) => {
        delete programmes(json)[3]!['shortNames'];
      }),
    ).toEqual([expect.stringMatching(/programmes\.3\.names\.vi: longer than 40 characters: add "shortNames"/)]);
  });

  it('every shipped label fits a button, and notes add to the figures instead of repeating them', () => {
    const t = localisation.translator('vi');
    for (const p of shipped.programmes) {
      const label = p.shortNames ?? p.names;
      expect(label.vi.length).toBeLessThanOrEqual(MAX_BUTTON_LABEL);
      expect(label.en.length).toBeLessThanOrEqual(MAX_BUTTON_LABEL);
      const amounts = [p.maxAmount.amount, p.maxAmount.maxTotal].flatMap((a) => (a ? [formatVnd(a, 'vi', t)] : []));
      for (const amount of amounts) {
        const short = amount.replace(/ đồng$/, '');
        expect(p.maxAmount.note?.vi ?? '').not.toContain(short);
      }
      for (const list of [p.documents.vi, p.documents.en]) {
        for (const item of list) expect(item).not.toMatch(/[.;,]$/);
      }
      for (const r of p.rates) {
        if (r.tierName) expect(r.tierName.vi).not.toContain(':');
      }
    }
    expect(parseProgrammeData(shippedJson()).programmes).toHaveLength(shipped.programmes.length);
  });
});
