import type { LogsRun } from './useLogsRun';

/** How far a run is: partitions searched of those planned, as a progress bar. */
export function RunProgress({ run }: { run: LogsRun }) {
  const { done, total } = run.progress;
  const percent = total === 0 ? 0 : Math.round((done / total) * 100);
  return (
    <div
      className="run-progress"
      role="progressbar"
      aria-label="Search progress"
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={done}
      aria-busy={run.status === 'running'}
      data-state={run.status}
      data-test="logs-search-progress"
    >
      <div className="run-progress-bar" style={{ width: `${percent}%` }} />
      <span className="run-progress-text" data-test="logs-search-progress-text">
        {total === 0 ? 'Planning…' : `${done} of ${total} partitions`}
        {run.status === 'cancelled' ? ' (cancelled)' : ''}
      </span>
    </div>
  );
}
