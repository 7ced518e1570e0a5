import { describe, expect, it } from 'vitest';
import {
  conditionSchema,
  evaluateCondition,
  openFacts,
  type Condition,
  type Facts,
} from '../../../src/domain/credit/index.ts';

const r = (en: string) => ({ vi: en, en });
const poor: Condition = {
  fact: 'householdStatus',
  equals: 'poor',
  notMet: r('not poor'),
  unknown: r('status?'),
};
const rural: Condition = { fact: 'area', equals: 'rural', notMet: r('not rural'), unknown: r('area?') };

describe('three-valued evaluation', () => {
  const cases: [string, Condition, Facts, true | false | 'unknown', string[]][] = [
    ['a known fact that holds', poor, { householdStatus: 'poor' }, true, []],
    ['a known fact that fails', poor, { householdStatus: 'none' }, false, ['not poor']],
    ['an absent fact', poor, {}, 'unknown', ['status?']],
    [
      'all: one part fails (an unknown part does not matter)',
      { all: [poor, rural] },
      { area: 'urban' },
      false,
      ['not rural'],
    ],
    ['all: one part unknown', { all: [poor, rural] }, { area: 'rural' }, 'unknown', ['status?']],
    ['all: every part holds', { all: [poor, rural] }, { area: 'rural', householdStatus: 'poor' }, true, []],
    [
      'any: one part holds (an unknown part does not matter)',
      { any: [poor, rural], notMet: r('neither') },
      { area: 'rural' },
      true,
      [],
    ],
    [
      'any: one part unknown, the other fails',
      { any: [poor, rural], notMet: r('neither') },
      { area: 'urban' },
      'unknown',
      ['status?'],
    ],
    [
      'any: every part fails',
      { any: [poor, rural], notMet: r('neither') },
      { area: 'urban', householdStatus: 'none' },
      false,
      ['neither'],
    ],
    ['not: swaps', { not: poor, notMet: r('is poor') }, { householdStatus: 'poor' }, false, ['is poor']],
    ['not: keeps unknown', { not: poor, notMet: r('is poor') }, {}, 'unknown', ['status?']],
    [
      'onTrue check: decided, for an officer',
      { ...poor, onTrue: 'check', check: r('officer') },
      { householdStatus: 'poor' },
      'unknown',
      ['officer'],
    ],
    [
      'onFalse check: decided, for an officer',
      { ...poor, onFalse: 'check', check: r('officer') },
      { householdStatus: 'near_poor' },
      'unknown',
      ['officer'],
    ],
    [
      'in',
      { fact: 'householdStatus', in: ['poor', 'near_poor'], notMet: r('no'), unknown: r('?') },
      { householdStatus: 'near_poor' },
      true,
      [],
    ],
    [
      'atMost',
      { fact: 'amountNeeded', atMost: 100, notMet: r('too much'), unknown: r('?') },
      { amountNeeded: 101 },
      false,
      ['too much'],
    ],
    [
      'atLeast',
      { fact: 'amountNeeded', atLeast: 100, notMet: r('too little'), unknown: r('?') },
      { amountNeeded: 100 },
      true,
      [],
    ],
    [
      'excludes',
      { fact: 'outstandingLoanProgrammes', excludes: ['job'], notMet: r('has job'), unknown: r('?') },
      { outstandingLoanProgrammes: ['job'] },
      false,
      ['has job'],
    ],
    [
      'excludes, none held',
      { fact: 'outstandingLoanProgrammes', excludes: ['job'], notMet: r('has job'), unknown: r('?') },
      { outstandingLoanProgrammes: [] },
      true,
      [],
    ],
    [
      'includes',
      { fact: 'outstandingLoanProgrammes', includes: ['job'], notMet: r('no job'), unknown: r('?') },
      { outstandingLoanProgrammes: ['x', 'job'] },
      true,
      [],
    ],
  ];
  it.each(cases)('%s', (_name, condition, facts, value, reasons) => {
    const result = evaluateCondition(condition, facts);
    expect(result.value).toBe(value);
    expect(result.reasons.map((x) => x.en)).toEqual(reasons);
  });

  it('reports the facts that left a condition unknown', () => {
    expect(evaluateCondition({ all: [poor, rural] }, {}).unknownFacts).toEqual(['householdStatus', 'area']);
    expect(
      evaluateCondition({ ...poor, onTrue: 'check', check: r('x') }, { householdStatus: 'poor' }).unknownFacts,
    ).toEqual([]);
  });

  it('openFacts: only facts in parts still undecided', () => {
    const either: Condition = { any: [poor, rural], notMet: r('neither') };
    expect([...openFacts(either, {})]).toEqual(['householdStatus', 'area']);
    expect([...openFacts(either, { area: 'rural' })]).toEqual([]);
    expect([...openFacts({ all: [poor, rural] }, { area: 'urban' })]).toEqual([]);
    expect([...openFacts({ all: [poor, rural] }, { area: 'rural' })]).toEqual(['householdStatus']);
  });
});

describe('the condition schema', () => {
  const problems = (json: unknown) => {
    const parsed = conditionSchema.safeParse(json);
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('accepts the documented forms', () => {
    expect(problems(poor)).toEqual([]);
    expect(problems({ all: [poor, { any: [rural, { not: poor, notMet: r('x') }], notMet: r('y') }] })).toEqual([]);
  });

  it.each([
    ['no operator', { notMet: r('x') }, 'a condition needs one of'],
    [
      'two operators',
      { fact: 'area', equals: 'rural', in: ['urban'], notMet: r('x'), unknown: r('y') },
      'exactly one operator',
    ],
    ['a fact test without a fact', { equals: 'rural', notMet: r('x'), unknown: r('y') }, 'fact: "equals" tests a fact'],
    ['an unknown fact', { fact: 'income', equals: 'low', notMet: r('x'), unknown: r('y') }, 'fact: Invalid option'],
    [
      'a value the fact does not take',
      { fact: 'householdStatus', in: ['poor', 'rich'], notMet: r('x'), unknown: r('y') },
      'in.1: "rich" is not a value of "householdStatus"',
    ],
    [
      'an operator the fact does not take',
      { fact: 'area', atMost: 3, notMet: r('x'), unknown: r('y') },
      'atMost: fact "area" takes equals or in',
    ],
    ['a fact test without its reasons', { fact: 'area', equals: 'rural' }, 'notMet: required'],
    ['any without notMet', { any: [poor] }, 'notMet: required on "any"'],
    ['onFalse without check', { ...poor, onFalse: 'check' }, 'check: required with onTrue/onFalse'],
    ['a typo in a key', { ...poor, notmet: r('x') }, 'Unrecognized key: "notmet"'],
    ['a reason in one language only', { ...poor, notMet: { vi: 'không' } }, 'notMet.en'],
    [
      'a nested problem',
      { all: [poor, { fact: 'area', equals: 'suburban', notMet: r('x'), unknown: r('y') }] },
      'all.1.equals: "suburban" is not a value of "area"',
    ],
  ])('refuses %s', (_name, json, message) => {
    expect(problems(json).join('\n')).toContain(message);
  });
});
