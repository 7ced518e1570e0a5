import { describe, expect, it } from 'vitest';
import { MAX_AMOUNT_VND, parseAmount } from '../../../src/domain/credit/index.ts';

const M = 1_000_000;
const B = 1_000_000_000;

describe('parseAmount', () => {
  it.each([
    ['30 triệu', 30 * M],
    ['30tr', 30 * M],
    ['30 tr', 30 * M],
    ['30trieu', 30 * M],
    ['30 trieu', 30 * M],
    ['30 TRIỆU', 30 * M],
    ['30 triệu'.normalize('NFD'), 30 * M],
    ['30.000.000', 30 * M],
    ['30,000,000', 30 * M],
    ['30000000', 30 * M],
    ['30 000 000', 30 * M],
    ['30.000.000đ', 30 * M],
    ['30.000.000 VND', 30 * M],
    ['30 triệu đồng', 30 * M],
    ['1,5 tỷ', 1.5 * B],
    ['1.5 ty', 1.5 * B],
    ['1,5 tỉ', 1.5 * B],
    ['2,25 tỷ', 2.25 * B],
    ['1 tỷ 2', 1.2 * B],
    ['1ty25', 1.25 * B],
    ['1 tỷ 200 triệu', 1.2 * B],
    ['1.500 triệu', 1.5 * B],
    ['500 nghìn', 500_000],
    ['500 ngàn', 500_000],
    ['500 nghin', 500_000],
    ['500k', 500_000],
    ['500K', 500_000],
    ['5 trăm nghìn', 500_000],
    ['2 trăm triệu', 200 * M],
    ['30 củ', 30 * M],
    ['30 cu', 30 * M],
    ['30tr5', 30.5 * M],
    ['30 triệu 5', 30.5 * M],
    ['30 triệu 500 nghìn', 30.5 * M],
    ['2 triệu rưỡi', 2.5 * M],
    ['2tr ruoi', 2.5 * M],
    ['30,5 triệu', 30.5 * M],
    ['2k5', 2_500],
    ['30 million', 30 * M],
    ['1.5 billion', 1.5 * B],
    ['500 thousand', 500_000],
    ['30.000.000,5', 30 * M + 1],
    ['khoảng 30 triệu ạ', 30 * M],
    ['em cần tầm 50tr thôi', 50 * M],
    ['vay 30 triệu trong 2 năm', 30 * M],
    ['30 triệu 5 năm', 30 * M],
    ['1000', 1_000],
  ])('reads %j as %d VND', (text, vnd) => {
    expect(parseAmount(text)).toEqual({ ok: true, vnd });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['không biết', 'no_number'],
    ['ba mươi triệu', 'no_number'],
    ['20-30 triệu', 'range'],
    ['20 – 30 triệu', 'range'],
    ['20 đến 30 triệu', 'range'],
    ['20 tr hoặc 30 tr', 'range'],
    ['20 triệu và 30 triệu', 'several_amounts'],
    ['-5 triệu', 'not_positive'],
    ['0 đồng', 'not_positive'],
    ['0', 'not_positive'],
    ['1,500 tỷ', 'too_large'],
    ['1.2.3', 'malformed'],
    ['30.00.000', 'malformed'],
  ] as const)('refuses %j: %s', (text, reason) => {
    expect(parseAmount(text)).toEqual({ ok: false, reason });
  });

  it('asks about a small number without a unit, with the amount in millions as a guess', () => {
    expect(parseAmount('30')).toEqual({ ok: false, reason: 'no_unit', guess: 30 * M });
    expect(parseAmount('1,5')).toEqual({ ok: false, reason: 'no_unit', guess: 1.5 * M });
    expect(parseAmount('vay 50')).toEqual({ ok: false, reason: 'no_unit', guess: 50 * M });
  });

  it('accepts the largest plausible amount and not more', () => {
    expect(parseAmount('1000 tỷ')).toEqual({ ok: true, vnd: MAX_AMOUNT_VND });
    expect(parseAmount('1001 tỷ')).toEqual({ ok: false, reason: 'too_large' });
  });
});
