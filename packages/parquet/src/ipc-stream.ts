import { AsyncByteQueue, RecordBatchStreamWriter } from 'apache-arrow';
import type { Table } from 'apache-arrow';

/** Collects the writer's output synchronously: headers plus views of the columns' own buffers. */
class ChunkSink extends AsyncByteQueue {
  readonly chunks: Uint8Array[] = [];
  byteLength = 0;

  override write(value: Uint8Array | ArrayBufferView): void {
    if (value.byteLength === 0) return;
    this.chunks.push(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    this.byteLength += value.byteLength;
  }
}

/** An Arrow IPC buffer holding one or more complete IPC streams back to back. */
export interface IpcStreams {
  ipc: Uint8Array;
  /** Where each stream ends in `ipc` (the last is `ipc.byteLength`). */
  streamEnds: number[];
}

/**
 * Serialises `table` as an Arrow IPC stream into memory from `allocate` (which may hand back
 * a recycled buffer). `tableToIPC` would join into a fresh allocation instead, and on this
 * kind of VM first-touch page faults make fresh memory cost ~4 ms per MB — more than encoding.
 */
export function tableToIpcStream(
  table: Table,
  allocate: (bytes: number) => Uint8Array,
): Uint8Array {
  return tableToIpcStreams(table, undefined, allocate).ipc;
}

/**
 * Like `tableToIpcStream`, but with `rowsPerStream` the table becomes one complete IPC stream
 * (schema, one batch, end marker) per run of that many rows, written back to back: a reader can
 * take them one at a time — the streaming Parquet writer copies one row group's worth into wasm
 * at a time instead of the whole table. Slices are views, so the only copy is the one into
 * `allocate`'s memory, as for a single stream.
 */
export function tableToIpcStreams(
  table: Table,
  rowsPerStream: number | undefined,
  allocate: (bytes: number) => Uint8Array,
): IpcStreams {
  const step = rowsPerStream ?? Math.max(1, table.numRows);
  const sinks: ChunkSink[] = [];
  let total = 0;
  for (let at = 0; at < Math.max(1, table.numRows); at += step) {
    const sink = new ChunkSink();
    const writer = new RecordBatchStreamWriter();
    writer.reset(sink);
    writer.write(rowsPerStream === undefined ? table : table.slice(at, at + step));
    writer.finish();
    sinks.push(sink);
    total += sink.byteLength;
  }
  const ipc = allocate(total).subarray(0, total);
  const streamEnds: number[] = [];
  let at = 0;
  for (const sink of sinks) {
    for (const chunk of sink.chunks) {
      ipc.set(chunk, at);
      at += chunk.byteLength;
    }
    streamEnds.push(at);
  }
  return { ipc, streamEnds };
}

/**
 * Keeps a few large buffers for reuse (see `tableToIpcStream`). Buffers above `maxBytes` are
 * not kept, so an odd giant batch does not stay resident.
 */
export class BufferRecycler {
  private readonly free: ArrayBuffer[] = [];

  constructor(
    private readonly maxBytes: number,
    private readonly maxBuffers: number,
  ) {}

  take = (bytes: number): Uint8Array => {
    const index = this.free.findIndex((b) => b.byteLength >= bytes);
    if (index >= 0) return new Uint8Array(this.free.splice(index, 1)[0]!);
    // Round up so slightly larger batches next time still fit.
    return new Uint8Array(
      bytes <= this.maxBytes ? Math.min(this.maxBytes, Math.ceil(bytes * 1.25)) : bytes,
    );
  };

  /** Bytes kept for reuse now. */
  get retainedBytes(): number {
    return this.free.reduce((sum, b) => sum + b.byteLength, 0);
  }

  /** Lets every kept buffer go (an idle pool has no batch to reuse them for). */
  clear(): void {
    this.free.length = 0;
  }

  give(buffer: ArrayBuffer): void {
    if (buffer.byteLength === 0 || buffer.byteLength > this.maxBytes) return;
    this.free.push(buffer);
    if (this.free.length > this.maxBuffers) {
      // Drop the smallest: it is the one least likely to fit the next batch.
      this.free.sort((a, b) => b.byteLength - a.byteLength).pop();
    }
  }
}
