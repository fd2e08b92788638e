import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import type { StreamKind } from '@o2/domain';

/** What the ingester reports as it works; every call is a no-op without a registry. */
export interface IngesterMetrics {
  /** Rows of one request now in the WAL and the memtables, and the request's body bytes. */
  stored(streamType: StreamKind, rows: number, bytes: number): void;
  /** Times one persist or upload cycle; counts it as failed when it throws or leaves an error. */
  timed<T extends { error?: string } | undefined>(
    stage: 'persist' | 'upload',
    cycle: () => Promise<T>,
  ): Promise<T>;
}

export interface IngesterGauges {
  /** Bytes of the WAL segments on disk. */
  walBytes(): number;
  /** Bytes held by the memtables. */
  memtableBytes(): number;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The ingester's own metrics in the process registry, in O2's `zo_` style: rows and bytes
 * ingested by stream type, WAL and memtable sizes (read at scrape time), and persist/upload
 * cycle latency and failures.
 */
export function ingesterMetrics(
  registry: Registry | undefined,
  gauges: IngesterGauges,
): IngesterMetrics {
  if (registry === undefined) return { stored: () => undefined, timed: (_stage, cycle) => cycle() };
  const registers = [registry];
  const records = new Counter({
    name: 'zo_ingest_records_total',
    help: 'Rows written to the WAL and the memtables, by stream type.',
    labelNames: ['stream_type'] as const,
    registers,
  });
  const bytes = new Counter({
    name: 'zo_ingest_bytes_total',
    help: 'Request body bytes (decompressed) of the rows ingested, by stream type.',
    labelNames: ['stream_type'] as const,
    registers,
  });
  new Gauge({
    name: 'zo_ingester_wal_size_bytes',
    help: 'Bytes of the write-ahead log segments on disk.',
    registers,
    collect() {
      this.set(gauges.walBytes());
    },
  });
  new Gauge({
    name: 'zo_ingester_memtable_bytes',
    help: 'Bytes of rows held in the memtables (not yet persisted as Parquet).',
    registers,
    collect() {
      this.set(gauges.memtableBytes());
    },
  });
  const duration = new Histogram({
    name: 'zo_ingester_cycle_duration_seconds',
    help: 'Duration of one persist (memtables to local Parquet) or upload (to the object store) cycle, by stage.',
    labelNames: ['stage'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const failures = new Counter({
    name: 'zo_ingester_cycle_failures_total',
    help: 'Persist or upload cycles that failed (some partition left for a retry), by stage.',
    labelNames: ['stage'] as const,
    registers,
  });
  for (const stage of ['persist', 'upload']) failures.inc({ stage }, 0);
  return {
    stored(streamType, rows, size) {
      records.inc({ stream_type: streamType }, rows);
      bytes.inc({ stream_type: streamType }, size);
    },
    async timed(stage, cycle) {
      const end = duration.startTimer({ stage });
      try {
        const outcome = await cycle();
        if (outcome?.error !== undefined) failures.inc({ stage });
        return outcome;
      } catch (error) {
        failures.inc({ stage });
        throw error;
      } finally {
        end();
      }
    },
  };
}
