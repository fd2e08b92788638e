import { useCallback, useRef, useState } from 'react';
import type { TraceSummary } from '@o2/api-schemas';
import { tracesApi } from '../../api/traces';
import type { Window } from '../../api/traces';
import type { ScatterPoint } from './DurationScatter';
import { scatterSql } from './trace-urls';

/** How many traces the scatter plots at most (the newest). */
const SCATTER_LIMIT = 1000;

export interface TracesRun {
  status: 'idle' | 'running' | 'done' | 'error' | 'cancelled';
  hits: TraceSummary[];
  total: number;
  took: number;
  points: ScatterPoint[];
  error?: string;
}

export interface TracesQuery {
  stream: string;
  filter: string;
  window: Window;
  from: number;
  size: number;
  /** Paging re-reads the list only; the scatter stays. */
  listOnly?: boolean;
}

const num = (v: unknown) => (typeof v === 'number' ? v : Number(v ?? 0));

/**
 * One search of the traces page: a page of `/traces/latest` and, unless paging, the scatter's
 * points (one `_search` row per trace) in parallel. A new run or Cancel aborts the one in flight.
 */
export function useTracesRun(org: string) {
  const [run, setRun] = useState<TracesRun>({
    status: 'idle',
    hits: [],
    total: 0,
    took: 0,
    points: [],
  });
  const inFlight = useRef<AbortController | undefined>(undefined);

  const start = useCallback(
    (q: TracesQuery) => {
      inFlight.current?.abort();
      const controller = new AbortController();
      inFlight.current = controller;
      setRun((r) => ({ ...r, status: 'running', error: undefined }));
      const page = tracesApi.latest(
        org,
        q.stream,
        { ...q.window, filter: q.filter, from: q.from, size: q.size },
        controller.signal,
      );
      const scatter = q.listOnly
        ? undefined
        : tracesApi
            .search(org, scatterSql(q.stream, q.filter), q.window, SCATTER_LIMIT, controller.signal)
            .then((answer) =>
              answer.hits.map((h) => ({
                traceId: String(h['trace_id']),
                startNs: num(h['trace_start']),
                durationUs: num(h['trace_ns']) / 1000,
                error: num(h['errors']) > 0,
              })),
            );
      Promise.all([page, scatter]).then(
        ([list, points]) => {
          if (controller.signal.aborted) return;
          setRun((r) => ({
            status: 'done',
            hits: list.hits,
            total: list.total,
            took: list.took,
            points: points ?? r.points,
          }));
        },
        (error: unknown) => {
          if (controller.signal.aborted) return;
          const message = error instanceof Error ? error.message : String(error);
          setRun((r) => ({ ...r, status: 'error', error: message }));
        },
      );
    },
    [org],
  );

  const cancel = useCallback(() => {
    inFlight.current?.abort();
    setRun((r) => (r.status === 'running' ? { ...r, status: 'cancelled' } : r));
  }, []);

  return { run, start, cancel };
}
