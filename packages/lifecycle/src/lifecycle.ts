/** Something a composition root starts and later stops, in order. */
export interface Lifecycle {
  readonly name: string;
  start(): Promise<void>;
  /** Must be safe to call once after start, and should finish what was acknowledged. */
  stop(): Promise<void>;
}

/**
 * Starts the parts in order; if one fails, stops those already started (reverse order) and
 * rethrows, so a failed start leaves no half-running process behind.
 */
export async function startAll(parts: readonly Lifecycle[]): Promise<void> {
  const started: Lifecycle[] = [];
  for (const part of parts) {
    try {
      await part.start();
      started.push(part);
    } catch (error) {
      await stopAll(started);
      throw error;
    }
  }
}

/**
 * Stops the parts in reverse start order. Keeps going past a failure (a stuck cache must not
 * keep the WAL from flushing) and reports every failure at the end.
 */
export async function stopAll(parts: readonly Lifecycle[]): Promise<void> {
  const failures: unknown[] = [];
  for (const part of [...parts].reverse()) {
    try {
      await part.stop();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1)
    throw new AggregateError(failures, `${failures.length} parts failed to stop`);
}
