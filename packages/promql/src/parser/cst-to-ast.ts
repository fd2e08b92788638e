import type { parser } from '@prometheus-io/lezer-promql';
import type {
  AggregateOp,
  AtModifier,
  Expr,
  MatrixSelector,
  PositionRange,
  Subquery,
  VectorMatching,
  VectorSelector,
} from '../ast/ast.js';
import type { Matcher } from '../labels/matcher.js';
import {
  checkBinary,
  checkCall,
  checkAggregate,
  typeOf,
  checkSelector,
  typeName,
} from './check-ast.js';
import { parseNumberLiteral, parseNumberOrDurationMs } from './duration.js';
import { PositionedError } from './parse-error.js';
import { BINARY_OPS, MATCH_OPS, durationArithmetic } from './operator-tokens.js';
import { checkStringEscapes, unquoteString } from './string-literal.js';

type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

/** Turns the lezer concrete syntax tree into our AST, applying Prometheus's static checks. */
export class CstToAst {
  constructor(private readonly text: string) {}

  private src(node: SyntaxNode): string {
    return this.text.slice(node.from, node.to);
  }

  private pos(node: SyntaxNode): PositionRange {
    return { start: node.from, end: node.to };
  }

  private fail(node: SyntaxNode | PositionRange, message: string): never {
    const pos = 'start' in node ? node : this.pos(node);
    throw new PositionedError(pos, message);
  }

  private children(node: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
    return out;
  }

  expr(node: SyntaxNode): Expr {
    switch (node.name) {
      case 'PromQL':
      case 'Expr': {
        const child = node.firstChild;
        if (!child) this.fail(node, 'no expression found in input');
        return this.expr(child);
      }
      case 'NumberDurationLiteral':
        return { type: 'number', value: parseNumberLiteral(this.src(node)), pos: this.pos(node) };
      case 'StringLiteral':
        return { type: 'string', value: this.string(node), pos: this.pos(node) };
      case 'VectorSelector':
        return this.vectorSelector(node);
      case 'MatrixSelector':
        return this.matrixSelector(node);
      case 'SubqueryExpr':
        return this.subquery(node);
      case 'OffsetExpr':
        return this.offset(node);
      case 'StepInvariantExpr':
        return this.at(node);
      case 'ParenExpr':
        return { type: 'paren', expr: this.expr(this.children(node)[0]!), pos: this.pos(node) };
      case 'UnaryExpr':
        return this.unary(node);
      case 'BinaryExpr':
        return this.binary(node);
      case 'AggregateExpr':
        return this.aggregate(node);
      case 'FunctionCall':
        return this.call(node);
      case 'AnchoredExpr':
      case 'SmoothedExpr':
        return this.fail(node, 'anchored and smoothed modifiers are experimental and not enabled');
      default:
        return this.fail(node, `unexpected ${JSON.stringify(this.src(node))}`);
    }
  }

  private string(node: SyntaxNode): string {
    const raw = this.src(node);
    const problem = checkStringEscapes(raw);
    if (problem) this.fail(node, problem);
    return unquoteString(raw);
  }

  private labelName(node: SyntaxNode): string {
    if (node.name === 'QuotedLabelName') return this.string(node.firstChild!);
    return this.src(node);
  }

  private vectorSelector(node: SyntaxNode): VectorSelector {
    let name = '';
    const matchers: Matcher[] = [];
    for (const c of this.children(node)) {
      if (c.name === 'Identifier') name = this.src(c);
      if (c.name !== 'LabelMatchers') continue;
      for (const m of this.children(c)) {
        if (m.name === 'QuotedLabelName') {
          const quoted = this.string(m.firstChild!);
          if (name !== '')
            this.fail(
              m,
              `metric name must not be set twice: ${JSON.stringify(name)} or ${JSON.stringify(quoted)}`,
            );
          name = quoted;
          continue;
        }
        if (m.name !== 'UnquotedLabelMatcher' && m.name !== 'QuotedLabelMatcher') continue;
        const [labelNode, opNode, valueNode] = this.children(m);
        if (!labelNode || !opNode || !valueNode)
          this.fail(m, 'unexpected end of input inside braces');
        const type = MATCH_OPS[opNode.firstChild?.name ?? ''];
        if (!type)
          this.fail(opNode, `unexpected ${JSON.stringify(this.src(opNode))} in label matching`);
        matchers.push({ name: this.labelName(labelNode), type, value: this.string(valueNode) });
      }
    }
    if (name !== '') {
      const clash = matchers.find((m) => m.name === '__name__');
      if (clash) {
        this.fail(
          node,
          `metric name must not be set twice: ${JSON.stringify(name)} or ${JSON.stringify(clash.value)}`,
        );
      }
      matchers.unshift({ name: '__name__', type: '=', value: name });
    }
    const vs: VectorSelector = {
      type: 'vectorSelector',
      name,
      matchers,
      offsetMs: 0,
      at: undefined,
      pos: this.pos(node),
    };
    checkSelector(vs);
    return vs;
  }

