import type { BinaryOp } from '../ast/ast.js';

export const COMPARISON_OPS: ReadonlySet<BinaryOp> = new Set(['==', '!=', '>', '<', '>=', '<=']);

/** Go's math.Pow edge cases differ from `**`: 1^NaN is 1 and (-1)^±Inf is 1. */
function goPow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (x === -1 && !Number.isFinite(y) && !Number.isNaN(y)) return 1;
  return x ** y;
}

/** Arithmetic on two floats. */
export function arithmetic(op: BinaryOp, l: number, r: number): number {
  switch (op) {
    case '+':
      return l + r;
    case '-':
      return l - r;
    case '*':
      return l * r;
    case '/':
      return l / r;
    case '%':
      return l % r;
    case '^':
      return goPow(l, r);
    case 'atan2':
      return Math.atan2(l, r);
    case '==':
    case '!=':
    case '>':
    case '<':
    case '>=':
    case '<=':
    case 'and':
    case 'or':
    case 'unless':
      return NaN;
  }
}

/** Comparison of two floats (NaN compares false except with `!=`). */
export function compare(op: BinaryOp, l: number, r: number): boolean {
  switch (op) {
    case '==':
      return l === r;
    case '!=':
      return l !== r;
    case '>':
      return l > r;
    case '<':
      return l < r;
    case '>=':
      return l >= r;
    case '<=':
      return l <= r;
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
    case '^':
    case 'atan2':
    case 'and':
    case 'or':
    case 'unless':
      return false;
  }
}
