import { num } from './latest-response.js';
import type { Row } from './latest-response.js';

export interface DagNode {
  span_id: string;
  parent_span_id: string | null;
  service_name: string;
  operation_name: string;
  span_kind: string;
  span_status: string;
  /** ns */
  start_time: number;
  /** ns */
  end_time: number;
  /** µs */
  duration: number;
}

export interface TraceDag {
  trace_id: string;
  nodes: DagNode[];
  /** Parent span → child span, only where both spans are in the trace. */
  edges: { from: string; to: string }[];
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * The trace as a graph of spans (`/traces/{id}/dag`): one node per span in start order, one edge
 * per parent link whose parent is present. A span whose parent never arrived (or lies outside
 * the window) stays a node without an incoming edge rather than pointing at nothing.
 */
export function traceDag(traceId: string, rows: readonly Row[]): TraceDag {
  const nodes: DagNode[] = rows.map((row) => {
    const parent = text(row['parent_span_id']);
    return {
      span_id: text(row['span_id']),
      parent_span_id: parent === '' ? null : parent,
      service_name: text(row['service_name']),
      operation_name: text(row['operation_name']),
      span_kind: text(row['span_kind']),
      span_status: text(row['span_status']),
      start_time: num(row['start_time']),
      end_time: num(row['end_time']),
      duration: num(row['duration']),
    };
  });
  const present = new Set(nodes.map((n) => n.span_id));
  const edges = nodes
    .filter((n) => n.parent_span_id !== null && present.has(n.parent_span_id))
    .map((n) => ({ from: n.parent_span_id as string, to: n.span_id }));
  return { trace_id: traceId, nodes, edges };
}
