export { checkFilter, quoteIdent, quoteLiteral } from './sql-text.js';
export { checkTraceId } from './trace-id.js';
export {
  latestTracesSql,
  rootSpansSql,
  serviceBreakdownSql,
  traceCountSql,
  traceDagSql,
  traceSpansSql,
  traceTimeRangeSql,
} from './trace-queries.js';
export type { SortOrder, TraceColumns, TraceSortBy } from './trace-queries.js';
export { num, traceSummaries } from './latest-response.js';
export type { Row, ServiceShare, TraceSummary } from './latest-response.js';
export { traceDag } from './trace-dag.js';
export type { DagNode, TraceDag } from './trace-dag.js';
export { pairedEdgesSql, peerEdgesSql, serviceGraph, serviceNodesSql } from './service-graph.js';
export type { ServiceGraph, ServiceGraphEdge, ServiceGraphNode } from './service-graph.js';
export { buildTraceIdSet, traceIdSetMayContain } from './trace-id-set.js';
