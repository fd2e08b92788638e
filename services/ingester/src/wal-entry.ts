import { AppError } from '@o2/errors';
import type { IngestFormat, StreamKind } from '@o2/domain';
import type { WalIdempotency } from './idempotency/idempotency-store.js';

/**
 * What the WAL keeps of an acknowledged request: the raw body plus what makes re-running it
 * deterministic — the ingest time used for missing timestamps and the window, and the indexes
 * of the documents that were rejected (so a replay never stores a record we reported failed).
 * Keeping the body instead of re-serialised records costs no extra JSON work on the hot path.
 */
export interface WalEntryHeader {
  /**
   * 1: the body is the raw request; 2: the body is the stored rows (`wal-rows.ts`); 3: the raw
   * request of a `_bulk` body that may hold a delete action, decoded with O2's rule (the line
   * after a delete is the next action; a v1 `_bulk` body replays with the earlier rule, which
   * skipped it, as it was acknowledged).
   */
  v: 1 | 2 | 3;
  org: string;
  streamType: StreamKind;
  stream?: string;
  format: IngestFormat;
  /** Ingest time in µs. */
  now: number;
  /** Indexes (in decode order) of documents that were not stored. */
  skip: number[];
  /**
   * The request's Idempotency-Key with its fingerprint and answer, so a crash after this append
   * but before the journal write still answers a retry with this answer (restored on replay).
   */
  idem?: WalIdempotency;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeWalEntry(header: WalEntryHeader, body: Uint8Array): Uint8Array[] {
  const head = encoder.encode(JSON.stringify(header));
  const prefix = new Uint8Array(4);
  new DataView(prefix.buffer).setUint32(0, head.byteLength, true);
  return [prefix, head, body];
}

export function decodeWalEntry(entry: Uint8Array): { header: WalEntryHeader; body: Uint8Array } {
  if (entry.byteLength < 4) throw AppError.internal('WAL entry too short');
  const length = new DataView(entry.buffer, entry.byteOffset, 4).getUint32(0, true);
  if (4 + length > entry.byteLength) throw AppError.internal('WAL entry header overruns the entry');
  const header = JSON.parse(decoder.decode(entry.subarray(4, 4 + length))) as WalEntryHeader;
  if (header.v !== 1 && header.v !== 2 && header.v !== 3)
    throw AppError.internal(`unknown WAL entry version ${String(header.v)}`);
  return { header, body: entry.subarray(4 + length) };
}
