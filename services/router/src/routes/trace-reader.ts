import type { SearchResponseBody, SearchService } from '@o2/domain';
import { SEARCH_ERROR, searchError } from '@o2/errors';
import type { MetaStore } from '@o2/metastore';
import {
  latestTracesSql,
  num,
  pairedEdgesSql,
  peerEdgesSql,
  rootSpansSql,
  serviceBreakdownSql,
  serviceGraph,
  serviceNodesSql,
  traceCountSql,
  traceDag,
  traceDagSql,
  traceSpansSql,
  traceSummaries,
  traceTimeRangeSql,
} from '@o2/traces';
import type { Row, ServiceGraph, TraceColumns, TraceDag } from '@o2/traces';
import type { LatestQuery, TimeWindow } from './traces-request.js';

/** No LIMIT: a trace's spans and a page's breakdown are bounded by the trace/page itself. */
const NO_LIMIT = -999;

const hitsOf = (body: SearchResponseBody): Row[] =>
  Array.isArray(body['hits']) ? (body['hits'] as Row[]) : [];

export interface TraceReader {
  latest(org: string, stream: string, query: LatestQuery): Promise<SearchResponseBody>;
  details(org: string, stream: string, traceId: string, w: TimeWindow): Promise<SearchResponseBody>;
  dag(org: string, stream: string, traceId: string, w: TimeWindow): Promise<TraceDag>;
  timeRange(org: string, stream: string, traceId: string, w: TimeWindow): Promise<object>;
  serviceGraph(org: string, stream: string, w: TimeWindow): Promise<ServiceGraph>;
}

/**
 * O2's trace APIs as `_search` queries through the one SearchService — the in-process querier on
 * a single node, a querier over gRPC in a cluster — so they see the same consistent hot + stored
 * snapshot as `_search` and need no RPC of their own. The stream's schema (from the metastore)
 * says which optional §9.1 columns exist, so no query names a column the stream never had.
 */
export function createTraceReader(deps: {
  search: SearchService;
  metaStore: MetaStore;
}): TraceReader {
  const { search, metaStore } = deps;

  const columnsOf = async (org: string, stream: string): Promise<TraceColumns> => {
    const schema = await metaStore.schemas.latest({ org, type: 'traces', name: stream });
    if (schema === undefined || schema.fields.length === 0)
      throw searchError(SEARCH_ERROR.streamNotFound, stream);
    return new Set(schema.fields.map((f) => f.name));
  };

  const run = (org: string, sql: string, w: TimeWindow, page?: { from: number; size: number }) =>
    search.search(org, 'traces', {
      sql,
      startTime: w.startTime,
      endTime: w.endTime,
      from: page?.from ?? 0,
      size: page?.size ?? NO_LIMIT,
    });

  return {
    async latest(org, stream, query) {
      const began = Date.now();
      const columns = await columnsOf(org, stream);
      const sql = latestTracesSql(stream, query.filter, query.sortBy, query.sortOrder);
      const [page, count] = await Promise.all([
        run(org, sql, query, { from: query.from, size: query.size }),
        run(org, traceCountSql(stream, query.filter), query),
      ]);
      const rows = hitsOf(page);
      const ids = rows.map((r) => r['trace_id']).filter((id) => typeof id === 'string');
      const [breakdown, roots] =
        ids.length === 0
          ? [[], []]
          : await Promise.all([
              run(org, serviceBreakdownSql(stream, ids), query).then(hitsOf),
              run(org, rootSpansSql(stream, ids, columns), query).then(hitsOf),
            ]);
      return {
        took: Date.now() - began,
        total: num(hitsOf(count)[0]?.['total']),
        from: query.from,
        size: query.size,
        hits: traceSummaries(rows, breakdown, roots),
      };
    },

    async details(org, stream, traceId, w) {
      await columnsOf(org, stream);
      return run(org, traceSpansSql(stream, traceId), w);
    },

    async dag(org, stream, traceId, w) {
      const columns = await columnsOf(org, stream);
      return traceDag(traceId, hitsOf(await run(org, traceDagSql(stream, traceId, columns), w)));
    },

    async timeRange(org, stream, traceId, w) {
      await columnsOf(org, stream);
      const row = hitsOf(await run(org, traceTimeRangeSql(stream, traceId), w))[0];
      const found = row !== undefined && num(row['span_count']) > 0;
      if (!found) return { stream, trace_id: traceId };
      // µs, half-open like every search window: the end covers the last span's end.
      const endUs = Math.max(num(row['last_ts']), Math.ceil(num(row['trace_end_time']) / 1000));
      return {
        stream,
        trace_id: traceId,
        range: { start_time: num(row['first_ts']), end_time: endUs + 1 },
      };
    },

    async serviceGraph(org, stream, w) {
      const columns = await columnsOf(org, stream);
      const paired = pairedEdgesSql(stream, columns);
      const peer = peerEdgesSql(stream, columns);
      const [nodes, pairs, peers] = await Promise.all([
        run(org, serviceNodesSql(stream), w).then(hitsOf),
        paired === undefined ? [] : run(org, paired, w).then(hitsOf),
        peer === undefined ? [] : run(org, peer, w).then(hitsOf),
      ]);
      return serviceGraph({ stream, ...w }, nodes, pairs, peers);
    },
  };
}
