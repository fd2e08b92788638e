import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Lifecycle } from '@o2/lifecycle';

export interface IdleCollectorOptions {
  /** How often the process is looked at (default 5 s). */
  intervalMs?: number;
  /** Event-loop utilisation over one interval under which the process counts as quiet (0.05). */
  quietUtilization?: number;
  /** Growth of native memory (`external`) since the last collection worth one (32 MiB). */
  minGrowthBytes?: number;
  /** The full collection to run (default: V8's own `gc`, exposed at start). */
  gc?: () => void;
  /** Native memory now (default `process.memoryUsage().external`, which counts wasm memories). */
  externalBytes?: () => number;
}

export interface IdleCollector extends Lifecycle {
  /** Full collections run so far. */
  readonly collections: number;
}

/** V8's `gc()`, exposed at run time: launchers then need no `--expose-gc` flag. */
function v8Gc(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed !== undefined) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/**
 * Runs one full GC once the process has gone quiet after native memory grew. ArrayBuffers
 * (Arrow columns, IPC and Parquet bytes) and dropped wasm instances live outside V8's heap and
 * are freed only when a major GC collects their small wrappers; a quiet process allocates
 * nothing on the heap, so none runs: after a 400k-record ingest ~220 MiB of dead buffers stayed
 * resident for minutes. Checking costs one `memoryUsage` read per interval; a busy process
 * (ingest, queries) is left to V8's own scheduling.
 */
export function idleCollector(options: IdleCollectorOptions = {}): IdleCollector {
  const intervalMs = options.intervalMs ?? 5000;
  const quiet = options.quietUtilization ?? 0.05;
  const minGrowth = options.minGrowthBytes ?? 32 * 1024 * 1024;
  const external = options.externalBytes ?? (() => process.memoryUsage().external);
  let gc: (() => void) | undefined = options.gc;
  let timer: NodeJS.Timeout | undefined;
  let collections = 0;
  return {
    name: 'idle-collector',
    get collections() {
      return collections;
    },
    start() {
      gc ??= v8Gc();
      const run = gc;
      let floor = external();
      let last = performance.eventLoopUtilization();
      timer = setInterval(() => {
        const now = performance.eventLoopUtilization();
        const utilization = performance.eventLoopUtilization(now, last).utilization;
        last = now;
        const bytes = external();
        floor = Math.min(floor, bytes);
        if (utilization >= quiet || bytes - floor < minGrowth) return;
        run();
        collections++;
        floor = external();
      }, intervalMs);
      timer.unref();
      return Promise.resolve();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
      return Promise.resolve();
    },
  };
}
