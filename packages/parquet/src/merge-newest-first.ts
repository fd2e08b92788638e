import type { Table } from 'apache-arrow';
import type { ColumnSpec } from './column-spec.js';
import { ColumnarBatchBuilder } from './columnar-batch-builder.js';
import { timestampDescPermutation } from './timestamp-order.js';

/** What a streaming merge saw of its inputs, for the caller to check once the stream ends. */
export interface NewestFirstReport {
  /** An input's row group held a row newer than the group before it: not time slices. */
  outOfOrder: boolean;
  /** Smallest and largest `_timestamp` of every row merged. */
  minTs: number;
  maxTs: number;
}

/** One input: its row groups, and no row newer than `newest` (its footer's; else Infinity). */
export interface NewestFirstSource {
  groups: AsyncIterable<Table>;
  newest: number;
}

interface Input {
  groups: AsyncIterator<Table>;
  /** No unread row of this input is newer than this (the last group's oldest row). */
  bound: number;
  done: boolean;
}

/**
 * Merges inputs whose row groups are time slices newest first — every file we write is — into
 * row groups of `groupRows` rows (the last fewer), newest first, each clustered when `cluster`
 * (`ColumnarBatchBuilder.copyGroup`). A group goes out once no unread input group can hold a
 * row newer than its oldest (an input not yet read is bounded by its footer's newest row), so
 * the decoded rows held are about one group per input at most — about one in all when the
 * inputs' time ranges do not overlap — not the whole merge: a compactor merge of a closed hour
 * held all its rows (~420 MiB for the bench's 400 k records) before writing the first group.
 * An input group newer than its bound (the group before it, or its footer) stops the stream
 * (`report.outOfOrder`, then an error): the caller merges another way.
 */
export async function* mergeNewestFirst(
  sources: ReadonlyArray<NewestFirstSource>,
  schema: readonly ColumnSpec[],
  groupRows: number,
  cluster: boolean,
  report: NewestFirstReport,
): AsyncGenerator<Table> {
  const inputs: Input[] = sources.map((source) => ({
    groups: source.groups[Symbol.asyncIterator](),
    bound: source.newest,
    done: false,
  }));
  let pending = new ColumnarBatchBuilder(schema);
  /** Rows of `pending` not yet written, `_timestamp` desc. */
  let alive: Uint32Array = new Uint32Array(0);

  const take = (count: number): Table => {
    const group = pending.copyGroup(alive.subarray(0, count), cluster);
    alive = alive.subarray(count);
    // Rows written are dead weight in `pending`: once they outnumber the live ones (and a
    // group), the live rows move to a fresh builder — each row is moved O(1) times on average.
    if (pending.length - alive.length > Math.max(alive.length, groupRows)) {
      const rest = pending.copyGroup(alive, false);
      pending = new ColumnarBatchBuilder(schema);
      pending.appendTable(rest);
      alive = Uint32Array.from({ length: rest.numRows }, (_, i) => i);
    }
    return group;
  };

  try {
    yield* mergeLoop();
  } finally {
    // A stream stopped early (out of order, or its consumer failed) lets go of its decoders.
    await Promise.all(inputs.map(async (input) => input.groups.return?.()));
  }

  async function* mergeLoop(): AsyncGenerator<Table> {
    for (;;) {
      let newestUnread = -Infinity;
      let next: Input | undefined;
      for (const input of inputs) {
        if (!input.done && input.bound > newestUnread) {
          newestUnread = input.bound;
          next = input;
        }
      }
      if (alive.length >= groupRows && pending.timestampAt(alive[groupRows - 1]!) >= newestUnread) {
        yield take(groupRows);
        continue;
      }
      if (next === undefined) {
        if (alive.length === 0) return;
        yield take(Math.min(groupRows, alive.length));
        continue;
      }
      const read = await next.groups.next();
      if (read.done === true) {
        next.done = true;
        continue;
      }
      const start = pending.length;
      pending.appendTable(read.value);
      const count = pending.length - start;
      if (count === 0) continue;
      const ts = new Float64Array(count);
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < count; i++) {
        const t = pending.timestampAt(start + i);
        ts[i] = t;
        if (t < min) min = t;
        if (t > max) max = t;
      }
      if (max > next.bound) {
        report.outOfOrder = true;
        throw new Error('an input row group is newer than the one before it');
      }
      next.bound = min;
      report.minTs = Math.min(report.minTs, min);
      report.maxTs = Math.max(report.maxTs, max);
      const order = timestampDescPermutation(ts, min, max);
      for (let i = 0; i < count; i++) order[i]! += start;
      alive = mergeDescending(alive, order, pending);
    }
  }
}

/** Two lists of rows, each `_timestamp` desc, as one. */
function mergeDescending(a: Uint32Array, b: Uint32Array, rows: ColumnarBatchBuilder): Uint32Array {
  if (a.length === 0) return b;
  const out = new Uint32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    out[k++] = rows.timestampAt(a[i]!) >= rows.timestampAt(b[j]!) ? a[i++]! : b[j++]!;
  }
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}
