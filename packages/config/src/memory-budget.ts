import { totalmem } from 'node:os';
import type { Config } from './load-config.js';

const MB = 1024 * 1024;

/** The settings the memory budget derives from. */
export type MemoryBudgetSettings = Pick<Config, 'ZO_MEM_TABLE_BUDGET' | 'ZO_MEM_TABLE_MAX_SIZE'>;

/**
 * Bytes of rows all memtables together may hold (`ZO_MEM_TABLE_BUDGET` within
 * `ZO_MEM_TABLE_MAX_SIZE`, whose 0 is O2's 25 % of RAM), and that cap itself.
 */
export function memTableBudget(config: MemoryBudgetSettings): {
  memLimit: number;
  memBudget: number;
} {
  const memLimit =
    config.ZO_MEM_TABLE_MAX_SIZE > 0
      ? config.ZO_MEM_TABLE_MAX_SIZE * MB
      : Math.floor(totalmem() * 0.25);
  const budget = config.ZO_MEM_TABLE_BUDGET * MB;
  return { memLimit, memBudget: budget > 0 ? Math.min(budget, memLimit) : memLimit };
}

/**
 * Arrow bytes of rows one encode or merge may hold decoded: a quarter of the memtable budget,
 * at least 8 MB. Encoding holds ~2× the rows it encodes (the reordered table and its IPC copy;
 * parquet-wasm takes a row group at a time) and a merge about the decoded rows plus its inputs'
 * bytes, so a quarter keeps that near the memtables' size, not a multiple of it. It bounds a
 * persist's slices and the ingester's upload merges (their inputs' `originalSize`).
 */
export function decodedBatchBytes(config: MemoryBudgetSettings): number {
  return Math.max(8 * MB, Math.floor(memTableBudget(config).memBudget / 4));
}

/**
 * Bytes of rows (the inputs' `originalSize`) one compactor merge may decode: four upload merges'
 * worth, the whole memtable budget by default. Equal to the upload bound it merged almost
 * nothing (uploads arrive up to that bound, so two rarely fit together: the bench's hour stayed
 * ~7 files, storage 1.54 % of raw against 1.35 % as one file); without a bound one merge decoded
 * a whole hour however large (`ZO_COMPACT_MAX_FILE_SIZE`, 512 MB of Parquet, is ~25 GB of logs).
 */
export function compactionDecodedBytes(config: MemoryBudgetSettings): number {
  return 4 * decodedBatchBytes(config);
}
