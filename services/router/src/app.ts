import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { Router } from 'express';
import type { Express, RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import type { Config } from '@o2/config';
import type {
  EventBus,
  IngestService,
  IngesterControl,
  PromqlService,
  SearchService,
} from '@o2/domain';
import type { Logger } from '@o2/logger';
import { EnrichmentCache, EnrichmentStore, UrlJobs } from '@o2/enrichment';
import type { MetaStore } from '@o2/metastore';
import type { ObjectStore } from '@o2/storage';
import { createAuthenticate } from './auth/authenticate.js';
import { createOrgAccess } from './auth/org-access.js';
import { createPasswordChecker } from './auth/password-checker.js';
import { accessLog } from './http/access-log.js';
import { createCors } from './http/cors.js';
import { createErrorHandler, notFound } from './http/error-handler.js';
import { createHttpMetrics } from './http/http-metrics.js';
import { createJsonBody } from './http/json-body.js';
import { openApiRoutes } from './openapi/openapi-route.js';
import { alertDedupRoutes } from './routes/alert-dedup.js';
import { alertDestinationsRoutes } from './routes/alert-destinations.js';
import { alertHistoryRoutes } from './routes/alert-history.js';
import { alertsRoutes } from './routes/alerts.js';
import { pipelinesRoutes, pipelinesUsingFunction } from './routes/pipelines.js';
import { dashboardAnnotationsRoutes } from './routes/dashboard-annotations.js';
import { dashboardPanelsRoutes } from './routes/dashboard-panels.js';
import { dashboardsRoutes } from './routes/dashboards.js';
import { esCompatRoutes } from './routes/es-compat.js';
import { foldersRoutes } from './routes/folders.js';
import { clusterInfoRoutes } from './routes/cluster-info.js';
import { ingestRoutes } from './routes/ingest.js';
import { ingestionTokensRoutes } from './routes/ingestion-tokens.js';
import { kvRoutes } from './routes/kv.js';
import { functionsRoutes } from './routes/functions.js';
import { liveTailRoutes } from './routes/live-tail.js';
import { otlpIngestRoutes } from './routes/otlp-ingest.js';
import { loginRoutes } from './routes/login.js';
import { nodeFlushRoutes } from './routes/node-flush.js';
import { nodeQuarantineRoutes } from './routes/node-quarantine.js';
import { opsRoutes } from './routes/ops.js';
import { organizationsRoutes } from './routes/organizations.js';
import { passcodeRoutes } from './routes/passcode.js';
import { prometheusRoutes } from './routes/prometheus/prometheus.js';
import { remoteWriteRoutes } from './routes/remote-write.js';
import { queryFunctionsRoutes } from './routes/query-functions.js';
import { orgSettingsRoutes } from './routes/org-settings.js';
import type { RouteDeps } from './routes/route-deps.js';
import { rumTokenRoutes } from './routes/rum-token.js';
import { searchRoutes } from './routes/search.js';
import { routerVersion } from './routes/server-config.js';
import { serviceAccountsRoutes } from './routes/service-accounts.js';
import { shortUrlsRoutes } from './routes/short-urls.js';
import { streamDataDeletionRoutes } from './routes/stream-data-deletion.js';
import { streamsRoutes } from './routes/streams.js';
import { enrichmentTablesRoutes } from './routes/enrichment-tables.js';
import { summaryRoutes } from './routes/summary.js';
import { tracesRoutes } from './routes/traces.js';
import { usersRoutes } from './routes/users.js';
import { defaultWebRoot, webUiRoutes } from './routes/web-ui.js';

export interface RouterDeps {
  config: Config;
  logger: Logger;
  metaStore: MetaStore;
  /** Clock in Unix ms (sessions); tests may pin it. */
  now?: () => number;
  /** Where ingest requests go (in-process ingester or a gRPC client); absent → ingest is 503. */
  ingest?: IngestService;
  /** This node's ingester (flush, hot stats, drop stream); absent → `/node/flush` is 404. */
  ingester?: IngesterControl;
  /** Object storage, for the readiness check. */
  objectStore?: ObjectStore;
  /**
   * The cluster's event bus (`cluster.events`): a stream deletion publishes on it to wake the
   * compactor. Without it the compactor finds the request on its next interval.
   */
  events?: EventBus;
  /** Where searches go (in-process querier or a client); absent → search routes are 503. */
  search?: SearchService;
  /** Where PromQL goes (in-process querier or a client); absent → the Prometheus API is 503. */
  promql?: PromqlService;
  /**
   * The built web UI (index.html + assets) served at `/web/`; absent → `@o2/web`'s dist folder,
   * and `/web/` says how to build it when that is missing too.
   */
  webRoot?: string;
  /** Live tail (`_tail`): the in-process ingester or the cluster fan-in; absent → 503. */
  tail?: RouteDeps['tail'];
  /** What `/readyz` checks besides the metadata and object stores. */
  readiness?: RouteDeps['readiness'];
  /** The cluster's node registry, for `/api/_meta/node/list`; absent → 503 there. */
  nodes?: RouteDeps['nodes'];
  /** Which pipelines use a function (`/functions/{name}`); none when absent. */
  functionDependencies?: RouteDeps['functionDependencies'];
  /**
   * The metrics registry `/metrics` serves; pass one to share it with parts built before the
   * router (the in-process ingester's counters). A new one when absent.
   */
  registry?: Registry;
}

export interface ListeningRouter {
  port: number;
  /** Stops accepting connections and resolves once in-flight requests have finished. */
  close(): Promise<void>;
}

export interface RouterApp {
  app: Express;
  /**
   * Routes added here live under `/api`, behind authentication and the org access check (use
   * `orgContext(req)` in handlers), and before the JSON 404. Ingest and search mount here.
   */
  api: Router;
  /** Routes under `/node`, behind authentication (no org scope), before the 404. */
  node: Router;
  /** Unauthenticated routes (UI files, `/aws`, `/gcp`, `/rum` …), before the 404. */
  open: Router;
  /** JSON body handling with O2's 415/400/413 answers, for routes added by callers. */
  jsonBody: RequestHandler[];
  /** The app's own metrics registry, for callers that add metrics of their own. */
  registry: Registry;
  listen(port: number, host?: string): Promise<ListeningRouter>;
}

/** `ZO_BASE_URI` as a mount path: '' or `/prefix` without a trailing slash. */
function basePath(baseUri: string): string {
  const trimmed = baseUri.trim().replace(/\/+$/, '');
  if (trimmed === '') return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

const QUIET_PATHS = /\/(healthz|readyz|metrics)(\?|$)/;

/**
 * The router's HTTP app: ops endpoints, login, and the `/api` surface behind Basic/cookie auth
 * and per-org access. Pure: everything comes from `deps`; nothing listens until `listen`.
 */
/** The enrichment-table store and its VRL cache over the node's object store. */
function enrichmentOf(config: Config, metaStore: MetaStore, objectStore: ObjectStore) {
  const maxTableBytes = config.ZO_ENRICHMENT_TABLE_LIMIT * 1024 * 1024;
  const store = new EnrichmentStore({ metaStore, objectStore, maxTableBytes });
  return { store, cache: new EnrichmentCache(store), urlJobs: new UrlJobs(metaStore) };
}

export function createRouter(deps: RouterDeps): RouterApp {
  const { config, logger, metaStore } = deps;
  const now = deps.now ?? Date.now;
  const passwords = createPasswordChecker();
  const jsonBody = createJsonBody(config.ZO_PAYLOAD_LIMIT);
  const metrics = createHttpMetrics({
    defaultMetrics: config.ZO_PROMETHEUS_ENABLED,
    ...(deps.registry === undefined ? {} : { registry: deps.registry }),
  });
  const routeDeps: RouteDeps = {
    config,
    logger,
    metaStore,
    passwords,
    jsonBody,
    now,
    ingest: deps.ingest,
    ingester: deps.ingester,
    objectStore: deps.objectStore,
    ...(deps.objectStore === undefined
      ? {}
      : { enrichment: enrichmentOf(config, metaStore, deps.objectStore) }),
    events: deps.events,
    search: deps.search,
    promql: deps.promql,
    readiness: deps.readiness,
    tail: deps.tail,
    nodes: deps.nodes,
    functionDependencies:
      deps.functionDependencies ?? ((org, name) => pipelinesUsingFunction(metaStore, org, name)),
  };
  const authDeps = { metaStore, passwords, now };

  const app = express();
  app.disable('x-powered-by');
  // No ETag on every response: express hashes each body for it (SHA-1 over a search answer's
  // hits, ~2 ms per MB) and O2 sends none; static assets keep theirs (express.static's own).
  app.set('etag', false);
  app.use(createCors(config));
  app.use(accessLog(logger, QUIET_PATHS));
  app.use(metrics.middleware);

  const open = Router();
  const api = Router();
  const node = Router();
  api.use(organizationsRoutes(routeDeps));
  api.use(usersRoutes(routeDeps));
  api.use(passcodeRoutes(routeDeps));
  api.use(ingestRoutes(routeDeps));
  api.use(otlpIngestRoutes(routeDeps));
  api.use(streamDataDeletionRoutes(routeDeps));
  api.use(streamsRoutes(routeDeps));
  api.use(enrichmentTablesRoutes(routeDeps));
  api.use(esCompatRoutes(routeDeps));
  api.use(searchRoutes(routeDeps));
  // Live tails never end by themselves: closing the server ends them so the drain completes.
  const closing = new AbortController();
  api.use(liveTailRoutes(routeDeps, closing.signal));
  api.use(remoteWriteRoutes(routeDeps));
  api.use(prometheusRoutes(routeDeps));
  api.use(tracesRoutes(routeDeps));
  api.use(queryFunctionsRoutes());
  api.use(orgSettingsRoutes(routeDeps));
  api.use(summaryRoutes(routeDeps));
  api.use(dashboardsRoutes(routeDeps));
  api.use(dashboardPanelsRoutes(routeDeps));
  api.use(dashboardAnnotationsRoutes(routeDeps));
  api.use(foldersRoutes(routeDeps));
  api.use(ingestionTokensRoutes(routeDeps));
  api.use(serviceAccountsRoutes(routeDeps));
  api.use(kvRoutes(routeDeps));
  api.use(functionsRoutes(routeDeps));
  api.use(shortUrlsRoutes(routeDeps));
  api.use(rumTokenRoutes(routeDeps));
  api.use(clusterInfoRoutes(routeDeps));
  // History first: `/v2/{org}/alerts/history` is not an alert id.
  api.use(alertHistoryRoutes(routeDeps));
  // Before the alert routes: `/v2/{org}/alerts/dedup/summary` is not an alert id either.
  api.use(alertDedupRoutes(routeDeps));
  api.use(alertsRoutes(routeDeps));
  api.use(pipelinesRoutes(routeDeps));
  api.use(alertDestinationsRoutes(routeDeps));
  node.use(nodeFlushRoutes(routeDeps));
  node.use(nodeQuarantineRoutes(routeDeps));

  const setApiNode: RequestHandler = (_req, res, next) => {
    res.setHeader('x-api-node', config.ZO_INSTANCE_NAME);
    next();
  };

  const base = basePath(config.ZO_BASE_URI);
  const main = Router();
  main.use(webUiRoutes({ root: deps.webRoot ?? defaultWebRoot(), base }));
  main.use(opsRoutes({ ...routeDeps, registry: metrics.registry }));
  main.use(loginRoutes(routeDeps));
  if (config.ZO_SWAGGER_ENABLED) main.use(openApiRoutes(routerVersion()));
  main.use(open);
  main.use(
    '/api',
    setApiNode,
    createAuthenticate(authDeps, { passcodes: true }),
    createOrgAccess({ metaStore }),
    api,
    notFound,
  );
  main.use('/node', createAuthenticate(authDeps, { passcodes: false }), node, notFound);

  app.use(base === '' ? '/' : base, main);
  app.use(notFound);
  app.use(createErrorHandler(logger));

  return {
    app,
    api,
    node,
    open,
    jsonBody,
    registry: metrics.registry,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        const server = createServer(app);
        server.once('error', reject);
        server.listen(port, host === '' ? undefined : host, () => {
          server.off('error', reject);
          const { port: bound } = server.address() as AddressInfo;
          resolve({
            port: bound,
            close: () =>
              new Promise<void>((done, fail) => {
                closing.abort();
                server.close((error) => (error ? fail(error) : done()));
                server.closeIdleConnections();
              }),
          });
        });
      }),
  };
}
