/**
 * Normalisation throughput on k8s-shaped records (981 generated ones, or a JSON array file you
 * name) repeated to ~100 MB.
 * Run: `pnpm --filter @o2/schema bench [path/to/records.json | -] [target MB]`.
 * MB/s is over the records' JSON text, i.e. what an ingest request body would carry.
 */
import { readFileSync } from 'node:fs';
import { generateK8sLogs } from '@o2/testing';
import { conformRecord } from '../conform-record.js';
import { evolveSchema } from '../evolve-schema.js';
import type { Schema } from '../field-type.js';
import type { FlatRecord } from '../flat-record.js';
import { KeyCache } from '../key-cache.js';
import type { NormalizeOptions } from '../normalize-record.js';
import { normalizeRecord } from '../normalize-record.js';

// pnpm forwards a literal `--` before script arguments
const args = process.argv.slice(2).filter((a) => a !== '--');
const path = args[0] === undefined || args[0] === '-' ? undefined : args[0];
const targetMb = Number(args[1] ?? 100);

const sample =
  path === undefined
    ? generateK8sLogs()
    : (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>[]);
const now = Date.now() * 1000;
const withIsoTime = sample.map((r, i) => ({
  '@timestamp': new Date(now / 1000 - i * 1000).toISOString(),
  ...r,
}));

interface Stage {
  name: string;
  run: (batchText: string, options: NormalizeOptions) => number;
}

let schema: Schema = [];

const stages: Stage[] = [
  {
    name: 'normalizeRecord only',
    run: (text, options) => {
      const batch = JSON.parse(text) as unknown[];
      const start = performance.now();
      for (const r of batch) normalizeRecord(r, options);
      return performance.now() - start;
    },
  },
  {
    name: 'JSON.parse + normalizeRecord',
    run: (text, options) => {
      const start = performance.now();
      const batch = JSON.parse(text) as unknown[];
      for (const r of batch) normalizeRecord(r, options);
      return performance.now() - start;
    },
  },
  {
    name: 'JSON.parse + normalize + evolveSchema + conformRecord',
    run: (text, options) => {
      const start = performance.now();
      const batch = JSON.parse(text) as unknown[];
      const records: FlatRecord[] = [];
      for (const r of batch) {
        const result = normalizeRecord(r, options);
        if (result.ok) records.push(result.record);
      }
      schema = evolveSchema(schema, records).schema;
      for (const r of records) conformRecord(r, schema);
      return performance.now() - start;
    },
  },
];

function measure(label: string, records: Record<string, unknown>[]): void {
  const text = JSON.stringify(records);
  const bytesPerBatch = Buffer.byteLength(text);
  const batches = Math.max(1, Math.round((targetMb * 1e6) / bytesPerBatch));
  const totalMb = (bytesPerBatch * batches) / 1e6;
  console.log(`\n${label}: ${records.length} records × ${batches} = ${totalMb.toFixed(1)} MB`);
  for (const stage of stages) {
    const options: NormalizeOptions = {
      nowMicros: now,
      streamName: 'k8s',
      keyCache: new KeyCache(),
    };
    schema = [];
    for (let i = 0; i < 3; i++) stage.run(text, options); // warm-up
    let ms = 0;
    for (let i = 0; i < batches; i++) ms += stage.run(text, options);
    const seconds = ms / 1000;
    const rps = (records.length * batches) / seconds;
    console.log(
      `  ${stage.name.padEnd(54)} ${(rps / 1e3).toFixed(0).padStart(6)}k records/s ${(totalMb / seconds).toFixed(1).padStart(7)} MB/s`,
    );
  }
}

console.log(`node ${process.version}, records from ${path ?? 'generateK8sLogs()'}`);
measure('k8slog (no timestamp field)', sample);
measure('k8slog + ISO @timestamp', withIsoTime);
