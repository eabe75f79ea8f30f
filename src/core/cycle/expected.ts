// Expected reductions by vintage: a project's expected reductions per year (from its PDD) spread
// over the calendar years of its crediting period by days, so that they can be set beside the
// verified reductions and issued credits of each vintage. Rounded down per vintage.
import { daysPerYear, isLeapYear, parseCivilDate } from '../shared/civil-date.ts';

export function expectedByVintage(
  perYear: bigint,
  creditingPeriod: { readonly start: string; readonly end: string },
  untilYear: number,
): Map<number, bigint> {
  const start = parseCivilDate(creditingPeriod.start);
  const end = parseCivilDate(creditingPeriod.end);
  const out = new Map<number, bigint>();
  if (start === null || end === null || untilYear < start.year) return out;
  const last = end.year <= untilYear ? end : { year: untilYear, month: 12, day: 31 };
  for (const { year, days } of daysPerYear(start, last))
    out.set(year, (perYear * BigInt(days)) / BigInt(isLeapYear(year) ? 366 : 365));
  return out;
}
