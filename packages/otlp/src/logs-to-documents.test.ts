import { create, toBinary } from '@bufbuild/protobuf';
import { ExportLogsServiceRequestSchema } from '@o2/proto';
import { describe, expect, it } from 'vitest';
import { logsToDocuments } from './logs-to-documents.js';

const NOW = 1_700_000_000_000_000;
const encode = (text: string) => new TextEncoder().encode(text);

const JSON_BODY = {
  resourceLogs: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] },
      scopeLogs: [
        {
          scope: { name: 'lib', version: '1.0' },
          logRecords: [
            {
              timeUnixNano: '1700000000123456789',
              severityText: 'INFO',
              body: { stringValue: 'hello' },
              attributes: [{ key: 'http.status', value: { intValue: '200' } }],
              traceId: '5b8efff798038103d269b633813fc60c',
              spanId: 'eee19b7ec3c1b174',
              flags: 1,
            },
            {
              observedTimeUnixNano: 1700000000000000000,
              severityNumber: 9,
              body: { kvlistValue: { values: [{ key: 'a', value: { boolValue: true } }] } },
            },
          ],
        },
      ],
    },
  ],
};

describe('OTLP logs → log rows', () => {
  it('gives O2 columns from OTLP/JSON (hex ids, string int64s)', () => {
    const { documents, checkWindow } = logsToDocuments(
      encode(JSON.stringify(JSON_BODY)),
      'json',
      NOW,
    );
    expect(checkWindow).toBe(true);
    expect(documents.map((d) => d.record)).toEqual([
      {
        'service.name': 'api',
        instrumentation_library_name: 'lib',
        instrumentation_library_version: '1.0',
        'http.status': 200,
        dropped_attributes_count: 0,
        body: 'hello',
        _timestamp: 1700000000123456,
        severity: 'INFO',
        flags: 1,
        trace_id: '5b8efff798038103d269b633813fc60c',
        span_id: 'eee19b7ec3c1b174',
      },
      {
        'service.name': 'api',
        instrumentation_library_name: 'lib',
        instrumentation_library_version: '1.0',
        dropped_attributes_count: 0,
        body: { a: true },
        _timestamp: 1700000000000000,
        severity: 9,
        flags: 0,
      },
    ]);
  });

  it('reads the same request from protobuf', () => {
    const message = create(ExportLogsServiceRequestSchema, {
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                {
                  timeUnixNano: 1_700_000_000_000_000_000n,
                  body: { value: { case: 'stringValue', value: 'x' } },
                },
              ],
            },
          ],
        },
      ],
    });
    const { documents } = logsToDocuments(
      toBinary(ExportLogsServiceRequestSchema, message),
      'protobuf',
      NOW,
    );
    expect(documents.map((d) => [d.record['body'], d.record['_timestamp']])).toEqual([
      ['x', 1700000000000000],
    ]);
  });

  it('refuses a malformed body with a clear 400 message', () => {
    expect(() => logsToDocuments(encode('{"resourceLogs": 3}'), 'json', NOW)).toThrow(
      /Invalid OTLP JSON ExportLogsServiceRequest: .*resource_logs.*expected Array/,
    );
    expect(() => logsToDocuments(encode('not json'), 'json', NOW)).toThrow(/Invalid JSON/);
    expect(() => logsToDocuments(new Uint8Array([0xff, 0xff, 0xff]), 'protobuf', NOW)).toThrow(
      /Invalid protobuf/,
    );
  });
});
