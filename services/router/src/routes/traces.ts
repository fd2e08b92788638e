import { Router } from 'express';
import type { Request } from 'express';
import { AppError } from '@o2/errors';
import { checkTraceId } from '@o2/traces';
import { orgContext } from '../auth/auth-context.js';
import { queryParam } from '../http/query-params.js';
import { streamParam } from '../http/stream-param.js';
import type { RouteDeps } from './route-deps.js';
import { sendSearchStream } from './search-stream.js';
import { createTraceReader } from './trace-reader.js';
import type { TraceReader } from './trace-reader.js';
import { latestQueryFromRequest, lookupWindow, requiredWindow } from './traces-request.js';

/**
 * O2's trace APIs (O2-CONTRACT §9.2) over `traces` streams: `traces/latest` (+ SSE),
 * `traces/{trace_id}/details`, `/dag`, `traces/time_range`, and the service graph O2 keeps in
 * its enterprise build (`/traces/service_graph/topology/current`), here computed at query time
 * from client/server span pairs. Every route is org-scoped (auth + org access run before it);
 * the queries are built by `@o2/traces` and answered by the SearchService.
 */
export function tracesRoutes(deps: RouteDeps): Router {
  const router = Router();
  let reader: TraceReader | undefined;
  const traces = (): TraceReader => {
    if (deps.search === undefined) throw new AppError('UNAVAILABLE', 'No querier is available');
    reader ??= createTraceReader({ search: deps.search, metaStore: deps.metaStore });
    return reader;
  };
  const nowUs = () => deps.now() * 1000;
  const traceIdParam = (req: Request) => checkTraceId(req.params['trace_id'] as string);

  router.get('/:org/:stream/traces/latest', async (req, res) => {
    const { org } = orgContext(req);
    const stream = streamParam(req.params);
    const query = latestQueryFromRequest(req);
    res.json(await traces().latest(org, stream, query));
  });

  router.get('/:org/:stream/traces/latest_stream', async (req, res) => {
    const { org } = orgContext(req);
    const stream = streamParam(req.params);
    const query = latestQueryFromRequest(req);
    const reader = traces();
    const window = { sql: '', startTime: query.startTime, endTime: query.endTime };
    await sendSearchStream(req, res, window, () => reader.latest(org, stream, query), deps.logger);
  });

  router.get('/:org/:stream/traces/time_range', async (req, res) => {
    const { org } = orgContext(req);
    const stream = streamParam(req.params);
    const traceId = checkTraceId(queryParam(req, 'trace_id'));
    res.json(await traces().timeRange(org, stream, traceId, lookupWindow(req, nowUs())));
  });

  router.get('/:org/:stream/traces/:trace_id/details', async (req, res) => {
    const { org } = orgContext(req);
    const stream = streamParam(req.params);
    const traceId = traceIdParam(req);
    res.json(await traces().details(org, stream, traceId, lookupWindow(req, nowUs())));
  });

  router.get('/:org/:stream/traces/:trace_id/dag', async (req, res) => {
    const { org } = orgContext(req);
    const stream = streamParam(req.params);
    const traceId = traceIdParam(req);
    res.json(await traces().dag(org, stream, traceId, lookupWindow(req, nowUs())));
  });

  router.get('/:org/traces/service_graph/topology/current', async (req, res) => {
    const { org } = orgContext(req);
    const stream = streamParam({ stream: queryParam(req, 'stream') ?? 'default' });
    res.json(await traces().serviceGraph(org, stream, requiredWindow(req)));
  });

  return router;
}
