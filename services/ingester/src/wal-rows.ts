import { AppError } from '@o2/errors';
import type { FlatRecord } from '@o2/schema';
import { TIMESTAMP_COLUMN } from '@o2/schema';
import type { DecodedRequest, DocOutcome, StreamBatch } from './ingest-pipeline.js';
import type { WalEntryHeader } from './wal-entry.js';

/**
 * The WAL body of a request a realtime pipeline transformed: the rows as stored, not the raw
 * body. Replaying the raw body would run the pipeline again with whatever functions exist at
 * replay time, which need not be the ones that produced the acknowledged rows; so the rows
 * themselves are kept, and replay only re-applies schema casts (idempotent). Such entries have
 * header `v: 2`; an older binary refuses them instead of misreading them.
 *
 * JSON of `[[stream, [record, …]], …]`; records are flat, so the only object values are bigints
 * written as `{"$n":"digits"}`.
 */
const decoder = new TextDecoder();

export function encodeRows(batches: ReadonlyMap<string, StreamBatch>): Uint8Array {
  const out: Array<[string, FlatRecord[]]> = [];
  for (const [stream, batch] of batches)
    if (batch.records.length > 0) out.push([stream, batch.records]);
  let text: string;
  try {
    text = JSON.stringify(out); // the common case: no bigint, no replacer call per value
  } catch {
    text = JSON.stringify(out, (_key, value: unknown) =>
      typeof value === 'bigint' ? { $n: value.toString() } : value,
    );
  }
  // Buffer.from is ~2.4× faster than TextEncoder on these strings (8.7 → 3.7 µs per k8s row).
  return Buffer.from(text, 'utf8');
}

export function decodeRows(header: WalEntryHeader, body: Uint8Array): DecodedRequest {
  const parsed = JSON.parse(decoder.decode(body), (_key, value: unknown) =>
    typeof value === 'object' && value !== null && !Array.isArray(value) && '$n' in value
      ? BigInt((value as { $n: string }).$n)
      : value,
  ) as unknown;
  if (!Array.isArray(parsed)) throw AppError.internal('WAL rows entry is not a list');
  const batches = new Map<string, StreamBatch>();
  const outcomes: DocOutcome[] = [];
  for (const [stream, records] of parsed as Array<[string, FlatRecord[]]>) {
    const batch: StreamBatch = {
      key: { org: header.org, type: header.streamType, stream },
      records,
      ts: records.map((r) => r[TIMESTAMP_COLUMN] as number),
      docIndexes: [],
    };
    for (let i = 0; i < records.length; i++) {
      outcomes.push({ stream, doc: { value: records[i] } });
      batch.docIndexes.push(outcomes.length - 1);
    }
    batches.set(stream, batch);
  }
  return { batches, outcomes };
}
