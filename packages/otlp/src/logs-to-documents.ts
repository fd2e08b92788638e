import { ExportLogsServiceRequestSchema } from '@o2/proto';
import type { LogRecord } from '@o2/proto';
import type { AttrValue } from './any-value.js';
import { anyValue, attributes, hexId, nanosToMicros } from './any-value.js';
import type { DecodedOtlp, OtlpDocument } from './otlp-document.js';
import type { OtlpEncoding } from './otlp-encoding.js';
import { parseOtlpBody } from './parse-otlp-body.js';

/** The instrumentation scope's columns on every log, metric and span row (O2's names). */
export function scopeColumns(
  scope: { name: string; version: string } | undefined,
): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  if (scope?.name) out['instrumentation_library_name'] = scope.name;
  if (scope?.version) out['instrumentation_library_version'] = scope.version;
  return out;
}

function logRow(
  base: Record<string, AttrValue>,
  log: LogRecord,
  nowMicros: number,
): Record<string, unknown> {
  const row: Record<string, unknown> = { ...base, ...attributes(log.attributes) };
  row['dropped_attributes_count'] = log.droppedAttributesCount;
  const body = anyValue(log.body);
  if (body !== null) row['body'] = body;
  const nanos = log.timeUnixNano !== 0n ? log.timeUnixNano : log.observedTimeUnixNano;
  row['_timestamp'] = nanos === 0n ? nowMicros : nanosToMicros(nanos);
  row['severity'] = log.severityText !== '' ? log.severityText : log.severityNumber;
  row['flags'] = log.flags;
  if (log.traceId.byteLength > 0) row['trace_id'] = hexId(log.traceId);
  if (log.spanId.byteLength > 0) row['span_id'] = hexId(log.spanId);
  if (log.eventName !== '') row['event_name'] = log.eventName;
  return row;
}

/**
 * OTLP logs → one log row per LogRecord, with O2's columns: the resource attributes, the
 * scope as `instrumentation_library_name`/`_version`, the record's attributes, `body` (a
 * structured body is flattened like any object), `severity` (the text, else the number),
 * `flags`, hex `trace_id`/`span_id` when set, `dropped_attributes_count`, and `_timestamp` from
 * `time_unix_nano` (else `observed_time_unix_nano`, else the ingest time). Keys are formatted
 * and nested values flattened later by the ingest pipeline.
 */
export function logsToDocuments(
  body: Uint8Array,
  encoding: OtlpEncoding,
  nowMicros: number,
): DecodedOtlp {
  const request = parseOtlpBody(ExportLogsServiceRequestSchema, body, encoding);
  const documents: OtlpDocument[] = [];
  for (const resourceLogs of request.resourceLogs) {
    const resource = attributes(resourceLogs.resource?.attributes ?? []);
    for (const scopeLogs of resourceLogs.scopeLogs) {
      const base = { ...resource, ...scopeColumns(scopeLogs.scope) };
      for (const log of scopeLogs.logRecords)
        documents.push({ record: logRow(base, log, nowMicros) });
    }
  }
  return { documents, checkWindow: true };
}
