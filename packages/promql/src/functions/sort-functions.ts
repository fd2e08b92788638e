import type { Call, Expr } from '../ast/ast.js';
import type { Evaluator } from '../eval/evaluator.js';
import type { StepSeries } from '../eval/values.js';
import { compareLabels } from '../labels/labels.js';

/**
 * Ordering only exists in instant query results (one step); for range queries the sort functions
 * pass their input through, as in Prometheus.
 */
export function sortByValue(input: StepSeries[], desc: boolean, n: number): StepSeries[] {
  if (n !== 1) return input;
  // NaN sorts last in both directions.
  return [...input].sort((a, b) => {
    const x = a.values[0]!;
    const y = b.values[0]!;
    if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : 1;
    if (Number.isNaN(y)) return -1;
    return desc ? y - x : x - y;
  });
}

/** Natural order: digit runs compare as numbers ("cpu2" < "cpu10"). */
export function naturalCompare(a: string, b: string): number {
  const re = /(\d+|\D+)/g;
  const pa = a.match(re) ?? [];
  const pb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    const dx = /^\d/.test(x);
    const dy = /^\d/.test(y);
    if (dx && dy) {
      const nx = BigInt(x);
      const ny = BigInt(y);
      if (nx !== ny) return nx < ny ? -1 : 1;
      return x.length - y.length;
    }
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

function str(e: Expr): string {
  return e.type === 'string' ? e.value : e.type === 'paren' ? str(e.expr) : '';
}

export function sortByLabel(e: Call, ev: Evaluator): StepSeries[] {
  const input = ev.vector(e.args[0]!);
  const names = e.args.slice(1).map(str);
  const desc = e.func === 'sort_by_label_desc';
  return [...input].sort((a, b) => {
    for (const name of names) {
      const x = a.labels.get(name);
      const y = b.labels.get(name);
      if (x === y) continue;
      const c = naturalCompare(x, y);
      return desc ? -c : c;
    }
    const c = compareLabels(a.labels, b.labels);
    return desc ? -c : c;
  });
}
