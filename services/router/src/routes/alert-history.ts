import { Router } from 'express';
import type { Request } from 'express';
import { AppError } from '@o2/errors';
import type { AlertHistoryQuery } from '@o2/metastore';
import { orgContext } from '../auth/auth-context.js';
import type { RouteDeps } from './route-deps.js';

const SORTS = ['timestamp', 'alert_name', 'status'] as const;

function one(req: Request, key: string): string | undefined {
  const raw = req.query[key];
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string') throw AppError.invalidArgument(`${key} must be given once`);
  return raw;
}

function int(req: Request, key: string, min: number): number | undefined {
  const raw = one(req, key);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min)
    throw AppError.invalidArgument(`${key} must be an integer ≥ ${min}`);
  return n;
}

/**
 * `GET /api/v2/{org}/alerts/history`: every evaluation the alertmanager recorded (firing, ok,
 * silenced, deduplicated, error), newest first unless asked otherwise; `start_time`/`end_time`
 * in µs; an unknown sort field is 400.
 */
export function alertHistoryRoutes(deps: RouteDeps): Router {
  const router = Router();
  router.get('/v2/:org/alerts/history', async (req, res) => {
    const { org } = orgContext(req);
    const sortBy = one(req, 'sort_by') ?? 'timestamp';
    if (!(SORTS as readonly string[]).includes(sortBy))
      throw AppError.invalidArgument(`Invalid sort_by: ${sortBy} (one of ${SORTS.join(', ')})`);
    const sortOrder = one(req, 'sort_order') ?? 'desc';
    if (sortOrder !== 'asc' && sortOrder !== 'desc')
      throw AppError.invalidArgument('sort_order must be asc or desc');
    const q: AlertHistoryQuery = {
      alertId: one(req, 'alert_id'),
      startTime: int(req, 'start_time', 0),
      endTime: int(req, 'end_time', 0),
      sortBy: sortBy as AlertHistoryQuery['sortBy'],
      sortOrder,
      from: int(req, 'from', 0) ?? 0,
      size: Math.min(int(req, 'size', 1) ?? 100, 10_000),
    };
    const page = await deps.metaStore.alertHistory.query(org, q);
    res.json({
      total: page.total,
      from: q.from,
      size: q.size,
      hits: page.hits.map((h) => ({
        timestamp: h.timestamp,
        alert_id: h.alertId,
        alert_name: h.alertName,
        org: h.org,
        status: h.status,
        is_realtime: h.isRealTime,
        is_silenced: h.status === 'silenced',
        start_time: h.startTime,
        end_time: h.endTime,
        rows_count: h.rowsCount,
        error: h.error === '' ? null : h.error,
        evaluation_took_in_secs: h.evaluationMs / 1000,
        source_node: h.node,
      })),
    });
  });
  return router;
}
