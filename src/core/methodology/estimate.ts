// The methodology finder and the ex-ante estimator: which catalogue methodologies apply to a
// partner country, technology words and size, and how many credits a typical year would give. The
// estimate runs the methodology itself on one monitoring point and one year whose monitored values
// come from the methodology's own `estimate` expressions, so it can never disagree with the engine.
import { assert } from '../shared/assert.ts';
import type { CompiledMethodology } from './compile.ts';
import { parseCivilDate } from '../shared/civil-date.ts';
import { type Decimal, decimalText, parseDecimal } from './decimal.ts';
import { DivisionByZero, evalTyped, evaluate, type PeriodResult, type Sha256 } from './evaluate.ts';
import { parseExpression, type Expr } from './expression.ts';
import type { MethodologyFile, ServedActivity } from './format.ts';
import type { MonitoringData, MonitoringIssue } from './monitoring-input.ts';
import { UnitChecker, type Typed } from './unit-checker.ts';
import { conversionFactor, isDimensionless, parseUnit, sameDimension, type Unit } from './units.ts';

/** Refusals of an estimate have the shape of monitoring issues: code, message, place. */
export type EstimateIssue = MonitoringIssue;

export interface Estimate {
  readonly methodology: { readonly id: string; readonly version: string };
  readonly inputs: Readonly<Record<string, string>>;
  readonly eligibility: readonly {
    readonly id: string;
    readonly text: string;
    readonly holds: boolean | null;
  }[];
  /** What the methodology says of each partner's Article 6.2 list of eligible activities. */
  readonly articleSix: readonly ArticleSixEligibility[];
  /** One typical year (365 days): the methodology's own result. */
  readonly year: PeriodResult;
  readonly annualCredits: bigint;
  readonly annualIssuable: bigint;
}

export type Estimated =
  | { readonly ok: true; readonly estimate: Estimate }
  | { readonly ok: false; readonly issues: readonly EstimateIssue[] };

/** The stand-in year of an estimate: 365 days, so no leap day inflates it. */
const typicalYear = { start: '2025-01-01', end: '2025-12-31' } as const;
const estimatePoint = 'estimate';

/** The values of the estimate scope (size inputs, assumptions, fixed defaults) with their units. */
type ScopeValues = Map<string, { value: Decimal; unit: Unit }>;

export function estimateAnnual(
  methodology: CompiledMethodology,
  given: Readonly<Record<string, string>>,
  sha256: Sha256,
): Estimated {
  const file = methodology.file;
  const read = readSizeInputs(file.estimate.inputs, given);
  if (!read.ok) return read;
  const values = addAssumptionsAndDefaults(methodology, read.values);
  const eligibility = file.eligibility.map((c) => ({
    id: c.id,
    text: c.text,
    holds: c.condition === undefined ? null : condition(c.condition, values),
  }));
  const monitored = typicalMonitoredValues(methodology, values);
  if (!monitored.ok) return monitored;
  const data = typicalYearData(methodology, monitored.project, monitored.perPoint);
  const evaluated = evaluate(methodology, data, sha256);
  if (!evaluated.ok) return { ok: false, issues: evaluated.issues };
  const year = evaluated.result.periods[0] as PeriodResult;
  return {
    ok: true,
    estimate: {
      methodology: evaluated.result.methodology,
      inputs: Object.fromEntries(
        [...file.estimate.inputs].map((i) => [
          i.symbol,
          decimalText((values.get(i.symbol) as { value: Decimal }).value),
        ]),
      ),
      eligibility,
      articleSix: Object.keys(file.eligible_activities)
        .sort()
        .flatMap((country) => articleSixEligibility(file, country) ?? []),
      year,
      annualCredits: evaluated.result.credits,
      annualIssuable: year.vintages.reduce((sum, v) => sum + v.issuable, 0n),
    },
  };
}

/** The size inputs as numbers within their ranges; each missing or out-of-range one is reported. */
function readSizeInputs(
  inputs: MethodologyFile['estimate']['inputs'],
  given: Readonly<Record<string, string>>,
): { readonly ok: true; readonly values: ScopeValues } | Extract<Estimated, { ok: false }> {
  const issues: EstimateIssue[] = [];
  const values: ScopeValues = new Map();
  for (const input of inputs) {
    const text = given[input.symbol];
    const value = text === undefined ? null : parseDecimal(text);
    const where = `inputs.${input.symbol}`;
    if (value === null) {
      issues.push({
        code: 'estimate_input_missing',
        message: `${input.symbol} (${input.description}, ${input.unit}) is needed as a number`,
        where,
      });
      continue;
    }
    const min = input.range?.min === undefined ? null : parseDecimal(input.range.min);
    const max = input.range?.max === undefined ? null : parseDecimal(input.range.max);
    if ((min !== null && value.lt(min)) || (max !== null && value.gt(max))) {
      issues.push({
        code: 'estimate_input_out_of_range',
        message: `${input.symbol} = ${text} lies outside [${input.range?.min ?? '-inf'}, ${input.range?.max ?? '+inf'}]`,
        where,
      });
      continue;
    }
    values.set(input.symbol, { value, unit: unitOf(input.unit) });
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, values };
}

