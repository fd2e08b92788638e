import type { Config } from '@o2/config';
import type {
  PromAnswer,
  PromInstantQuery,
  PromRangeQuery,
  PromSeriesQuery,
  PromqlService,
} from '@o2/domain';
import { AppError, isAppError } from '@o2/errors';
import type { Logger } from '@o2/logger';
import type { MetaStore } from '@o2/metastore';
import { METRIC_NAME_COLUMN } from '@o2/metrics';
import { PromqlEngine, compareLabels, parsePromql, prettyExpr } from '@o2/promql';
import type { Expr, Labels, Matcher, QueryResult } from '@o2/promql';
import { metricExemplars } from './exemplars.js';

import { metricMetadata } from './metadata.js';
import { MetricSeriesSource, microsRange } from './metric-series-source.js';
import type { MetricRowReader } from './metric-series-source.js';
import type { QueryLeader } from '../query-leader.js';
import { labelMatchers, metricStreamsFor } from './metric-streams.js';
import { labelsJson, queryDataJson } from './prom-json.js';
import { labelNamesSql, labelValuesSql, whereClause } from './selector-sql.js';

export interface PromqlApiDeps {
  config: Config;
  logger: Logger;
  metaStore: MetaStore;
  /** The querier's own search path: hot and stored rows, split over the cluster's queriers. */
  search: Pick<QueryLeader, 'search'>;
}

/** Prometheus's wording for parameter problems: `invalid parameter "query": <reason>`. */
export function invalidParam(name: string, err: unknown): AppError {
  if (isAppError(err) && err.code === 'INVALID_ARGUMENT')
    return new AppError('INVALID_ARGUMENT', `invalid parameter "${name}": ${err.message}`, {
      cause: err,
    });
  return isAppError(err) ? err : AppError.internal('promql failed', err);
}

function parseQuery(query: string): Expr {
  try {
    return parsePromql(query);
  } catch (err) {
    throw invalidParam('query', err);
  }
}

/** `match[]` values: each must be a plain series selector. */
export function parseMatchers(selectors: readonly string[]): Matcher[][] {
  return selectors.map((text) => {
    let expr: Expr;
    try {
      expr = parsePromql(text);
    } catch (err) {
      throw invalidParam('match[]', err);
    }
    if (expr.type !== 'vectorSelector')
      throw AppError.invalidArgument(
        `invalid parameter "match[]": ${JSON.stringify(text)} is not a series selector`,
      );
    return [...expr.matchers];
  });
}

/** Runs `work` with the query's deadline: the client's `timeout` within ZO_QUERY_TIMEOUT. */
async function withDeadline<T>(timeoutMs: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new AppError('DEADLINE_EXCEEDED', 'query timed out in query execution')),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

function truncated<T>(items: T[], limit: number | undefined): PromAnswer {
  if (limit === undefined || limit <= 0 || items.length <= limit) return { data: items };
  return { data: items.slice(0, limit), warnings: ['results truncated due to limit'] };
}

/**
 * The Prometheus HTTP API's answers (O2-CONTRACT §8.5) for one querier: PromQL evaluated by
 * `@o2/promql` over the org's metric streams (`MetricSeriesSource`), series and label lookups as
 * grouped SQL over the same search path. The router wraps each answer in the envelope.
 */
