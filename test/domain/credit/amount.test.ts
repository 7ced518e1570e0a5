import { describe, expect, it } from 'vitest';
import { MAX_AMOUNT_VND, parseAmount, readLoanAmount } from '../../../src/domain/credit/index.ts';

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
    // Spelled out, and with chục / mươi / trăm (issue 8: "3 chục triệu" was read as 3 million).
    ['ba mươi triệu', 30 * M],
    ['3 chục triệu', 30 * M],
    ['ba chục triệu', 30 * M],
    ['khoảng ba chục triệu ạ', 30 * M],
    ['chục triệu', 10 * M],
    ['hai mươi lăm triệu', 25 * M],
    ['hai lăm triệu', 25 * M],
    ['mười lăm triệu', 15 * M],
    ['năm triệu', 5 * M],
    ['1tr2', 1.2 * M],
    ['1 triệu rưỡi', 1.5 * M],
    ['hai triệu rưỡi', 2.5 * M],
    ['một tỷ hai', 1.2 * B],
    ['nửa tỷ', 0.5 * B],
    ['2 trăm triệu', 200 * M],
    ['hai trăm triệu', 200 * M],
    ['trăm triệu', 100 * M],
    ['2 trăm 50 triệu', 250 * M],
    ['hai trăm năm mươi triệu', 250 * M],
    ['một trăm linh năm triệu', 105 * M],
    ['năm mươi nghìn', 50_000],
    ['50 nghìn', 50_000],
    ['50 ngàn', 50_000],
    ['50k', 50_000],
    ['30tr', 30 * M],
    ['30.000.000đ', 30 * M],
    // Number words that are also ordinary words stay words.
    ['bà ngoại cần vay 30 triệu', 30 * M],
    ['năm nay em cần 30 triệu', 30 * M],
    ['một khoản vay 30 triệu', 30 * M],
  ])('reads %j as %d VND', (text, vnd) => {
    expect(parseAmount(text)).toEqual({ ok: true, vnd });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['không biết', 'no_number'],
    ['vài chục triệu', 'no_number'],
    ['20-30 triệu', 'range'],
    ['20 – 30 triệu', 'range'],
    ['20 đến 30 triệu', 'range'],
    ['20 tr hoặc 30 tr', 'range'],
    ['hai đến ba triệu', 'range'],
    ['mấy trăm nghìn', 'no_number'],
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

describe('readLoanAmount: what the flow does with an amount', () => {
  it.each([
    ['30 triệu', { kind: 'ok', vnd: 30 * M }],
    ['3 chục triệu', { kind: 'ok', vnd: 30 * M }],
    ['1 triệu', { kind: 'ok', vnd: M }],
    ['1000000', { kind: 'ok', vnd: M }],
    // A small bare number is read in millions and confirmed.
    ['30', { kind: 'confirm', vnd: 30 * M, why: 'no_unit' }],
    ['3 chục', { kind: 'confirm', vnd: 30 * M, why: 'no_unit' }],
    // An amount with its unit but implausibly small for a loan is confirmed.
    ['50k', { kind: 'confirm', vnd: 50_000, why: 'small' }],
    ['500 nghìn', { kind: 'confirm', vnd: 500_000, why: 'small' }],
    ['3.000 đồng', { kind: 'confirm', vnd: 3_000, why: 'small' }],
    // A bare number of thousands (issue 8: "1000" and "3000" were taken as 1.000 and 3.000 đồng): which one?
    ['1000', { kind: 'pick', options: [M, 1_000] }],
    ['3000', { kind: 'pick', options: [3 * M, 3_000] }],
    ['3.000', { kind: 'pick', options: [3 * M, 3_000] }],
    ['500000', { kind: 'pick', options: [500 * M, 500_000] }],
    ['ba mươi', { kind: 'confirm', vnd: 30 * M, why: 'no_unit' }],
    ['nhiều lắm', { kind: 'invalid', reason: 'no_number' }],
    ['20-30 triệu', { kind: 'invalid', reason: 'range' }],
  ] as const)('%j → %j', (text, reading) => {
    expect(readLoanAmount(text)).toEqual(reading);
  });
});
