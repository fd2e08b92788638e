import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IngestRequest, IngestResult } from '@o2/domain';
import { isAppError } from '@o2/errors';
import { silentLogger } from '../test-support/ingester-fixture.js';
import { IdempotencyStore } from './idempotency-store.js';
import type { IdempotencyClaim } from './idempotency-store.js';

const request = (over: Partial<IngestRequest> = {}): IngestRequest => ({
  org: 'default',
  stream: 's',
  streamType: 'logs',
  format: 'json',
  body: new TextEncoder().encode('[{"a":1}]'),
  idempotencyKey: 'key-1',
  ...over,
});

const answer = (n: number): IngestResult => ({
  response: { code: 200, status: [{ name: 's', successful: n, failed: 0 }] },
});

describe('IdempotencyStore', () => {
  let dir: string;
  let clock: number;
  let stores: IdempotencyStore[];
  const open = async (windowSeconds = 600, maxBytes = 1 << 20): Promise<IdempotencyStore> => {
    const store = new IdempotencyStore({
      windowSeconds,
      maxBytes,
      fsync: true,
      now: () => clock,
      logger: silentLogger,
    });
    await store.open(dir);
    stores.push(store);
    return store;
  };
  /** An attempt that "stores" (counts) and records its answer, as the ingester does. */
  const storing = (store: IdempotencyStore, counter: { n: number }, result = answer(1)) => {
    return async (claim: IdempotencyClaim | undefined): Promise<IngestResult> => {
      counter.n++;
      if (claim !== undefined) await store.record(claim, result, clock);
      return result;
    };
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'o2-idem-'));
    clock = 1_700_000_000_000;
    stores = [];
  });
  afterEach(async () => {
    for (const s of stores) await s.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers a retry with the first answer and runs the attempt once', async () => {
    const store = await open();
    const runs = { n: 0 };
    const first = await store.once(request(), storing(store, runs, answer(1)));
    const again = await store.once(request(), storing(store, runs, answer(99)));
    expect(again).toEqual(first);
    expect(runs.n).toBe(1);
    // No key: every request runs.
    await store.once(request({ idempotencyKey: undefined }), storing(store, runs));
    await store.once(request({ idempotencyKey: undefined }), storing(store, runs));
    expect(runs.n).toBe(3);
  });

  it('forgets a key once the window has passed', async () => {
    const store = await open(10);
    const runs = { n: 0 };
    await store.once(request(), storing(store, runs));
    clock += 9_999;
    await store.once(request(), storing(store, runs));
    expect(runs.n).toBe(1);
    clock += 2;
    await store.once(request(), storing(store, runs));
    expect(runs.n).toBe(2);
  });

  it('rebuilds from the journal after a restart, and compacts expired keys away', async () => {
    const first = await open(60);
    const runs = { n: 0 };
    await first.once(request({ idempotencyKey: 'old' }), storing(first, runs, answer(1)));
    clock += 30_000;
    await first.once(request({ idempotencyKey: 'young' }), storing(first, runs, answer(2)));
    // No close: a kill -9 leaves the journal as written.
    clock += 40_000; // 'old' is 70 s old now, 'young' 40 s.
    const second = await open(60);
    expect(second.size).toBe(1);
    const young = await second.once(
      request({ idempotencyKey: 'young' }),
      storing(second, runs, answer(3)),
    );
    expect(young).toEqual(answer(2));
    expect(runs.n).toBe(2);
    const text = await readFile(join(dir, 'journal.ndjson'), 'utf8');
    expect(text).toContain('"k":"young"');
    expect(text).not.toContain('"k":"old"');
  });

  it('ignores a line torn by a crash and keeps the rest', async () => {
    const first = await open();
    await first.once(request(), storing(first, { n: 0 }, answer(7)));
    await writeFile(join(dir, 'journal.ndjson'), '{"o":"default","k":"torn","f', { flag: 'a' });
    const second = await open();
    expect(second.size).toBe(1);
    expect(await second.once(request(), storing(second, { n: 0 }))).toEqual(answer(7));
  });

  it('restores a key read back from the WAL and journals it', async () => {
    const first = await open();
    await first.restore('default', { k: 'from-wal', f: 'x', t: clock, r: answer(4) });
    await first.close();
    const second = await open();
    expect(second.size).toBe(1);
  });

  it('forgets an expired key even when it was restored behind a younger one', async () => {
    const store = await open(600);
    const runs = { n: 0 };
    await store.once(request({ idempotencyKey: 'young' }), storing(store, runs));
    await store.restore('default', {
      k: 'older',
      f: 'fingerprint-of-another-request',
      t: clock - 500_000,
      r: answer(4),
    });
    clock += 200_000; // 'older' is 700 s old, 'young' 200 s.
    const again = await store.once(request({ idempotencyKey: 'older' }), storing(store, runs));
    expect(again).toEqual(answer(1));
    expect(runs.n).toBe(2);
  });

  it('scopes keys per org', async () => {
    const store = await open();
    const runs = { n: 0 };
    const a = await store.once(request({ org: 'a' }), storing(store, runs, answer(1)));
    const b = await store.once(request({ org: 'b' }), storing(store, runs, answer(2)));
    expect(a).toEqual(answer(1));
    expect(b).toEqual(answer(2));
    expect(runs.n).toBe(2);
  });

  it('refuses the same key with another body, stream or format (422)', async () => {
    const store = await open();
    await store.once(request(), storing(store, { n: 0 }));
    for (const other of [
      request({ body: new TextEncoder().encode('[{"a":2}]') }),
      request({ stream: 'other' }),
      request({ format: 'multi' }),
    ]) {
      const error = await store.once(other, storing(store, { n: 0 })).catch((e: unknown) => e);
      expect(isAppError(error) && error.code).toBe('UNPROCESSABLE');
      expect(String((error as Error).message)).toMatch(/already used for a different request/);
    }
  });

  it('makes a concurrent duplicate wait for the first attempt', async () => {
    const store = await open();
    const runs = { n: 0 };
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = async (claim: IdempotencyClaim | undefined): Promise<IngestResult> => {
      await gate;
      return storing(store, runs, answer(5))(claim);
    };
    const first = store.once(request(), slow);
    const second = store.once(request(), storing(store, runs, answer(6)));
    release();
    expect(await first).toEqual(answer(5));
    expect(await second).toEqual(answer(5));
    expect(runs.n).toBe(1);
  });

  it('does not remember a failed attempt; its retry runs', async () => {
    const store = await open();
    const runs = { n: 0 };
    const failing = (): Promise<IngestResult> => Promise.reject(new Error('disk full'));
    await expect(store.once(request(), failing)).rejects.toThrow('disk full');
    expect(await store.once(request(), storing(store, runs, answer(8)))).toEqual(answer(8));
    expect(runs.n).toBe(1);
  });

  it('refuses a malformed key with a clear 400 message', async () => {
    const store = await open();
    for (const key of ['', 'has space', 'x'.repeat(256), 'naïve']) {
      const error = await store
        .once(request({ idempotencyKey: key }), storing(store, { n: 0 }))
        .catch((e: unknown) => e);
      expect(isAppError(error) && error.code).toBe('INVALID_ARGUMENT');
      expect((error as Error).message).toMatch(/Idempotency-Key must be 1 to 255 visible ASCII/);
    }
  });

  it('bounds memory: past the cap the oldest keys are forgotten first', async () => {
    const store = await open(600, 2_000);
    const runs = { n: 0 };
    for (let i = 0; i < 40; i++) {
      clock += 1;
      await store.once(request({ idempotencyKey: `k${i}` }), storing(store, runs));
    }
    expect(store.size).toBeLessThan(40);
    expect(store.size).toBeGreaterThan(5);
    // The newest is still remembered, the oldest is not.
    await store.once(request({ idempotencyKey: 'k39' }), storing(store, runs));
    expect(runs.n).toBe(40);
    await store.once(request({ idempotencyKey: 'k0' }), storing(store, runs));
    expect(runs.n).toBe(41);
  });

  it('ignores keys entirely when the window is 0', async () => {
    const store = await open(0);
    const runs = { n: 0 };
    await store.once(request(), storing(store, runs));
    await store.once(request(), storing(store, runs));
    expect(runs.n).toBe(2);
  });
});
