import type { ExportTraceServiceRequest, Span } from '@o2/proto';
import type { AttrValue } from './any-value.js';
import { attributes } from './any-value.js';

/**
 * What a span row is built from: the Span fields §9.1 uses, with attributes already plain
 * values. The hand-written protobuf reader produces it directly; OTLP/JSON (decoded by
 * protobuf-es) is mapped to it by `spanFieldsOf`.
 */
export interface SpanFields {
  traceId: Uint8Array;
  spanId: Uint8Array;
  parentSpanId: Uint8Array;
  name: string;
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Record<string, AttrValue>;
  events: EventFields[];
  links: LinkFields[];
  /** Undefined when the span has no status (→ UNSET). */
  status: { code: number; message: string } | undefined;
}

export interface EventFields {
  timeUnixNano: bigint;
  name: string;
  attributes: Record<string, AttrValue>;
}

export interface LinkFields {
  traceId: Uint8Array;
  spanId: Uint8Array;
  traceState: string;
  flags: number;
  attributes: Record<string, AttrValue>;
  droppedAttributesCount: number;
}

/** The spans of one ResourceSpans (its scopes' spans in order; the scope is not stored). */
export interface ResourceSpanFields {
  resource: Record<string, AttrValue>;
  spans: SpanFields[];
}

/** A protobuf-es Span (from OTLP/JSON) as SpanFields. */
export function spanFieldsOf(span: Span): SpanFields {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    name: span.name,
    kind: span.kind,
    startTimeUnixNano: span.startTimeUnixNano,
    endTimeUnixNano: span.endTimeUnixNano,
    attributes: attributes(span.attributes),
    events: span.events.map((event) => ({
      timeUnixNano: event.timeUnixNano,
      name: event.name,
      attributes: attributes(event.attributes),
    })),
    links: span.links.map((link) => ({
      traceId: link.traceId,
      spanId: link.spanId,
      traceState: link.traceState,
      flags: link.flags,
      attributes: attributes(link.attributes),
      droppedAttributesCount: link.droppedAttributesCount,
    })),
    status:
      span.status === undefined
        ? undefined
        : { code: span.status.code, message: span.status.message },
  };
}

/** A protobuf-es request as ResourceSpanFields, scopes' spans in order. */
export function resourceSpanFieldsOf(request: ExportTraceServiceRequest): ResourceSpanFields[] {
  return request.resourceSpans.map((resourceSpans) => ({
    resource: attributes(resourceSpans.resource?.attributes ?? []),
    spans: resourceSpans.scopeSpans.flatMap((scope) => scope.spans.map(spanFieldsOf)),
  }));
}
