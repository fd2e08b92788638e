import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { toHttpErrorResponse } from '@o2/errors';
import type { PromMetadata } from '@o2/metrics';
import type { FlatRecord } from '@o2/schema';
import { freePort, makeTempDir, waitForPort } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRemoteWrite } from './decode-remote-write.js';
import { HaDedup } from './ha-dedup.js';

// A real Prometheus (Debian's 2.42) scrapes itself and remote-writes to a tiny HTTP server that
// decodes with this package. Skipped, saying why, until scripts/ensure-test-deps.sh installs it.
const which = spawnSync('sh', ['-c', 'command -v prometheus'], { encoding: 'utf8' });
const prometheusBin = which.status === 0 ? which.stdout.trim() : '';
if (prometheusBin === '')
  process.stderr.write(
    'SKIP prometheus-sender.int.test.ts: the Debian `prometheus` binary is not installed (apt-get install prometheus)\n',
  );

/** Everything the receiver decoded, merged across requests. */
const received = {
  rows: new Map<string, FlatRecord[]>(),
  metadata: new Map<string, PromMetadata>(),
  requests: 0,
  headers: [] as Record<string, string | string[] | undefined>[],
};

function startReceiver(port: number): Promise<Server> {
  const haDedup = new HaDedup({
    enabled: true,
    clusterLabel: 'cluster',
    replicaLabel: '__replica__',
    electionIntervalMs: 30_000,
  });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        const decoded = decodeRemoteWrite(Buffer.concat(chunks), {
          org: 'default',
          maxDecompressedBytes: 64 << 20,
          nativeHistogramMaxBuckets: 16,
          haDedup,
        });
        received.requests++;
        received.headers.push(req.headers);
        for (const [stream, rows] of decoded.rows)
          received.rows.set(stream, [...(received.rows.get(stream) ?? []), ...rows]);
        for (const [stream, metadata] of decoded.metadata) received.metadata.set(stream, metadata);
        res.writeHead(204).end();
      } catch (error) {
        const answer = toHttpErrorResponse(error);
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
      }
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(prometheusBin === '')('a real Prometheus remote-writing to the decoder', () => {
  let dir: TempDir;
  let receiver: Server;
  let prometheus: ChildProcess | undefined;
  let promPort = 0;

  beforeAll(async () => {
    dir = await makeTempDir('prom-remote-write');
    const receiverPort = await freePort();
    receiver = await startReceiver(receiverPort);
    promPort = await freePort();
    const config = join(dir.path, 'prometheus.yml');
    writeFileSync(
      config,
      [
        'global:',
        '  scrape_interval: 1s',
        '  external_labels: { cluster: c1, __replica__: r1 }',
        'scrape_configs:',
        '  - job_name: prometheus',
        `    static_configs: [{ targets: ['127.0.0.1:${promPort}'] }]`,
        'remote_write:',
        `  - url: http://127.0.0.1:${receiverPort}/api/default/prometheus/api/v1/write`,
        '    queue_config: { batch_send_deadline: 1s, min_backoff: 100ms, max_backoff: 1s }',
        '    metadata_config: { send: true, send_interval: 1s }',
        '',
      ].join('\n'),
    );
    prometheus = spawn(
      prometheusBin,
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(dir.path, 'data')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    prometheus.stderr?.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-4000);
    });
    await waitForPort(promPort, 30_000).catch((error: unknown) => {
      throw new Error(`prometheus did not start: ${String(error)}\n${log}`);
    });
  });

  afterAll(async () => {
    if (prometheus?.pid !== undefined && prometheus.exitCode === null) {
      const exited = new Promise((r) => prometheus?.once('exit', r));
      prometheus.kill('SIGTERM');
      await exited;
    }
    await new Promise((r) => receiver.close(r));
    await dir.remove();
  });

  it('delivers its scraped series and metric metadata as metric rows', async () => {
    await waitFor(
      () =>
        (received.rows.get('up')?.length ?? 0) > 0 &&
        received.rows.has('prometheus_http_requests_total') &&
        received.metadata.has('prometheus_http_requests_total'),
      60_000,
      'up, prometheus_http_requests_total and its metadata',
    );
    const [up] = received.rows.get('up') ?? [];
    expect(up).toMatchObject({
      __name__: 'up',
      job: 'prometheus',
      instance: `127.0.0.1:${promPort}`,
      cluster: 'c1',
      value: 1,
    });
    // The HA replica label is dropped, the cluster label kept.
    expect(up).not.toHaveProperty('__replica__');
    expect(Math.abs(Number(up?._timestamp) / 1000 - Date.now())).toBeLessThan(120_000);
    expect(received.metadata.get('prometheus_http_requests_total')).toMatchObject({
      metric_type: 'Counter',
      metric_family_name: 'prometheus_http_requests_total',
    });
    // Classic histograms arrive as their _bucket/_count/_sum series, with derived metadata.
    expect(received.metadata.get('prometheus_http_request_duration_seconds_bucket')).toMatchObject({
      metric_type: 'Histogram',
    });
    expect(received.headers[0]?.['content-encoding']).toBe('snappy');
    expect(received.headers[0]?.['x-prometheus-remote-write-version']).toBe('0.1.0');
  });
});
