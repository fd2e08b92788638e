import { toJsonText } from '@o2/schema';
import { ExportTraceServiceRequestSchema, Status_StatusCode } from '@o2/proto';
import type { Span } from '@o2/proto';
import type { AttrValue } from './any-value.js';
import { attributes, hexId, nanosToMicros } from './any-value.js';
import { spanResourceColumns, spanAttributeColumns } from './span-columns.js';
import type { DecodedOtlp, OtlpDocument } from './otlp-document.js';
import type { OtlpEncoding } from './otlp-encoding.js';
import { parseOtlpBody } from './parse-otlp-body.js';

const STATUS_NAMES: Record<number, string> = {
  [Status_StatusCode.UNSET]: 'UNSET',
  [Status_StatusCode.OK]: 'OK',
  [Status_StatusCode.ERROR]: 'ERROR',
};

function eventsText(span: Span): string {
  return toJsonText(
    span.events.map((event) => ({
      name: event.name,
      _timestamp: event.timeUnixNano,
      ...attributes(event.attributes),
    })),
  );
}

function linksText(span: Span): string {
  return toJsonText(
    span.links.map((link) => ({
      context: {
        traceId: hexId(link.traceId),
        spanId: hexId(link.spanId),
        traceFlags: link.flags & 0xff,
        traceState: link.traceState,
      },
      ...attributes(link.attributes),
      droppedAttributesCount: link.droppedAttributesCount,
    })),
  );
}

function spanRow(
  resource: Record<string, AttrValue>,
  serviceName: string,
  span: Span,
  nowMicros: number,
): Record<string, unknown> {
  const row: Record<string, unknown> = { ...resource };
  Object.assign(row, spanAttributeColumns(attributes(span.attributes), resource));
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

function idProblem(span: Span): string | undefined {
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
  const request = parseOtlpBody(ExportTraceServiceRequestSchema, body, encoding);
  const documents: OtlpDocument[] = [];
  for (const resourceSpans of request.resourceSpans) {
    const resourceAttrs = attributes(resourceSpans.resource?.attributes ?? []);
    const { columns, serviceName } = spanResourceColumns(resourceAttrs);
    for (const scopeSpans of resourceSpans.scopeSpans) {
      for (const span of scopeSpans.spans) {
        const error = idProblem(span);
        const record = spanRow(columns, serviceName ?? streamName, span, nowMicros);
        documents.push(error === undefined ? { record } : { record, error });
      }
    }
  }
  return { documents, checkWindow: true };
}
