import { MATCH_ALL_FUNCTIONS, normalizeMatchAllTerm } from './o2-functions.js';
import type { AstNode, Json } from './sql-ast.js';
import { isNode, list, str, stringConstant, visitTree } from './sql-ast.js';
import {
  conjuncts,
  cteNames,
  isTableRef,
  sameRef,
  streamRefOf,
  streamRefs,
  uniqueRefs,
} from './query-tree.js';
import type { StreamRef } from './types.js';

export interface StreamTerms {
  stream: StreamRef;
  /**
   * `match_all` terms (normalised) every row read from this stream must contain in one of its
   * full-text fields: a file whose token index rules out any of them can be skipped.
   */
  terms: string[];
  /**
   * Trace-id conditions ANDed into the WHERE of every read of this stream, each the ids a row's
   * `trace_id` must be one of (`trace_id = 'a'` → `['a']`, `trace_id IN ('a','b')` → `['a','b']`):
   * a traces file whose trace-id index holds none of a condition's ids can be skipped.
   */
  traceIds: string[][];
}

export interface QueryAnalysis {
  streams: StreamRef[];
  fullTextTerms: StreamTerms[];
}

function requiredTerms(select: AstNode): string[] {
  const terms: string[] = [];
  for (const expr of conjuncts(select.where_clause)) {
    if (str(expr, 'class') !== 'FUNCTION' || str(expr, 'schema') !== '') continue;
    if (!MATCH_ALL_FUNCTIONS.has(str(expr, 'function_name').toLowerCase())) continue;
    const args = list(expr, 'children');
    const term = args.length === 1 ? stringConstant(args[0]) : undefined;
    if (term === undefined) continue;
    const normalised = normalizeMatchAllTerm(term);
    if (normalised !== '') terms.push(normalised);
  }
  return terms;
}

const isTraceColumn = (node: Json | undefined): boolean =>
  isNode(node) &&
  str(node, 'class') === 'COLUMN_REF' &&
  list(node, 'column_names').at(-1) === 'trace_id';

/** The ids a `trace_id = '…'` (either way round) or `trace_id IN ('…', …)` allows. */
function traceIdCondition(expr: AstNode): string[] | undefined {
  if (str(expr, 'class') === 'COMPARISON' && str(expr, 'type') === 'COMPARE_EQUAL') {
    const id = isTraceColumn(expr.left)
      ? stringConstant(expr.right)
      : isTraceColumn(expr.right)
        ? stringConstant(expr.left)
        : undefined;
    return id === undefined ? undefined : [id];
  }
  if (str(expr, 'class') === 'OPERATOR' && str(expr, 'type') === 'COMPARE_IN') {
    const [column, ...values] = list(expr, 'children');
    if (!isTraceColumn(column) || values.length === 0) return undefined;
    const ids = values.map((v) => stringConstant(v));
    return ids.every((id) => id !== undefined) ? ids : undefined;
  }
  return undefined;
}

function requiredTraceIds(select: AstNode): string[][] {
  return conjuncts(select.where_clause).flatMap((expr) => {
    const ids = traceIdCondition(expr);
    return ids === undefined ? [] : [ids];
  });
}

/**
 * Which streams a statement reads and which full-text terms can prune their files. A term
 * prunes only when every place the stream is read is a SELECT directly over it whose WHERE
 * ANDs the `match_all` in: rows failing it are dropped before anything else sees them, so a
 * file none of whose rows can pass contributes nothing (not even to a count of zero).
 */
export function analyzeTree(root: AstNode): QueryAnalysis {
  const ctes = cteNames(root);
  const all = streamRefs(root);
  const direct: Array<{ ref: StreamRef; terms: string[]; traceIds: string[][] }> = [];
  visitTree(root, (node) => {
    if (node.class !== undefined || str(node, 'type') !== 'SELECT_NODE') return;
    const from = node.from_table;
    if (!isNode(from) || !isTableRef(from) || str(from, 'type') !== 'BASE_TABLE') return;
    const ref = streamRefOf(from, ctes);
    if (ref !== undefined)
      direct.push({ ref, terms: requiredTerms(node), traceIds: requiredTraceIds(node) });
  });
  const streams = uniqueRefs(all);
  const fullTextTerms = streams.map((stream) => {
    const reads = all.filter((r) => sameRef(r, stream)).length;
    const occurrences = direct.filter((d) => sameRef(d.ref, stream));
    if (occurrences.length !== reads) return { stream, terms: [], traceIds: [] };
    const [first, ...others] = occurrences.map((o) => o.terms);
    const terms = (first ?? []).filter((t) => others.every((o) => o.includes(t)));
    // Conditions compared as text: kept when every read of the stream has the same one.
    const [firstIds, ...otherIds] = occurrences.map((o) =>
      o.traceIds.map((c) => JSON.stringify(c)),
    );
    const traceIds = [...new Set(firstIds ?? [])]
      .filter((c) => otherIds.every((o) => o.includes(c)))
      .map((c) => JSON.parse(c) as string[]);
    return { stream, terms: [...new Set(terms)], traceIds };
  });
  return { streams, fullTextTerms };
}
