import { AppError, SEARCH_ERROR, searchError } from '@o2/errors';
import type { HotDataService, IngestService, QueryService, ScanService } from '@o2/proto';
import type { ServiceImpl } from '../service-types.js';

/** What the test services saw, so tests assert on the server's side of a call too. */
export interface Recorder {
  /** Calls per `request_id` / `query_id`. */
  calls: Map<string, number>;
  /** Resolves with the abort reason once a handler's signal aborted. */
  aborted: Promise<unknown>;
  authorization: (string | undefined)[];
}

const count = (recorder: Recorder, key: string): number => {
  const n = (recorder.calls.get(key) ?? 0) + 1;
  recorder.calls.set(key, n);
  return n;
};

/**
 * Real services over the generated descriptors, steered by the request: `org` picks the
 * behaviour of Ingest, `query_id` that of Search and HotData.
 */
export function testServices(): {
  recorder: Recorder;
  ingest: ServiceImpl<typeof IngestService>;
  query: ServiceImpl<typeof QueryService>;
  scan: ServiceImpl<typeof ScanService>;
  hotData: ServiceImpl<typeof HotDataService>;
} {
  let signalAborted: (reason: unknown) => void = () => undefined;
  const recorder: Recorder = {
    calls: new Map(),
    aborted: new Promise((resolve) => (signalAborted = resolve)),
    authorization: [],
  };

  const ingest: ServiceImpl<typeof IngestService> = {
    async ingest(request, context) {
      recorder.authorization.push(context.header('authorization'));
      const n = count(recorder, request.requestId);
      switch (request.org) {
        case 'missing':
          throw AppError.notFound(`organization ${request.org} not found`);
        case 'busy':
          throw new AppError('UNAVAILABLE', 'memtable full', {
            retryAfterSeconds: 2,
            details: 'ingester über its memory limit',
          });
        case 'flaky':
          if (n === 1) throw new AppError('UNAVAILABLE', 'warming up');
          break;
        case 'crash':
          throw new TypeError('cannot read properties of undefined');
        case 'slow':
          await new Promise<void>((resolve) => {
            context.signal.addEventListener('abort', () => {
              signalAborted(context.signal.reason);
              resolve();
            });
          });
          throw context.signal.reason;
      }
      const records = new TextDecoder().decode(request.body).split('\n').filter(Boolean).length;
      return {
        result: {
          case: 'response',
          value: { code: 200, status: [{ name: request.stream, successful: BigInt(records) }] },
        },
      };
    },
  };

  const json = (value: unknown) => ({ bodyJson: new TextEncoder().encode(JSON.stringify(value)) });
  const query: ServiceImpl<typeof QueryService> = {
    query(request) {
      const query = request.query;
      if (query === undefined) return Promise.reject(AppError.invalidArgument('query is required'));
      if (query.sql.includes('missing_stream'))
        return Promise.reject(AppError.notFound('stream missing_stream not found'));
      if (query.sql.includes('SELEC '))
        return Promise.reject(searchError(SEARCH_ERROR.invalidSql, 'syntax error at "SELEC"'));
      return Promise.resolve(
        json({ took: 1, hits: [{ sql: query.sql, size: Number(query.size ?? -1) }], total: 1 }),
      );
    },
    values: (request) => Promise.resolve(json({ stream: request.stream, values: [] })),
    around: (request) =>
      Promise.resolve(json({ filters: Object.keys(request.query?.filters ?? {}) })),
    partition: () => Promise.resolve(json({ partitions: [] })),
  };
  const scan: ServiceImpl<typeof ScanService> = {
    async *search(request) {
      const n = count(recorder, request.queryId);
      await Promise.resolve(); // a real worker awaits its engine before the first batch
      if (request.queryId === 'flaky-before' && n === 1)
        throw new AppError('UNAVAILABLE', 'worker restarting');
      for (const file of request.files) yield { arrowIpc: new TextEncoder().encode(file.file) };
      if (request.queryId === 'flaky-after' && n === 1)
        throw new AppError('UNAVAILABLE', 'worker lost its cache');
      yield { stats: { node: 'worker-1', files: BigInt(request.files.length) } };
    },
  };
  const hotData: ServiceImpl<typeof HotDataService> = {
    async *hotData(request) {
      count(recorder, request.queryId);
      yield await Promise.reject(AppError.notFound(`stream ${request.stream} not found`));
    },
  };

  return { recorder, ingest, query, scan, hotData };
}
