import { Router } from 'express';
import type { SearchService, StreamKind } from '@o2/domain';
import { AppError } from '@o2/errors';
import { orgContext } from '../auth/auth-context.js';
import { streamParam } from '../http/stream-param.js';
import type { RouteDeps } from './route-deps.js';
import {
  aroundQueryFromRecord,
  aroundQueryFromRequest,
  partitionQueryFromBody,
  searchRequestFromBody,
  searchStreamKind,
  valuesQueryFromRequest,
  valuesStreamRequest,
} from './search-request.js';
import { searchContext } from './search-context.js';
import { multiSearchFromBody, runMultiSearch } from './search-multi.js';
import type { MultiSearch } from './search-multi.js';
import { sendSearchStream } from './search-stream.js';
import { applyQueryFn, compileQueryFn, queryFnParam } from './search-query-fn.js';
import { orgVrlFunctions } from './org-vrl-functions.js';

function requireSearch(search: SearchService | undefined): SearchService {
  if (search === undefined) throw new AppError('UNAVAILABLE', 'No querier is available');
  return search;
}

/**
 * O2's search surface: `_search`, `_search_stream`, `_search_multi[_stream]`,
 * `_search_partition`, `{stream}/_values`,
 * `_values_stream` and `{stream}/_around`. `query_fn` (VRL) runs on the hits here. Requests are parsed and checked here, answered by the SearchService, and
 * its O2 response objects are sent as they are. Failures carrying a search code are rendered by
 * the error handler as `{code: 2000x, message, error_detail}`.
 */
export function searchRoutes(deps: RouteDeps): Router {
  const router = Router();
  /** Checks `search_type` and logs a dashboard panel's ids with its search. */
  const noteContext = (req: Parameters<typeof searchContext>[0], org: string): void => {
    const context = searchContext(req);
    if (context.search_type === 'dashboards')
      deps.logger.info({ org, ...context }, 'dashboard search');
  };

  const flattenLevel = deps.config.ZO_INGEST_FLATTEN_LEVEL;
  /** Runs several queries, each with its own compiled `query_fn` applied to its hits. */
  const multiRun = async (org: string, type: StreamKind, multi: MultiSearch) => {
    const search = requireSearch(deps.search);
    const fns = await Promise.all(
      multi.queryFns.map((source) => compileQueryFn(source, () => orgVrlFunctions(deps, org))),
    );
    return () =>
      runMultiSearch(multi, async (query, i) =>
        applyQueryFn(await search.search(org, type, query), fns[i], flattenLevel),
      );
  };

  router.post('/:org/_search', ...deps.jsonBody, async (req, res) => {
    const { org } = orgContext(req);
    const type = searchStreamKind(req);
    noteContext(req, org);
    const { query, queryFn } = searchRequestFromBody(req.body);
    const fn = await compileQueryFn(queryFn, () => orgVrlFunctions(deps, org));
    const body = await requireSearch(deps.search).search(org, type, query);
    res.json(applyQueryFn(body, fn, flattenLevel));
  });

  router.post('/:org/_search_stream', ...deps.jsonBody, async (req, res) => {
    const { org } = orgContext(req);
    const type = searchStreamKind(req);
    noteContext(req, org);
    const { query, queryFn } = searchRequestFromBody(req.body);
    const fn = await compileQueryFn(queryFn, () => orgVrlFunctions(deps, org));
    const search = requireSearch(deps.search);
    const run = async () => applyQueryFn(await search.search(org, type, query), fn, flattenLevel);
    await sendSearchStream(req, res, query, run, deps.logger);
  });

  // Several queries in one request, answers folded as O2 folds them (search-multi.ts).
  router.post('/:org/_search_multi', ...deps.jsonBody, async (req, res) => {
    const { org } = orgContext(req);
    const type = searchStreamKind(req);
    const run = await multiRun(org, type, multiSearchFromBody(req.body));
    res.json(await run());
  });

  router.post('/:org/_search_multi_stream', ...deps.jsonBody, async (req, res) => {
    const { org } = orgContext(req);
    const type = searchStreamKind(req);
    const multi = multiSearchFromBody(req.body);
    const run = await multiRun(org, type, multi);
    const window = { sql: '', startTime: multi.startTime, endTime: multi.endTime };
    await sendSearchStream(req, res, window, run, deps.logger);
  });

  router.post('/:org/_search_partition', ...deps.jsonBody, async (req, res) => {
    const { org } = orgContext(req);
    const type = searchStreamKind(req);
    noteContext(req, org);
    const query = partitionQueryFromBody(req.body);
    res.json(await requireSearch(deps.search).partition(org, type, query));
  });

  router.get('/:org/:stream/_values', async (req, res) => {
    const { org } = orgContext(req);
    const stream = streamParam(req.params);
    const type = searchStreamKind(req);
    const query = valuesQueryFromRequest(req);
    res.json(await requireSearch(deps.search).values(org, type, stream, query));
  });

  // O2's streamed `_values` (the UI uses it when streaming is on): one field, SSE-framed.
  router.post('/:org/_values_stream', ...deps.jsonBody, async (req, res) => {
    const { org } = orgContext(req);
    const { stream, type, query } = valuesStreamRequest(req, req.body);
    const search = requireSearch(deps.search);
    const window = { sql: '', startTime: query.startTime, endTime: query.endTime };
    await sendSearchStream(
      req,
      res,
      window,
      () => search.values(org, type, stream, query),
      deps.logger,
    );
  });

  router.get('/:org/:stream/_around', async (req, res) => {
    const { org } = orgContext(req);
    const stream = streamParam(req.params);
    const type = searchStreamKind(req);
    const query = aroundQueryFromRequest(req);
    const fn = await queryFnParam(req, () => orgVrlFunctions(deps, org));
    const body = await requireSearch(deps.search).around(org, type, stream, query);
    res.json(applyQueryFn(body, fn, flattenLevel));
  });

  router.post('/:org/:stream/_around', ...deps.jsonBody, async (req, res) => {
    const { org } = orgContext(req);
    const stream = streamParam(req.params);
    const type = searchStreamKind(req);
    const query = aroundQueryFromRecord(req, req.body);
    const fn = await queryFnParam(req, () => orgVrlFunctions(deps, org));
    const body = await requireSearch(deps.search).around(org, type, stream, query);
    res.json(applyQueryFn(body, fn, flattenLevel));
  });

  return router;
}
