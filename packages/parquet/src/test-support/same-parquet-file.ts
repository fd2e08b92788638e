import { expect } from 'vitest';
import type { EncodedParquet } from '../encode-parquet.js';
import { readParquet, readParquetMetadata } from '../read-parquet.js';

/**
 * Same file modulo footer key/value order: parquet-wasm keeps that metadata in a Rust HashMap
 * whose iteration order is seeded per wasm instance, so a worker may list the keys in another
 * order. Everything else — data pages, row groups, stats — must match byte for byte.
 */
export async function expectSameFile(
  actual: EncodedParquet,
  expected: EncodedParquet,
): Promise<void> {
  expect({ ...actual, bytes: undefined }).toEqual({ ...expected, bytes: undefined });
  const [a, b] = [Buffer.from(actual.bytes), Buffer.from(expected.bytes)];
  const dataEnd = (await readParquetMetadata(expected.bytes)).rowGroups.reduce(
    (end, g) => end + g.compressedSize,
    4,
  );
  expect(a.subarray(0, dataEnd).equals(b.subarray(0, dataEnd))).toBe(true);
  expect(await readParquetMetadata(actual.bytes)).toEqual(
    await readParquetMetadata(expected.bytes),
  );
  const [ra, rb] = [await readParquet(actual.bytes), await readParquet(expected.bytes)];
  expect(ra.toArray().map(String)).toEqual(rb.toArray().map(String));
}
