// Runs a compiled methodology over validated monitoring data: every equation of every monitoring
// period in exact decimals, each value kept in a trace with its formula and inputs; emission
// reductions split by vintage and rounded down to whole credits once, per period and vintage.
import { canonicalJson, type Json } from '../shared/canonical-json.ts';
import { assert, assertNever } from '../shared/assert.ts';
import type { CompiledMethodology, Typed } from './compile.ts';
import { daysPerYear, dayNumber, formatCivilDate } from '../shared/civil-date.ts';
import { ceilToCredits, Decimal, decimalText, floorToCredits } from './decimal.ts';
import type { MonitoringData, MonitoringIssue, MonitoringPeriod } from './monitoring-input.ts';

export interface TraceEntry {
  /** A parameter's value as reported (fixed or monitored), or an equation's result. */
  readonly kind: 'fixed' | 'monitored' | 'equation';
  readonly symbol: string;
  readonly description: string;
  /** The formula of an equation; for a parameter, its source or monitoring option. */
  readonly expression: string;
  readonly unit: string;
  /** Project-level value, or one value per monitoring point. */
  readonly value?: string;
  readonly values?: Readonly<Record<string, string>>;
  /** The symbols the formula used. */
  readonly inputs: readonly string[];
}

export interface VintageResult {
  readonly vintage: number;
  readonly days: number;
  /** Exact share of the period's emission reductions apportioned to this calendar year. */
  readonly emissionReductions: string;
  /** After the discount factor, before rounding. */
  readonly creditable: string;
  /** Rounded down once: the credits of this period and vintage. */
  readonly credits: bigint;
  /** Set aside for the risk of reversal (rounded up), part of `credits`. */
  readonly reserve: bigint;
  readonly issuable: bigint;
}

export interface PeriodResult {
  readonly period: string;
  readonly start: string;
  readonly end: string;
  readonly days: number;
  readonly referenceEmissions: string;
  readonly projectEmissions: string;
  readonly emissionReductions: string;
  readonly vintages: readonly VintageResult[];
  readonly trace: readonly TraceEntry[];
}

export interface CalculationResult {
  readonly methodology: { readonly id: string; readonly version: string };
  /** SHA-256 of the canonical JSON of every value used (`calculationInputs`). */
  readonly inputHash: string;
  readonly discountFactor: string;
  readonly reserveShare: string;
  readonly periods: readonly PeriodResult[];
  readonly vintages: readonly {
    readonly vintage: number;
    readonly credits: bigint;
    readonly reserve: bigint;
    readonly issuable: bigint;
  }[];
  readonly credits: bigint;
}

export type Evaluated =
  | { readonly ok: true; readonly result: CalculationResult }
  | { readonly ok: false; readonly issues: readonly MonitoringIssue[] };

/** The hash port: the core has no crypto, the caller passes SHA-256 (hex). */
export type Sha256 = (text: string) => string;

export class DivisionByZero extends Error {}

export function evaluate(
  methodology: CompiledMethodology,
  data: MonitoringData,
  sha256: Sha256,
): Evaluated {
  const file = methodology.file;
  const periods: PeriodResult[] = [];
  for (const period of data.periods) {
    const evaluated = evaluatePeriod(methodology, data, period);
    if ('failed' in evaluated) return { ok: false, issues: [evaluated.failed] };
    periods.push(evaluated);
  }
  const vintages = vintageTotals(periods);
  return {
    ok: true,
    result: {
      methodology: { id: file.id, version: file.version },
      inputHash: sha256(canonicalJson(calculationInputs(methodology, data))),
      discountFactor: decimalText(methodology.discountFactor),
      reserveShare: decimalText(methodology.reserveShare),
      periods,
      vintages,
      credits: vintages.reduce((sum, v) => sum + v.credits, 0n),
    },
  };
}

