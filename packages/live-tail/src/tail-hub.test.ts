import { describe, expect, it } from 'vitest';
import { TailHub } from './tail-hub.js';
import type { TailBatch } from './tail-hub.js';

const ref = { org: 'default', type: 'logs' as const, stream: 'app' };

async function nextBatch(iterator: AsyncIterator<TailBatch>): Promise<TailBatch> {
  const step = await iterator.next();
  if (step.done === true) throw new Error('tail ended');
  return step.value;
}

function open(hub: TailHub, filter: string, signal: AbortSignal): AsyncIterator<TailBatch> {
  return hub.tail({ ...ref, filter }, signal)[Symbol.asyncIterator]();
}

describe('TailHub', () => {
  it('delivers matching rows of the tailed stream only, as JSON', async () => {
    const hub = new TailHub();
    const abort = new AbortController();
    const tail = open(hub, "level = 'error'", abort.signal);
    expect(await nextBatch(tail)).toEqual({ rows: [], dropped: 0 }); // subscribed
    const first = nextBatch(tail);
    expect(hub.size).toBe(1);
    hub.publish({ ...ref, stream: 'other' }, [{ level: 'error' }]);
    hub.publish(ref, [
      { level: 'info', n: 1 },
      { level: 'error', n: 2, big: 2n ** 64n },
    ]);
    const batch = await first;
    expect(batch.dropped).toBe(0);
    expect(batch.rows.map((r) => JSON.parse(r) as unknown)).toEqual([
      { level: 'error', n: 2, big: '18446744073709551616' },
    ]);
    abort.abort();
    expect((await tail.next()).done).toBe(true);
    expect(hub.size).toBe(0);
  });

  it('keeps a slow reader bounded: drops the oldest rows and reports how many', async () => {
    const hub = new TailHub({ maxBufferedRows: 3 });
    const abort = new AbortController();
    const tail = open(hub, '', abort.signal);
    expect(await nextBatch(tail)).toEqual({ rows: [], dropped: 0 }); // subscribed
    expect(await nextBatch(tail)).toEqual({ rows: [], dropped: 0 }); // subscribed
    const first = nextBatch(tail);
    hub.publish(
      ref,
      Array.from({ length: 10 }, (_, n) => ({ n })),
    );
    const batch = await first;
    expect(batch.dropped).toBe(7);
    expect(batch.rows).toEqual(['{"n":7}', '{"n":8}', '{"n":9}']);
    abort.abort();
    await tail.next();
  });

  it('bounds the buffer in bytes too, keeping at least the newest row', async () => {
    const hub = new TailHub({ maxBufferedBytes: 100 });
    const abort = new AbortController();
    const tail = open(hub, '', abort.signal);
    expect(await nextBatch(tail)).toEqual({ rows: [], dropped: 0 }); // subscribed
    expect(await nextBatch(tail)).toEqual({ rows: [], dropped: 0 }); // subscribed
    const first = nextBatch(tail);
    hub.publish(ref, [{ s: 'a'.repeat(80) }, { s: 'b'.repeat(200) }]);
    const batch = await first;
    expect(batch.dropped).toBe(1);
    expect(batch.rows).toHaveLength(1);
    abort.abort();
    await tail.next();
  });

  it('yields an empty batch as a heartbeat when nothing arrives', async () => {
    const hub = new TailHub({ heartbeatMs: 20 });
    const abort = new AbortController();
    const tail = open(hub, '', abort.signal);
    expect(await nextBatch(tail)).toEqual({ rows: [], dropped: 0 }); // subscribed
    expect(await nextBatch(tail)).toEqual({ rows: [], dropped: 0 });
    abort.abort();
    await tail.next();
  });

  it('refuses a session past maxSubscribers with RESOURCE_EXHAUSTED, and admits again after one ends', async () => {
    const hub = new TailHub({ maxSubscribers: 1 });
    const first = new AbortController();
    const one = open(hub, '', first.signal);
    await nextBatch(one);
    await expect(nextBatch(open(hub, '', new AbortController().signal))).rejects.toMatchObject({
      code: 'RESOURCE_EXHAUSTED',
      retryAfterSeconds: 5,
    });
    first.abort();
    await one.next();
    const again = new AbortController();
    const two = open(hub, '', again.signal);
    expect(await nextBatch(two)).toEqual({ rows: [], dropped: 0 });
    again.abort();
    await two.next();
  });
});
