// Calendar dates as `YYYY-MM-DD` text and day numbers, without the host's clock or time zone:
// monitoring periods are whole days, both ends inclusive, and vintages are calendar years.
import { assert } from './assert.ts';

export interface CivilDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** Earliest and latest years a monitoring date may have (a limit on everything). */
export const monitoringYearMin = 2013;
export const monitoringYearMax = 2100;

export function parseCivilDate(text: string): CivilDate | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (match === null) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < monitoringYearMin || year > monitoringYearMax) return null;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days since 1970-01-01 (Howard Hinnant's days_from_civil). */
export function dayNumber(date: CivilDate): number {
  const y = date.month <= 2 ? date.year - 1 : date.year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (date.month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + date.day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function formatCivilDate(date: CivilDate): string {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

/** Days of the inclusive period [start, end] that fall in each calendar year, in year order. */
export function daysPerYear(
  start: CivilDate,
  end: CivilDate,
): { readonly year: number; readonly days: number }[] {
  const out: { year: number; days: number }[] = [];
  for (let year = start.year; year <= end.year; year += 1) {
    const from = year === start.year ? start : { year, month: 1, day: 1 };
    const to = year === end.year ? end : { year, month: 12, day: 31 };
    out.push({ year, days: dayNumber(to) - dayNumber(from) + 1 });
  }
  return out;
}

/** The civil date of a day number (Howard Hinnant's civil_from_days). */
export function civilFromDayNumber(days: number): CivilDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** The date `days` calendar days after `date` (deadlines count calendar days). */
export function addDays(date: CivilDate, days: number): CivilDate {
  return civilFromDayNumber(dayNumber(date) + days);
}

/** The calendar date (UTC) of an ISO 8601 instant such as the clock gives. */
export function dateOfInstant(instant: string): CivilDate | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T/.exec(instant);
  if (match === null) return null;
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

/** The calendar date (UTC) of the clock's instant; a clock that gives anything else is a bug. */
export function dateOfClock(instant: string): CivilDate {
  const date = dateOfInstant(instant);
  assert(date !== null, `the clock gave ${instant}, not an ISO 8601 instant`);
  return date;
}

const instantPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?Z$/;

/** Milliseconds since 1970-01-01 of an ISO 8601 UTC instant as the clock and the database give it. */
export function instantMillis(instant: string): number | null {
  const m = instantPattern.exec(instant);
  if (m === null) return null;
  const [, y, mo, d, h, mi, s, ms = '0'] = m;
  const days = dayNumber({ year: Number(y), month: Number(mo), day: Number(d) });
  return (
    ((days * 24 + Number(h)) * 60 + Number(mi)) * 60_000 +
    Number(s) * 1000 +
    Number(ms.padEnd(3, '0'))
  );
}

/** The ISO 8601 UTC instant, with milliseconds, of milliseconds since 1970-01-01. */
export function formatInstant(millis: number): string {
  const days = Math.floor(millis / 86_400_000);
  const rest = millis - days * 86_400_000;
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(Math.floor(rest / 3_600_000))}:${two(Math.floor(rest / 60_000) % 60)}:${two(Math.floor(rest / 1000) % 60)}.${String(rest % 1000).padStart(3, '0')}`;
  const date = civilFromDayNumber(days);
  return `${String(date.year).padStart(4, '0')}-${two(date.month)}-${two(date.day)}T${time}Z`;
}