/** One monitoring period: its values, every equation in order, its outputs and its vintages. */
function evaluatePeriod(
  methodology: CompiledMethodology,
  data: MonitoringData,
  period: MonitoringPeriod,
): PeriodResult | { readonly failed: MonitoringIssue } {
  const file = methodology.file;
  const project = new Map<string, Decimal>(data.fixed);
  for (const [symbol, value] of data.monitored.get(period.id) ?? []) project.set(symbol, value);
  const perPoint = new Map<string, ReadonlyMap<string, Decimal>>(data.fixedPerPoint);
  for (const [symbol, values] of data.monitoredPerPoint.get(period.id) ?? [])
    perPoint.set(symbol, values);

  const trace: TraceEntry[] = parameterTrace(methodology, project, perPoint);
  const failed = evaluateEquations(methodology, data.points, period.id, project, perPoint, trace);
  if (failed !== null) return { failed };
  const output = (symbol: string) => {
    const value = project.get(symbol);
    assert(value !== undefined, `output ${symbol} was computed`);
    return value;
  };
  const re = output(file.outputs.reference_emissions);
  const pe = output(file.outputs.project_emissions);
  const er = output(file.outputs.emission_reductions);
  return {
    period: period.id,
    start: formatCivilDate(period.start),
    end: formatCivilDate(period.end),
    days: dayNumber(period.end) - dayNumber(period.start) + 1,
    referenceEmissions: decimalText(re),
    projectEmissions: decimalText(pe),
    emissionReductions: decimalText(er),
    vintages: splitByVintage(er, period, methodology.discountFactor, methodology.reserveShare),
    trace,
  };
}

/**
 * Evaluates every equation of a period in order, adding each result to the values (project-level or
 * per point) and to the trace. A division by zero stops the period and is answered as an issue.
 */
function evaluateEquations(
  methodology: CompiledMethodology,
  points: readonly string[],
  periodId: string,
  project: Map<string, Decimal>,
  perPoint: Map<string, ReadonlyMap<string, Decimal>>,
  trace: TraceEntry[],
): MonitoringIssue | null {
  for (const equation of methodology.equations) {
    const base = {
      kind: 'equation' as const,
      symbol: equation.def.symbol,
      description: equation.def.description,
      expression: equation.def.expression,
      unit: equation.def.unit,
      inputs: equation.inputs,
    };
    const where = `period ${periodId}, equation ${equation.def.symbol}`;
    try {
      if (equation.perPoint) {
        const values = new Map<string, Decimal>();
        for (const point of points) {
          values.set(point, evalTyped(equation.typed, project, perPoint, points, point));
        }
        perPoint.set(equation.def.symbol, values);
        trace.push({
          ...base,
          values: Object.fromEntries([...values].map(([p, v]) => [p, decimalText(v)])),
        });
      } else {
        const value = evalTyped(equation.typed, project, perPoint, points, null);
        project.set(equation.def.symbol, value);
        trace.push({ ...base, value: decimalText(value) });
      }
    } catch (error) {
      if (!(error instanceof DivisionByZero)) throw error;
      return {
        code: 'calculation_division_by_zero',
        message: `${equation.def.expression} divides by zero${error.message}`,
        where,
      };
    }
  }
  return null;
}

/** Credits, reserve and issuable credits of each vintage over all periods, by vintage. */
function vintageTotals(periods: readonly PeriodResult[]): CalculationResult['vintages'] {
  const totals = new Map<number, { credits: bigint; reserve: bigint; issuable: bigint }>();
  for (const v of periods.flatMap((p) => p.vintages)) {
    const t = totals.get(v.vintage) ?? { credits: 0n, reserve: 0n, issuable: 0n };
    totals.set(v.vintage, {
      credits: t.credits + v.credits,
      reserve: t.reserve + v.reserve,
      issuable: t.issuable + v.issuable,
    });
  }
  return [...totals].sort(([a], [b]) => a - b).map(([vintage, t]) => ({ vintage, ...t }));
}

/** The value of every parameter used in a period: the first entries of its trace. */
function parameterTrace(
  methodology: CompiledMethodology,
  project: ReadonlyMap<string, Decimal>,
  perPoint: ReadonlyMap<string, ReadonlyMap<string, Decimal>>,
): TraceEntry[] {
  return [...methodology.parameters.values()].map(({ def }) => {
    const base = {
      kind: def.kind,
      symbol: def.symbol,
      description: def.description,
      expression:
        def.kind === 'fixed'
          ? `fixed ex ante; default ${def.default ?? ''} (${def.source ?? ''})`
          : `monitored, option ${def.monitoring_option ?? ''}`,
      unit: def.unit,
      inputs: [],
    };
    if (def.per === 'project') {
      const value = project.get(def.symbol);
      assert(value !== undefined, `parameter ${def.symbol} has a value`);
      return { ...base, value: decimalText(value) };
    }
    const values = perPoint.get(def.symbol);
    assert(values !== undefined, `parameter ${def.symbol} has values`);
    return {
      ...base,
      values: Object.fromEntries([...values].map(([p, v]) => [p, decimalText(v)])),
    };
  });
}

