import { z } from 'zod';

/** O2's stream `stats`: times in µs, sizes in MB (floats). */
export const streamStatsSchema = z.object({
  created_at: z.number(),
  doc_time_min: z.number(),
  doc_time_max: z.number(),
  doc_num: z.number(),
  file_num: z.number(),
  storage_size: z.number(),
  compressed_size: z.number(),
  index_size: z.number(),
});
export type StreamStats = z.infer<typeof streamStatsSchema>;

export const schemaFieldSchema = z.object({ name: z.string(), type: z.string() });
export type SchemaFieldJson = z.infer<typeof schemaFieldSchema>;

/**
 * A stream as the streams API shows it. `settings` is O2's full settings object with every
 * default filled in; only the keys a client reads are typed here.
 */
export const streamSchema = z.object({
  name: z.string(),
  storage_type: z.string(),
  stream_type: z.string(),
  stats: streamStatsSchema,
  schema: z.array(schemaFieldSchema),
  settings: z.looseObject({
    partition_keys: z.record(z.string(), z.unknown()),
    full_text_search_keys: z.array(z.string()),
    index_fields: z.array(z.string()),
    bloom_filter_fields: z.array(z.string()),
    data_retention: z.number(),
    max_query_range: z.number(),
  }),
  total_fields: z.number(),
});
export type StreamJson = z.infer<typeof streamSchema>;

/** `GET /api/{org}/streams`. */
export const streamListSchema = z.object({ list: z.array(streamSchema), total: z.number() });
export type StreamList = z.infer<typeof streamListSchema>;
