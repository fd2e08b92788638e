import type { AtModifier, Expr, VectorSelector } from '../ast/ast.js';
import type { Matcher } from '../labels/matcher.js';
import { formatDurationMs } from '../parser/duration.js';
import { formatFloatG } from './format-float.js';

function matcherText(m: Matcher): string {
  return `${m.name}${m.type}${JSON.stringify(m.value)}`;
}

function atText(at: AtModifier | undefined): string {
  if (at === undefined) return '';
  if (at.kind === 'start') return ' @ start()';
  if (at.kind === 'end') return ' @ end()';
  return ` @ ${(at.ms / 1000).toFixed(3)}`;
}

function offsetText(offsetMs: number): string {
  if (offsetMs === 0) return '';
  return offsetMs < 0
    ? ` offset -${formatDurationMs(-offsetMs)}`
    : ` offset ${formatDurationMs(offsetMs)}`;
}

/** `name{a="b"}` with the name's own equality matcher folded into the name. */
function selectorText(vs: VectorSelector): string {
  const shown = vs.matchers.filter(
    (m) => !(vs.name !== '' && m.name === '__name__' && m.type === '=' && m.value === vs.name),
  );
  if (vs.name !== '' && shown.length === 0) return vs.name;
  return `${vs.name}{${shown.map(matcherText).join(', ')}}`;
}

function numberText(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Inf';
  if (value === -Infinity) return '-Inf';
  return formatFloatG(value);
}

/**
 * An expression printed back as PromQL the way Prometheus's `String()` does (one line, its
 * spacing: `sum by (job) (rate(x[5m]))`, `a / on (i) group_left (j) b`), for `format_query`.
 */
export function formatExpr(e: Expr): string {
  switch (e.type) {
    case 'number':
      return numberText(e.value);
    case 'string':
      return JSON.stringify(e.value);
    case 'vectorSelector':
      return `${selectorText(e)}${atText(e.at)}${offsetText(e.offsetMs)}`;
    case 'matrixSelector':
      return `${selectorText(e.selector)}[${formatDurationMs(e.rangeMs)}]${atText(e.selector.at)}${offsetText(e.selector.offsetMs)}`;
    case 'subquery': {
      const step = e.stepMs === 0 ? '' : formatDurationMs(e.stepMs);
      return `${formatExpr(e.expr)}[${formatDurationMs(e.rangeMs)}:${step}]${atText(e.at)}${offsetText(e.offsetMs)}`;
    }
    case 'unary':
      return `${e.op}${formatExpr(e.expr)}`;
    case 'paren':
      return `(${formatExpr(e.expr)})`;
    case 'call':
      return `${e.func}(${e.args.map(formatExpr).join(', ')})`;
    case 'aggregate': {
      let op: string = e.op;
      if (e.without) op += ` without (${e.grouping.join(', ')}) `;
      else if (e.grouping.length > 0) op += ` by (${e.grouping.join(', ')}) `;
      const param = e.param === undefined ? '' : `${formatExpr(e.param)}, `;
      return `${op}(${param}${formatExpr(e.expr)})`;
    }
    case 'binary': {
      let matching = '';
      const vm = e.matching;
      if (vm !== undefined && (vm.labels.length > 0 || vm.on)) {
        matching = ` ${vm.on ? 'on' : 'ignoring'} (${vm.labels.join(', ')})`;
        if (vm.card === 'many-to-one' || vm.card === 'one-to-many')
          matching += ` group_${vm.card === 'many-to-one' ? 'left' : 'right'} (${vm.include.join(', ')})`;
      }
      const bool = e.bool ? ' bool' : '';
      return `${formatExpr(e.lhs)} ${e.op}${bool}${matching} ${formatExpr(e.rhs)}`;
    }
  }
}
