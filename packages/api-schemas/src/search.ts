import { z } from 'zod';

/** O2's `took_detail`: where a search spent its time, ms. */
export const tookDetailSchema = z.object({
  total: z.number(),
  cache_took: z.number(),
  file_list_took: z.number(),
  wait_in_queue: z.number(),
  idx_took: z.number(),
  search_took: z.number(),
});
export type TookDetail = z.infer<typeof tookDetailSchema>;

/** `POST /api/{org}/_search`: the keys a client reads (the querier sends more). */
export const searchResponseSchema = z.object({
  took: z.number(),
  hits: z.array(z.record(z.string(), z.unknown())),
  total: z.number(),
  from: z.number(),
  size: z.number(),
  scan_size: z.number(),
  scan_records: z.number(),
  is_partial: z.boolean(),
  function_error: z.array(z.string()),
  /** Per-stage milliseconds (O2's `took_detail`). */
  took_detail: tookDetailSchema.optional(),
  /** O2TS additions for the query profile: files read and files the token index ruled out. */
  scan_files: z.number().optional(),
  pruned_files: z.number().optional(),
});
export type SearchResponse = z.infer<typeof searchResponseSchema>;

/** `GET /api/{org}/{stream}/_values`: top values with counts per field. */
export const valuesResponseSchema = z.object({
  took: z.number(),
  hits: z.array(
    z.object({
      field: z.string(),
      values: z.array(z.object({ zo_sql_key: z.unknown(), zo_sql_num: z.number() })),
    }),
  ),
  total: z.number(),
});
export type ValuesResponse = z.infer<typeof valuesResponseSchema>;

/** `POST /api/{org}/_search_partition`: how to split a range, newest slice first (µs pairs). */
export const searchPartitionResponseSchema = z.object({
  trace_id: z.string(),
  file_num: z.number(),
  records: z.number(),
  original_size: z.number(),
  compressed_size: z.number(),
  partitions: z.array(z.tuple([z.number(), z.number()])),
  order_by: z.string(),
});
export type SearchPartitionResponse = z.infer<typeof searchPartitionResponseSchema>;
