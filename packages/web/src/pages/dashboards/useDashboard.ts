import { useCallback, useEffect, useState } from 'react';
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
 */
export function useDashboard(org: string, id: string) {
  const [state, setState] = useState<DashboardState>({ status: 'loading' });
  useEffect(() => {
    let current = true;
    dashboardsApi.get(org, id).then(
      (loaded) => current && setState({ status: 'ready', loaded }),
      (e: unknown) =>
        current && setState({ status: 'error', error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      current = false;
    };
  }, [org, id]);

  const save = useCallback(
    async (next: DashboardV8) => {
      if (state.status !== 'ready') throw new Error('Dashboard not loaded');
      const loaded = await dashboardsApi.update(org, id, state.loaded.hash, next);
      setState({ status: 'ready', loaded });
      return loaded;
    },
    [org, id, state],
  );
  return { state, save };
}
