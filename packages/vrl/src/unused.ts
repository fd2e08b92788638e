// VRL's E900 warnings: a literal statement whose value nobody uses, and a variable assigned but
// never read (names starting with `_` are exempt, as in VRL).
import type { Expr } from './ast.js';
import { diagnostic, type Diagnostic } from './diagnostic.js';

function visit(e: Expr, onExpr: (e: Expr) => void): void {
  onExpr(e);
  const each = (xs: readonly Expr[]): void => xs.forEach((x) => visit(x, onExpr));
  switch (e.type) {
    case 'template':
      each(e.parts.filter((p): p is Expr => typeof p !== 'string'));
      break;
    case 'query':
      if (e.root.kind === 'expr') visit(e.root.expr, onExpr);
      break;
    case 'array':
      each(e.items);
      break;
    case 'object':
      each(e.entries.map(([, v]) => v));
      break;
    case 'block':
      each(e.exprs);
      break;
    case 'group':
    case 'unary':
    case 'return':
      visit(e.expr, onExpr);
      break;
    case 'binary':
      each([e.left, e.right]);
      break;
    case 'assign':
      visit(e.expr, onExpr);
      break;
    case 'if':
      each([e.cond, ...e.then, ...(e.otherwise ?? [])]);
      break;
    case 'call':
      each([...e.args.map((a) => a.expr), ...(e.closure?.body ?? [])]);
      break;
    case 'abort':
      if (e.message) visit(e.message, onExpr);
      break;
    case 'literal':
      break;
  }
}

export function unusedWarnings(program: readonly Expr[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  program.forEach((e, i) => {
    if (i < program.length - 1 && e.type === 'literal') {
      out.push(diagnostic(900, `unused literal \`${JSON.stringify(e.value)}\``, e, [], 'warning'));
    }
  });
  const read = new Set<string>();
  const assigned = new Map<string, Expr>();
  for (const e of program) {
    visit(e, (x) => {
      if (x.type === 'query' && x.root.kind === 'var') read.add(x.root.name);
      if (x.type === 'assign') {
        for (const t of [x.target, x.errTarget]) {
          if (t?.kind === 'query' && t.root.kind === 'var') {
            if (t.path.length > 0) read.add(t.root.name);
            else if (!assigned.has(t.root.name)) assigned.set(t.root.name, x);
          }
        }
      }
      if (x.type === 'call' && x.closure) for (const p of x.closure.params) read.add(p.name);
    });
  }
  for (const [name, at] of assigned) {
    if (!name.startsWith('_') && !read.has(name)) {
      out.push(diagnostic(900, `unused variable \`${name}\``, at, [], 'warning'));
    }
  }
  return out;
}
