// The corresponding-adjustment methods of decision 2/CMA.3, annex, paragraph 7, year by year: what
// each method applies to a year of the NDC period, the emissions balance of paragraph 8, and the
// period figures (budget, end of a multi-year period). adjustments.ts reads the flows and calls these.
import { assert, assertNever } from '../shared/assert.ts';
import { Decimal, decimalText } from '../methodology/decimal.ts';
import type { Ndc } from './types.ts';

/**
 * Decimal places an average keeps. Every average that terminates is exact with 6 places (a period
 * lies within 2013-2100, so it has at most 88 years, and no power of 2 or 5 up to 88 needs more than
 * 6: 64 = 2^6); 12 keep a repeating one to a millionth of a microtonne.
 */
export const averageDecimalPlaces = 12;

/**
 * The one rounding of Article 6.2 accounting: a cumulative amount divided by a number of years
 * (averaging, paragraph 7(a)(ii)). Exact when the quotient terminates (350 / 10 = 35); otherwise
 * rounded half-even at the 12th decimal place (350 / 3 = 116.666666666667). The house Decimal carries
 * the quotient to 60 significant digits first, far past the 12th place, so it is rounded once. Sums
 * of these averages with whole tonnes stay exact (asserted where they are made).
 */
export function averageOverYears(cumulative: bigint, years: number): string {
  assert(
    Number.isInteger(years) && years >= 1 && years <= 88,
    `cannot average over ${years} years`,
  );
  const average = new Decimal(cumulative.toString())
    .div(years)
    .toDecimalPlaces(averageDecimalPlaces, Decimal.ROUND_HALF_EVEN);
  return decimalText(average);
}

/** The exact sum of decimal texts and whole tonnes; asserted exact (no digit lost to precision). */
export function exactSum(terms: readonly (string | bigint)[]): string {
  let sum = new Decimal(0);
  for (const term of terms) {
    const value = new Decimal(term.toString());
    const next = sum.plus(value);
    assert(next.minus(value).eq(sum), `the sum of ${terms.length} amounts is not exact`);
    sum = next;
  }
  return decimalText(sum);
}

/** minuend - subtrahend, exact (asserted). */
export function exactDifference(minuend: string | bigint, subtrahend: string | bigint): string {
  const a = new Decimal(minuend.toString());
  const b = new Decimal(subtrahend.toString());
  const difference = a.minus(b);
  assert(difference.plus(b).eq(a), `${minuend} - ${subtrahend} is not exact`);
  return decimalText(difference);
}

/** Cumulative net over the years elapsed so far, with the average it gives: the fraction is exact. */
export interface RunningAverage {
  readonly cumulative: bigint;
  readonly elapsedYears: number;
  /** cumulative / elapsedYears by `averageOverYears`. */
  readonly average: string;
}

/**
 * `balanced`: the balance is computed. `emissions_missing`: the Party reported no emissions for the
 * year, so there is no balance (never a silent pass). `trajectory_missing`: the balance exists but
 * the trajectory method has no figure for the year to compare it with.
 */
export type YearStatus = 'balanced' | 'emissions_missing' | 'trajectory_missing';

export interface AdjustmentYear {
  readonly year: number;
  /** Paragraph 8(a): ITMOs the Party authorised and first transferred of this vintage (added). */
  readonly firstTransferred: bigint;
  /** Paragraph 8(b): ITMOs the Party used towards its NDC with this year of use (subtracted). */
  readonly used: bigint;
  /** The year's actual amount: firstTransferred - used (additions +, subtractions -). */
  readonly net: bigint;
  /** The adjustment the method applies to this year, signed, as exact decimal text. */
  readonly applied: string;
  /** Averaging only: the average over the years elapsed so far (applied only in the NDC year). */
  readonly runningAverage: RunningAverage | null;
  /** The Party's reported emissions for the year; null when it reported none. */
  readonly emissions: bigint | null;
  /** Paragraph 8: emissions + applied; null when the emissions are missing. */
  readonly adjustedBalance: string | null;
  /** Trajectory method only: the trajectory's figure for the year, and the balance minus it. */
  readonly trajectory: bigint | null;
  readonly balanceMinusTrajectory: string | null;
  readonly status: YearStatus;
}

/** What a year of the period holds before a method is applied. */
export interface YearFlow {
  readonly year: number;
  readonly firstTransferred: bigint;
  readonly used: bigint;
}

/** The adjustment the NDC's method applies to one year, given the years up to it. */
function appliedFor(
  ndc: Ndc,
  year: number,
  net: bigint,
  running: RunningAverage,
): { readonly applied: string; readonly runningAverage: RunningAverage | null } {
  switch (ndc.method) {
    // Paragraph 7(a)(i) and 7(b): the actual annual amounts, each year.
    case 'trajectory':
    case 'budget':
      return { applied: net.toString(), runningAverage: null };
    // Paragraph 7(a)(ii): the average over the elapsed years, applied in the NDC year only; before
    // it the running average is information.
    case 'averaging':
      return { applied: year === ndc.targetYear ? running.average : '0', runningAverage: running };
    default:
      return assertNever(ndc.method, 'adjustment method');
  }
}

