import { describe, expect, it } from 'vitest';
import { ColumnarBatchBuilder } from './columnar-batch-builder.js';
import { encodeParquet } from './encode-parquet.js';
import { mergeParquetFiles } from './merge-parquet-files.js';
import { readParquet } from './read-parquet.js';
import { clustersRows } from './row-clusters.js';

/** A pod's own fields, as a k8s log shipper adds them to every line. */
const POD_FIELDS = ['pod_id', 'namespace', 'node', 'image', 'container', 'app', 'hash'];
const SCHEMA = [
  { name: 'pod', type: 'Utf8' as const },
  ...POD_FIELDS.map((name) => ({ name, type: 'Utf8' as const })),
  { name: 'log', type: 'Utf8' as const },
];

/** A deterministic shuffle of 0…n-1 (so timestamps arrive out of order). */
function shuffled(n: number): number[] {
  const out = [...Array(n).keys()];
  let seed = 7;
  for (let i = n - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** A seeded pseudo-random source: the same rows in every run and every builder. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state >>> 8;
  };
}

/** `n` rows from 16 pods in no order over time, each row carrying its pod's fields. */
function fill(builder: ColumnarBatchBuilder, n: number): void {
  const next = random(42);
  for (const i of shuffled(n)) {
    const pod = `web-${next() % 16}`;
    const fields = Object.fromEntries(POD_FIELDS.map((f) => [f, `${f}-${pod}-4f1c9a7e0b`]));
    builder.append({
      _timestamp: 1_700_000_000_000_000 + i * 1000,
      pod,
      ...fields,
      log: `GET /api/items/${next() % 500} 200 ${pod} took ${next() % 97} ms`,
    });
  }
}

describe('rows clustered within row groups', () => {
  it('keeps row groups as time slices, newest first, and clusters rows within each', () => {
    const builder = new ColumnarBatchBuilder(SCHEMA);
    fill(builder, 1000);
    const table = builder.finish({ clusterGroupRows: 300 });
    const ts = [...table.getChild('_timestamp')!].map(Number);
    const pods = [...table.getChild('pod')!] as string[];
    expect(new Set(ts).size).toBe(1000);
    const desc = [...ts].sort((a, b) => b - a);
    for (let start = 0; start < 1000; start += 300) {
      const group = ts.slice(start, start + 300);
      // The group holds exactly the next 300 newest rows...
      expect([...group].sort((a, b) => b - a)).toEqual(desc.slice(start, start + 300));
      // ...each pod's rows together, newest first among them.
      const groupPods = pods.slice(start, start + 300);
      const runs = groupPods.filter((p, i) => i === 0 || p !== groupPods[i - 1]);
      expect(runs).toHaveLength(new Set(groupPods).size);
      for (let i = 1; i < group.length; i++) {
        if (groupPods[i] === groupPods[i - 1]) expect(group[i]!).toBeLessThan(group[i - 1]!);
      }
    }
    // Every column moved with its row.
    const logs = [...table.getChild('log')!] as string[];
    logs.forEach((line, i) => expect(line).toContain(` ${pods[i]} `));
  });

  it('keeps time order alone when no text column has few enough values', () => {
    const builder = new ColumnarBatchBuilder([{ name: 'log', type: 'Utf8' }]);
    for (const i of shuffled(500)) builder.append({ _timestamp: i, log: `line ${i}` });
    const ts = [...builder.finish({ clusterGroupRows: 100 }).getChild('_timestamp')!].map(Number);
    expect(ts).toEqual([...Array(500).keys()].reverse());
  });

  it('writes the clustered order as it is, in fewer bytes than time order', async () => {
    const clustered = new ColumnarBatchBuilder(SCHEMA);
    fill(clustered, 20_000);
    const inTimeOrder = new ColumnarBatchBuilder(SCHEMA);
    fill(inTimeOrder, 20_000);
    const table = clustered.finish({ clusterGroupRows: 16_384 });
    const encoded = encodeParquet(table);
    const plain = encodeParquet(inTimeOrder.finish());
    expect(encoded.bytes.length).toBeLessThan(plain.bytes.length * 0.9);
    const read = await readParquet(encoded.bytes);
    expect([...read.getChild('pod')!]).toEqual([...table.getChild('pod')!]);
    expect(encoded).toMatchObject({ records: 20_000, minTs: plain.minTs, maxTs: plain.maxTs });
  });

  it('clusters merges of logs streams only; other merges stay in time order', async () => {
    expect([clustersRows('logs'), clustersRows('metrics'), clustersRows('traces')]).toEqual([
      true,
      false,
      false,
    ]);
    const files = [0, 1].map(() => {
      const builder = new ColumnarBatchBuilder(SCHEMA);
      fill(builder, 600);
      return encodeParquet(builder.finish()).bytes;
    });
    const timesOf = async (cluster: boolean) => {
      const merged = await mergeParquetFiles(files, [], { cluster, rowGroupSize: 400 });
      return [...(await readParquet(merged.bytes)).getChild('_timestamp')!].map(Number);
    };
    const plain = await timesOf(false);
    expect(plain).toEqual([...plain].sort((a, b) => b - a));
    const clustered = await timesOf(true);
    expect(clustered).not.toEqual(plain);
    expect([...clustered].sort((a, b) => b - a)).toEqual(plain);
  });
});
