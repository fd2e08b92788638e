import { Router } from 'express';
import type { Request } from 'express';
import { canManageUsers } from '@o2/domain';
import { AppError } from '@o2/errors';
import {
  DEDUP_CONFIG_KEY,
  DEFAULT_DEDUP_CONFIG,
  DEFAULT_SEMANTIC_GROUPS,
  SEMANTIC_GROUPS_KEY,
  dedupConfigSchema,
  parseDedupBody,
  readDedupConfig,
  semanticGroupsSchema,
} from '@o2/alerts';
import type { AlertDefinition } from '@o2/alerts';
import { orgContext } from '../auth/auth-context.js';
import type { RouteDeps } from './route-deps.js';
import { requireOrg } from './user-fields.js';

/** The summary counts the history of this many hours, reading at most SUMMARY_MAX_ENTRIES. */
const SUMMARY_HOURS = 24;
const SUMMARY_MAX_ENTRIES = 10_000;

/**
 * O2's org-level alert deduplication settings (O2-CONTRACT §10):
 * `/api/{org}/alerts/deduplication/config` (GET, POST, DELETE) and `/semantic-groups` (GET, PUT),
 * kept in the org's kv store; members read, admins and root write. `GET
 * /api/v2/{org}/alerts/dedup/summary` counts the alerts that dedup and the last day's history.
 */
export function alertDedupRoutes(deps: RouteDeps): Router {
  const { metaStore } = deps;
  const router = Router();

  async function orgFor(req: Request, write: boolean): Promise<string> {
    const { org, role } = orgContext(req);
    if (write && !canManageUsers(role)) throw AppError.permissionDenied();
    await requireOrg(metaStore, org);
    return org;
  }
  const base = '/:org/alerts/deduplication';

  router.get(`${base}/config`, async (req, res) => {
    const org = await orgFor(req, false);
    const stored = readDedupConfig(await metaStore.kv.get(org, DEDUP_CONFIG_KEY));
    res.json(stored ?? DEFAULT_DEDUP_CONFIG);
  });

  router.post(`${base}/config`, ...deps.jsonBody, async (req, res) => {
    const org = await orgFor(req, true);
    const config = parseDedupBody(dedupConfigSchema, req.body);
    await metaStore.kv.put(org, DEDUP_CONFIG_KEY, JSON.stringify(config));
    res.json(config);
  });

  router.delete(`${base}/config`, async (req, res) => {
    const org = await orgFor(req, true);
    if (!(await metaStore.kv.delete(org, DEDUP_CONFIG_KEY)))
      throw AppError.notFound('Deduplication config not found for this organization');
    res.json({ code: 200, message: 'Deduplication config deleted' });
  });

  router.get(`${base}/semantic-groups`, async (req, res) => {
    const org = await orgFor(req, false);
    const stored = await metaStore.kv.get(org, SEMANTIC_GROUPS_KEY);
    res.json(stored === undefined ? DEFAULT_SEMANTIC_GROUPS : (JSON.parse(stored) as unknown));
  });

  router.put(`${base}/semantic-groups`, ...deps.jsonBody, async (req, res) => {
    const org = await orgFor(req, true);
    const groups = parseDedupBody(semanticGroupsSchema, req.body);
    await metaStore.kv.put(org, SEMANTIC_GROUPS_KEY, JSON.stringify(groups));
    res.json(groups);
  });

  router.get('/v2/:org/alerts/dedup/summary', async (req, res) => {
    const org = await orgFor(req, false);
    const alerts = await metaStore.alerts.list(org);
    const withDedup = alerts.filter(
      (a) => (JSON.parse(a.data) as AlertDefinition).deduplication?.enabled === true,
    );
    const nowUs = Date.now() * 1000;
    const { hits } = await metaStore.alertHistory.query(org, {
      startTime: nowUs - SUMMARY_HOURS * 3_600_000_000,
      endTime: nowUs,
      sortBy: 'timestamp',
      sortOrder: 'desc',
      from: 0,
      size: SUMMARY_MAX_ENTRIES,
    });
    const ids = new Set(withDedup.map((a) => a.alertId));
    const ofDedup = hits.filter((h) => ids.has(h.alertId));
    const suppressed = ofDedup.filter((h) => h.status === 'deduplicated').length;
    const passed = ofDedup.filter((h) => h.status === 'firing').length;
    res.json({
      total_alerts: alerts.length,
      alerts_with_dedup: withDedup.length,
      suppressions_total: suppressed,
      passed_total: passed,
      suppression_rate: suppressed + passed === 0 ? 0 : suppressed / (suppressed + passed),
      pending_batches: 0,
      timestamp: nowUs,
    });
  });

  return router;
}
