import { z } from 'zod';

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
