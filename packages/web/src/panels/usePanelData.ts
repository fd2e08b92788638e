import { useEffect, useState } from 'react';
import type { Panel } from '@o2/dashboards';
import { runPanel } from './run-panel';
import type { PanelRun } from './run-panel';
import type { ChartData } from './series';

export type PanelState =
  | { status: 'loading'; data?: ChartData }
  | { status: 'ready'; data: ChartData }
  | { status: 'error'; error: string };

/**
 * Runs a panel's queries whenever `key` changes (the caller folds the panel, range, variables
 * and refresh count into it); a newer run aborts the older one.
 */
export function usePanelData(panel: Panel, run: Omit<PanelRun, 'signal'>, key: string): PanelState {
  const [state, setState] = useState<PanelState>({ status: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ status: 'loading', ...(s.status === 'ready' ? { data: s.data } : {}) }));
    runPanel(panel, { ...run, signal: controller.signal }).then(
      (data) => !controller.signal.aborted && setState({ status: 'ready', data }),
      (error: unknown) =>
        !controller.signal.aborted &&
        setState({
          status: 'error',
          error: error instanceof Error ? error.message : String(error),
        }),
    );
    return () => controller.abort();
    // `key` stands for everything the run depends on.
  }, [key]);
  return state;
}
