import { Router } from 'express';
import type { Registry } from 'prom-client';
import { metaStoreProbe, objectStoreProbe, readinessReasons } from '@o2/runtime';
import type { RouteDeps } from './route-deps.js';
import { routerVersion, serverConfigBody } from './server-config.js';

/** Unauthenticated operational routes: liveness, readiness, UI bootstrap config, metrics. */
export function opsRoutes(deps: RouteDeps & { registry: Registry }): Router {
  const { config, registry, logger, metaStore, ingester } = deps;
  const router = Router();
  const configBody = serverConfigBody(config, routerVersion());

  // Liveness checks nothing external: a slow database must not get the pod restarted.
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  const probes = [
    metaStoreProbe(metaStore),
    ...(deps.objectStore === undefined ? [] : [objectStoreProbe(deps.objectStore)]),
    ...(deps.readiness?.probes ?? []),
  ];
  // The ingester (in-process, or every ingester over gRPC) reports its own store health and WAL
  // disk; other parts of the process may add theirs.
  const sources = [
    ...(ingester === undefined ? [] : [() => ingester.degradedReasons()]),
    ...(deps.readiness?.sources ?? []),
  ];
  // 200 {"status":"ok"}, or 503 {"status":"degraded","reasons":[...]} saying what is away.
  router.get('/readyz', async (_req, res) => {
    const reasons = await readinessReasons(probes, sources);
    if (reasons.length === 0) {
      res.json({ status: 'ok' });
      return;
    }
    logger.warn({ reasons }, 'readiness probe: degraded');
    res.status(503).json({ status: 'degraded', reasons });
  });

  router.get('/config', (_req, res) => {
    res.json(configBody);
  });

  router.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', registry.contentType);
    res.send(config.ZO_PROMETHEUS_ENABLED ? await registry.metrics() : '');
  });

  return router;
}
