/**
 * OTLP trace decode throughput on telemetrygen-shaped requests (512 spans per export: parent
 * and child spans with two attributes each, one resource), through each stage of protobuf
 * ingest. Run: `pnpm --filter @o2/otlp bench [requests]`.
 */
import { randomBytes } from 'node:crypto';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { ExportTraceServiceRequestSchema, KeyValueSchema } from '@o2/proto';
import type { KeyValue } from '@o2/proto';
import { readTraceRequest } from '../trace-request-reader.js';
import { tracesToDocuments } from '../traces-to-documents.js';

const args = process.argv.slice(2).filter((a) => a !== '--');
const requests = Number(args[0] ?? 200);
const SPANS_PER_REQUEST = 512;
const NOW = Date.now() * 1000;

function text(key: string, value: string): KeyValue {
  return create(KeyValueSchema, { key, value: { value: { case: 'stringValue', value } } });
}

function request(): Uint8Array {
  const start = BigInt(Date.now()) * 1_000_000n;
  const spans = [];
  for (let i = 0; i < SPANS_PER_REQUEST / 2; i++) {
    const traceId = randomBytes(16);
    const parent = randomBytes(8);
    spans.push(
      {
        traceId,
        spanId: parent,
        name: 'lets-go',
        kind: 3,
        startTimeUnixNano: start,
        endTimeUnixNano: start + 123_000n,
        attributes: [text('net.peer.ip', '1.2.3.4'), text('peer.service', 'telemetrygen-server')],
        status: {},
      },
      {
        traceId,
        spanId: randomBytes(8),
        parentSpanId: parent,
        name: 'okey-dokey-0',
        kind: 2,
        startTimeUnixNano: start,
        endTimeUnixNano: start + 100_000n,
        attributes: [text('net.peer.ip', '1.2.3.4'), text('peer.service', 'telemetrygen-client')],
        status: {},
      },
    );
  }
  const message = create(ExportTraceServiceRequestSchema, {
    resourceSpans: [
      {
        resource: { attributes: [text('service.name', 'telemetrygen')] },
        scopeSpans: [{ scope: { name: 'telemetrygen' }, spans }],
      },
    ],
  });
  return toBinary(ExportTraceServiceRequestSchema, message);
}

const bodies = Array.from({ length: requests }, request);
const spans = requests * SPANS_PER_REQUEST;

function time(name: string, run: (body: Uint8Array) => void): void {
  for (const body of bodies.slice(0, 5)) run(body); // warm up
  const start = process.hrtime.bigint();
  for (const body of bodies) run(body);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const perSecond = Math.round(spans / seconds).toLocaleString('en');
  process.stdout.write(`${name.padEnd(36)} ${perSecond.padStart(12)} spans/s\n`);
}

process.stdout.write(`${requests} requests × ${SPANS_PER_REQUEST} spans\n`);
// For comparison only: the generated reflection decoder the hand-written reader replaces.
time('protobuf-es fromBinary', (body) => fromBinary(ExportTraceServiceRequestSchema, body));
time('protobuf-es fromBinary + toBinary', (body) =>
  toBinary(ExportTraceServiceRequestSchema, fromBinary(ExportTraceServiceRequestSchema, body)),
);
time('readTraceRequest', (body) => readTraceRequest(body));
time('tracesToDocuments (span rows)', (body) => tracesToDocuments(body, 'protobuf', NOW, 's'));
