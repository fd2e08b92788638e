import { Router } from 'express';
import { resolveStreamName } from '@o2/domain';
import { AppError, toHttpErrorResponse } from '@o2/errors';
import { parseTailFilter } from '@o2/live-tail';
import { orgContext } from '../auth/auth-context.js';
import { pathParam } from '../http/path-param.js';
import { queryParam } from '../http/query-params.js';
import { sseFrame, writeSse } from '../http/sse.js';
import type { RouteDeps } from './route-deps.js';
import { searchStreamKind } from './search-request.js';

/**
 * `GET /api/{org}/{stream}/_tail?type=logs&filter=<where>`: live tail as Server-Sent Events
 * (beyond O2, whose UI only re-runs the query). Events: `ready` once every ingester has
 * subscribed (rows acknowledged after it are never missed), `rows` (`{hits: […]}`, the rows
 * each ingester acknowledged, filtered there), `dropped` (`{dropped: n}`: rows lost because this
 * client read too slowly — memory stays bounded instead), `heartbeat` while quiet. It runs
 * until the client leaves, which cancels the subscriptions. The filter is a restricted WHERE
 * (`@o2/live-tail`), parsed here first so a bad one is a 400 before the stream starts; it is
 * never turned into SQL. Same access as a search: any member of the org. `closing` (the server
 * shutting down) ends every session so the drain does not wait for them.
 */
export function liveTailRoutes(deps: RouteDeps, closing?: AbortSignal): Router {
  const router = Router();

  router.get('/:org/:stream/_tail', async (req, res) => {
    const { org } = orgContext(req);
    const type = searchStreamKind(req);
    // Resolved as ingest resolves it: rows are published under the stored name.
    const stream = resolveStreamName(pathParam(req.params, 'stream'), {
      toLowercase: deps.config.ZO_FORMAT_STREAM_NAME_TO_LOWERCASE,
      skip: deps.config.ZO_SKIP_FORMAT_STREAM_NAME,
    });
    const filter = queryParam(req, 'filter') ?? '';
    parseTailFilter(filter);
    if (deps.tail === undefined) throw new AppError('UNAVAILABLE', 'No ingester is available');

    const abort = new AbortController();
    const end = () => abort.abort();
    res.on('close', end);
    closing?.addEventListener('abort', end);
    const session = deps.tail.tail({ org, type, stream, filter }, abort.signal);
    const rows = session[Symbol.asyncIterator]();
    try {
      // The subscription first: a refusal (too many sessions, a filter an ingester rejects) is
      // still an HTTP status in O2's error shape, not an event after a 200.
      await rows.next();
    } catch (error) {
      closing?.removeEventListener('abort', end);
      abort.abort();
      throw error;
    }
    res.status(200).set({
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    try {
      if (await writeSse(res, sseFrame('ready', { org, stream, type }))) {
        for (let step = await rows.next(); step.done !== true; step = await rows.next()) {
          const batch = step.value;
          let text = '';
          if (batch.dropped > 0) text += sseFrame('dropped', { dropped: batch.dropped });
          if (batch.rows.length > 0)
            text += `event: rows\ndata: {"hits":[${batch.rows.join(',')}]}\n\n`;
          if (text === '') text = sseFrame('heartbeat', {});
          if (!(await writeSse(res, text))) break;
        }
      }
    } catch (error) {
      if (!abort.signal.aborted) {
        const response = toHttpErrorResponse(error);
        if (response.status >= 500) deps.logger.error({ err: error, org, stream }, 'tail failed');
        await writeSse(res, sseFrame('error', response.body));
      }
    } finally {
      closing?.removeEventListener('abort', end);
      abort.abort();
      // Ends the source's generator (its subscriptions), even when the loop left early.
      await rows.return?.();
      if (!res.writableEnded) res.end();
    }
  });

  return router;
}
