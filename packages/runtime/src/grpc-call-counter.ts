import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';

/**
 * `zo_grpc_calls_total{method,code}` in `registry`: every internal gRPC call this process
 * served, by `Service.Method` and status name — hand the result to the gRPC server's `onCall`.
 */
export function grpcCallCounter(registry: Registry): (method: string, code: string) => void {
  const existing = registry.getSingleMetric('zo_grpc_calls_total');
  const counter =
    existing instanceof Counter
      ? (existing as Counter<'method' | 'code'>)
      : new Counter({
          name: 'zo_grpc_calls_total',
          help: 'Internal gRPC calls served, by method (Service.Method) and status code name.',
          labelNames: ['method', 'code'] as const,
          registers: [registry],
        });
  return (method, code) => counter.inc({ method, code });
}
