import { describe, expect, it } from 'vitest';
import { readPrice, readPriceAndUnit } from '../../src/domain/listings.ts';

describe('readPrice: a price as people type it', () => {
  it.each([
    ['50k', 50_000],
    ['50K', 50_000],
    ['50.000đ', 50_000],
    ['50.000 đ', 50_000],
    ['50.000 đồng', 50_000],
    ['50,000 vnd', 50_000],
    ['50 nghìn', 50_000],
    ['50 ngàn', 50_000],
    ['50 nghin', 50_000],
    ['1tr2', 1_200_000],
    ['1tr', 1_000_000],
    ['1 triệu 2', 1_200_000],
    ['1,5 triệu', 1_500_000],
    ['1.5tr', 1_500_000],
    ['2 củ', 2_000_000],
    ['120000', 120_000],
    ['35k/kg', 35_000],
    ['50k một hộp', 50_000],
    ['  80k ạ ', 80_000],
  ])('%s → %i', (typed, vnd) => {
    expect(readPrice(typed)).toBe(vnd);
  });

  it.each(['không biết', 'abc', '0', '-5', '0k', '5000 tỷ', '20-30k', '50', '', '/kg'])('refuses %j', (typed) => {
    expect(readPrice(typed)).toBeNull();
  });

  it('reads the unit said after the price, which may prefill the unit question', () => {
    expect(readPriceAndUnit('35k/kg')).toEqual({ vnd: 35_000, unit: 'kg' });
    expect(readPriceAndUnit('50k một hộp')).toEqual({ vnd: 50_000, unit: 'hộp' });
    expect(readPriceAndUnit('120.000đ / chai 500ml')).toEqual({ vnd: 120_000, unit: 'chai 500ml' });
    expect(readPriceAndUnit('50k')).toEqual({ vnd: 50_000, unit: null });
  });
});
