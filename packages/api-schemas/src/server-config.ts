import { z } from 'zod';

/**
 * `GET /config`: the keys the UI boots from (O2's names). Only the keys a client reads are
 * listed; the router sends more (every O2 feature flag, off when we lack the feature).
 */
export const serverConfigSchema = z.object({
  version: z.string(),
  instance: z.string(),
  build_type: z.string(),
  timestamp_column: z.string(),
  sso_enabled: z.boolean(),
  native_login_enabled: z.boolean(),
  rbac_enabled: z.boolean(),
  custom_logo_text: z.string(),
  custom_hide_menus: z.string(),
  meta_org: z.string(),
  ingestion_url: z.string(),
  web_url: z.string(),
  query_default_limit: z.number(),
  /** The value a dashboard variable sends for "All" (`ZO_DASHBOARD_PLACEHOLDER`). */
  dashboard_placeholder: z.string(),
  streaming_enabled: z.boolean(),
  usage_enabled: z.boolean(),
});
export type ServerConfig = z.infer<typeof serverConfigSchema>;

/** `POST /auth/login` and `GET /config/logout`. */
export const authResultSchema = z.object({ status: z.boolean(), message: z.string() });
export type AuthResult = z.infer<typeof authResultSchema>;

/** O2's error body on every `/api` failure. */
export const errorBodySchema = z.object({ code: z.number(), message: z.string() });
export type ErrorBody = z.infer<typeof errorBodySchema>;
