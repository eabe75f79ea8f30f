// Checks the meaning of a methodology file and compiles it: every symbol defined once, every
// expression readable and its symbols known, no circular equations, units consistent (with exact
// conversions inserted where units differ in scale), outputs defined, ranges possible. Every problem is
// reported at once, each with the path of the field it concerns.
import type { ErrorCode } from '../shared/error-codes.ts';
import { Decimal, parseDecimal } from './decimal.ts';
import { parseExpression, symbolsOf, type Expr } from './expression.ts';
import type { EquationDef, MethodologyFile, ParameterDef } from './format.ts';
import {
  conversionFactor,
  describeDimension,
  dimensionless,
  divideUnits,
  isDimensionless,
  multiplyUnits,
  parseUnit,
  sameDimension,
  type Unit,
} from './units.ts';

export type IssuePath = readonly (string | number)[];

export interface MethodologyIssue {
  readonly code: ErrorCode;
  readonly message: string;
  /** Where in the file: e.g. ['equations', 2, 'expression']. */
  readonly path: IssuePath;
  /** 1-based column inside an expression, when known. */
  readonly column?: number;
}

/** An expression with units resolved: conversions are explicit `scale` nodes. */
export type Typed =
  | { readonly kind: 'number'; readonly value: Decimal }
  | { readonly kind: 'symbol'; readonly name: string; readonly perPoint: boolean }
  | { readonly kind: 'negate'; readonly operand: Typed }
  | {
      readonly kind: 'binary';
      readonly op: '+' | '-' | '*' | '/';
      readonly left: Typed;
      readonly right: Typed;
    }
  | { readonly kind: 'sum'; readonly operand: Typed }
  | { readonly kind: 'min' | 'max'; readonly args: readonly Typed[] }
  | { readonly kind: 'scale'; readonly factor: Decimal; readonly operand: Typed };

export interface CompiledParameter {
  readonly def: ParameterDef;
  readonly unit: Unit;
  readonly min: Decimal | null;
  readonly max: Decimal | null;
  readonly defaultValue: Decimal | null;
}

export interface CompiledEquation {
  readonly def: EquationDef;
  readonly unit: Unit;
  readonly perPoint: boolean;
  readonly typed: Typed;
  readonly inputs: readonly string[];
}

export interface CompiledMethodology {
  readonly file: MethodologyFile;
  readonly parameters: ReadonlyMap<string, CompiledParameter>;
  /** In evaluation order: each equation after the equations it uses. */
  readonly equations: readonly CompiledEquation[];
  readonly discountFactor: Decimal;
  readonly reserveShare: Decimal;
}

type Compiled =
  { ok: true; value: CompiledMethodology } | { ok: false; issues: MethodologyIssue[] };

interface SymbolInfo {
  readonly unit: Unit;
  readonly perPoint: boolean;
}

