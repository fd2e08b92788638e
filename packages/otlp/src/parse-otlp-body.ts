import { fromBinary, fromJson } from '@bufbuild/protobuf';
import type { DescMessage, JsonValue, MessageShape } from '@bufbuild/protobuf';
import { AppError } from '@o2/errors';
import type { OtlpEncoding } from './otlp-encoding.js';

/**
 * OTLP/JSON writes trace and span ids as hex, where the proto3 JSON mapping (which `fromJson`
 * implements) expects base64 for `bytes`. These keys hold ids wherever they appear (spans,
 * links, log records, exemplars), in both the lowerCamelCase and the original field names.
 */
const ID_KEYS = new Set([
  'traceId',
  'spanId',
  'parentSpanId',
  'trace_id',
  'span_id',
  'parent_span_id',
]);

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/**
 * How deep an OTLP/JSON body may nest. A real request is a few dozen levels (request → resource
 * → scope → record → AnyValue lists); `fromJson` and the row builders recurse, so a hostile
 * body nested thousands deep is refused up front instead of overflowing the stack.
 */
export const MAX_OTLP_JSON_DEPTH = 256;

/**
 * Rewrites hex ids to base64 in place, iteratively, and refuses a body nested deeper than
 * MAX_OTLP_JSON_DEPTH. A value that is not hex is left alone: `fromJson` then refuses it, or
 * it decodes to an id of the wrong length, which the signal's rules reject record by record.
 */
function hexIdsToBase64(root: unknown, what: string): void {
  const stack: Array<{ node: unknown; depth: number }> = [{ node: root, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number };
    if (typeof node !== 'object' || node === null) continue;
    if (depth > MAX_OTLP_JSON_DEPTH)
      throw AppError.invalidArgument(
        `Invalid OTLP JSON ${what}: nested deeper than ${MAX_OTLP_JSON_DEPTH} levels`,
      );
    if (Array.isArray(node)) {
      for (const item of node) stack.push({ node: item, depth: depth + 1 });
      continue;
    }
    const object = node as Record<string, unknown>;
    for (const [key, value] of Object.entries(object)) {
      if (typeof value === 'string' && ID_KEYS.has(key) && HEX.test(value))
        object[key] = Buffer.from(value, 'hex').toString('base64');
      else if (typeof value === 'object' && value !== null)
        stack.push({ node: value, depth: depth + 1 });
    }
  }
}

/** The decoder's complaint; a stack overflow (absurd nesting) never shows its JS text. */
function reason(error: unknown): string {
  if (error instanceof RangeError) return 'nested too deeply';
  return error instanceof Error ? error.message : String(error);
}

/**
 * An OTLP export request from its body. A malformed body fails the whole request with
 * INVALID_ARGUMENT (HTTP 400) naming the message and the problem, as O2 does.
 */
export function parseOtlpBody<Desc extends DescMessage>(
  schema: Desc,
  body: Uint8Array,
  encoding: OtlpEncoding,
): MessageShape<Desc> {
  if (encoding === 'protobuf') {
    try {
      return fromBinary(schema, body);
    } catch (error) {
      throw AppError.invalidArgument(`Invalid protobuf ${schema.name}: ${reason(error)}`);
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch (error) {
    throw AppError.invalidArgument(`Invalid JSON in request body: ${reason(error)}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw AppError.invalidArgument(`Invalid OTLP JSON ${schema.name}: expected an object`);
  hexIdsToBase64(json, schema.name);
  try {
    return fromJson(schema, json as JsonValue, { ignoreUnknownFields: true });
  } catch (error) {
    throw AppError.invalidArgument(`Invalid OTLP JSON ${schema.name}: ${reason(error)}`);
  }
}
