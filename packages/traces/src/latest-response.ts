/** A row of a search answer: O2 hits are flat JSON objects. */
export type Row = Record<string, unknown>;

/** A number from a hit (Int64 columns arrive as numbers; a string form is accepted too). */
export function num(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' || typeof value === 'bigint') return Number(value);
  return 0;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

export interface ServiceShare {
  service_name: string;
  count: number;
  /** The service's longest span in this trace, µs. */
  duration: number;
}

/** One hit of `/traces/latest` (O2-CONTRACT §9.2). */
export interface TraceSummary {
  trace_id: string;
  /** ns */
  start_time: number;
  /** ns */
  end_time: number;
  /** µs */
  duration: number;
  /** `[span_count, error_count]` */
  spans: [number, number];
  service_name: ServiceShare[];
  first_event: { service_name: string; operation_name: string };
  gen_ai_usage_input_tokens: number;
  gen_ai_usage_output_tokens: number;
  gen_ai_usage_total_tokens: number;
  gen_ai_usage_cost: number;
  models: string[];
}

/**
 * Joins the page rows (one per trace), the per-service breakdown and the root spans into §9.2
 * hits, in the page's order. A trace whose root span is outside the window (or missing) takes
 * its earliest span as `first_event`, so the field is always present.
 */
export function traceSummaries(
  page: readonly Row[],
  breakdown: readonly Row[],
  roots: readonly Row[],
): TraceSummary[] {
  const services = new Map<string, ServiceShare[]>();
  for (const row of breakdown) {
    const id = text(row['trace_id']);
    const list = services.get(id) ?? [];
    list.push({
      service_name: text(row['service_name']),
      count: num(row['span_count']),
      duration: num(row['duration']),
    });
    services.set(id, list);
  }
  const firstEvent = new Map<string, TraceSummary['first_event']>();
  for (const row of roots) {
    const id = text(row['trace_id']);
    if (!firstEvent.has(id))
      firstEvent.set(id, {
        service_name: text(row['service_name']),
        operation_name: text(row['operation_name']),
      });
  }
  return page.map((row) => {
    const id = text(row['trace_id']);
    const start = num(row['trace_start_time']);
    const end = num(row['trace_end_time']);
    const shares = services.get(id) ?? [];
    return {
      trace_id: id,
      start_time: start,
      end_time: end,
      duration: Math.max(0, Math.round((end - start) / 1000)),
      spans: [num(row['span_count']), num(row['error_count'])],
      service_name: shares,
      first_event: firstEvent.get(id) ?? {
        service_name: shares[0]?.service_name ?? '',
        operation_name: '',
      },
      gen_ai_usage_input_tokens: 0,
      gen_ai_usage_output_tokens: 0,
      gen_ai_usage_total_tokens: 0,
      gen_ai_usage_cost: 0,
      models: [],
    };
  });
}
