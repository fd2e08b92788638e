/**
 * Remote-write decode throughput: Prometheus-shaped requests (2,000 series of one sample each,
 * 10 labels, as a sender's shard batches them) through each stage of `decodeRemoteWrite`.
 * Run: `pnpm --filter @o2/prom-remote-write bench [requests]`.
 */
import { fromBinary } from '@bufbuild/protobuf';
import { prometheus } from '@o2/proto';
import { decodeRemoteWrite } from '../decode-remote-write.js';
import type { RemoteWriteSeries } from '../encode-remote-write.js';
import { encodeRemoteWrite } from '../encode-remote-write.js';
import { decompressSnappyBlock } from '../snappy-block.js';
import { readWireWriteRequest } from '../write-request-reader.js';

const args = process.argv.slice(2).filter((a) => a !== '--');
const requests = Number(args[0] ?? 50);
const SERIES_PER_REQUEST = 2_000;
const LIMIT = 64 << 20;

function request(n: number): Uint8Array {
  const now = Date.now();
  const series: RemoteWriteSeries[] = [];
  for (let i = 0; i < SERIES_PER_REQUEST; i++) {
    const id = n * SERIES_PER_REQUEST + i;
    series.push({
      labels: {
        __name__: `node_metric_${id % 200}`,
        job: 'node',
        instance: `10.0.${(id >> 8) & 255}.${id & 255}:9100`,
        cluster: 'prod-eu-1',
        namespace: `ns-${id % 13}`,
        pod: `pod-${id % 997}`,
        container: 'exporter',
        device: `dev${id % 7}`,
        mode: id % 2 === 0 ? 'user' : 'system',
        region: 'eu-west-1',
      },
      samples: [{ value: id * 0.5, timestampMs: now }],
    });
  }
  return encodeRemoteWrite(series);
}

const bodies = Array.from({ length: requests }, (_, n) => request(n));
const samples = requests * SERIES_PER_REQUEST;
const mb = bodies.reduce((sum, b) => sum + b.length, 0) / 1e6;

function time(name: string, run: (body: Uint8Array) => void): void {
  for (const body of bodies.slice(0, 3)) run(body); // warm up
  const start = process.hrtime.bigint();
  for (const body of bodies) run(body);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const perSecond = Math.round(samples / seconds).toLocaleString('en');
  process.stdout.write(`${name.padEnd(28)} ${perSecond.padStart(12)} samples/s\n`);
}

process.stdout.write(
  `${requests} requests × ${SERIES_PER_REQUEST} series, ${mb.toFixed(1)} MB snappy\n`,
);
time('snappy decompress', (body) => decompressSnappyBlock(body, LIMIT));
// For comparison only: the generated reflection decoder the hand-written reader replaces.
time('+ protobuf-es fromBinary', (body) =>
  fromBinary(prometheus.WriteRequestSchema, decompressSnappyBlock(body, LIMIT)),
);
time('+ readWireWriteRequest', (body) => readWireWriteRequest(decompressSnappyBlock(body, LIMIT)));
time('+ rows (decodeRemoteWrite)', (body) =>
  decodeRemoteWrite(body, { org: 'o', maxDecompressedBytes: LIMIT, nativeHistogramMaxBuckets: 16 }),
);
