import { Router } from 'express';
import type { Registry } from 'prom-client';
import { DEFAULT_ORG } from '@o2/domain';
import type { RouteDeps } from './route-deps.js';
import { routerVersion, serverConfigBody } from './server-config.js';

const READY_TIMEOUT_MS = 2000;

/** Resolves true when `probe` succeeds within the timeout, false on failure or timeout. */
async function answersInTime(probe: () => Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    // The probe's own failure is caught here too, so a late rejection is never unhandled.
    const answered = probe().then(
      () => true,
      () => false,
    );
    return await Promise.race([answered, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Unauthenticated operational routes: liveness, readiness, UI bootstrap config, metrics. */
export function opsRoutes(deps: RouteDeps & { registry: Registry }): Router {
  const { config, metaStore, registry, logger } = deps;
  const router = Router();
  const configBody = serverConfigBody(config, routerVersion());

  // Liveness checks nothing external: a slow database must not get the pod restarted.
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    const ready = await answersInTime(() => metaStore.orgs.get(DEFAULT_ORG), READY_TIMEOUT_MS);
    if (!ready) logger.warn('readiness probe: metadata store did not answer');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'not ready' });
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