/**
 * The vintage rule: a period's emission reductions are apportioned to each calendar year in
 * proportion to the days of the period in that year (both ends inclusive); each share is multiplied
 * by the discount factor and rounded down to whole tCO2e; the reserve is the reserve share of those
 * credits, rounded up. Negative reductions give no credits.
 */
export function splitByVintage(
  er: Decimal,
  period: {
    readonly start: Parameters<typeof dayNumber>[0];
    readonly end: Parameters<typeof dayNumber>[0];
  },
  discountFactor: Decimal,
  reserveShare: Decimal,
): VintageResult[] {
  const years = daysPerYear(period.start, period.end);
  const total = years.reduce((sum, y) => sum + y.days, 0);
  assert(total > 0, 'a monitoring period has at least one day');
  return years.map(({ year, days }) => {
    const share = days === total ? er : er.times(days).div(total);
    const creditable = share.times(discountFactor);
    const credits = floorToCredits(creditable);
    const reserve = ceilToCredits(new Decimal(credits.toString()).times(reserveShare));
    assert(reserve <= credits, 'the reserve is part of the credits');
    return {
      vintage: year,
      days,
      emissionReductions: decimalText(share),
      creditable: decimalText(creditable),
      credits,
      reserve,
      issuable: credits - reserve,
    };
  });
}

export function evalTyped(
  t: Typed,
  project: ReadonlyMap<string, Decimal>,
  perPoint: ReadonlyMap<string, ReadonlyMap<string, Decimal>>,
  points: readonly string[],
  point: string | null,
): Decimal {
  const ev = (e: Typed, at: string | null = point) => evalTyped(e, project, perPoint, points, at);
  switch (t.kind) {
    case 'number':
      return t.value;
    case 'symbol': {
      const value = t.perPoint ? perPoint.get(t.name)?.get(point ?? '') : project.get(t.name);
      assert(
        value !== undefined,
        `value of ${t.name}${point === null ? '' : ` at ${point}`} is known`,
      );
      return value;
    }
    case 'negate':
      return ev(t.operand).neg();
    case 'binary': {
      const left = ev(t.left);
      const right = ev(t.right);
      switch (t.op) {
        case '+':
          return left.plus(right);
        case '-':
          return left.minus(right);
        case '*':
          return left.times(right);
        case '/':
          if (right.isZero())
            throw new DivisionByZero(point === null ? '' : ` at monitoring point ${point}`);
          return left.div(right);
        default:
          return assertNever(t.op, 'operator');
      }
    }
    case 'sum':
      return points.reduce((sum, p) => sum.plus(ev(t.operand, p)), new Decimal(0));
    case 'min':
      return Decimal.min(...t.args.map((a) => ev(a)));
    case 'max':
      return Decimal.max(...t.args.map((a) => ev(a)));
    case 'scale':
      return ev(t.operand).times(t.factor);
    default:
      return assertNever(t, 'expression');
  }
}

/** Every value a calculation used, in canonical form: what the input hash is computed over. */
export function calculationInputs(methodology: CompiledMethodology, data: MonitoringData): Json {
  const text = (m: ReadonlyMap<string, Decimal>) =>
    Object.fromEntries([...m].map(([k, v]) => [k, decimalText(v)]));
  return {
    methodology: { id: methodology.file.id, version: methodology.file.version },
    // Sorted: the order in which a file lists points and periods does not change the inputs.
    points: [...data.points].sort(),
    periods: [...data.periods]
      .sort((a, b) => dayNumber(a.start) - dayNumber(b.start))
      .map((p) => ({
        id: p.id,
        start: formatCivilDate(p.start),
        end: formatCivilDate(p.end),
      })),
    fixed: text(data.fixed),
    fixedPerPoint: Object.fromEntries([...data.fixedPerPoint].map(([s, m]) => [s, text(m)])),
    monitored: Object.fromEntries([...data.monitored].map(([p, m]) => [p, text(m)])),
    monitoredPerPoint: Object.fromEntries(
      [...data.monitoredPerPoint].map(([p, bySymbol]) => [
        p,
        Object.fromEntries([...bySymbol].map(([s, m]) => [s, text(m)])),
      ]),
    ),
  };
}
