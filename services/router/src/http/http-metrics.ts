import type { Request, RequestHandler } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface HttpMetrics {
  registry: Registry;
  /** Counts and times every request once it has been answered. */
  middleware: RequestHandler;
}

/**
 * The endpoint label is the matched route pattern (`/api/:org/users`), never the raw URL, so
 * the number of series stays bounded however many orgs, streams and users exist. Express sets
 * `req.route` when a route starts handling the request; that is the one moment `req.baseUrl`
 * still names the route's mount point (it is unwound by the time an error reaches the app's
 * error handler), so the pattern is captured right there.
 */
function trackRoute(req: Request): () => string {
  let endpoint = 'unmatched';
  let current: unknown;
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => current,
    set: (route: unknown) => {
      current = route;
      const path = (route as { path?: unknown } | undefined)?.path;
      if (typeof path === 'string') endpoint = `${req.baseUrl}${path}`;
    },
  });
  return () => endpoint;
}

/** A registry to share between the router and parts built before it (see RouterDeps.registry). */
export function createMetricsRegistry(): Registry {
  return new Registry();
}

/**
 * One registry per app (never prom-client's global one), so two apps in one process, as in
 * tests or the single-node build, do not clash over metric names.
 */
export function createHttpMetrics(options: {
  defaultMetrics: boolean;
  registry?: Registry;
}): HttpMetrics {
  const registry = options.registry ?? new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'zo_' });
  const labelNames = ['endpoint', 'method', 'status'] as const;
  const requests = new Counter({
    name: 'zo_http_incoming_requests',
    help: 'HTTP requests answered, by route pattern, method and status.',
    labelNames,
    registers: [registry],
  });
  const responseTime = new Histogram({
    name: 'zo_http_response_time',
    help: 'HTTP response time in seconds, by route pattern, method and status.',
    labelNames,
    registers: [registry],
  });

  const middleware: RequestHandler = (req, res, next) => {
    const started = process.hrtime.bigint();
    const endpoint = trackRoute(req);
    res.once('finish', () => {
      const labels = { endpoint: endpoint(), method: req.method, status: String(res.statusCode) };
      requests.inc(labels);
      responseTime.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
  return { registry, middleware };
}
