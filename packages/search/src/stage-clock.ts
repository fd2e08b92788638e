import { AsyncLocalStorage } from 'node:async_hooks';

/** Wall milliseconds per named stage of one query; stages may overlap (they run concurrently). */
export type StageTimes = Record<string, number>;

const current = new AsyncLocalStorage<StageTimes>();

/**
 * Runs `work` with a fresh stage clock and answers its result with the stages timed inside it
 * (see {@link clocked}). The clock follows the async context, so code deep in the query path
 * can time itself without every signature carrying a timer: the cluster's fixed cost per query
 * is spread over many small stages (listings, metastore reads, planning, merge) and is only
 * visible when each is named.
 */
export async function withStageClock<T>(
  work: () => Promise<T>,
): Promise<{ value: T; stages: StageTimes }> {
  const stages: StageTimes = {};
  const value = await current.run(stages, work);
  return { value, stages };
}

/** `work`, its wall time added to `stage` of the current clock (nothing when there is none). */
export async function clocked<T>(stage: string, work: () => Promise<T>): Promise<T> {
  const stages = current.getStore();
  if (stages === undefined) return work();
  const started = performance.now();
  try {
    return await work();
  } finally {
    const ms = performance.now() - started;
    stages[stage] = Math.round(((stages[stage] ?? 0) + ms) * 100) / 100;
  }
}
