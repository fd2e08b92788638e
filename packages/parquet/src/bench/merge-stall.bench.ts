/**
 * How long a compaction merge stalls the calling thread's event loop: `node
 * packages/parquet/dist/bench/merge-stall.bench.js [files] [rowsPerFile] [rounds]`. Merges the
 * same files (16384-row groups, log-shaped columns) alternately the old way (decode, append and
 * sort on this thread, encode in a pool worker) and the new one (`pool.merge`, all in the
 * worker), and prints the longest event-loop delay seen during each merge with its wall time.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ColumnSpec } from '../column-spec.js';
import { ColumnarBatchBuilder } from '../columnar-batch-builder.js';
import { encodeParquet } from '../encode-parquet.js';
import { mergeParquetFiles } from '../merge-parquet-files.js';
import { BACKGROUND_NICENESS, ParquetEncoderPool } from '../parquet-encoder-pool.js';

const fileCount = Number(process.argv[2] ?? 8);
const rowsPerFile = Number(process.argv[3] ?? 50_000);
const rounds = Number(process.argv[4] ?? 3);

const schema: ColumnSpec[] = [
  { name: 'kubernetes_namespace_name', type: 'Utf8' },
  { name: 'kubernetes_pod_name', type: 'Utf8' },
  { name: 'level', type: 'Utf8' },
  { name: 'log', type: 'Utf8' },
  { name: 'code', type: 'Int64' },
  { name: 'took', type: 'Float64' },
  { name: 'ok', type: 'Boolean' },
];
const words = ['GET', 'POST', 'user', 'order', 'timeout', 'cache', 'db', 'retry', 'ok', 'fail'];
const baseTs = Date.UTC(2025, 7, 21, 10) * 1000;

function makeFile(f: number): Uint8Array {
  const builder = new ColumnarBatchBuilder(schema, { initialRows: rowsPerFile });
  for (let i = 0; i < rowsPerFile; i++) {
    const r = f * rowsPerFile + i;
    builder.append({
      _timestamp: baseTs + ((r * 7919) % (fileCount * rowsPerFile)) * 1000,
      kubernetes_namespace_name: `ns-${r % 7}`,
      kubernetes_pod_name: `pod-${r % 113}-${(r * 31) % 997}`,
      level: r % 50 === 0 ? 'error' : 'info',
      log: `${words[r % 10]} /api/v1/${words[(r * 3) % 10]}/${r} took ${r % 1000}ms id=${r * 2654435761}`,
      code: r % 17 === 0 ? 500 : 200,
      took: (r % 1000) / 7,
      ok: r % 17 !== 0,
    });
  }
  return encodeParquet(builder.finish(), { rowGroupSize: 16_384 }).bytes;
}

const files = Array.from({ length: fileCount }, (_, f) => makeFile(f));
const inputBytes = files.reduce((sum, f) => sum + f.byteLength, 0);
const pool = new ParquetEncoderPool({ size: 1, niceness: BACKGROUND_NICENESS });
const options = { rowGroupSize: 16_384 };

const ways = {
  'this thread': () => mergeParquetFiles(files, [], { ...options, encode: pool.encode }),
  'pool.merge': () =>
    pool.merge(
      files.map((f) => f.slice()),
      [],
      options,
    ),
};

// Warm both (worker start, wasm compile) so the rounds measure steady state.
for (const merge of Object.values(ways)) await merge();
console.log(
  `${fileCount} files × ${rowsPerFile} rows, ${(inputBytes / 1e6).toFixed(1)} MB Parquet in`,
);
for (let round = 0; round < rounds; round++) {
  for (const [name, merge] of Object.entries(ways)) {
    const histogram = monitorEventLoopDelay({ resolution: 5 });
    histogram.enable();
    const started = performance.now();
    const merged = await merge();
    const wall = performance.now() - started;
    histogram.disable();
    const ms = (ns: number): string => (ns / 1e6).toFixed(0).padStart(5);
    console.log(
      `round ${round + 1} ${name.padEnd(12)} wall ${wall.toFixed(0).padStart(5)} ms` +
        `  loop delay max ${ms(histogram.max)} ms p99 ${ms(histogram.percentile(99))} ms` +
        `  → ${merged.records} rows ${(merged.compressedSize / 1e6).toFixed(1)} MB`,
    );
  }
}
await pool.close();