/** The report's year rows, firstYear..reportedYear, in order. */
export function adjustmentYears(ndc: Ndc, flows: readonly YearFlow[]): AdjustmentYear[] {
  assert(flows.length >= 1, 'a report has at least one year');
  const emissions = new Map(ndc.emissions.map((e) => [e.year, e.quantity]));
  const trajectory = new Map(ndc.trajectory.map((t) => [t.year, t.quantity]));
  const rows: AdjustmentYear[] = [];
  let cumulative = 0n;
  for (const [index, flow] of flows.entries()) {
    assert(flow.year === ndc.firstYear + index, `year ${flow.year} out of order`);
    assert(flow.firstTransferred >= 0n && flow.used >= 0n, `negative flow in ${flow.year}`);
    const net = flow.firstTransferred - flow.used;
    cumulative += net;
    const elapsedYears = index + 1;
    const running = {
      cumulative,
      elapsedYears,
      average: averageOverYears(cumulative, elapsedYears),
    };
    const { applied, runningAverage } = appliedFor(ndc, flow.year, net, running);
    const reported = emissions.get(flow.year) ?? null;
    const adjustedBalance = reported === null ? null : exactSum([reported, applied]);
    const figure = ndc.method === 'trajectory' ? (trajectory.get(flow.year) ?? null) : null;
    const balanceMinusTrajectory =
      adjustedBalance === null || figure === null ? null : exactDifference(adjustedBalance, figure);
    const status: YearStatus =
      adjustedBalance === null
        ? 'emissions_missing'
        : ndc.method === 'trajectory' && figure === null
          ? 'trajectory_missing'
          : 'balanced';
    rows.push({
      ...flow,
      net,
      applied,
      runningAverage,
      emissions: reported,
      adjustedBalance,
      trajectory: figure,
      balanceMinusTrajectory,
      status,
    });
  }
  return rows;
}

/**
 * Budget method: the adjusted balances of the years reported so far against the period's budget.
 * `remaining` is budget - cumulativeBalance (negative: over the budget). Compared only when every
 * year has its emissions and the budget is known; otherwise the status says what is missing.
 */
export interface BudgetComparison {
  readonly budget: bigint | null;
  readonly cumulativeBalance: string | null;
  readonly remaining: string | null;
  readonly status: 'compared' | 'emissions_missing' | 'budget_missing';
}

export function budgetComparison(ndc: Ndc, years: readonly AdjustmentYear[]): BudgetComparison {
  assert(ndc.method === 'budget', 'a budget comparison needs the budget method');
  assert(years.length >= 1, 'a budget comparison needs at least one year');
  const balances = years.map((y) => y.adjustedBalance);
  const complete = balances.every((b) => b !== null);
  const cumulativeBalance = complete ? exactSum(balances as string[]) : null;
  if (cumulativeBalance === null)
    return { budget: ndc.budget, cumulativeBalance, remaining: null, status: 'emissions_missing' };
  if (ndc.budget === null)
    return { budget: null, cumulativeBalance, remaining: null, status: 'budget_missing' };
  const remaining = exactDifference(ndc.budget, cumulativeBalance);
  return { budget: ndc.budget, cumulativeBalance, remaining, status: 'compared' };
}

/**
 * Paragraph 7(b): at the end of a multi-year NDC's period, the cumulative adjustment over the whole
 * period (the sum of the annual adjustments, stated once more, not added a second time) and the
 * period's cumulative emissions balance. Only when the report reaches the period's last year.
 */
export interface EndOfPeriod {
  readonly year: number;
  readonly cumulativeAdjustment: bigint;
  readonly cumulativeEmissions: bigint | null;
  readonly cumulativeBalance: string | null;
  readonly status: 'balanced' | 'emissions_missing';
}

export function endOfPeriod(ndc: Ndc, years: readonly AdjustmentYear[]): EndOfPeriod {
  assert(ndc.kind === 'multi_year', 'the end-of-period adjustment is for a multi-year NDC');
  assert(years.length === ndc.lastYear - ndc.firstYear + 1, 'the end of period needs every year');
  const cumulativeAdjustment = years.reduce((sum, y) => sum + y.net, 0n);
  const missing = years.some((y) => y.emissions === null);
  const cumulativeEmissions = missing ? null : years.reduce((s, y) => s + (y.emissions ?? 0n), 0n);
  const cumulativeBalance =
    cumulativeEmissions === null ? null : exactSum([cumulativeEmissions, cumulativeAdjustment]);
  return {
    year: ndc.lastYear,
    cumulativeAdjustment,
    cumulativeEmissions,
    cumulativeBalance,
    status: missing ? 'emissions_missing' : 'balanced',
  };
}
