import type { BinaryOp } from '../ast/ast.js';
import type { MatchType } from '../labels/matcher.js';

/** Lezer's token names for PromQL's binary operators, mapped to our AST's operators. */
export const BINARY_OPS: Record<string, BinaryOp> = {
  Pow: '^',
  Mul: '*',
  Div: '/',
  Mod: '%',
  Atan2: 'atan2',
  Add: '+',
  Sub: '-',
  Eql: '==',
  Neq: '!=',
  Gtr: '>',
  Lss: '<',
  Gte: '>=',
  Lte: '<=',
  And: 'and',
  Or: 'or',
  Unless: 'unless',
};

/** Lezer's token names for label matchers. */
export const MATCH_OPS: Record<string, MatchType> = {
  EqlSingle: '=',
  Neq: '!=',
  EqlRegex: '=~',
  NeqRegex: '!~',
};

/**
 * `x op y` between durations in ms (a duration expression such as `[5m * 2]`); products and
 * quotients scale by 1000 because both sides are ms and the result is ms. Undefined for a token
 * that is no arithmetic operator.
 */
export function durationArithmetic(op: string, x: number, y: number): number | undefined {
  switch (op) {
    case 'Add':
      return x + y;
    case 'Sub':
      return x - y;
    case 'Mul':
      return (x * y) / 1000;
    case 'Div':
      return (x / y) * 1000;
    case 'Mod':
      return x % y;
    case 'Pow':
      return Math.pow(x / 1000, y / 1000) * 1000;
    default:
      return undefined;
  }
}
