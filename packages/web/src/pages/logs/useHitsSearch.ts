import { useCallback, useEffect, useRef, useState } from 'react';
import type { SearchResponse } from '@o2/api-schemas';
import type { SearchQuery } from '../../api/endpoints';
import { searchStream } from '../../api/search-stream';

export type HitsResult =
  | { status: 'idle' | 'running' }
  | { status: 'streaming' | 'done' | 'cancelled'; data: SearchResponse }
  | { status: 'error'; error: string };

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The results search over `_search_stream`: rows show as their batches arrive, a new search or
 * `cancel()` aborts the one in flight (the router stops when the client goes away).
 */
export function useHitsSearch(org: string): {
  result: HitsResult;
  start: (query: SearchQuery) => void;
  cancel: () => void;
  fail: (error: unknown) => void;
} {
  const [result, setResult] = useState<HitsResult>({ status: 'idle' });
  const inFlight = useRef<AbortController | undefined>(undefined);
  useEffect(() => () => inFlight.current?.abort(), []);

  const start = useCallback(
    (query: SearchQuery) => {
      inFlight.current?.abort();
      const controller = new AbortController();
      inFlight.current = controller;
      setResult({ status: 'running' });
      let meta: SearchResponse | undefined;
      let hits: Array<Record<string, unknown>> = [];
      const show = (status: 'streaming' | 'done' | 'cancelled') => {
        if (meta !== undefined) setResult({ status, data: { ...meta, hits } });
      };
      searchStream(org, query, controller.signal, {
        onMetadata: (results) => {
          meta = results;
          show('streaming');
        },
        onHits: (batch) => {
          hits = [...hits, ...batch];
          show('streaming');
        },
      }).then(
        () => {
          if (controller.signal.aborted) return;
          if (meta === undefined)
            setResult({ status: 'error', error: 'the search sent no answer' });
          else show('done');
        },
        (error: unknown) => {
          if (controller.signal.aborted) return;
          setResult({ status: 'error', error: message(error) });
        },
      );
      // Cancel keeps what already arrived.
      controller.signal.addEventListener('abort', () => {
        if (inFlight.current === controller) show('cancelled');
      });
    },
    [org],
  );

  const cancel = useCallback(() => inFlight.current?.abort(), []);
  const fail = useCallback(
    (error: unknown) => setResult({ status: 'error', error: message(error) }),
    [],
  );
  return { result, start, cancel, fail };
}
