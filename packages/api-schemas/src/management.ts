import { z } from 'zod';

/** One org ingestion token as `/api/{org}/ingestion-tokens` shows it; `created_at` in µs. */
export const ingestionTokenInfoSchema = z.object({
  name: z.string(),
  token: z.string(),
  description: z.string(),
  is_default: z.boolean(),
  enabled: z.boolean(),
  created_by: z.string(),
  created_at: z.number(),
});
export type IngestionTokenInfo = z.infer<typeof ingestionTokenInfoSchema>;
export const ingestionTokenListSchema = z.object({ data: z.array(ingestionTokenInfoSchema) });
export const ingestionTokenResponseSchema = z.object({ data: ingestionTokenInfoSchema });

/** One service account as `GET /api/{org}/service_accounts` lists it. */
export const serviceAccountSchema = z.object({
  email: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  role: z.literal('service_account'),
  is_external: z.boolean(),
  created_at: z.number(),
  token: z.string(),
});
export type ServiceAccount = z.infer<typeof serviceAccountSchema>;
export const serviceAccountListSchema = z.object({ data: z.array(serviceAccountSchema) });

/** `GET /api/{org}/service_accounts/{email}` and a token rotation: O2's `APIToken`. */
export const apiTokenSchema = z.object({ user: z.string(), token: z.string() });
export type ApiToken = z.infer<typeof apiTokenSchema>;

/** O2's answer to a bulk delete. */
export const bulkDeleteResponseSchema = z.object({
  successful: z.array(z.string()),
  unsuccessful: z.array(z.string()),
  err: z.string().nullable(),
});
export type BulkDeleteResponse = z.infer<typeof bulkDeleteResponseSchema>;

/** `POST /api/{org}/short`. */
export const shortUrlResponseSchema = z.object({ short_url: z.string() });
export type ShortUrlResponse = z.infer<typeof shortUrlResponseSchema>;

/** `/api/{org}/rumtoken`: the caller's RUM token in the org. */
export const rumTokenSchema = z.object({
  data: z.object({ user: z.string(), rum_token: z.string() }),
});
export type RumToken = z.infer<typeof rumTokenSchema>;

/** One node as `/api/{org}/node/list` shows it. */
export const nodeInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  http_addr: z.string(),
  grpc_addr: z.string(),
  role: z.array(z.string()),
  status: z.string(),
  started_at: z.number(),
  heartbeat_at: z.number(),
  version: z.string(),
});
export type NodeInfoBody = z.infer<typeof nodeInfoSchema>;
/** `/api/_meta/node/list`: nodes by region, then by cluster. */
export const nodeListSchema = z.object({
  regions: z.record(
    z.string(),
    z.object({ clusters: z.record(z.string(), z.array(nodeInfoSchema)) }),
  ),
});
export type NodeList = z.infer<typeof nodeListSchema>;
/** `/api/_meta/cluster/info`: per region and cluster. */
export const clusterInfoSchema = z.object({
  regions: z.record(
    z.string(),
    z.object({
      clusters: z.record(z.string(), z.object({ pending_jobs: z.number() })),
    }),
  ),
});
export type ClusterInfo = z.infer<typeof clusterInfoSchema>;
