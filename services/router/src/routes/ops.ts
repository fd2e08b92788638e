import { Router } from 'express';
import type { Registry } from 'prom-client';
import { degradedReasons, readinessChecks } from './readiness.js';
import type { RouteDeps } from './route-deps.js';
import { routerVersion, serverConfigBody } from './server-config.js';

/** Unauthenticated operational routes: liveness, readiness, UI bootstrap config, metrics. */
export function opsRoutes(deps: RouteDeps & { registry: Registry }): Router {
  const { config, registry, logger } = deps;
  const router = Router();
  const configBody = serverConfigBody(config, routerVersion());

  // Liveness checks nothing external: a slow database must not get the pod restarted.
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // 200 `{"status":"ok"}` when healthy; otherwise 503 with one line per problem, e.g.
  // `{"status":"degraded","reasons":["object store unreachable for 42 s …"]}`.
  const checks = readinessChecks(deps);
  router.get('/readyz', async (_req, res) => {
    const reasons = await degradedReasons(checks);
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
