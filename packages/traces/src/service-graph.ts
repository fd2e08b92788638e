import { num } from './latest-response.js';
import type { Row } from './latest-response.js';
import { quoteIdent } from './sql-text.js';
import type { TraceColumns } from './trace-queries.js';

/** OTLP span kinds as §9.1 stores them (numeric strings). */
const SERVER = `'2'`;
const CLIENT = `'3'`;
const PARENT = 'reference_parent_span_id';

/** Where a CLIENT span without a server child says it called, best first (§9.1 columns). */
const PEER_COLUMNS = ['peer_service', 'infer_service_name'] as const;

const edgeStats = (client: string, server: string) =>
  `count(*) AS requests, ` +
  `sum(CASE WHEN ${client}.span_status = 'ERROR' OR ${server} = 'ERROR' THEN 1 ELSE 0 END) AS errors, ` +
  `quantile_cont(${client}.duration, 0.5) AS p50, quantile_cont(${client}.duration, 0.95) AS p95`;

/**
 * Edges between services from client/server span pairs: a CLIENT span whose child is a SERVER
 * span of another service is one request from the client's service to the server's. Latency is
 * the client span's duration (what the caller waited); an error on either side counts.
 * Undefined when the stream has no parent column (no span ever had a parent: no pairs).
 */
export function pairedEdgesSql(stream: string, columns: TraceColumns): string | undefined {
  if (!columns.has(PARENT)) return undefined;
  const s = quoteIdent(stream);
  return (
    `SELECT c.service_name AS client, v.service_name AS server, ` +
    `${edgeStats('c', 'v.span_status')} ` +
    `FROM ${s} AS c JOIN ${s} AS v ON v.trace_id = c.trace_id AND v.${PARENT} = c.span_id ` +
    `WHERE c.span_kind = ${CLIENT} AND v.span_kind = ${SERVER} AND v.service_name <> c.service_name ` +
    `GROUP BY c.service_name, v.service_name ORDER BY client, server`
  );
}

/**
 * Edges to services that send no spans (databases, queues, outside APIs): CLIENT spans with no
 * server child that name their peer in `peer_service` (OTel `peer.service`) or in O2's derived
 * `infer_service_name`. Undefined when the stream has neither column.
 */
export function peerEdgesSql(stream: string, columns: TraceColumns): string | undefined {
  const peers = PEER_COLUMNS.filter((c) => columns.has(c)).map((c) => `NULLIF(c.${c}, '')`);
  if (peers.length === 0) return undefined;
  const peer = peers.length === 1 ? (peers[0] as string) : `coalesce(${peers.join(', ')})`;
  const s = quoteIdent(stream);
  const noChild = columns.has(PARENT)
    ? ` LEFT JOIN ${s} AS v ON v.trace_id = c.trace_id AND v.${PARENT} = c.span_id`
    : '';
  const childless = columns.has(PARENT) ? ` AND v.span_id IS NULL` : '';
  return (
    `SELECT c.service_name AS client, ${peer} AS server, ${edgeStats('c', "''")} ` +
    `FROM ${s} AS c${noChild} WHERE c.span_kind = ${CLIENT}${childless} AND ${peer} IS NOT NULL ` +
    `GROUP BY c.service_name, ${peer} ORDER BY client, server`
  );
}

/** Spans and errors per service: the graph's nodes. */
export function serviceNodesSql(stream: string): string {
  return (
    `SELECT service_name, count(*) AS spans, ` +
    `sum(CASE WHEN span_status = 'ERROR' THEN 1 ELSE 0 END) AS errors ` +
    `FROM ${quoteIdent(stream)} GROUP BY service_name ORDER BY service_name`
  );
}

export interface ServiceGraphNode {
  id: string;
  /** Spans the service sent in the window (0 for a peer known only from client spans). */
  spans: number;
  errors: number;
  /** Requests other services made to it. */
  requests: number;
}

export interface ServiceGraphEdge {
  from: string;
  to: string;
  requests: number;
  errors: number;
  /** µs, from the calling spans' durations. */
  p50_latency: number;
  p95_latency: number;
  /** `server`: paired with the callee's SERVER span; `peer`: named by the client span only. */
  connection_type: 'server' | 'peer';
}

export interface ServiceGraph {
  stream: string;
  /** µs, half-open window the graph covers. */
  start_time: number;
  end_time: number;
  nodes: ServiceGraphNode[];
  edges: ServiceGraphEdge[];
  /** How the graph was obtained: computed now from the trace stream's spans. */
  source: 'query';
}

const text = (value: unknown): string => (typeof value === 'string' ? value : String(value));

/** Builds the graph from the three queries' rows. */
export function serviceGraph(
  window: { stream: string; startTime: number; endTime: number },
  nodeRows: readonly Row[],
  pairedRows: readonly Row[],
  peerRows: readonly Row[],
): ServiceGraph {
  const edge = (row: Row, type: ServiceGraphEdge['connection_type']): ServiceGraphEdge => ({
    from: text(row['client']),
    to: text(row['server']),
    requests: num(row['requests']),
    errors: num(row['errors']),
    p50_latency: num(row['p50']),
    p95_latency: num(row['p95']),
    connection_type: type,
  });
  const edges = [
    ...pairedRows.map((r) => edge(r, 'server')),
    ...peerRows.map((r) => edge(r, 'peer')),
  ];
  const nodes = new Map<string, ServiceGraphNode>();
  for (const row of nodeRows) {
    const id = text(row['service_name']);
    nodes.set(id, { id, spans: num(row['spans']), errors: num(row['errors']), requests: 0 });
  }
  for (const e of edges) {
    for (const id of [e.from, e.to])
      if (!nodes.has(id)) nodes.set(id, { id, spans: 0, errors: 0, requests: 0 });
    (nodes.get(e.to) as ServiceGraphNode).requests += e.requests;
  }
  return {
    stream: window.stream,
    start_time: window.startTime,
    end_time: window.endTime,
    nodes: [...nodes.values()].sort((a, b) => a.id.localeCompare(b.id)),
    edges,
    source: 'query',
  };
}
