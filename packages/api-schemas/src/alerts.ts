import { z } from 'zod';

/** One entry of `GET /api/v2/{org}/alerts` (times in µs, null when never). */
export const alertListItemSchema = z.object({
  alert_id: z.string(),
  folder_id: z.string(),
  folder_name: z.string(),
  name: z.string(),
  owner: z.string(),
  description: z.string(),
  alert_type: z.enum(['scheduled', 'realtime']),
  enabled: z.boolean(),
  is_real_time: z.boolean(),
  stream_type: z.string(),
  stream_name: z.string(),
  destinations: z.array(z.string()),
  last_triggered_at: z.number().nullable(),
  last_satisfied_at: z.number().nullable(),
  updated_at: z.number(),
});
export type AlertListItem = z.infer<typeof alertListItemSchema>;
export const alertListSchema = z.object({ list: z.array(alertListItemSchema) });
export type AlertList = z.infer<typeof alertListSchema>;

/** `POST /api/v2/{org}/alerts` and clone: `{code, message, id}`. */
export const alertSavedSchema = z.object({ code: z.number(), message: z.string(), id: z.string() });
export type AlertSaved = z.infer<typeof alertSavedSchema>;

/** One destination of `GET /api/{org}/alerts/destinations`. */
export const alertDestinationSchema = z.object({
  name: z.string(),
  type: z.string(),
  url: z.string(),
  method: z.string(),
  template: z.string(),
  module: z.string(),
});
export type AlertDestination = z.infer<typeof alertDestinationSchema>;

/** One template of `GET /api/{org}/alerts/templates`. */
export const alertTemplateSchema = z.object({
  name: z.string(),
  body: z.string(),
  type: z.string(),
  title: z.string(),
  isPrebuilt: z.boolean(),
});
export type AlertTemplate = z.infer<typeof alertTemplateSchema>;

/** `GET /api/v2/{org}/alerts/history`. */
export const alertHistorySchema = z.object({
  total: z.number(),
  hits: z.array(
    z.object({
      timestamp: z.number(),
      alert_id: z.string(),
      alert_name: z.string(),
      status: z.string(),
      is_realtime: z.boolean(),
      rows_count: z.number(),
      error: z.string().nullable(),
      evaluation_took_in_secs: z.number(),
    }),
  ),
});
export type AlertHistory = z.infer<typeof alertHistorySchema>;
