// Figures as a person reads them: plain dates ("30 Jun 2026"), instants to the minute in UTC, whole
// credits with thousands separators, decimals rounded with their unit, shares as percentages. For
// text meant for people only (the CLI's text, the portal): exact values stay in JSON.
import { Decimal as DecimalJs } from 'decimal.js';
import { assert } from './assert.ts';

// Rounding for reading: half away from zero, as people round by hand (the exact value is elsewhere).
const Decimal = DecimalJs.clone({ precision: 80, rounding: DecimalJs.ROUND_HALF_UP });

const monthNames = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
] as const;

/** Decimal places of a decimal rounded for reading: tonnes to one tenth. */
export const readableDecimalPlaces = 1;
/** Significant digits of an intermediate value of a calculation (a trace), rounded for reading. */
export const readableSignificantDigits = 7;
/** Longest number text that is rounded; anything longer is not a figure and is shown as it is. */
const readableNumberTextMax = 100;

const civilDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const instantPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d{1,9})?)?Z$/;
const wholePattern = /^-?\d+$/;
const decimalPattern = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?$/;

/** "2026-06-30" as "30 Jun 2026"; text that is not such a date is shown as it is. */
export function readableDate(date: string): string {
  const match = civilDatePattern.exec(date);
  if (match === null) return date;
  const month = monthNames[Number(match[2]) - 1];
  if (month === undefined) return date;
  return `${Number(match[3])} ${month} ${match[1]}`;
}

/** A calendar date with its month in full, for running text: "2025-08-07" as "7 August 2025". */
export function readableLongDate(date: string | null): string {
  if (date === null) return '';
  const match = civilDatePattern.exec(date);
  const month = match === null ? undefined : longMonthNames[Number(match[2]) - 1];
  if (match === null || month === undefined) return date;
  return `${Number(match[3])} ${month} ${match[1]}`;
}

const longMonthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * An ISO 8601 UTC instant ("2026-06-30T14:05:09.123Z") as "30 Jun 2026 14:05 UTC": to the minute,
 * cut rather than rounded so that the day shown is always the instant's day. Other text as it is.
 */
export function readableInstant(instant: string): string {
  const match = instantPattern.exec(instant);
  if (match === null) return instant;
  const [, year, month, day, hour, minute] = match;
  return `${readableDate(`${year}-${month}-${day}`)} ${hour}:${minute} UTC`;
}

/** The day of an ISO 8601 UTC instant, "30 Jun 2026", when the time of day does not matter. */
export function readableDayOfInstant(instant: string): string {
  const match = instantPattern.exec(instant);
  if (match === null) return instant;
  return readableDate(`${match[1]}-${match[2]}-${match[3]}`);
}

/** Whole credits (1 credit = 1 t CO2e) with thousands separators, exact: 8785n as "8,785". */
export function readableCredits(quantity: bigint | string): string {
  const text = typeof quantity === 'bigint' ? quantity.toString() : quantity.trim();
  if (!wholePattern.test(text)) return text;
  return text.startsWith('-') ? `-${grouped(text.slice(1))}` : grouped(text);
}

/** A count of things (entries, items) with thousands separators, exact. */
export function readableCount(count: bigint | number): string {
  assert(
    typeof count === 'bigint' || Number.isSafeInteger(count),
    `a count is a whole number, not ${count}`,
  );
  return readableCredits(BigInt(count));
}

/**
 * A decimal rounded to `places` decimal places with thousands separators: "8785.2501" as
 * "8,785.3". Text that is not a decimal number is shown as it is.
 */
export function readableDecimal(
  value: string | number,
  places: number = readableDecimalPlaces,
): string {
  assert(Number.isInteger(places) && places >= 0 && places <= 20, `places ${places}`);
  const exact = parsed(value);
  if (exact === null) return String(value);
  return withSeparators(exact.toFixed(places));
}

/** A decimal quantity rounded for reading with its unit: ("8785.25", "tCO2e") as "8,785.3 t CO2e". */
export function readableQuantity(
  value: string | number,
  unit: string,
  places: number = readableDecimalPlaces,
): string {
  return `${readableDecimal(value, places)} ${readableUnit(unit)}`;
}

/** Tonnes of CO2 written as a person writes them: "tCO2e" as "t CO2e", "tCO2/MWh" as "t CO2/MWh". */
export function readableUnit(unit: string): string {
  return unit.replace(/^t(CO2e?)\b/, 't $1');
}

/**
 * A share (a fraction, "0.45") as a percentage, "45%", with at most `places` decimals and no
 * trailing zeros: "0.125" as "12.5%", "1/3" written "0.3333" as "33.3%".
 */
export function readableShare(fraction: string | number, places = 1): string {
  assert(Number.isInteger(places) && places >= 0 && places <= 6, `places ${places}`);
  const exact = parsed(fraction);
  if (exact === null) return String(fraction);
  return `${withSeparators(trimZeros(exact.times(100).toFixed(places)))}%`;
}

/**
 * An intermediate value rounded to `digits` significant digits (never rounding the whole part),
 * without trailing zeros: "8670.20098630136986..." as "8,670.201", "0.000123456789" as
 * "0.0001234568".
 */
export function readableSignificant(
  value: string | number,
  digits: number = readableSignificantDigits,
): string {
  assert(Number.isInteger(digits) && digits >= 1 && digits <= 30, `digits ${digits}`);
  const exact = parsed(value);
  if (exact === null) return String(value);
  if (exact.isZero()) return '0';
  const wholeDigits = exact.abs().gte(1) ? exact.abs().trunc().toFixed(0).length : 0;
  const places =
    wholeDigits > 0
      ? Math.max(0, digits - wholeDigits)
      : digits - 1 - exact.abs().log(10).floor().toNumber();
  return withSeparators(trimZeros(exact.toFixed(places)));
}

function parsed(value: string | number): DecimalJs | null {
  if (typeof value === 'number') return Number.isFinite(value) ? new Decimal(value) : null;
  const text = value.trim();
  if (text.length === 0 || text.length > readableNumberTextMax || !decimalPattern.test(text))
    return null;
  return new Decimal(text);
}

/** "-1234567.89" as "-1,234,567.89". */
function withSeparators(fixed: string): string {
  const negative = fixed.startsWith('-');
  const [whole = '', fraction] = (negative ? fixed.slice(1) : fixed).split('.');
  // Rounding may leave "-0.0": a figure that rounds to zero is shown without a sign.
  const zero = /^[0.]*$/.test(whole + (fraction ?? ''));
  const sign = negative && !zero ? '-' : '';
  return `${sign}${grouped(whole)}${fraction === undefined ? '' : `.${fraction}`}`;
}

function grouped(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function trimZeros(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}