export function compileMethodology(file: MethodologyFile): Compiled {
  const issues: MethodologyIssue[] = [];
  const issue = (code: ErrorCode, message: string, path: IssuePath, column?: number) =>
    issues.push(column === undefined ? { code, message, path } : { code, message, path, column });

  const definedAt = new Map<string, IssuePath>();
  const define = (symbol: string, path: IssuePath) => {
    const earlier = definedAt.get(symbol);
    if (earlier !== undefined) {
      issue(
        'methodology_symbol_duplicate',
        `${symbol} is already defined at ${earlier.join('.')}`,
        path,
      );
    } else if (['sum', 'min', 'max'].includes(symbol)) {
      issue('methodology_symbol_duplicate', `${symbol} is the name of a function`, path);
    } else definedAt.set(symbol, path);
  };

  const unitAt = (text: string, path: IssuePath): Unit => {
    const unit = parseUnit(text);
    if (unit !== null) return unit;
    issue('methodology_unit_unknown', `unknown unit ${JSON.stringify(text)}`, path);
    return dimensionless;
  };

  const parameters = new Map<string, CompiledParameter>();
  file.parameters.forEach((def, index) => {
    const path = ['parameters', index];
    define(def.symbol, [...path, 'symbol']);
    const compiled = compileParameter(def, unitAt(def.unit, [...path, 'unit']), path, issue);
    if (!parameters.has(def.symbol)) parameters.set(def.symbol, compiled);
  });

  const parsed = new Map<string, { def: EquationDef; expr: Expr | null; index: number }>();
  file.equations.forEach((def, index) => {
    const path = ['equations', index];
    define(def.symbol, [...path, 'symbol']);
    const result = parseExpression(def.expression, 'value');
    if (!result.ok) {
      issue(result.error.code, result.error.message, [...path, 'expression'], result.error.column);
    }
    for (const name of result.ok ? symbolsOf(result.expr) : []) {
      if (!parameters.has(name) && !file.equations.some((e) => e.symbol === name)) {
        issue('methodology_symbol_unknown', `unknown symbol ${name}`, [...path, 'expression']);
      }
    }
    if (!parsed.has(def.symbol)) {
      parsed.set(def.symbol, { def, expr: result.ok ? result.expr : null, index });
    }
  });

  const order = orderEquations(parsed, issue);
  const known = new Map<string, SymbolInfo>();
  for (const [symbol, p] of parameters) {
    known.set(symbol, { unit: p.unit, perPoint: p.def.per === 'monitoring_point' });
  }
  const equations: CompiledEquation[] = [];
  for (const symbol of order) {
    const entry = parsed.get(symbol);
    if (entry === undefined || entry.expr === null) continue;
    const path = ['equations', entry.index];
    const declared = unitAt(entry.def.unit, [...path, 'unit']);
    const checker = new UnitChecker(known, (message) =>
      issue('methodology_unit_mismatch', message, [...path, 'expression']),
    );
    const typedRaw = checker.check(entry.expr);
    if (typedRaw === null) continue;
    if (checker.sumProblem !== null) {
      issue('methodology_sum_needs_monitoring_point', checker.sumProblem, [...path, 'expression']);
      continue;
    }
    const isZero = entry.expr.kind === 'number' && entry.expr.value.isZero();
    let typed = typedRaw.typed;
    if (!isZero && !sameDimension(typedRaw.unit, declared)) {
      issue(
        'methodology_unit_mismatch',
        `${symbol} is declared in ${entry.def.unit} (${describeDimension(declared)}) but its expression gives ${describeDimension(typedRaw.unit)}`,
        [...path, 'unit'],
      );
      continue;
    }
    if (!isZero) {
      const factor = conversionFactor(typedRaw.unit, declared);
      if (!factor.eq(1)) typed = { kind: 'scale', factor, operand: typed };
    }
    known.set(symbol, { unit: declared, perPoint: typedRaw.perPoint });
    equations.push({
      def: entry.def,
      unit: declared,
      perPoint: typedRaw.perPoint,
      typed,
      inputs: symbolsOf(entry.expr),
    });
  }

  checkOutputs(file, equations, issue);
  const discountFactor = shareOf(file.crediting.discount_factor?.value, '1');
  const reserveShare = shareOf(file.crediting.reserve_share?.value, '0');
  if (discountFactor.lte(0) || discountFactor.gt(1)) {
    issue('methodology_range_impossible', 'a discount factor lies in (0, 1]', [
      'crediting',
      'discount_factor',
      'value',
    ]);
  }
  if (reserveShare.lt(0) || reserveShare.gte(1)) {
    issue('methodology_range_impossible', 'a reserve share lies in [0, 1)', [
      'crediting',
      'reserve_share',
      'value',
    ]);
  }
  checkEstimate(file, parameters, issue);
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: { file, parameters, equations, discountFactor, reserveShare } };
}

function shareOf(text: string | undefined, fallback: string): Decimal {
  return parseDecimal(text ?? fallback) ?? new Decimal(fallback);
}

type IssueSink = (code: ErrorCode, message: string, path: IssuePath, column?: number) => void;

