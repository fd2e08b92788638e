// Worker thread body of FileIndexPool: decodes a file's indexed columns and builds its side
// indexes here, at background priority, instead of on the event loop of the ingester/compactor.
import { parentPort, workerData } from 'node:worker_threads';
import { reniceThisThread, wasmMemoryBytes } from '@o2/parquet';
import { buildFileIndexes } from './file-indexes.js';
import type { FileIndexJob, FileIndexReply } from './file-index-pool.js';

const data = workerData as { niceness?: number } | undefined;
reniceThisThread(data?.niceness);

const port = parentPort;
if (port === null) throw new Error('file-index-worker must run in a worker thread');

port.on('message', (job: FileIndexJob) => {
  void answer(job).then(
    (reply) => {
      const moved = [reply.tokens, reply.traceIds].flatMap((b) => (b ? [b.buffer] : []));
      port.postMessage(reply, moved as ArrayBuffer[]);
    },
    (err: unknown) =>
      port.postMessage({
        id: job.id,
        ok: false,
        message: err instanceof Error ? err.message : String(err),
        wasmMemoryBytes: wasmMemoryBytes(),
      } satisfies FileIndexReply),
  );
});

async function answer(job: FileIndexJob): Promise<FileIndexReply & { ok: true }> {
  const indexes = await buildFileIndexes(job.body, job.request);
  return { id: job.id, ok: true, ...indexes, wasmMemoryBytes: wasmMemoryBytes() };
}
