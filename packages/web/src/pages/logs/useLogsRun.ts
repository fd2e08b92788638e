import { useCallback, useEffect, useRef, useState } from 'react';
import type { SearchResponse } from '@o2/api-schemas';
import { api } from '../../api/endpoints';
import { searchStream } from '../../api/search-stream';
import { fillBuckets, histogramInterval, toBuckets } from './histogram-buckets';
import type { Bucket } from './histogram-buckets';
import { PageCursor, addBuckets, partitionProfile } from './partition-run';
import type { QueryProfile } from './partition-run';

type Hit = Record<string, unknown>;

export interface LogsRun {
  status: 'idle' | 'running' | 'done' | 'cancelled' | 'error';
  error?: string;
  hits: Hit[];
  total: number;
  took: number;
  /** Partitions searched of all planned. */
  progress: { done: number; total: number };
  histogram?: { buckets: Bucket[]; intervalUs: number };
  profile: QueryProfile;
}

export interface RunRequest {
  sql: string;
  start: number;
  end: number;
  from: number;
  size: number;
  /** Split the range with `_search_partition` (quick mode; SQL mode runs as one search). */
  partitioned: boolean;
  /** An auto-refresh: the rows on screen stay until the new ones are ready. */
  refresh?: boolean;
  /** The histogram's SQL for an interval; `keep` leaves the bars as they are (paging). */
  histogramSql?: ((interval: string) => string) | 'keep';
}

const IDLE: LogsRun = {
  status: 'idle',
  hits: [],
  total: 0,
  took: 0,
  progress: { done: 0, total: 0 },
  profile: { partitions: [] },
};
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * A logs search as O2's UI runs it: `_search_partition` plans slices of the range, newest first;
 * each slice is searched over `_search_stream` (rows show as their batches arrive) with its
 * histogram counts, so rows and bars fill in partition by partition. A new run or `cancel()`
 * aborts the one in flight and keeps what already arrived.
 */
export function useLogsRun(org: string): {
  run: LogsRun;
  start: (request: RunRequest) => void;
  cancel: () => void;
} {
  const [run, setRun] = useState<LogsRun>(IDLE);
  const inFlight = useRef<AbortController | undefined>(undefined);
  useEffect(() => () => inFlight.current?.abort(), []);

  const start = useCallback(
    (request: RunRequest) => {
      inFlight.current?.abort();
      const controller = new AbortController();
      const { signal } = controller;
      inFlight.current = controller;
      const interval = histogramInterval(request.start, request.end);
      const intervalUs = interval.seconds * 1e6;
      const fresh = (previous: LogsRun): LogsRun => ({
        ...IDLE,
        status: 'running',
        histogram:
          request.histogramSql === 'keep'
            ? previous.histogram
            : request.histogramSql === undefined
              ? undefined
              : {
                  buckets: fillBuckets([], request.start, request.end, intervalUs),
                  intervalUs,
                },
      });
      // A refresh builds its answer out of sight and shows it once its first partition is whole
      // (or it ends), so the rows on screen, the scroll and the bars do not blink (#8871).
      let staged: LogsRun | undefined;
      const update = (change: (r: LogsRun) => LogsRun) => {
        if (inFlight.current !== controller) return;
        if (staged === undefined) return setRun(change);
        staged = change(staged);
        if (staged.progress.done > 0 || staged.status !== 'running') {
          const whole = staged;
          staged = undefined;
          setRun(whole);
        }
      };
      signal.addEventListener('abort', () => {
        // Cancelling a refresh keeps what is on screen.
        staged = undefined;
        update((r) => (r.status === 'running' ? { ...r, status: 'cancelled' } : r));
      });
      if (request.refresh === true) {
        staged = fresh(IDLE);
        setRun((previous) => ({ ...previous, status: 'running' }));
      } else setRun(fresh);

      const searchPartition = async (range: [number, number], cursor: PageCursor) => {
        const { from, size } = cursor.next();
        const query = {
          sql: request.sql,
          start_time: range[0],
          end_time: range[1],
          from,
          size,
          track_total_hits: true,
        };
        let meta: SearchResponse | undefined;
        let received = 0;
        const histogramSql = request.histogramSql;
        const histogram =
          histogramSql === undefined || histogramSql === 'keep'
            ? Promise.resolve()
            : api
                .search(
                  org,
                  {
                    sql: histogramSql(interval.text),
                    start_time: range[0],
                    end_time: range[1],
                    from: 0,
                    size: -1,
                  },
                  signal,
                )
                .then((data) => {
                  const found = toBuckets(data.hits);
                  update((r) =>
                    r.histogram === undefined
                      ? r
                      : {
                          ...r,
                          histogram: {
                            ...r.histogram,
                            buckets: addBuckets(r.histogram.buckets, found),
                          },
                        },
                  );
                });
        // The partition is asked from the rows still to skip, so every row it sends belongs to
        // the page (none once the page is full: it is then asked for its total only).
        const wanting = cursor.wanting;
        const hits = searchStream(org, query, signal, {
          onMetadata: (results) => (meta = results),
          onHits: (batch) => {
            if (!wanting) return;
            const rows = batch.slice(0, Math.max(0, size - received));
            received += rows.length;
            update((r) => ({ ...r, hits: [...r.hits, ...rows] }));
          },
        });
        // Awaited below; a failure while the rows are still coming is not left unhandled.
        histogram.catch(() => undefined);
        await hits;
        if (meta === undefined) throw new Error('the search sent no answer');
        const results: SearchResponse = meta;
        cursor.record(results.total, received);
        // The counts show once the rows' answer is whole, even if the bars are still coming.
        update((r) => ({
          ...r,
          total: r.total + results.total,
          took: r.took + results.took,
          profile: {
            ...r.profile,
            partitions: [...r.profile.partitions, partitionProfile(range, results)],
          },
        }));
        await histogram;
        update((r) => ({ ...r, progress: { ...r.progress, done: r.progress.done + 1 } }));
      };

      void (async () => {
        try {
          let partitions: Array<[number, number]> = [[request.start, request.end]];
          if (request.partitioned) {
            const plan = await api.searchPartition(
              org,
              { sql: request.sql, start_time: request.start, end_time: request.end },
              signal,
            );
            if (plan.partitions.length > 0) partitions = plan.partitions;
            update((r) => ({
              ...r,
              profile: {
                ...r.profile,
                plan: {
                  files: plan.file_num,
                  records: plan.records,
                  originalSize: plan.original_size,
                  compressedSize: plan.compressed_size,
                },
              },
            }));
          }
          update((r) => ({ ...r, progress: { done: 0, total: partitions.length } }));
          const cursor = new PageCursor(request.from, request.size);
          for (const range of partitions) {
            if (signal.aborted) return;
            await searchPartition(range, cursor);
          }
          update((r) => ({ ...r, status: 'done' }));
        } catch (error) {
          if (signal.aborted) return;
          update((r) => ({ ...r, status: 'error', error: message(error) }));
        }
      })();
    },
    [org],
  );

  const cancel = useCallback(() => inFlight.current?.abort(), []);
  return { run, start, cancel };
}
