import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import {
  FRAME_HEADER_BYTES,
  MAX_ENTRY_BYTES,
  SEGMENT_HEADER_BYTES,
  decodeSegmentHeader,
  frameCrcMatches,
} from './segment-format.js';
import type { SegmentHeader } from './segment-format.js';

/** Why reading a segment stopped before its end. */
export type StopReason =
  | 'short-segment-header'
  | 'bad-segment-header'
  | 'short-frame-header'
  | 'bad-length'
  | 'short-payload'
  | 'bad-crc';

export type SegmentEnd =
  | { kind: 'clean'; header: SegmentHeader; end: number; entries: number }
  | {
      kind: 'stopped';
      header: SegmentHeader | null;
      /** Offset of the first byte that is not part of a valid entry. */
      offset: number;
      reason: StopReason;
      detail: string;
      entries: number;
    };

export interface SegmentRecord {
  offset: number;
  entry: Uint8Array;
}

export interface ReadSegmentOptions {
  /** Segment id the file name promises; a header naming another id is corruption. */
  id: number;
  /** Read no further than this offset (the committed size of a segment still being written). */
  limit?: number;
  /**
   * Yield copies the caller may keep. Without it, entries are views into the 1 MiB read window
   * (keeping one would pin the whole window), which is all the tail scan at open time needs.
   */
  copy: boolean;
}

const CHUNK_BYTES = 1024 * 1024;

/**
 * Reads a segment front to back, yielding every entry whose frame is intact; `end` then says
 * where and why it stopped. It never throws for bad bytes: whether they are a torn tail
 * (truncate) or corruption (fail) is the caller's call, because only it knows which segment is
 * the last one.
 */
export class SegmentScan implements AsyncIterable<SegmentRecord> {
  private result: SegmentEnd | null = null;

  constructor(
    readonly path: string,
    private readonly options: ReadSegmentOptions,
  ) {}

  /** How the scan ended; only known once iteration ran to completion. */
  get end(): SegmentEnd {
    if (this.result === null) throw new Error(`scan of ${this.path} has not finished`);
    return this.result;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<SegmentRecord, void, void> {
    const file = await open(this.path, 'r');
    try {
      const size = (await file.stat()).size;
      const reader = new WindowReader(file, Math.min(size, this.options.limit ?? size));
      const headerBytes = await reader.read(0, SEGMENT_HEADER_BYTES);
      if (headerBytes === null) {
        this.result = stopped(null, 0, 'short-segment-header', `segment is ${size} bytes`, 0);
        return;
      }
      const header = decodeSegmentHeader(headerBytes);
      if (typeof header === 'string') {
        this.result = stopped(null, 0, 'bad-segment-header', header, 0);
        return;
      }
      if (header.id !== this.options.id) {
        const detail = `header names segment ${header.id}`;
        this.result = stopped(null, 0, 'bad-segment-header', detail, 0);
        return;
      }
      let offset = SEGMENT_HEADER_BYTES;
      let entries = 0;
      const stop = (reason: StopReason, detail: string): void => {
        this.result = stopped(header, offset, reason, detail, entries);
      };
      while (offset < reader.limit) {
        const frame = await reader.read(offset, FRAME_HEADER_BYTES);
        if (frame === null) return stop('short-frame-header', 'frame header cut short');
        const length = frame.readUInt32LE(0);
        if (length > MAX_ENTRY_BYTES) return stop('bad-length', `length ${length} is impossible`);
        // Copied out: the payload read below may move the window the frame header lives in.
        const frameHeader = Buffer.from(frame);
        const payload = await reader.read(offset + FRAME_HEADER_BYTES, length);
        if (payload === null) return stop('short-payload', `payload of ${length} bytes cut short`);
        if (!frameCrcMatches(frameHeader, payload)) return stop('bad-crc', 'payload crc mismatch');
        yield { offset, entry: this.options.copy ? Buffer.from(payload) : payload };
        entries += 1;
        offset += FRAME_HEADER_BYTES + length;
      }
      this.result = { kind: 'clean', header, end: offset, entries };
    } finally {
      await file.close();
    }
  }
}

function stopped(
  header: SegmentHeader | null,
  offset: number,
  reason: StopReason,
  detail: string,
  entries: number,
): SegmentEnd {
  return { kind: 'stopped', header, offset, reason, detail, entries };
}

/** A sliding read window so that small entries cost one read per megabyte, not two per entry. */
class WindowReader {
  private window = Buffer.alloc(0);
  private windowStart = 0;

  constructor(
    private readonly file: FileHandle,
    readonly limit: number,
  ) {}

  /** Bytes [offset, offset + length), or null when they are not all in the file. */
  async read(offset: number, length: number): Promise<Buffer | null> {
    if (offset + length > this.limit) return null;
    const relative = offset - this.windowStart;
    if (relative >= 0 && relative + length <= this.window.length) {
      return this.window.subarray(relative, relative + length);
    }
    const size = Math.min(Math.max(length, CHUNK_BYTES), this.limit - offset);
    const next = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await this.file.read(next, filled, size - filled, offset + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled < length) return null;
    this.window = next.subarray(0, filled);
    this.windowStart = offset;
    return this.window.subarray(0, length);
  }
}