  private durationExpr(node: SyntaxNode): number {
    const kids = this.children(node);
    if (node.name === 'NumberDurationLiteralInDurationContext') {
      const ms = parseNumberOrDurationMs(this.src(node));
      if (ms === undefined)
        this.fail(node, `bad duration syntax: ${JSON.stringify(this.src(node))}`);
      return ms;
    }
    if (node.name === 'UnaryOp') this.fail(node, 'unexpected unary operator in duration');
    const [a, op, b] = kids;
    if (kids.length === 1) return this.durationExpr(a!);
    if (kids.length === 2 && a!.name === 'UnaryOp') {
      const v = this.durationExpr(op!);
      return this.src(a!) === '-' ? -v : v;
    }
    if (kids.length === 3 && a && op && b) {
      const ms = durationArithmetic(op.name, this.durationExpr(a), this.durationExpr(b));
      if (ms !== undefined) return ms;
    }
    return this.fail(node, `unexpected ${JSON.stringify(this.src(node))} in duration`);
  }

  private matrixSelector(node: SyntaxNode): MatrixSelector {
    const [inner, dur] = this.children(node);
    const e = this.expr(inner!);
    if (e.type !== 'vectorSelector') this.fail(inner!, 'ranges only allowed for vector selectors');
    if (e.offsetMs !== 0 || e.at) this.fail(inner!, 'no offset modifiers allowed before range');
    const rangeMs = this.durationExpr(dur!);
    if (rangeMs <= 0) this.fail(dur!, `range duration must be greater than 0`);
    return { type: 'matrixSelector', selector: e, rangeMs, pos: this.pos(node) };
  }

  private subquery(node: SyntaxNode): Subquery {
    const [inner, range, step] = this.children(node);
    const e = this.expr(inner!);
    const t = typeOf(e);
    if (t !== 'vector') {
      this.fail(node, `subquery is only allowed on instant vector, got ${typeName(t)} instead`);
    }
    const rangeMs = this.durationExpr(range!);
    const stepMs = step ? this.durationExpr(step) : 0;
    if (rangeMs <= 0) this.fail(range!, 'range duration must be greater than 0');
    if (step && stepMs <= 0) this.fail(step, 'step duration must be greater than 0');
    return {
      type: 'subquery',
      expr: e,
      rangeMs,
      stepMs,
      offsetMs: 0,
      at: undefined,
      pos: this.pos(node),
    };
  }

  /**
   * The grammar lets postfix `offset`/`@` wrap a whole unary or binary expression
   * (`-a @ 1` parses as `(-a) @ 1`), but in PromQL they bind tightest: push them down to the
   * right-most operand, then require a selector or subquery there.
   */
  private applyModifier(
    e: Expr,
    node: SyntaxNode,
    what: string,
    set: (target: VectorSelector | MatrixSelector | Subquery) => Expr,
  ): Expr {
    if (e.type === 'unary') return { ...e, expr: this.applyModifier(e.expr, node, what, set) };
    if (e.type === 'binary') return { ...e, rhs: this.applyModifier(e.rhs, node, what, set) };
    if (e.type === 'vectorSelector' || e.type === 'matrixSelector' || e.type === 'subquery')
      return set(e);
    return this.fail(
      node,
      `${what} modifier must be preceded by an instant vector selector or range vector selector or a subquery`,
    );
  }

  private offset(node: SyntaxNode): Expr {
    const [inner, , dur] = this.children(node);
    const ms = this.durationExpr(dur!);
    return this.applyModifier(this.expr(inner!), inner!, 'offset', (e) => {
      const target = e.type === 'matrixSelector' ? e.selector : e;
      if (target.offsetMs !== 0) this.fail(node, 'offset may not be set multiple times');
      const pos = { start: e.pos.start, end: node.to };
      if (e.type === 'matrixSelector')
        return { ...e, selector: { ...e.selector, offsetMs: ms }, pos };
      return { ...e, offsetMs: ms, pos };
    });
  }

  private at(node: SyntaxNode): Expr {
    const kids = this.children(node);
    const arg = kids[2]!;
    let at: AtModifier;
    if (arg.name === 'AtModifierPreprocessors') {
      at = arg.firstChild?.name === 'AtStart' ? { kind: 'start' } : { kind: 'end' };
    } else {
      const secs = parseNumberLiteral(this.src(arg));
      if (!Number.isFinite(secs)) this.fail(arg, `timestamp out of bounds for @ modifier: ${secs}`);
      at = { kind: 'time', ms: Math.round(secs * 1000) };
    }
    return this.applyModifier(this.expr(kids[0]!), kids[0]!, '@', (e) => {
      const target = e.type === 'matrixSelector' ? e.selector : e;
      if (target.at) this.fail(node, '@ <timestamp> may not be set multiple times');
      const pos = { start: e.pos.start, end: node.to };
      if (e.type === 'matrixSelector') return { ...e, selector: { ...e.selector, at }, pos };
      return { ...e, at, pos };
    });
  }

