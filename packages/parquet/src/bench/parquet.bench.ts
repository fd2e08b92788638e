/**
 * Build + encode benchmark on k8slog-shaped rows: `pnpm --filter @o2/parquet bench [rows]
 * [batchRows] [path/to/records.json]` (without a path: 981 records from `generateK8sLogs`).
 * Records are flattened once up front (the ingester hands us flat records); the clock covers
 * columnarising, sorting and Parquet encoding, in batches of `batchRows` as memtables would
 * rotate.
 */
import { readFileSync } from 'node:fs';
import type { Table } from 'apache-arrow';
import { generateK8sLogs } from '@o2/testing';
import type { ColumnSpec, FlatRecord } from '../column-spec.js';
import { ColumnarBatchBuilder } from '../columnar-batch-builder.js';
import { encodeParquet } from '../encode-parquet.js';
import { ParquetEncoderPool } from '../parquet-encoder-pool.js';

const rows = Number(process.argv[2] ?? 200_000);
const batchRows = Number(process.argv[3] ?? 50_000);
const path = process.argv[4];

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Naive stand-in for packages/schema: nested keys joined with `_`, odd characters to `_`. */
function flatten(
  value: { [key: string]: Json },
  prefix = '',
  out: Record<string, string | number | boolean> = {},
) {
  for (const [rawKey, v] of Object.entries(value)) {
    const key = prefix + rawKey.toLowerCase().replace(/[^a-z0-9_]/g, '_');
    if (v === null) continue;
    if (Array.isArray(v)) out[key] = JSON.stringify(v);
    else if (typeof v === 'object') flatten(v, `${key}_`, out);
    else out[key] = v;
  }
  return out;
}

const source = (
  path === undefined ? generateK8sLogs() : JSON.parse(readFileSync(path, 'utf8'))
) as Array<{ [key: string]: Json }>;
const flat = source.map((r) => flatten(r));
const jsonBytes = source.map((r) => Buffer.byteLength(JSON.stringify(r)));
const types = new Map<string, ColumnSpec['type']>();
for (const record of flat) {
  for (const [key, v] of Object.entries(record)) {
    const type =
      typeof v === 'string'
        ? 'Utf8'
        : typeof v === 'boolean'
          ? 'Boolean'
          : Number.isInteger(v)
            ? 'Int64'
            : 'Float64';
    const known = types.get(key);
    types.set(key, known === undefined || known === type ? type : 'Utf8');
  }
}
const schema: ColumnSpec[] = [...types].map(([name, type]) => ({ name, type }));

// Materialise the input records first so the timed loop measures our code, not object creation.
const baseTs = Date.UTC(2025, 7, 21, 10) * 1000;
const records: FlatRecord[] = [];
let inputBytes = 0;
for (let i = 0; i < rows; i++) {
  const k = i % flat.length;
  // Mostly ascending with jitter, as records from several senders arrive.
  records.push({ ...flat[k], _timestamp: baseTs + i * 10 + ((i * 7919) % 1000) });
  inputBytes += jsonBytes[k]!;
}

interface Phases {
  append: number;
  finish: number;
  encode: number;
  /** Process CPU ms over the whole run: steadier than wall time on a shared machine. */
  cpu: number;
  compressed: number;
}

const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** Builds and encodes all rows in batches; `encode` gets each finished table. */
async function run(encode: (table: Table) => Promise<number>): Promise<Phases> {
  const phases: Phases = { append: 0, finish: 0, encode: 0, cpu: 0, compressed: 0 };
  const cpu0 = cpuMs();
  const builder = new ColumnarBatchBuilder(schema, { initialRows: batchRows, retainBuffers: true });
  for (let start = 0; start < rows; start += batchRows) {
    const t0 = performance.now();
    const end = Math.min(rows, start + batchRows);
    for (let i = start; i < end; i++) builder.append(records[i]!);
    const t1 = performance.now();
    const table = builder.finish();
    const t2 = performance.now();
    phases.compressed += await encode(table);
    phases.append += t1 - t0;
    phases.finish += t2 - t1;
    phases.encode += performance.now() - t2;
  }
  phases.cpu = cpuMs() - cpu0;
  return phases;
}

function report(label: string, p: Phases): void {
  const mb = inputBytes / 1e6;
  const rate = (ms: number): string =>
    `${(rows / (ms / 1000) / 1e3).toFixed(0)}k rows/s, ${(mb / (ms / 1000)).toFixed(0)} MB/s`;
  const total = p.append + p.finish + p.encode;
  console.log(
    `${label}: append ${rate(p.append)} | finish (sort) ${rate(p.finish)} | encode ${rate(p.encode)}` +
      ` | total ${rate(total)} of JSON (CPU time: ${rate(p.cpu)})` +
      ` | compressed/raw ${((p.compressed / inputBytes) * 100).toFixed(2)}%`,
  );
}

console.log(
  `${rows} rows × ${schema.length} columns from ${path ?? 'generateK8sLogs()'}: ${(inputBytes / 1e6).toFixed(1)} MB of JSON, batches of ${batchRows}`,
);
// The first round warms up V8 and the wasm tiers; later rounds are the figures to quote.
for (let round = 1; round <= 3; round++) {
  report(`direct #${round}`, await run((t) => Promise.resolve(encodeParquet(t).compressedSize)));
}
const pool = new ParquetEncoderPool({ size: 1 });
for (let round = 1; round <= 2; round++) {
  report(`worker #${round}`, await run(async (t) => (await pool.encode(t)).compressedSize));
}
await pool.close();

// Cycling 981 records flatters compression; one file of the distinct records is the honest ratio.
const distinct = new ColumnarBatchBuilder(schema);
flat.forEach((record, i) => distinct.append({ ...record, _timestamp: baseTs + i * 1000 }));
const distinctFile = encodeParquet(distinct.finish());
const distinctJson = jsonBytes.reduce((sum, n) => sum + n, 0);
console.log(
  `distinct records only (${flat.length}): ${distinctJson} B of JSON → ${distinctFile.compressedSize} B of Parquet` +
    ` (${((distinctFile.compressedSize / distinctJson) * 100).toFixed(1)}%)`,
);
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