/** Adds the assumptions and the fixed parameters' defaults to the scope of the size inputs. */
function addAssumptionsAndDefaults(
  methodology: CompiledMethodology,
  values: ScopeValues,
): ScopeValues {
  for (const a of methodology.file.estimate.assumptions) {
    values.set(a.symbol, { value: parseDecimal(a.value) as Decimal, unit: unitOf(a.unit) });
  }
  for (const [symbol, p] of methodology.parameters) {
    if (p.def.kind === 'fixed' && p.defaultValue !== null)
      values.set(symbol, { value: p.defaultValue, unit: p.unit });
  }
  return values;
}

/** The monitored values of the typical year, each from its estimate expression. */
function typicalMonitoredValues(
  methodology: CompiledMethodology,
  values: ScopeValues,
):
  | {
      readonly ok: true;
      readonly project: Map<string, Decimal>;
      readonly perPoint: Map<string, Map<string, Decimal>>;
    }
  | Extract<Estimated, { ok: false }> {
  const project = new Map<string, Decimal>();
  const perPoint = new Map<string, Map<string, Decimal>>();
  try {
    for (const [symbol, text] of Object.entries(methodology.file.estimate.monitored)) {
      const target = methodology.parameters.get(symbol);
      if (target === undefined) continue;
      const value = quantity(text, values, target.unit);
      if (target.def.per === 'project') project.set(symbol, value);
      else perPoint.set(symbol, new Map([[estimatePoint, value]]));
    }
  } catch (error) {
    if (!(error instanceof DivisionByZero)) throw error;
    return {
      ok: false,
      issues: [
        {
          code: 'calculation_division_by_zero',
          message: 'an estimate expression divides by zero for these inputs',
          where: 'estimate',
        },
      ],
    };
  }
  return { ok: true, project, perPoint };
}

/** Monitoring data of one estimate point over the typical year, fixed values at their defaults. */
function typicalYearData(
  methodology: CompiledMethodology,
  monitored: ReadonlyMap<string, Decimal>,
  monitoredPerPoint: ReadonlyMap<string, ReadonlyMap<string, Decimal>>,
): MonitoringData {
  return {
    points: [estimatePoint],
    periods: [
      {
        id: 'typical-year',
        start: parseCivilDate(typicalYear.start)!,
        end: parseCivilDate(typicalYear.end)!,
      },
    ],
    fixed: new Map(
      [...methodology.parameters]
        .filter(([, p]) => p.def.kind === 'fixed' && p.def.per === 'project')
        .map(([s, p]) => [s, p.defaultValue as Decimal]),
    ),
    fixedPerPoint: new Map(
      [...methodology.parameters]
        .filter(([, p]) => p.def.kind === 'fixed' && p.def.per === 'monitoring_point')
        .map(([s, p]) => [s, new Map([[estimatePoint, p.defaultValue as Decimal]])]),
    ),
    monitored: new Map([['typical-year', monitored]]),
    monitoredPerPoint: new Map([['typical-year', monitoredPerPoint]]),
  };
}

function unitOf(text: string): Unit {
  const unit = parseUnit(text);
  assert(unit !== null, `unit ${text} was checked when the methodology compiled`);
  return unit;
}

/** Compiles an expression of the estimate scope (checked when the methodology compiled). */
function typedIn(
  expr: Expr,
  values: ReadonlyMap<string, { value: Decimal; unit: Unit }>,
): { typed: Typed; unit: Unit } {
  const scope = new Map([...values].map(([s, v]) => [s, { unit: v.unit, perPoint: false }]));
  const checked = new UnitChecker(scope, () => undefined).check(expr);
  assert(checked !== null, 'estimate expressions were checked when the methodology compiled');
  return checked;
}

function quantity(
  text: string,
  values: ReadonlyMap<string, { value: Decimal; unit: Unit }>,
  target: Unit,
): Decimal {
  const parsed = parseExpression(text, 'value');
  assert(parsed.ok, 'estimate expressions were checked when the methodology compiled');
  const { typed, unit } = typedIn(parsed.expr, values);
  const project = new Map([...values].map(([s, v]) => [s, v.value]));
  return evalTyped(typed, project, new Map(), [], null).times(conversionFactor(unit, target));
}

