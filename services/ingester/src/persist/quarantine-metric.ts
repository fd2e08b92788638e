import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';
import type { QuarantineRecord } from './quarantine.js';

/**
 * `zo_persist_quarantined_total{org,stream,stage}` in `registry` (the app's own, never the
 * global one); returns what to call for each new quarantine entry.
 */
export function quarantineCounter(
  registry: Registry | undefined,
): (record: QuarantineRecord) => void {
  if (registry === undefined) return () => undefined;
  const existing = registry.getSingleMetric('zo_persist_quarantined_total');
  const counter =
    existing instanceof Counter
      ? (existing as Counter<'org' | 'stream' | 'stage'>)
      : new Counter({
          name: 'zo_persist_quarantined_total',
          help: 'Partitions moved to the quarantine dir after failing to persist or upload too often, by org, stream and stage.',
          labelNames: ['org', 'stream', 'stage'] as const,
          registers: [registry],
        });
  return (record) => counter.inc({ org: record.org, stream: record.stream, stage: record.stage });
}
