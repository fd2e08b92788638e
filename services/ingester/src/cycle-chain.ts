import type { Logger } from '@o2/logger';

/**
 * Runs the ingester's background work (persist, upload, snapshots) one job at a time, in call
 * order, and drives the interval timers that feed it. One chain is what lets an upload never
 * see a commit whose WAL is not dropped yet, and a snapshot never see a file twice.
 */
export class CycleChain {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly logger: Logger) {}

  /** Runs `job` after every job queued before it, whether those succeeded or failed. */
  run<T>(job: () => Promise<T>): Promise<T> {
    // Called without arguments: a job must not receive the previous job's result.
    const run = this.tail.then(
      () => job(),
      () => job(),
    );
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Queues `job` now without waiting for it; a failure is logged as `${what} failed`. */
  kick(job: () => Promise<unknown>, what: string): void {
    this.run(job).catch((err: unknown) => this.logger.error({ err }, `${what} failed`));
  }

  /** Queues `job` every `ms` (the timer does not keep the process alive). */
  every(ms: number, job: () => Promise<unknown>, what: string): void {
    const timer = setInterval(() => this.kick(job, what), ms);
    timer.unref();
    this.timers.push(timer);
  }

  /** Stops every timer; jobs already queued still run. */
  stopTimers(): void {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
  }
}
