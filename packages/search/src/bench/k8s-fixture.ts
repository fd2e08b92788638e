import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { ColumnarBatchBuilder, encodeParquet } from '@o2/parquet';
import { evolveSchema, normalizeRecord } from '@o2/schema';
import type { FlatRecord } from '@o2/schema';
import { generateK8sLogs } from '@o2/testing';
import type { StreamField } from '../types.js';

/**
 * 981 generated Kubernetes log records shaped like the sample every O2 guide ingests (no
 * timestamps of their own), always the same ones.
 */
export function k8sLogSample(): Array<Record<string, unknown>> {
  return generateK8sLogs();
}

export interface FlatRecordsOptions {
  /** `_timestamp` of record 0, µs. */
  baseMicros: number;
  /** µs between consecutive records. */
  stepMicros: number;
  /** How many records to make (cycling through the sample); default: the sample once. */
  count?: number;
}

/** The sample flattened as O2 ingests it, record i stamped `baseMicros + i * stepMicros`. */
export function flatK8sRecords(raw: readonly unknown[], options: FlatRecordsOptions): FlatRecord[] {
  const count = options.count ?? raw.length;
  const out: FlatRecord[] = [];
  for (let i = 0; i < count; i++) {
    const now = options.baseMicros + i * options.stepMicros;
    const result = normalizeRecord(raw[i % raw.length], { nowMicros: now, streamName: 'default' });
    if (!result.ok) throw new Error(result.error);
    out.push(result.record);
  }
  return out;
}

export function schemaOf(records: readonly FlatRecord[]): StreamField[] {
  return evolveSchema([], records).schema.map((f) => ({ name: f.name, type: f.type }));
}

export function tableOf(schema: readonly StreamField[], records: readonly FlatRecord[]): Table {
  const builder = new ColumnarBatchBuilder(schema, { initialRows: records.length });
  for (const record of records) builder.append(record);
  return builder.finish();
}

export async function writeParquet(
  dir: string,
  name: string,
  schema: readonly StreamField[],
  records: readonly FlatRecord[],
  rowGroupSize?: number,
): Promise<string> {
  const path = join(dir, `${name}.parquet`);
  const encoded = encodeParquet(
    tableOf(schema, records),
    rowGroupSize === undefined ? {} : { rowGroupSize },
  );
  await writeFile(path, encoded.bytes);
  return path;
}
