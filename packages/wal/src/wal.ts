import type { TailRecovery } from './recover-dir.js';

/** A segment's sequence number; segment `n` is the file `{dir}/{n, zero-padded to 20}.wal`. */
export type SegmentId = number;

/** Where an entry lives: its segment and the byte offset of its frame in that file. */
export interface WalPosition {
  segment: SegmentId;
  offset: number;
}

export interface WalRecord {
  position: WalPosition;
  /** A copy the caller owns. */
  entry: Uint8Array;
}

export interface SegmentInfo {
  id: SegmentId;
  path: string;
  /** Committed bytes, header included. */
  bytes: number;
  /** The segment appends go to; never dropped. */
  active: boolean;
}

export interface WalOptions {
  /** One WAL per directory, and one process per WAL. Created if missing. */
  dir: string;
  /** fdatasync after every group commit before acknowledging it (ZO_WAL_FSYNC_DISABLED=false). */
  fsync: boolean;
  /** Rotate before a segment would grow past this (ZO_MAX_FILE_SIZE_ON_DISK, in bytes). */
  maxSegmentBytes: number;
  /** Rotate, on the next append, a segment older than this (ZO_MAX_FILE_RETENTION_TIME). */
  maxSegmentAgeMs: number;
  /** Clock for segment age, in ms. Defaults to Date.now. */
  now?: () => number;
}

/**
 * An append-only log of opaque entries. An append that has resolved is in the file (and, with
 * `fsync`, on stable storage); see the package README for the exact guarantees.
 */
export interface Wal {
  readonly dir: string;
  /** What opening did to the tail of the last segment it found. */
  readonly recovery: TailRecovery;
  /**
   * Appends one entry, given whole or as chunks that are written back to back as one entry
   * (so a header and a body need not be concatenated). Concurrent appends are written in call
   * order and may share one write and one fsync. Do not modify the bytes until it settles.
   */
  append(entry: Uint8Array | readonly Uint8Array[]): Promise<WalPosition>;
  /**
   * Closes the active segment (once earlier appends are written) and starts a new one. Every
   * entry appended before the call is in a segment whose id is at most the returned id. With
   * an empty active segment nothing rotates and the id before it is returned.
   */
  rotate(): Promise<SegmentId>;
  /**
   * Every entry in every segment, oldest first, each exactly once. Throws AppError INTERNAL
   * naming the segment and offset at the first corrupt byte, after yielding everything before it.
   */
  replay(): AsyncIterable<WalRecord>;
  /** Deletes closed segments with id <= `segment`, oldest first. Rejects the active segment. */
  dropThrough(segment: SegmentId): Promise<void>;
  segments(): SegmentInfo[];
  /**
   * Why appends are failing right now (the disk is full, or the WAL is unusable after a failed
   * sync), for readiness; undefined once an append succeeds again.
   */
  degradedReason(): string | undefined;
  /** Writes what is queued, syncs the active segment and closes it. Idempotent. */
  close(): Promise<void>;
}
