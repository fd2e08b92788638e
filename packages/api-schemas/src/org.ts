import { z } from 'zod';

/** `GET /api/{org}/summary`: O2's `OrgSummary`; sizes in MB. */
export const orgSummarySchema = z.object({
  streams: z.object({
    num_streams: z.number(),
    total_records: z.number(),
    total_storage_size: z.number(),
    total_compressed_size: z.number(),
    total_index_size: z.number(),
  }),
  pipelines: z.object({ num_realtime: z.number(), num_scheduled: z.number() }),
  alerts: z.object({ num_realtime: z.number(), num_scheduled: z.number() }),
  total_functions: z.number(),
  total_dashboards: z.number(),
});
export type OrgSummary = z.infer<typeof orgSummarySchema>;

/** One organization as `GET /api/organizations` lists it. */
export const organizationSchema = z.object({
  id: z.number(),
  identifier: z.string(),
  name: z.string(),
  user_email: z.string(),
  ingest_threshold: z.number(),
  search_threshold: z.number(),
  type: z.string(),
  UserObj: z.object({
    first_name: z.string(),
    last_name: z.string(),
    email: z.string(),
  }),
});
export type Organization = z.infer<typeof organizationSchema>;
export const organizationListSchema = z.object({ data: z.array(organizationSchema) });
export type OrganizationList = z.infer<typeof organizationListSchema>;

/** `GET/PUT /api/{org}/passcode`: the caller's own ingestion passcode. */
export const passcodeSchema = z.object({
  data: z.object({ user: z.string(), passcode: z.string() }),
});
export type Passcode = z.infer<typeof passcodeSchema>;
