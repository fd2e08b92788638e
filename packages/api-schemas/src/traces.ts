import { z } from 'zod';

/** One service's share of a trace in `/traces/latest`: span count and its longest span (µs). */
export const traceServiceShareSchema = z.object({
  service_name: z.string(),
  count: z.number(),
  duration: z.number(),
});

/** One hit of `GET /api/{org}/{stream}/traces/latest` (O2-CONTRACT §9.2): a trace's summary. */
export const traceSummarySchema = z.object({
  trace_id: z.string(),
  /** ns */
  start_time: z.number(),
  /** ns */
  end_time: z.number(),
  /** µs */
  duration: z.number(),
  /** `[span_count, error_count]` */
  spans: z.tuple([z.number(), z.number()]),
  service_name: z.array(traceServiceShareSchema),
  first_event: z.object({ service_name: z.string(), operation_name: z.string() }),
});
export type TraceSummary = z.infer<typeof traceSummarySchema>;

/** `GET /api/{org}/{stream}/traces/latest`: a page of traces, newest (or longest) first. */
export const traceLatestResponseSchema = z.object({
  took: z.number(),
  total: z.number(),
  from: z.number(),
  size: z.number(),
  hits: z.array(traceSummarySchema),
});
export type TraceLatestResponse = z.infer<typeof traceLatestResponseSchema>;

/**
 * A span row (O2-CONTRACT §9.1) as `/traces/{id}/details` returns it: the reserved columns a
 * waterfall needs, plus every flattened attribute (`http_route`, `service_telemetry_sdk_name`…).
 * `events` and `links` are JSON strings.
 */
export const spanRecordSchema = z
  .object({
    trace_id: z.string(),
    span_id: z.string(),
    reference_parent_span_id: z.string().optional(),
    service_name: z.string(),
    operation_name: z.string(),
    span_kind: z.string(),
    span_status: z.string(),
    /** ns */
    start_time: z.number(),
    /** ns */
    end_time: z.number(),
    /** µs */
    duration: z.number(),
    /** µs */
    _timestamp: z.number(),
    events: z.string().optional(),
    links: z.string().optional(),
  })
  .catchall(z.unknown());
export type SpanRecord = z.infer<typeof spanRecordSchema>;

/** `GET /api/{org}/{stream}/traces/{trace_id}/details`: a search answer whose hits are spans. */
export const traceDetailsResponseSchema = z.object({
  took: z.number(),
  total: z.number(),
  hits: z.array(spanRecordSchema),
});
export type TraceDetailsResponse = z.infer<typeof traceDetailsResponseSchema>;

/** `GET /api/{org}/{stream}/traces/time_range?trace_id=`: where the trace lies (µs), if found. */
export const traceTimeRangeSchema = z.object({
  stream: z.string(),
  trace_id: z.string(),
  range: z.object({ start_time: z.number(), end_time: z.number() }).optional(),
});
export type TraceTimeRange = z.infer<typeof traceTimeRangeSchema>;
