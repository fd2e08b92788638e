import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Schema } from '@o2/schema';
import type { DecodedRequest, RequestDecoding, StreamBatch } from './ingest-pipeline.js';
import type { Memtables } from './memtable/memtables.js';
import type { PartitionKey } from './partitioning.js';

/** Documents between two looks at the clock (one look costs about as much as a few documents). */
const DOCS_PER_CHECK = 32;

/**
 * Feeds a request's documents to its decoder (parsing each as it goes) in slices of about
 * `sliceMs` of CPU, letting the event loop run between slices. A 2000-document `_bulk` body
 * is 10-30 ms of parse and normalise; done in one go, every search's next step (its HTTP
 * request, its DuckDB result, its answer) waits behind each queued body in turn, and searches
 * while ingest runs took several times longer than their CPU share explained. The result is
 * the same as `decodeRequest`'s (same documents, same order); 0 decodes in one go.
 */
export async function decodeInSlices(
  { docs, decoder, metadata }: RequestDecoding,
  sliceMs: number,
): Promise<DecodedRequest> {
  let i = 0;
  if (sliceMs <= 0) {
    for (const doc of docs) decoder.add(doc, i++);
    return decoder.result(metadata);
  }
  let sliceStart = performance.now();
  for (const doc of docs) {
    decoder.add(doc, i++);
    if (i % DOCS_PER_CHECK !== 0 || performance.now() - sliceStart < sliceMs) continue;
    await nextTurn();
    sliceStart = performance.now();
  }
  return decoder.result(metadata);
}

/** Records appended between two looks at the clock. */
const RECORDS_PER_APPEND = 128;

/**
 * Appends a batch's records to the memtables like `Memtables.append`, in slices of about
 * `sliceMs` with the event loop let run between them (0: in one go). Column building of a
 * 2000-record batch is 5-15 ms, more on fresh memory; the write gate stays held throughout, so
 * a persist still freezes whole requests only, and the rows are already in the WAL.
 */
export async function appendInSlices(
  memtables: Memtables,
  batch: StreamBatch,
  schema: Schema,
  partitionKeys: readonly PartitionKey[] | undefined,
  sliceMs: number,
): Promise<void> {
  const { key, records, ts } = batch;
  if (sliceMs <= 0 || records.length <= RECORDS_PER_APPEND) {
    memtables.append(key, schema, records, ts, partitionKeys);
    return;
  }
  let sliceStart = performance.now();
  for (let from = 0; from < records.length; from += RECORDS_PER_APPEND) {
    const to = Math.min(records.length, from + RECORDS_PER_APPEND);
    memtables.append(key, schema, records.slice(from, to), ts.slice(from, to), partitionKeys);
    if (to === records.length || performance.now() - sliceStart < sliceMs) continue;
    await nextTurn();
    sliceStart = performance.now();
  }
}
