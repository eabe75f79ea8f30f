// Checks the meaning of a methodology file and compiles it: every symbol defined once, every
// expression readable and its symbols known, no circular equations, units consistent (with exact
// conversions inserted where units differ in scale), outputs defined, ranges possible. Every problem is
// reported at once, each with the path of the field it concerns.
import { checkEstimate } from './compile-estimate.ts';
import { compileParameter, type CompiledParameter } from './compile-parameter.ts';
import { Decimal, parseDecimal } from './decimal.ts';
import { parseExpression, symbolsOf, type Expr } from './expression.ts';
import type { EquationDef, MethodologyFile } from './format.ts';
import type { IssuePath, IssueSink, MethodologyIssue } from './methodology-issue.ts';
import { UnitChecker, type SymbolInfo, type Typed } from './unit-checker.ts';
import {
  conversionFactor,
  describeDimension,
  dimensionless,
  parseUnit,
  sameDimension,
  type Unit,
} from './units.ts';

// The compiled parts that have files of their own are part of what this module answers with.
export type { CompiledParameter } from './compile-parameter.ts';
export type { IssuePath, MethodologyIssue } from './methodology-issue.ts';
export type { Typed } from './unit-checker.ts';

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

/** An equation as read from the file, before its units are checked; `expr` null if unreadable. */
interface ParsedEquation {
  readonly def: EquationDef;
  readonly expr: Expr | null;
  readonly index: number;
}

export function compileMethodology(file: MethodologyFile): Compiled {
  const issues: MethodologyIssue[] = [];
  const issue: IssueSink = (code, message, path, column) =>
    issues.push(column === undefined ? { code, message, path } : { code, message, path, column });
  const define = symbolDefiner(issue);
  const parameters = compileParameters(file, define, issue);
  const parsed = parseEquations(file, parameters, define, issue);
  const equations = typeEquations(parsed, parameters, issue);
  checkOutputs(file, equations, issue);
  const { discountFactor, reserveShare } = creditingShares(file, issue);
  checkEstimate(file, parameters, issue);
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: { file, parameters, equations, discountFactor, reserveShare } };
}

type Define = (symbol: string, path: IssuePath) => void;

/** Records where each symbol is defined; a second definition, or a function's name, is reported. */
function symbolDefiner(issue: IssueSink): Define {
  const definedAt = new Map<string, IssuePath>();
  return (symbol, path) => {
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
}

/** The unit a field names; an unknown unit is reported and stands in as dimensionless. */
function unitAt(text: string, path: IssuePath, issue: IssueSink): Unit {
  const unit = parseUnit(text);
  if (unit !== null) return unit;
  issue('methodology_unit_unknown', `unknown unit ${JSON.stringify(text)}`, path);
  return dimensionless;
}

function compileParameters(
  file: MethodologyFile,
  define: Define,
  issue: IssueSink,
): Map<string, CompiledParameter> {
  const parameters = new Map<string, CompiledParameter>();
  file.parameters.forEach((def, index) => {
    const path = ['parameters', index];
    define(def.symbol, [...path, 'symbol']);
    const unit = unitAt(def.unit, [...path, 'unit'], issue);
    const compiled = compileParameter(def, unit, path, issue);
    if (!parameters.has(def.symbol)) parameters.set(def.symbol, compiled);
  });
  return parameters;
}

/** Parses every equation and reports the symbols it uses that nothing defines. */
function parseEquations(
  file: MethodologyFile,
  parameters: ReadonlyMap<string, CompiledParameter>,
  define: Define,
  issue: IssueSink,
): Map<string, ParsedEquation> {
  const parsed = new Map<string, ParsedEquation>();
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
  return parsed;
}

/** Checks the units of the equations in evaluation order, each knowing the units before it. */
function typeEquations(
  parsed: ReadonlyMap<string, ParsedEquation>,
  parameters: ReadonlyMap<string, CompiledParameter>,
  issue: IssueSink,
): CompiledEquation[] {
  const order = orderEquations(parsed, issue);
  const known = new Map<string, SymbolInfo>();
  for (const [symbol, p] of parameters) {
    known.set(symbol, { unit: p.unit, perPoint: p.def.per === 'monitoring_point' });
  }
  const equations: CompiledEquation[] = [];
  for (const symbol of order) {
    const entry = parsed.get(symbol);
    if (entry === undefined || entry.expr === null) continue;
    const equation = typeEquation(symbol, entry, entry.expr, known, issue);
    if (equation === null) continue;
    known.set(symbol, { unit: equation.unit, perPoint: equation.perPoint });
    equations.push(equation);
  }
  return equations;
}

/** One equation, its units checked and converted to the declared unit; null if they are wrong. */
function typeEquation(
  symbol: string,
  entry: ParsedEquation,
  expr: Expr,
  known: ReadonlyMap<string, SymbolInfo>,
  issue: IssueSink,
): CompiledEquation | null {
  const path = ['equations', entry.index];
  const declared = unitAt(entry.def.unit, [...path, 'unit'], issue);
  const checker = new UnitChecker(known, (message) =>
    issue('methodology_unit_mismatch', message, [...path, 'expression']),
  );
  const typedRaw = checker.check(expr);
  if (typedRaw === null) return null;
  if (checker.sumProblem !== null) {
    issue('methodology_sum_needs_monitoring_point', checker.sumProblem, [...path, 'expression']);
    return null;
  }
  // An equation that is a plain zero takes whatever unit it is declared in.
  const isZero = expr.kind === 'number' && expr.value.isZero();
  let typed: Typed = typedRaw.typed;
  if (!isZero && !sameDimension(typedRaw.unit, declared)) {
    issue(
      'methodology_unit_mismatch',
      `${symbol} is declared in ${entry.def.unit} (${describeDimension(declared)}) but its expression gives ${describeDimension(typedRaw.unit)}`,
      [...path, 'unit'],
    );
    return null;
  }
  if (!isZero) {
    const factor = conversionFactor(typedRaw.unit, declared);
    if (!factor.eq(1)) typed = { kind: 'scale', factor, operand: typed };
  }
  return {
    def: entry.def,
    unit: declared,
    perPoint: typedRaw.perPoint,
    typed,
    inputs: symbolsOf(expr),
  };
}

/** The discount factor and the reserve share, each checked to lie in its range. */
function creditingShares(
  file: MethodologyFile,
  issue: IssueSink,
): { discountFactor: Decimal; reserveShare: Decimal } {
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
  return { discountFactor, reserveShare };
}

function shareOf(text: string | undefined, fallback: string): Decimal {
  return parseDecimal(text ?? fallback) ?? new Decimal(fallback);
}

/** Topological order of the equations; a circle is reported once, naming its members. */
function orderEquations(parsed: ReadonlyMap<string, ParsedEquation>, issue: IssueSink): string[] {
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
