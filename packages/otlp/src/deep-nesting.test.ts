import { describe, expect, it } from 'vitest';
import { logsToDocuments } from './logs-to-documents.js';

const NOW = 1_700_000_000_000_000;

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

/** A length-delimited field (wire type 2). */
function field(number: number, payload: Uint8Array): Uint8Array {
  const head = new Uint8Array([(number << 3) | 2, ...varint(payload.byteLength)]);
  return Buffer.concat([head, payload]);
}

/** A log request whose body is an AnyValue of key-value lists nested `depth` deep. */
function deepLogs(depth: number): Uint8Array {
  let value: Uint8Array = new Uint8Array(); // the innermost, empty AnyValue
  for (let i = 0; i < depth; i++) {
    const kv = Buffer.concat([field(1, new Uint8Array([0x61])), field(2, value)]);
    value = field(6, field(1, kv)); // AnyValue.kvlist_value → KeyValueList.values
  }
  const record = field(5, value); // LogRecord.body
  return field(1, field(2, field(2, record))); // request → ResourceLogs → ScopeLogs → LogRecord
}

describe('absurdly nested OTLP bodies are refused with a 400, never a crash', () => {
  it('refuses OTLP/JSON nested past the limit', () => {
    const body = `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":${'{"arrayValue":{"values":['.repeat(5_000)}${']}}'.repeat(5_000)}}]}]}]}`;
    expect(() => logsToDocuments(new TextEncoder().encode(body), 'json', NOW)).toThrow(
      'Invalid OTLP JSON ExportLogsServiceRequest: nested deeper than 256 levels',
    );
  });

  it('refuses protobuf messages nested past the decoder limit, however deep', () => {
    expect(logsToDocuments(deepLogs(10), 'protobuf', NOW).documents).toHaveLength(1);
    for (const depth of [100, 5_000]) {
      let message = '';
      try {
        logsToDocuments(deepLogs(depth), 'protobuf', NOW);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^Invalid protobuf ExportLogsServiceRequest: .*recursion depth/);
    }
  });
});
