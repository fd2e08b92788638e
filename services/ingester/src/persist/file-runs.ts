import { Table } from 'apache-arrow';
import type { FileGroups, ParquetFileStats } from '@o2/parquet';

/** A run of a memtable's row groups written as one Parquet file, with that file's stats. */
export interface FileRun {
  from: number;
  /** Excluded. */
  to: number;
  stats: ParquetFileStats;
}

/**
 * Cuts a memtable's row groups (in file order: time slices newest first, rows clustered within
 * each) into runs of at most about `maxBytes` of Arrow data each, one Parquet file per run, so
 * the files cover disjoint time ranges and keep their clusters; `bytes` is the whole table's
 * (the builder's size), shared out by rows for file_list's `original_size`. `maxBytes` ≤ 0:
 * one file. Encoding pulls one group at a time, so a run's size no longer bounds the memory a
 * persist holds — it bounds the files an upload merge decodes.
 */
export function fileRuns(groups: FileGroups, bytes: number, maxBytes: number): FileRun[] {
  const rows = groups.rows(0, groups.count);
  if (rows === 0) return [];
  const count = maxBytes <= 0 || bytes <= maxBytes ? 1 : Math.ceil(bytes / maxBytes);
  const perRun = Math.max(1, Math.ceil(groups.count / count));
  const runs: FileRun[] = [];
  for (let from = 0; from < groups.count; from += perRun) {
    const to = Math.min(groups.count, from + perRun);
    const records = groups.rows(from, to);
    const { min, max } = groups.timestampRange(from, to);
    runs.push({
      from,
      to,
      stats: {
        minTs: min,
        maxTs: max,
        records,
        originalSize: Math.round((bytes * records) / rows),
      },
    });
  }
  return runs;
}
/** Groups `from`…`to`, each copied out of the builder when the encoder pulls it. */
export function* copyGroups(groups: FileGroups, from: number, to: number): Generator<Table> {
  for (let index = from; index < to; index++) yield groups.copy(index);
}

/** Every row in file order as one table (a pending table's Arrow file; a rare path). */
export function wholeTable(groups: FileGroups): Table {
  const batches = [...copyGroups(groups, 0, groups.count)].flatMap((t) => t.batches);
  return new Table(batches);
}
