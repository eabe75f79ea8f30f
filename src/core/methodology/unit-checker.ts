// Units of methodology expressions: the typed form of an expression, in which every unit conversion
// is an explicit `scale` node, and the checker that infers units and reports every mismatch.
import type { Decimal } from './decimal.ts';
import type { Expr } from './expression.ts';
import {
  conversionFactor,
  describeDimension,
  dimensionless,
  divideUnits,
  isDimensionless,
  multiplyUnits,
  sameDimension,
  type Unit,
} from './units.ts';

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

/** What the checker knows of a symbol: its unit, and whether it has one value per point. */
export interface SymbolInfo {
  readonly unit: Unit;
  readonly perPoint: boolean;
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
