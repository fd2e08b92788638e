import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Lifecycle } from '@o2/lifecycle';
import type { Logger } from '@o2/logger';
import type { Registry } from 'prom-client';
import { readinessReasons } from './readiness.js';
import type { ReadinessProbe, ReasonSource } from './readiness.js';

export interface OpsServerOptions {
  port: number;
  /** Bind address; all interfaces when empty. */
  host: string;
  logger: Logger;
  registry: Registry;
  /** Serve the registry on /metrics (ZO_PROMETHEUS_ENABLED); an empty body otherwise. */
  metricsEnabled: boolean;
  probes: readonly ReadinessProbe[];
  /** Read at every /readyz, so parts built after the server may still add theirs. */
  sources: readonly ReasonSource[];
}

export interface OpsServer extends Lifecycle {
  /** The bound port (the configured one, or the one the OS picked for port 0). */
  port(): number;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * The operational HTTP port of a role process without the router's API (ingester, querier,
 * compactor, alertmanager): `/healthz` (alive), `/readyz` (its dependencies answer, else 503
 * with the reasons, the router's body shape) and `/metrics` (the process's own registry).
 * Unauthenticated like the router's: Kubernetes probes and Prometheus scrape it, and it serves
 * nothing but health and counters.
 */
export function opsServer(options: OpsServerOptions): OpsServer {
  const { logger, registry } = options;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { code: 405, message: 'method not allowed' });
      return;
    }
    switch (path) {
      // Liveness checks nothing external: a slow database must not get the pod restarted.
      case '/healthz':
        sendJson(res, 200, { status: 'ok' });
        return;
      case '/readyz': {
        const reasons = await readinessReasons(options.probes, options.sources);
        if (reasons.length === 0) {
          sendJson(res, 200, { status: 'ok' });
          return;
        }
        logger.warn({ reasons }, 'readiness probe: degraded');
        sendJson(res, 503, { status: 'degraded', reasons });
        return;
      }
      case '/metrics':
        res.writeHead(200, { 'Content-Type': registry.contentType });
        res.end(options.metricsEnabled ? await registry.metrics() : '');
        return;
      default:
        sendJson(res, 404, { code: 404, message: 'not found' });
    }
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error({ err: error }, 'ops request failed');
      if (!res.headersSent) sendJson(res, 500, { code: 500, message: 'internal error' });
      else res.end();
    });
  });
  return {
    name: 'ops-http',
    start: () =>
      new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        const host = options.host === '' ? undefined : options.host;
        server.listen(options.port, host, () => {
          server.off('error', reject);
          logger.info({ port: (server.address() as AddressInfo).port }, 'ops HTTP listening');
          resolve();
        });
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
    port: () => (server.address() as AddressInfo).port,
  };
}
