/**
 * Main-thread cost of a file's side indexes: `pnpm --filter @o2/token-index bench [rows]
 * [rounds]`. Builds one k8s-log data file (`generateK8sLogs`, 16384-row groups, as the ingester
 * uploads), then alternates building its indexes on this thread (`buildFileIndexes`, what
 * persist and merge did) with `FileIndexPool.build`, and reports per mode the medians of wall
 * time, of this thread's busy time over the call (event-loop utilisation, which includes a
 * 5 ms ticker's wake-ups) and of the longest event-loop stall (late ticks).
 */
import { performance } from 'node:perf_hooks';
import { BACKGROUND_NICENESS, ColumnarBatchBuilder, encodeParquet } from '@o2/parquet';
import type { ColumnSpec, FlatRecord, RecordValue } from '@o2/parquet';
import { generateK8sLogs } from '@o2/testing';
import { buildFileIndexes } from '../file-indexes.js';
import type { FileIndexes, FileIndexRequest } from '../file-indexes.js';
import { FileIndexPool } from '../file-index-pool.js';

const rows = Number(process.argv[2] ?? 200_000);
const rounds = Number(process.argv[3] ?? 6);

function dataFile(): Uint8Array {
  const source = generateK8sLogs({ count: rows, time: { startMicros: 0, endMicros: 3.6e9 } });
  const types = new Map<string, ColumnSpec['type']>();
  const records: FlatRecord[] = source.map((record) => {
    const flat: Record<string, string | number> = {};
    for (const [key, value] of Object.entries(record)) {
      if (value === null || value === undefined) continue;
      const name = key.replace(/[^a-z0-9_]/gi, '_').toLowerCase();
      const type = typeof value === 'number' && name !== '_timestamp' ? 'Int64' : 'Utf8';
      if (name !== '_timestamp') types.set(name, types.get(name) === 'Utf8' ? 'Utf8' : type);
      flat[name] = typeof value === 'object' ? JSON.stringify(value) : (value as string | number);
    }
    return flat;
  });
  const specs = [...types].map(([name, type]) => ({ name, type }));
  const builder = new ColumnarBatchBuilder(specs);
  for (const record of records) {
    const row: Record<string, RecordValue> = {};
    for (const [name, value] of Object.entries(record)) {
      row[name] = types.get(name) === 'Utf8' && typeof value === 'number' ? String(value) : value;
    }
    builder.append(row);
  }
  return encodeParquet(builder.finish(), { rowGroupSize: 16_384 }).bytes;
}

interface Sample {
  wallMs: number;
  busyMs: number;
  maxStallMs: number;
}

const TICK_MS = 5;

async function measure(run: () => Promise<FileIndexes>): Promise<Sample> {
  // A timer keeps the loop turning: the longest gap between its ticks is the longest stall.
  let last = performance.now();
  let maxGap = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
  }, TICK_MS);
  const elu = performance.eventLoopUtilization();
  const start = performance.now();
  await run();
  const wallMs = performance.now() - start;
  const used = performance.eventLoopUtilization(elu);
  await new Promise((resolve) => setTimeout(resolve, 2 * TICK_MS));
  clearInterval(tick);
  return { wallMs, busyMs: used.active, maxStallMs: Math.max(0, maxGap - TICK_MS) };
}

const median = (values: number[]): number => values.sort((a, b) => a - b)[values.length >> 1]!;

const body = dataFile();
const request: FileIndexRequest = { type: 'logs', settings: {}, invertedIndex: true };
const pool = new FileIndexPool({ niceness: BACKGROUND_NICENESS });
await pool.build(body, request); // worker start-up is not per file
const modes = {
  'main thread': () => buildFileIndexes(body, request),
  FileIndexPool: () => pool.build(body, request),
};
const samples = new Map<string, Sample[]>(Object.keys(modes).map((m) => [m, []]));
for (let round = 0; round < rounds; round++) {
  for (const [mode, run] of Object.entries(modes)) samples.get(mode)!.push(await measure(run));
}
await pool.close();
console.log(
  `${rows} rows, ${(body.byteLength / 1e6).toFixed(2)} MB file, ${rounds} rounds (A B A B)`,
);
for (const [mode, list] of samples) {
  const m = (key: keyof Sample) => median(list.map((s) => s[key])).toFixed(1);
  console.log(
    `${mode.padEnd(14)} wall ${m('wallMs')} ms, main thread busy ${m('busyMs')} ms, longest stall ${m('maxStallMs')} ms`,
  );
}
