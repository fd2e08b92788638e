import type { Table } from 'apache-arrow';
import type { ColumnarBatchBuilder } from '@o2/parquet';

/** One immutable copy of the builder rows `from`…`to` (append order) handed to queries. */
interface Chunk {
  from: number;
  to: number;
  table: Table;
}

/**
 * A memtable's rows as queries see them: immutable Arrow tables covering rows 0…`rows` of its
 * builder. Under ingest the memtable grows between every two queries; copying (and the search
 * engine re-encoding to Parquet) all of it per query cost ~150 ms per 20k rows on the main
 * thread and made 8 searchers wait seconds behind each other. Here a query copies only the
 * rows added since the last one; the chunks are kept, so the search engine reuses what it made
 * of them. Neighbouring chunks merge once the older is no bigger than the newer (a binary
 * counter): at most ~log2(rows) chunks, each row copied O(log rows) times in all.
 */
export class HotChunks {
  private chunks: Chunk[] = [];

  /** Rows covered (the builder's length at the last `extend`). */
  get rows(): number {
    return this.chunks.at(-1)?.to ?? 0;
  }

  get tables(): Table[] {
    return this.chunks.map((c) => c.table);
  }

  /**
   * Covers the builder's rows up to its length. The builder must only have been appended to
   * since the last call (rows keep their positions); otherwise start a new HotChunks.
   */
  extend(builder: ColumnarBatchBuilder): Table[] {
    const to = builder.length;
    const from = this.rows;
    if (to > from) {
      this.chunks.push({ from, to, table: builder.copyRows(from, to) });
      for (;;) {
        const last = this.chunks.at(-1)!;
        const previous = this.chunks.at(-2);
        if (previous === undefined || previous.to - previous.from > last.to - last.from) break;
        this.chunks.splice(-2, 2, {
          from: previous.from,
          to: last.to,
          table: builder.copyRows(previous.from, last.to),
        });
      }
    }
    return this.tables;
  }
}
