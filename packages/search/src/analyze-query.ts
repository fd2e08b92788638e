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
   * Trace ids every row read from this stream must equal (`trace_id = '…'` ANDed into the
   * WHERE): a traces file whose trace-id index lacks one can be skipped.
   */
  traceIds: string[];
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

/** The string compared for equality with a `trace_id` column, either way round. */
function traceIdEquality(expr: AstNode): string | undefined {
  if (str(expr, 'class') !== 'COMPARISON' || str(expr, 'type') !== 'COMPARE_EQUAL') return;
  const isTraceColumn = (node: Json | undefined) =>
    isNode(node) &&
    str(node, 'class') === 'COLUMN_REF' &&
    list(node, 'column_names').at(-1) === 'trace_id';
  if (isTraceColumn(expr.left)) return stringConstant(expr.right);
  if (isTraceColumn(expr.right)) return stringConstant(expr.left);
  return undefined;
}

function requiredTraceIds(select: AstNode): string[] {
  return conjuncts(select.where_clause).flatMap((expr) => traceIdEquality(expr) ?? []);
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
  const direct: Array<{ ref: StreamRef; terms: string[]; traceIds: string[] }> = [];
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
    const common = (pick: (o: (typeof occurrences)[number]) => string[]) => {
      const [first, ...others] = occurrences.map(pick);
      return [...new Set((first ?? []).filter((t) => others.every((o) => o.includes(t))))];
    };
    return { stream, terms: common((o) => o.terms), traceIds: common((o) => o.traceIds) };
  });
  return { streams, fullTextTerms };
}
