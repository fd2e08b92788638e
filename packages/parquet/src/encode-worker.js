// Worker thread body of ParquetEncoderPool. Plain JS for the reason given in parquet-writer.js.
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import {
  wasmMemoryBytes,
  writeParquetFromIpcPieces,
  writeParquetFromIpcStreams,
} from './parquet-writer.js';
import { reniceThisThread } from './renice-thread.js';

/**
 * @typedef {object} EncodeJob
 * @property {'encode'} kind
 * @property {number} id
 * @property {Uint8Array} ipc  one IPC stream per row group
 * @property {number[]} streamEnds  where each stream ends in `ipc`
 * @property {import('./parquet-writer.js').ParquetWriterOptions} options
 */

/**
 * @typedef {object} EncodeGroupsJob  row groups asked of the pool one at a time (`pull`)
 * @property {'encode-groups'} kind
 * @property {number} id
 * @property {import('./parquet-writer.js').ParquetWriterOptions} options
 */

/**
 * @typedef {object} PieceMessage  the pool's answer to a `pull`
 * @property {'piece'} kind
 * @property {number} id
 * @property {Uint8Array} [ipc]  the next row group's IPC stream; absent when there is none
 * @property {boolean} [failed]  the pool could not make it: the encode ends with a failure
 */

/**
 * @typedef {object} MergeJob
 * @property {'merge'} kind
 * @property {number} id
 * @property {Uint8Array[]} files
 * @property {import('./column-spec.js').ColumnSpec[]} schema
 * @property {import('./encode-parquet.js').EncodeParquetOptions} options
 */

/** @param {Uint8Array} view */
const transferable = (view) => /** @type {ArrayBuffer} */ (view.buffer);

/** @type {{ niceness?: number } | undefined} */
const data = workerData;
reniceThisThread(data?.niceness);

if (parentPort === null) throw new Error('encode-worker.js must run in a worker thread');
const port = parentPort;

/** @type {Promise<typeof import('./merge-parquet-files.js')> | undefined} */
let merger;

/**
 * The merge is TypeScript (it shares the batch builder with the memtable). From dist/ its
 * compiled file sits next to this one; from src/ (vitest runs workers untransformed) the
 * sources are loaded through ts-source-hooks.js. Loaded on the first merge only, so encode-only
 * pools never pay for it.
 */
function loadMerger() {
  const compiled = new URL('./merge-parquet-files.js', import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return import(compiled.href);
  register('./ts-source-hooks.js', import.meta.url);
  return import(new URL('./merge-parquet-files.ts', import.meta.url).href);
}

/** @param {unknown} err */
const failure = (err) => ({
  ok: false,
  message: err instanceof Error ? err.message : String(err),
  // An AppError's code (e.g. INVALID_ARGUMENT for a corrupt input) survives the thread hop.
  code:
    typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string'
      ? err.code
      : undefined,
});

/** @param {EncodeJob} job */
async function encode(job) {
  try {
    const bytes = await writeParquetFromIpcStreams(job.ipc, job.streamEnds, job.options);
    // The file's bytes are joined outside wasm, so their buffer can move without copying.
    // The IPC input goes back too, so the pool can reuse its (already faulted-in) memory.
    port.postMessage(
      { id: job.id, ok: true, bytes, ipc: job.ipc, wasmMemoryBytes: wasmMemoryBytes() },
      [transferable(bytes), transferable(job.ipc)],
    );
  } catch (err) {
    port.postMessage(
      { id: job.id, ...failure(err), ipc: job.ipc, wasmMemoryBytes: wasmMemoryBytes() },
      [transferable(job.ipc)],
    );
  }
}

/**
 * Hands the pool's next piece to the pull waiting for it (one job runs at a time).
 * @type {((piece: PieceMessage) => void) | undefined}
 */
let deliverPiece;

/**
 * The row groups of an `encode-groups` job, each asked of the pool when the writer wants it.
 * Each piece goes back with the next pull: wasm has copied it by then, and the pool reuses the
 * memory. `returned.last` is the final piece, to go back with the answer.
 *
 * @param {number} id
 * @param {{ last?: Uint8Array }} returned
 * @returns {AsyncGenerator<Uint8Array>}
 */
async function* piecesFromPool(id, returned) {
  for (;;) {
    const previous = returned.last;
    returned.last = undefined;
    /** @type {PieceMessage} */
    const piece = await new Promise((resolve) => {
      deliverPiece = resolve;
      port.postMessage(
        { id, pull: true, ipc: previous },
        previous === undefined ? [] : [transferable(previous)],
      );
    });
    if (piece.failed === true) throw new Error('the row groups to encode could not be made');
    if (piece.ipc === undefined) return;
    returned.last = piece.ipc;
    yield piece.ipc;
  }
}

/** @param {EncodeGroupsJob} job */
async function encodeGroups(job) {
  /** @type {{ last?: Uint8Array }} */
  const returned = {};
  const back = () => (returned.last === undefined ? [] : [transferable(returned.last)]);
  try {
    const bytes = await writeParquetFromIpcPieces(piecesFromPool(job.id, returned), job.options);
    port.postMessage(
      { id: job.id, ok: true, bytes, ipc: returned.last, wasmMemoryBytes: wasmMemoryBytes() },
      [transferable(bytes), ...back()],
    );
  } catch (err) {
    port.postMessage(
      { id: job.id, ...failure(err), ipc: returned.last, wasmMemoryBytes: wasmMemoryBytes() },
      back(),
    );
  }
}

/** @param {MergeJob} job */
async function merge(job) {
  try {
    merger ??= loadMerger();
    const { mergeParquetFiles } = await merger;
    const { bytes, ...stats } = await mergeParquetFiles(job.files, job.schema, job.options);
    port.postMessage({ id: job.id, ok: true, bytes, stats, wasmMemoryBytes: wasmMemoryBytes() }, [
      transferable(bytes),
    ]);
  } catch (err) {
    port.postMessage({ id: job.id, ...failure(err), wasmMemoryBytes: wasmMemoryBytes() });
  }
}

// The pool sends one job at a time, so a merge never overlaps another job in this worker.
port.on('message', (/** @type {EncodeJob | EncodeGroupsJob | MergeJob | PieceMessage} */ job) => {
  if (job.kind === 'piece') {
    const deliver = deliverPiece;
    deliverPiece = undefined;
    deliver?.(job);
  } else if (job.kind === 'merge') void merge(job);
  else if (job.kind === 'encode-groups') void encodeGroups(job);
  else void encode(job);
});
