import { useCallback, useEffect, useRef, useState } from 'react';
import type { DashboardV8 } from '@o2/dashboards';
import { dashboardsApi } from '../../api/dashboards';
import type { LoadedDashboard } from '../../api/dashboards';

export type DashboardState =
  | { status: 'loading' }
  | { status: 'error'; error: string }
  | { status: 'ready'; loaded: LoadedDashboard };

/**
 * One dashboard and its writes: each save sends the hash of the version it saw and keeps the
 * new one, so a concurrent edit elsewhere surfaces as the server's conflict, not a lost update.
 * Saves are shown at once and written one after another, each with the hash the write before
 * it returned: a resize right after a drag (two saves while the first is in flight) used to
 * send the stale hash — a 409 — and a document without the drag.
 */
export function useDashboard(org: string, id: string) {
  const [state, setState] = useState<DashboardState>({ status: 'loading' });
  /** The version the server last confirmed (what a failed write falls back to). */
  const confirmed = useRef<LoadedDashboard | undefined>(undefined);
  /** The writes so far, chained: the next one starts when this settles. */
  const writes = useRef<Promise<unknown>>(Promise.resolve());
  const queued = useRef(0);
  useEffect(() => {
    let current = true;
    dashboardsApi.get(org, id).then(
      (loaded) => {
        if (!current) return;
        confirmed.current = loaded;
        setState({ status: 'ready', loaded });
      },
      (e: unknown) =>
        current && setState({ status: 'error', error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      current = false;
    };
  }, [org, id]);

  const save = useCallback(
    (next: DashboardV8): Promise<LoadedDashboard> => {
      if (state.status !== 'ready') return Promise.reject(new Error('Dashboard not loaded'));
      setState((s) =>
        s.status === 'ready' ? { status: 'ready', loaded: { ...s.loaded, dashboard: next } } : s,
      );
      const ticket = ++queued.current;
      const write = writes.current
        .catch(() => undefined)
        .then(async () => {
          const base = confirmed.current ?? state.loaded;
          try {
            const loaded = await dashboardsApi.update(org, id, base.hash, next);
            confirmed.current = loaded;
            // A later save already shows its own document: only the last write's answer is shown.
            if (ticket === queued.current) setState({ status: 'ready', loaded });
            return loaded;
          } catch (error) {
            if (ticket === queued.current) setState({ status: 'ready', loaded: base });
            throw error;
          }
        });
      writes.current = write;
      return write;
    },
    [org, id, state],
  );
  return { state, save };
}