function compileParameter(
  def: ParameterDef,
  unit: Unit,
  path: IssuePath,
  issue: IssueSink,
): CompiledParameter {
  const min = def.range?.min === undefined ? null : parseDecimal(def.range.min);
  const max = def.range?.max === undefined ? null : parseDecimal(def.range.max);
  const defaultValue = def.default === undefined ? null : parseDecimal(def.default);
  if (min !== null && max !== null && min.gt(max)) {
    issue('methodology_range_impossible', `min ${def.range?.min} is above max ${def.range?.max}`, [
      ...path,
      'range',
    ]);
  }
  if (def.kind === 'fixed') {
    if (defaultValue === null || def.source === undefined) {
      issue(
        'methodology_parameter_incomplete',
        `fixed parameter ${def.symbol} needs a default value and its source`,
        path,
      );
    }
    if (def.monitoring_option !== undefined) {
      issue(
        'methodology_parameter_incomplete',
        `fixed parameter ${def.symbol} is not monitored, so it has no monitoring option`,
        [...path, 'monitoring_option'],
      );
    }
    if (
      defaultValue !== null &&
      ((min !== null && defaultValue.lt(min)) || (max !== null && defaultValue.gt(max)))
    ) {
      issue('methodology_range_impossible', `the default ${def.default} lies outside the range`, [
        ...path,
        'default',
      ]);
    }
  } else {
    if (def.monitoring_option === undefined) {
      issue(
        'methodology_parameter_incomplete',
        `monitored parameter ${def.symbol} needs a monitoring option (A, B or C)`,
        path,
      );
    }
    if (def.default !== undefined) {
      issue(
        'methodology_parameter_incomplete',
        `monitored parameter ${def.symbol} is measured ex post and takes no default`,
        [...path, 'default'],
      );
    }
  }
  return { def, unit, min, max, defaultValue };
}

/** Topological order of the equations; a circle is reported once, naming its members. */
function orderEquations(
  parsed: ReadonlyMap<string, { def: EquationDef; expr: Expr | null; index: number }>,
  issue: IssueSink,
): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (symbol: string, trail: string[]): void => {
    const entry = parsed.get(symbol);
    if (entry === undefined || state.get(symbol) === 'done') return;
    if (state.get(symbol) === 'visiting') {
      const circle = [...trail.slice(trail.indexOf(symbol)), symbol];
      issue('methodology_equations_circular', `circular equations: ${circle.join(' -> ')}`, [
        'equations',
        entry.index,
        'expression',
      ]);
      return;
    }
    state.set(symbol, 'visiting');
    for (const used of entry.expr === null ? [] : symbolsOf(entry.expr)) {
      visit(used, [...trail, symbol]);
    }
    state.set(symbol, 'done');
    order.push(symbol);
  };
  for (const symbol of parsed.keys()) visit(symbol, []);
  return order;
}

function checkOutputs(
  file: MethodologyFile,
  equations: readonly CompiledEquation[],
  issue: IssueSink,
): void {
  for (const [name, symbol] of Object.entries(file.outputs)) {
    const equation = equations.find((e) => e.def.symbol === symbol);
    const declared = file.equations.some((e) => e.symbol === symbol);
    if (equation === undefined) {
      if (!declared) {
        issue('methodology_output_missing', `${name} names ${symbol}, which no equation defines`, [
          'outputs',
          name,
        ]);
      }
      continue;
    }
    if (!sameDimension(equation.unit, parseUnit('tCO2') ?? dimensionless)) {
      issue('methodology_output_missing', `${name} (${symbol}) must be in tCO2`, ['outputs', name]);
    }
    if (equation.perPoint) {
      issue(
        'methodology_per_point_value_outside_sum',
        `${name} (${symbol}) is one value for the project: sum the per-point values with sum()`,
        ['outputs', name],
      );
    }
  }
}

