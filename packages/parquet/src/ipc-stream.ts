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

/**
 * Serialises `table` as an Arrow IPC stream into memory from `allocate` (which may hand back
 * a recycled buffer). `tableToIPC` would join into a fresh allocation instead, and on this
 * kind of VM first-touch page faults make fresh memory cost ~4 ms per MB — more than encoding.
 */
export function tableToIpcStream(
  table: Table,
  allocate: (bytes: number) => Uint8Array,
): Uint8Array {
  const sink = new ChunkSink();
  const writer = new RecordBatchStreamWriter();
  writer.reset(sink);
  writer.write(table);
  writer.finish();
  const out = allocate(sink.byteLength).subarray(0, sink.byteLength);
  let at = 0;
  for (const chunk of sink.chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
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
