// Recursive-descent parser: tokens → AST. Binary operators, lowest first: `??`, `||`, `&&`,
// `==`/`!=`, comparisons, `|` (merge), `+`/`-`, `*`/`/`/`%`; then unary `!`/`-` and postfix queries.
import type { Arg, AssignTarget, Closure, Expr, QueryRoot, Segment } from './ast.js';
import { TokenCursor } from './cursor.js';
import { diagnostic, DiagnosticError, type Span } from './diagnostic.js';
import { tokenize, type Token } from './lexer.js';
import { parseLiteralToken, parseTemplate } from './parse-literal.js';

const LEVELS: string[][] = '??;||;&&;== !=;< <= > >=;|;+ -;* / %'
  .split(';')
  .map((l) => l.split(' '));
const RESERVED = new Set(['if', 'else', 'abort', 'return', 'true', 'false', 'null']);

export function parseProgram(src: string): Expr[] {
  return new Parser(src).program();
}

class Parser extends TokenCursor {
  constructor(src: string) {
    super(tokenize(src));
  }

  program(): Expr[] {
    const out = this.statements('eof');
    if (this.errors.length > 0) throw new DiagnosticError(this.errors);
    return out;
  }

  /** Statements up to `end` (`eof` or `}`), separated by newlines or `;`. */
  private statements(end: 'eof' | '}' | ')'): Expr[] {
    const out: Expr[] = [];
    for (;;) {
      while (this.peek().kind === 'newline' || this.isOp(';')) this.pos++;
      const t = this.peek();
      if (end === 'eof' ? t.kind === 'eof' : this.isOp(end)) return out;
      if (t.kind === 'eof') this.fail();
      out.push(this.statement());
      const after = this.peek();
      if (
        after.kind !== 'newline' &&
        !this.isOp(';') &&
        after.kind !== 'eof' &&
        !this.isOp('}') &&
        !this.isOp(')')
      )
        this.fail(after);
    }
  }

  private statement(): Expr {
    const first = this.expr();
    if (this.isOp(',') && this.isTarget(first)) {
      this.next();
      const second = this.expr();
      if (!this.isTarget(second) || !(this.isOp('=') || this.isOp('|='))) this.fail();
      return this.assignment(first, second);
    }
    if ((this.isOp('=') || this.isOp('|=')) && this.isTarget(first)) {
      return this.assignment(first);
    }
    return first;
  }

  private isTarget(e: Expr): boolean {
    return (e.type === 'query' && e.root.kind !== 'expr') || this.isNoop(e);
  }
  private isNoop(e: Expr): boolean {
    return (
      e.type === 'query' && e.root.kind === 'var' && e.root.name === '_' && e.path.length === 0
    );
  }
  private target(e: Expr): AssignTarget {
    const span = { start: e.start, end: e.end };
    if (this.isNoop(e) || e.type !== 'query') return { kind: 'noop', span };
    return { kind: 'query', root: e.root, path: e.path, span };
  }

  private assignment(first: Expr, second?: Expr): Expr {
    const op = this.next().text as '=' | '|=';
    this.skipNewlines();
    const rhs = this.statement();
    return {
      type: 'assign',
      target: this.target(first),
      ...(second !== undefined ? { errTarget: this.target(second) } : {}),
      op,
      expr: rhs,
      start: first.start,
      end: rhs.end,
    };
  }