  private unary(node: SyntaxNode): Expr {
    const [opNode, inner] = this.children(node);
    const e = this.expr(inner!);
    const t = typeOf(e);
    if (t !== 'scalar' && t !== 'vector') {
      this.fail(
        node,
        `unary expression only allowed on expressions of type scalar or instant vector, got ${JSON.stringify(typeName(t))}`,
      );
    }
    const op = this.src(opNode!) === '-' ? '-' : '+';
    if (e.type === 'number')
      return { ...e, value: op === '-' ? -e.value : e.value, pos: this.pos(node) };
    return { type: 'unary', op, expr: e, pos: this.pos(node) };
  }

  private binary(node: SyntaxNode): Expr {
    const kids = this.children(node);
    const lhsNode = kids[0]!;
    const opNode = kids[1]!;
    const rhsNode = kids[kids.length - 1]!;
    const op = BINARY_OPS[opNode.name];
    if (!op) this.fail(opNode, `unexpected ${JSON.stringify(this.src(opNode))}`);
    let bool = false;
    let matching:
      | { on: boolean; labels: string[]; card?: 'many-to-one' | 'one-to-many'; include: string[] }
      | undefined;
    for (const c of kids.slice(2, -1)) {
      if (c.name === 'BoolModifier') bool = true;
      else if (c.name === 'MatchingModifierClause') matching = this.matchingClause(c);
      else if (c.name === 'FillModifier')
        this.fail(c, 'fill modifiers are experimental and not enabled');
    }
    let lhs = this.expr(lhsNode);
    const rhs = this.expr(rhsNode);
    // The grammar folds a leading sign into the number token, but in PromQL unary minus binds
    // looser than `^`: `-2 ^ 2` is -(2^2).
    let negate = false;
    if (op === '^' && lhs.type === 'number' && /^\s*-/.test(this.src(lhsNode))) {
      lhs = { ...lhs, value: -lhs.value };
      negate = true;
    }
    const lt = typeOf(lhs);
    const rt = typeOf(rhs);
    let vm: VectorMatching | undefined;
    const setOp = op === 'and' || op === 'or' || op === 'unless';
    if (lt === 'vector' && rt === 'vector') {
      vm = {
        card: setOp ? 'many-to-many' : (matching?.card ?? 'one-to-one'),
        on: matching?.on ?? false,
        labels: matching?.labels ?? [],
        include: matching?.include ?? [],
      };
    }
    const b: Expr = { type: 'binary', op, lhs, rhs, bool, matching: vm, pos: this.pos(node) };
    checkBinary(b, matching !== undefined, matching?.card !== undefined);
    return negate ? { type: 'unary', op: '-', expr: b, pos: this.pos(node) } : b;
  }

  private matchingClause(node: SyntaxNode): {
    on: boolean;
    labels: string[];
    card?: 'many-to-one' | 'one-to-many';
    include: string[];
  } {
    const kids = this.children(node);
    const on = kids[0]!.name === 'On';
    const labels = this.groupingLabels(kids[1]!);
    const group = kids[2];
    if (!group) return { on, labels, include: [] };
    const card = group.name === 'GroupLeft' ? 'many-to-one' : 'one-to-many';
    const include = kids[3] ? this.groupingLabels(kids[3]) : [];
    for (const l of include) {
      if (on && labels.includes(l)) {
        this.fail(node, `label ${JSON.stringify(l)} must not occur in ON and GROUP clause at once`);
      }
    }
    return { on, labels, card, include };
  }

  private groupingLabels(node: SyntaxNode): string[] {
    return this.children(node)
      .filter((c) => c.name === 'LabelName' || c.name === 'QuotedLabelName')
      .map((c) => this.labelName(c));
  }

  private aggregate(node: SyntaxNode): Expr {
    const kids = this.children(node);
    const opName = this.src(kids[0]!).toLowerCase() as AggregateOp;
    let grouping: string[] = [];
    let without = false;
    let body: SyntaxNode | undefined;
    for (const c of kids.slice(1)) {
      if (c.name === 'AggregateModifier') {
        without = c.firstChild?.name === 'Without';
        grouping = this.groupingLabels(c.lastChild!);
      } else if (c.name === 'FunctionCallBody') body = c;
    }
    const args = this.children(body!).map((a) => this.expr(a));
    const needsParam = [
      'topk',
      'bottomk',
      'quantile',
      'count_values',
      'limitk',
      'limit_ratio',
    ].includes(opName);
    const want = needsParam ? 2 : 1;
    if (args.length !== want) {
      this.fail(
        node,
        `wrong number of arguments for aggregate expression provided, expected ${want}, got ${args.length}`,
      );
    }
    const e: Expr = {
      type: 'aggregate',
      op: opName,
      expr: args[want - 1]!,
      param: needsParam ? args[0] : undefined,
      grouping,
      without,
      pos: this.pos(node),
    };
    checkAggregate(e);
    return e;
  }

  private call(node: SyntaxNode): Expr {
    const [ident, body] = this.children(node);
    const func = this.src(ident!);
    const args = this.children(body!).map((a) => this.expr(a));
    const e: Expr = { type: 'call', func, args, pos: this.pos(node) };
    checkCall(e);
    return e;
  }
}
