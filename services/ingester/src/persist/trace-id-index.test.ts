import { ColumnarBatchBuilder, encodeParquet } from '@o2/parquet';
import type { FileEntry } from '@o2/metastore';
import { buildTraceIdSet, traceIdSetMayContain } from '@o2/traces';
import { describe, expect, it } from 'vitest';
import { traceIdIndex } from './trace-id-index.js';

const id = (n: number) => n.toString(16).padStart(32, '0');

/** A traces data file: `trace_id` per row (undefined = null), over several row groups. */
function tracesFile(traceIds: Array<string | undefined>): Uint8Array {
  const builder = new ColumnarBatchBuilder([
    { name: 'trace_id', type: 'Utf8' },
    { name: 'span_id', type: 'Utf8' },
  ]);
  traceIds.forEach((traceId, i) =>
    builder.append({ _timestamp: 1_700_000_000_000_000 + i, trace_id: traceId, span_id: 'x' }),
  );
  return encodeParquet(builder.finish(), { rowGroupSize: 1000 }).bytes;
}

const entry = (type: string) => ({ type }) as FileEntry;

describe('the trace-id index of a persisted traces file', () => {
  it('holds exactly the ids of the file, read from the column buffers', async () => {
    // Two spans per trace, nulls among them, across row groups (Arrow chunks).
    const ids = Array.from({ length: 2_500 }, (_, i) => (i % 97 === 0 ? undefined : id(i >> 1)));
    const index = await traceIdIndex(tracesFile(ids), entry('traces'));
    expect(index).toEqual(buildTraceIdSet(ids));
    expect(traceIdSetMayContain(index as Uint8Array, id(1_000))).toBe(true);
    expect(traceIdSetMayContain(index as Uint8Array, id(2_000))).toBe(false);
  });

  it('marks a file with a non-hex or non-ASCII id as never skippable', async () => {
    const index = await traceIdIndex(
      tracesFile([id(1), 'ünïcödé'.padEnd(32, 'a')]),
      entry('traces'),
    );
    expect(traceIdSetMayContain(index as Uint8Array, id(2))).toBe(true);
  });

  it('makes none for other stream types', async () => {
    expect(await traceIdIndex(tracesFile([id(1)]), entry('logs'))).toBeUndefined();
  });
});