function checkEstimate(
  file: MethodologyFile,
  parameters: ReadonlyMap<string, CompiledParameter>,
  issue: IssueSink,
): void {
  const scope = new Map<string, SymbolInfo>();
  const seen = new Set<string>();
  const defineLocal = (symbol: string, unitText: string, path: IssuePath) => {
    if (
      seen.has(symbol) ||
      parameters.has(symbol) ||
      file.equations.some((e) => e.symbol === symbol)
    ) {
      issue('methodology_symbol_duplicate', `${symbol} is already defined`, [...path, 'symbol']);
    }
    seen.add(symbol);
    const unit = parseUnit(unitText);
    if (unit === null)
      issue('methodology_unit_unknown', `unknown unit ${unitText}`, [...path, 'unit']);
    scope.set(symbol, { unit: unit ?? dimensionless, perPoint: false });
  };
  file.estimate.inputs.forEach((input, i) =>
    defineLocal(input.symbol, input.unit, ['estimate', 'inputs', i]),
  );
  file.estimate.assumptions.forEach((a, i) =>
    defineLocal(a.symbol, a.unit, ['estimate', 'assumptions', i]),
  );
  for (const [symbol, p] of parameters) {
    if (p.def.kind === 'fixed') scope.set(symbol, { unit: p.unit, perPoint: false });
  }
  const monitored = [...parameters.values()].filter((p) => p.def.kind === 'monitored');
  for (const p of monitored) {
    if (file.estimate.monitored[p.def.symbol] === undefined) {
      issue(
        'methodology_estimate_incomplete',
        `the estimate gives no expression for the monitored parameter ${p.def.symbol}`,
        ['estimate', 'monitored'],
      );
    }
  }
  for (const [symbol, text] of Object.entries(file.estimate.monitored)) {
    const path = ['estimate', 'monitored', symbol];
    const target = parameters.get(symbol);
    if (target === undefined || target.def.kind !== 'monitored') {
      issue('methodology_estimate_incomplete', `${symbol} is not a monitored parameter`, path);
      continue;
    }
    checkScopedExpression(text, 'value', scope, path, issue, target.unit);
  }
  file.eligibility.forEach((criterion, i) => {
    if (criterion.condition === undefined) return;
    const inputsOnly = new Map(
      [...file.estimate.inputs, ...file.estimate.assumptions].map((input) => [
        input.symbol,
        scope.get(input.symbol) as SymbolInfo,
      ]),
    );
    checkScopedExpression(
      criterion.condition,
      'condition',
      inputsOnly,
      ['eligibility', i, 'condition'],
      issue,
      null,
    );
  });
}

function checkScopedExpression(
  text: string,
  mode: 'value' | 'condition',
  scope: ReadonlyMap<string, SymbolInfo>,
  path: IssuePath,
  issue: IssueSink,
  target: Unit | null,
): void {
  const parsed = parseExpression(text, mode);
  if (!parsed.ok) {
    issue(parsed.error.code, parsed.error.message, path, parsed.error.column);
    return;
  }
  const unknown = symbolsOf(parsed.expr).filter((s) => !scope.has(s));
  if (unknown.length > 0) {
    issue('methodology_symbol_unknown', `unknown symbol ${unknown.join(', ')}`, path);
    return;
  }
  const checker = new UnitChecker(scope, (message) =>
    issue('methodology_unit_mismatch', message, path),
  );
  const typed = checker.check(parsed.expr);
  if (typed !== null && target !== null && !sameDimension(typed.unit, target)) {
    issue(
      'methodology_unit_mismatch',
      `the expression gives ${describeDimension(typed.unit)}, the parameter is ${describeDimension(target)}`,
      path,
    );
  }
}

/** Infers the unit of an expression and inserts the exact conversions; reports every mismatch. */
export class UnitChecker {
  sumProblem: string | null = null;

  constructor(
    private readonly known: ReadonlyMap<string, SymbolInfo>,
    private readonly mismatch: (message: string) => void,
  ) {}

