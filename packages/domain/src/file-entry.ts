import { z } from 'zod';
import { STREAM_TYPES } from './stream-types.js';
import type { StreamType } from './stream-types.js';

/** A stored data file as file_list records it (its object key is `storedFileKey(entry)`). */
export interface FileEntry {
  org: string;
  type: StreamType;
  stream: string;
  /** Partition hour, `YYYY/MM/DD/HH`. */
  date: string;
  /** File name including partition dirs, e.g. `k8s_namespace=prod/7099…f3a1.parquet`. */
  file: string;
  minTs: number;
  maxTs: number;
  records: number;
  originalSize: number;
  compressedSize: number;
  indexSize: number;
  flattened: boolean;
}

/** `FileEntry` checked at runtime, for entries that crossed a process boundary (events). */
export const fileEntrySchema = z.object({
  org: z.string(),
  type: z.enum(STREAM_TYPES),
  stream: z.string(),
  date: z.string(),
  file: z.string(),
  minTs: z.number(),
  maxTs: z.number(),
  records: z.number(),
  originalSize: z.number(),
  compressedSize: z.number(),
  indexSize: z.number(),
  flattened: z.boolean(),
}) satisfies z.ZodType<FileEntry>;
