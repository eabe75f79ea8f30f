// Figures for people: dates and instants in words, whole credits with separators and exact,
// decimals and shares rounded with their unit; text that is not such a figure is shown as it is.
import { describe, expect, it } from 'vitest';
import {
  readableCount,
  readableCredits,
  readableDate,
  readableDayOfInstant,
  readableDecimal,
  readableInstant,
  readableLongDate,
  readableQuantity,
  readableShare,
  readableSignificant,
  readableUnit,
} from '../../../src/core/shared/readable.ts';

describe('readable dates and instants', () => {
  it.each([
    ['2026-06-30', '30 Jun 2026'],
    ['2025-01-01', '1 Jan 2025'],
    ['2013-08-26', '26 Aug 2013'],
    ['2024-12-31', '31 Dec 2024'],
    // Not a date: shown as it is, never guessed at.
    ['2026-13-01', '2026-13-01'],
    ['30/06/2026', '30/06/2026'],
    ['', ''],
  ])('date %j reads %j', (text, shown) => {
    expect(readableDate(text)).toBe(shown);
  });

  it.each([
    ['2025-08-07', '7 August 2025'],
    ['2013-08-26', '26 August 2013'],
    ['2028-03-15', '15 March 2028'],
    ['2026-00-10', '2026-00-10'],
    [null, ''],
  ])('date %j in running text reads %j', (text, shown) => {
    expect(readableLongDate(text)).toBe(shown);
  });

  it.each([
    ['2026-06-30T00:00:00.000Z', '30 Jun 2026 00:00 UTC'],
    ['2026-06-30T14:05:59.999Z', '30 Jun 2026 14:05 UTC'],
    // Cut to the minute, not rounded: 23:59:59 stays on its day.
    ['2025-12-31T23:59:59.999Z', '31 Dec 2025 23:59 UTC'],
    ['2025-10-01T09:00:19Z', '1 Oct 2025 09:00 UTC'],
    ['2026-06-30', '2026-06-30'],
    ['2026-06-30T14:05:00+09:00', '2026-06-30T14:05:00+09:00'],
  ])('instant %j reads %j', (text, shown) => {
    expect(readableInstant(text)).toBe(shown);
  });

  it('gives the day of an instant', () => {
    expect(readableDayOfInstant('2025-12-31T23:59:59.999Z')).toBe('31 Dec 2025');
    expect(readableDayOfInstant('soon')).toBe('soon');
  });
});

describe('readable credits and counts', () => {
  it.each([
    [0n, '0'],
    [999n, '999'],
    [1000n, '1,000'],
    [8785n, '8,785'],
    [1234567n, '1,234,567'],
    [-1234567n, '-1,234,567'],
    // Exact however large: no float in between.
    [123456789012345678901234567890n, '123,456,789,012,345,678,901,234,567,890'],
    ['16354', '16,354'],
    ['12.5', '12.5'],
    ['IN001', 'IN001'],
  ])('%s reads %s', (value, shown) => {
    expect(readableCredits(value)).toBe(shown);
  });

  it('groups counts and refuses a fraction as a count', () => {
    expect(readableCount(51)).toBe('51');
    expect(readableCount(12345)).toBe('12,345');
    expect(() => readableCount(1.5)).toThrow();
  });
});

describe('readable decimals, quantities and shares', () => {
  it.each([
    ['8785.25', 1, '8,785.3'],
    ['8785.24999', 1, '8,785.2'],
    ['2710.245465', 1, '2,710.2'],
    ['8670.2009863013698630136986301369863013698630136986301369863', 1, '8,670.2'],
    ['0', 1, '0.0'],
    ['-0.04', 1, '0.0'],
    ['-1234.56', 1, '-1,234.6'],
    ['100000', 0, '100,000'],
    ['0.05', 1, '0.1'],
    ['1e3', 2, '1,000.00'],
    ['ten', 1, 'ten'],
  ])('%j to %i places reads %j', (value, places, shown) => {
    expect(readableDecimal(value, places)).toBe(shown);
  });

  it('writes quantities with their unit', () => {
    expect(readableQuantity('8785.25', 'tCO2e')).toBe('8,785.3 t CO2e');
    expect(readableQuantity('27535', 'tCO2')).toBe('27,535.0 t CO2');
    expect(readableUnit('tCO2/MWh')).toBe('t CO2/MWh');
    expect(readableUnit('MWh')).toBe('MWh');
  });

  it.each([
    ['0.45', '45%'],
    ['0.03', '3%'],
    ['0.125', '12.5%'],
    ['0.3333333', '33.3%'],
    ['1', '100%'],
    ['0', '0%'],
    ['0.00049', '0%'],
    ['half', 'half'],
  ])('share %j reads %j', (value, shown) => {
    expect(readableShare(value)).toBe(shown);
  });

  it.each([
    ['8670.2009863013698630136986301369863013698630136986301369863', '8,670.201'],
    ['17199.04', '17,199.04'],
    ['0.4', '0.4'],
    ['0.000123456789', '0.0001234568'],
    ['123456789.987', '123,456,790'],
    ['0.99999999', '1'],
    ['-2.5', '-2.5'],
    ['0', '0'],
  ])('intermediate value %j reads %j', (value, shown) => {
    expect(readableSignificant(value)).toBe(shown);
  });
});