export function createPromqlApi(deps: PromqlApiDeps): PromqlService {
  const { config, metaStore, search } = deps;
  const limits = {
    maxSeries: config.ZO_METRICS_MAX_SERIES_RESPONSE,
    maxPointsPerSeries: config.ZO_METRICS_MAX_POINTS_PER_SERIES,
  };
  const rowsOf =
    (org: string): MetricRowReader =>
    async (sql, range, options) => {
      const answer = await search.search(
        org,
        'metrics',
        { sql, startTime: range.startTs, endTime: range.endTs },
        options,
      );
      return (answer['hits'] as Array<Record<string, unknown>> | undefined) ?? [];
    };
  const sourceOf = (org: string) =>
    new MetricSeriesSource({
      org,
      metaStore,
      rows: rowsOf(org),
      limits,
      dashboardPlaceholder: config.ZO_DASHBOARD_PLACEHOLDER,
    });
  const engineOf = (org: string, lookbackDeltaMs: number | undefined) =>
    new PromqlEngine(sourceOf(org), lookbackDeltaMs === undefined ? {} : { lookbackDeltaMs });
  const deadline = (timeoutMs: number | undefined) =>
    Math.min(timeoutMs ?? Infinity, config.ZO_QUERY_TIMEOUT * 1000);

  const evaluate = async (run: () => Promise<QueryResult>): Promise<PromAnswer> => {
    let result: QueryResult;
    try {
      result = await run();
    } catch (err) {
      throw invalidParam('query', err);
    }
    const warnings = [...result.warnings];
    return {
      data: queryDataJson(result),
      ...(warnings.length > 0 ? { warnings } : {}),
      ...(result.infos.length > 0 ? { infos: result.infos } : {}),
    };
  };

  /** Distinct label sets over every `match[]` (the union, each set once), sorted. */
  const seriesOf = async (org: string, query: PromSeriesQuery): Promise<Labels[]> => {
    const source = sourceOf(org);
    const range = { startMs: query.startMs, endMs: query.endMs };
    const seen = new Map<string, Labels>();
    for (const matchers of parseMatchers(query.matchers))
      for (const labels of await source.seriesLabels(matchers, range)) seen.set(labels.key, labels);
    return [...seen.values()].sort(compareLabels);
  };

  return {
    async query(org: string, q: PromInstantQuery) {
      const expr = parseQuery(q.query);
      const engine = engineOf(org, q.lookbackDeltaMs);
      return evaluate(() =>
        withDeadline(deadline(q.timeoutMs), engine.instantQuery(expr, q.timeMs)),
      );
    },

    async queryRange(org: string, q: PromRangeQuery) {
      const expr = parseQuery(q.query);
      const engine = engineOf(org, q.lookbackDeltaMs);
      return evaluate(() =>
        withDeadline(deadline(q.timeoutMs), engine.rangeQuery(expr, q.startMs, q.endMs, q.stepMs)),
      );
    },

    async series(org: string, q: PromSeriesQuery) {
      if (q.matchers.length === 0) throw AppError.invalidArgument('no match[] parameter provided');
      const all = await seriesOf(org, q);
      return truncated(all.map(labelsJson), q.limit);
    },

    async labels(org: string, q: PromSeriesQuery) {
      const names = new Set<string>();
      const range = microsRange({ startMs: q.startMs, endMs: q.endMs });
      if (q.matchers.length === 0) {
        // Every metric stream's label columns, from the schemas: Grafana asks this on every
        // editor load, and one SQL query per metric stream of the org would not scale.
        for (const shape of await metricStreamsFor(metaStore, org, []))
          for (const name of shape.labels) names.add(name);
        return truncated([...names].sort(), q.limit);
      }
      for (const matchers of parseMatchers(q.matchers)) {
        for (const shape of await metricStreamsFor(metaStore, org, matchers)) {
          const where = whereClause(labelMatchers(matchers), shape);
          if (where === undefined) continue;
          const [row] = await rowsOf(org)(labelNamesSql(shape, where), range);
          shape.labels.forEach((name, i) => {
            if (Number(row?.[`n${i}`] ?? 0) > 0) names.add(name);
          });
        }
      }
      return truncated([...names].sort(), q.limit);
    },

    async labelValues(org: string, label: string, q: PromSeriesQuery) {
      if (label === '' || label.includes('\0'))
        throw AppError.invalidArgument(`invalid label name: ${JSON.stringify(label)}`);
      const values = new Set<string>();
      const range = microsRange({ startMs: q.startMs, endMs: q.endMs });
      if (q.matchers.length === 0 && label === METRIC_NAME_COLUMN) {
        // Metric names are stream names: the metastore knows them without reading any data.
        const streams = await metaStore.streams.list(org, 'metrics');
        return truncated(streams.map((s) => s.name).sort(), q.limit);
      }
      const selectors = q.matchers.length === 0 ? [[]] : parseMatchers(q.matchers);
      for (const matchers of selectors) {
        for (const shape of await metricStreamsFor(metaStore, org, matchers)) {
          const where = whereClause(labelMatchers(matchers), shape);
          if (where === undefined || !shape.labels.includes(label)) continue;
          const rows = await rowsOf(org)(
            labelValuesSql(shape, label, where, limits.maxSeries + 1),
            range,
          );
          for (const row of rows) if (typeof row['v'] === 'string') values.add(row['v']);
          if (values.size > limits.maxSeries)
            throw new AppError(
              'UNPROCESSABLE',
              `too many values for label ${JSON.stringify(label)} (more than ${limits.maxSeries}, ZO_METRICS_MAX_SERIES_RESPONSE)`,
            );
        }
      }
      return truncated([...values].sort(), q.limit);
    },

    async metadata(org, q) {
      return { data: await metricMetadata(metaStore, org, q) };
    },

    async exemplars(org, q) {
      const expr = parseQuery(q.query);
      return { data: await metricExemplars(expr, q, { org, metaStore, rows: rowsOf(org) }) };
    },

    formatQuery(query: string) {
      return Promise.resolve({ data: prettyExpr(parseQuery(query)) });
    },
  };
}
