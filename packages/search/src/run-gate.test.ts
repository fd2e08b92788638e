import { describe, expect, it } from 'vitest';
import { RunGate } from './run-gate.js';

/** A promise and the function that settles it, to hold work open until the test says. */
function held(): { promise: Promise<void>; release: () => void } {
  let release = (): void => {};
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('RunGate', () => {
  it('runs at most `limit` at once and starts the waiting ones in arrival order', async () => {
    const gate = new RunGate(2);
    const started: number[] = [];
    const holds = Array.from({ length: 5 }, () => held());
    const runs = holds.map((h, i) =>
      gate.run(async () => {
        started.push(i);
        await h.promise;
        return i;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    expect(gate.queued).toBe(3);
    holds[1]!.release();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    holds[0]!.release();
    await tick();
    expect(started).toEqual([0, 1, 2, 3]);
    for (const h of holds) h.release();
    const results = await Promise.all(runs);
    expect(results.map((r) => r.value)).toEqual([0, 1, 2, 3, 4]);
    expect(gate.queued).toBe(0);
  });

  it('frees the slot when the work fails, and reports the wait', async () => {
    const gate = new RunGate(1);
    const first = held();
    const failing = gate.run(async () => {
      await first.promise;
      throw new Error('engine error');
    });
    const second = gate.run(() => Promise.resolve('ran'));
    await new Promise((resolve) => setTimeout(resolve, 30));
    first.release();
    await expect(failing).rejects.toThrow('engine error');
    const { value, waitedMs } = await second;
    expect(value).toBe('ran');
    expect(waitedMs).toBeGreaterThanOrEqual(25);
    // The slot is free again: the next run does not wait.
    expect((await gate.run(() => Promise.resolve(1))).waitedMs).toBeLessThan(25);
  });

  it('refuses a limit below 1', () => {
    expect(() => new RunGate(0)).toThrow(RangeError);
  });
});
