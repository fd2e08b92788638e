import { Gauge } from 'prom-client';
import type { Registry } from 'prom-client';

/**
 * `zo_leader{lease}` in `registry`: 1 while this process holds the lease, else 0 — so a
 * dashboard shows which compactor/alertmanager is the active one. Returns the setter.
 */
export function leaderGauge(
  registry: Registry | undefined,
): (lease: string, held: boolean) => void {
  if (registry === undefined) return () => undefined;
  const existing = registry.getSingleMetric('zo_leader');
  const gauge =
    existing instanceof Gauge
      ? (existing as Gauge<'lease'>)
      : new Gauge({
          name: 'zo_leader',
          help: 'Whether this process holds the cluster-wide lease (1) or stands by (0), by lease.',
          labelNames: ['lease'] as const,
          registers: [registry],
        });
  return (lease, held) => gauge.set({ lease }, held ? 1 : 0);
}