  private expr(level = 0): Expr {
    if (level >= LEVELS.length) return this.unary();
    let left = this.expr(level + 1);
    const ops = LEVELS[level] as string[];
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op' || !ops.includes(t.text)) return left;
      // `a < b < c` and `a == b == c` are refused rather than read left to right.
      if ((level === 3 || level === 4) && left.type === 'binary' && ops.includes(left.op)) {
        throw new DiagnosticError([
          diagnostic(650, "comparison operators can't be chained together", {
            start: left.start,
            end: t.end,
          }),
        ]);
      }
      this.next();
      this.skipNewlines();
      const right = this.expr(level + 1);
      left = {
        type: 'binary',
        op: t.text,
        left,
        right,
        opSpan: { start: t.start, end: t.end },
        start: left.start,
        end: right.end,
      };
    }
  }

  private unary(): Expr {
    const t = this.peek();
    if (t.kind === 'op' && (t.text === '!' || t.text === '-')) {
      this.next();
      const inner = this.unary();
      if (t.text === '-' && inner.type === 'literal' && typeof inner.value === 'number') {
        return { ...inner, value: -inner.value, start: t.start };
      }
      return { type: 'unary', op: t.text, expr: inner, start: t.start, end: inner.end };
    }
    return this.postfix(this.primary());
  }

  /** `.field`, `."quoted"` and `[index]` after any expression (no whitespace before them). */
  private postfix(e: Expr): Expr {
    const path: Segment[] = [];
    let end = e.end;
    while (!this.peek().spaced && (this.isOp('.') || this.isOp('['))) {
      const seg = this.segment();
      if (seg === undefined) break;
      path.push(seg);
      end = this.toks[this.pos - 1]?.end ?? end;
    }
    if (path.length === 0) return e;
    // A literal has no fields or elements: a syntax error, collected so parsing goes on.
    if (e.type === 'literal') this.errors.push(diagnostic(203, 'syntax error', { ...e, end }));
    if (e.type === 'query' && e.root.kind !== 'expr') {
      return { ...e, path: [...e.path, ...path], end };
    }
    return { type: 'query', root: { kind: 'expr', expr: e }, path, start: e.start, end };
  }

  private segment(): Segment | undefined {
    if (this.isOp('[')) {
      this.next();
      const t = this.next();
      let n: number;
      if (t.kind === 'int') n = Number(t.text);
      else if (t.kind === 'op' && t.text === '-' && this.peek().kind === 'int')
        n = -Number(this.next().text);
      else this.fail(t);
      this.expect(']');
      return { kind: 'index', index: n };
    }
    this.next(); // '.'
    const t = this.peek();
    if ((t.kind === 'field' || t.kind === 'ident') && !t.spaced) {
      this.next();
      return { kind: 'field', name: t.text };
    }
    if (t.kind === 'string' && !t.spaced) {
      this.next();
      return { kind: 'field', name: t.text.replace(/\\([{}])/g, '$1') };
    }
    if (this.isOp('(')) {
      this.next();
      const names: string[] = [];
      for (;;) {
        const n = this.next();
        if (n.kind !== 'field' && n.kind !== 'ident' && n.kind !== 'string') this.fail(n);
        names.push(n.text);
        if (this.isOp(')')) break;
        this.expect('|');
      }
      this.next();
      return { kind: 'coalesce', names };
    }
    this.pos--;
    return undefined;
  }

  private pathExpr(root: QueryRoot, start: Token): Expr {
    const path: Segment[] = [];
    const first = this.peek();
    if (first.kind === 'field' && !first.spaced) {
      this.next();
      path.push({ kind: 'field', name: first.text });
    } else if (first.kind === 'string' && !first.spaced) {
      this.next();
      path.push({ kind: 'field', name: first.text.replace(/\\([{}])/g, '$1') });
    } else if (this.isOp('(') && !first.spaced) {
      this.pos--;
      const seg = this.segment();
      if (seg !== undefined) path.push(seg);
    }
    const end = this.toks[this.pos - 1]?.end ?? start.end;
    return this.postfix({ type: 'query', root, path, start: start.start, end });
  }

  private primary(): Expr {
    const t = this.next();
    const span = { start: t.start, end: t.end };
    switch (t.kind) {
      case 'int':
      case 'float':
      case 'string':
      case 'rawstring':
      case 'regex':
      case 'timestamp':
        if (t.kind === 'string' && t.template === true) return parseTemplate(t, parseProgram);
        return { type: 'literal', value: parseLiteralToken(t), ...span };
      case 'ident':
        return this.identifier(t);
      case 'op':
        break;
      case 'field':
      case 'newline':
      case 'eof':
        this.fail(t);
    }
    switch (t.text) {
      case '.':
        return this.pathExpr({ kind: 'event' }, t);
      case '%':
        return this.pathExpr({ kind: 'meta' }, t);
      case '(': {
        // A group holds statements like a block: `(x = x + 1; x == 3)`.
        const exprs = this.statements(')');
        const close = this.expect(')');
        const inner: Expr =
          exprs.length === 1
            ? (exprs[0] as Expr)
            : { type: 'block', exprs, start: t.start, end: close.end };
        return { type: 'group', expr: inner, start: t.start, end: close.end };
      }
      case '[': {
        const items = this.list(']', () => this.expr());
        return { type: 'array', items, start: t.start, end: this.toks[this.pos - 1]?.end ?? t.end };
      }
      case '{':
        return this.braces(t);
      default:
        return this.fail(t);
    }
  }

  private braces(open: Token): Expr {
    let k = 0;
    while (this.peek(k).kind === 'newline') k++;
    const first = this.peek(k);
    const isObject =
      (first.kind === 'op' && first.text === '}') ||
      ((first.kind === 'string' || first.kind === 'rawstring') && this.isOp(':', k + 1));
    if (isObject) {
      const entries = this.list('}', (): [string, Expr] => {
        const key = this.next();
        if (key.kind !== 'string' && key.kind !== 'rawstring') this.fail(key);
        this.expect(':');
        this.skipNewlines();
        return [key.text.replace(/\\([{}])/g, '$1'), this.expr()];
      });
      return { type: 'object', entries, start: open.start, end: this.toks[this.pos - 1]?.end ?? 0 };
    }
    const exprs = this.statements('}');
    const close = this.expect('}');
    return { type: 'block', exprs, start: open.start, end: close.end };
  }

  private block(): { exprs: Expr[]; end: number } {
    this.skipNewlines();
    this.expect('{');
    const exprs = this.statements('}');
    return { exprs, end: this.expect('}').end };
  }

  private identifier(t: Token): Expr {
    const span = { start: t.start, end: t.end };
    switch (t.text) {
      case 'true':
      case 'false':
        return { type: 'literal', value: t.text === 'true', ...span };
      case 'null':
        return { type: 'literal', value: null, ...span };
      case 'if':
        return this.ifExpr(t);
      case 'abort': {
        const n = this.peek();
        const ends =
          n.kind === 'newline' || n.kind === 'eof' || (n.kind === 'op' && /^[;})\]]$/.test(n.text));
        if (ends) return { type: 'abort', ...span };
        const message = this.expr();
        return { type: 'abort', message, start: t.start, end: message.end };
      }
      case 'return': {
        const value = this.expr();
        return { type: 'return', expr: value, start: t.start, end: value.end };
      }
    }
    const bang = this.isOp('!') && !this.peek().spaced && this.isOp('(', 1);
    if ((this.isOp('(') && !this.peek().spaced) || bang) return this.call(t, bang);
    if (RESERVED.has(t.text)) this.fail(t);
    return this.postfix({ type: 'query', root: { kind: 'var', name: t.text }, path: [], ...span });
  }

  private ifExpr(t: Token): Expr {
    const cond = this.expr();
    const then = this.block();
    let end = then.end;
    let otherwise: Expr[] | undefined;
    let k = 0;
    while (this.peek(k).kind === 'newline') k++;
    const e = this.peek(k);
    if (e.kind === 'ident' && e.text === 'else') {
      this.pos += k + 1;
      this.skipNewlines();
      if (this.peek().kind === 'ident' && this.peek().text === 'if') {
        const nested = this.ifExpr(this.next());
        otherwise = [nested];
        end = nested.end;
      } else {
        const b = this.block();
        otherwise = b.exprs;
        end = b.end;
      }
    }
    return {
      type: 'if',
      cond,
      then: then.exprs,
      ...(otherwise ? { otherwise } : {}),
      start: t.start,
      end,
    };
  }

  private call(name: Token, bang: boolean): Expr {
    if (bang) this.next();
    this.expect('(');
    const args = this.list(')', (): Arg => {
      const t = this.peek();
      if (t.kind === 'ident' && this.isOp(':', 1)) {
        this.pos += 2;
        this.skipNewlines();
        const expr = this.expr();
        return { name: t.text, expr, span: { start: t.start, end: expr.end } };
      }
      const expr = this.expr();
      return { expr, span: { start: expr.start, end: expr.end } };
    });
    let end = this.toks[this.pos - 1]?.end ?? name.end;
    let closure: Closure | undefined;
    if (this.isOp('->')) {
      const arrow = this.next();
      this.expect('|');
      const params: { name: string; span: Span }[] = [];
      while (!this.isOp('|')) {
        const p = this.next();
        if (p.kind !== 'ident') this.fail(p);
        params.push({ name: p.text, span: { start: p.start, end: p.end } });
        if (this.isOp(',')) this.next();
      }
      this.next();
      const body = this.block();
      closure = { params, body: body.exprs, span: { start: arrow.start, end: body.end } };
      end = body.end;
    }
    return {
      type: 'call',
      name: name.text,
      nameSpan: { start: name.start, end: name.end },
      bang,
      args,
      ...(closure ? { closure } : {}),
      start: name.start,
      end,
    };
  }
}
