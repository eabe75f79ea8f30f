// Checks the estimate section of a methodology file and its eligibility conditions: every local
// symbol defined once, every monitored parameter given an expression, and units consistent.
import { parseExpression, symbolsOf } from './expression.ts';
import type { CompiledParameter } from './compile-parameter.ts';
import type { MethodologyFile } from './format.ts';
import type { IssuePath, IssueSink } from './methodology-issue.ts';
import { UnitChecker, type SymbolInfo } from './unit-checker.ts';
import { describeDimension, dimensionless, parseUnit, sameDimension, type Unit } from './units.ts';

export function checkEstimate(
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
