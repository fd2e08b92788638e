import { describe, expect, it } from 'vitest';
import { tracesToDocuments } from './traces-to-documents.js';

const NOW = 1_700_000_000_000_000;
const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

const span = (over: Record<string, unknown>) => ({
  traceId: '5b8efff798038103d269b633813fc60c',
  spanId: 'eee19b7ec3c1b174',
  parentSpanId: 'eee19b7ec3c1b173',
  name: 'GET /users',
  kind: 2,
  startTimeUnixNano: '1700000000000000001',
  endTimeUnixNano: '1700000000002000001',
  attributes: [
    { key: 'http.route', value: { stringValue: '/users' } },
    { key: 'duration', value: { intValue: 5 } },
  ],
  events: [{ name: 'e', timeUnixNano: '1700000000000000009', attributes: [] }],
  status: { code: 2, message: 'boom' },
  ...over,
});

describe('OTLP traces → span rows (O2-CONTRACT §9.1)', () => {
  it('builds the span record', () => {
    const body = {
      resourceSpans: [
        {
          resource: {
            attributes: [
              { key: 'service.name', value: { stringValue: 'api' } },
              { key: 'telemetry.sdk.language', value: { stringValue: 'nodejs' } },
            ],
          },
          scopeSpans: [{ spans: [span({})] }],
        },
      ],
    };
    const [doc] = tracesToDocuments(encode(body), 'json', NOW, 'traces_stream').documents;
    expect(doc?.error).toBeUndefined();
    expect(doc?.record).toMatchObject({
      'service_telemetry.sdk.language': 'nodejs',
      service_name: 'api',
      'http.route': '/users',
      attr_duration: 5,
      trace_id: '5b8efff798038103d269b633813fc60c',
      span_id: 'eee19b7ec3c1b174',
      reference_parent_span_id: 'eee19b7ec3c1b173',
      reference_parent_trace_id: '5b8efff798038103d269b633813fc60c',
      reference_ref_type: 'ChildOf',
      flags: 1,
      span_status: 'ERROR',
      status_code: 2,
      status_message: 'boom',
      span_kind: '2',
      operation_name: 'GET /users',
      start_time: 1700000000000000001n,
      end_time: 1700000000002000001n,
      duration: 2000,
      _timestamp: 1700000000000000,
      events: '[{"name":"e","_timestamp":1700000000000000009}]',
      links: '[]',
      _o2_ingest_ts: NOW,
    });
  });

  it('rejects a span whose ids have the wrong length, alone', () => {
    const body = {
      resourceSpans: [
        { scopeSpans: [{ spans: [span({ traceId: 'abcd' }), span({ spanId: '01' }), span({})] }] },
      ],
    };
    const docs = tracesToDocuments(encode(body), 'json', NOW, 's').documents;
    expect(docs.map((d) => d.error)).toEqual([
      'Invalid trace id: expected 16 bytes, got 2',
      'Invalid span id: expected 8 bytes, got 1',
      undefined,
    ]);
    expect(docs[2]?.record['service_name']).toBe('s');
  });

  it('refuses a body that is not an export request', () => {
    expect(() =>
      tracesToDocuments(encode({ resourceSpans: [{ scopeSpans: 'x' }] }), 'json', NOW, 's'),
    ).toThrow(/Invalid OTLP JSON ExportTraceServiceRequest/);
  });
});
