// The small expression language of methodologies, parsed by jsep (a parser only: nothing is ever
// evaluated by JavaScript) and narrowed to what a methodology needs: decimal numbers, symbols, + - * /,
// unary minus, sum() over monitoring points, min() and max(); conditions add comparisons, and, or.
import jsep from 'jsep';
import { Decimal, parseDecimal } from './decimal.ts';

export type Expr =
  | { readonly kind: 'number'; readonly value: Decimal; readonly text: string }
  | { readonly kind: 'symbol'; readonly name: string }
  | { readonly kind: 'negate'; readonly operand: Expr }
  | {
      readonly kind: 'binary';
      readonly op: '+' | '-' | '*' | '/';
      readonly left: Expr;
      readonly right: Expr;
    }
  | { readonly kind: 'call'; readonly fn: 'sum' | 'min' | 'max'; readonly args: readonly Expr[] }
  | {
      readonly kind: 'compare';
      readonly op: '<' | '<=' | '>' | '>=' | '==' | '!=';
      readonly left: Expr;
      readonly right: Expr;
    }
  | {
      readonly kind: 'logical';
      readonly op: '&&' | '||';
      readonly left: Expr;
      readonly right: Expr;
    };

export interface ExpressionError {
  readonly code: 'methodology_expression_malformed' | 'methodology_function_unknown';
  readonly message: string;
  /** 1-based column in the expression text, when the parser knows it. */
  readonly column?: number;
}

export type Parsed = { readonly ok: true; readonly expr: Expr } | ExpressionFailure;
interface ExpressionFailure {
  readonly ok: false;
  readonly error: ExpressionError;
}

/** Deepest nesting accepted; a limit so that no input can exhaust the stack. */
export const expressionDepthMax = 40;

const arithmetic = new Set(['+', '-', '*', '/']);
const comparisons = new Set(['<', '<=', '>', '>=', '==', '!=']);
const logicals = new Set(['&&', '||']);

export function parseExpression(text: string, mode: 'value' | 'condition'): Parsed {
  let tree: jsep.Expression;
  try {
    tree = jsep(text);
  } catch (error) {
    const index = (error as { index?: unknown }).index;
    const description = (error as { description?: unknown }).description;
    return fail(
      'methodology_expression_malformed',
      typeof description === 'string' ? description : 'the expression cannot be read',
      typeof index === 'number' ? index + 1 : undefined,
    );
  }
  try {
    return { ok: true, expr: narrow(tree, mode, 0) };
  } catch (error) {
    if (error instanceof NarrowingError) return { ok: false, error: error.detail };
    throw error;
  }
}

class NarrowingError extends Error {
  constructor(readonly detail: ExpressionError) {
    super(detail.message);
  }
}

function fail(code: ExpressionError['code'], message: string, column?: number): ExpressionFailure {
  return {
    ok: false,
    error: column === undefined ? { code, message } : { code, message, column },
  };
}

function refuse(
  message: string,
  code: ExpressionError['code'] = 'methodology_expression_malformed',
): never {
  throw new NarrowingError({ code, message });
}

function narrow(node: jsep.Expression, mode: 'value' | 'condition', depth: number): Expr {
  if (depth > expressionDepthMax) refuse(`the expression nests deeper than ${expressionDepthMax}`);
  const next = (child: jsep.Expression, childMode = mode) => narrow(child, childMode, depth + 1);
  switch (node.type) {
    case 'Literal': {
      const raw = String((node as jsep.Literal).raw);
      const value = parseDecimal(raw);
      if (value === null) refuse(`${raw} is not a decimal number`);
      return { kind: 'number', value, text: raw };
    }
    case 'Identifier':
      return { kind: 'symbol', name: (node as jsep.Identifier).name };
    case 'UnaryExpression': {
      const unary = node as jsep.UnaryExpression;
      if (unary.operator === '-') return { kind: 'negate', operand: next(unary.argument, 'value') };
      if (unary.operator === '+') return next(unary.argument, 'value');
      return refuse(`the operator ${unary.operator} is not part of the language`);
    }
    case 'BinaryExpression': {
      const binary = node as jsep.BinaryExpression;
      const op = binary.operator;
      if (arithmetic.has(op)) {
        return {
          kind: 'binary',
          op: op as '+' | '-' | '*' | '/',
          left: next(binary.left, 'value'),
          right: next(binary.right, 'value'),
        };
      }
      if (mode === 'condition' && comparisons.has(op)) {
        return {
          kind: 'compare',
          op: op as '<' | '<=' | '>' | '>=' | '==' | '!=',
          left: next(binary.left, 'value'),
          right: next(binary.right, 'value'),
        };
      }
      if (mode === 'condition' && logicals.has(op)) {
        return {
          kind: 'logical',
          op: op as '&&' | '||',
          left: next(binary.left),
          right: next(binary.right),
        };
      }
      return refuse(
        mode === 'value'
          ? `the operator ${op} is not allowed in an equation (use + - * / and sum, min, max)`
          : `the operator ${op} is not part of the language`,
      );
    }
    case 'CallExpression': {
      const call = node as jsep.CallExpression;
      const callee = call.callee;
      const name = callee.type === 'Identifier' ? (callee as jsep.Identifier).name : '';
      if (name !== 'sum' && name !== 'min' && name !== 'max') {
        return refuse(
          `unknown function ${name || '(expression)'}: the functions are sum, min and max`,
          'methodology_function_unknown',
        );
      }
      const args = call.arguments.map((arg) => next(arg, 'value'));
      if (name === 'sum' && args.length !== 1) refuse('sum() takes exactly one argument');
      if (name !== 'sum' && args.length < 2) refuse(`${name}() takes at least two arguments`);
      return { kind: 'call', fn: name, args };
    }
    default:
      return refuse(`a ${node.type} is not part of the language`);
  }
}

/** Every symbol an expression refers to, in order of first appearance. */
export function symbolsOf(expr: Expr): string[] {
  const seen = new Set<string>();
  const visit = (e: Expr): void => {
    switch (e.kind) {
      case 'number':
        return;
      case 'symbol':
        seen.add(e.name);
        return;
      case 'negate':
        return visit(e.operand);
      case 'call':
        return e.args.forEach(visit);
      case 'binary':
      case 'compare':
      case 'logical':
        visit(e.left);
        return visit(e.right);
    }
  };
  visit(expr);
  return [...seen];
}
