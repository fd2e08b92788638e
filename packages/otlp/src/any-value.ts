import { AppError } from '@o2/errors';
import type { AnyValue, KeyValue } from '@o2/proto';

/** Deepest AnyValue nesting (arrays and key-value lists) a request may carry. */
export const MAX_ANY_VALUE_DEPTH = 64;

/** A JSON-like value as the ingest pipeline flattens it; 64-bit ints beyond 2^53 stay bigint. */
export type AttrValue =
  string | number | boolean | bigint | null | AttrValue[] | { [key: string]: AttrValue };

function int64(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value;
}

/**
 * An OTLP AnyValue as a plain value: arrays stay arrays and key-value lists become objects (the
 * flattening later turns them into JSON text or `_`-joined columns, as O2 does), bytes become
 * base64 (their OTLP/JSON form), an empty value is null (dropped by flattening).
 */
export function anyValue(value: AnyValue | undefined, depth = 0): AttrValue {
  // A binary body can nest AnyValues deeper than any real attribute; refuse it (400) before
  // this recursion, or the flattening after it, runs out of stack.
  if (depth > MAX_ANY_VALUE_DEPTH)
    throw AppError.invalidArgument(`OTLP value nested deeper than ${MAX_ANY_VALUE_DEPTH} levels`);
  const v = value?.value;
  switch (v?.case) {
    case undefined:
      return null;
    case 'stringValue':
    case 'boolValue':
    case 'doubleValue':
      return v.value;
    case 'intValue':
      return int64(v.value);
    case 'bytesValue':
      return Buffer.from(v.value).toString('base64');
    case 'arrayValue':
      return v.value.values.map((item) => anyValue(item, depth + 1));
    case 'kvlistValue':
      return attributes(v.value.values, depth + 1);
  }
}

/** Key-value attributes as an object; a later duplicate key wins. */
export function attributes(list: readonly KeyValue[], depth = 0): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  for (const kv of list) out[kv.key] = anyValue(kv.value, depth);
  return out;
}

/** An attribute value as a metric label (labels are strings). */
export function labelText(value: AttrValue): string | undefined {
  if (value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'object')
    return JSON.stringify(value, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  return String(value);
}

/** An id as lowercase hex ('' when absent). */
export function hexId(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Nanoseconds (fixed64) → µs as a number: exact, since µs since the epoch fit in 2^53. */
export function nanosToMicros(nanos: bigint): number {
  return Number(nanos / 1000n);
}
