import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import {
  IngestFormat,
  IngestRequestSchema,
  IngestResponseSchema,
  HotDataService,
  IngestService,
  QueryService,
  ScanService,
  StreamType,
} from './index.js';

const script = fileURLToPath(new URL('../scripts/generate.mjs', import.meta.url));

describe('generated code', () => {
  it('matches proto/ (drift check: regenerate offline and diff)', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [script, '--check']);
    expect(stdout).toMatch(/generated files match proto\//);
  });

  it('round-trips an ingest request and a bulk response through the wire format', () => {
    const request = create(IngestRequestSchema, {
      requestId: 'req-1',
      org: 'default',
      stream: 'k8s',
      streamType: StreamType.LOGS,
      format: IngestFormat.JSON,
      body: new TextEncoder().encode('[{"log":"x"}]'),
    });
    expect(fromBinary(IngestRequestSchema, toBinary(IngestRequestSchema, request))).toEqual(
      request,
    );

    const response = create(IngestResponseSchema, {
      result: {
        case: 'bulk',
        value: {
          took: 3n,
          errors: true,
          items: [
            { action: 'index', index: 'k8s', status: 400, error: { type: 'x', reason: 'y' } },
          ],
        },
      },
    });
    const decoded = fromBinary(IngestResponseSchema, toBinary(IngestResponseSchema, response));
    expect(decoded.result.case === 'bulk' && decoded.result.value.items[0]?.error?.reason).toBe(
      'y',
    );
  });

  it('exposes the services with their fully qualified names', () => {
    expect(IngestService.typeName).toBe('o2.ingest.v1.IngestService');
    const methods = (service: typeof QueryService | typeof ScanService | typeof HotDataService) =>
      [service.typeName, service.methods.map((m) => [m.name, m.methodKind])] as const;
    // The router-facing service and the two internal ones, so no server serves half a service.
    expect([QueryService, ScanService, HotDataService].map(methods)).toEqual([
      [
        'o2.search.v1.QueryService',
        [
          ['Query', 'unary'],
          ['Values', 'unary'],
          ['Around', 'unary'],
          ['Partition', 'unary'],
        ],
      ],
      ['o2.search.v1.ScanService', [['Search', 'server_streaming']]],
      ['o2.search.v1.HotDataService', [['HotData', 'server_streaming']]],
    ]);
  });
});
