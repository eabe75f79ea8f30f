// Exact decimal arithmetic for methodologies. Sums, differences and products of decimals are exact;
// a quotient is carried to `decimalPrecisionDigits` significant digits (half-even), far beyond any
// metered value. Conversion to whole credits happens in one named function, `floorToCredits`.
import { Decimal as DecimalJs } from 'decimal.js';

/** Significant digits kept by a division (products and sums of metered values stay exact). */
export const decimalPrecisionDigits = 60;

export const Decimal = DecimalJs.clone({
  precision: decimalPrecisionDigits,
  rounding: DecimalJs.ROUND_HALF_EVEN,
  toExpNeg: -30,
  toExpPos: 40,
});
export type Decimal = InstanceType<typeof Decimal>;

/** Digits a written value may have: a plain decimal, optionally signed, optionally with an exponent. */
const decimalPattern = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?$/;

/** Decimal text longer than this is refused (a limit on everything: no million-digit numbers). */
export const decimalTextLengthMax = 64;

/** Parses written decimal text exactly; null when the text is not a number. */
export function parseDecimal(text: string): Decimal | null {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > decimalTextLengthMax) return null;
  if (!decimalPattern.test(trimmed)) return null;
  return new Decimal(trimmed);
}

/** The canonical text of a decimal: no exponent, no trailing zeros. */
export function decimalText(value: Decimal): string {
  return value.toFixed();
}

/** Whole tCO2e from an exact amount: rounded down, never below zero. The only rounding to credits. */
export function floorToCredits(value: Decimal): bigint {
  if (value.isNegative()) return 0n;
  return BigInt(value.toDecimalPlaces(0, Decimal.ROUND_DOWN).toFixed(0));
}

/** Whole tCO2e rounded up, for shares set aside (a reserve is never smaller than its share). */
export function ceilToCredits(value: Decimal): bigint {
  if (value.isNegative()) return 0n;
  return BigInt(value.toDecimalPlaces(0, Decimal.ROUND_UP).toFixed(0));
}
