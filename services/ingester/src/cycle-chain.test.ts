import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '@o2/logger';
import { CycleChain } from './cycle-chain.js';

/** A real pino logger whose lines are kept, to see what a failed job logs. */
function recordingLogger(): { logger: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write: (chunk: Buffer, _enc, done) => {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger({ level: 'error', destination }), lines };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('CycleChain', () => {
  it('runs jobs one at a time in call order, each without the previous result', async () => {
    const chain = new CycleChain(recordingLogger().logger);
    const events: string[] = [];
    let running = 0;
    const job =
      (name: string, ms: number) =>
      async (...args: unknown[]) => {
        expect(args).toEqual([]);
        running += 1;
        expect(running).toBe(1);
        events.push(`start ${name}`);
        await sleep(ms);
        events.push(`end ${name}`);
        running -= 1;
        return name;
      };
    const results = await Promise.all([
      chain.run(job('a', 30)),
      chain.run(job('b', 1)),
      chain.run(job('c', 10)),
    ]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('keeps running after a failed job, and the failure reaches only its caller', async () => {
    const chain = new CycleChain(recordingLogger().logger);
    const failed = chain.run(() => Promise.reject(new Error('disk full')));
    const next = chain.run(() => Promise.resolve(42));
    await expect(failed).rejects.toThrow('disk full');
    await expect(next).resolves.toBe(42);
  });

  it('kick logs a failure instead of rejecting', async () => {
    const { logger, lines } = recordingLogger();
    const chain = new CycleChain(logger);
    chain.kick(() => Promise.reject(new Error('store down')), 'upload');
    await chain.run(() => Promise.resolve());
    await sleep(10);
    expect(lines.join('')).toContain('upload failed');
    expect(lines.join('')).toContain('store down');
  });

  it('every queues the job on the chain until the timers stop', async () => {
    const chain = new CycleChain(recordingLogger().logger);
    let runs = 0;
    let blocked = false;
    chain.every(5, () => Promise.resolve(void (runs += blocked ? 100 : 1)), 'persist');
    const deadline = Date.now() + 5_000;
    while (runs < 3 && Date.now() < deadline) await sleep(5);
    expect(runs).toBeGreaterThanOrEqual(3);

    // A ticking job waits for the job ahead of it on the chain.
    let unblock = (): void => undefined;
    const gate = chain.run(
      () =>
        new Promise<void>((resolve) => {
          blocked = true;
          unblock = () => {
            blocked = false;
            resolve();
          };
        }),
    );
    await sleep(30);
    unblock();
    await gate;
    expect(runs).toBeLessThan(100);

    chain.stopTimers();
    await chain.run(() => Promise.resolve());
    const stoppedAt = runs;
    await sleep(40);
    expect(runs).toBe(stoppedAt);
  });
});
