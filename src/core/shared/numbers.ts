// Quantities of credits and serial numbers: bigint in code, decimal strings on the wire. These are
// the only functions that turn text into either.
import { quantityMax, serialMax, vintageMax, vintageMin } from './limits.ts';
import { ok, reject, type Result } from './result.ts';

const wholePattern = /^-?\d+$/;
const fractionPattern = /^-?\d*\.\d+$|^-?\d+\.\d*$/;

export function parseQuantity(raw: string): Result<bigint> {
  const text = raw.trim();
  if (fractionPattern.test(text) && !/^-?\d+\.0*$/.test(text)) {
    return reject('quantity_must_be_whole', `quantity ${text} is not a whole number of tCO2e`);
  }
  const whole = text.replace(/\.0*$/, '');
  if (!wholePattern.test(whole) || whole.length > 40) {
    return reject('quantity_malformed', `"${text.slice(0, 40)}" is not a quantity`);
  }
  const value = BigInt(whole);
  if (value <= 0n) return reject('quantity_must_be_positive', `quantity ${value} is not positive`);
  if (value > quantityMax) {
    return reject('quantity_too_large', `quantity ${value} exceeds the limit of ${quantityMax}`);
  }
  return ok(value);
}

export function parseSerial(raw: string): Result<bigint> {
  const text = raw.trim();
  if (!wholePattern.test(text) || text.length > 40) {
    return reject('serial_malformed', `"${text.slice(0, 40)}" is not a serial number`);
  }
  const value = BigInt(text);
  if (value < 1n) return reject('serial_must_be_positive', `serial ${value} is below 1`);
  if (value > serialMax) return reject('serial_too_large', `serial ${value} exceeds ${serialMax}`);
  return ok(value);
}

export function parseVintage(raw: number | string): Result<number> {
  const value = typeof raw === 'number' ? raw : /^\d{4}$/.test(raw) ? Number(raw) : NaN;
  return Number.isInteger(value) && value >= vintageMin && value <= vintageMax
    ? ok(value)
    : reject(
        'vintage_out_of_range',
        `vintage ${String(raw)} is not a year from ${vintageMin} to ${vintageMax}`,
      );
}
