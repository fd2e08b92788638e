import { Router } from 'express';
import { z } from 'zod';
import { canManageUsers } from '@o2/domain';
import { AppError } from '@o2/errors';
import { orgContext } from '../auth/auth-context.js';
import { bodyObject, fields, optional, parseBody } from '../http/parse-body.js';
import type { RouteDeps } from './route-deps.js';

const KV_KEY = 'org_settings';

/** O2's `OrganizationSetting` defaults (OSS build). */
const DEFAULTS = {
  scrape_interval: 15,
  trace_id_field_name: 'trace_id',
  span_id_field_name: 'span_id',
  toggle_ingestion_logs: false,
  streaming_aggregation_enabled: false,
  enable_streaming_search: false,
  min_auto_refresh_interval: 5,
};

const fieldName = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(256, { error: 'is too long' });

/** `OrganizationSettingPayload`: every key optional; keys we do not know are dropped. */
export const orgSettingsBody = bodyObject({
  scrape_interval: optional(fields.integer().min(1, { error: 'must be at least 1' })),
  trace_id_field_name: optional(fieldName),
  span_id_field_name: optional(fieldName),
  toggle_ingestion_logs: optional(fields.boolean()),
  streaming_aggregation_enabled: optional(fields.boolean()),
  enable_streaming_search: optional(fields.boolean()),
  min_auto_refresh_interval: optional(fields.integer().min(0, { error: 'must not be negative' })),
  light_mode_theme_color: optional(z.string({ error: 'must be a string' }).max(64)),
  dark_mode_theme_color: optional(z.string({ error: 'must be a string' }).max(64)),
});

type Settings = Record<string, unknown>;

/**
 * O2's org settings, `GET|POST /api/{org}/settings`: the UI reads `enable_streaming_search`
 * (use `_search_stream`), the trace/span id field names, scrape and refresh intervals. Stored
 * as one JSON object in the meta store's KV; members read, admins and root change.
 */
export function orgSettingsRoutes(deps: RouteDeps): Router {
  const router = Router();
  const read = async (org: string): Promise<Settings> => {
    const stored = await deps.metaStore.kv.get(org, KV_KEY);
    return { ...DEFAULTS, ...(stored === undefined ? {} : (JSON.parse(stored) as Settings)) };
  };

  router.get('/:org/settings', async (req, res) => {
    const { org } = orgContext(req);
    res.json({ data: await read(org) });
  });

  router.post('/:org/settings', ...deps.jsonBody, async (req, res) => {
    const { org, role } = orgContext(req);
    if (!canManageUsers(role)) throw AppError.permissionDenied();
    const update = Object.fromEntries(
      Object.entries(parseBody(orgSettingsBody, req.body)).filter(([, v]) => v !== undefined),
    );
    const merged = { ...(await read(org)), ...update };
    await deps.metaStore.kv.put(org, KV_KEY, JSON.stringify(merged));
    res.json({ successful: 'true', data: merged });
  });

  return router;
}
