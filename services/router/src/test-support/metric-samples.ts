import { metricRecord } from '@o2/metrics';
import { MemorySeriesSource } from '@o2/promql';

/** One series to store: its metric name, labels and samples (ms, value). */
export interface SampleSeries {
  name: string;
  labels: Record<string, string>;
  samples: Array<{ t: number; v: number }>;
}

const STEP_MS = 15_000;

/**
 * A small scrape-like data set from `startMs`, 15 s apart for `minutes`: counters of two jobs
 * (one series without a `code` label), a classic histogram with three buckets and a gauge whose
 * label value holds a newline (regex `.` must match it) and one with infinite samples.
 */
export function sampleSeries(startMs: number, minutes: number): SampleSeries[] {
  const points = (minutes * 60_000) / STEP_MS;
  const counter = (rate: number, resetAt?: number) => {
    const out: Array<{ t: number; v: number }> = [];
    let v = 0;
    for (let i = 0; i < points; i++) {
      v = i === resetAt ? 1 : v + rate * (1 + (i % 3));
      out.push({ t: startMs + i * STEP_MS, v });
    }
    return out;
  };
  const gauge = (base: number) =>
    Array.from({ length: points }, (_, i) => ({
      t: startMs + i * STEP_MS,
      v: base + Math.sin(i / 5) * 3,
    }));
  return [
    {
      name: 'http_requests_total',
      labels: { job: 'api', instance: 'a', code: '200' },
      samples: counter(5),
    },
    {
      name: 'http_requests_total',
      labels: { job: 'api', instance: 'b', code: '500' },
      samples: counter(1, 40),
    },
    { name: 'http_requests_total', labels: { job: 'web', instance: 'c' }, samples: counter(2) },
    { name: 'req_duration_seconds_bucket', labels: { job: 'api', le: '0.1' }, samples: counter(3) },
    { name: 'req_duration_seconds_bucket', labels: { job: 'api', le: '0.5' }, samples: counter(7) },
    {
      name: 'req_duration_seconds_bucket',
      labels: { job: 'api', le: '+Inf' },
      samples: counter(8),
    },
    { name: 'room_temperature', labels: { room: 'lab\nnorth' }, samples: gauge(20) },
    { name: 'room_temperature', labels: { room: 'hall' }, samples: gauge(17) },
    // Stored as ±f64::MAX (O2's clamp), read back as ±Inf.
    {
      name: 'room_temperature',
      labels: { room: 'furnace' },
      samples: gauge(900).map((p, i) => ({ t: p.t, v: i % 4 === 0 ? Infinity : p.v })),
    },
  ];
}

/** `_json` bodies per metric stream: the rows `metricRecord` makes, as every input does. */
export function metricBodies(series: readonly SampleSeries[]): Map<string, Uint8Array> {
  const rows = new Map<string, unknown[]>();
  for (const s of series) {
    const list = rows.get(s.name) ?? [];
    for (const p of s.samples)
      list.push(
        metricRecord({ name: s.name, labels: s.labels, value: p.v, timestampUs: p.t * 1000 }),
      );
    rows.set(s.name, list);
  }
  const enc = new TextEncoder();
  return new Map([...rows].map(([name, list]) => [name, enc.encode(JSON.stringify(list))]));
}

/** The same data in the engine's in-memory source: the oracle for the storage-backed one. */
export function memorySource(series: readonly SampleSeries[]): MemorySeriesSource {
  const source = new MemorySeriesSource();
  for (const s of series) source.add({ __name__: s.name, ...s.labels }, s.samples);
  return source;
}
