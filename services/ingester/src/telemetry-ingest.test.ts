import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { IngestRequest } from '@o2/domain';
import { duckdbQuery, ingesterWorld } from './test-support/ingester-fixture.js';
import type { IngesterWorld } from './test-support/ingester-fixture.js';

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

function traces(spanIds: string[]): IngestRequest {
  const start = BigInt(Date.now()) * 1_000_000n;
  return {
    org: 'default',
    stream: 'default',
    streamType: 'traces',
    format: 'otlp_traces_json',
    body: encode({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] },
          scopeSpans: [
            {
              spans: spanIds.map((spanId) => ({
                traceId: '5b8efff798038103d269b633813fc60c',
                spanId,
                name: 'op',
                startTimeUnixNano: start.toString(),
                endTimeUnixNano: (start + 5_000n).toString(),
              })),
            },
          ],
        },
      ],
    }),
  };
}

const gauge = (
  name: string,
  value: number,
  timeUnixNano = '1700000000000000000',
): IngestRequest => ({
  org: 'default',
  streamType: 'metrics',
  format: 'otlp_metrics_json',
  body: encode({
    resourceMetrics: [
      {
        scopeMetrics: [
          {
            metrics: [
              {
                name,
                description: 'Temperature',
                unit: 'C',
                gauge: {
                  dataPoints: [{ asInt: String(value), timeUnixNano }],
                },
              },
            ],
          },
        ],
      },
    ],
  }),
});

async function stored(world: IngesterWorld, type: string, stream: string, columns: string) {
  const dir = join(world.config.ZO_DATA_STREAM_DIR, 'files/default', type, stream);
  const files = (await readdir(dir, { recursive: true }))
    .filter((f) => f.endsWith('.parquet'))
    .map((f) => `'${join(dir, f)}'`);
  return duckdbQuery(`SELECT ${columns} FROM read_parquet([${files.join(',')}]) ORDER BY 1`);
}

describe('OTLP through the ingester', () => {
  let world: IngesterWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('replays OTLP requests from the WAL after a crash, without the spans it rejected', async () => {
    world = await ingesterWorld();
    const first = await world.boot();
    expect(await first.ingest(traces(['eee19b7ec3c1b174', '01']))).toEqual({
      otlp: { rejected: 1, errorMessage: 'Invalid span id: expected 8 bytes, got 1' },
    });
    expect(await first.ingest(gauge('room.temp', 21))).toEqual({
      otlp: { rejected: 0, errorMessage: '' },
    });
    // "Dies" without stopping: the next process rebuilds everything from the WAL.
    const second = await world.boot();
    await second.flush();
    expect(await stored(world, 'traces', 'default', 'span_id, service_name, duration')).toEqual([
      { span_id: 'eee19b7ec3c1b174', service_name: 'api', duration: 5n },
    ]);
    expect(await stored(world, 'metrics', 'room_temp', '__name__, value')).toEqual([
      { __name__: 'room_temp', value: 21 },
    ]);
    const stream = await world.metaStore.streams.get({
      org: 'default',
      type: 'metrics',
      name: 'room_temp',
    });
    expect(JSON.parse(stream?.metadata['prom_metadata'] ?? '{}')).toEqual({
      metric_type: 'Gauge',
      metric_family_name: 'room_temp',
      help: 'Temperature',
      unit: 'C',
    });
    await second.stop();
  });

  it('rejects a sample past 2^53 µs (metrics have no ingest window) and keeps persisting', async () => {
    world = await ingesterWorld();
    const node = await world.boot();
    const far = await node.ingest(gauge('far.temp', 1, '17965077241080000000'));
    expect(far).toMatchObject({ otlp: { rejected: 1 } });
    expect(JSON.stringify(far)).toContain('Invalid _timestamp');
    expect(await node.ingest(gauge('far.temp', 2))).toEqual({
      otlp: { rejected: 0, errorMessage: '' },
    });
    await node.flush();
    expect(await stored(world, 'metrics', 'far_temp', 'value')).toEqual([{ value: 2 }]);
    await node.stop();
  });
});
