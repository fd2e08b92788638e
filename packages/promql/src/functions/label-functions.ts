import type { Call, Expr } from '../ast/ast.js';
import type { Evaluator } from '../eval/evaluator.js';
import { executionError, SeriesBuilder } from '../eval/series-builder.js';
import type { StepSeries } from '../eval/values.js';
import { compileAnchored } from '../labels/matcher.js';
import { isValidUtf8 } from '../parser/string-literal.js';

function str(e: Expr | undefined): string {
  let x = e;
  while (x?.type === 'paren') x = x.expr;
  if (x?.type !== 'string') throw executionError('expected a string literal argument');
  return x.value;
}

function validLabelName(name: string): boolean {
  return name !== '' && isValidUtf8(name);
}

/** Go's Regexp.Expand: `$1`, `${1}`, `$name`, `${name}`, `$$`. */
export function expandTemplate(template: string, match: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== '$') {
      out += c;
      continue;
    }
    const rest = template.slice(i + 1);
    if (rest.startsWith('$')) {
      out += '$';
      i++;
      continue;
    }
    const braced = /^\{([A-Za-z0-9_]+)\}/.exec(rest);
    const bare = /^[A-Za-z0-9_]+/.exec(rest);
    const name = braced ? braced[1]! : bare ? bare[0] : undefined;
    if (name === undefined) {
      out += '$';
      continue;
    }
    i += braced ? braced[0].length : name.length;
    if (/^\d+$/.test(name)) out += match[Number(name)] ?? '';
    else out += match.groups?.[name] ?? '';
  }
  return out;
}

function relabel(
  ev: Evaluator,
  input: StepSeries[],
  f: (s: StepSeries) => StepSeries['labels'],
): StepSeries[] {
  const builder = new SeriesBuilder(ev.ctx.n);
  for (const s of input) builder.merge(f(s), s);
  return builder.result();
}

export function labelReplace(e: Call, ev: Evaluator): StepSeries[] {
  const [, dstE, replE, srcE, reE] = e.args;
  const dst = str(dstE);
  const repl = str(replE);
  const src = str(srcE);
  const reText = str(reE);
  let re: RegExp;
  try {
    re = compileAnchored(reText);
  } catch (err) {
    throw executionError(`invalid regular expression in label_replace(): ${reText}`, err);
  }
  if (!validLabelName(dst))
    throw executionError(`invalid destination label name in label_replace(): ${dst}`);
  const input = ev.vector(e.args[0]!);
  return relabel(ev, input, (s) => {
    const m = re.exec(s.labels.get(src));
    if (!m) return s.labels;
    return s.labels.with(dst, expandTemplate(repl, m));
  });
}

export function labelJoin(e: Call, ev: Evaluator): StepSeries[] {
  const [, dstE, sepE, ...srcE] = e.args;
  const dst = str(dstE);
  const sep = str(sepE);
  const srcs = srcE.map(str);
  if (!validLabelName(dst))
    throw executionError(`invalid destination label name in label_join(): ${dst}`);
  for (const s of srcs) {
    if (!validLabelName(s)) throw executionError(`invalid source label name in label_join(): ${s}`);
  }
  const input = ev.vector(e.args[0]!);
  return relabel(ev, input, (s) => s.labels.with(dst, srcs.map((n) => s.labels.get(n)).join(sep)));
}
