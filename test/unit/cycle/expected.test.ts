// Expected reductions by vintage: whole years give the yearly figure, part years their share of days
// (leap years counted), rounded down; nothing before the crediting period or after the asked year.
import { describe, expect, it } from 'vitest';
import { expectedByVintage } from '../../../src/core/cycle/expected.ts';

describe('expected reductions by vintage', () => {
  it('spreads the yearly figure by days over the crediting period', () => {
    const byVintage = expectedByVintage(15_000n, { start: '2025-10-01', end: '2035-09-30' }, 2028);
    // 2025: 92 days of 365 -> 3,780.8 -> 3,780; 2028 is a leap year but whole.
    expect([...byVintage]).toEqual([
      [2025, 3780n],
      [2026, 15000n],
      [2027, 15000n],
      [2028, 15000n],
    ]);
  });

  it('ends with the crediting period and counts leap days', () => {
    const byVintage = expectedByVintage(366n, { start: '2027-01-01', end: '2028-02-29' }, 2040);
    expect([...byVintage]).toEqual([
      [2027, 366n],
      [2028, 60n],
    ]);
  });

  it('is empty before the crediting period starts or without valid dates', () => {
    expect(expectedByVintage(100n, { start: '2030-01-01', end: '2039-12-31' }, 2029).size).toBe(0);
    expect(expectedByVintage(100n, { start: 'soon', end: '2039-12-31' }, 2035).size).toBe(0);
  });
});
