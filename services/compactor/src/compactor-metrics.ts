import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';

/** What one compactor pass did, as the leader reports it. */
export interface PassReport {
  mergedFiles: number;
  replacedFiles: number;
  mergeBacklog: number;
  retentionFiles: number;
  rangeDeletionFiles: number;
  purgedFiles: number;
  /** Stream deletions and delete-by-time-range jobs still pending after the pass. */
  pendingJobs: number;
  failedJobs: number;
}

export type CompactorMetrics = (report: PassReport) => void;

/**
 * The compactor's progress and backlog in O2's `zo_` style: counters of what passes did, gauges
 * of what the last pass left behind. A no-op without a registry.
 */
export function compactorMetrics(registry: Registry | undefined): CompactorMetrics {
  if (registry === undefined) return () => undefined;
  const registers = [registry];
  const files = new Counter({
    name: 'zo_compactor_files_total',
    help: 'Files handled by the compactor leader, by action (merged = files written by merges, replaced = small files they replaced, retention, range_deletion, purged).',
    labelNames: ['action'] as const,
    registers,
  });
  const passes = new Counter({
    name: 'zo_compactor_passes_total',
    help: 'Compactor passes run by the leader.',
    registers,
  });
  const failedJobs = new Counter({
    name: 'zo_compactor_job_failures_total',
    help: 'Deletion jobs that failed in a pass (they stay pending and are retried).',
    registers,
  });
  const backlog = new Gauge({
    name: 'zo_compactor_merge_backlog_files',
    help: 'Small files the last pass could not merge (failed or lost a race); merged next pass.',
    registers,
  });
  const pending = new Gauge({
    name: 'zo_compactor_pending_jobs',
    help: 'Stream deletions and delete-by-time-range jobs pending after the last pass.',
    registers,
  });
  return (report) => {
    passes.inc();
    files.inc({ action: 'merged' }, report.mergedFiles);
    files.inc({ action: 'replaced' }, report.replacedFiles);
    files.inc({ action: 'retention' }, report.retentionFiles);
    files.inc({ action: 'range_deletion' }, report.rangeDeletionFiles);
    files.inc({ action: 'purged' }, report.purgedFiles);
    failedJobs.inc(report.failedJobs);
    backlog.set(report.mergeBacklog);
    pending.set(report.pendingJobs);
  };
}