/** Evaluates an eligibility condition; a bare number on the right is in the unit of the left side. */
function condition(
  text: string,
  values: ReadonlyMap<string, { value: Decimal; unit: Unit }>,
): boolean {
  const parsed = parseExpression(text, 'condition');
  assert(parsed.ok, 'conditions were checked when the methodology compiled');
  const holds = (e: Expr): boolean => {
    if (e.kind === 'logical')
      return e.op === '&&' ? holds(e.left) && holds(e.right) : holds(e.left) || holds(e.right);
    if (e.kind !== 'compare') return !numberOf(e).value.isZero();
    const left = numberOf(e.left);
    const right = numberOf(e.right);
    const r =
      isDimensionless(right.unit) && !sameDimension(left.unit, right.unit)
        ? right.value
        : right.value.times(conversionFactor(right.unit, left.unit));
    const c = left.value.cmp(r);
    switch (e.op) {
      case '<':
        return c < 0;
      case '<=':
        return c <= 0;
      case '>':
        return c > 0;
      case '>=':
        return c >= 0;
      case '==':
        return c === 0;
      case '!=':
        return c !== 0;
    }
  };
  const numberOf = (e: Expr) => {
    const { typed, unit } = typedIn(e, values);
    const project = new Map([...values].map(([s, v]) => [s, v.value]));
    return { value: evalTyped(typed, project, new Map(), [], null), unit };
  };
  return holds(parsed.expr);
}

export interface FindQuery {
  /** ISO 3166 alpha-2 code of the partner country. */
  readonly country?: string | undefined;
  /** Technology or sector words, e.g. "rooftop solar". */
  readonly words?: string | undefined;
  readonly sectoralScope?: number | undefined;
}

export interface Finding {
  readonly id: string;
  readonly version: string;
  readonly title: string;
  readonly partnerCountries: readonly string[];
  readonly sectoralScopes: readonly number[];
  readonly matched: readonly string[];
  /**
   * Where the query names a partner country whose list of activities eligible for Article 6.2 the
   * methodology declares itself against: the entries it serves, whether it is eligible (it serves at
   * least one), and the sentence that says so. Null when the methodology declares nothing for it.
   */
  readonly articleSix: ArticleSixEligibility | null;
}

export interface ArticleSixEligibility {
  readonly country: string;
  readonly eligible: boolean;
  readonly activities: readonly ServedActivity[];
  readonly note: string;
}

/** What a methodology says of a partner's eligible-activity list; null when it says nothing. */
export function articleSixEligibility(
  file: MethodologyFile,
  country: string,
): ArticleSixEligibility | null {
  const served = file.eligible_activities[country];
  if (served === undefined) return null;
  const eligible = served.length > 0;
  const entries = served.map((s) => s.activity).join(', ');
  return {
    country,
    eligible,
    activities: served,
    note: eligible
      ? `Eligible for Article 6.2 in ${country}: ${file.id} serves entr${served.length === 1 ? 'y' : 'ies'} ${entries} of the partner's list of eligible activities (${served.map((s) => s.credits).join(' ')})`
      : `Not eligible for Article 6.2 in ${country}: ${file.id} serves none of the activities on the partner's list of eligible activities, so a project applying it there is refused`,
  };
}

/**
 * Catalogue methodologies matching a query, best match first: those eligible under the partner's
 * Article 6.2 list before those that are not, then most matched words, then id.
 */
export function findMethodologies(
  catalogue: readonly CompiledMethodology[],
  query: FindQuery,
): Finding[] {
  const words = (query.words ?? '')
    .toLowerCase()
    .split(/[^a-z0-9-]+/)
    .filter((w) => w.length >= 2);
  return catalogue
    .filter(
      (m) =>
        query.country === undefined ||
        m.file.partner_countries.includes(query.country.toUpperCase()),
    )
    .filter(
      (m) =>
        query.sectoralScope === undefined || m.file.sectoral_scopes.includes(query.sectoralScope),
    )
    .map((m) => {
      const vocabulary = [...m.file.keywords, ...m.file.title.split(/\s+/)].map((k) =>
        k.toLowerCase(),
      );
      const matched = words.filter((w) =>
        vocabulary.some((k) => k === w || k.split(/[\s-]+/).includes(w)),
      );
      return { m, matched };
    })
    .filter(({ matched }) => words.length === 0 || matched.length > 0)
    .map(({ m, matched }) => ({
      m,
      matched,
      articleSix:
        query.country === undefined
          ? null
          : articleSixEligibility(m.file, query.country.toUpperCase()),
    }))
    .sort(
      (a, b) =>
        Number(a.articleSix?.eligible === false) - Number(b.articleSix?.eligible === false) ||
        b.matched.length - a.matched.length ||
        a.m.file.id.localeCompare(b.m.file.id),
    )
    .map(({ m, matched, articleSix }) => ({
      id: m.file.id,
      version: m.file.version,
      title: m.file.title,
      partnerCountries: m.file.partner_countries,
      sectoralScopes: m.file.sectoral_scopes,
      matched: [...new Set(matched)],
      articleSix,
    }));
}
