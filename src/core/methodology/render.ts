// Equations written for people: Σ for sums over monitoring points, × and ÷ for products and
// quotients, parentheses only where precedence needs them.
import { assertNever } from '../shared/assert.ts';
import { parseExpression, type Expr } from './expression.ts';

const precedence = { '+': 1, '-': 1, '*': 2, '/': 2 } as const;

export function renderExpression(expr: Expr): string {
  return render(expr, 0);
}

/** `symbol = rendered expression`, or the expression text itself when it cannot be read. */
export function renderEquation(symbol: string, expression: string): string {
  const parsed = parseExpression(expression, 'value');
  return `${symbol} = ${parsed.ok ? renderExpression(parsed.expr) : expression}`;
}

function render(expr: Expr, outer: number): string {
  switch (expr.kind) {
    case 'number':
      return expr.text;
    case 'symbol':
      return expr.name;
    case 'negate':
      return `−${render(expr.operand, 3)}`;
    case 'binary': {
      const own = precedence[expr.op];
      const symbol = { '+': '+', '-': '−', '*': '×', '/': '÷' }[expr.op];
      // The right side of - and / binds tighter: a − (b − c) keeps its parentheses.
      const rightOuter = expr.op === '-' || expr.op === '/' ? own + 1 : own;
      const text = `${render(expr.left, own)} ${symbol} ${render(expr.right, rightOuter)}`;
      return own < outer ? `(${text})` : text;
    }
    case 'call':
      return expr.fn === 'sum'
        ? `Σᵢ (${render(expr.args[0] as Expr, 0)})`
        : `${expr.fn}(${expr.args.map((a) => render(a, 0)).join(', ')})`;
    case 'compare':
      return `${render(expr.left, 0)} ${{ '<': '<', '<=': '≤', '>': '>', '>=': '≥', '==': '=', '!=': '≠' }[expr.op]} ${render(expr.right, 0)}`;
    case 'logical':
      return `${render(expr.left, 0)} ${expr.op === '&&' ? 'and' : 'or'} ${render(expr.right, 0)}`;
    default:
      return assertNever(expr, 'expression');
  }
}