  check(expr: Expr): { typed: Typed; unit: Unit; perPoint: boolean } | null {
    switch (expr.kind) {
      case 'number':
        return {
          typed: { kind: 'number', value: expr.value },
          unit: dimensionless,
          perPoint: false,
        };
      case 'symbol': {
        const info = this.known.get(expr.name);
        if (info === undefined) return null;
        return {
          typed: { kind: 'symbol', name: expr.name, perPoint: info.perPoint },
          unit: info.unit,
          perPoint: info.perPoint,
        };
      }
      case 'negate': {
        const operand = this.check(expr.operand);
        return operand === null
          ? null
          : { ...operand, typed: { kind: 'negate', operand: operand.typed } };
      }
      case 'binary':
        return this.binary(expr.op, expr.left, expr.right);
      case 'call':
        return expr.fn === 'sum' ? this.sum(expr.args) : this.extreme(expr.fn, expr.args);
      // Conditions are only checked here (their units); the estimator evaluates each side itself,
      // so the typed tree returned for them is not used.
      case 'compare':
      case 'logical': {
        const left = this.check(expr.left);
        const right = this.check(expr.right);
        if (left === null || right === null) return null;
        if (
          expr.kind === 'compare' &&
          !sameDimension(left.unit, right.unit) &&
          !isDimensionless(right.unit)
        ) {
          this.mismatch(
            `cannot compare ${describeDimension(left.unit)} with ${describeDimension(right.unit)}`,
          );
        }
        return { typed: left.typed, unit: dimensionless, perPoint: false };
      }
    }
  }

  private binary(op: '+' | '-' | '*' | '/', leftExpr: Expr, rightExpr: Expr) {
    const left = this.check(leftExpr);
    const right = this.check(rightExpr);
    if (left === null || right === null) return null;
    const perPoint = left.perPoint || right.perPoint;
    if (op === '*' || op === '/') {
      const unit =
        op === '*' ? multiplyUnits(left.unit, right.unit) : divideUnits(left.unit, right.unit);
      return {
        typed: { kind: 'binary' as const, op, left: left.typed, right: right.typed },
        unit,
        perPoint,
      };
    }
    if (!sameDimension(left.unit, right.unit)) {
      this.mismatch(
        `cannot ${op === '+' ? 'add' : 'subtract'} ${describeDimension(right.unit)} ${op === '+' ? 'to' : 'from'} ${describeDimension(left.unit)}`,
      );
      return null;
    }
    return {
      typed: {
        kind: 'binary' as const,
        op,
        left: left.typed,
        right: this.convert(right.typed, right.unit, left.unit),
      },
      unit: left.unit,
      perPoint,
    };
  }

  private sum(args: readonly Expr[]) {
    const operand = this.check(args[0] as Expr);
    if (operand === null) return null;
    if (!operand.perPoint) {
      this.sumProblem = 'sum() of a value that does not vary by monitoring point';
    }
    return {
      typed: { kind: 'sum' as const, operand: operand.typed },
      unit: operand.unit,
      perPoint: false,
    };
  }

  private extreme(fn: 'min' | 'max', args: readonly Expr[]) {
    const checked = args.map((a) => this.check(a));
    if (checked.some((c) => c === null)) return null;
    const all = checked as { typed: Typed; unit: Unit; perPoint: boolean }[];
    const first = all[0] as { typed: Typed; unit: Unit; perPoint: boolean };
    if (all.some((c) => !sameDimension(c.unit, first.unit))) {
      this.mismatch(`the arguments of ${fn}() have different dimensions`);
      return null;
    }
    return {
      typed: { kind: fn, args: all.map((c) => this.convert(c.typed, c.unit, first.unit)) },
      unit: first.unit,
      perPoint: all.some((c) => c.perPoint),
    };
  }

  private convert(typed: Typed, from: Unit, to: Unit): Typed {
    const factor = conversionFactor(from, to);
    return factor.eq(1) ? typed : { kind: 'scale', factor, operand: typed };
  }
}
