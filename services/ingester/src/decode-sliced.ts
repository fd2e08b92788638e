import { setImmediate as nextTurn } from 'node:timers/promises';
import type { DecodedRequest, RequestDecoding } from './ingest-pipeline.js';

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
