import type { IngestRequest, IngestResult } from '@o2/domain';
import { describe, expect, it } from 'vitest';
import {
  IngestFormat,
  IngestRequestSchema,
  IngestResponseSchema,
} from '../gen/o2/ingest/v1/ingest_pb.js';
import { throughWire } from '../test-support/through-wire.js';
import { decodeIngestFormat, decodeIngestRequest, encodeIngestRequest } from './ingest-request.js';
import { decodeIngestResult, encodeIngestResult } from './ingest-result.js';

const body = new TextEncoder().encode('{"a":1}\n{"a":2}');

const requests: IngestRequest[] = [
  { org: 'default', stream: 'app', streamType: 'logs', format: 'json', body },
  { org: 'o', streamType: 'traces', format: 'bulk', body, idempotencyKey: 'k-1' },
  { org: 'o', stream: 's', streamType: 'metrics', format: 'multi', body: new Uint8Array() },
  ...(
    [
      ['logs', 'otlp_logs'],
      ['logs', 'otlp_logs_json'],
      ['metrics', 'otlp_metrics'],
      ['metrics', 'otlp_metrics_json'],
      ['traces', 'otlp_traces'],
      ['traces', 'otlp_traces_json'],
      ['metrics', 'metrics_json'],
      ['metrics', 'prom_remote_write'],
    ] as const
  ).map(([streamType, format]): IngestRequest => ({ org: 'o', streamType, format, body })),
];

const results: IngestResult[] = [
  {
    response: {
      code: 200,
      status: [
        { name: 'app', successful: 2, failed: 0 },
        { name: 'other', successful: 0, failed: 3, error: 'too old' },
      ],
    },
  },
  { response: { code: 200, status: [] } },
  {
    bulk: {
      took: 12,
      errors: true,
      items: [
        { action: 'index', index: 'app', id: '1', status: 200 },
        {
          action: 'create',
          index: 'app',
          id: '2',
          status: 400,
          error: { type: 'mapper_parsing_exception', reason: 'bad' },
          originalRecord: { nested: [1, 'x', null], ok: false },
        },
        { action: 'update', index: 'b', id: '', status: 200, originalRecord: 'plain text' },
      ],
    },
  },
  { otlp: { rejected: 0, errorMessage: '' } },
  { otlp: { rejected: 3, errorMessage: 'Some spans were rejected' } },
  {},
];

describe('ingest request codec', () => {
  it.each(requests)('brings $format for $streamType back unchanged', (request) => {
    const wire = throughWire(IngestRequestSchema, encodeIngestRequest({ requestId: 'r', request }));
    expect(decodeIngestRequest(wire)).toEqual({ requestId: 'r', request });
  });

  it('refuses a request without a format', () => {
    expect(() => decodeIngestFormat(IngestFormat.UNSPECIFIED)).toThrow('ingest format is required');
    expect(() => decodeIngestFormat(42 as IngestFormat)).toThrow('unknown ingest format 42');
  });
});

describe('ingest result codec', () => {
  it.each(results)('brings result %# back unchanged', (result) => {
    // An answer with neither part is never sent (the encoder refuses it); the decoder reads an
    // empty oneof as such.
    if (result.response === undefined && result.bulk === undefined && result.otlp === undefined) {
      expect(() => encodeIngestResult(result)).toThrow('ingest gave no answer');
      expect(decodeIngestResult(throughWire(IngestResponseSchema, {}))).toEqual({});
      return;
    }
    expect(
      decodeIngestResult(throughWire(IngestResponseSchema, encodeIngestResult(result))),
    ).toEqual(result);
  });

  it('sends a bulk took as whole milliseconds', () => {
    const wire = throughWire(
      IngestResponseSchema,
      encodeIngestResult({ bulk: { took: 2.6, errors: false, items: [] } }),
    );
    expect(decodeIngestResult(wire).bulk?.took).toBe(3);
  });
});
