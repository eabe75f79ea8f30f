// The Excel formulas of the monitoring workbook: which column of the calculation sheets holds each
// equation and each term summed over monitoring points, and how an expression becomes a formula.
import type { CompiledEquation, CompiledMethodology, Typed } from '../core/methodology/compile.ts';
import { decimalText } from '../core/methodology/decimal.ts';
import { assert, assertNever } from '../core/shared/assert.ts';
import type { InputCells, WorkbookLayout } from './workbook-input-sheets.ts';
import { cellName, columnLetter, firstDataRow, keyColumns, sheets } from './workbook-layout.ts';

/** Where the calculation sheets put each equation and each summed term. */
export interface CalculationColumns {
  readonly perPointEquations: readonly CompiledEquation[];
  readonly projectEquations: readonly CompiledEquation[];
  /** Per-point equation -> its column on PointCalculation. */
  readonly pointCalcCol: ReadonlyMap<string, number>;
  /**
   * A term summed over monitoring points that is not a monitored value itself -> its helper column
   * on PointCalculation, after the equations: SUM() can only add up a range of cells.
   */
  readonly helpers: ReadonlyMap<Typed, number>;
  /** Project-level equation -> its column on Calculation. */
  readonly calcCol: ReadonlyMap<string, number>;
}

export function calculationColumns(
  methodology: CompiledMethodology,
  monitoringCol: ReadonlyMap<string, number>,
): CalculationColumns {
  const perPointEquations = methodology.equations.filter((e) => e.perPoint);
  const projectEquations = methodology.equations.filter((e) => !e.perPoint);
  const pointCalcCol = new Map(
    perPointEquations.map((e, j) => [e.def.symbol, keyColumns.monitoring + 1 + j]),
  );
  const helpers = new Map<Typed, number>();
  let nextHelper = keyColumns.monitoring + 1 + perPointEquations.length;
  const collectSums = (t: Typed): void => {
    if (t.kind === 'sum') {
      if (!isMonitoredSymbol(t.operand)) helpers.set(t.operand, nextHelper++);
      collectSums(t.operand);
    } else if (t.kind === 'negate' || t.kind === 'scale') collectSums(t.operand);
    else if (t.kind === 'binary') {
      collectSums(t.left);
      collectSums(t.right);
    } else if (t.kind === 'min' || t.kind === 'max') t.args.forEach(collectSums);
  };
  const isMonitoredSymbol = (t: Typed) => t.kind === 'symbol' && monitoringCol.has(t.name);
  methodology.equations.forEach((e) => collectSums(e.typed));
  const calcCol = new Map(projectEquations.map((e, j) => [e.def.symbol, 4 + j]));
  return { perPointEquations, projectEquations, pointCalcCol, helpers, calcCol };
}

/** The formula of an expression in period `pi` and, for a per-point value, at point `qi`. */
export type FormulaOf = (t: Typed, pi: number, qi: number | null) => string;

export function formulaWriter(
  layout: WorkbookLayout,
  inputs: InputCells,
  columns: CalculationColumns,
): FormulaOf {
  const { fixedRow, pointRow, periodRow, pointsCol, periodsCol, monitoringCol, monitoringRow } =
    inputs;
  const { pointCalcCol, helpers, calcCol } = columns;
  const formula: FormulaOf = (t, pi, qi) => {
    const period = layout.periods[pi];
    assert(period !== undefined, 'period index in range');
    switch (t.kind) {
      case 'number':
        return decimalText(t.value);
      case 'symbol': {
        if (t.perPoint) {
          assert(qi !== null, `${t.name} is used per monitoring point`);
          const point = layout.points[qi] as string;
          const row = monitoringRow(pi, qi);
          if (pointsCol.has(t.name))
            return `${sheets.points}!$${columnLetter(pointsCol.get(t.name) as number)}$${pointRow.get(point) as number}`;
          if (monitoringCol.has(t.name))
            return `${sheets.monitoring}!${cellName(monitoringCol.get(t.name) as number, row)}`;
          return `${sheets.pointCalculation}!${cellName(pointCalcCol.get(t.name) as number, row)}`;
        }
        if (fixedRow.has(t.name)) return `${sheets.fixed}!$D$${fixedRow.get(t.name) as number}`;
        if (periodsCol.has(t.name))
          return `${sheets.periods}!${cellName(periodsCol.get(t.name) as number, periodRow.get(period.id) as number)}`;
        return `${sheets.calculation}!${cellName(calcCol.get(t.name) as number, firstDataRow + pi)}`;
      }
      case 'negate':
        return `-(${formula(t.operand, pi, qi)})`;
      case 'binary':
        return `(${formula(t.left, pi, qi)})${t.op}(${formula(t.right, pi, qi)})`;
      case 'scale':
        return `(${formula(t.operand, pi, qi)})*${t.factor.toSignificantDigits(17).toFixed()}`;
      case 'min':
      case 'max':
        return `${t.kind.toUpperCase()}(${t.args.map((a) => formula(a, pi, qi)).join(',')})`;
      case 'sum': {
        const first = monitoringRow(pi, 0);
        const last = monitoringRow(pi, layout.points.length - 1);
        const helper = helpers.get(t.operand);
        const sheet = helper === undefined ? sheets.monitoring : sheets.pointCalculation;
        const column = columnLetter(
          helper ?? (monitoringCol.get((t.operand as { name: string }).name) as number),
        );
        return `SUM(${sheet}!${column}${first}:${column}${last})`;
      }
      default:
        return assertNever(t, 'expression');
    }
  };
  return formula;
}

/** A summed term as people read it, for the header of its helper column. */
export function describeTerm(t: Typed): string {
  switch (t.kind) {
    case 'symbol':
      return t.name;
    case 'number':
      return decimalText(t.value);
    case 'negate':
      return `-${describeTerm(t.operand)}`;
    case 'binary':
      return `(${describeTerm(t.left)} ${t.op} ${describeTerm(t.right)})`;
    case 'scale':
      return `${describeTerm(t.operand)} x ${t.factor.toSignificantDigits(17).toFixed()}`;
    case 'sum':
      return `sum(${describeTerm(t.operand)})`;
    case 'min':
    case 'max':
      return `${t.kind}(${t.args.map(describeTerm).join(', ')})`;
    default:
      return assertNever(t, 'expression');
  }
}
