import express, { Router } from 'express';
import type { Request, RequestHandler, Response } from 'express';
import type { PromAnswer, PromSeriesQuery, PromqlService } from '@o2/domain';
import { AppError } from '@o2/errors';
import { orgContext } from '../../auth/auth-context.js';
import type { RouteDeps } from '../route-deps.js';
import {
  durationParam,
  invalidParam,
  limitParam,
  param,
  paramValues,
  timeParam,
} from './prom-params.js';
import { sendError, sendSuccess } from './prom-response.js';

/** Prometheus's API refuses range queries with more steps than this per series. */
const MAX_STEPS = 11_000;
/** series/labels/values without `start`: O2 looks back one day from `end`. */
const DEFAULT_LOOKBACK_MS = 24 * 3_600_000;

/** What `status/buildinfo` reports: the Prometheus API version this one follows. */
const BUILD_INFO = {
  version: '3.5.0',
  revision: 'o2ts',
  branch: '',
  buildUser: 'o2ts',
  buildDate: '',
  goVersion: '',
};

function requirePromql(promql: PromqlService | undefined): PromqlService {
  if (promql === undefined)
    throw new AppError('UNAVAILABLE', 'No querier is available', { retryAfterSeconds: 1 });
  return promql;
}

/**
 * Form bodies as Prometheus clients send them (Grafana, promtool: POST
 * application/x-www-form-urlencoded); a POST without a Content-Type is read as a form too, as
 * O2's middleware does for Prometheus's sake.
 */
function formBody(limitBytes: number): RequestHandler {
  return express.urlencoded({
    extended: false,
    limit: limitBytes,
    parameterLimit: 10_000,
    type: (req) =>
      req.headers['content-type'] === undefined ||
      /^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type']),
  });
}

/** Prometheus's `lookback_delta` (a positive duration; absent or 0: the default 5 m). */
function lookbackDelta(req: Request): { lookbackDeltaMs?: number } {
  const ms = durationParam(req, 'lookback_delta');
  if (ms !== undefined && ms < 0)
    throw invalidParam('lookback_delta', 'lookback delta must not be negative');
  return ms === undefined || ms === 0 ? {} : { lookbackDeltaMs: ms };
}

function seriesQuery(req: Request, now: number): PromSeriesQuery {
  const endMs = timeParam(req, 'end', now);
  const startMs = timeParam(req, 'start', endMs - DEFAULT_LOOKBACK_MS);
  const limit = limitParam(req);
  return {
    matchers: paramValues(req, 'match[]'),
    startMs,
    endMs,
    ...(limit === undefined ? {} : { limit }),
  };
}

/**
 * The Prometheus HTTP API under `/api/{org}/prometheus/api/v1/` (O2-CONTRACT §8.5), so Grafana's
 * Prometheus datasource and promtool work against `/api/{org}/prometheus`. Parameters are
 * checked here with Prometheus's wording; the PromqlService (in-process querier or a client)
 * answers; every answer and error is in Prometheus's envelope, not O2's.
 */
export function prometheusRoutes(deps: RouteDeps): Router {
  const router = Router();
  const base = '/:org/prometheus/api/v1';
  const form = formBody(deps.config.ZO_PAYLOAD_LIMIT);

  /** Registers GET (and POST with a form body) for one endpoint, answering in the envelope. */
  const endpoint = (
    path: string,
    methods: ReadonlyArray<'get' | 'post'>,
    answer: (req: Request, promql: () => PromqlService, org: string) => Promise<PromAnswer>,
  ) => {
    // The service is asked for only once the parameters are checked: a bad request is
    // bad_data whether or not a querier is available.
    const promql = () => requirePromql(deps.promql);
    const handler = async (req: Request, res: Response) => {
      try {
        const { org } = orgContext(req);
        sendSuccess(res, await answer(req, promql, org));
      } catch (error) {
        sendError(res, error, deps.logger);
      }
    };
    for (const method of methods) {
      if (method === 'get') router.get(`${base}${path}`, handler);
      else router.post(`${base}${path}`, form, handler);
    }
  };
  const both = ['get', 'post'] as const;

  endpoint('/query', both, (req, promql, org) => {
    const timeMs = timeParam(req, 'time', deps.now());
    const timeoutMs = durationParam(req, 'timeout');
    return promql().query(org, {
      query: param(req, 'query'),
      timeMs,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...lookbackDelta(req),
    });
  });

  endpoint('/query_range', both, (req, promql, org) => {
    const startMs = timeParam(req, 'start');
    const endMs = timeParam(req, 'end');
    if (endMs < startMs) throw invalidParam('end', 'end timestamp must not be before start time');
    const stepMs = durationParam(req, 'step');
    if (stepMs === undefined) throw invalidParam('step', 'cannot parse "" to a valid duration');
    if (!(stepMs > 0))
      throw invalidParam(
        'step',
        'zero or negative query resolution step widths are not accepted. Try a positive integer',
      );
    if ((endMs - startMs) / stepMs > MAX_STEPS)
      throw AppError.invalidArgument(
        'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
      );
    const timeoutMs = durationParam(req, 'timeout');
    return promql().queryRange(org, {
      query: param(req, 'query'),
      startMs,
      endMs,
      stepMs,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...lookbackDelta(req),
    });
  });

  endpoint('/query_exemplars', both, (req, promql, org) => {
    const endMs = timeParam(req, 'end', deps.now());
    const startMs = timeParam(req, 'start', endMs - DEFAULT_LOOKBACK_MS);
    if (endMs < startMs) throw invalidParam('end', 'end timestamp must not be before start time');
    return promql().exemplars(org, { query: param(req, 'query'), startMs, endMs });
  });

  endpoint('/series', both, (req, promql, org) =>
    promql().series(org, seriesQuery(req, deps.now())),
  );
  endpoint('/labels', both, (req, promql, org) =>
    promql().labels(org, seriesQuery(req, deps.now())),
  );
  endpoint('/label/:name/values', ['get'], (req, promql, org) =>
    promql().labelValues(org, String(req.params['name']), seriesQuery(req, deps.now())),
  );

  endpoint('/metadata', ['get'], (req, promql, org) => {
    const limit = limitParam(req);
    const perMetric = param(req, 'limit_per_metric');
    const limitPerMetric = /^\d+$/.test(perMetric) ? Number(perMetric) : undefined;
    if (perMetric !== '' && limitPerMetric === undefined)
      throw invalidParam('limit_per_metric', `cannot parse ${JSON.stringify(perMetric)}`);
    const metric = param(req, 'metric');
    return promql().metadata(org, {
      ...(metric === '' ? {} : { metric }),
      ...(limit === undefined ? {} : { limit }),
      ...(limitPerMetric === undefined ? {} : { limitPerMetric }),
    });
  });

  endpoint('/format_query', both, (req, promql) => promql().formatQuery(param(req, 'query')));

  endpoint('/status/buildinfo', ['get'], () => Promise.resolve({ data: BUILD_INFO }));

  return router;
}
