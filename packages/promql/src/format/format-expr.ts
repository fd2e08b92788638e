import type { AtModifier, Binary, Expr, Subquery, VectorSelector } from '../ast/ast.js';
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

/** `/ on (i) group_left (j)`: the operator with its `bool` and vector matching clauses. */
function binaryOpText(e: Binary): string {
  let matching = '';
  const vm = e.matching;
  if (vm !== undefined && (vm.labels.length > 0 || vm.on)) {
    matching = ` ${vm.on ? 'on' : 'ignoring'} (${vm.labels.join(', ')})`;
    if (vm.card === 'many-to-one' || vm.card === 'one-to-many')
      matching += ` group_${vm.card === 'many-to-one' ? 'left' : 'right'} (${vm.include.join(', ')})`;
  }
  return `${e.op}${e.bool ? ' bool' : ''}${matching}`;
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
    case 'subquery':
      return `${formatExpr(e.expr)}${timeSuffix(e)}`;
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
    case 'binary':
      return `${formatExpr(e.lhs)} ${binaryOpText(e)} ${formatExpr(e.rhs)}`;
  }
}

/** Prometheus splits an expression over lines once its one-line form is longer than this. */
const MAX_LINE = 100;

const indent = (level: number) => '  '.repeat(level);

function timeSuffix(e: Subquery): string {
  const step = e.stepMs === 0 ? '' : formatDurationMs(e.stepMs);
  return `[${formatDurationMs(e.rangeMs)}:${step}]${atText(e.at)}${offsetText(e.offsetMs)}`;
}

/**
 * Prometheus's `format_query` output (its `Prettify`): the one-line form when it fits in 100
 * characters, else aggregations, calls, parentheses and binary operations open onto indented
 * lines, two spaces per level, recursively.
 */
export function prettyExpr(e: Expr, level = 0): string {
  const flat = formatExpr(e);
  if (flat.length <= MAX_LINE) return indent(level) + flat;
  switch (e.type) {
    case 'aggregate': {
      let op: string = e.op;
      if (e.without) op += ` without (${e.grouping.join(', ')}) `;
      else if (e.grouping.length > 0) op += ` by (${e.grouping.join(', ')}) `;
      const param = e.param === undefined ? '' : `${prettyExpr(e.param, level + 1)},\n`;
      return `${indent(level)}${op}(\n${param}${prettyExpr(e.expr, level + 1)}\n${indent(level)})`;
    }
    case 'binary':
      return `${prettyExpr(e.lhs, level + 1)}\n${indent(level)}${binaryOpText(e)}\n${prettyExpr(e.rhs, level + 1)}`;
    case 'call':
      return `${indent(level)}${e.func}(\n${e.args.map((a) => prettyExpr(a, level + 1)).join(',\n')}\n${indent(level)})`;
    case 'paren':
      return `${indent(level)}(\n${prettyExpr(e.expr, level + 1)}\n${indent(level)})`;
    case 'subquery':
      return `${prettyExpr(e.expr, level)}${timeSuffix(e)}`;
    case 'unary':
      return `${indent(level)}${e.op}${prettyExpr(e.expr, level).trim()}`;
    case 'number':
    case 'string':
    case 'vectorSelector':
    case 'matrixSelector':
      return indent(level) + flat;
  }
}
