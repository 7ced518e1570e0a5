// What her typed words prefill at the start of a report (issue 13, trial findings B and C): the group only from an
// unambiguous product word, never from a bare syllable that is another word ("my" is not "mỳ"); a question about
// buying is no report.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isPriceRange, PRODUCT_GROUPS, readPriceAndUnit, type ProductGroup } from '../../../src/domain/listings.ts';
import { asksToBuy, groupIn } from '../../../src/features/products/report.ts';

const locale = (lng: string) =>
  JSON.parse(readFileSync(new URL(`../../../locales/${lng}/products.json`, import.meta.url), 'utf8')) as {
    groups: Record<ProductGroup, { words: string[] }>;
    typed: { buying: string[] };
  };
const [vi, en] = [locale('vi'), locale('en')];
const words = new Map(PRODUCT_GROUPS.map((g) => [g, [...vi.groups[g].words, ...en.groups[g].words]]));
const buying = [...vi.typed.buying, ...en.typed.buying];

describe('the group her words name', () => {
  it('is read from a product word, with or without marks when it has two words', () => {
    expect(groupIn('em muốn bán mật ong', words)).toBe('food');
    expect(groupIn('em muon ban mat ong', words)).toBe('food');
    expect(groupIn('em bán chè búp', words)).toBe('beverages');
    expect(groupIn('i want to sell honey', words)).toBe('food');
  });

  it('is not guessed from a bare syllable that may be another word: the group is asked', () => {
    expect(groupIn('I want to sell my handmade bags', words)).not.toBe('food');
    expect(groupIn('em muon ban my pham', words)).toBeNull();
    expect(groupIn('ca', words)).toBeNull();
    // Marks she typed are compared: "mỹ phẩm" is not "mỳ"; one word typed bare in a marked sentence is not taken.
    expect(groupIn('em muốn bán mỹ phẩm', words)).toBeNull();
    expect(groupIn('em muốn bán ca', words)).toBeNull();
    expect(groupIn('em muốn bán cá', words)).toBe('food');
  });
});

describe('a question about buying', () => {
  it('is told apart from selling', () => {
    expect(asksToBuy('co ai ban mat ong ko', buying)).toBe(true);
    expect(asksToBuy('em cần mua mật ong', buying)).toBe(true);
    expect(asksToBuy('where can I buy honey', buying)).toBe(true);
    expect(asksToBuy('em muon ban mat ong', buying)).toBe(false);
    expect(asksToBuy('em muốn bán mật ong cho người mua', buying)).toBe(false);
    expect(asksToBuy('I want to sell my handmade bags', buying)).toBe(false);
  });
});

describe('a typed price', () => {
  it('"150k each" is per piece; a range is no price', () => {
    expect(readPriceAndUnit('150k each')).toEqual({ vnd: 150_000, unit: 'cái' });
    expect(readPriceAndUnit('35k per kg')).toEqual({ vnd: 35_000, unit: 'kg' });
    for (const range of ['50-60k', '50k - 60k', '50 đến 60k']) {
      expect(readPriceAndUnit(range)).toBeNull();
      expect(isPriceRange(range)).toBe(true);
    }
    expect(isPriceRange('120k/lọ')).toBe(false);
  });
});
