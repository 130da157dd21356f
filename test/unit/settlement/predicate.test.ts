import { describe, expect, it } from 'vitest';
import { evaluatePredicate, selectVersion, type Predicate } from '../../../src/settlement/index.js';

describe('evaluatePredicate', () => {
  it('eq compares strictly, across value types', () => {
    expect(evaluatePredicate({ op: 'eq', value: false }, false)).toBe(true);
    expect(evaluatePredicate({ op: 'eq', value: false }, true)).toBe(false);
    expect(evaluatePredicate({ op: 'eq', value: 'generel' }, 'generel')).toBe(true);
    expect(evaluatePredicate({ op: 'eq', value: 1 }, '1')).toBe(false);
    expect(evaluatePredicate({ op: 'eq', value: 1 }, true)).toBe(false);
    expect(evaluatePredicate({ op: 'eq', value: 0 }, false)).toBe(false);
  });

  it('in matches any listed value', () => {
    const predicate: Predicate = { op: 'in', values: ['generel', 'fokuseret'] };
    expect(evaluatePredicate(predicate, 'fokuseret')).toBe(true);
    expect(evaluatePredicate(predicate, 'saerlig')).toBe(false);
    expect(evaluatePredicate({ op: 'in', values: [] }, 'generel')).toBe(false);
    expect(evaluatePredicate({ op: 'in', values: [60, 70] }, 70)).toBe(true);
  });

  it('orders numbers, with the boundaries as documented', () => {
    expect(evaluatePredicate({ op: 'gt', value: 0 }, 0)).toBe(false);
    expect(evaluatePredicate({ op: 'gt', value: 0 }, 1)).toBe(true);
    expect(evaluatePredicate({ op: 'gte', value: 60 }, 60)).toBe(true);
    expect(evaluatePredicate({ op: 'gte', value: 60 }, 59.5)).toBe(false);
    expect(evaluatePredicate({ op: 'lt', value: 10 }, 10)).toBe(false);
    expect(evaluatePredicate({ op: 'lt', value: 10 }, -3)).toBe(true);
    expect(evaluatePredicate({ op: 'lte', value: 10 }, 10)).toBe(true);
  });

  it('between is inclusive at both ends', () => {
    const predicate: Predicate = { op: 'between', min: 60, max: 80 };
    expect([59, 60, 70, 80, 81].map((value) => evaluatePredicate(predicate, value))).toEqual([false, true, true, true, false]);
  });

  it('never orders strings or booleans', () => {
    expect(evaluatePredicate({ op: 'gt', value: 0 }, '5')).toBe(false);
    expect(evaluatePredicate({ op: 'gte', value: 0 }, true)).toBe(false);
    expect(evaluatePredicate({ op: 'between', min: 0, max: 9 }, '5')).toBe(false);
  });

  it('rejects an unknown operator instead of treating it as not met', () => {
    expect(() => evaluatePredicate({ op: 'ne', value: 1 } as unknown as Predicate, 2)).toThrow(RangeError);
  });
});

describe('selectVersion', () => {
  const versions = [
    { effective_from: '2020-01-01', label: 'v1' },
    { effective_from: '2024-01-01', label: 'v2' },
    { effective_from: '2022-06-01', label: 'v1.5' },
  ];

  it('picks the latest version in force on measured_on, whatever the list order', () => {
    expect(selectVersion(versions, '2023-12-31')?.label).toBe('v1.5');
    expect(selectVersion(versions, '2024-01-01')?.label).toBe('v2');
    expect(selectVersion(versions, '2022-05-31')?.label).toBe('v1');
  });

  it('returns null when no version is in force yet', () => {
    expect(selectVersion(versions, '2019-12-31')).toBeNull();
    expect(selectVersion([], '2030-01-01')).toBeNull();
  });

  it('prefers the version listed last among equal effective dates', () => {
    const same = [
      { effective_from: '2020-01-01', label: 'first' },
      { effective_from: '2020-01-01', label: 'second' },
    ];
    expect(selectVersion(same, '2021-01-01')?.label).toBe('second');
  });
});
