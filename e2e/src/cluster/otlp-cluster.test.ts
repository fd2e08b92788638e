import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGrpcClient } from '@o2/grpc';
import {
  ExportTraceServiceRequestSchema,
  ExportTraceServiceResponseSchema,
  TraceService,
} from '@o2/proto';
import { encodeRemoteWrite } from '@o2/prom-remote-write';
import { waitForPort } from '@o2/testing';
import { basicAuth, waitUntilHealthy } from '../product-process.js';
import { ROLE_CLUSTER_ROOT, startRoleCluster } from './role-cluster.js';
import type { RoleCluster, RoleNode } from './role-cluster.js';
import { pollUntil } from './role-output.js';

const LOADED_BOX_MS = 60_000;
const AUTH = basicAuth(ROLE_CLUSTER_ROOT.email, ROLE_CLUSTER_ROOT.password);
const TRACE_ID = Buffer.from('5b8efff798038103d269b633813fc60c', 'hex');

function traces(spanIds: string[]) {
  const start = BigInt(Date.now()) * 1_000_000n;
  return create(ExportTraceServiceRequestSchema, {
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: spanIds.map((id) => ({
              traceId: TRACE_ID,
              spanId: Buffer.from(id, 'hex'),
              name: 'op',
              startTimeUnixNano: start,
              endTimeUnixNano: start + 1_000n,
            })),
          },
        ],
      },
    ],
  });
}

// Router and ingester as separate processes: every OTLP format, metrics _json and Prometheus
// remote write cross the router → ingester gRPC, and the partial-success answer comes back.
describe('cluster mode: OTLP, metrics _json and remote write through the ingest gRPC', () => {
  let cluster: RoleCluster;
  let router: RoleNode;

  const post = async (path: string, body: string | Uint8Array, headers: Record<string, string>) => {
    const response = await fetch(`${router.process.url}${path}`, {
      method: 'POST',
      headers: { authorization: AUTH, ...headers },
      body,
    });
    return { status: response.status, bytes: new Uint8Array(await response.arrayBuffer()) };
  };
  const docs = async (type: string) => {
    const response = await fetch(`${router.process.url}/api/default/streams?type=${type}`, {
      headers: { authorization: AUTH },
    });
    const listed = (await response.json()) as {
      list: Array<{ name: string; stats: { doc_num: number } }>;
    };
    return Object.fromEntries(listed.list.map((s) => [s.name, s.stats.doc_num]));
  };

  beforeAll(async () => {
    cluster = await startRoleCluster('otlp-cluster', 30);
    router = await cluster.start('router', 'router-1');
    const ingester = await cluster.start('ingester', 'ingester-1', {
      ZO_MEM_PERSIST_INTERVAL: '3600',
      ZO_FILE_PUSH_INTERVAL: '3600',
    });
    await waitUntilHealthy(router.process, LOADED_BOX_MS);
    await waitForPort(ingester.grpcPort, LOADED_BOX_MS);
    await waitForPort(router.grpcPort, LOADED_BOX_MS);
    const ready = () => ingester.process.output().includes('"msg":"started"');
    if (!(await pollUntil(ready, LOADED_BOX_MS)))
      throw new Error(`ingester did not start:\n${ingester.process.output()}`);
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);

  it('stores OTLP/HTTP, OTLP/gRPC, metrics _json and remote write and answers partial success', async () => {
    const pb = await post(
      '/api/default/v1/traces',
      toBinary(ExportTraceServiceRequestSchema, traces(['eee19b7ec3c1b174', '01'])),
      { 'content-type': 'application/x-protobuf', 'stream-name': 'cluster_traces' },
    );
    expect(pb.status).toBe(206);
    expect(fromBinary(ExportTraceServiceResponseSchema, pb.bytes).partialSuccess).toMatchObject({
      rejectedSpans: 1n,
    });

    const logs = await post(
      '/api/default/v1/logs',
      JSON.stringify({
        resourceLogs: [
          { scopeLogs: [{ logRecords: [{ body: { stringValue: 'hi' }, severityText: 'INFO' }] }] },
        ],
      }),
      { 'content-type': 'application/json', 'stream-name': 'cluster_logs' },
    );
    expect([logs.status, Buffer.from(logs.bytes).toString()]).toEqual([200, '{}']);

    const metrics = await post(
      '/api/default/v1/metrics',
      JSON.stringify({
        resourceMetrics: [
          {
            scopeMetrics: [
              { metrics: [{ name: 'cluster_gauge', gauge: { dataPoints: [{ asDouble: 1.5 }] } }] },
            ],
          },
        ],
      }),
      { 'content-type': 'application/json' },
    );
    expect(metrics.status).toBe(200);

    const samples = await post(
      '/api/default/ingest/metrics/_json',
      JSON.stringify([{ __name__: 'cluster_json', value: 3 }]),
      { 'content-type': 'application/json' },
    );
    expect([samples.status, JSON.parse(Buffer.from(samples.bytes).toString())]).toEqual([
      200,
      { code: 200, status: [{ name: 'cluster_json', successful: 1, failed: 0 }] },
    ]);

    const remoteWrite = await post(
      '/api/default/prometheus/api/v1/write',
      encodeRemoteWrite([
        {
          labels: { __name__: 'cluster_rw', job: 'a' },
          samples: [
            { value: 1, timestampMs: Date.now() - 2_000 },
            { value: 2, timestampMs: Date.now() - 1_000 },
          ],
        },
      ]),
      { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' },
    );
    expect(remoteWrite.status).toBe(204);

    const client = createGrpcClient({ address: `127.0.0.1:${router.grpcPort}` });
    try {
      const answer = await client.service(TraceService).export(traces(['eee19b7ec3c1b175']), {
        metadata: { authorization: AUTH, 'stream-name': 'cluster_traces' },
        timeoutMs: 10_000,
      });
      expect(answer.partialSuccess).toBeUndefined();
    } finally {
      client.close();
    }

    expect(await docs('traces')).toEqual({ cluster_traces: 2 });
    expect(await docs('logs')).toEqual({ cluster_logs: 1 });
    expect(await docs('metrics')).toEqual({ cluster_gauge: 1, cluster_json: 1, cluster_rw: 2 });
  });
});
