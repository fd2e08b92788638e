import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { AppError } from '@o2/errors';
import type { ErrorCode } from '@o2/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectStore } from './object-store.js';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function keysUnder(store: ObjectStore, prefix: string): Promise<string[]> {
  return (await collect(store.list(prefix))).map((m) => m.key);
}

async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
}

/** Splits `bytes` into a stream of uneven chunks, like a body arriving from the network. */
function streamOf(bytes: Buffer, chunk = 65_521): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) parts.push(bytes.subarray(i, i + chunk));
  return Readable.from(parts);
}

/**
 * The behaviour every `ObjectStore` must have. Each test works under its own random key
 * prefix, so one store serves the whole suite and tests cannot see each other's objects.
 */
export function describeObjectStoreContract(
  name: string,
  factory: () => Promise<ObjectStore>,
): void {
  describe(`${name} (ObjectStore contract)`, () => {
    let store: ObjectStore;

    beforeAll(async () => {
      store = await factory();
    });

    afterAll(async () => {
      await store.close();
    });

    /** A namespace of its own for one test, e.g. `t-3f9a…/`. */
    function fresh(): string {
      return `t-${randomBytes(6).toString('hex')}/`;
    }

    it('round-trips every byte value and reports the size', async () => {
      const ns = fresh();
      const key = `${ns}bin/all-bytes.parquet`;
      const bytes = Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256));
      await store.put(key, new Uint8Array(bytes));
      expect(await store.getBytes(key)).toEqual(bytes);
      const meta = await store.head(key);
      expect(meta?.key).toBe(key);
      expect(meta?.size).toBe(512);
      expect(meta?.lastModified).toBeInstanceOf(Date);
      expect(Math.abs((meta?.lastModified.getTime() ?? 0) - Date.now())).toBeLessThan(600_000);
    });

    it('stores an empty object', async () => {
      const ns = fresh();
      const key = `${ns}empty`;
      await store.put(key, new Uint8Array(0));
      expect((await store.getBytes(key)).length).toBe(0);
      expect((await store.head(key))?.size).toBe(0);
      expect((await buffer(await store.get(key))).length).toBe(0);
      expect((await store.getRange(key, 0, 10)).length).toBe(0);
      expect(await keysUnder(store, ns)).toEqual([key]);
    });

    it('round-trips a multi-megabyte object from bytes and from a stream', async () => {
      const ns = fresh();
      const big = randomBytes(5 * 1024 * 1024 + 123);
      await store.put(`${ns}big-bytes`, big);
      expect((await store.getBytes(`${ns}big-bytes`)).equals(big)).toBe(true);

      await store.put(`${ns}big-stream`, streamOf(big));
      expect((await store.head(`${ns}big-stream`))?.size).toBe(big.length);
      const streamed = await buffer(await store.get(`${ns}big-stream`));
      expect(streamed.equals(big)).toBe(true);
    });

    it('accepts a Uint8Array view into a larger buffer without leaking its neighbours', async () => {
      const ns = fresh();
      const backing = Buffer.from('xxxxhello worldyyyy');
      const view = new Uint8Array(backing.buffer, backing.byteOffset + 4, 11);
      await store.put(`${ns}view`, view);
      expect((await store.getBytes(`${ns}view`)).toString()).toBe('hello world');
    });

    it('overwrites an existing object', async () => {
      const ns = fresh();
      const key = `${ns}over`;
      await store.put(key, Buffer.from('first version, longer'));
      await store.put(key, Buffer.from('second'));
      expect((await store.getBytes(key)).toString()).toBe('second');
      expect((await store.head(key))?.size).toBe(6);
      expect(await keysUnder(store, ns)).toEqual([key]);
    });

    it('reads byte ranges: middle, tail, past the end and empty', async () => {
      const ns = fresh();
      const key = `${ns}range`;
      const bytes = Buffer.from('0123456789abcdefghij');
      await store.put(key, bytes);
      expect((await store.getRange(key, 0, 4)).toString()).toBe('0123');
      expect((await store.getRange(key, 5, 3)).toString()).toBe('567');
      expect((await store.getRange(key, 12, 8)).toString()).toBe('cdefghij');
      expect((await store.getRange(key, 16, 100)).toString()).toBe('ghij');
      expect((await store.getRange(key, 20, 5)).length).toBe(0);
      expect((await store.getRange(key, 500, 5)).length).toBe(0);
      expect((await store.getRange(key, 3, 0)).length).toBe(0);
    });

    it('reads the tail of a large object the way a Parquet footer is read', async () => {
      const ns = fresh();
      const key = `${ns}footer.parquet`;
      const bytes = randomBytes(3 * 1024 * 1024);
      await store.put(key, bytes);
      const tail = await store.getRange(key, bytes.length - 8, 8);
      expect(tail.equals(bytes.subarray(bytes.length - 8))).toBe(true);
      const middle = await store.getRange(key, 1_000_000, 70_000);
      expect(middle.equals(bytes.subarray(1_000_000, 1_070_000))).toBe(true);
    });

    it('reports missing objects: head undefined, reads NOT_FOUND', async () => {
      const ns = fresh();
      const key = `${ns}missing/file.parquet`;
      expect(await store.head(key)).toBeUndefined();
      await expectCode(store.get(key), 'NOT_FOUND');
      await expectCode(store.getBytes(key), 'NOT_FOUND');
      await expectCode(store.getRange(key, 0, 10), 'NOT_FOUND');
      await expectCode(store.getRange(key, 0, 0), 'NOT_FOUND');
      // A "directory" that holds objects is not an object itself.
      await store.put(`${ns}dir/child`, Buffer.from('x'));
      expect(await store.head(`${ns}dir`)).toBeUndefined();
      await expectCode(store.getBytes(`${ns}dir`), 'NOT_FOUND');
    });

    it('lists recursively by prefix, sorted, without matching sibling names', async () => {
      const ns = fresh();
      const base = `${ns}a/`;
      const keys = [
        `${base}b/2/x`,
        `${base}bc/1`,
        `${base}b/1`,
        `${base}b-c`,
        `${base}b.txt`,
        `${base}b/10`,
        `${base}b/2/a/deep/er`,
        `${ns}z`,
      ];
      await Promise.all(keys.map((k, i) => store.put(k, Buffer.alloc(i + 1, 7))));

      expect(await keysUnder(store, `${base}b/`)).toEqual([
        `${base}b/1`,
        `${base}b/10`,
        `${base}b/2/a/deep/er`,
        `${base}b/2/x`,
      ]);
      // A plain string prefix, as in S3: `a/b` also matches `a/b-c`, `a/b.txt` and `a/bc/…`,
      // and the order is by bytes ('-' < '.' < '/' < 'c').
      expect(await keysUnder(store, `${base}b`)).toEqual([
        `${base}b-c`,
        `${base}b.txt`,
        `${base}b/1`,
        `${base}b/10`,
        `${base}b/2/a/deep/er`,
        `${base}b/2/x`,
        `${base}bc/1`,
      ]);
      const all = await collect(store.list(ns));
      expect(all.map((m) => m.key)).toEqual([...keys].sort());
      expect(all.find((m) => m.key === `${ns}z`)?.size).toBe(8);
      expect(await keysUnder(store, `${base}nothing/`)).toEqual([]);
      expect(await keysUnder(store, `${ns}a/b/1`)).toEqual([`${base}b/1`, `${base}b/10`]);
    });

    it('deletes many keys, ignoring ones that do not exist', async () => {
      const ns = fresh();
      const keys = [`${ns}d/1`, `${ns}d/2`, `${ns}d/sub/3`, `${ns}keep`];
      await Promise.all(keys.map((k) => store.put(k, Buffer.from(k))));
      await store.deleteMany([`${ns}d/1`, `${ns}d/sub/3`, `${ns}d/never-existed`, `${ns}d/1`]);
      expect(await keysUnder(store, ns)).toEqual([`${ns}d/2`, `${ns}keep`]);
      expect(await store.head(`${ns}d/1`)).toBeUndefined();
      await store.deleteMany([]);
      await store.deleteMany([`${ns}d/2`, `${ns}keep`]);
      expect(await keysUnder(store, ns)).toEqual([]);
      // The parent "directory" is gone and can be written again.
      await store.put(`${ns}d/1`, Buffer.from('again'));
      expect((await store.getBytes(`${ns}d/1`)).toString()).toBe('again');
    });

    it('deletes more keys than one S3 request may carry', async () => {
      const ns = fresh();
      // Only a few of the keys exist: that is enough to show every batch is sent (S3 refuses a
      // request with more than 1000 keys), without writing thousands of objects.
      const keys = Array.from({ length: 1001 }, (_, i) => `${ns}many/${i % 7}/${i}.parquet`);
      const written = [0, 500, 999, 1000].map((i) => keys[i] ?? '');
      await Promise.all(written.map((k) => store.put(k, Buffer.from('x'))));
      expect((await keysUnder(store, ns)).length).toBe(written.length);
      await store.deleteMany(keys);
      expect(await keysUnder(store, ns)).toEqual([]);
    });

    it('handles keys with =, spaces and non-ASCII characters', async () => {
      const ns = fresh();
      const dir = `${ns}files/default/logs/k8s/k8s_namespace=kube system/2026/11/28/05/`;
      const key = `${dir}7099303408192061440f3a1 übersicht+%.parquet`;
      await store.put(key, Buffer.from('partitioned'));
      expect((await store.getBytes(key)).toString()).toBe('partitioned');
      expect((await store.getRange(key, 4, 3)).toString()).toBe('iti');
      expect((await store.head(key))?.size).toBe(11);
      expect(
        await keysUnder(store, `${ns}files/default/logs/k8s/k8s_namespace=kube system/`),
      ).toEqual([key]);
      expect(await keysUnder(store, `${ns}files/default/logs/k8s/k8s_namespace=kube`)).toEqual([
        key,
      ]);
      await store.deleteMany([key]);
      expect(await store.head(key)).toBeUndefined();
    });

    it('ends concurrent puts of one key with one whole object, and readers never see a partial one', async () => {
      const ns = fresh();
      const key = `${ns}contended.parquet`;
      const bodies = Array.from({ length: 8 }, (_, i) => Buffer.alloc(256 * 1024 + i, i + 1));
      await store.put(key, bodies[0] ?? Buffer.alloc(0));
      const seen: Buffer[] = [];
      await Promise.all([
        ...bodies
          .slice(1)
          .map((body, i) => store.put(key, i % 2 === 0 ? body : streamOf(body, 10_000))),
        ...Array.from({ length: 8 }, async () => {
          seen.push(await store.getBytes(key));
        }),
      ]);
      const isWhole = (b: Buffer): boolean => bodies.some((body) => body.equals(b));
      for (const read of seen) expect(isWhole(read)).toBe(true);
      expect(isWhole(await store.getBytes(key))).toBe(true);
      expect(await keysUnder(store, ns)).toEqual([key]);
    });

    it('keeps the old object when the body stream fails', async () => {
      const ns = fresh();
      const key = `${ns}failing`;
      await store.put(key, Buffer.from('old'));
      const failing = new Readable({
        read() {
          this.push(Buffer.alloc(1024, 1));
          this.destroy(new Error('client went away'));
        },
      });
      await expect(store.put(key, failing)).rejects.toThrow();
      expect((await store.getBytes(key)).toString()).toBe('old');
      expect(await keysUnder(store, ns)).toEqual([key]);
    });

    it('rejects keys that are empty, absolute, or escape with .., NUL or backslash', async () => {
      const ns = fresh();
      const bad = [
        '',
        '/abs/key',
        'a/../../etc/passwd',
        '..',
        'a/./b',
        'a//b',
        'dir/',
        'a\\b',
        'a\0b',
      ];
      for (const key of bad) {
        await expectCode(store.put(key, Buffer.from('x')), 'INVALID_ARGUMENT');
        await expectCode(store.getBytes(key), 'INVALID_ARGUMENT');
        await expectCode(store.head(key), 'INVALID_ARGUMENT');
        await expectCode(store.deleteMany([key]), 'INVALID_ARGUMENT');
      }
      await expectCode(collect(store.list('../')), 'INVALID_ARGUMENT');
      await expectCode(collect(store.list('/abs')), 'INVALID_ARGUMENT');
      await expectCode(store.getRange(`${ns}k`, -1, 4), 'INVALID_ARGUMENT');
      await expectCode(store.getRange(`${ns}k`, 0, 1.5), 'INVALID_ARGUMENT');
    });
  });
}
