// Worker thread body of ParquetEncoderPool. Plain JS for the reason given in parquet-writer.js.
import { parentPort } from 'node:worker_threads';
import { wasmMemoryBytes, writeParquetFromIpc } from './parquet-writer.js';

/**
 * @typedef {object} EncodeJob
 * @property {number} id
 * @property {Uint8Array} ipc
 * @property {import('./parquet-writer.js').ParquetWriterOptions} options
 */

const port = parentPort;
if (port === null) throw new Error('encode-worker.js must run in a worker thread');

port.on('message', (/** @type {EncodeJob} */ job) => {
  try {
    const bytes = writeParquetFromIpc(job.ipc, job.options);
    // wasm-bindgen hands back a fresh copy, so its buffer can move without copying.
    const transfer = /** @type {ArrayBuffer} */ (bytes.buffer);
    port.postMessage({ id: job.id, ok: true, bytes, wasmMemoryBytes: wasmMemoryBytes() }, [
      transfer,
    ]);
  } catch (err) {
    port.postMessage({
      id: job.id,
      ok: false,
      message: err instanceof Error ? err.message : String(err),
      wasmMemoryBytes: wasmMemoryBytes(),
    });
  }
});
