import { describe, expect, it } from 'vitest';
import { idleCollector } from './idle-collector.js';

const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('idleCollector', () => {
  it("runs V8's own full GC once when the process is quiet after native memory grew", async () => {
    const collector = idleCollector({ intervalMs: 100 });
    await collector.start();
    try {
      // 128 MiB of buffers, dropped. Whether they were freed is not asserted here: the test
      // process is shared with other test files and V8 may collect on its own after such an
      // allocation (what the collector saves is measured by the benches, architecture §8).
      let held: Uint8Array[] | undefined = Array.from({ length: 16 }, () =>
        new Uint8Array(8 * MiB).fill(1),
      );
      expect(held.length).toBe(16);
      held = undefined;
      for (let waited = 0; collector.collections === 0 && waited < 5000; waited += 50)
        await sleep(50);
      expect(collector.collections).toBe(1);
      // Quiet and nothing grew since: no second collection.
      await sleep(400);
      expect(collector.collections).toBe(1);
    } finally {
      await collector.stop();
    }
  });

  it('leaves a busy event loop to V8, and collects nothing that did not grow', async () => {
    let external = 0;
    let runs = 0;
    const busy = idleCollector({ intervalMs: 50, gc: () => runs++, externalBytes: () => external });
    await busy.start();
    try {
      external = 100 * MiB;
      // Busy: the loop is blocked for most of every interval.
      const until = Date.now() + 400;
      while (Date.now() < until) {
        const spin = Date.now() + 45;
        while (Date.now() < spin);
        await sleep(5);
      }
      expect(runs).toBe(0);
      // Quiet again: the growth is collected once, then nothing more.
      await sleep(300);
      expect(runs).toBe(1);
    } finally {
      await busy.stop();
    }
    const steady = idleCollector({ intervalMs: 20, gc: () => runs++, externalBytes: () => 5 });
    await steady.start();
    await sleep(200);
    await steady.stop();
    expect(runs).toBe(1);
  });
});
