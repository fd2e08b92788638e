// Worker thread body of ParquetEncoderPool. Plain JS for the reason given in parquet-writer.js.
import { parentPort, workerData } from 'node:worker_threads';
import { wasmMemoryBytes, writeParquetFromIpc } from './parquet-writer.js';
import { reniceThisThread } from './renice-thread.js';

/**
 * @typedef {object} EncodeJob
 * @property {number} id
 * @property {Uint8Array} ipc
 * @property {import('./parquet-writer.js').ParquetWriterOptions} options
 */

/** @param {Uint8Array} view */
const transferable = (view) => /** @type {ArrayBuffer} */ (view.buffer);

/** @type {{ niceness?: number } | undefined} */
const data = workerData;
reniceThisThread(data?.niceness);

const port = parentPort;
if (port === null) throw new Error('encode-worker.js must run in a worker thread');

port.on('message', (/** @type {EncodeJob} */ job) => {
  try {
    const bytes = writeParquetFromIpc(job.ipc, job.options);
    // wasm-bindgen hands back a fresh copy, so its buffer can move without copying.
    // The IPC input goes back too, so the pool can reuse its (already faulted-in) memory.
    port.postMessage(
      { id: job.id, ok: true, bytes, ipc: job.ipc, wasmMemoryBytes: wasmMemoryBytes() },
      [transferable(bytes), transferable(job.ipc)],
    );
  } catch (err) {
    port.postMessage(
      {
        id: job.id,
        ok: false,
        message: err instanceof Error ? err.message : String(err),
        ipc: job.ipc,
        wasmMemoryBytes: wasmMemoryBytes(),
      },
      [transferable(job.ipc)],
    );
  }
});
