import type { LocalFile } from './local-files.js';

export interface UploadLimits {
  /** ZO_COMPACT_MAX_FILE_SIZE in bytes: merged uploads stay below it. */
  maxFileBytes: number;
  /** Arrow bytes (the files' `originalSize`) one merge may decode; 0 or absent: no limit. */
  maxMergeBytes?: number;
}

/**
 * Splits a stream-hour's local files into merges no larger than the limits (one file at
 * least). Compressed size alone let one merge decode everything a slow round left (logs
 * compress ~50×), and the merge's worker holds the decoded rows several times over (decoded
 * files, merged copy, IPC, parquet-wasm's copies), so merges are bounded by Arrow size too.
 */
export function uploadChunks(files: readonly LocalFile[], limits: UploadLimits): LocalFile[][] {
  const { maxFileBytes, maxMergeBytes = 0 } = limits;
  const chunks: LocalFile[][] = [];
  let current: LocalFile[] = [];
  let size = 0;
  let decoded = 0;
  for (const file of files) {
    const tooBig =
      size + file.meta.compressedSize > maxFileBytes ||
      (maxMergeBytes > 0 && decoded + file.meta.originalSize > maxMergeBytes);
    if (current.length > 0 && tooBig) {
      chunks.push(current);
      current = [];
      size = 0;
      decoded = 0;
    }
    current.push(file);
    size += file.meta.compressedSize;
    decoded += file.meta.originalSize;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
