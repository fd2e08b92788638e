import { parser } from '@prometheus-io/lezer-promql';
import type { Expr, PositionRange } from '../ast/ast.js';
import { CstToAst } from './cst-to-ast.js';
import { normalizeTrailingDots } from './normalize-numbers.js';
import { parseError, PositionedError } from './parse-error.js';

/**
 * Parses a PromQL expression with the Prometheus project's lezer grammar and returns our typed
 * AST. Throws AppError(INVALID_ARGUMENT) worded like Prometheus, e.g.
 * `1:8: parse error: unexpected end of input`.
 */
export function parsePromql(query: string): Expr {
  const text = normalizeTrailingDots(query);
  if (query.trim() === '')
    throw parseError(query, { start: 0, end: 0 }, 'no expression found in input');
  const tree = parser.parse(text);
  const syntax = firstSyntaxError(query, tree);
  if (syntax) throw parseError(query, syntax.pos, syntax.message);
  try {
    return new CstToAst(text).expr(tree.topNode);
  } catch (err) {
    if (err instanceof PositionedError) throw parseError(query, err.pos, err.message);
    throw err;
  }
}

function firstSyntaxError(
  query: string,
  tree: ReturnType<typeof parser.parse>,
): { pos: PositionRange; message: string } | undefined {
  let found: { pos: PositionRange; message: string } | undefined;
  tree.iterate({
    enter(node) {
      if (found) return false;
      if (!node.type.isError) return undefined;
      const pos = { start: node.from, end: Math.max(node.to, node.from) };
      const rest = query.slice(node.from).trimStart();
      const ident = /([A-Za-z_][A-Za-z0-9_:]*)\s*$/.exec(query.slice(0, node.from));
      if (ident && rest.startsWith('(')) {
        // The grammar only knows Prometheus's function names; anything else before `(` is one.
        const start = node.from - ident[0].length;
        found = {
          pos: { start, end: start + ident[1]!.length },
          message: `unknown function with name ${JSON.stringify(ident[1])}`,
        };
      } else if (rest === '') {
        found = { pos, message: 'unexpected end of input' };
      } else {
        const token = /^(\w+|\S)/.exec(rest)?.[0] ?? rest[0]!;
        found = {
          pos,
          message: `unexpected character: ${JSON.stringify(token).replace(/^"|"$/g, "'")}`,
        };
      }
      return false;
    },
  });
  return found;
}
