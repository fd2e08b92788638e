import { toJsonText } from '@o2/schema';
import { ExportTraceServiceRequestSchema, Status_StatusCode } from '@o2/proto';
import type { AttrValue } from './any-value.js';
import { hexId, nanosToMicros } from './any-value.js';
import { spanAttributeColumns, spanResourceColumns, takenColumns } from './span-columns.js';
import type { DecodedOtlp, OtlpDocument } from './otlp-document.js';
import type { OtlpEncoding } from './otlp-encoding.js';
import { parseOtlpBody } from './parse-otlp-body.js';
import type { ResourceSpanFields, SpanFields } from './span-fields.js';
import { resourceSpanFieldsOf } from './span-fields.js';
import { readTraceRequest } from './trace-request-reader.js';

/** A resource's span columns, and the column names span attributes must not take. */
interface ResourceColumns {
  columns: Record<string, AttrValue>;
  taken: ReadonlySet<string>;
}

const STATUS_NAMES: Record<number, string> = {
  [Status_StatusCode.UNSET]: 'UNSET',
  [Status_StatusCode.OK]: 'OK',
  [Status_StatusCode.ERROR]: 'ERROR',
};

function eventsText(span: SpanFields): string {
  if (span.events.length === 0) return '[]';
  return toJsonText(
    span.events.map((event) => ({
      name: event.name,
      _timestamp: event.timeUnixNano,
      ...event.attributes,
    })),
  );
}

function linksText(span: SpanFields): string {
  if (span.links.length === 0) return '[]';
  return toJsonText(
    span.links.map((link) => ({
      context: {
        traceId: hexId(link.traceId),
        spanId: hexId(link.spanId),
        traceFlags: link.flags & 0xff,
        traceState: link.traceState,
      },
      ...link.attributes,
      droppedAttributesCount: link.droppedAttributesCount,
    })),
  );
}

function spanRow(
  resource: ResourceColumns,
  serviceName: string,
  span: SpanFields,
  nowMicros: number,
): Record<string, unknown> {
  const row: Record<string, unknown> = { ...resource.columns };
  spanAttributeColumns(span.attributes, resource.taken, row);
  const traceId = hexId(span.traceId);
  row['trace_id'] = traceId;
  row['span_id'] = hexId(span.spanId);
  if (span.parentSpanId.byteLength === 8) {
    row['reference_parent_span_id'] = hexId(span.parentSpanId);
    row['reference_parent_trace_id'] = traceId;
    row['reference_ref_type'] = 'ChildOf';
  }
  row['flags'] = 1;
  const code = span.status?.code ?? Status_StatusCode.UNSET;
  row['span_status'] = STATUS_NAMES[code] ?? 'UNSET';
  row['status_code'] = code;
  row['status_message'] = span.status?.message ?? '';
  row['span_kind'] = String(span.kind);
  row['operation_name'] = span.name;
  row['service_name'] = serviceName;
  // Nanoseconds do not fit a double exactly; bigint keeps them (stored as a 64-bit integer).
  row['start_time'] = span.startTimeUnixNano;
  row['end_time'] = span.endTimeUnixNano;
  row['duration'] =
    span.endTimeUnixNano >= span.startTimeUnixNano
      ? Number((span.endTimeUnixNano - span.startTimeUnixNano) / 1000n)
      : 0;
  row['_timestamp'] = nanosToMicros(span.startTimeUnixNano);
  row['events'] = eventsText(span);
  row['links'] = linksText(span);
  row['_o2_ingest_ts'] = nowMicros;
  return row;
}

function idProblem(span: SpanFields): string | undefined {
  if (span.traceId.byteLength !== 16)
    return `Invalid trace id: expected 16 bytes, got ${span.traceId.byteLength}`;
  if (span.spanId.byteLength !== 8)
    return `Invalid span id: expected 8 bytes, got ${span.spanId.byteLength}`;
  return undefined;
}

/**
 * OTLP traces → one span row per Span (O2-CONTRACT §9.1). A span whose trace id is not 16
 * bytes or whose span id is not 8 bytes is rejected alone and counted in `rejectedSpans`; so
 * is a span outside the ingest window (checked later, on `_timestamp`). `service_name` falls
 * back to the stream name when the resource has no `service.name`.
 */
export function tracesToDocuments(
  body: Uint8Array,
  encoding: OtlpEncoding,
  nowMicros: number,
  streamName: string,
): DecodedOtlp {
  const documents: OtlpDocument[] = [];
  for (const resourceSpans of resourceSpansOf(body, encoding)) {
    const { columns, serviceName } = spanResourceColumns(resourceSpans.resource);
    const resource = { columns, taken: takenColumns(columns) };
    for (const span of resourceSpans.spans) {
      const error = idProblem(span);
      const record = spanRow(resource, serviceName ?? streamName, span, nowMicros);
      documents.push(error === undefined ? { record } : { record, error });
    }
  }
  return { documents, checkWindow: true };
}

/** Protobuf through the hand-written reader (the hot path); JSON through protobuf-es. */
function resourceSpansOf(body: Uint8Array, encoding: OtlpEncoding): ResourceSpanFields[] {
  if (encoding === 'protobuf') return readTraceRequest(body);
  return resourceSpanFieldsOf(parseOtlpBody(ExportTraceServiceRequestSchema, body, encoding));
}
